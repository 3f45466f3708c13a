"""Tests of the landing loader: small hand-written files in a temporary landing folder, a real DuckDB file."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from lead_factory.enrichment.cache import ENRICHMENT_TABLES
from lead_factory.erasure.registry import ERASURE_TABLES
from lead_factory.landing.kinds import KINDS, KINDS_BY_NAME, METADATA_COLUMNS
from lead_factory.landing.loader import BatchReport, LandingError, land
from lead_factory.runs import RUN_TABLES

LEAD_FACTORY = str(Path(sys.executable).parent / "lead-factory")
BOOKKEEPING = (
    "landing_batches",
    "landed_files",
    "landed_file_columns",
    "landing_rejects",
    "refused_files",
    "landing_kinds",
)

LEADS_CSV = "Id,FirstName,LastName,Email\nL1,Ann,Lee,ann@example.com\nL2,Bob,Ray,bob@example.com\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "landing"
    path.mkdir()
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "lf.duckdb"


def write(root: Path, relative: str, content: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def query(db: Path, sql: str, parameters: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(db)) as con:
        return con.execute(sql, parameters or []).fetchall()


def snapshot(db: Path) -> dict[str, tuple[int, tuple[str, ...]]] | None:
    """Every table's row count and columns, or None when there is no database file."""
    if not db.exists():
        return None
    with duckdb.connect(str(db)) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables() order by all").fetchall()
        result = {}
        for schema, table in tables:
            count = con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
            columns = con.execute(
                "select column_name from duckdb_columns() where schema_name = ? and table_name = ?",
                [schema, table],
            ).fetchall()
            result[f"{schema}.{table}"] = (count, tuple(c[0] for c in columns))
        return result


def rejects(db: Path, file_path: str) -> list[tuple[int, str, str]]:
    return query(
        db,
        "select line_number, raw_text, reason from raw.landing_rejects where file_path = ? order by 1",
        [file_path],
    )


# --- loading ---------------------------------------------------------------------------------------


def test_loads_rows_with_metadata(root: Path, db: Path) -> None:
    path = write(root, "crm/leads/leads_1.csv", LEADS_CSV)

    report = land(root, db)

    assert (report.files_loaded, report.files_skipped) == (1, 0)
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (2, 2, 0)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    rows = query(
        db,
        """select "Id", "FirstName", "Email", "Phone", _lf_batch_id, _lf_file_path, _lf_file_sha256,
            _lf_line_number, _lf_loaded_at is not null, _lf_extra
        from raw.crm_leads order by _lf_line_number""",
    )
    assert rows == [
        ("L1", "Ann", "ann@example.com", None, report.batch_id, "crm/leads/leads_1.csv", sha, 2, True, None),
        ("L2", "Bob", "bob@example.com", None, report.batch_id, "crm/leads/leads_1.csv", sha, 3, True, None),
    ]
    assert query(
        db, "select file_path, file_sha256, kind, batch_id, file_bytes, rows_in from raw.landed_files"
    ) == [("crm/leads/leads_1.csv", sha, "crm_leads", report.batch_id, len(LEADS_CSV), 2)]
    assert query(
        db, "select batch_id, files_loaded, files_skipped, rows_in, rows_loaded from raw.landing_batches"
    ) == [(report.batch_id, 1, 0, 2, 2)]


def test_every_run_creates_all_raw_tables(root: Path, db: Path) -> None:
    land(root, db)  # an empty landing folder

    tables = {t for (t,) in query(db, "select table_name from duckdb_tables() where schema_name = 'raw'")}
    # The enrichment step's cache, the run ledger and the erasure registry too, so dbt's sources
    # exist before their first run.
    own = set(ENRICHMENT_TABLES) | set(RUN_TABLES) | set(ERASURE_TABLES)
    assert tables == {k.raw_table for k in KINDS} | set(BOOKKEEPING) | own
    for kind in KINDS:
        columns = query(
            db,
            "select column_name, data_type from duckdb_columns()"
            " where schema_name = 'raw' and table_name = ?",
            [kind.raw_table],
        )
        assert [c for c, _ in columns] == [*kind.column_names, *(c.name for c in METADATA_COLUMNS)]
        assert {c: t for c, t in columns}["_lf_line_number"] == "BIGINT"


