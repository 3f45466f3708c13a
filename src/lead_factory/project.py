"""The dbt project the factory runs, found once: its folder and its declarations (dbt_project.yml's
vars), read for Python run outside dbt (the command, docs generation, tests), so dbt and Python use
one declaration."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR_ENV = "LEAD_FACTORY_PROJECT_DIR"


def _find_project_dir() -> Path:
    """$LEAD_FACTORY_PROJECT_DIR; else the checkout this package is installed from (editable
    install); else the current folder."""
    configured = os.environ.get(PROJECT_DIR_ENV)
    if configured:
        return Path(configured).resolve()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "dbt_project.yml").is_file():
        return checkout
    return Path.cwd().resolve()


PROJECT_DIR = _find_project_dir()
"""The folder of dbt_project.yml: every dbt command of the factory runs there."""


def project_vars(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The vars declared in dbt_project.yml (not those given on a command line)."""
    document = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    return dict(document.get("vars") or {})
