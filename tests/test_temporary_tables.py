"""No temporary table outlives its run: dbt's incremental materialisations leave
<model>__dbt_tmp<timestamp> tables behind, copies of the model's rows with names, emails and
phones; the factory drops them (the model's post-hook, and the project's on-run-end hook)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import LEAD_FACTORY, DemoWarehouse, query

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo")]

LEFTOVERS = (
    "select table_schema || '.' || table_name from information_schema.tables "
    "where table_name like '%dbt_tmp%'"
)


def test_an_incremental_build_leaves_no_temporary_table(
    demo_warehouse: DemoWarehouse, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_warehouse.db, copy)
    env = {**os.environ, "DBT_TARGET_PATH": str(tmp_path / "target")}
    command = [LEAD_FACTORY, "dbt", "--db", str(copy), "run", "-s", "int_person_pairs_scored"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "incremental" in result.stdout  # the incremental path, the one that makes a temporary table
    assert query(copy, LEFTOVERS) == []
    assert demo_warehouse.query(LEFTOVERS) == []
