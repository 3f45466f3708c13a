"""The main job's runs: a ledger in ``raw.factory_runs`` and the clock each run's work is stamped with.

Every run of the main job (``lead-factory run`` or ``demo``) is on record from its start: when it
started, how far it got (its stage), how it ended. A run killed outright (SIGKILL, a power cut)
stays ``running`` in the ledger, one stopped by Ctrl-C is ``interrupted``, one whose step failed is
``failed``; the next main job *resumes* it: it takes over the run's id and its clock, and runs
every step again (or, when it lands nothing new, the steps the earlier attempt did not complete). Each step is
idempotent for one clock (landing skips what it landed, enrichment reuses the answers it saved,
each incremental model and snapshot recomputes the same rows from the same inputs), so a resumed
run ends in the same warehouse as a run that was never interrupted.

The clock is the moment the run started. Everything the run stamps with a time (landing's
``loaded_at`` and batch id, the enrichment cache's ``requested_at``, every time a dbt model records
with ``build_started_at()``, the snapshots' validity) uses it, passed to dbt as the var
``factory_run_started_at``. ``$LEAD_FACTORY_CLOCK`` (an ISO 8601 time, UTC unless it says otherwise)
fixes it, to replay a day or to compare two warehouses built from the same files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import yaml

from lead_factory.landing.kinds import Column, Table
from lead_factory.tables import ensure_tables

SCHEMA = "raw"
RUNS_TABLE = "factory_runs"
CLOCK_ENV = "LEAD_FACTORY_CLOCK"
CLOCK_VAR = "factory_run_started_at"
"""The dbt var the clock is passed in (read by the macro build_started_at)."""

STAGES: tuple[str, ...] = (
    "started",
    "landed",
    "enriched",
    "built",
    "erased",
    "published",
    "documented",
    "finished",
)
"""The steps of the main job, in order; a run's stage is the last one it completed."""

RESUMABLE = ("running", "interrupted", "failed")
"""Statuses of a run the next main job takes over: every run that did not finish (killed outright,
stopped by Ctrl-C, or failed: fix the cause and run again)."""

RUN_TABLES: dict[str, Table] = {
    RUNS_TABLE: Table(
        "One row per run of the main job (lead-factory run or demo): when it started (its clock), how "
        "far it got and how it ended. A run that was killed is resumed by the next one, with the same "
        "id and clock.",
        (
            Column(
                "run_id", "Run id: the run's clock as UTC time (the clock only moves forward). Primary key."
            ),
            Column(
                "started_at",
                "The run's clock: when it first started (UTC). Every time the run records uses it, "
                "also when it is resumed.",
                data_type="timestamp",
            ),
            Column("verb", "The command that started it: run or demo."),
            Column("stage", "The last step it completed: " + ", ".join(STAGES) + "."),
            Column(
                "status",
                "running (or killed outright), interrupted (Ctrl-C) or failed (a step failed, with why): "
                "the next run resumes it; or succeeded.",
            ),
            Column(
                "attempts", "How many times it was started: 1, plus one per resumption.", data_type="integer"
            ),
            Column(
                "last_attempt_at", "When its latest attempt began (UTC, wall clock).", data_type="timestamp"
            ),
            Column(
                "finished_at", "When it ended (UTC, wall clock); null while running.", data_type="timestamp"
            ),
            Column("dbt_vars", "The dbt vars the run was given (YAML), if any."),
            Column("failure", "Why it failed, when it failed."),
        ),
        primary_key="run_id",
    )
}


class RunError(Exception):
    """The clock given in $LEAD_FACTORY_CLOCK cannot be read."""


