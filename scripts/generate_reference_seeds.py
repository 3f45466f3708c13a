"""Regenerate the reference seeds that come from maintained packages (countries, email domains).

Usage: python scripts/generate_reference_seeds.py [--seed-dir seeds/reference]
"""

from __future__ import annotations

from pathlib import Path

import click

from lead_factory.reference import write_reference_seeds


@click.command()
@click.option("--seed-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("seeds/reference"))
def main(seed_dir: Path) -> None:
    """Write country_aliases.csv, free_email_domains.csv and disposable_email_domains.csv."""
    for name, rows in write_reference_seeds(seed_dir).items():
        click.echo(f"{seed_dir / name}: {rows} rows")


if __name__ == "__main__":
    main()
