"""The serving copy: published after every green build, atomically, with the marts and nothing
else, readable by a BI tool at any moment (a build included); a failed build publishes nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from support import LEAD_FACTORY, DemoWarehouse

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo")]

READER = """
import json, sys, time
from pathlib import Path
import duckdb

serving, stop = sys.argv[1], Path(sys.argv[2])
polls, errors, seen = 0, [], {}
while not stop.exists():
    polls += 1
    try:
        con = duckdb.connect(serving, read_only=True)
        try:
            (publication,) = con.execute("select publication_id from publication.publications").fetchone()
            listed = con.execute(
                "select schema_name, table_name, row_count from publication.tables").fetchall()
            present = {t for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
            counts_match = all(
                con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] == n for s, t, n in listed
            )
            complete = counts_match and present == {t for _, t, _ in listed}
            seen.setdefault(publication, []).append(complete)
        finally:
            con.close()
    except Exception as error:
        errors.append(repr(error))
    time.sleep(0.05)
print(json.dumps({"polls": polls, "errors": errors[:5], "error_count": len(errors),
                  "seen": {k: [len(v), all(v)] for k, v in seen.items()}}))
"""


def serving_of(warehouse: DemoWarehouse) -> Path:
    return warehouse.db.with_name("serving.duckdb")


def publication_id(serving: Path) -> str:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        (found,) = con.execute("select publication_id from publication.publications").fetchone() or ("",)
        return str(found)
    finally:
        con.close()


def marts_of(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        query = (
            "select table_name from duckdb_tables() where schema_name = 'marts' union all "
            "select view_name from duckdb_views() where schema_name = 'marts' and not internal order by 1"
        )
        tables = [t for (t,) in con.execute(query).fetchall()]
        return {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def test_the_serving_copy_holds_the_marts_and_nothing_else(demo_warehouse: DemoWarehouse) -> None:
    serving = serving_of(demo_warehouse)
    con = duckdb.connect(str(serving), read_only=True)
    try:
        schemas = {s for (s,) in con.execute("select distinct schema_name from duckdb_tables()").fetchall()}
        listed = {
            t: n
            for _, t, n in con.execute("select * exclude (publication_id) from publication.tables").fetchall()
        }
        (comment,) = con.execute(
            "select comment from duckdb_tables() where table_name = 'dim_leads'"
        ).fetchone()
    finally:
        con.close()
    assert schemas == {"marts", "publication"}
    assert marts_of(serving) == marts_of(demo_warehouse.db) == listed
    assert "dim_leads" in listed and comment  # the docs travel with the tables


def test_a_reader_sees_only_complete_publications_during_a_build(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    """A BI tool polling the serving copy while the main job runs again never gets an error (no
    lock, no missing table) and sees the previous publication, then the new one, each whole."""
    serving = serving_of(demo_warehouse)
    before = publication_id(serving)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(serving), str(stop)], stdout=subprocess.PIPE, text=True
    )
    try:
        time.sleep(1)
        rerun = demo_warehouse.run_demo()
        assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
        time.sleep(1)
    finally:
        stop.touch()
        output, _ = reader.communicate(timeout=60)
    report = json.loads(output)
    after = publication_id(serving)
    assert report["error_count"] == 0, report["errors"]
    assert after != before and {before, after} <= set(report["seen"]), report
    assert all(complete for _, complete in report["seen"].values()), report
    assert report["polls"] > 20


def test_a_failed_build_publishes_nothing(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    db, serving = tmp_path / "warehouse.duckdb", tmp_path / "serving.duckdb"
    shutil.copyfile(demo_warehouse.db, db)
    shutil.copyfile(serving_of(demo_warehouse), serving)
    digest = hashlib.sha256(serving.read_bytes()).hexdigest()
    env = {**demo_warehouse.env, "DBT_TARGET_PATH": str(tmp_path / "target")}
    command = [LEAD_FACTORY, "run", "--landing-dir", str(demo_warehouse.landing), "--db", str(db)]
    failed = subprocess.run(
        [*command, "--serving-db", str(serving), "--vars", "{person_match_threshold: 2}"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert failed.returncode != 0 and "person_match_threshold is '2'" in failed.stdout
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == digest
    assert not list(tmp_path.glob(".serving.duckdb.*"))  # no half-written copy left behind
