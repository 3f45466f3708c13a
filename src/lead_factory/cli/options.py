"""Options and error handling the verbs share, declared once."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from lead_factory import config
from lead_factory.writer_lock import EXIT_BUSY, WarehouseBusy, writer_lock

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

csv_out_option: Callable[[F], F] = click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default="-",
    show_default=True,
    help="CSV file to write (- for standard output); its folder must exist.",
)

no_bom_option: Callable[[F], F] = click.option(
    "--no-bom",
    is_flag=True,
    help="Write a file without the UTF-8 byte-order mark Excel needs to read accents right.",
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
def fails_with(*errors: type[Exception], suffix: str = "", status: int = 1) -> Iterator[None]:
    """Turn the package's own errors into one line on stderr and exit status ``status`` (1)."""
    try:
        yield
    except errors as error:
        click.echo(f"error: {error}{suffix}", err=True)
        sys.exit(status)


NO_WAIT_HELP = (
    "When another command is using the warehouse, exit at once with status 75 instead of waiting for it."
)


@contextmanager
def warehouse_writer(db_path: Path, verb: str, no_wait: bool) -> Iterator[None]:
    """Hold the warehouse's lock for the block (see lead_factory.writer_lock): wait for another
    holder with a message on stderr, or with no_wait exit at once with status 75 naming it."""
    with ExitStack() as stack:
        with fails_with(WarehouseBusy, status=EXIT_BUSY):
            stack.enter_context(writer_lock(db_path, verb, wait=not no_wait, echo=echo_err))
        yield


def one_writer(verb: str, needed: Callable[[dict[str, Any]], bool] | None = None) -> Callable[[F], F]:
    """For a verb that opens the warehouse: adds --no-wait and runs the verb holding the
    warehouse's lock (warehouse_writer), unless ``needed`` says this call does not need it."""

    def decorate(function: F) -> F:
        @click.option("--no-wait", is_flag=True, help=NO_WAIT_HELP)
        @functools.wraps(function)
        def wrapper(*args: Any, no_wait: bool, **kwargs: Any) -> Any:
            if needed is not None and not needed(kwargs):
                return function(*args, **kwargs)
            with warehouse_writer(kwargs["db_path"], verb, no_wait):
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
