"""Print what the factory did: rows landed/rejected per source, records per stage, quality per door.

Usage: python scripts/print_summary.py [--db PATH]
"""

from __future__ import annotations

from pathlib import Path

import click

from lead_factory import config
from lead_factory.summary import summary_lines


@click.command()
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    envvar=config.DB_ENV,
    default=config.DEFAULT_DB,
    show_default=True,
    help="DuckDB warehouse file (env LEAD_FACTORY_DB).",
)
def main(db_path: Path) -> None:
    """Print the summary of the warehouse at DB_PATH."""
    for line in summary_lines(db_path):
        click.echo(line)


if __name__ == "__main__":
    main()
