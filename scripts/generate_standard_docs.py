"""Regenerate the docs site's page of Minimum Viable Lead and retirement rules from dbt_project.yml.

Usage: python scripts/generate_standard_docs.py
"""

from __future__ import annotations

import click

from lead_factory.standard import write_docs


@click.command()
def main() -> None:
    """Write docs/minimum_viable_lead.md."""
    click.echo(f"wrote {write_docs()}")


if __name__ == "__main__":
    main()
