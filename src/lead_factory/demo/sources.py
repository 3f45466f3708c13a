"""The landing files of each source: CRM exports, form submissions, list uploads and the directory.

The main process plans one ``Job`` per landing file (which records go in it, where the bad rows go);
``write_job`` then writes the file in the format of its landing kind (``lead_factory.landing.kinds``)
with a random generator of its own, seeded from the demo seed and the file path, so that jobs can
run in any order or in parallel and still give the same bytes. Every loadable record and every bad
row is reported to the job's part of the truth.
"""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from lead_factory.demo import pools
from lead_factory.demo.layouts import (
    CRM_STYLE,
    EXTRA_VALUES,
    FORM_STYLE,
    FORMS,
    LEAD_SOURCE_WEIGHTS,
    LEAD_STATUS_WEIGHTS,
    UPLOAD_FILES,
    UTM,
    UploadFile,
)
from lead_factory.demo.mess import CRM, INBOUND, Defects, Mess
from lead_factory.demo.phones import render
from lead_factory.demo.pools import below, pick
from lead_factory.demo.truth import (
    INVALID_UTF8_MARKER,
    CsvFile,
    EmailHit,
    FixableRecord,
    TruthPart,
    write_file,
)
from lead_factory.demo.world import Person, SalesforceIds, World
from lead_factory.landing.kinds import KINDS_BY_NAME

DAY = 86_400
_EPOCH = datetime(1970, 1, 1)
to_json = json.JSONEncoder(ensure_ascii=False).encode  # one encoder; json.dumps(**kw) builds one per call
_PERSON_FIELDS = ("first_name", "last_name", "email", "company", "job_title", "phone", "country")


@dataclass(slots=True)
class Slot:
    """One planned inbound lead record."""

    at: int  # epoch seconds (UTC)
    source: str  # form, upload or crm_lead
    person: Person
    repeat: bool
    hostile: str | None = None


@dataclass
class Job:
    """One landing file to write: its kind, path, records and where bad rows go (index → reasons)."""

    kind: str
    path: str
    slots: list[Slot] = field(default_factory=list)
    bad: dict[int, list[str]] = field(default_factory=dict)
    upload: UploadFile | None = None


@dataclass
class JobResult:
    """What a written job reports back: row counts, its part of the truth and the directory listing,
    and what the contact events and steward fixes are drawn from (see ``TruthPart``)."""

    path: str
    kind: str
    rows: int
    bad_rows: int
    truth_paths: tuple[Path, Path]
    rejects: list[tuple[str, int, str]]
    defect_counts: Counter[str]
    record_counts: Counter[str]
    listed: set[str] = field(default_factory=set)
    email_hits: list[EmailHit] = field(default_factory=list)
    fixable: list[FixableRecord] = field(default_factory=list)


def iso(at: int, offset_minutes: int = 0) -> str:
    return (_EPOCH + timedelta(seconds=at + offset_minutes * 60)).isoformat()


def sf_datetime(at: int) -> str:
    """Salesforce API form: 2026-10-01T12:03:04.000+0000."""
    return iso(at) + ".000+0000"


def _offset_minutes(offset: str) -> int:
    return 0 if offset == "Z" else int(offset[0] + "1") * (int(offset[1:3]) * 60 + int(offset[4:6]))


_OFFSETS = {o: _offset_minutes(o) for c in pools.COUNTRIES for o in (*c.utc_offsets, "Z")}


# -- planning ----------------------------------------------------------------------------------------


def _bad_positions(
    rng: random.Random, count: int, minimum: int, reasons: tuple[str, ...]
) -> dict[int, list[str]]:
    """Before which of ``count`` records bad rows go (≈0.1 %, at least ``minimum``), and why."""
    positions: dict[int, list[str]] = {}
    for i in range(max(minimum, round(count / 1000)) if count else 0):
        positions.setdefault(below(rng, count), []).append(reasons[i % len(reasons)])
    return positions


