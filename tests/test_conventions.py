"""Conventions enforced by tools: ruff, sqlfluff, generated files in sync, the docs-coverage checker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from lead_factory import standard
from lead_factory.conventions import check
from lead_factory.landing.dbt_sources import render, source_documents
from lead_factory.project import project_vars
from lead_factory.reference import write_reference_seeds

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_passes() -> None:
    result = _run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    result = _run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_sqlfluff_passes() -> None:
    result = _run(str(BIN / "sqlfluff"), "lint", "models", "analyses")
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def test_sources_yml_is_generated_from_the_landing_contract() -> None:
    for source, document in source_documents().items():
        path = ROOT / "models" / "staging" / source / f"_{source}__sources.yml"
        assert path.read_text(encoding="utf-8") == render(document), (
            f"{path} is out of date: run python scripts/generate_sources_yml.py"
        )


def test_the_rules_page_is_generated_from_the_declaration() -> None:
    path = ROOT / standard.DOCS_FILE
    assert path.read_text(encoding="utf-8") == standard.render(project_vars(ROOT)), (
        f"{path} is out of date: run python scripts/generate_standard_docs.py"
    )


def test_reference_seeds_match_the_pinned_packages(tmp_path: Path) -> None:
    write_reference_seeds(tmp_path)
    for generated in tmp_path.iterdir():
        committed = ROOT / "seeds" / "reference" / generated.name
        assert committed.read_text(encoding="utf-8") == generated.read_text(encoding="utf-8"), (
            f"{committed} is out of date: run python scripts/generate_reference_seeds.py"
        )


def _manifest() -> tuple[dict, dict]:
    model = {
        "resource_type": "model",
        "package_name": "lead_factory",
        "unique_id": "model.lead_factory.m",
        "description": "Things. One row per thing.",
        "columns": {"thing_id": {"description": "Id.", "constraints": []}},
    }
    tests = {
        f"test.lead_factory.{name}": {
            "resource_type": "test",
            "package_name": "lead_factory",
            "test_metadata": {"name": name, "kwargs": {"column_name": "thing_id"}},
            "attached_node": "model.lead_factory.m",
        }
        for name in ("unique", "not_null")
    }
    macro = {
        "package_name": "lead_factory",
        "unique_id": "macro.lead_factory.f",
        "description": "Does f.",
        "arguments": [{"name": "expr", "description": "The input."}],
        "macro_sql": "{% macro f(expr) %}{{ expr }}{% endmacro %}",
    }
    manifest = {
        "nodes": {"model.lead_factory.m": model, **tests},
        "sources": {},
        "macros": {"macro.lead_factory.f": macro},
    }
    catalog = {"nodes": {"model.lead_factory.m": {"columns": {"THING_ID": {}}}}, "sources": {}}
    return manifest, catalog


def test_docs_checker_accepts_a_documented_project() -> None:
    manifest, catalog = _manifest()
    assert check(manifest, catalog).problems == []


def test_docs_checker_finds_each_kind_of_gap() -> None:
    manifest, catalog = _manifest()
    catalog["nodes"]["model.lead_factory.m"]["columns"]["extra"] = {}
    manifest["nodes"]["model.lead_factory.m"]["description"] = "Things."
    del manifest["nodes"]["test.lead_factory.not_null"]
    manifest["macros"]["macro.lead_factory.f"]["arguments"] = []
    problems = check(manifest, catalog).problems
    assert problems == [
        "model.lead_factory.m: description does not state its grain ('One row per ...')",
        "model.lead_factory.m: no primary-key test (unique + not_null on one column)",
        "model.lead_factory.m: column extra has no description",
        "macro.lead_factory.f: argument expr is not documented",
    ]
