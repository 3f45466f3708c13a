"""Why two records were joined: for every accepted or reviewed pair, each field's comparison outcome
and its match weight, one row per pair and field.

Thin: the logic is lead_factory.matching.people.explanation_rows.
"""

from lead_factory.matching import people
from lead_factory.matching.project import resolve_model_path


def model(dbt, session):
    dbt.config(materialized="table")
    threshold = float(dbt.config.get("person_match_threshold"))
    pairs = dbt.ref("int_person_pairs_scored")
    decisions = dbt.ref("stg_reviews__match_decisions").filter("other_record_id is not null")
    reviewed = {tuple(sorted(pair)) for pair in decisions.select("record_id, other_record_id").fetchall()}
    scored = pairs.to_arrow_table()
    keep = [
        probability >= threshold or (left, right) in reviewed
        for left, right, probability in zip(
            scored.column("record_id_l").to_pylist(),
            scored.column("record_id_r").to_pylist(),
            scored.column("match_probability").to_pylist(),
            strict=True,
        )
    ]
    trained = people.load_model(resolve_model_path(dbt.config.get("person_model_path")))
    return people.explanation_rows(scored.filter(keep), trained)
