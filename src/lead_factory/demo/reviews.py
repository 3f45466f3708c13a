"""A reviewers' decision file for the demo, drawn from the planted truth.

Real teams have reviewers check a sample of matches. The demo writes such a sample as
``landing/reviews/decisions_<as_of>.csv``: pairs of records that are one person, pairs that look
alike but are not (same last name at the same company), and leads with the account they belong to
(or none). The decisions are true by construction, so they serve as labels for the accuracy report.
"""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from datetime import date
from pathlib import Path

from lead_factory.landing.kinds import KINDS_BY_NAME

HEADER = KINDS_BY_NAME["match_decisions"].column_names
LEAD_SOURCES = {"form", "upload", "crm_lead"}


def read_records(truth_dir: Path) -> list[dict[str, str]]:
    """The rows of ``truth/records.csv`` in file order (read once for the decisions and the labels)."""
    with (truth_dir / "records.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_reviews(
    landing: Path, records: list[dict[str, str]], seed: int, size: int, as_of: date
) -> tuple[str, int]:
    """Write the decision file from the truth's ``records``; returns its path relative to the landing
    folder and its rows."""
    rng = random.Random(seed * 7919 + 1)
    records = sorted(records, key=lambda r: r["record_id"])
    by_person: dict[str, list[str]] = defaultdict(list)
    by_company_surname: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in records:
        by_person[row["person_id"]].append(row["record_id"])
        if row["company_id"] and row["last_name"]:
            by_company_surname[(row["company_id"], row["last_name"])].append(row)
    wanted = max(10, size // 500)
    decisions: list[tuple[str, str, str, str]] = []
    people = sorted(p for p, ids in by_person.items() if len(ids) > 1)
    for person in rng.sample(people, min(wanted, len(people))):
        first, second = rng.sample(by_person[person], 2)
        decisions.append(("same_person", first, second, ""))
    look_alikes = [
        (a["record_id"], b["record_id"])
        for group in by_company_surname.values()
        for a in group
        for b in group
        if a["person_id"] < b["person_id"]
    ]
    for first, second in rng.sample(look_alikes, min(wanted, len(look_alikes))):
        decisions.append(("different_person", first, second, ""))
    leads = [row for row in records if row["source"] in LEAD_SOURCES]
    for row in rng.sample(leads, min(wanted, len(leads))):
        decisions.append(("lead_account", row["record_id"], "", row["account_id"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for number, (decision, record_id, other, account_id) in enumerate(decisions, start=1):
        note = "checked against the CRM" if decision == "lead_account" else "checked by a sales-ops reviewer"
        writer.writerow(
            [
                f"D{number:06d}",
                decision,
                record_id,
                other,
                account_id,
                "demo.reviewer",
                f"{as_of}T09:00:00Z",
                note,
            ]
        )
    relative = f"reviews/decisions_{as_of}.csv"
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return relative, len(decisions)


def write_gold_labels(landing: Path, records: list[dict[str, str]]) -> tuple[str, int]:
    """Write the planted truth as gold labels (person and account per record) for the accuracy mart."""
    rows = [(r["record_id"], r["person_id"], r["account_id"]) for r in records]
    relative = "labels/planted_truth.csv"
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(KINDS_BY_NAME["gold_labels"].column_names)
        writer.writerows(rows)
    return relative, len(rows)
