"""From scored pairs to people: connected components over accepted links, with a stable person id.

A link is accepted when its match probability reaches the threshold. Each group of records joined
by accepted links is one person; the person's id is the record id of its earliest-arrived record
(ties broken by record id), so a record joining later keeps the person's id, and when two people
merge the older id survives.
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


def _sort_key(arrived_at: object, record_id: str) -> tuple[object, str]:
    # Records without an arrival time sort last (after every real time).
    return (arrived_at is None, arrived_at or 0, record_id)  # type: ignore[return-value]


def cluster_records(
    records: pa.Table, pairs: pa.Table, threshold: float, links: Iterable[tuple[str, str]] = ()
) -> pa.Table:
    """One row per record: its person_id and the size of its person's cluster.

    ``records`` has record_id and arrived_at; ``pairs`` has record_id_l, record_id_r and
    match_probability. ``links`` are extra pairs to join whatever their score (reviewer decisions).
    """
    ids = records.column("record_id").to_pylist()
    arrived = records.column("arrived_at").to_pylist()
    order = {rid: _sort_key(at, rid) for rid, at in zip(ids, arrived, strict=True)}
    forest = _DisjointSet(order)
    accepted = pairs.filter(pc.greater_equal(pairs.column("match_probability"), threshold))
    for left, right in zip(
        accepted.column("record_id_l").to_pylist(), accepted.column("record_id_r").to_pylist(), strict=True
    ):
        forest.union(left, right)
    for left, right in links:
        if left in order and right in order:
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
