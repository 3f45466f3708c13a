"""Generate deterministic demo / benchmark data: landing files with planted mess and the truth behind them.

python scripts/generate_demo_data.py --out data/demo --size 10000 --seed 42 [--as-of 2026-11-01]
"""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import click

from lead_factory.demo.generator import DEFAULT_AS_OF, generate


@click.command()
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Output folder; its landing/, truth/ and stewardship/ are replaced.",
)
@click.option(
    "--size",
    type=click.IntRange(min=100),
    default=10_000,
    show_default=True,
    help="Number of inbound lead records (forms + uploads + CRM leads).",
)
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=DEFAULT_AS_OF.isoformat(),
    show_default=True,
    help="Date the data is generated as of; every date is relative to it.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes writing the files [default: up to 2 CPUs]; the output does not depend on it.",
)
def main(out: Path, size: int, seed: int, as_of: datetime, workers: int | None) -> None:
    """Write OUT/landing/..., OUT/truth/... and OUT/stewardship/... for SIZE inbound lead records."""
    started = time.perf_counter()
    as_of_date = date(as_of.year, as_of.month, as_of.day)
    summary = generate(out, size=size, seed=seed, as_of=as_of_date, workers=workers)
    elapsed = time.perf_counter() - started
    click.echo(
        f"Wrote {len(summary['files'])} landing files under {out / 'landing'} and truth under {out / 'truth'}"
    )
    for kind, rows in sorted(summary["rows_per_kind"].items()):
        bad = summary["bad_rows_per_kind"].get(kind, 0)
        click.echo(f"  {kind:<18} {rows:>10,} rows  {bad:>5} bad rows planted")
    world = summary["world"]
    click.echo(
        f"  {world['persons']:,} persons, {world['companies']:,} companies "
        f"({world['crm_accounts']:,} CRM accounts, {world['crm_contacts']:,} contacts); "
        f"{world['repeat_records']:,} repeat records, "
        f"{world['existing_contact_records']:,} records of existing contacts"
    )
    click.echo(f"Done in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
