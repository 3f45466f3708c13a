"""Enrich the warehouse's enrichment requests through the configured providers and the cache.

    python scripts/enrich.py [--db PATH] [--providers offline_directory,http_api] [--ttl-days 30]

Asks each distinct request of intermediate.int_enrichment_requests (built by dbt build) of the
providers in order, reusing fresh cached answers, and appends every answer to raw.enrichment_cache
and the run to raw.enrichment_runs. The HTTP provider reads LEAD_FACTORY_ENRICH_URL, _KEY, _TIMEOUT,
_RATE and _RETRIES. Prints a summary line and one line per provider; progress goes to stderr.
Ctrl-C keeps every answer received and exits with status 130.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lead_factory.cli import db_option
from lead_factory.enrichment.step import (
    DEFAULT_PROVIDERS,
    DEFAULT_TTL_DAYS,
    EnrichmentError,
    EnrichmentInterrupted,
    parse_provider_names,
    run_enrichment,
)


@click.command(help=__doc__)
@db_option
@click.option(
    "--providers",
    default=None,
    help=(
        "Comma-separated providers, in the order they are asked "
        f"[default: dbt var enrichment_providers, else {','.join(DEFAULT_PROVIDERS)}]."
    ),
)
@click.option(
    "--ttl-days",
    type=click.IntRange(min=0),
    default=None,
    help=(
        "Days a cached hit or miss stays fresh "
        f"[default: dbt var enrichment_ttl_days, else {DEFAULT_TTL_DAYS}]."
    ),
)
@click.option(
    "--progress-every",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Report progress every N requests (and at least every 5 seconds).",
)
def main(db_path: Path, providers: str | None, ttl_days: int | None, progress_every: int) -> None:
    def to_stderr(line: str) -> None:
        click.echo(line, err=True)

    try:
        result = run_enrichment(
            db_path,
            providers=parse_provider_names(providers) if providers is not None else None,
            ttl_days=ttl_days,
            report=to_stderr,
            progress_every=progress_every,
        )
    except EnrichmentInterrupted as interrupted:
        kept = interrupted.result
        click.echo(
            f"enrichment interrupted after {kept.requests:,} requests; {kept.calls:,} answers kept "
            f"(run {kept.run_id} recorded as interrupted)",
            err=True,
        )
        sys.exit(130)
    except EnrichmentError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(1)
    for line in result.lines():
        click.echo(line)


if __name__ == "__main__":
    main()
