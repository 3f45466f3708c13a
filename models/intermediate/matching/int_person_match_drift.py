"""Whether the person records have drifted from the data the matching model was trained on: one
row per compared field, with its fill rate and the concentration of its values now and at training.

Thin: the logic is lead_factory.matching.drift; the mart is rpt_matching_drift.
"""

from lead_factory.matching import drift, people
from lead_factory.matching.project import resolve_model_path


def model(dbt, session):
    dbt.config(materialized="table")
    records = dbt.ref("int_person_records_prepared").to_arrow_table()
    trained = people.load_model(resolve_model_path(dbt.config.get("person_model_path")))
    stored = trained.get(people.TRAINING_METADATA, {}).get("profile")
    rows = drift.compare(drift.from_json(stored) if stored else None, drift.profile(records))
    return drift.table(rows)