@dataclass(frozen=True)
class Run:
    """A run of the main job: its id, its clock and whether it resumes an earlier attempt."""

    run_id: str
    clock: datetime
    """When the run started (timezone-aware, UTC)."""
    attempt: int = 1
    resumed_stage: str | None = None
    """When resumed: the stage the earlier attempt had completed."""

    @property
    def clock_text(self) -> str:
        """The clock as dbt's var and DuckDB's timestamp literal want it (UTC, no offset)."""
        return self.clock.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")

    def dbt_vars(self, given: str | None) -> str:
        """The dbt --vars YAML of the run: the vars given, plus the clock."""
        variables = yaml.safe_load(given) if given else {}
        if not isinstance(variables, dict):
            variables = {}
        return yaml.safe_dump({**variables, CLOCK_VAR: self.clock_text}, default_flow_style=True).strip()

    def completed(self, unless: bool = False) -> frozenset[str]:
        """The stages an earlier attempt of this run completed (none for a new run, or ``unless``:
        when this attempt landed new files, every step runs again)."""
        if self.resumed_stage is None or unless:
            return frozenset()
        return frozenset(STAGES[: STAGES.index(self.resumed_stage) + 1])

    def line(self) -> str:
        if self.resumed_stage is None:
            return f"run {self.run_id} (clock {self.clock_text} UTC)"
        return (
            f"run {self.run_id} resumed (attempt {self.attempt}; the last attempt was stopped after "
            f"'{self.resumed_stage}'; clock kept at {self.clock_text} UTC)"
        )


def clock_now() -> datetime:
    """The clock for a new run: $LEAD_FACTORY_CLOCK when set, else now (UTC)."""
    given = os.environ.get(CLOCK_ENV, "").strip()
    if not given:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(given.replace("Z", "+00:00"))
    except ValueError as error:
        raise RunError(
            f"{CLOCK_ENV}={given!r} is not an ISO 8601 time (e.g. 2026-12-01T06:00:00Z)"
        ) from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path))
    ensure_tables(con, SCHEMA, RUN_TABLES)
    return con


def _wall() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def begin(db_path: Path, verb: str, dbt_vars: str | None = None) -> Run:
    """Start a run of the main job: resume the last run when it was killed or interrupted (same
    id and clock), else record a new one. The caller holds the warehouse's lock."""
    con = _connect(db_path)
    try:
        pending = con.execute(
            f"select run_id, started_at, stage, attempts from {SCHEMA}.{RUNS_TABLE} "
            "where list_contains(?::varchar[], status) order by started_at desc limit 1",
            [list(RESUMABLE)],
        ).fetchall()
        if pending:
            run_id, started_at, stage, attempts = pending[0]
            con.execute(
                f"update {SCHEMA}.{RUNS_TABLE} set status = 'running', attempts = attempts + 1, "
                "last_attempt_at = ?, dbt_vars = ? where run_id = ?",
                [_wall(), dbt_vars, run_id],
            )
            return Run(run_id, started_at.replace(tzinfo=UTC), attempts + 1, stage)
        clock = clock_now()
        last = con.execute(f"select max(started_at) from {SCHEMA}.{RUNS_TABLE}").fetchall()[0][0]
        if last is not None and clock.replace(tzinfo=None) <= last:
            raise RunError(
                f"the run's clock {clock:%Y-%m-%d %H:%M:%S.%f} UTC is not after the last run's ({last}): "
                f"each run records its changes at its clock, so the clock must move forward "
                f"(check {CLOCK_ENV} or the system clock)"
            )
        run = Run(f"{clock:%Y%m%dT%H%M%S%fZ}", clock)
        con.execute(
            f"insert into {SCHEMA}.{RUNS_TABLE} by name select ? as run_id, ? as started_at, ? as verb, "
            "'started' as stage, 'running' as status, 1 as attempts, ? as last_attempt_at, ? as dbt_vars",
            [run.run_id, run.clock.replace(tzinfo=None), verb, _wall(), dbt_vars],
        )
        return run
    finally:
        con.close()


def mark(db_path: Path, run: Run, stage: str) -> None:
    """Record that the run completed ``stage`` (one of STAGES); a run's stage only moves forward."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    con = _connect(db_path)
    try:
        con.execute(
            f"update {SCHEMA}.{RUNS_TABLE} set stage = ? where run_id = ? "
            "and list_position(?::varchar[], stage) < list_position(?::varchar[], ?)",
            [stage, run.run_id, list(STAGES), list(STAGES), stage],
        )
    finally:
        con.close()


def end(db_path: Path, run: Run, status: str, failure: str | None = None) -> None:
    """Record how the run ended: succeeded, failed (with why) or interrupted."""
    con = _connect(db_path)
    try:
        con.execute(
            f"update {SCHEMA}.{RUNS_TABLE} set status = ?, finished_at = ?, failure = ?, "
            "stage = case when ? = 'succeeded' then 'finished' else stage end where run_id = ?",
            [status, _wall(), failure, status, run.run_id],
        )
    finally:
        con.close()
