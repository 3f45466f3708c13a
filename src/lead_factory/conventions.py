"""Checks the project's documentation conventions on dbt's artifacts (manifest.json and catalog.json):
every model, seed and source described, every model's and seed's grain stated ("One row per ..."),
every built column described (and no description for a column that does not exist), every model
with a primary-key test, every project macro described with its arguments.

``lead-factory docs`` prints the result after ``dbt docs generate``; the test suite
fails on any problem.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = "lead_factory"
GRAIN = re.compile(r"\bone row per\b", re.IGNORECASE)
UNIQUE_TESTS = {"unique", "expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"}
NOT_NULL_TESTS = {"not_null", "expect_column_values_to_not_be_null"}


@dataclass
class CoverageReport:
    problems: list[str] = field(default_factory=list)
    models: int = 0
    columns: int = 0
    macros: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _described(node: dict[str, Any]) -> bool:
    return bool((node.get("description") or "").strip())


def _primary_key_tests(manifest: dict[str, Any]) -> dict[str, dict[str, set[str]]]:
    """{model unique_id: {"unique": columns, "not_null": columns}} from the manifest's data tests."""
    found: dict[str, dict[str, set[str]]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        name = node["test_metadata"]["name"]
        kwargs = node["test_metadata"].get("kwargs", {})
        column = kwargs.get("column_name") or node.get("column_name")
        target = node.get("attached_node")
        if not target or not column:
            continue
        bucket = "unique" if name in UNIQUE_TESTS else "not_null" if name in NOT_NULL_TESTS else None
        if bucket:
            found.setdefault(target, {"unique": set(), "not_null": set()})[bucket].add(column)
    return found


def _has_primary_key_test(model: dict[str, Any], tests: dict[str, set[str]] | None) -> bool:
    """A unique test on a column that is also not null (by test or constraint), or on an expression."""
    if not tests:
        return False
    for column in tests["unique"]:
        if not re.fullmatch(r"\w+", column):
            return True  # a compound key expression
        constraints = model.get("columns", {}).get(column, {}).get("constraints", [])
        if column in tests["not_null"] or any(c.get("type") == "not_null" for c in constraints):
            return True
    return False


def check(manifest: dict[str, Any], catalog: dict[str, Any]) -> CoverageReport:
    """Every problem with the project's documentation conventions."""
    report = CoverageReport()
    pk_tests = _primary_key_tests(manifest)
    catalog_nodes = {**catalog.get("nodes", {}), **catalog.get("sources", {})}
    nodes = list(manifest["nodes"].values()) + list(manifest["sources"].values())
    for node in nodes:
        kind = node["resource_type"]
        if node["package_name"] != PROJECT or kind not in {"model", "seed", "source"}:
            continue
        name = node["unique_id"]
        if not _described(node):
            report.problems.append(f"{name}: no description")
        elif kind in {"model", "seed"} and not GRAIN.search(node["description"]):
            report.problems.append(f"{name}: description does not state its grain ('One row per ...')")
        if kind == "model":
            report.models += 1
            if not _has_primary_key_test(node, pk_tests.get(name)):
                report.problems.append(f"{name}: no primary-key test (unique + not_null on one column)")
        documented = {c.lower(): col for c, col in node.get("columns", {}).items()}
        built = catalog_nodes.get(name)
        if built is None:
            report.problems.append(f"{name}: not in the catalog (was it built?)")
            continue
        built_columns = {c.lower() for c in built["columns"]}
        # A model may declare a prefix of columns generated from a declaration (one flag per
        # Minimum Viable Lead rule): those are documented by the declaration, not one by one.
        generated = (node.get("meta") or node.get("config", {}).get("meta") or {}).get(
            "generated_column_prefix"
        )
        for column in sorted(built_columns):
            report.columns += 1
            if generated and column.startswith(generated):
                continue
            if column not in documented or not _described(documented[column]):
                report.problems.append(f"{name}: column {column} has no description")
        for column in sorted(set(documented) - built_columns):
            report.problems.append(f"{name}: documents column {column}, which the relation does not have")
    for macro in manifest["macros"].values():
        if macro["package_name"] != PROJECT:
            continue
        report.macros += 1
        name = macro["unique_id"]
        if not _described(macro):
            report.problems.append(f"{name}: no description")
        documented_args = {a["name"]: a for a in macro.get("arguments", [])}
        signature = re.search(r"\{%-?\s*(?:macro|test)\s+\w+\((.*?)\)\s*-?%\}", macro["macro_sql"], re.S)
        args = [a.split("=")[0].strip() for a in signature.group(1).split(",")] if signature else []
        for arg in filter(None, args):
            if arg not in documented_args or not _described(documented_args[arg]):
                report.problems.append(f"{name}: argument {arg} is not documented")
    return report


def check_target(target_dir: Path) -> CoverageReport:
    """Check the manifest.json and catalog.json that ``dbt docs generate`` wrote to target_dir."""
    manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target_dir / "catalog.json").read_text(encoding="utf-8"))
    return check(manifest, catalog)
