"""The verb for the people who work the factory's queues: queue (an owner team's work as CSV)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lead_factory import config
from lead_factory.cli.options import db_option, echo_err, fails_with, serving_db_option
from lead_factory.csv_export import csv_file
from lead_factory.work_queue import ALL_TEAMS, PARTS, PRIORITIES, TEAMS, QueueError, export_queue


@click.command("queue", short_help="Export an owner team's open work as spreadsheet-safe CSV.")
@click.option(
    "--owner-team",
    required=True,
    type=click.Choice([*TEAMS, ALL_TEAMS]),
    help=f"Whose work: one team, or {ALL_TEAMS} for every team's.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    default="-",
    show_default=True,
    help="CSV file to write (- for standard output); its folder must exist.",
)
@click.option(
    "--only",
    type=click.Choice(PARTS),
    default=None,
    help="Only the remediation cases, or only the quarantined items [default: both].",
)
@click.option("--overdue", "overdue_only", is_flag=True, help="Only what is past its due date.")
@click.option(
    "--priority",
    "priorities",
    type=click.Choice(PRIORITIES),
    multiple=True,
    help="Only these priorities (repeat the option for more than one).",
)
@click.option(
    "--no-bom",
    is_flag=True,
    help="Write a file without the UTF-8 byte-order mark Excel needs to read accents right.",
)
@db_option
@serving_db_option
def queue_command(
    owner_team: str,
    out: Path,
    only: str | None,
    overdue_only: bool,
    priorities: tuple[str, ...],
    no_bom: bool,
    db_path: Path,
    serving_path: Path | None,
) -> None:
    """Write an owner team's open work as CSV for Excel or Google Sheets: its open remediation cases
    (records failing a rule of the Minimum Viable Lead, marts.fct_remediation_queue) and its open
    quarantined items (rows, files and paths the factory kept aside, decisions and fixes it could
    not use, CRM records naming missing accounts; marts.fct_quarantined_items), overdue first, then
    by priority and due date. One row each, with the problem, the reason, the suggested fix, the
    due date and what is needed to find it (the record and its contact details, or the file and
    line).

    Reads the serving copy, opened read-only, so it works while a build runs. Text that a
    spreadsheet would run as a formula (a value beginning with =, +, -, @, a tab ...) is written
    with a single quote in front (OWASP's CSV-injection guidance); numbers and dates stay values.
    A file is written with a UTF-8 byte-order mark (Excel needs it), standard output without. A
    line saying how many rows were written goes to standard error.

    \b
    Example:
      lead-factory queue --owner-team sales_ops --out sales_ops_queue.csv
      lead-factory queue --owner-team marketing_ops --overdue --priority P1
      lead-factory queue --owner-team data_ops --only quarantine --out -
    """
    serving = config.serving_db_path(db_path, serving_path)
    parts = (only,) if only else PARTS
    with fails_with(QueueError, OSError):
        if str(out) == "-":
            export = export_queue(serving, sys.stdout, owner_team, parts, overdue_only, priorities)
            destination = "standard output"
        else:
            with csv_file(out, bom=not no_bom) as handle:
                export = export_queue(serving, handle, owner_team, parts, overdue_only, priorities)
            destination = str(out)
    echo_err(export.line(destination))


COMMANDS = (queue_command,)
