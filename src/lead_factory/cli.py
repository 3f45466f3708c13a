"""Command-line options the scripts share, declared once."""

from __future__ import annotations

from pathlib import Path

import click

from lead_factory import config

db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar=config.DB_ENV,
    default=config.DEFAULT_DB,
    show_default=True,
    help=f"DuckDB warehouse file (env {config.DB_ENV}); its folder is created if needed.",
)
