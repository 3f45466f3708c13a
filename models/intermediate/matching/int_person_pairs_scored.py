"""Candidate pairs of person records scored by the trained person-matching model (Splink).

Thin: the logic is lead_factory.matching.people; this model only wires dbt to it.
"""

import json
from pathlib import Path

from lead_factory.matching import people


def model(dbt, session):
    dbt.config(materialized="table")
    records = dbt.ref("int_person_records_prepared").to_arrow_table()
    trained = people.load_model(Path(dbt.config.get("person_model_path")))
    return people.score_pairs(
        records,
        trained,
        blocking_rules=json.loads(dbt.config.get("person_blocking_rules")),
        threshold=float(dbt.config.get("person_pair_threshold")),
    )
