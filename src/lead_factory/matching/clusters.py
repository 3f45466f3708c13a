"""From scored pairs to people: connected components over accepted links, with a stable person id.

A link is accepted when its match probability reaches the threshold. Each group of records joined
by accepted links is one person; the person's id is the record id of its earliest-arrived record
(ties broken by record id), so a record joining later keeps the person's id, and when two people
merge the older id survives.

Reviewers' decisions come first: pairs decided to be one person are joined whatever their score,
and links are taken strongest first, skipping any that would put two records decided to be
different people into one person.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc


class _DisjointSet:
    """Union-find over record ids, joining towards the earlier (arrived_at, record_id) root."""

    def __init__(self, order: dict[str, tuple[object, str]]) -> None:
        self.parent = {record_id: record_id for record_id in order}
        self.order = order
        self.apart: dict[str, set[str]] = {}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a == root_b:
            return
        if self.order[root_b] < self.order[root_a]:
            root_a, root_b = root_b, root_a
        self.parent[root_b] = root_a
        self.apart[root_a] = self.apart.pop(root_a, set()) | self.apart.pop(root_b, set())

    def keep_apart(self, a: str, b: str) -> None:
        """Never join the people of a and b (a reviewer decided they are different people)."""
        self.apart.setdefault(self.find(a), set()).add(b)
        self.apart.setdefault(self.find(b), set()).add(a)

    def may_union(self, a: str, b: str) -> bool:
        root_a, root_b = self.find(a), self.find(b)
        return not any(self.find(r) == root_b for r in self.apart.get(root_a, ())) and not any(
            self.find(r) == root_a for r in self.apart.get(root_b, ())
        )


def _sort_key(arrived_at: object, record_id: str) -> tuple[object, str]:
    # Records without an arrival time sort last (after every real time).
    return (arrived_at is None, arrived_at or 0, record_id)  # type: ignore[return-value]


def cluster_records(
    records: pa.Table,
    pairs: pa.Table,
    threshold: float,
    links: Iterable[tuple[str, str]] = (),
    apart: Iterable[tuple[str, str]] = (),
) -> pa.Table:
    """One row per record: its person_id and the size of its person's cluster.

    ``records`` has record_id and arrived_at; ``pairs`` has record_id_l, record_id_r and
    match_probability. ``links`` are pairs to join whatever their score and ``apart`` pairs never
    to put in one person (reviewers' decisions; a pair in both is kept apart).
    """
    ids = records.column("record_id").to_pylist()
    arrived = records.column("arrived_at").to_pylist()
    order = {rid: _sort_key(at, rid) for rid, at in zip(ids, arrived, strict=True)}
    forest = _DisjointSet(order)
    known = [(a, b) for a, b in apart if a in order and b in order]
    for left, right in known:
        forest.keep_apart(left, right)
    accepted = pairs.filter(pc.greater_equal(pairs.column("match_probability"), threshold)).sort_by(
        [("match_probability", "descending"), ("record_id_l", "ascending"), ("record_id_r", "ascending")]
    )
    kept_apart = {frozenset(pair) for pair in known}
    decided = [(a, b) for a, b in links if a in order and b in order and frozenset((a, b)) not in kept_apart]
    scored = zip(
        accepted.column("record_id_l").to_pylist(), accepted.column("record_id_r").to_pylist(), strict=True
    )
    for left, right in [*decided, *scored]:
        if left in order and right in order and forest.may_union(left, right):
            forest.union(left, right)
    person_ids = [forest.find(rid) for rid in ids]
    sizes: dict[str, int] = {}
    for person_id in person_ids:
        sizes[person_id] = sizes.get(person_id, 0) + 1
    return pa.table(
        {
            "record_id": pa.array(ids, pa.string()),
            "person_id": pa.array(["person:" + p for p in person_ids], pa.string()),
            "person_record_count": pa.array([sizes[p] for p in person_ids], pa.int64()),
        }
    )
