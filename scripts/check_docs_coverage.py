"""Check the documentation conventions on dbt's artifacts (run after `dbt docs generate`).

Usage: python scripts/check_docs_coverage.py [--target-dir target]
Exits with status 1 and lists the problems when a model, seed, source, column or macro argument is
undescribed, a grain is not stated or a model has no primary-key test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lead_factory.conventions import check_target


@click.command()
@click.option("--target-dir", type=click.Path(path_type=Path, file_okay=False), default=Path("target"))
def main(target_dir: Path) -> None:
    """Print the docs coverage of the project and fail on any gap."""
    report = check_target(target_dir)
    for problem in report.problems:
        click.echo(f"  {problem}")
    click.echo(
        f"Docs coverage: {report.models} models, {report.columns} columns, {report.macros} macros checked; "
        f"{len(report.problems)} problems"
    )
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