def test_adds_kind_columns_missing_from_an_existing_table(root: Path, db: Path) -> None:
    db.parent.mkdir(parents=True)
    with duckdb.connect(str(db)) as con:
        con.execute('create schema raw; create table raw.crm_leads ("Id" varchar, "Email" varchar)')
        con.execute("insert into raw.crm_leads values ('OLD', 'old@example.com')")
    write(root, "crm/leads/leads_1.csv", LEADS_CSV)

    land(root, db)

    columns = {
        c for (c,) in query(db, "select column_name from duckdb_columns() where table_name = 'crm_leads'")
    }
    assert set(KINDS_BY_NAME["crm_leads"].column_names) <= columns
    assert query(db, 'select count(*), count("FirstName") from raw.crm_leads') == [(3, 2)]


def test_jsonl_values_are_kept_as_text(root: Path, db: Path) -> None:
    line = (
        '{"submission_id": "S1", "consent": true, "form_id": 42, "page_url": 1.50, "utm_source": null,'
        ' "company": {"name": "Acme", "size": [1, 2.0e3]}, "score": 3.10, "tags": ["a", false]}'
    )
    write(root, "forms/forms_1.jsonl", line + "\n")

    land(root, db)

    rows = query(
        db,
        "select consent, form_id, page_url, utm_source, company, _lf_extra::varchar, _lf_line_number"
        " from raw.form_submissions",
    )
    assert rows == [
        (
            "true",
            "42",
            "1.50",
            None,
            '{"name": "Acme", "size": [1, 2.0e3]}',
            '{"score": 3.10, "tags": ["a", false]}',
            1,
        )
    ]


def test_skips_dotfiles_when_landing_the_whole_folder(root: Path, db: Path) -> None:
    write(root, "crm/leads/leads_1.csv", LEADS_CSV)
    write(root, ".DS_Store", b"\x00\x01")
    write(root, "crm/leads/.DS_Store", b"\x00\x01")

    report = land(root, db)

    assert [f.path for f in report.files] == ["crm/leads/leads_1.csv"]


# --- idempotency -----------------------------------------------------------------------------------


def test_landing_twice_adds_nothing(root: Path, db: Path) -> None:
    write(root, "crm/leads/leads_1.csv", LEADS_CSV)
    land(root, db)
    before = snapshot(db)

    report = land(root, db)

    assert snapshot(db) == before
    assert report.files_skipped == 1 and report.rows_in == 0
    assert report.files[0].line() == "crm/leads/leads_1.csv [crm_leads]: skipped: already loaded"


def test_same_bytes_under_another_name_are_skipped(root: Path, db: Path) -> None:
    write(root, "crm/leads/leads_1.csv", LEADS_CSV)
    land(root, db)
    before = snapshot(db)
    copy = write(root, "crm/leads/leads_1_copy.csv", LEADS_CSV)

    report = land(root, db, [copy])

    assert snapshot(db) == before
    assert report.files[0].already_loaded_as == "crm/leads/leads_1.csv"
    assert "skipped: already loaded as crm/leads/leads_1.csv" in report.lines()[0]


def test_same_bytes_twice_in_one_batch_load_once(root: Path, db: Path) -> None:
    write(root, "crm/leads/a.csv", LEADS_CSV)
    write(root, "crm/leads/b.csv", LEADS_CSV)

    report = land(root, db)

    assert (report.files_loaded, report.files_skipped) == (1, 1)
    assert query(db, "select count(*) from raw.crm_leads") == [(2,)]


# --- headers and drift -----------------------------------------------------------------------------


def test_headers_match_by_alias(root: Path, db: Path) -> None:
    write(
        root,
        "uploads/events/expo.csv",
        "First Name,SURNAME,E-mail Address,Country/Region,Opt-in,company name\n"
        "Ann,Lee,ann@example.com,DE,yes,Acme\n",
    )

    land(root, db)

    assert query(db, "select first_name, last_name, email, country, consent, company from raw.uploads") == [
        ("Ann", "Lee", "ann@example.com", "DE", "yes", "Acme")
    ]
    mapped = query(
        db,
        "select header, column_name from raw.landed_file_columns where status = 'mapped' order by all",
    )
    assert ("E-mail Address", "email") in mapped and ("SURNAME", "last_name") in mapped


