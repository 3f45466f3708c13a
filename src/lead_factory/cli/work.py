"""The verbs for the people who work the factory's queues: queue (an owner team's work as CSV) and
review-sample (pairs of records for reviewers to decide, in the format that lands back)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from lead_factory import config
from lead_factory.cli.options import (
    csv_out_option,
    db_option,
    echo_err,
    fails_with,
    no_bom_option,
    serving_db_option,
)
from lead_factory.csv_export import csv_file
from lead_factory.review_sample import ReviewSampleError, export_review_sample
from lead_factory.work_queue import ALL_TEAMS, PARTS, PRIORITIES, TEAMS, QueueError, export_queue


@click.command("queue", short_help="Export an owner team's open work as spreadsheet-safe CSV.")
@click.option(
    "--owner-team",
    required=True,
    type=click.Choice([*TEAMS, ALL_TEAMS]),
    help=f"Whose work: one team, or {ALL_TEAMS} for every team's.",
)
@csv_out_option
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
@no_bom_option
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


@click.command("review-sample", short_help="Export pairs of records to review, as CSV that lands back.")
@csv_out_option
@no_bom_option
@db_option
@serving_db_option
def review_sample_command(out: Path, no_bom: bool, db_path: Path, serving_path: Path | None) -> None:
    """Write the pairs of person records proposed for review (marts.rpt_matching_review_sample) as
    CSV in the reviewers' decision format, to fill in and land back: labels for
    marts.rpt_matching_accuracy in an afternoon, without gold labels. About 200 pairs (var
    review_sample_size): half whose score is near the acceptance threshold, where the model is least
    sure, and half at random (column sample_stratum); pairs decided before and erased people are
    left out. The strata come interleaved (the first pair of each, then the second ...): a team
    with less time decides the first rows.

    \b
    To fill it in, for each pair you decide:
      decision     same_person or different_person
      decided_by   your name
      decided_at   when, in ISO 8601 (2026-12-08T15:00:00Z)
      note         why (optional)
    Keep decision_id, record_id and other_record_id as they are and leave account_id empty. Rows
    left without a decision are ignored. The other columns (the stratum, the match probability and
    both records' fields side by side, _l and _r) are there to decide by; they may stay.

    \b
    To land it, save it as CSV under reviews/ in the landing folder, e.g.
    data/landing/reviews/review_2026-12-08.csv, and run `lead-factory run` (or `lead-factory land`,
    then `lead-factory build`). The decisions override the matcher, count in
    marts.rpt_matching_accuracy (label_source review_decisions) and leave the next sample; a row
    the factory cannot use is listed in marts.fct_rejected_match_decisions.

    Reads the serving copy, opened read-only. Text a spreadsheet would run as a formula is written
    with a single quote in front; the file has a UTF-8 byte-order mark (Excel needs it), standard
    output none. The sample holds personal data (names, emails, phones, addresses): share the file
    only with the reviewers and delete it once landed.

    \b
    Example:
      lead-factory review-sample --out review.csv
    """
    serving = config.serving_db_path(db_path, serving_path)
    with fails_with(ReviewSampleError, OSError):
        if str(out) == "-":
            export = export_review_sample(serving, sys.stdout)
            destination = "standard output"
        else:
            with csv_file(out, bom=not no_bom) as handle:
                export = export_review_sample(serving, handle)
            destination = str(out)
    echo_err(export.line(destination))


COMMANDS = (queue_command, review_sample_command)
