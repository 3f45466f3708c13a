"""Regenerate the dbt source declarations (models/staging/*/_*__sources.yml) from the landing contract.

Usage: python scripts/generate_sources_yml.py
"""

from __future__ import annotations

from pathlib import Path

import click

from lead_factory.landing.dbt_sources import write_sources


@click.command()
@click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("models"))
def main(models_dir: Path) -> None:
    """Write one sources file per staging folder."""
    for path in write_sources(models_dir):
        click.echo(f"wrote {path}")


if __name__ == "__main__":
    main()
