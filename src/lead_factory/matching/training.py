"""Training the person-matching model on a warehouse's records, and describing what it learned."""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from lead_factory.matching import evaluation, people

RECORDS_SQL = "select * from intermediate.int_person_records_prepared"


def read_records(db_path: Path) -> pa.Table:
    """The prepared person records of a built warehouse."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.sql(RECORDS_SQL).to_arrow_table()
    except duckdb.CatalogException as error:
        raise people.MatchingModelError(
            f"{db_path} has no intermediate.int_person_records_prepared: "
            "run `dbt build -s +int_person_records_prepared` first"
        ) from error
    finally:
        con.close()


LABELLED_PAIRS_SQL = """
with gold as (
    select record_id, true_person_id from staging.stg_reviews__gold_labels
    where true_person_id is not null
),
gold_pairs as (
    select a.record_id as record_id_l, b.record_id as record_id_r
    from gold as a
    inner join gold as b on a.true_person_id = b.true_person_id and a.record_id < b.record_id
),
decided_pairs as (
    select
        least(record_id, other_record_id) as record_id_l,
        greatest(record_id, other_record_id) as record_id_r
    from staging.stg_reviews__match_decisions
    where decision = 'same_person'
)
select * from gold_pairs
union
select * from decided_pairs
"""
"""Pairs of records known to be one person: two records with one true person in the gold labels,
and pairs reviewers decided are the same person."""

GOLD_LABELS_SQL = "select record_id, true_person_id from staging.stg_reviews__gold_labels"


def read_labels(db_path: Path) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(pairs known to be one person, record_id → true person of the gold labels) of a built
    warehouse; empty when it has no labels or decisions (or their staging models were not built)."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        try:
            pairs = [(left, right) for left, right in con.execute(LABELLED_PAIRS_SQL).fetchall()]
        except duckdb.CatalogException:
            pairs = []
        try:
            gold = {record: person for record, person in con.execute(GOLD_LABELS_SQL).fetchall() if person}
        except duckdb.CatalogException:
            gold = {}
        return pairs, gold
    finally:
        con.close()


def read_truth_rows(truth_dir: Path) -> dict[str, dict[str, str]]:
    """record_id → the demo's truth/records.csv row (person_id, account_id ...)."""
    with (truth_dir / "records.csv").open(encoding="utf-8", newline="") as handle:
        return {row["record_id"]: row for row in csv.DictReader(handle)}


def read_truth(truth_dir: Path) -> dict[str, str]:
    """record_id → true person id, from a demo's truth/records.csv."""
    return {record_id: row["person_id"] for record_id, row in read_truth_rows(truth_dir).items()}


def weight_lines(model: dict[str, Any]) -> list[str]:
    """The learned match weight (log2 m/u) of every comparison level, as printable lines."""
    lines = [
        f"prior: probability two random records match = {model['probability_two_random_records_match']:.3g}"
    ]
    for comparison in model["comparisons"]:
        lines.append(f"{comparison['output_column_name']}:")
        for level in comparison["comparison_levels"]:
            label = level.get("label_for_charts") or level["sql_condition"]
            if level.get("is_null_level"):
                lines.append(f"  {label:<48} (ignored: a value is missing)")
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else float("nan")
            lines.append(f"  {label:<48} weight {weight:+7.2f}   m {m or 0:.4f}   u {u or 0:.6f}")
    return lines


def blocking_lines(records: pa.Table, rules: list[list[str]], truth: dict[str, str] | None) -> list[str]:
    recall, counts = evaluation.blocking_report(records, truth or {}, rules)
    lines = [f"blocking rule {rule:<40} {pairs:>12,} candidate pairs" for rule, pairs in counts]
    lines.append(
        f"all rules: {sum(p for _, p in counts):,} candidate pairs (before removing pairs two rules share)"
    )
    if truth:
        lines.append(f"blocking recall against the truth: {recall:.4f}")
    return lines
