"""The verbs of the main job: land, enrich, build (and dbt), docs, summary, run, demo."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from lead_factory import config, pipeline
from lead_factory.cli.options import (
    NO_WAIT_HELP,
    db_option,
    echo_err,
    fails_with,
    landing_dir_option,
    one_writer,
    serving_db_option,
    warehouse_writer,
)
from lead_factory.enrichment.step import (
    DEFAULT_PROVIDERS,
    DEFAULT_TTL_DAYS,
    EnrichmentError,
    EnrichmentInterrupted,
    parse_provider_names,
    run_enrichment,
)
from lead_factory.erasure import ErasureError
from lead_factory.landing.loader import LandingError, land
from lead_factory.project import PROJECT_DIR
from lead_factory.runs import RunError
from lead_factory.serving import PublishError, publish, run_metricflow
from lead_factory.summary import summary_lines

PASS_THROUGH = {"ignore_unknown_options": True, "allow_interspersed_args": False}
READ_ONLY_DBT = {"parse", "ls", "list", "debug", "deps", "clean", "--help", "-h", "--version"}
"""dbt commands that never open the warehouse, so `lead-factory dbt` runs them without its lock."""


def opens_warehouse(arguments: dict[str, Any]) -> bool:
    """Whether a `lead-factory dbt` call opens the warehouse (anything but READ_ONLY_DBT)."""
    return not arguments["dbt_args"] or arguments["dbt_args"][0] not in READ_ONLY_DBT


@click.command("land", short_help="Land new files from the landing folder (one batch).")
@landing_dir_option
@db_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@one_writer("land")
def land_command(landing_dir: Path, db_path: Path, files: tuple[Path, ...]) -> None:
    """Land new files from the landing folder into the warehouse's raw schema, as one batch.

    Without FILES every file under the landing folder is considered; files loaded before (the same
    bytes) are skipped. Prints one line per file (rows in / loaded / rejected, the encoding read,
    new or missing columns, the first rejected rows) and a batch total. A file that cannot be read
    as its kind is rejected or refused with its reason and the rest of the batch lands. Only a
    fatal error (a named file that is not there, a warehouse that cannot be written) prints one
    line naming the problem, loads nothing of the batch and exits with status 1.

    \b
    Example:
      lead-factory land --landing-dir /srv/drop
      lead-factory land crm/leads/2026-12-01.csv
    """
    with fails_with(LandingError, suffix=" (nothing was loaded)"):
        report = land(landing_dir, db_path, list(files) or None)
    for line in report.lines():
        click.echo(line)


@click.command("enrich", short_help="Ask the enrichment providers, through the cache.")
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
@click.option(
    "--prepare",
    is_flag=True,
    help="First build what says what to ask (int_enrichment_requests and its parents), as the main job does.",
)
@one_writer("enrich")
def enrich_command(
    db_path: Path, providers: str | None, ttl_days: int | None, progress_every: int, prepare: bool
) -> None:
    """Ask the enrichment providers about the records that fail a rule enrichment can fix.

    Each distinct request of intermediate.int_enrichment_requests (left by the last build, or built
    first with --prepare) is asked of the providers in order, reusing fresh cached answers; every
    answer is appended to raw.enrichment_cache and the run to raw.enrichment_runs. The http_api
    provider reads LEAD_FACTORY_ENRICH_URL, _KEY, _TIMEOUT, _RATE and _RETRIES. Prints a summary
    line and one line per provider; progress goes to stderr. Ctrl-C keeps every answer received
    and exits with status 130.

    \b
    Example:
      lead-factory enrich --prepare
      lead-factory enrich --providers offline_directory --ttl-days 7
    """
    with fails_with(EnrichmentError, pipeline.PipelineError):
        if prepare:
            pipeline.prepare_enrichment(db_path)
        try:
            result = run_enrichment(
                db_path,
                providers=parse_provider_names(providers) if providers is not None else None,
                ttl_days=ttl_days,
                report=echo_err,
                progress_every=progress_every,
            )
        except EnrichmentInterrupted as interrupted:
            kept = interrupted.result
            echo_err(
                f"enrichment interrupted after {kept.requests:,} requests; {kept.calls:,} answers kept "
                f"(run {kept.run_id} recorded as interrupted)"
            )
            sys.exit(130)
    for line in result.lines():
        click.echo(line)


@click.command(
    "build", context_settings=PASS_THROUGH, short_help="dbt build in the project against the warehouse."
)
@db_option
@click.argument("dbt_args", nargs=-1, type=click.UNPROCESSED)
@one_writer("build")
def build_command(db_path: Path, dbt_args: tuple[str, ...]) -> None:
    """Run `dbt build` in the project against the warehouse: seeds, models, snapshots, data tests
    and unit tests, in DAG order. DBT_ARGS are passed to dbt as they are.

    \b
    Example:
      lead-factory build
      lead-factory build -s staging
      lead-factory build --full-refresh
      lead-factory build --vars '{lifecycle_as_of: "2027-01-31"}'
    """
    with fails_with(pipeline.PipelineError):
        pipeline.run_dbt(["build", *dbt_args], db_path)


@click.command(
    "dbt", context_settings=PASS_THROUGH, short_help="Any dbt command in the project against the warehouse."
)
@db_option
@click.argument("dbt_args", nargs=-1, required=True, type=click.UNPROCESSED)
@one_writer("dbt", needed=opens_warehouse)
def dbt_passthrough(db_path: Path, dbt_args: tuple[str, ...]) -> None:
    """Run any dbt command in the project against the warehouse (the profile, project folder and
    warehouse set as the other verbs set them).

    \b
    Example:
      lead-factory dbt run -s int_person_pairs_scored --full-refresh
      lead-factory dbt source freshness
      lead-factory dbt test -s test_type:unit
    """
    with fails_with(pipeline.PipelineError):
        pipeline.run_dbt(list(dbt_args), db_path)


@click.command(
    "metrics",
    context_settings=PASS_THROUGH,
    short_help="The semantic layer (MetricFlow) on the serving copy.",
)
@db_option
@serving_db_option
@click.argument("mf_args", nargs=-1, required=True, type=click.UNPROCESSED)
def metrics_command(db_path: Path, serving_path: Path | None, mf_args: tuple[str, ...]) -> None:
    """Run MetricFlow (`mf`) against the serving copy: list, query and validate the metrics the
    semantic layer defines (models/marts/semantic/), as every BI tool reads them.

    \b
    Example:
      lead-factory metrics list metrics
      lead-factory metrics query --metrics share_ready,records_ingested --group-by metric_time__week
      lead-factory metrics validate-configs
    """
    with fails_with(PublishError):
        sys.exit(run_metricflow(list(mf_args), config.serving_db_path(db_path, serving_path), PROJECT_DIR))


@click.command("docs", short_help="Generate the docs site and check its coverage.")
@db_option
@click.option("--serve", is_flag=True, help="Then serve the docs site on loopback until Ctrl-C.")
@click.option("--port", type=int, default=8080, show_default=True, help="Port of the docs site.")
@click.option("--no-check", is_flag=True, help="Do not fail on undocumented models, columns or macros.")
@click.option("--no-wait", is_flag=True, help=NO_WAIT_HELP)
def docs_command(db_path: Path, serve: bool, port: int, no_check: bool, no_wait: bool) -> None:
    """Generate the dbt docs site (the catalog) and check its coverage: every model, source, seed,
    column and macro argument described, every grain stated, every model with a primary-key test.
    Lists each gap and exits with status 1 when there is one (unless --no-check).

    \b
    Example:
      lead-factory docs
      lead-factory docs --serve --port 8081
    """
    with fails_with(pipeline.PipelineError):
        with warehouse_writer(db_path, "docs", no_wait):
            coverage = pipeline.document(db_path, echo=click.echo)
        for problem in coverage.problems:
            click.echo(f"  {problem}")
        if not coverage.ok and not no_check:
            sys.exit(1)
        if serve:
            pipeline.run_dbt(["docs", "serve", "--host", "127.0.0.1", "--port", str(port)], db_path)


@click.command("summary", short_help="Print what the factory did.")
@db_option
@one_writer("summary")
def summary_command(db_path: Path) -> None:
    """Print what the factory did: rows landed and rejected per source, records per stage, matching,
    enrichment, statuses, the remediation queue and quality per door.

    \b
    Example:
      lead-factory summary --db data/warehouse/lead_factory.duckdb
    """
    if not db_path.is_file():
        raise click.UsageError(
            f"no warehouse at {db_path}: run `lead-factory land` and `lead-factory build` first"
        )
    for line in summary_lines(db_path):
        click.echo(line)


@click.command("run", short_help="The main job: land, enrich, build, erase, publish, docs, export.")
@landing_dir_option
@db_option
@serving_db_option
@click.option("--vars", "dbt_vars", default=None, help="dbt vars for every dbt step (YAML, as dbt's --vars).")
@one_writer("run")
def run_command(landing_dir: Path, db_path: Path, serving_path: Path | None, dbt_vars: str | None) -> None:
    """The main job on the landing folder: land the new files, enrich, build, publish the serving
    copy (after a green build only), generate the docs and print the summary. Running it again
    with no new files changes nothing.

    \b
    Example:
      lead-factory run
      LEAD_FACTORY_LANDING_DIR=/srv/drop lead-factory run --db /srv/lead_factory.duckdb
      lead-factory run --vars '{lifecycle_as_of: "2027-01-31"}'
    """
    started = time.perf_counter()
    with fails_with(
        LandingError, EnrichmentError, pipeline.PipelineError, PublishError, RunError, ErasureError
    ):
        serving = pipeline.run_main_job(
            landing_dir, db_path, echo=click.echo, serving_path=serving_path, dbt_vars=dbt_vars
        )
    elapsed = time.perf_counter() - started
    click.echo(f"\nDone in {elapsed:.0f} s. Warehouse: {db_path}; serving copy: {serving}")


@click.command("demo", short_help="The main job on generated demo data.")
@click.option(
    "--size", type=click.IntRange(min=100), default=10_000, show_default=True, help="Inbound leads."
)
@click.option("--seed", type=int, default=42, show_default=True, help="Random seed of the demo data.")
@click.option(
    "--steward-fixes",
    is_flag=True,
    help="Also land the demo's steward fix file (as a data steward would after the first run).",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Measure the build at this day (YYYY-MM-DD; var lifecycle_as_of): successive days give the "
    "scorecard a trend.",
)
@db_option
@serving_db_option
@one_writer("demo")
def demo_command(
    size: int,
    seed: int,
    steward_fixes: bool,
    as_of: datetime | None,
    db_path: Path,
    serving_path: Path | None,
) -> None:
    """The main job on generated demo data: generate SIZE leads with planted mess and truth into
    data/demo, then land, enrich, build, document and summarise. Running it twice gives the same
    result (the second landing adds nothing); other demo data starts a fresh demo warehouse.
    Each day's build adds that day's scorecard snapshot: to see a trend of two days, run it as of
    one day, then as of the next with the steward's fixes as the second day's batch.

    \b
    Example:
      lead-factory demo
      lead-factory demo --size 100000 --seed 7
      lead-factory demo --as-of 2026-11-01 && lead-factory demo --as-of 2026-11-02 --steward-fixes
    """
    with fails_with(
        LandingError, EnrichmentError, pipeline.PipelineError, PublishError, RunError, ErasureError
    ):
        pipeline.run_demo(
            size=size,
            seed=seed,
            db_path=db_path,
            echo=click.echo,
            steward_fixes=steward_fixes,
            serving_path=serving_path,
            as_of=as_of.date() if as_of else None,
        )


@click.command("publish", short_help="Publish the marts to the serving copy, atomically.")
@db_option
@serving_db_option
@one_writer("publish")
def publish_command(db_path: Path, serving_path: Path | None) -> None:
    """Publish what readers need (the marts) from the warehouse to the serving copy: written beside
    the old copy and moved over it in one rename, so a reader opening it read-only at any moment
    gets the previous complete publication or the new one. The main job does this after every
    green build; run it yourself after a `lead-factory build`.

    \b
    Example:
      lead-factory publish
      lead-factory publish --db /srv/lead_factory.duckdb --serving-db /srv/bi/serving.duckdb
    """
    with fails_with(PublishError):
        click.echo(publish(db_path, config.serving_db_path(db_path, serving_path)).line())


COMMANDS = (
    land_command,
    enrich_command,
    build_command,
    dbt_passthrough,
    docs_command,
    summary_command,
    run_command,
    demo_command,
    publish_command,
    metrics_command,
)
