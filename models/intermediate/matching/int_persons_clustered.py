"""Person records grouped into people: connected components of the accepted links, with reviewers'
decisions applied first.

Thin: the logic is lead_factory.matching.clusters; this model only wires dbt to it.
"""

from lead_factory.matching.clusters import cluster_records


def model(dbt, session):
    dbt.config(materialized="table")
    records = dbt.ref("int_person_records_prepared").to_arrow_table()
    pairs = dbt.ref("int_person_pairs_scored").select("record_id_l, record_id_r, match_probability")
    decisions = dbt.ref("stg_reviews__match_decisions").filter("other_record_id is not null")
    decided = decisions.select("decision, record_id, other_record_id").fetchall()
    return cluster_records(
        records,
        pairs.to_arrow_table(),
        float(dbt.config.get("person_match_threshold")),
        links=[(a, b) for decision, a, b in decided if decision == "same_person"],
        apart=[(a, b) for decision, a, b in decided if decision == "different_person"],
    )
