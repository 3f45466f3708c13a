"""Conventions kept by tests: generated files in sync with their declarations, the docs-coverage
checker. (ruff, sqlfluff and mypy run as their own step: `make lint`.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from lead_factory.cli.develop import GENERATORS, copy_inputs, stale_files
from lead_factory.conventions import check
from lead_factory.project import PROJECT_DIR


@pytest.mark.parametrize("generated", sorted(GENERATORS))
def test_generated_files_are_current(generated: str) -> None:
    """The dbt sources, the reference seeds and the rules page are what their generators write
    from the one declaration (the landing contract, the pinned packages, dbt_project.yml)."""
    assert stale_files([generated]) == [], f"run `lead-factory codegen {generated}`"


def test_a_stale_generated_file_is_found(tmp_path: Path) -> None:
    """The check is not decorative: a changed rule makes the committed rules page stale."""
    copy_inputs(PROJECT_DIR, tmp_path)
    declaration = tmp_path / "dbt_project.yml"
    declaration.write_text(
        declaration.read_text(encoding="utf-8").replace("sla_days: 5", "sla_days: 6", 1), encoding="utf-8"
    )
    assert stale_files(["rules-docs"], tmp_path) == [Path("docs/minimum_viable_lead.md")]


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