def test_drift_is_recorded_and_extra_values_kept(root: Path, db: Path) -> None:
    write(root, "directory/companies.csv", "Domain,Company,Founded,Ticker\nacme.com,Acme,1999,\n")

    report = land(root, db)

    assert query(db, "select domain, company_name, industry, _lf_extra::varchar from raw.firmographics") == [
        ("acme.com", "Acme", None, '{"Founded": "1999", "Ticker": ""}')
    ]
    columns = query(
        db,
        "select header, column_name, status from raw.landed_file_columns"
        " order by status, header, column_name",
    )
    assert columns == [
        ("Company", "company_name", "mapped"),
        ("Domain", "domain", "mapped"),
        (None, "annual_revenue", "missing"),
        (None, "city", "missing"),
        (None, "country", "missing"),
        (None, "employee_count", "missing"),
        (None, "industry", "missing"),
        ("Founded", None, "unexpected"),
        ("Ticker", None, "unexpected"),
    ]
    file = report.files[0]
    assert file.unexpected_headers == ("Founded", "Ticker")
    assert "new columns: Founded, Ticker" in file.line() and "missing columns: industry" in file.line()


def test_jsonl_keys_are_matched_and_recorded(root: Path, db: Path) -> None:
    write(
        root,
        "forms/forms_1.jsonl",
        '{"submission_id": "S1", "Email": "a@example.com", "referrer": "x"}\n{"submission_id": "S2"}\n',
    )

    land(root, db)

    assert query(db, "select email, _lf_extra::varchar from raw.form_submissions order by 1") == [
        ("a@example.com", '{"referrer": "x"}'),
        (None, None),
    ]
    statuses = dict(query(db, "select coalesce(header, column_name), status from raw.landed_file_columns"))
    assert statuses["Email"] == "mapped" and statuses["referrer"] == "unexpected"
    assert statuses["form_id"] == "missing"


def test_steward_fixes_land_with_aliases_and_key_less_rows_rejected(root: Path, db: Path) -> None:
    write(
        root,
        "fixes/fixes_2026-11-01.csv",
        "Fix ID,Record ID,Field Name,Value,Action,Steward,Timestamp,Comment\n"
        "F1,form:abc,Country,DE,,ann,2026-11-01T09:00:00Z,confirmed\n"
        ",form:abc,email,a@example.com,set,ann,2026-11-01T09:05:00Z,no id\n"
        "F2,form:abc,country,,revert,ann,2026-11-01T10:00:00Z,wrong lead\n",
    )

    report = land(root, db)

    assert report.files[0].kind == "steward_fixes"
    assert query(
        db,
        "select fix_id, record_id, field, new_value, action, fixed_by, fixed_at, reason, _lf_line_number"
        " from raw.steward_fixes order by _lf_line_number",
    ) == [
        ("F1", "form:abc", "Country", "DE", "", "ann", "2026-11-01T09:00:00Z", "confirmed", 2),
        ("F2", "form:abc", "country", "", "revert", "ann", "2026-11-01T10:00:00Z", "wrong lead", 4),
    ]
    assert rejects(db, "fixes/fixes_2026-11-01.csv") == [
        (3, ",form:abc,email,a@example.com,set,ann,2026-11-01T09:05:00Z,no id", "missing key fix_id")
    ]
    mapped = query(db, "select header, column_name from raw.landed_file_columns where status = 'mapped'")
    assert {("Field Name", "field"), ("Value", "new_value"), ("Steward", "fixed_by")} <= set(mapped)


