"""The hostile landing corpus (tests/hostile/) lands without a crash and without losing a row:
every file ends as its row of expected.csv says, every row is loaded or rejected with its reason,
and the raw tables are intact. (tests/test_bad_rows.py builds the factory after landing it.)"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from support import HOSTILE_MADE_AT_RUN_TIME, hostile_expectations, hostile_landing

from lead_factory.landing.kinds import KINDS, KINDS_BY_NAME
from lead_factory.landing.loader import BatchReport, land


@pytest.fixture(scope="module")
def landed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchReport]:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "warehouse.duckdb"
    return db, land(hostile_landing(folder), db)


def rows(db: Path, sql: str, parameters: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, parameters or []).fetchall()


def test_every_file_ends_as_expected(landed: tuple[Path, BatchReport]) -> None:
    db, _ = landed
    found = {
        path: (status, str(i), str(ok), str(bad), encoding, compression or "")
        for path, status, i, ok, bad, encoding, compression in rows(
            db,
            "select file_path, status, rows_in, rows_loaded, rows_rejected, encoding, compression "
            "from raw.landed_files",
        )
    }
    found |= {
        path: ("refused", "", "", "", "", "")
        for (path,) in rows(db, "select file_path from raw.refused_files")
    }
    expected = {
        e["file_path"]: (
            e["status"],
            e["rows_in"],
            e["rows_loaded"],
            e["rows_rejected"],
            e["encoding"],
            e["compression"],
        )
        for e in hostile_expectations()
    }
    expected |= {path: ("refused", "", "", "", "", "") for path in HOSTILE_MADE_AT_RUN_TIME}
    assert found == expected


def test_refused_paths_say_why(landed: tuple[Path, BatchReport]) -> None:
    db, _ = landed
    reasons = dict(rows(db, "select file_path, reason from raw.refused_files"))
    for path, start in HOSTILE_MADE_AT_RUN_TIME.items():
        assert reasons[path].startswith(start), reasons[path]
    assert reasons["uploads/notes.txt"].startswith("unknown kind of file")


def test_input_is_loaded_plus_rejected_file_by_file_in_the_tables_themselves(
    landed: tuple[Path, BatchReport],
) -> None:
    db, report = landed
    files = rows(db, "select file_sha256, kind, rows_in, rows_loaded, rows_rejected from raw.landed_files")
    for sha256, kind, rows_in, rows_loaded, rows_rejected in files:
        table = KINDS_BY_NAME[kind].raw_table
        ((in_table,),) = rows(db, f"select count(*) from raw.{table} where _lf_file_sha256 = ?", [sha256])
        ((rejected,),) = rows(db, "select count(*) from raw.landing_rejects where file_sha256 = ?", [sha256])
        assert (in_table, rejected) == (rows_loaded, rows_rejected)
        assert rows_in == rows_loaded + rows_rejected
    ((batch_in, batch_loaded, batch_rejected),) = rows(
        db, "select rows_in, rows_loaded, rows_rejected from raw.landing_batches"
    )
    assert (batch_in, batch_loaded, batch_rejected) == (
        report.rows_in,
        report.rows_loaded,
        report.rows_rejected,
    )
    assert batch_in == batch_loaded + batch_rejected == sum(f[2] for f in files)


def test_every_rejected_row_has_its_line_and_reason(landed: tuple[Path, BatchReport]) -> None:
    db, _ = landed
    assert rows(
        db,
        "select count(*) from raw.landing_rejects where line_number is null or reason is null "
        "or raw_text is null",
    ) == [(0,)]
    reasons = {r for (r,) in rows(db, "select distinct reason from raw.landing_rejects")}
    assert "field 'LastName' contains a NUL character (\\x00)" in reasons
    assert "unterminated quoted field at end of file" in reasons
    assert "field 'Email' is 2000016 characters long, over the limit of 131072" in reasons


def test_raw_tables_are_intact_and_values_are_text_as_written(landed: tuple[Path, BatchReport]) -> None:
    db, _ = landed
    tables = {t for (t,) in rows(db, "select table_name from duckdb_tables() where schema_name = 'raw'")}
    assert {kind.raw_table for kind in KINDS} <= tables
    names = dict(rows(db, "select Id, Name from raw.crm_accounts"))
    assert names["0015g00000HOST01AAA"] == "Société Générale Façades"  # Windows-1252, decoded
    assert names["0015g00000HOST04AAA"].startswith("=HYPERLINK(")  # a formula is data, kept as text
    assert rows(db, "select FirstName, LastName from raw.crm_contacts where Id = '0035g00000HOST03AAA'") == [
        ("美咲", "佐藤")
    ]  # UTF-16
    assert rows(db, "select first_name from raw.form_submissions where submission_id = 'HOST-20'") == [
        ("Andrés",)
    ]  # Latin-1


def test_the_console_shows_each_files_first_reject_reasons(landed: tuple[Path, BatchReport]) -> None:
    _, report = landed
    lines = report.lines()
    start = lines.index(next(line for line in lines if line.startswith("forms/forms_malformed.jsonl")))
    assert lines[start + 1 : start + 5] == [
        "    line 2: malformed JSON: Expecting ',' delimiter at column 65",
        "    line 3: JSON value is not an object (got array)",
        "    line 4: JSON value is not an object (got number)",
        "    ... and 5 more (select * from raw.landing_rejects where file_path = "
        "'forms/forms_malformed.jsonl')",
    ]
