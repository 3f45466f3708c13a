"""The enrichment cache and run log in the warehouse's ``raw`` schema: declared once, append-only.

``raw.enrichment_cache`` holds one row per answer a provider gave (hit, miss, error, malformed);
``raw.enrichment_runs`` one row per run of the step. :data:`ENRICHMENT_TABLES` declares both
(column names and descriptions, in the shape of the landing bookkeeping tables of ``landing.kinds``) so dbt
source YAML can be generated from it; the DDL below is derived from the same declaration.

A cached answer is *fresh* when it is the latest hit or miss for (provider, request_type,
lookup_key) requested within the TTL; errors and malformed answers are never fresh.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa

from lead_factory.enrichment.providers import Answer
from lead_factory.landing.kinds import Column

SCHEMA = "raw"
CACHE_TABLE = "enrichment_cache"
RUNS_TABLE = "enrichment_runs"

CACHE_COLUMNS: tuple[Column, ...] = (
    Column("response_id", "Id of the answer (a random UUID). Primary key."),
    Column("run_id", "The enrichment run that asked (see enrichment_runs)."),
    Column("provider", "Provider that answered: offline_directory, http_api, ..."),
    Column("request_type", "What was asked: company_by_domain or person_by_email."),
    Column("lookup_key", "The lower-case domain or email asked about.", pii="contact"),
    Column("status", "hit (found), miss (unknown to the provider), error (no usable answer) or malformed."),
    Column(
        "http_status", "HTTP status of the last attempt (HTTP providers); null otherwise or on a timeout."
    ),
    Column("attempts", "Attempts made for this answer (retries included)."),
    Column("reason", "Why an answer is an error or malformed; never contains a credential."),
    Column(
        "payload",
        "The normalised answer as JSON, for hits only. Companies: name, domain, country, city, "
        "industry, employee_count; people: given_name, family_name, title, company_name, "
        "company_domain, country, city.",
        pii="contact",
    ),
    Column(
        "raw_body",
        "The body of a malformed answer (first 10,000 characters), kept for inspection.",
        pii="sensitive",
    ),
    Column("requested_at", "When the answer was received (UTC)."),
    Column("elapsed_ms", "Milliseconds the lookup took, retries and waits included."),
)

RUN_COLUMNS: tuple[Column, ...] = (
    Column("run_id", "Run id (sortable: UTC start time and a random suffix). Primary key."),
    Column("started_at", "When the run started (UTC)."),
    Column(
        "finished_at",
        "When the run ended, finished or interrupted (UTC); null when it was killed outright (SIGKILL).",
    ),
    Column("providers", "Providers asked, in waterfall order, comma-separated."),
    Column("ttl_days", "Days a hit or miss stays fresh: within it the same key is not asked again."),
    Column("requests", "Distinct requests considered."),
    Column("from_cache", "Answers reused from fresh cache rows (calls saved)."),
    Column("calls", "Provider lookups made (calls = hits + misses + failed + malformed)."),
    Column("hits", "Calls answered with a hit."),
    Column("misses", "Calls answered with a miss."),
    Column("failed", "Calls that ended in an error."),
    Column("malformed", "Calls answered with a malformed answer."),
    Column(
        "interrupted",
        "True when the run was interrupted, crashed or killed (so written at its start); "
        "its answers so far are kept.",
    ),
)

SQL_TYPES: dict[str, dict[str, str]] = {
    CACHE_TABLE: {
        "response_id": "varchar",
        "run_id": "varchar",
        "provider": "varchar",
        "request_type": "varchar",
        "lookup_key": "varchar",
        "status": "varchar",
        "http_status": "integer",
        "attempts": "integer",
        "reason": "varchar",
        "payload": "json",
        "raw_body": "varchar",
        "requested_at": "timestamp",
        "elapsed_ms": "double",
    },
    RUNS_TABLE: {
        "run_id": "varchar",
        "started_at": "timestamp",
        "finished_at": "timestamp",
        "providers": "varchar",
        "ttl_days": "integer",
        "requests": "bigint",
        "from_cache": "bigint",
        "calls": "bigint",
        "hits": "bigint",
        "misses": "bigint",
        "failed": "bigint",
        "malformed": "bigint",
        "interrupted": "boolean",
    },
}

ENRICHMENT_TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    CACHE_TABLE: (
        "One row per answer an enrichment provider gave (hit, miss, error or malformed), appended as "
        "received. The latest hit or miss per provider, request type and key within the TTL is reused.",
        CACHE_COLUMNS,
    ),
    RUNS_TABLE: ("One row per run of the enrichment step, with what it asked and got.", RUN_COLUMNS),
}
"""The cache and run tables: description and columns, for dbt source YAML (raw schema)."""

assert list(SQL_TYPES[CACHE_TABLE]) == [c.name for c in CACHE_COLUMNS]
assert list(SQL_TYPES[RUNS_TABLE]) == [c.name for c in RUN_COLUMNS]

_ARROW_TYPES = {
    "varchar": pa.string(),
    "json": pa.string(),
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "double": pa.float64(),
    "timestamp": pa.timestamp("us"),
    "boolean": pa.bool_(),
}


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema and the cache and run tables if missing (never alters existing rows)."""
    con.execute(f"create schema if not exists {SCHEMA}")
    for table, types in SQL_TYPES.items():
        columns = ",\n    ".join(f"{name} {sql_type}" for name, sql_type in types.items())
        con.execute(f"create table if not exists {SCHEMA}.{table} (\n    {columns}\n)")


