"""Candidate pairs of person records scored by the trained person-matching model (Splink).

Incremental: a run scores only the pairs that involve records landed or fixed since the last run
(the new records against each other and against everything before), and moves the pairs scored before
onto the prior of the current record count; `dbt build --full-refresh` re-scores every pair.
Thin: the logic is lead_factory.matching.people.
"""

import json

import pyarrow as pa
import pyarrow.compute as pc

from lead_factory.matching import people
from lead_factory.matching.project import resolve_model_path


def model(dbt, session):
    dbt.config(
        materialized="incremental",
        incremental_strategy="delete+insert",
        unique_key=["record_id_l", "record_id_r"],
    )
    records = dbt.ref("int_person_records_prepared").to_arrow_table()
    scored_through = pc.max(records.column("changed_at")).as_py()
    new_record_ids = None
    if dbt.is_incremental:
        (previous,) = session.sql(f"select max(scored_through) from {dbt.this}").fetchall()[0]
        if previous is not None:
            fresh = pc.greater(
                records.column("changed_at"), pa.scalar(previous, records.column("changed_at").type)
            )
            new_record_ids = set(records.filter(fresh).column("record_id").to_pylist())
    trained = people.load_model(resolve_model_path(dbt.config.get("person_model_path")))
    threshold = float(dbt.config.get("person_pair_threshold"))
    if dbt.is_incremental:
        stored = {row[0] for row in session.sql(f"describe {dbt.this}").fetchall()}
        if "prior_match_weight" not in stored:
            raise people.MatchingModelError(
                f"{dbt.this} was scored by an older version: "
                "`dbt build --full-refresh -s int_person_pairs_scored+`"
            )
        if new_record_ids:
            # A changed record (a steward fixed it) is compared afresh: its old pairs go.
            session.execute(
                f"delete from {dbt.this} where record_id_l = any($ids) or record_id_r = any($ids)",
                {"ids": sorted(new_record_ids)},
            )
        # Pairs scored earlier move onto the prior of today's record count.
        for statement in people.reapply_prior_sql(
            str(dbt.this), people.prior_weight(trained, records.num_rows), threshold
        ):
            session.execute(statement)
    pairs = people.score_pairs(
        records,
        trained,
        blocking_rules=json.loads(dbt.config.get("person_blocking_rules")),
        threshold=threshold,
        new_record_ids=new_record_ids,
    )
    return pairs.append_column(
        "scored_through", pa.array([scored_through] * pairs.num_rows, records.column("changed_at").type)
    )
