"""Reading landing files (CSV and JSON Lines) into rows and rejects, one bad row never stopping a file.

A parser is a generator over a file's bytes that yields, in file order, a :class:`Row` for every
good record and a :class:`Reject` (line number, original text, reason) for every bad one. Blank lines
are not records. Problems with the file as a whole (no header, header not UTF-8, key column missing
from the header) raise :class:`FileFormatError`. A :class:`ColumnMatcher` matches the file's headers
(CSV header cells, JSON object keys) to the kind's columns and remembers what it saw.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from lead_factory.landing.kinds import Kind, header_key

# Quoted fields may be long (notes, addresses, an unterminated quote that runs to the end of the file);
# the default limit of 128 KiB would turn those into parse errors.
csv.field_size_limit(2**31 - 1)

BOM = b"\xef\xbb\xbf"
MAX_FIELD_CHARS = 131_072
"""A value longer than this (Salesforce's largest long text area) rejects its row."""
DELIMITERS = (",", ";", "\t")

ColumnStatus = Literal["mapped", "unexpected", "missing"]


class FileFormatError(Exception):
    """A problem with a whole file (not with one of its rows)."""


@dataclass(frozen=True, slots=True)
class Row:
    """A good record: its values aligned to the kind's columns, and unexpected values as JSON text."""

    line_number: int
    values: tuple[str | None, ...]
    extra: str | None


@dataclass(frozen=True, slots=True)
class Reject:
    """A bad record: where it starts, its original text and why it was rejected."""

    line_number: int
    raw_text: str
    reason: str


@dataclass(frozen=True)
class HeaderMatch:
    """How one header of a file, or one column the file lacks, was matched."""

    header: str | None
    column_name: str | None
    status: ColumnStatus


class ColumnMatcher:
    """Matches headers to a kind's columns by ``header_key``; a column's own name beats another's alias."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self._lookup: dict[str, int] = {}
        for index, column in enumerate(kind.columns):
            for alias in column.aliases:
                self._lookup.setdefault(header_key(alias), index)
        for index, column in enumerate(kind.columns):
            self._lookup[header_key(column.name)] = index
        self._seen: list[tuple[str, int | None]] = []

    def column_index(self, header: str) -> int | None:
        """The index of the kind column ``header`` names, if any (nothing is recorded)."""
        return self._lookup.get(header_key(header))

    def record(self, header: str, index: int | None) -> None:
        """Remember that the file has ``header``, mapped to column ``index`` (None: unexpected)."""
        self._seen.append((header, index))

    @property
    def saw_headers(self) -> bool:
        return bool(self._seen)

    def has_column(self, name: str) -> bool:
        return any(index is not None and self.kind.columns[index].name == name for _, index in self._seen)

    def matches(self) -> list[HeaderMatch]:
        """The file's headers in order (mapped or unexpected), then the kind columns it lacks."""
        found = [
            HeaderMatch(header, None, "unexpected")
            if index is None
            else HeaderMatch(header, self.kind.columns[index].name, "mapped")
            for header, index in self._seen
        ]
        mapped = {index for _, index in self._seen}
        missing = [
            HeaderMatch(None, column.name, "missing")
            for index, column in enumerate(self.kind.columns)
            if index not in mapped
        ]
        return found + missing

    def check_key_column(self) -> None:
        key = self.kind.key_column
        if key is not None and self.saw_headers and not self.has_column(key):
            found = ", ".join(repr(header) for header, _ in self._seen)
            raise FileFormatError(f"key column {key} is missing from the header (found: {found})")


def parse(data: bytes, kind: Kind, matcher: ColumnMatcher) -> Iterator[Row | Reject]:
    """Rows and rejects of a file of ``kind`` whose bytes are ``data``."""
    if kind.file_format == "csv":
        return parse_csv(data, kind, matcher)
    if kind.file_format == "jsonl":
        return parse_jsonl(data, kind, matcher)
    raise ValueError(f"unknown file format {kind.file_format!r} of kind {kind.name}")


# --- CSV -------------------------------------------------------------------------------------------


def parse_csv(data: bytes, kind: Kind, matcher: ColumnMatcher) -> Iterator[Row | Reject]:
    """Rows of a CSV file: UTF-8 (optional BOM), delimiter detected from the header line."""
    lines, bad_lines = _decode_lines(data.removeprefix(BOM))
    header_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_at is None:
        raise FileFormatError("no header line (the file has only blank lines)")
    if header_at in bad_lines:
        raise FileFormatError(f"header (line {header_at + 1}) is not valid UTF-8: {bad_lines[header_at]}")
    delimiter = detect_delimiter(lines[header_at])
    reader = csv.reader(itertools.islice(lines, header_at, None), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as error:
        raise FileFormatError(f"header (line {header_at + 1}) cannot be parsed: {error}") from error

    positions, extras = _map_header(header, matcher)
    matcher.check_key_column()
    key_index = kind.column_names.index(kind.key_column) if kind.key_column else None
    field_count = len(header)
    last_line = header_at + reader.line_num  # 1-based number of the last line consumed
    while True:
        start = last_line + 1
        try:
            record = next(reader)
            problem = None
        except StopIteration:
            return
        except csv.Error as error:
            record, problem = [], f"CSV parse error: {error}"
        last_line = header_at + reader.line_num
        if start == last_line and not lines[start - 1].strip():
            continue  # a blank line is not a row
        text_lines = lines[start - 1 : last_line]
        bad = _first_bad_line(bad_lines, start, last_line) if bad_lines else None
        if bad is not None:
            problem = f"invalid UTF-8: {bad}"
        elif problem is None and last_line == len(lines) and _ends_inside_quotes(text_lines, delimiter):
            problem = "unterminated quoted field at end of file"
        elif problem is None and len(record) != field_count:
            problem = f"expected {field_count} fields, got {len(record)}"
        if problem is None:
            problem = value_problem(zip(header, record, strict=False))
        if problem is not None:
            yield Reject(start, _join_lines(text_lines), problem)
            continue
        values = tuple(None if p is None else record[p] for p in positions)
        if key_index is not None and not (values[key_index] or "").strip():
            yield Reject(start, _join_lines(text_lines), f"missing key {kind.key_column}")
            continue
        extra = json.dumps({name: record[p] for name, p in extras}, ensure_ascii=False) if extras else None
        yield Row(start, values, extra)


def value_problem(named_values: Iterable[tuple[str, object]]) -> str | None:
    """Why a row's values cannot be loaded (a NUL character, a value over MAX_FIELD_CHARS), if so."""
    for name, value in named_values:
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            return f"field {name!r} contains a NUL character (\\x00)"
        if len(value) > MAX_FIELD_CHARS:
            return f"field {name!r} is {len(value)} characters long, over the limit of {MAX_FIELD_CHARS}"
    return None


def detect_delimiter(header_line: str) -> str:
    """The most frequent of ``,`` ``;`` and tab outside quotes in the header line (``,`` if none)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    in_quotes = False
    for char in header_line:
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decode_lines(data: bytes) -> tuple[list[str], dict[int, str]]:
    """Physical lines (ends kept) and, by 0-based line index, why a line is not UTF-8.

    Lines end at ``\\n``, ``\\r\\n`` or ``\\r``. An undecodable line is shown with backslash escapes,
    which keeps its quotes and delimiters, so the records around it still split correctly.
    """
    try:
        return io.StringIO(data.decode("utf-8"), newline="").readlines(), {}
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    bad: dict[int, str] = {}
    for index, raw in enumerate(data.splitlines(keepends=True)):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            lines.append(raw.decode("utf-8", "backslashreplace"))
            bad[index] = _describe_decode_error(error)
    return lines, bad


def _first_bad_line(bad_lines: dict[int, str], start: int, end: int) -> str | None:
    """Why the first undecodable line among lines ``start`` to ``end`` (1-based) is bad, if one is."""
    return next((bad_lines[i] for i in range(start - 1, end) if i in bad_lines), None)


def _describe_decode_error(error: UnicodeDecodeError) -> str:
    return f"byte 0x{error.object[error.start]:02x} at offset {error.start} of the line ({error.reason})"


def _map_header(
    header: Sequence[str], matcher: ColumnMatcher
) -> tuple[list[int | None], list[tuple[str, int]]]:
    """For each kind column the record position holding it, and (name, position) of unexpected headers."""
    positions: list[int | None] = [None] * len(matcher.kind.columns)
    extras: list[tuple[str, int]] = []
    for position, name in enumerate(header):
        index = matcher.column_index(name)
        if index is not None and positions[index] is None:
            positions[index] = position
        else:
            index = None  # unexpected, or a second header for a column already mapped
            extras.append((_unique_name(name, [n for n, _ in extras]), position))
        matcher.record(name, index)
    return positions, extras


def _unique_name(name: str, taken: Sequence[str]) -> str:
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}_{n}"
    return candidate


def _ends_inside_quotes(text_lines: list[str], delimiter: str) -> bool:
    try:
        for _ in csv.reader(iter(text_lines), delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _join_lines(text_lines: list[str]) -> str:
    return "".join(text_lines).rstrip("\r\n")


# --- JSON Lines ------------------------------------------------------------------------------------


class _Number(str):
    """A JSON number kept as written."""


class _Constant(str):
    """NaN, Infinity or -Infinity (accepted by Python's parser, not valid JSON)."""


_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_jsonl(data: bytes, kind: Kind, matcher: ColumnMatcher) -> Iterator[Row | Reject]:
    """Rows of a JSON Lines file: one object per line, keys matched like CSV headers."""
    key_index = kind.column_names.index(kind.key_column) if kind.key_column else None
    column_count = len(kind.columns)
    known: dict[str, int | None] = {}
    for line_number, raw in enumerate(data.removeprefix(BOM).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            reason = f"invalid UTF-8: {_describe_decode_error(error)}"
            yield Reject(line_number, raw.decode("utf-8", "backslashreplace"), reason)
            continue
        value = _load_object(text)
        if isinstance(value, str):
            yield Reject(line_number, text, value)
            continue
        problem = value_problem((key, _flat_text(item)) for key, item in value.items())
        if problem is not None:
            yield Reject(line_number, text, problem)
            continue

        values: list[str | None] = [None] * column_count
        taken: set[int] = set()
        extra: dict[str, object] = {}
        for key, item in value.items():
            if key not in known:
                known[key] = matcher.column_index(key)
                matcher.record(key, known[key])
            index = known[key]
            if index is None or index in taken:
                extra[key] = item
            else:
                taken.add(index)
                values[index] = scalar_text(item)
        if key_index is not None and not (values[key_index] or "").strip():
            yield Reject(line_number, text, f"missing key {kind.key_column}")
            continue
        yield Row(line_number, tuple(values), json_text(extra) if extra else None)
    matcher.check_key_column()


def _load_object(text: str) -> dict[str, object] | str:
    """The JSON object on a line, or why the line is not one."""
    try:
        value = json.loads(text, parse_int=_Number, parse_float=_Number, parse_constant=_Constant)
    except json.JSONDecodeError as error:
        return f"malformed JSON: {error.msg} at column {error.colno}"
    except RecursionError:
        return "malformed JSON: nested too deeply"
    if not isinstance(value, dict):
        return f"JSON value is not an object (got {_json_type(value)})"
    if _LONE_SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        return "malformed JSON: a string has an unpaired surrogate escape (\\ud800-\\udfff)"
    return value


def _flat_text(value: object) -> object:
    """A JSON value as one string to check (nested objects and arrays as their JSON text)."""
    return value if isinstance(value, str) else json_text(value) if isinstance(value, dict | list) else None


def _has_lone_surrogate(value: object) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    if isinstance(value, _Number | _Constant):
        return "number"
    return "string"


def scalar_text(value: object) -> str | None:
    """A parsed JSON value as raw text: strings and numbers as written, true/false, null as None."""
    if value is None:
        return None
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return json_text(value)


def json_text(value: object) -> str:
    """A parsed JSON value as JSON text, numbers as written (NaN and Infinity become strings)."""
    if isinstance(value, _Number):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        items = (f"{json.dumps(k, ensure_ascii=False)}: {json_text(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(json_text(v) for v in value) + "]"
    raise TypeError(f"not a parsed JSON value: {value!r}")
