"""The matching configuration declared in dbt_project.yml's vars, read for code run outside dbt
(training, benchmark), so the build and the commands use one declaration."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from lead_factory.project import PROJECT_DIR, project_vars

PACKAGED_MODEL = "trained/person_model.json"
"""The trained person-matching model shipped in this package (lead_factory.matching)."""


def resolve_model_path(configured: str | None, project_dir: Path = PROJECT_DIR) -> Path:
    """The model file var person_model_path names: empty or unset means the model shipped with the
    package; a relative path is relative to the project folder."""
    if not configured:
        return Path(str(resources.files("lead_factory.matching").joinpath(PACKAGED_MODEL)))
    path = Path(configured)
    return path if path.is_absolute() else project_dir / path


def person_model_path(project_dir: Path = PROJECT_DIR) -> Path:
    return resolve_model_path(project_vars(project_dir).get("person_model_path"), project_dir)


def person_blocking_rules(project_dir: Path = PROJECT_DIR) -> list[list[str]]:
    return [list(rule) for rule in project_vars(project_dir)["person_blocking_rules"]]


def person_match_threshold(project_dir: Path = PROJECT_DIR) -> float:
    return float(project_vars(project_dir)["person_match_threshold"])