def test_contact_events_land_with_aliases_and_key_less_rows_rejected(root: Path, db: Path) -> None:
    write(
        root,
        "events/esp_2026-11-01.csv",
        "Event ID;Email Address;Event;Timestamp;Source System;Bounce Code\n"
        "E1; Ann@Example.com ;Hard_Bounce;2026-10-30T08:00:00+01:00;SendGrid;5.1.1\n"
        ";bob@example.com;unsubscribe;2026-10-30T09:00:00Z;SendGrid;\n"
        "E3;cy@example.com;erasure_request;2026-10-31;privacy portal;\n",
    )

    report = land(root, db)

    assert report.files[0].kind == "contact_events"
    assert query(
        db,
        "select event_id, email, event_type, occurred_at, source, note, _lf_extra::varchar"
        " from raw.contact_events order by _lf_line_number",
    ) == [
        (
            "E1",
            " Ann@Example.com ",
            "Hard_Bounce",
            "2026-10-30T08:00:00+01:00",
            "SendGrid",
            None,
            '{"Bounce Code": "5.1.1"}',
        ),
        (
            "E3",
            "cy@example.com",
            "erasure_request",
            "2026-10-31",
            "privacy portal",
            None,
            '{"Bounce Code": ""}',
        ),
    ]
    assert rejects(db, "events/esp_2026-11-01.csv") == [
        (3, ";bob@example.com;unsubscribe;2026-10-30T09:00:00Z;SendGrid;", "missing key event_id")
    ]
    statuses = {
        (header, column): status
        for header, column, status in query(
            db, "select header, column_name, status from raw.landed_file_columns"
        )
    }
    assert statuses[("Email Address", "email")] == statuses[("Event", "event_type")] == "mapped"
    assert statuses[("Timestamp", "occurred_at")] == statuses[("Source System", "source")] == "mapped"
    assert statuses[(None, "note")] == "missing" and statuses[("Bounce Code", None)] == "unexpected"


# --- CSV dialects ----------------------------------------------------------------------------------


def test_semicolon_csv_with_bom(root: Path, db: Path) -> None:
    content = '\ufeffId;FirstName;Email\r\nL1;Zoë;zoe@example.com\r\nL2;"Smith; Jr";s@example.com\r\n'
    write(root, "crm/leads/excel.csv", content.encode("utf-8"))

    land(root, db)

    assert query(db, 'select "Id", "FirstName", _lf_line_number from raw.crm_leads order by 1') == [
        ("L1", "Zoë", 2),
        ("L2", "Smith; Jr", 3),
    ]


def test_tab_separated_csv(root: Path, db: Path) -> None:
    write(root, "crm/leads/tabs.csv", "Id\tEmail\nL1\ta@example.com\n")

    land(root, db)

    assert query(db, 'select "Id", "Email" from raw.crm_leads') == [("L1", "a@example.com")]


def test_quoted_newline_delimiter_and_quote(root: Path, db: Path) -> None:
    write(
        root,
        "crm/leads/multi.csv",
        'Id,Company,Title\nL1,"Acme,\nInc.","The ""Boss"""\nL2,Beta,CTO\n',
    )

    land(root, db)

    assert query(db, 'select "Id", "Company", "Title", _lf_line_number from raw.crm_leads order by 1') == [
        ("L1", "Acme,\nInc.", 'The "Boss"', 2),
        ("L2", "Beta", "CTO", 4),
    ]


# --- rejects ---------------------------------------------------------------------------------------


def test_csv_rejects_have_line_raw_text_and_reason(root: Path, db: Path) -> None:
    content = (
        b"Id,FirstName,LastName,Email\n"  # 1
        b"L1,Ann,L\xc3\xa9e,ann@example.com\n"  # 2: UTF-8, so line 6 is damage, not another encoding
        b"L2,Bob,Ray,bob@example.com,surplus\n"  # 3
        b"\n"  # 4: blank, not a row
        b",Cy,Doe,cy@example.com\n"  # 5
        b"L4,J\xe9r\xf4me,Xu,j@example.com\n"  # 6: Latin-1
        b'L5,"Multi\nline",Zed,z@example.com\n'  # 7-8
        b'L6,"two\nlines",a,b,c\n'  # 9-10
        b'L7,"Open,x@example.com\n'  # 11
        b"never closed\n"  # 12
    )
    write(root, "crm/leads/bad.csv", content)

    report = land(root, db)

    assert rejects(db, "crm/leads/bad.csv") == [
        (3, "L2,Bob,Ray,bob@example.com,surplus", "expected 4 fields, got 5"),
        (5, ",Cy,Doe,cy@example.com", "missing key Id"),
        (
            6,
            "L4,J\\xe9r\\xf4me,Xu,j@example.com",
            "invalid UTF-8: byte 0xe9 at offset 4 of the line (invalid continuation byte)",
        ),
        (9, 'L6,"two\nlines",a,b,c', "expected 4 fields, got 5"),
        (11, 'L7,"Open,x@example.com\nnever closed', "unterminated quoted field at end of file"),
    ]
    assert query(db, 'select "Id", _lf_line_number from raw.crm_leads order by 2') == [("L1", 2), ("L5", 7)]
    file = report.files[0]
    assert (file.rows_in, file.rows_loaded, file.rows_rejected) == (7, 2, 5)
    assert query(db, "select rows_in, rows_loaded, rows_rejected from raw.landed_files") == [(7, 2, 5)]
    assert query(db, "select kind, count(distinct batch_id) from raw.landing_rejects group by 1") == [
        ("crm_leads", 1)
    ]
    # The console shows the first few rejected rows with their reasons, and where the rest are.
    lines = report.lines()
    at = lines.index(file.line())
    assert lines[at + 1 : at + 5] == [
        "    line 3: expected 4 fields, got 5",
        "    line 5: missing key Id",
        "    line 6: invalid UTF-8: byte 0xe9 at offset 4 of the line (invalid continuation byte)",
        "    ... and 2 more (select * from raw.landing_rejects where file_path = 'crm/leads/bad.csv')",
    ]


