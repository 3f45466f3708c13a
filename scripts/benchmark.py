"""Time and peak memory of each step of the factory at several sizes of generated data.

Usage: python scripts/benchmark.py [--sizes 10000,100000,1000000] [--seed 42] [--work DIR]
Prints one line per size and step (generate, land, dbt build): wall seconds and peak RSS in MiB.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lead_factory.benchmark import run


@click.command()
@click.option(
    "--sizes", default="10000,100000,1000000", show_default=True, help="Comma-separated lead counts."
)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option(
    "--work",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Keep data and warehouses here (default: a temporary folder, removed afterwards).",
)
def main(sizes: str, seed: int, work: Path | None) -> None:
    """Run the benchmark and print its figures."""
    results = run([int(s) for s in sizes.split(",") if s.strip()], seed, work)
    sys.exit(0 if all(r.ok for r in results) else 1)


if __name__ == "__main__":
    main()
