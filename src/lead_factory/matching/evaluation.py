"""Scores matching against known answers (the demo generator's planted truth, or reviewer labels).

- Pairwise: every two records put in one person is a predicted pair; precision, recall and F1
  against the pairs that truly are one person.
- Cluster-level: a predicted person counts as right only when it holds exactly the records of one
  true person; precision over predicted people, recall over true people.
- Blocking recall: the share of true pairs that at least one blocking rule makes a candidate pair
  (a pair blocking misses can never be matched).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from lead_factory.matching.people import blocking_rule_sql


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairs(size: int) -> int:
    return size * (size - 1) // 2


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def pairwise_scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """Pairwise precision and recall of a clustering (record → cluster) against the truth."""
    both = Counter((predicted[r], truth[r]) for r in predicted)
    true_positive = sum(_pairs(n) for n in both.values())
    predicted_pairs = sum(_pairs(n) for n in Counter(predicted.values()).values())
    true_pairs = sum(_pairs(n) for n in Counter(truth[r] for r in predicted).values())
    return Scores(_ratio(true_positive, predicted_pairs), _ratio(true_positive, true_pairs))


def cluster_scores(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """Cluster-level precision and recall: the share of clusters that are exactly right."""

    def groups(assignment: Mapping[str, str]) -> set[frozenset[str]]:
        members: dict[str, set[str]] = {}
        for record, cluster in assignment.items():
            members.setdefault(cluster, set()).add(record)
        return {frozenset(m) for m in members.values()}

    predicted_groups = groups(predicted)
    true_groups = groups({r: truth[r] for r in predicted})
    exact = len(predicted_groups & true_groups)
    return Scores(_ratio(exact, len(predicted_groups)), _ratio(exact, len(true_groups)))


def blocking_report(
    records: pa.Table, truth: Mapping[str, str], blocking_rules: Sequence[Sequence[str]]
) -> tuple[float, list[tuple[str, int]]]:
    """(blocking recall over the true pairs, [(rule, candidate pairs it generates)])."""
    con = duckdb.connect()
    con.register("records", records)
    truth_table = pa.table({"record_id": list(truth), "true_id": list(truth.values())})
    con.register("truth", truth_table)
    con.execute(
        """
        create temp table true_pairs as
        select l.record_id as id_l, r.record_id as id_r
        from truth as l join truth as r on l.true_id = r.true_id and l.record_id < r.record_id
        where
            l.record_id in (select record_id from records)
            and r.record_id in (select record_id from records)
        """
    )
    any_rule = " or ".join(f"({blocking_rule_sql(rule)})" for rule in blocking_rules)
    found, total = con.execute(
        f"""
        select count(*) filter (where {any_rule}), count(*)
        from true_pairs
        join records as l on l.record_id = true_pairs.id_l
        join records as r on r.record_id = true_pairs.id_r
        """
    ).fetchall()[0]
    counts = []
    for rule in blocking_rules:
        columns = ", ".join(f'"{c}"' for c in rule)
        not_null = " and ".join(f'"{c}" is not null' for c in rule)
        (pairs,) = con.execute(
            f"select coalesce(sum(n * (n - 1) // 2), 0) from "
            f"(select count(*) as n from records where {not_null} group by {columns})"
        ).fetchall()[0]
        counts.append((" & ".join(rule), int(pairs)))
    con.close()
    return _ratio(found, total), counts