def test_jsonl_rejects_have_line_raw_text_and_reason(root: Path, db: Path) -> None:
    content = (
        b'{"submission_id": "S1", "email": "a@example.com", "first_name": "Zo\xc3\xab"}\n'  # 1: UTF-8
        b"\n"  # 2: blank
        b'{"submission_id": "S2", "email": \n'  # 3
        b"[1, 2]\n"  # 4
        b'{"email": "nokey@example.com"}\n'  # 5
        b'{"submission_id": "  "}\n'  # 6
        b'{"submission_id": "S7", "first_name": "J\xe9r\xf4me"}\n'  # 7
        b'{"submission_id": "S8"}'  # 8, no final newline
    )
    write(root, "forms/forms_1.jsonl", content)

    report = land(root, db)

    assert rejects(db, "forms/forms_1.jsonl") == [
        (3, '{"submission_id": "S2", "email": ', "malformed JSON: Expecting value at column 34"),
        (4, "[1, 2]", "JSON value is not an object (got array)"),
        (5, '{"email": "nokey@example.com"}', "missing key submission_id"),
        (6, '{"submission_id": "  "}', "missing key submission_id"),
        (
            7,
            '{"submission_id": "S7", "first_name": "J\\xe9r\\xf4me"}',
            "invalid UTF-8: byte 0xe9 at offset 40 of the line (invalid continuation byte)",
        ),
    ]
    assert query(db, "select submission_id, _lf_line_number from raw.form_submissions order by 2") == [
        ("S1", 1),
        ("S8", 8),
    ]
    file = report.files[0]
    assert (file.rows_in, file.rows_loaded, file.rows_rejected) == (7, 2, 5)


def test_rows_in_is_loaded_plus_rejected_for_every_file(root: Path, db: Path) -> None:
    write(root, "crm/leads/a.csv", "Id,Email\nL1,a@x\nL2\n,c@x\nL4,d@x,e\n")
    write(root, "forms/f.jsonl", '{"submission_id": "S1"}\nnot json\n"text"\n')
    write(root, "uploads/lists/l.csv", "email,phone\na@x,1\nb@x\nc@x,3\n")

    report = land(root, db)

    stored = query(db, "select rows_in, rows_loaded, rows_rejected from raw.landed_files")
    assert all(i == ok + bad for i, ok, bad in stored) and len(stored) == 3
    assert all(f.rows_in == f.rows_loaded + f.rows_rejected for f in report.files)
    assert report.rows_in == report.rows_loaded + report.rows_rejected == 10
    assert query(db, "select sum(rows_rejected) from raw.landed_files") == [(6,)]
    assert query(db, "select count(*) from raw.landing_rejects") == [(6,)]


# --- fatal errors: all or nothing ------------------------------------------------------------------
# Only a mistake on the command line or a warehouse that cannot be written stops a batch.


