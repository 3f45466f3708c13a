"""A data steward's fix file for the demo, drawn from the planted truth.

A steward corrects a field of a record, without editing SQL, by landing a CSV under ``fixes/``
(landing kind ``steward_fixes``). The demo writes such a file outside the landing folder, at
``OUT/stewardship/fixes_<as_of>.csv``: it is landed only on request (copied to
``landing/fixes/``), so that a second run can show the problems it resolves. Its rows:

- for a sample of inbound records (about 1 %, at least 30, two of each kind of defect first) with
  a planted defect the truth can correct, the true value: a junk name → the first and last name, a
  missing or placeholder company → the company name, a missing, placeholder or unknown country →
  the ISO code, an invalid, disposable or role email → the person's email, an invalid phone → the
  E.164 number; never two rows for one record and field;
- one fix that is set and later withdrawn by a revert row (same record and field, later
  ``fixed_at``, empty value);
- fixes that must be rejected: of a record that does not exist (``unknown_record``), of a field
  that cannot be fixed (``unfixable_field``), with a value that fails its field's rules
  (``invalid_value``).

``truth/steward_fixes.csv`` gives, per row, the expected outcome (``applied``; ``reverted`` for the
set row a later revert withdraws; ``revert`` for the revert row; ``rejected``), the reason of a
rejection and the planted defect the fix corrects. The file has a steward's habits: actions left
empty (set is the default) or capitalised, field names capitalised, stray spaces.
"""

from __future__ import annotations

import csv
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from lead_factory.demo.pools import below, pick
from lead_factory.demo.sources import iso
from lead_factory.demo.truth import FixableRecord
from lead_factory.landing.kinds import KINDS_BY_NAME

HEADER = KINDS_BY_NAME["steward_fixes"].column_names
TRUTH_COLUMNS = (
    "fix_id",
    "record_id",
    "field",
    "new_value",
    "action",
    "expected_outcome",
    "expected_reason",
    "defect",
)
FIX_SHARE = 0.01  # of the inbound records
MINIMUM_FIXES = 30
PER_DEFECT = 2  # records sampled first for each kind of fixable defect
STEWARDS = ("maria.lopez", "tom.becker", "aiko.tanaka")
NOTES = {
    "first_name": "name confirmed on a sales call",
    "last_name": "name confirmed on a sales call",
    "email": "address from the lead's email signature",
    "phone": "direct line from the lead's email signature",
    "company_name": "company from the lead's LinkedIn profile",
    "country": "country confirmed with the lead",
}
# Values that fail their field's rules.
INVALID_VALUES = (("email", "not-an-email"), ("country", "Atlantis"), ("phone", "12"))
# Fields of a record that are not the steward's to change.
UNFIXABLE_FIELDS = (
    ("record_id", "form:00000000-0000-4000-8000-000000000000"),
    ("lead_source_system", "event"),
)


@dataclass
class Fix:
    """One row of the fix file and what the factory must make of it."""

    record_id: str
    field: str
    new_value: str
    action: str  # set or revert
    outcome: str  # applied, reverted, revert or rejected
    note: str
    reason: str = ""  # why it is rejected
    defect: str = ""  # the planted defect it corrects


def _sample_records(rng: random.Random, fixable: list[FixableRecord], count: int) -> list[FixableRecord]:
    """``count`` records: a few of each kind of fixable defect (rare ones such as junk names too),
    the rest drawn at random."""
    by_defect: dict[tuple[str, str], list[int]] = {}
    for index, (_, planted) in enumerate(fixable):
        for field, defect, _ in planted:
            by_defect.setdefault((field, defect), []).append(index)
    chosen: dict[int, None] = {}
    for key in sorted(by_defect):
        for index in rng.sample(by_defect[key], min(PER_DEFECT, len(by_defect[key]))):
            chosen.setdefault(index)
    rest = count - len(chosen)
    if rest > 0:
        others = [i for i in range(len(fixable)) if i not in chosen]
        chosen.update(dict.fromkeys(rng.sample(others, min(rest, len(others)))))
    picked = [fixable[i] for i in chosen]
    rng.shuffle(picked)
    return picked


