"""The matching configuration declared in dbt_project.yml's vars, read for scripts run outside dbt
(training, benchmark), so the build and the scripts use one declaration."""

from __future__ import annotations

from pathlib import Path

from lead_factory.project import PROJECT_DIR, project_vars


def person_model_path(project_dir: Path = PROJECT_DIR) -> Path:
    return project_dir / project_vars(project_dir)["person_model_path"]


def person_blocking_rules(project_dir: Path = PROJECT_DIR) -> list[list[str]]:
    return [list(rule) for rule in project_vars(project_dir)["person_blocking_rules"]]


def person_match_threshold(project_dir: Path = PROJECT_DIR) -> float:
    return float(project_vars(project_dir)["person_match_threshold"])