def test_a_named_file_that_is_not_there_is_fatal(root: Path, db: Path) -> None:
    write(root, "crm/leads/leads_1.csv", LEADS_CSV)
    land(root, db)
    before = snapshot(db)
    good = write(root, "forms/good.jsonl", '{"submission_id": "S1"}\n')

    with pytest.raises(LandingError, match=re.escape("crm/leads/nope.csv: no such file")):
        land(root, db, [good, root / "crm/leads/nope.csv"])
    with pytest.raises(LandingError, match="outside the landing directory"):
        land(root, db, [good, write(root.parent, "elsewhere/leads.csv", LEADS_CSV)])

    assert snapshot(db) == before


# --- bad files: kept aside with their reason, the rest of the batch lands ---------------------------

BadFile = Callable[[Path], tuple[Path, str, str]]
"""Writes a bad file; returns its path, what becomes of it (status) and the start of its reason."""


def _directory(root: Path) -> tuple[Path, str, str]:
    (root / "crm/leads/folder.csv").mkdir(parents=True)
    return root / "crm/leads/folder.csv", "refused", "not a regular file"


def _empty_file(root: Path) -> tuple[Path, str, str]:
    return write(root, "crm/leads/empty.csv", b""), "empty", "empty file (0 bytes)"


def _header_only(root: Path) -> tuple[Path, str, str]:
    return write(root, "crm/leads/header.csv", "Id,Email\n\n"), "empty", "only a header"


def _blank_lines_only(root: Path) -> tuple[Path, str, str]:
    return write(root, "forms/blank.jsonl", "\n  \n\n"), "empty", "only blank lines"


def _unknown_kind(root: Path) -> tuple[Path, str, str]:
    return write(root, "crm/notes.txt", "hello\n"), "refused", "unknown kind of file; accepted paths"


def _symlink_outside_root(root: Path) -> tuple[Path, str, str]:
    outside = write(root.parent, "system/passwd", "Email\nroot@localhost\n")
    link = root / "uploads" / "event_list.csv"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)
    return link, "refused", "a symbolic link to"


def _dangling_symlink(root: Path) -> tuple[Path, str, str]:
    link = root / "crm" / "leads" / "gone.csv"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(root / "crm" / "leads" / "never_there.csv")
    return link, "refused", "a symbolic link to"


def _csv_without_key(root: Path) -> tuple[Path, str, str]:
    path = write(root, "crm/leads/nokey.csv", "FirstName,Email\nAnn,a@x\n")
    return path, "rejected", "key column Id is missing from the header"


def _jsonl_without_key(root: Path) -> tuple[Path, str, str]:
    path = write(root, "forms/nokey.jsonl", '{"email": "a@x"}\n{"email": "b@x"}\n')
    return path, "rejected", "key column submission_id is missing"


def _events_without_key(root: Path) -> tuple[Path, str, str]:
    path = write(root, "events/nokey.csv", "Email Address,Event\na@x,unsubscribe\n")
    return path, "rejected", "key column event_id is missing from the header"


def _zip_archive(root: Path) -> tuple[Path, str, str]:
    path = write(root, "uploads/event_list/booth.csv", b"PK\x03\x04" + b"\x00" * 40)
    return path, "rejected", "a ZIP archive"


BAD_FILES: dict[str, BadFile] = {
    "directory": _directory,
    "empty file": _empty_file,
    "header only": _header_only,
    "blank lines only": _blank_lines_only,
    "unknown kind": _unknown_kind,
    "symlink outside the landing root": _symlink_outside_root,
    "dangling symlink": _dangling_symlink,
    "csv without key column": _csv_without_key,
    "jsonl without key column": _jsonl_without_key,
    "contact events without key column": _events_without_key,
    "zip archive named .csv": _zip_archive,
}


