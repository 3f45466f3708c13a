"""The verbs of running the factory in production: restore (a lost warehouse, from the landed files
and the history export) and chaos (a kill drill: nothing is lost when the main job is killed)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from lead_factory import chaos, config, pipeline
from lead_factory.cli.options import db_option, fails_with, landing_dir_option, one_writer, serving_db_option
from lead_factory.history import EXPORT_DIR, HistoryError
from lead_factory.landing.loader import LandingError
from lead_factory.serving import PublishError


@click.command("restore", short_help="Rebuild a lost warehouse from its landed files and history.")
@click.option(
    "--from",
    "source",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=(
        "The history export: its folder, or one export in it "
        f"[default: {EXPORT_DIR}/ beside the serving copy]."
    ),
)
@landing_dir_option
@db_option
@serving_db_option
@one_writer("restore")
def restore_command(source: Path | None, landing_dir: Path, db_path: Path, serving_path: Path | None) -> None:
    """Rebuild a lost or corrupted warehouse: the erasure registry first (so erased people's rows
    land as tombstones again), then every recorded batch landed again from the landing folder with
    its own batch id and clock, then the rest of the history (lifecycle, cases, snapshots,
    scorecard history, enrichment answers, runs) from the latest export, and a build at the last
    run's clock; then the serving copy is published. The warehouse file must not exist (move a
    corrupted one away first). Prints the history tables that differ from the export (none when
    the restore is exact) and exits with status 1 when one does.

    \b
    Example:
      mv data/warehouse/lead_factory.duckdb /tmp/corrupted.duckdb
      lead-factory restore --landing-dir data/landing
      lead-factory restore --from /backups/history --db /srv/lead_factory.duckdb
    """
    serving = config.serving_db_path(db_path, serving_path)
    with fails_with(HistoryError, LandingError, pipeline.PipelineError, PublishError):
        differing = pipeline.restore_warehouse(
            source or serving.parent / EXPORT_DIR, landing_dir, db_path, echo=click.echo, serving_path=serving
        )
    if differing:
        click.echo(
            f"restored, but these history tables differ from the export: {', '.join(differing)}", err=True
        )
        sys.exit(1)
    click.echo(f"restored {db_path}: every history table equals the export")


@click.command("chaos", short_help="Kill the main job at random moments and check nothing is lost.")
@click.option("--kills", type=click.IntRange(min=1), default=20, show_default=True, help="Kills in all.")
@click.option(
    "--per-round", type=click.IntRange(min=1), default=4, show_default=True, help="Kills per warehouse."
)
@click.option("--size", type=click.IntRange(min=100), default=300, show_default=True, help="Demo leads.")
@click.option(
    "--seed", type=int, default=11, show_default=True, help="Seed of the demo data and the kill points."
)
@click.option(
    "--workdir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("data/chaos"),
    show_default=True,
    help="Folder for the demo data and the drill's warehouses (emptied first).",
)
def chaos_command(kills: int, per_round: int, size: int, seed: int, workdir: Path) -> None:
    """A kill drill: build a reference warehouse from demo data with the main job left alone, then,
    in fresh warehouses from the same files, kill the main job at random moments (SIGKILL, or
    Ctrl-C), run it again, and compare every table with the reference. Prints each kill and the
    tally; exits with status 1 if a round did not end as the reference did.

    \b
    Example:
      lead-factory chaos --kills 20
      lead-factory chaos --kills 5 --per-round 5 --size 200
    """
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    results = chaos.run_drills(workdir.resolve(), size, seed, kills, per_round, echo=click.echo)
    if not all(result.safe for result in results):
        sys.exit(1)


COMMANDS = (restore_command, chaos_command)