def fresh_answers(
    con: duckdb.DuckDBPyConnection,
    providers: Sequence[str],
    now: datetime,
    ttl_days: float,
    requests_table: str | None = None,
) -> dict[tuple[str, str, str], str]:
    """Fresh cached answers: (provider, request_type, lookup_key) → ``hit`` or ``miss``.

    The latest hit or miss of each key requested after ``now - ttl_days``; limited to the keys in
    ``requests_table`` when given (so a big cache is not read whole).
    """
    if not providers or ttl_days <= 0:
        return {}
    restrict = (
        f"semi join {requests_table} as requests using (request_type, lookup_key)" if requests_table else ""
    )
    rows = con.execute(
        f"""
        select cache.provider, cache.request_type, cache.lookup_key, cache.status
        from {SCHEMA}.{CACHE_TABLE} as cache
        {restrict}
        where cache.status in ('hit', 'miss')
            and cache.requested_at > ?
            and list_contains(?, cache.provider)
        qualify row_number() over (
            partition by cache.provider, cache.request_type, cache.lookup_key
            order by cache.requested_at desc, cache.response_id
        ) = 1
        """,
        [now - timedelta(days=ttl_days), list(providers)],
    ).fetchall()
    return {(provider, kind, key): status for provider, kind, key, status in rows}


@dataclass(frozen=True)
class CacheRow:
    """One answer as stored: who was asked what, when, and what they said."""

    response_id: str
    run_id: str
    provider: str
    request_type: str
    lookup_key: str
    answer: Answer
    requested_at: datetime
    elapsed_ms: float

    def values(self) -> dict[str, Any]:
        """The row's values by cache column name."""
        answer = self.answer
        payload = (
            json.dumps(answer.payload, sort_keys=True, ensure_ascii=False) if answer.status == "hit" else None
        )
        return {
            "response_id": self.response_id,
            "run_id": self.run_id,
            "provider": self.provider,
            "request_type": self.request_type,
            "lookup_key": self.lookup_key,
            "status": answer.status,
            "http_status": answer.http_status,
            "attempts": answer.attempts,
            "reason": answer.reason,
            "payload": payload,
            "raw_body": answer.raw_body,
            "requested_at": self.requested_at,
            "elapsed_ms": self.elapsed_ms,
        }


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Append rows to a raw table in one statement (one transaction), through Arrow."""
    types = SQL_TYPES[table]
    records = list(rows)
    if not records:
        return
    arrays = {name: pa.array([r[name] for r in records], _ARROW_TYPES[t]) for name, t in types.items()}
    batch = pa.table(arrays)
    view = f"_lf_enrichment_{table}_batch"
    con.register(view, batch)
    try:
        con.execute(f"insert into {SCHEMA}.{table} ({', '.join(types)}) select * from {view}")
    finally:
        con.unregister(view)


class CacheWriter:
    """Appends answers to ``raw.enrichment_cache``, committing every ``flush_every`` answers, and
    at once an answer added with ``save_now`` (one that cost a call to another system), so a run
    killed outright loses none of those.

    Call :meth:`flush` before giving up on a run (the step does, in a ``finally``), so an
    interrupted run keeps every answer it received.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, flush_every: int = 50) -> None:
        self._con = con
        self._flush_every = max(1, flush_every)
        self._pending: list[CacheRow] = []
        self.written = 0

    def add(self, row: CacheRow, save_now: bool = False) -> None:
        """Queue one answer; commits the queue when it reaches ``flush_every``, or with ``save_now``."""
        self._pending.append(row)
        if save_now or len(self._pending) >= self._flush_every:
            self.flush()

    def flush(self) -> None:
        """Commit the queued answers."""
        if self._pending:
            pending, self._pending = self._pending, []
            _insert(self._con, CACHE_TABLE, (row.values() for row in pending))
            self.written += len(pending)


def write_run(con: duckdb.DuckDBPyConnection, values: dict[str, Any]) -> None:
    """Write a run's row of ``raw.enrichment_runs`` (values by run column name), replacing the row
    the run wrote when it started, in one transaction."""
    con.execute("begin transaction")
    try:
        con.execute(f"delete from {SCHEMA}.{RUNS_TABLE} where run_id = ?", [values["run_id"]])
        _insert(con, RUNS_TABLE, [values])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
