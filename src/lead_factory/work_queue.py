"""An owner team's work queue, for the people who work it in a spreadsheet: its open remediation
cases (``marts.fct_remediation_queue``) and its open quarantined items
(``marts.fct_quarantined_items``) in one list, overdue first, then by priority and due date.

Read from the serving copy, opened read-only (readers never open the warehouse, which a build may
hold), and written as spreadsheet-safe CSV (:mod:`lead_factory.csv_export`): a formula planted in
a lead's name or a landed row comes out as text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import duckdb

from lead_factory.csv_export import write_csv
from lead_factory.serving import open_serving_copy

TEAMS = ("marketing_ops", "sales_ops", "data_ops")
"""The owner teams (the Minimum Viable Lead's and the quarantine types' owner_team values)."""
ALL_TEAMS = "all"
PARTS = ("cases", "quarantine")
"""What a queue holds: remediation cases, quarantined items."""
PRIORITIES = ("P1", "P2", "P3")

COLUMNS: tuple[str, ...] = (
    "queue",
    "work_id",
    "owner_team",
    "priority",
    "is_overdue",
    "sla_due_at",
    "age_days",
    "opened_at",
    "problem",
    "reason",
    "suggested_fix",
    "record_id",
    "first_name",
    "last_name",
    "email",
    "company_name",
    "country_code",
    "door",
    "source_file_path",
    "source_line_number",
    "detail",
)
"""The export's columns: one layout for cases and quarantined items, so one sheet sorts and filters
both. ``queue`` says which a row is; ``problem`` is the rule a case's record fails or the item's
type; ``door`` the record's source system or the item's landing kind."""

_CASES = """
select
    'remediation_case' as queue,
    case_id as work_id,
    owner_team,
    priority,
    is_overdue,
    sla_due_at,
    age_days,
    opened_at,
    rule_name as problem,
    'fails the ' || rule_name || ' rule (' || severity || ')' as reason,
    suggested_fix,
    record_id,
    first_name,
    last_name,
    email,
    company_name,
    country_code,
    source_system as door,
    null as source_file_path,
    null as source_line_number,
    source_detail as detail
from marts.fct_remediation_queue
"""

_ITEMS = """
select
    'quarantined_item' as queue,
    item_id as work_id,
    owner_team,
    priority,
    is_overdue,
    sla_due_at,
    age_days,
    first_seen_at as opened_at,
    item_type as problem,
    reason,
    suggested_fix,
    record_id,
    null as first_name,
    null as last_name,
    null as email,
    null as company_name,
    null as country_code,
    kind as door,
    source_file_path,
    source_line_number,
    item_detail as detail
from marts.fct_quarantined_items
where item_status = 'open'
"""

_REQUIRED_TABLES = {"cases": "fct_remediation_queue", "quarantine": "fct_quarantined_items"}


class QueueError(Exception):
    """The queue cannot be read (no serving copy, or one published before the queue's marts)."""


@dataclass
class QueueExport:
    """What one export wrote."""

    owner_team: str
    rows: int = 0
    by_queue: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    def line(self, destination: str) -> str:
        cases, items = self.by_queue.get("remediation_case", 0), self.by_queue.get("quarantined_item", 0)
        return (
            f"{self.owner_team}: {self.rows} rows ({cases} remediation cases, {items} quarantined items; "
            f"{self.overdue} overdue) written to {destination}"
        )


def queue_sql(
    parts: Sequence[str], owner_team: str, overdue_only: bool, priorities: Sequence[str]
) -> tuple[str, list[Any]]:
    """The query for a queue and its parameters: the chosen parts, filtered, in working order."""
    selects = [{"cases": _CASES, "quarantine": _ITEMS}[part] for part in PARTS if part in parts]
    conditions: list[str] = []
    parameters: list[Any] = []
    if owner_team != ALL_TEAMS:
        conditions.append("owner_team = ?")
        parameters.append(owner_team)
    if overdue_only:
        conditions.append("is_overdue")
    if priorities:
        conditions.append(f"priority in ({', '.join('?' for _ in priorities)})")
        parameters.extend(priorities)
    where = ("where " + " and ".join(conditions)) if conditions else ""
    sql = (
        "select * from ("
        + " union all ".join(selects)
        + f") as work {where} "
        + "order by coalesce(is_overdue, false) desc, priority nulls last, sla_due_at nulls last, work_id"
    )
    return sql, parameters


def export_queue(
    serving: Path,
    out: TextIO,
    owner_team: str,
    parts: Sequence[str] = PARTS,
    overdue_only: bool = False,
    priorities: Sequence[str] = (),
) -> QueueExport:
    """Write an owner team's open work (or every team's, with owner_team "all") from the serving
    copy at ``serving`` to ``out`` as spreadsheet-safe CSV."""
    con = open_serving_copy(serving, QueueError)
    try:
        _check_tables(con, serving, parts)
        sql, parameters = queue_sql(parts, owner_team, overdue_only, priorities)
        cursor = con.execute(sql, parameters)
        export = QueueExport(owner_team)
        queue_at, overdue_at = COLUMNS.index("queue"), COLUMNS.index("is_overdue")

        def rows() -> Iterator[tuple[Any, ...]]:
            while batch := cursor.fetchmany(10_000):
                for row in batch:
                    export.by_queue[row[queue_at]] = export.by_queue.get(row[queue_at], 0) + 1
                    export.overdue += bool(row[overdue_at])
                    yield row

        export.rows = write_csv(out, COLUMNS, rows())
        return export
    finally:
        con.close()


def _check_tables(con: duckdb.DuckDBPyConnection, serving: Path, parts: Sequence[str]) -> None:
    present = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    }
    missing = [
        _REQUIRED_TABLES[part] for part in PARTS if part in parts and _REQUIRED_TABLES[part] not in present
    ]
    if missing:
        raise QueueError(
            f"the serving copy {serving} has no marts.{', marts.'.join(missing)}: "
            "build and publish again (`lead-factory run`)"
        )