def file_outcome(db: Path, path: str) -> tuple[str, str] | None:
    """(status, reason) of a path in landed_files, or ('refused', reason) from refused_files."""
    found = query(db, "select status, reason from raw.landed_files where file_path = ?", [path])
    found += query(db, "select 'refused', reason from raw.refused_files where file_path = ?", [path])
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize("case", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_file_is_kept_aside_and_the_rest_of_the_batch_lands(
    root: Path, db: Path, case: BadFile
) -> None:
    write(root, "forms/good.jsonl", '{"submission_id": "S1"}\n')
    bad, status, reason = case(root)
    relative = bad.relative_to(root).as_posix()

    report = land(root, db)

    assert query(db, "select submission_id from raw.form_submissions") == [("S1",)]
    outcome = file_outcome(db, relative)
    assert outcome is not None and outcome[0] == status and outcome[1].startswith(reason), outcome
    file = next(f for f in report.files if f.path == relative)
    assert (file.status, reason in file.line()) == (status, True)
    # Input = loaded + rejected, file by file and for the batch.
    rows = query(db, "select rows_in, rows_loaded, rows_rejected from raw.landed_files")
    assert all(i == ok + bad for i, ok, bad in rows)
    assert query(db, "select count(*) from raw.landing_rejects") == [(sum(r[2] for r in rows),)]
    batch = query(
        db,
        "select files_loaded, files_rejected, rows_in, rows_loaded, rows_rejected from raw.landing_batches",
    )
    assert batch == [(1 + (status == "empty"), int(status != "empty"), *map(sum, zip(*rows, strict=True)))]


def test_a_rejected_file_keeps_every_data_line_with_the_file_reason(root: Path, db: Path) -> None:
    write(root, "crm/leads/nokey.csv", "FirstName,Email\nAnn,a@x\n\nBob,b@x\n")

    report = land(root, db)

    assert rejects(db, "crm/leads/nokey.csv") == [
        (
            2,
            "Ann,a@x",
            "file rejected: key column Id is missing from the header (found: 'FirstName', 'Email')",
        ),
        (
            4,
            "Bob,b@x",
            "file rejected: key column Id is missing from the header (found: 'FirstName', 'Email')",
        ),
    ]
    assert (report.files[0].rows_in, report.files[0].rows_rejected) == (2, 2)


def test_a_rejected_file_is_not_read_again_until_its_bytes_change(root: Path, db: Path) -> None:
    bad = write(root, "forms/nokey.jsonl", '{"email": "a@x"}\n')
    land(root, db)

    again = land(root, db)

    assert again.files[0].skipped and "rejected before" in again.files[0].line()
    assert query(db, "select count(*) from raw.landing_rejects") == [(1,)]
    bad.write_text('{"submission_id": "S1", "email": "a@x"}\n')
    fixed = land(root, db)
    assert fixed.files[0].status == "loaded" and fixed.files[0].rows_loaded == 1


def test_a_refused_path_is_listed_until_a_good_file_lands_there(root: Path, db: Path) -> None:
    link = root / "crm" / "leads" / "gone.csv"
    link.parent.mkdir(parents=True)
    link.symlink_to(root / "missing.csv")
    land(root, db)
    land(root, db)
    assert query(db, "select file_path, first_refused_at < last_refused_at from raw.refused_files") == [
        ("crm/leads/gone.csv", True)
    ]

    link.unlink()
    write(root, "crm/leads/gone.csv", LEADS_CSV)
    land(root, db)

    assert query(db, "select count(*) from raw.refused_files") == [(0,)]


def test_a_refused_path_records_its_kind_and_goes_when_the_folder_no_longer_has_it(
    root: Path, db: Path
) -> None:
    write(root, "uploads/notes.txt", "not a list\n")
    (root / "crm" / "leads" / "a_folder.csv").mkdir(parents=True)
    land(root, db)
    assert query(db, "select file_path, kind from raw.refused_files order by 1") == [
        ("crm/leads/a_folder.csv", "crm_leads"),
        ("uploads/notes.txt", None),
    ]

    land(root, db, [root / "crm" / "leads" / "a_folder.csv"])  # files named: the rest is not looked at
    assert query(db, "select count(*) from raw.refused_files") == [(2,)]
    (root / "uploads" / "notes.txt").unlink()
    land(root, db)

    assert query(db, "select file_path from raw.refused_files") == [("crm/leads/a_folder.csv",)]


def test_unknown_kind_names_the_accepted_paths(root: Path, db: Path) -> None:
    write(root, "readme.md", "# notes\n")

    report = land(root, db)

    assert all(kind.pattern in report.files[0].line() for kind in KINDS)


def test_an_unreadable_file_is_refused(root: Path, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(root, "crm/leads/leads_1.csv", LEADS_CSV)
    write(root, "crm/leads/secret.csv", LEADS_CSV.replace("L1", "L9"))
    read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "secret.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)

    land(root, db)

    assert file_outcome(db, "crm/leads/secret.csv") == ("refused", "cannot be read: Permission denied")
    assert query(db, "select count(*) from raw.crm_leads") == [(2,)]


def test_locked_database_is_fatal(root: Path, db: Path) -> None:
    write(root, "crm/leads/leads_1.csv", LEADS_CSV)
    land(root, db)
    before = snapshot(db)
    write(root, "forms/good.jsonl", '{"submission_id": "S1"}\n')
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]);"
            " print('ready', flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(LandingError, match="is locked by another process"):
            land(root, db)
    finally:
        holder.kill()
        holder.wait()

    assert snapshot(db) == before


