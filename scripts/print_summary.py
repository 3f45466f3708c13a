"""Print what the factory did: rows landed/rejected per source, records per stage, quality per door.

Usage: python scripts/print_summary.py [--db PATH]
"""

from __future__ import annotations

from pathlib import Path

import click

from lead_factory.cli import db_option
from lead_factory.summary import summary_lines


@click.command()
@db_option
def main(db_path: Path) -> None:
    """Print the summary of the warehouse at DB_PATH."""
    if not db_path.is_file():
        raise click.UsageError(f"no warehouse at {db_path}: land files and run dbt build first")
    for line in summary_lines(db_path):
        click.echo(line)


if __name__ == "__main__":
    main()
