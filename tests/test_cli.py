"""The `lead-factory` command: every verb is there, says what it does and shows an example."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from lead_factory.cli import main
from lead_factory.pipeline import DEFAULT_TARGET, dbt_command, dbt_env
from lead_factory.project import PROJECT_DIR

VERBS = ("land", "enrich", "build", "dbt", "run", "demo", "publish", "restore", "chaos", "metrics",
         "queue", "review-sample", "train", "benchmark", "generate", "summary", "docs",
         "codegen")  # fmt: skip


def test_every_verb_is_listed_by_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    lines = result.output.split("Commands:")[1].splitlines()
    listed = {line.split()[0] for line in lines if line.strip() and not line.startswith("   ")}  # not a wrap
    assert listed == set(VERBS)


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_has_help_with_an_example(verb: str) -> None:
    result = CliRunner().invoke(main, [verb, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output and f"lead-factory {verb}" in result.output.split("Example:")[1]


def test_the_installed_command_runs_and_rejects_an_unknown_verb() -> None:
    command = Path(sys.executable).parent / "lead-factory"
    assert subprocess.run([command, "--help"], capture_output=True, check=False).returncode == 0
    unknown = subprocess.run([command, "frobnicate"], capture_output=True, text=True, check=False)
    assert unknown.returncode == 2 and "No such command 'frobnicate'" in unknown.stderr


def test_summary_without_a_warehouse_says_what_to_run(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["summary", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "run `lead-factory land` and `lead-factory build` first" in result.output


def test_queue_without_a_serving_copy_or_its_marts_says_what_to_run(tmp_path: Path) -> None:
    out = tmp_path / "queue.csv"
    arguments = ["queue", "--owner-team", "sales_ops", "--out", str(out), "--db", str(tmp_path / "lf.duckdb")]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 1
    assert result.output == (
        f"error: no serving copy at {tmp_path / 'serving.duckdb'}: "
        "run `lead-factory run` or `lead-factory publish` first\n"
    )
    with duckdb.connect(str(tmp_path / "serving.duckdb")) as con:  # a copy published before the queue's marts
        con.execute("create schema marts; create table marts.fct_remediation_queue (case_id varchar)")
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 1 and "has no marts.fct_quarantined_items" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "serving.duckdb"]


def test_dbt_runs_like_a_bare_dbt_from_the_project_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """So switching between `lead-factory`, `make` and a bare `dbt` keeps dbt's partial parsing:
    the default target is not named and the default warehouse is not set in the environment."""
    monkeypatch.delenv("LEAD_FACTORY_DB", raising=False)
    command = dbt_command(["build"], DEFAULT_TARGET)
    assert "--target" not in command and command[-1] == "--no-use-colors"  # pytest's output is no terminal
    assert "LEAD_FACTORY_DB" not in dbt_env(PROJECT_DIR / "data/warehouse/lead_factory.duckdb")
    elsewhere = Path("/tmp/other.duckdb")
    assert dbt_env(elsewhere)["LEAD_FACTORY_DB"] == str(elsewhere)
    assert dbt_command(["build"], "test")[-2:] == ["--target", "test"]