# --- the command line ------------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LEAD_FACTORY, "land", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_prints_one_line_per_file_with_its_rejects(root: Path, db: Path, tmp_path: Path) -> None:
    write(root, "crm/leads/leads_1.csv", LEADS_CSV)
    write(root, "forms/f.jsonl", '{"submission_id": "S1", "x": 1}\nnot json\n')

    result = run_cli("--landing-dir", str(root), "--db", str(db), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[
        0
    ] == "crm/leads/leads_1.csv [crm_leads]: 2 in / 2 loaded / 0 rejected; missing columns: " + (
        ", ".join(KINDS_BY_NAME["crm_leads"].column_names[4:])
    )
    assert lines[1].startswith(
        "forms/f.jsonl [form_submissions]: 2 in / 1 loaded / 1 rejected; new columns: x"
    )
    assert lines[2] == "    line 2: malformed JSON: Expecting value at column 1"
    assert (
        lines[3].startswith("batch ")
        and "2 files loaded, 0 skipped; 4 rows in / 3 loaded / 1 rejected" in lines[3]
    )


def test_cli_defaults_come_from_the_environment(root: Path, db: Path, tmp_path: Path) -> None:
    write(root, "crm/leads/leads_1.csv", LEADS_CSV)
    env = {"PATH": "/usr/bin:/bin", "LEAD_FACTORY_LANDING_DIR": str(root), "LEAD_FACTORY_DB": str(db)}

    result = run_cli(cwd=tmp_path, env=env)

    assert result.returncode == 0, result.stderr
    assert query(db, "select count(*) from raw.crm_leads") == [(2,)]


def test_cli_shows_a_rejected_file_and_lands_the_rest(root: Path, db: Path, tmp_path: Path) -> None:
    write(root, "crm/leads/leads_1.csv", LEADS_CSV)
    write(root, "crm/leads/nokey.csv", "Email\na@x\n")

    result = run_cli("--landing-dir", str(root), "--db", str(db), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (
        "crm/leads/nokey.csv [crm_leads]: rejected: key column Id is missing from the header"
        " (found: 'Email'); 1 in / 0 loaded / 1 rejected"
    ) in result.stdout.splitlines()
    assert "1 files loaded, 0 skipped, 1 rejected; 3 rows in / 2 loaded / 1 rejected" in result.stdout


def test_cli_names_a_missing_file(root: Path, db: Path, tmp_path: Path) -> None:
    result = run_cli("--landing-dir", str(root), "--db", str(db), str(root / "forms/x.jsonl"), cwd=tmp_path)

    assert result.returncode == 1
    assert "forms/x.jsonl: no such file" in result.stderr


def test_batch_ids_sort_in_time_order(root: Path, db: Path) -> None:
    write(root, "crm/leads/a.csv", LEADS_CSV)
    first: BatchReport = land(root, db)
    write(root, "crm/leads/b.csv", LEADS_CSV.replace("L", "M"))
    second = land(root, db)

    assert first.batch_id < second.batch_id
    assert query(db, "select batch_id from raw.landing_batches order by started_at") == [
        (first.batch_id,),
        (second.batch_id,),
    ]


def test_a_symlink_inside_the_landing_folder_is_landed(root: Path, db: Path) -> None:
    real = write(root, "archive/leads.csv.keep", LEADS_CSV)
    link = root / "crm/leads/leads_1.csv"
    link.parent.mkdir(parents=True)
    link.symlink_to(real)
    report = land(root, db, [link])
    assert sum(file.rows_loaded for file in report.files) == 2