def _split(bad: dict[int, list[str]], offset: int, count: int) -> dict[int, list[str]]:
    """The bad positions that fall in records ``offset .. offset + count``, renumbered from 0."""
    return {i - offset: reasons for i, reasons in bad.items() if offset <= i < offset + count}


def plan_jobs(rng: random.Random, slots: list[Slot], start: int, span: int) -> list[Job]:
    """One job per landing file, in the order their truth rows are written."""
    forms = [s for s in slots if s.source == "form"]
    uploads = [s for s in slots if s.source == "upload"]
    leads = [s for s in slots if s.source == "crm_lead"]
    jobs = [
        Job("crm_accounts", "crm/accounts/accounts_export.csv"),
        Job("crm_contacts", "crm/contacts/contacts_export.csv"),
    ]

    # Forms: one file per week, named after the week's first day.
    bad = _bad_positions(rng, len(forms), 3, ("malformed_json", "not_an_object", "missing_key"))
    weeks: dict[int, list[Slot]] = {}
    for slot in forms:
        weeks.setdefault((slot.at - start) // (7 * DAY), []).append(slot)
    offset = 0
    for week, week_slots in sorted(weeks.items()):
        path = f"forms/submissions_{iso(start + week * 7 * DAY)[:10]}.jsonl"
        jobs.append(Job("forms", path, week_slots, _split(bad, offset, len(week_slots))))
        offset += len(week_slots)

    # Uploads: each file style takes a stretch of time, in shuffled order; named after its last day.
    styles = list(UPLOAD_FILES)
    rng.shuffle(styles)
    n = len(styles)
    cuts = [start + int(span * (k + rng.uniform(-0.3, 0.3)) / n) for k in range(1, n)] + [start + span]
    segments: list[list[Slot]] = [[] for _ in styles]
    k = 0
    for slot in uploads:
        while slot.at >= cuts[k]:
            k += 1
        segments[k].append(slot)
    bad = _bad_positions(rng, len(uploads), 2, ("wrong_field_count", "invalid_utf8"))
    offset = 0
    for style, segment, end in zip(styles, segments, cuts, strict=True):
        if not segment:  # at small sizes a stretch of time can hold no upload: write no empty file
            continue
        path = f"uploads/{style.folder}/{style.name}_{iso(end - 1)[:10]}.csv"
        jobs.append(Job("uploads", path, segment, _split(bad, offset, len(segment)), style))
        offset += len(segment)

    bad = _bad_positions(rng, len(leads), 1, ("missing_key",))
    jobs.append(Job("crm_leads", "crm/leads/leads_export.csv", leads, bad))
    jobs.append(Job("directory", "directory/firmographics.csv"))
    return jobs


def record_defects(slot: Slot, defects: Defects) -> Defects:
    """The field defects plus the record-level ones: repeat_record, existing_contact."""
    if slot.repeat:
        defects.append(("record", "repeat_record"))
    if slot.person.contact_id:
        defects.append(("record", "existing_contact"))
    return defects


# -- writing -----------------------------------------------------------------------------------------


class JobWriter:
    """Writes the landing file of one job and its part of the truth."""

    def __init__(
        self, world: World, job: Job, seed: int, landing: Path, truth: TruthPart, as_of: int
    ) -> None:
        self.rng = random.Random(f"{seed}:{job.path}")
        self.world = world
        self.job = job
        self.mess = Mess(self.rng, world)
        self.truth = truth
        self.landing = landing
        self.as_of = as_of
        self.bad_rows = 0

    def run(self) -> JobResult:
        writer = {
            "crm_accounts": self.crm_accounts,
            "crm_contacts": self.crm_contacts,
            "crm_leads": self.crm_leads,
            "forms": self.forms,
            "uploads": self.uploads,
            "directory": self.directory,
        }[self.job.kind]
        rows, listed = writer()
        self.truth.close()
        return JobResult(
            self.job.path,
            self.job.kind,
            rows,
            self.bad_rows,
            self.truth.paths,
            self.truth.rejects,
            self.truth.defect_counts,
            self.truth.record_counts,
            listed,
            self.truth.email_hits,
            self.truth.fixable,
        )

    def _save(self, data: bytes) -> str:
        return write_file(self.landing, self.job.path, data)

    def _reject(self, line: int, reason: str) -> None:
        self.truth.reject(self.job.path, line, reason)
        self.bad_rows += 1

    def _owner(self) -> str:
        return pick(self.rng, self.world.owner_ids)

    def _lead_source(self) -> str:
        if self.rng.random() < 0.06:
            return ""
        return self.rng.choices(pools.LEAD_SOURCES, LEAD_SOURCE_WEIGHTS)[0]

    # -- CRM ---------------------------------------------------------------------------------------

    def crm_accounts(self) -> tuple[int, set[str]]:
        rng, mess = self.rng, self.mess
        csv_file = CsvFile(list(KINDS_BY_NAME["crm_accounts"].column_names))
        for company in self.world.accounts:
            assert company.phone is not None
            country = pools.COUNTRY_BY_CODE[company.country]
            created = self.as_of - rng.randint(120, 1500) * DAY + below(rng, DAY)
            csv_file.row(
                [
                    company.account_id,
                    company.name if rng.random() < 0.75 else mess.company_variant(company),
                    pick(rng, ("https://www.{}", "www.{}", "{}", "http://{}/")).format(company.domain),
                    company.industry if rng.random() < 0.9 else "",
                    company.employees if rng.random() < 0.85 else "",
                    company.revenue if rng.random() < 0.7 else "",
                    company.city,
                    pick(rng, country.aliases) if rng.random() < 0.7 else company.country,
                    render(
                        company.phone, company.phone_tail, pick(rng, ("international", "national", "e164"))
                    ),
                    pick(rng, pools.ACCOUNT_TYPES),
                    self._owner(),
                    sf_datetime(created),
                    sf_datetime(rng.randint(created, self.as_of - DAY)),
                    "false",
                ]
            )
        self._save(csv_file.data())
        return csv_file.rows, set()

    def crm_contacts(self) -> tuple[int, set[str]]:
        rng = self.rng
        path = self.job.path
        columns = list(KINDS_BY_NAME["crm_contacts"].column_names)
        csv_file = CsvFile(columns)
        for person in self.world.contacts:
            values, defects = self.mess.write(person, CRM, CRM_STYLE)
            defects = [d for d in defects if d[0] != "company"]  # a contact's company is its AccountId
            created = self.as_of - rng.randint(92, 1400) * DAY + below(rng, DAY)
            fields = {
                "Id": person.contact_id,
                "AccountId": person.company.account_id if person.company else "",
                "FirstName": values["first_name"],
                "LastName": values["last_name"],
                "Email": values["email"],
                "Phone": values["phone"],
                "Title": values["job_title"],
                "MailingStreet": values["street"],
                "MailingCity": values["city"],
                "MailingState": values["state"],
                "MailingPostalCode": values["postal_code"],
                "MailingCountry": values["country"],
                "LeadSource": self._lead_source(),
                "HasOptedOutOfEmail": str(rng.random() < 0.08).lower(),
                "OwnerId": self._owner(),
                "CreatedDate": sf_datetime(created),
                "LastModifiedDate": sf_datetime(rng.randint(created, self.as_of - DAY)),
                "IsDeleted": "false",
            }
            line = csv_file.row([fields.get(column, "") for column in columns])
            self.truth.record(
                f"crm_contact:{person.contact_id}",
                "crm_contact",
                path,
                line,
                person,
                defects,
                values["email"],
            )
        self._save(csv_file.data())
        return csv_file.rows, set()

    def crm_leads(self) -> tuple[int, set[str]]:
        rng = self.rng
        path = self.job.path
        lead_ids = SalesforceIds(rng, "00Q")
        columns = list(KINDS_BY_NAME["crm_leads"].column_names)
        columns.insert(columns.index("OwnerId"), "Lead_Score__c")  # a custom field: schema drift
        csv_file = CsvFile(columns)
        for i, slot in enumerate(self.job.slots):
            person = slot.person
            values, defects = self.mess.write(person, CRM, CRM_STYLE, slot.repeat, slot.hostile)
            company = values["company"]
            if company is None:  # Company is required in Salesforce
                company = "[not provided]"
                defects.append(("company", "placeholder"))
            converted = bool(person.contact_id) and rng.random() < 0.3
            status = rng.choices(pools.LEAD_STATUSES, LEAD_STATUS_WEIGHTS)[0]
            lead_id = lead_ids.next()
            fields = {
                "Id": lead_id,
                "FirstName": values["first_name"],
                "LastName": values["last_name"],
                "Email": values["email"],
                "Phone": values["phone"],
                "Company": company,
                "Title": values["job_title"],
                "Website": values["website"],
                "Street": values["street"],
                "City": values["city"],
                "State": values["state"],
                "PostalCode": values["postal_code"],
                "Country": values["country"],
                "LeadSource": self._lead_source(),
                "Status": "Closed - Converted" if converted else status,
                "IsConverted": str(converted).lower(),
                "ConvertedAccountId": person.company.account_id if converted and person.company else "",
                "ConvertedContactId": person.contact_id if converted else "",
                "HasOptedOutOfEmail": str(rng.random() < 0.05).lower(),
                "Lead_Score__c": below(rng, 101) if rng.random() < 0.8 else "",
                "OwnerId": self._owner(),
                "CreatedDate": sf_datetime(slot.at),
                "LastModifiedDate": sf_datetime(min(self.as_of - 1, slot.at + below(rng, 10 * DAY))),
                "IsDeleted": "false",
            }
            row = [fields.get(column, "") for column in columns]
            for reason in self.job.bad.get(i, ()):  # missing_key: the same row without its Id
                self._reject(csv_file.row(["", *row[1:]]), reason)
            line = csv_file.row(row)
            defects = record_defects(slot, defects)
            self.truth.record(f"crm_lead:{lead_id}", "crm_lead", path, line, person, defects, values["email"])
        self._save(csv_file.data())
        return csv_file.rows, set()

    # -- forms -------------------------------------------------------------------------------------

    def forms(self) -> tuple[int, set[str]]:
        path = self.job.path
        lines: list[str] = []
        for i, slot in enumerate(self.job.slots):
            record, defects = self._submission(slot)
            for reason in self.job.bad.get(i, ()):
                lines.append(self._bad_submission(record, reason))
                self._reject(len(lines), reason)
            lines.append(to_json(record))
            record_id = f"form:{record['submission_id']}"
            self.truth.record(
                record_id,
                "form",
                path,
                len(lines),
                slot.person,
                record_defects(slot, defects),
                record["email"],
            )
        self._save(("\n".join(lines) + "\n").encode())
        return len(lines), set()

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _submission(self, slot: Slot) -> tuple[dict[str, object], Defects]:
        rng = self.rng
        values, defects = self.mess.write(slot.person, INBOUND, FORM_STYLE, slot.repeat, slot.hostile)
        form_id, page = pick(rng, FORMS)
        source, medium, campaigns = pick(rng, UTM)
        campaign = pick(rng, campaigns)
        url = f"https://www.leadfactory-demo.example{page}"
        if source:
            url += f"?utm_source={source}&utm_medium={medium}"
            url += f"&utm_campaign={campaign}" if campaign else ""
        offset = (
            "Z" if rng.random() < 0.2 else pick(rng, pools.COUNTRY_BY_CODE[slot.person.country].utc_offsets)
        )
        millis = f".{below(rng, 1000):03d}" if rng.random() < 0.3 else ""
        record: dict[str, object] = {
            "submission_id": self._uuid(),
            "form_id": form_id,
            "page_url": url,
            "utm_source": source,
            "utm_medium": medium,
            "utm_campaign": campaign,
        }
        for key in _PERSON_FIELDS:
            value = values[key]
            record[key] = "" if value is None and rng.random() < 0.7 else value
        record["consent"] = rng.random() < 0.7
        record["submitted_at"] = iso(slot.at, _OFFSETS[offset]) + millis + offset
        if medium.lower() == "cpc" and source.lower() == "google" and rng.random() < 0.5:
            record["gclid"] = f"Cj0KCQjw{rng.getrandbits(64):016x}"  # an unexpected key
        return record, defects

    def _bad_submission(self, record: dict[str, object], reason: str) -> str:
        bad = dict(record, submission_id=self._uuid())
        if reason == "not_an_object":
            return to_json(list(bad.values()))
        if reason == "missing_key":
            del bad["submission_id"]
            return to_json(bad)
        text = to_json(bad)  # malformed_json: cut off mid-way
        return text[: len(text) // 2]

    # -- uploads -----------------------------------------------------------------------------------

    def uploads(self) -> tuple[int, set[str]]:
        rng, spec, path = self.rng, self.job.upload, self.job.path
        assert spec is not None
        fields = [logical for logical, _ in spec.columns]
        absent = [f for f in _PERSON_FIELDS if f not in fields]
        headers = [header for _, header in spec.columns]
        csv_file = CsvFile(headers, spec.delimiter, spec.bom, spec.lineterminator)
        pending: list[tuple[int, Slot, Defects, str | None]] = []
        for i, slot in enumerate(self.job.slots):
            values, defects = self.mess.write(slot.person, INBOUND, spec.style, slot.repeat, slot.hostile)
            for name in absent:  # a column the file lacks leaves the value missing
                defects = [d for d in defects if d[0] != name] + [(name, "missing")]
            values["registered_at"] = (_EPOCH + timedelta(seconds=slot.at)).strftime(spec.date_format)
            values["consent"] = spec.consent[0] if rng.random() < 0.65 else spec.consent[1]
            row = [values[f] if f in values else pick(rng, EXTRA_VALUES[f[6:]]) for f in fields]
            for reason in self.job.bad.get(i, ()):
                self._reject(self._bad_upload_row(csv_file, fields, row, reason), reason)
            email = values["email"] if "email" in fields else None
            pending.append((csv_file.row(row), slot, record_defects(slot, defects), email))
        sha = self._save(csv_file.data())
        for line, slot, defects, email in pending:
            self.truth.record(f"upload:{sha[:12]}:{line}", "upload", path, line, slot.person, defects, email)
        return csv_file.rows, set()

    @staticmethod
    def _bad_upload_row(csv_file: CsvFile, fields: list[str], row: Sequence[object], reason: str) -> int:
        if reason == "invalid_utf8":  # a latin-1 "ü" in the last name
            bad_row = list(row)
            bad_row[fields.index("last_name")] = f"M{INVALID_UTF8_MARKER}ller"
            return csv_file.row(bad_row)
        # wrong_field_count: the company holds the delimiter, unquoted, so the row has one field too many.
        cells = ["".join(ch for ch in str(v or "") if ch not in f'"\r\n{csv_file.delimiter}') for v in row]
        company = fields.index("company")
        cells[company] = f"{cells[company] or 'Acme'}{csv_file.delimiter} Inc"
        return csv_file.raw_line(csv_file.delimiter.join(cells))

    # -- directory ---------------------------------------------------------------------------------

    def directory(self) -> tuple[int, set[str]]:
        """The firmographic directory: about 80 % of companies; returns the company ids it lists."""
        csv_file = CsvFile(list(KINDS_BY_NAME["firmographics"].column_names))
        listed: set[str] = set()
        for c in self.world.companies:
            if self.rng.random() < 0.8:
                csv_file.row([c.domain, c.name, c.industry, c.employees, c.revenue, c.country, c.city])
                listed.add(c.company_id)
        self._save(csv_file.data())
        return csv_file.rows, listed
