"""The history export's parts that need no build: which tables it holds, the content hash, the
export folder's atomic swap, and the run ledger's clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from lead_factory import runs
from lead_factory.history import BUILT_HISTORY, export_history, latest_export, table_hash
from lead_factory.project import PROJECT_DIR


def test_every_table_dbt_never_rebuilds_is_exported() -> None:
    """A model kept across --full-refresh, or a snapshot, holds history: the export must carry it."""
    kept = {
        path.stem
        for path in (PROJECT_DIR / "models").rglob("*.sql")
        if re.search(r"full_refresh\s*=\s*false", path.read_text(encoding="utf-8"))
    }
    snapshots = {
        name
        for path in (PROJECT_DIR / "snapshots").glob("*.yml")
        for name in re.findall(r"^\s*- name: (snp_\w+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert {table.split(".")[1] for table in BUILT_HISTORY} == kept | snapshots


def test_the_content_hash_ignores_row_order_and_sees_every_value() -> None:
    con = duckdb.connect()
    con.execute("create schema s")
    con.execute("create table s.a as select * from (values (1, 'x'), (2, null)) as t(n, v)")
    con.execute("create table s.b as select * from (values (2, null), (1, 'x')) as t(n, v)")
    con.execute("create table s.c as select * from (values (2, ''), (1, 'x')) as t(n, v)")
    assert table_hash(con, "s.a") == table_hash(con, "s.b")
    assert table_hash(con, "s.a") != table_hash(con, "s.c")  # null is not the empty string
    assert table_hash(con, "s.a", exclude=("v",)) == table_hash(con, "s.c", exclude=("v",))


def test_an_export_replaces_the_last_one_in_one_step(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.landed_files as select 'a.csv' as file_path")
    serving = tmp_path / "serving.duckdb"
    first = export_history(db, serving, "run-1", datetime(2026, 12, 1, tzinfo=UTC))
    second = export_history(db, serving, "run-2", datetime(2026, 12, 2, tzinfo=UTC))

    assert latest_export(serving.parent / "history").folder == second.folder
    assert not first.folder.exists()  # an older export may hold data erased since
    assert second.manifest["tables"]["raw.landed_files"]["rows"] == 1
    assert sorted(p.name for p in (serving.parent / "history").iterdir()) == ["LATEST", "run-2"]


def test_the_clock_moves_forward_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv(runs.CLOCK_ENV, "2026-12-01T06:00:00Z")
    run = runs.begin(db, "run")
    assert run.clock_text == "2026-12-01 06:00:00.000000"
    assert "factory_run_started_at: '2026-12-01 06:00:00.000000'" in run.dbt_vars("{lifecycle_as_of: x}")
    runs.end(db, run, "succeeded")
    with pytest.raises(runs.RunError, match="not after the last run's"):
        runs.begin(db, "run")
    monkeypatch.setenv(runs.CLOCK_ENV, "yesterday")
    with pytest.raises(runs.RunError, match="not an ISO 8601 time"):
        runs.begin(db, "run")


def test_a_killed_run_is_resumed_with_its_id_and_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv(runs.CLOCK_ENV, "2026-12-01T06:00:00Z")
    killed = runs.begin(db, "run")
    runs.mark(db, killed, "enriched")  # ... and then nothing: killed outright
    monkeypatch.setenv(runs.CLOCK_ENV, "2026-12-01T09:00:00Z")

    resumed = runs.begin(db, "run")

    assert (resumed.run_id, resumed.clock, resumed.attempt) == (killed.run_id, killed.clock, 2)
    assert "resumed" in resumed.line() and "'enriched'" in resumed.line()
    runs.end(db, resumed, "interrupted")  # Ctrl-C: resumed too
    assert runs.begin(db, "run").attempt == 3


def test_a_runs_stage_only_moves_forward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv(runs.CLOCK_ENV, "2026-12-01T06:00:00Z")
    run = runs.begin(db, "run")
    runs.mark(db, run, "built")
    runs.mark(db, run, "landed")  # a resumed attempt lands again: the run got further than that
    resumed = runs.begin(db, "run")
    assert resumed.resumed_stage == "built"
    assert resumed.completed() == {"started", "landed", "enriched", "built"}
    assert resumed.completed(unless=True) == frozenset()


def test_a_failed_run_is_resumed_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv(runs.CLOCK_ENV, "2026-12-01T06:00:00Z")
    failed = runs.begin(db, "run")
    runs.mark(db, failed, "enriched")
    runs.end(db, failed, "failed", "dbt build failed")

    again = runs.begin(db, "run")

    assert (again.run_id, again.attempt, again.resumed_stage) == (failed.run_id, 2, "enriched")


def test_ctrl_c_inside_a_query_counts_as_an_interruption() -> None:
    from lead_factory.landing.loader import LandingError
    from lead_factory.pipeline import _interrupted

    try:
        try:
            raise duckdb.InterruptException("Query interrupted")
        except duckdb.Error as error:
            raise LandingError("database error: Query interrupted") from error
    except LandingError as wrapped:
        assert _interrupted(wrapped)
    assert not _interrupted(LandingError("a file is missing"))
