"""Options and error handling the verbs share, declared once."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from lead_factory import config

F = TypeVar("F", bound=Callable[..., Any])

db_option: Callable[[F], F] = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar=config.DB_ENV,
    default=config.DEFAULT_DB,
    show_default=True,
    help=f"DuckDB warehouse file (env {config.DB_ENV}); its folder is created if needed.",
)

landing_dir_option: Callable[[F], F] = click.option(
    "--landing-dir",
    type=click.Path(path_type=Path),
    envvar=config.LANDING_DIR_ENV,
    default=config.DEFAULT_LANDING_DIR,
    show_default=True,
    help=f"Landing folder (env {config.LANDING_DIR_ENV}).",
)


serving_db_option: Callable[[F], F] = click.option(
    "--serving-db",
    "serving_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar=config.SERVING_DB_ENV,
    default=None,
    help=(
        f"The serving copy BI tools read (env {config.SERVING_DB_ENV}) "
        f"[default: {config.SERVING_DB_NAME} beside the warehouse]."
    ),
)


def echo_err(line: str) -> None:
    click.echo(line, err=True)


@contextmanager
def fails_with(*errors: type[Exception], suffix: str = "") -> Iterator[None]:
    """Turn the package's own errors into one line on stderr and exit status 1."""
    try:
        yield
    except errors as error:
        click.echo(f"error: {error}{suffix}", err=True)
        sys.exit(1)
