"""Where the factory keeps its files, overridable by environment variables (one place for each)."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "LEAD_FACTORY_DB"
TEST_DB_ENV = "LEAD_FACTORY_TEST_DB"
LANDING_DIR_ENV = "LEAD_FACTORY_LANDING_DIR"
SERVING_DB_ENV = "LEAD_FACTORY_SERVING_DB"
SERVING_DB_NAME = "serving.duckdb"
"""The serving copy's file name, beside the warehouse unless $LEAD_FACTORY_SERVING_DB says otherwise."""
DEFAULT_DB = Path("data/warehouse/lead_factory.duckdb")
DEFAULT_LANDING_DIR = Path("data/landing")
DEMO_DIR = Path("data/demo")
"""The demo writes its landing files to DEMO_DIR/landing and its planted truth to DEMO_DIR/truth."""


def db_path() -> Path:
    """The warehouse file: $LEAD_FACTORY_DB, else data/warehouse/lead_factory.duckdb."""
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def landing_dir() -> Path:
    """The landing folder: $LEAD_FACTORY_LANDING_DIR, else data/landing."""
    return Path(os.environ.get(LANDING_DIR_ENV) or DEFAULT_LANDING_DIR)


def serving_db_path(warehouse: Path, given: Path | None = None) -> Path:
    """The serving copy readers open: the one given (--serving-db), else $LEAD_FACTORY_SERVING_DB,
    else serving.duckdb beside the warehouse file."""
    return given or Path(os.environ.get(SERVING_DB_ENV) or warehouse.with_name(SERVING_DB_NAME))
