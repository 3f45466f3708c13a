"""In-memory landing files that know their line numbers, and the writers of the planted truth."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lead_factory.demo.world import Company, Person

RECORD_COLUMNS = (
    "record_id",
    "source",
    "file_path",
    "line_number",
    "person_id",
    "company_id",
    "account_id",
    "first_name",
    "last_name",
    "email",
    "phone_e164",
    "country_code",
    "company_name",
    "domain",
    "defects",
)
DEFECT_COLUMNS = ("record_id", "field", "defect")
COMPANY_COLUMNS = (
    "company_id",
    "account_id",
    "company_name",
    "domain",
    "country_code",
    "city",
    "industry",
    "employee_count",
    "annual_revenue",
    "in_directory",
)
# A row holding this marker gets it replaced by a lone latin-1 byte: invalid UTF-8 on purpose.
INVALID_UTF8_MARKER = "\ue000latin1-u-umlaut\ue000"
# Planted defects a data steward can correct from the truth: (field, defect) → (the field as the
# factory names it, index of the true value in ``Person.truth``).
STEWARD_FIXABLE: dict[tuple[str, str], tuple[str, int]] = {
    ("first_name", "junk_name"): ("first_name", 3),
    ("last_name", "junk_name"): ("last_name", 4),
    ("email", "invalid_email"): ("email", 5),
    ("email", "disposable_email"): ("email", 5),
    ("email", "role_email"): ("email", 5),
    ("phone", "invalid_phone"): ("phone", 6),
    ("country", "missing"): ("country", 7),
    ("country", "placeholder"): ("country", 7),
    ("country", "unknown_country"): ("country", 7),
    ("company", "missing"): ("company_name", 8),
    ("company", "placeholder"): ("company_name", 8),
}
EmailHit = tuple[str, str, str, bool]  # (normalised email, record id, person id, planted email_typo)
FixableRecord = tuple[str, tuple[tuple[str, str, str], ...]]  # (record id, ((field, defect, true value) ...))


def email_key(value: str) -> str:
    """``value`` as the normalise_email macro stores it, for the addresses the generator writes
    (whitespace noise, no-break spaces included, and case noise): trimmed and lower-cased."""
    return " ".join(value.split()).lower()


class CsvFile:
    """A CSV file built in memory; ``row`` returns the physical line on which the row starts."""

    def __init__(
        self, header: list[str], delimiter: str = ",", bom: bool = False, lineterminator: str = "\n"
    ) -> None:
        self.delimiter = delimiter
        self.lineterminator = lineterminator
        self.rows = 0
        self._bom = bom
        self._chunks: list[str] = []
        self._line = 1
        self._writer = csv.writer(self, delimiter=delimiter, lineterminator=lineterminator)
        self._writer.writerow(header)

    def write(self, text: str) -> None:  # the file-like end of csv.writer
        self._chunks.append(text)
        self._line += text.count("\n")

    def row(self, values: list[Any]) -> int:
        line = self._line
        self._writer.writerow(values)
        self.rows += 1
        return line

    def raw_line(self, text: str) -> int:
        """Append one line as is (for rows that are malformed on purpose)."""
        line = self._line
        self.write(text + self.lineterminator)
        self.rows += 1
        return line

    def data(self) -> bytes:
        text = "".join(self._chunks)
        data = ("\ufeff" if self._bom else "").encode() + text.encode()
        return data.replace(INVALID_UTF8_MARKER.encode(), b"\xfc")


class TruthPart:
    """The truth rows of one job: records and defects go to part files, the rest is kept for the summary."""

    def __init__(self, part_dir: Path, name: str, watched_emails: frozenset[str] = frozenset()) -> None:
        self.paths = (part_dir / f"{name}.records.csv", part_dir / f"{name}.defects.csv")
        self.watched_emails = watched_emails
        # Records whose written email is watched (a planned contact event) or has a planted typo.
        self.email_hits: list[EmailHit] = []
        # Inbound records with a defect a steward can fix, and the true values.
        self.fixable: list[FixableRecord] = []
        self._files = [path.open("w", newline="", encoding="utf-8") for path in self.paths]
        self._records = csv.writer(self._files[0], lineterminator="\n")
        self._defects = csv.writer(self._files[1], lineterminator="\n")
        self.rejects: list[tuple[str, int, str]] = []
        self.defect_counts: Counter[str] = Counter()
        self.record_counts: Counter[str] = Counter()

    def record(
        self,
        record_id: str,
        source: str,
        path: str,
        line: int,
        person: Person,
        defects: list[tuple[str, str]],
        email: object = None,
    ) -> None:
        """One record of the truth; ``email`` is the email as written in the landing file."""
        codes = [code for _, code in defects]
        self._records.writerow((record_id, source, path, line, *person.truth, ";".join(dict.fromkeys(codes))))
        self._defects.writerows([(record_id, field, code) for field, code in defects])
        self.defect_counts.update(codes)
        self.record_counts[source] += 1
        if email and isinstance(email, str):
            key = email_key(email)
            typo = "email_typo" in codes
            if typo or key in self.watched_emails:
                self.email_hits.append((key, record_id, person.person_id, typo))
        if source != "crm_contact":
            fixes = tuple(
                (STEWARD_FIXABLE[d][0], d[1], person.truth[STEWARD_FIXABLE[d][1]])
                for d in defects
                if d in STEWARD_FIXABLE
            )
            if fixes:
                fixes = tuple(fix for fix in fixes if fix[2])  # a freelancer has no true company
                if fixes:
                    self.fixable.append((record_id, fixes))

    def reject(self, path: str, line: int, reason: str) -> None:
        self.rejects.append((path, line, reason))

    def close(self) -> None:
        for f in self._files:
            f.close()


def _write_csv(path: Path, header: tuple[str, ...], rows: Iterable[Iterable[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_truth(
    truth_dir: Path,
    part_paths: list[tuple[Path, Path]],
    rejects: list[tuple[str, int, str]],
    companies: list[Company],
    listed: set[str],
    summary: dict[str, Any],
) -> None:
    """Join the jobs' part files (in job order) into records.csv and defects.csv; write the rest."""
    for index, name, header in ((0, "records.csv", RECORD_COLUMNS), (1, "defects.csv", DEFECT_COLUMNS)):
        with (truth_dir / name).open("wb") as out:
            out.write((",".join(header) + "\n").encode())
            for paths in part_paths:
                with paths[index].open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
                paths[index].unlink()
    _write_csv(truth_dir / "rejects.csv", ("file_path", "line_number", "reason"), sorted(rejects))
    _write_csv(
        truth_dir / "companies.csv",
        COMPANY_COLUMNS,
        (
            (
                c.company_id,
                c.account_id,
                c.name,
                c.domain,
                c.country,
                c.city,
                c.industry,
                c.employees,
                c.revenue,
                str(c.company_id in listed).lower(),
            )
            for c in companies
        ),
    )
    write_summary(truth_dir, summary)


def write_summary(truth_dir: Path, summary: dict[str, Any]) -> None:
    text = json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    (truth_dir / "summary.json").write_text(text, encoding="utf-8")


def write_file(landing: Path, relative_path: str, data: bytes) -> str:
    """Write ``data`` under the landing root; returns the SHA-256 of the bytes."""
    path = landing / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()
