"""Fixtures shared by the test modules: the demo warehouse, built once per test session.

Tests that only read a warehouse use ``demo_warehouse`` (the main job run by its command on
generated demo data). Tests that need a history of their own (several batches, steward fixes,
an enrichment API) build their own warehouse in their module. Every test that runs dbt is marked
``e2e``; ``make test-fast`` leaves those out. Under pytest-xdist each module that builds a
warehouse is one ``xdist_group``, so its builds run on one worker, once.
"""

from __future__ import annotations

import os

import pytest
from support import DemoWarehouse, HostileWarehouse, build_hostile_warehouse, run_demo


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> DemoWarehouse:
    """The main job as a new user runs it (`lead-factory demo`), in a fresh folder: demo data
    generated into data/demo, landed, enriched, built (every data test and unit test), documented."""
    root = tmp_path_factory.mktemp("demo")
    db, target = root / "data" / "warehouse" / "lead_factory.duckdb", root / "target"
    env = {**os.environ, "LEAD_FACTORY_DB": str(db), "DBT_TARGET_PATH": str(target)}
    first = run_demo(root, env)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    return DemoWarehouse(db, root / "data" / "demo", target, root, env, first.stdout)


@pytest.fixture(scope="session")
def hostile_warehouse(
    demo_warehouse: DemoWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> HostileWarehouse:
    """A copy of the demo warehouse after the hostile landing corpus (tests/hostile/) and rows the
    factory cannot use (support.plant_bad_rows) were landed, built and published: what the factory
    keeps aside, and how it routes and exports it. Read it; copy it to change it."""
    return build_hostile_warehouse(demo_warehouse, tmp_path_factory.mktemp("hostile_build"))
