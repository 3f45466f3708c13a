"""Land files from the landing folder into the raw schema of the warehouse (one batch, all or nothing).

    python scripts/land_files.py [--landing-dir DIR] [--db PATH] [FILE ...]

Without FILE arguments every file under the landing folder is considered; files loaded before
(same bytes) are skipped. Prints one line per file and a batch total; on a fatal error prints one
line naming the file and the problem, loads nothing and exits with status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lead_factory import config
from lead_factory.cli import db_option
from lead_factory.landing.loader import LandingError, land


@click.command(help=__doc__)
@click.option(
    "--landing-dir",
    type=click.Path(path_type=Path),
    envvar=config.LANDING_DIR_ENV,
    default=config.DEFAULT_LANDING_DIR,
    show_default=True,
    help="Landing folder (env LEAD_FACTORY_LANDING_DIR).",
)
@db_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def main(landing_dir: Path, db_path: Path, files: tuple[Path, ...]) -> None:
    try:
        report = land(landing_dir, db_path, list(files) or None)
    except LandingError as error:
        click.echo(f"error: {error} (nothing was loaded)", err=True)
        sys.exit(1)
    for line in report.lines():
        click.echo(line)


if __name__ == "__main__":
    main()