def _sample_fixes(
    rng: random.Random, fixable: list[FixableRecord], wanted: int
) -> tuple[list[Fix], list[Fix]]:
    """Fixes of ``wanted`` sampled records, and the (set, revert) pair of one more record."""
    fixes: list[Fix] = []
    pair: list[Fix] = []
    for record_id, planted in _sample_records(rng, fixable, wanted + 1):
        fields: set[str] = set()
        for field, defect, value in planted:
            if field in fields:  # one fix per record and field
                continue
            fields.add(field)
            fix = Fix(record_id, field, value, "set", "applied", NOTES[field], defect=defect)
            if not pair:
                fix.outcome = "reverted"
                pair = [
                    fix,
                    Fix(record_id, field, "", "revert", "revert", "wrong lead: the source value was right"),
                ]
            else:
                fixes.append(fix)
    return fixes, pair


def _rejected_fixes(
    rng: random.Random, fixable: list[FixableRecord], used: set[tuple[str, str]]
) -> list[Fix]:
    """Fixes the factory must reject, one or more per reason, on records and fields not fixed otherwise."""

    def record_for(field: str) -> str | None:
        options = [
            r for r, planted in fixable if (r, field) not in used and any(f[0] == field for f in planted)
        ]
        options = options or [r for r, _ in fixable if (r, field) not in used]
        if not options:
            return None
        record_id = pick(rng, options)
        used.add((record_id, field))
        return record_id

    unknown = f"form:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
    rejected = [
        Fix(unknown, "first_name", "Alex", "set", "rejected", "from a business card", "unknown_record"),
        Fix(
            "upload:000000000000:2",
            "country",
            "DE",
            "set",
            "rejected",
            "from a business card",
            "unknown_record",
        ),
    ]
    for field, value in UNFIXABLE_FIELDS:
        if record_id := record_for(field):
            rejected.append(
                Fix(record_id, field, value, "set", "rejected", "merge request", "unfixable_field")
            )
    for field, value in INVALID_VALUES:
        if record_id := record_for(field):
            rejected.append(Fix(record_id, field, value, "set", "rejected", NOTES[field], "invalid_value"))
    return rejected


def write_steward_fixes(
    folder: Path, truth_dir: Path, fixable: list[FixableRecord], seed: int, size: int, as_of: date
) -> tuple[str, Counter[str]]:
    """Write ``folder/fixes_<as_of>.csv`` and its truth; returns the file name and the rows per outcome.

    ``fixable`` are the jobs' inbound records with a defect a steward can fix, in job order.
    """
    rng = random.Random(f"{seed}:steward_fixes")
    fixes, pair = _sample_fixes(rng, fixable, max(MINIMUM_FIXES, round(size * FIX_SHARE)))
    used = {(f.record_id, f.field) for f in (*fixes, *pair)}
    rows = fixes + _rejected_fixes(rng, fixable, used)
    rng.shuffle(rows)
    if pair:  # the set row somewhere in the first half, its revert last
        rows.insert(below(rng, len(rows) // 2 + 1), pair[0])
        rows.append(pair[1])

    start = int(datetime(as_of.year, as_of.month, as_of.day, 8, tzinfo=UTC).timestamp())
    step = max(1, 9 * 3600 // max(1, len(rows)))  # over a working day, in file order
    folder.mkdir(parents=True, exist_ok=True)
    name = f"fixes_{as_of}.csv"
    truth = []
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for number, fix in enumerate(rows, start=1):
            fix_id = f"FX{number:06d}"
            at = start + (number - 1) * step + below(rng, step)
            field, value, action = fix.field, fix.new_value, fix.action
            if number % 8 == 3:
                field = field.capitalize()
            elif number % 13 == 6:
                field = f" {field} "
            if value and number % 10 == 4:
                value = f"{value} "
            if action == "set":
                r = rng.random()
                action = "" if r < 0.3 else "SET" if r < 0.4 else "set"
            elif number % 2:
                action = action.capitalize()
            fixed_at = iso(at) + "Z" if number % 6 else iso(at, 60) + "+01:00"
            writer.writerow(
                [fix_id, fix.record_id, field, value, action, pick(rng, STEWARDS), fixed_at, fix.note]
            )
            truth.append(
                (
                    fix_id,
                    fix.record_id,
                    fix.field,
                    fix.new_value,
                    fix.action,
                    fix.outcome,
                    fix.reason,
                    fix.defect,
                )
            )
    with (truth_dir / "steward_fixes.csv").open("w", encoding="utf-8", newline="") as handle:
        truth_writer = csv.writer(handle, lineterminator="\n")
        truth_writer.writerow(TRUTH_COLUMNS)
        truth_writer.writerows(truth)
    return name, Counter(fix.outcome for fix in rows)
