"""The main job on the embedded DuckDB with demo data (what `make demo` runs).

Usage: python scripts/run_demo.py [--size 10000] [--seed 42] [--db PATH] [--steward-fixes]
Generates demo data into data/demo, lands it, runs dbt build and dbt docs generate, and prints
what the factory did. Running it twice gives the same result (the second landing adds nothing).
With --steward-fixes it also lands the steward fix file the generator writes (data/demo/stewardship),
so the summary shows the problems those fixes resolve.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lead_factory.cli import db_option
from lead_factory.landing.loader import LandingError
from lead_factory.pipeline import PipelineError, run_demo


@click.command()
@click.option(
    "--size", type=click.IntRange(min=100), default=10_000, show_default=True, help="Inbound leads."
)
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed of the demo data.")
@click.option(
    "--steward-fixes",
    is_flag=True,
    help="Also land the demo's steward fix file (as a data steward would after the first run).",
)
@db_option
def main(size: int, seed: int, db_path: Path, steward_fixes: bool) -> None:
    """Run the demo end to end."""
    try:
        run_demo(size=size, seed=seed, db_path=db_path, echo=click.echo, steward_fixes=steward_fixes)
    except (LandingError, PipelineError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
