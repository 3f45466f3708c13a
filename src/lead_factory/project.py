"""The dbt project's declarations (dbt_project.yml's vars), read for Python run outside dbt
(scripts, docs generation, tests), so dbt and Python use one declaration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]


def project_vars(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    document = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    return dict(document.get("vars") or {})
