"""Spreadsheet-safe CSV (lead_factory.csv_export): hostile text comes out as text, values stay values."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from lead_factory.csv_export import cell, csv_file, neutralise, write_csv

# value as the data holds it -> what the spreadsheet must be given
HOSTILE = {
    '=HYPERLINK("http://x","y")': '\'=HYPERLINK("http://x","y")',
    "@SUM(1+1)*cmd|' /C calc'!A0": "'@SUM(1+1)*cmd|' /C calc'!A0",
    "+1": "'+1",
    "-1+1": "'-1+1",
    "\tTabbed Ltd": "'\tTabbed Ltd",
    "\r=1+1": "'\r=1+1",
    "\uff1d1+1": "'\uff1d1+1",  # full-width equals sign
    "\uff0b1": "'\uff0b1",  # full-width plus sign
    "\uff0d1": "'\uff0d1",  # full-width hyphen-minus
    "\uff20SUM(A1)": "'\uff20SUM(A1)",  # full-width commercial at
    "\x00=1+1": "'\x00=1+1",
    "=cmd|' /C notepad'!'A1'": "'=cmd|' /C notepad'!'A1'",
}
HARMLESS = ["Ann", "a=b", "1+1", "'=already quoted", " =leading space", "", "Zoë 中文 🙂", "x@y.example"]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_a_spreadsheet_would_run_gets_a_single_quote_in_front(value: str) -> None:
    assert neutralise(value) == HOSTILE[value]


@pytest.mark.parametrize("value", HARMLESS)
def test_other_text_is_left_as_it_is(value: str) -> None:
    assert neutralise(value) == value


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_a_hostile_row_round_trips_as_neutralised_text_and_numbers_stay_numbers() -> None:
    out = io.StringIO(newline="")
    rows = [
        [*HOSTILE, -1, 2.5, Decimal("-3.10"), 0],
        ['=1+1,"x"\n=2+2', None, True, False, date(2026, 11, 24), datetime(2026, 11, 24, 9, 30, tzinfo=UTC)],
    ]

    written = write_csv(out, [f"c{i}" for i in range(len(rows[0]))], rows)

    assert written == 2
    header, first, second = read_back(out.getvalue())
    assert first[: len(HOSTILE)] == list(HOSTILE.values())
    assert first[len(HOSTILE) :] == ["-1", "2.5", "-3.10", "0"]
    # Numbers are written bare (a spreadsheet reads them as numbers); text is quoted.
    last_line = out.getvalue().split("\r\n")[1]
    assert last_line.endswith(",-1,2.5,-3.10,0") and last_line.startswith(
        '"\'=HYPERLINK(""http://x"",""y"")"'
    )
    # A comma, quote or line break inside a value stays inside its cell; only its start counts.
    assert second == ['\'=1+1,"x"\n=2+2', "", "true", "false", "2026-11-24", "2026-11-24 09:30:00+00:00"]
    assert header[0] == "c0"


def test_every_text_cell_is_quoted_and_no_cell_begins_with_a_formula_character() -> None:
    out = io.StringIO(newline="")
    write_csv(out, ["a", "b"], [[value, value] for value in HOSTILE])
    for row in read_back(out.getvalue())[1:]:
        assert all(value[:1] == "'" for value in row)
    for line in out.getvalue().split("\r\n")[1:-1]:
        assert line.startswith('"') and not line.startswith(('"=', '"+', '"-', '"@'))


def test_cells_of_each_type() -> None:
    assert cell(None) == ""
    assert cell(-1) == -1 and cell(-1.5) == -1.5 and cell(Decimal("-2")) == Decimal("-2")
    assert cell(float("nan")) == "" and cell(float("inf")) == ""
    assert cell(True) == "true"
    assert cell(date(2026, 1, 2)) == "2026-01-02"
    assert cell("-1") == "'-1"  # text that looks like a number is still text


def test_a_file_has_a_byte_order_mark_for_excel_and_appears_only_when_complete(tmp_path: Path) -> None:
    path = tmp_path / "queue.csv"
    with csv_file(path) as handle:
        write_csv(handle, ["name"], [["=1+1"], ["Zoë"]])
    assert path.read_bytes() == b'\xef\xbb\xbf"name"\r\n"\'=1+1"\r\n"Zo\xc3\xab"\r\n'
    with csv_file(path, bom=False) as handle:
        write_csv(handle, ["name"], [])
    assert path.read_bytes() == b'"name"\r\n'

    with pytest.raises(RuntimeError), csv_file(path) as handle:
        write_csv(handle, ["name"], [["half"]])
        raise RuntimeError("the export failed half-way")
    assert path.read_bytes() == b'"name"\r\n'  # the older file is left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["queue.csv"]
