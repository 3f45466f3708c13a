"""The landing loader: lands files from the landing folder into the ``raw`` schema of the warehouse.

One call of :func:`land` is one batch and one transaction: every file of the batch lands, or (on a
fatal error, raised as :class:`LandingError`) nothing does and the warehouse is left as it was.
Each kind's rows go to ``raw.<raw_table>`` as text plus metadata columns; bad rows go to
``raw.landing_rejects``; ``raw.landing_batches``, ``raw.landed_files`` and ``raw.landed_file_columns``
record what was loaded. A file is loaded once: a file whose bytes (SHA-256) were loaded before is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from lead_factory.enrichment import cache as enrichment_cache
from lead_factory.landing.kinds import KINDS, METADATA_COLUMNS, Kind, kind_for_path
from lead_factory.landing.parsing import ColumnMatcher, FileFormatError, HeaderMatch, Reject, Row, parse

RAW_SCHEMA = "raw"
CHUNK_ROWS = 100_000
"""Rows are parsed into chunks of this size, each inserted with one statement from an Arrow table."""

METADATA_TYPES = {
    "_lf_batch_id": "varchar",
    "_lf_file_path": "varchar",
    "_lf_file_sha256": "varchar",
    "_lf_line_number": "bigint",
    "_lf_loaded_at": "timestamptz",
    "_lf_extra": "json",
}
assert set(METADATA_TYPES) == {c.name for c in METADATA_COLUMNS}

BOOKKEEPING_TABLES = {
    "landing_batches": """
        batch_id varchar primary key,
        started_at timestamptz,
        finished_at timestamptz,
        files_loaded integer,
        files_skipped integer,
        rows_in bigint,
        rows_loaded bigint,
        rows_rejected bigint""",
    "landed_files": """
        file_path varchar,
        file_sha256 varchar primary key,
        kind varchar,
        batch_id varchar,
        file_bytes bigint,
        rows_in bigint,
        rows_loaded bigint,
        rows_rejected bigint,
        loaded_at timestamptz""",
    "landed_file_columns": """
        file_sha256 varchar,
        file_path varchar,
        batch_id varchar,
        header varchar,
        column_name varchar,
        status varchar""",
    "landing_rejects": """
        batch_id varchar,
        file_path varchar,
        file_sha256 varchar,
        kind varchar,
        line_number bigint,
        raw_text varchar,
        reason varchar,
        loaded_at timestamptz""",
}


class LandingError(Exception):
    """A fatal problem with the batch: nothing of it was loaded."""


SHOWN_REJECTS = 3
"""How many rejected rows of a file the console shows (with their reasons)."""


@dataclass(frozen=True)
class FileReport:
    """What happened to one file of a batch."""

    path: str
    kind: str
    file_sha256: str
    file_bytes: int
    rows_in: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    unexpected_headers: tuple[str, ...] = ()
    missing_columns: tuple[str, ...] = ()
    already_loaded_as: str | None = None
    """Set when the file was skipped: the path under which its bytes were loaded before."""
    first_rejects: tuple[tuple[int, str], ...] = ()
    """The first few rejected rows: (line number, reason); all of them are in raw.landing_rejects."""

    @property
    def skipped(self) -> bool:
        return self.already_loaded_as is not None

    def line(self) -> str:
        head = f"{self.path} [{self.kind}]"
        if self.already_loaded_as is not None:
            same = "" if self.already_loaded_as == self.path else f" as {self.already_loaded_as}"
            return f"{head}: skipped: already loaded{same}"
        text = f"{head}: {self.rows_in} in / {self.rows_loaded} loaded / {self.rows_rejected} rejected"
        if self.unexpected_headers:
            text += "; new columns: " + ", ".join(self.unexpected_headers)
        if self.missing_columns:
            text += "; missing columns: " + ", ".join(self.missing_columns)
        return text

    def reject_lines(self) -> list[str]:
        """The first rejected rows with their reasons, and how many more raw.landing_rejects holds."""
        lines = [f"    line {line_number}: {reason}" for line_number, reason in self.first_rejects]
        more = self.rows_rejected - len(self.first_rejects)
        if more > 0:
            where = f"select * from raw.landing_rejects where file_path = '{self.path}'"
            lines.append(f"    ... and {more} more ({where})")
        return lines


@dataclass(frozen=True)
class BatchReport:
    """What one run of the loader did, file by file."""

    batch_id: str
    started_at: datetime
    finished_at: datetime
    files: tuple[FileReport, ...]

    @property
    def files_loaded(self) -> int:
        return sum(not f.skipped for f in self.files)

    @property
    def files_skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    @property
    def rows_in(self) -> int:
        return sum(f.rows_in for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    def total_line(self) -> str:
        seconds = (self.finished_at - self.started_at).total_seconds()
        return (
            f"batch {self.batch_id}: {self.files_loaded} files loaded, {self.files_skipped} skipped; "
            f"{self.rows_in} rows in / {self.rows_loaded} loaded / {self.rows_rejected} rejected "
            f"({seconds:.1f} s)"
        )

    def lines(self) -> list[str]:
        return [line for f in self.files for line in (f.line(), *f.reject_lines())] + [self.total_line()]


@dataclass(frozen=True)
class _Target:
    path: Path
    relative: str
    kind: Kind


@dataclass(frozen=True)
class _Batch:
    batch_id: str
    loaded_at: str  # ISO 8601 UTC, bound as timestamptz


def land(landing_root: Path, db_path: Path, files: Sequence[Path] | None = None) -> BatchReport:
    """Land ``files`` (default: every file under ``landing_root``) into the warehouse at ``db_path``.

    Raises :class:`LandingError` on a fatal problem; the warehouse is then left as it was.
    """
    started_at = datetime.now(UTC)
    batch = _Batch(new_batch_id(started_at), started_at.isoformat())
    root = Path(os.path.abspath(landing_root))
    targets = _targets(root, files)

    db_path = Path(db_path)
    db_existed = db_path.exists()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(db_path)
    committed = False
    try:
        con.begin()
        ensure_raw_tables(con)
        reports = tuple(_land_file(con, batch, target) for target in targets)
        report = BatchReport(batch.batch_id, started_at, datetime.now(UTC), reports)
        if report.files_loaded:
            _record_batch(con, report)
        con.commit()
        committed = True
        return report
    except duckdb.Error as error:
        raise LandingError(f"database error: {_first_line(error)}") from error
    finally:
        if not committed:
            _rollback(con)
        con.close()
        if not committed and not db_existed:
            for leftover in (db_path, db_path.with_name(db_path.name + ".wal")):
                leftover.unlink(missing_ok=True)


def new_batch_id(started_at: datetime) -> str:
    """A unique id that sorts in time order: UTC start time plus a short random suffix."""
    return f"{started_at.astimezone(UTC):%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}"


def accepted_paths() -> str:
    return ", ".join(kind.pattern for kind in KINDS)


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema raw, every kind's raw table, the bookkeeping tables and the enrichment step's
    cache tables (so dbt's sources exist before the first enrichment run); add missing columns."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    for kind in KINDS:
        wanted = [(c.name, "varchar") for c in kind.columns] + list(METADATA_TYPES.items())
        table = _table(kind.raw_table)
        definition = ", ".join(f"{_quote(name)} {type_}" for name, type_ in wanted)
        con.execute(f"create table if not exists {table} ({definition})")
        existing = _column_names(con, kind.raw_table)
        for name, type_ in wanted:
            if name.lower() not in existing:
                con.execute(f"alter table {table} add column {_quote(name)} {type_}")
    for name, definition in BOOKKEEPING_TABLES.items():
        con.execute(f"create table if not exists {_table(name)} ({definition})")
    enrichment_cache.ensure_tables(con)


# --- the files of a batch --------------------------------------------------------------------------


def _targets(root: Path, files: Sequence[Path] | None) -> list[_Target]:
    if files is None:
        if not root.is_dir():
            raise LandingError(f"landing directory {root} does not exist")
        files = sorted(
            path
            for path in root.rglob("*")
            if not any(part.startswith(".") for part in path.relative_to(root).parts) and not path.is_dir()
        )
    return [_target(root, Path(file)) for file in files]


def _target(root: Path, file: Path) -> _Target:
    path = Path(os.path.abspath(file))
    if not path.is_relative_to(root):
        raise LandingError(f"{file}: outside the landing directory {root}")
    relative = path.relative_to(root).as_posix()
    if not path.exists():
        raise LandingError(f"{relative}: no such file")
    if not path.resolve().is_relative_to(root.resolve()):
        raise LandingError(
            f"{relative}: a symbolic link to {path.resolve()}, outside the landing directory {root}; "
            "refused (copy the file into the landing directory instead)"
        )
    if not path.is_file():
        raise LandingError(f"{relative}: not a regular file")
    kind = kind_for_path(relative)
    if kind is None:
        raise LandingError(
            f"{relative}: unknown kind of file; accepted paths (relative to {root}): {accepted_paths()}"
        )
    return _Target(path, relative, kind)


def _land_file(con: duckdb.DuckDBPyConnection, batch: _Batch, target: _Target) -> FileReport:
    try:
        data = target.path.read_bytes()
    except OSError as error:
        raise LandingError(f"{target.relative}: cannot be read: {error.strerror or error}") from error
    if not data:
        raise LandingError(f"{target.relative}: empty file (0 bytes)")
    sha256 = hashlib.sha256(data).hexdigest()
    report = FileReport(target.relative, target.kind.name, sha256, len(data))

    previous = con.execute(
        f"select file_path from {_table('landed_files')} where file_sha256 = ?", [sha256]
    ).fetchone()
    if previous is not None:
        return replace(report, already_loaded_as=previous[0])

    matcher = ColumnMatcher(target.kind)
    loaded = rejected = 0
    first_rejects: list[tuple[int, str]] = []
    try:
        for rows, rejects in _chunks(parse(data, target.kind, matcher)):
            _insert_rows(con, batch, target, sha256, rows)
            _insert_rejects(con, batch, target, sha256, rejects)
            loaded += len(rows)
            rejected += len(rejects)
            shown = rejects[: SHOWN_REJECTS - len(first_rejects)]
            first_rejects.extend((reject.line_number, reject.reason) for reject in shown)
    except FileFormatError as error:
        raise LandingError(f"{target.relative}: {error}") from error
    except duckdb.Error as error:
        raise LandingError(f"{target.relative}: database error: {_first_line(error)}") from error
    if loaded + rejected == 0:
        detail = "only a header" if target.kind.file_format == "csv" else "only blank lines"
        raise LandingError(f"{target.relative}: no data rows ({detail})")

    matches = matcher.matches()
    report = replace(
        report,
        rows_in=loaded + rejected,
        rows_loaded=loaded,
        rows_rejected=rejected,
        unexpected_headers=tuple(m.header or "" for m in matches if m.status == "unexpected"),
        missing_columns=tuple(m.column_name or "" for m in matches if m.status == "missing"),
        first_rejects=tuple(first_rejects),
    )
    _record_file(con, batch, report, matches)
    return report


def _chunks(records: Iterator[Row | Reject]) -> Iterator[tuple[list[Row], list[Reject]]]:
    rows: list[Row] = []
    rejects: list[Reject] = []
    for record in records:
        if isinstance(record, Row):
            rows.append(record)
        else:
            rejects.append(record)
        if len(rows) + len(rejects) >= CHUNK_ROWS:
            yield rows, rejects
            rows, rejects = [], []
    if rows or rejects:
        yield rows, rejects


# --- writing ---------------------------------------------------------------------------------------


def _insert_rows(
    con: duckdb.DuckDBPyConnection, batch: _Batch, target: _Target, sha256: str, rows: list[Row]
) -> None:
    if not rows:
        return
    names = target.kind.column_names
    columns = list(zip(*(row.values for row in rows), strict=True))
    arrays = {f"c{i}": pa.array(column, pa.string()) for i, column in enumerate(columns)}
    arrays["line_number"] = pa.array([row.line_number for row in rows], pa.int64())
    arrays["extra"] = pa.array([row.extra for row in rows], pa.string())
    selects = ", ".join(f"c{i} as {_quote(name)}" for i, name in enumerate(names))
    _insert_arrow(
        con,
        pa.table(arrays),
        f"""insert into {_table(target.kind.raw_table)} by name
        select {selects},
            ? as _lf_batch_id,
            ? as _lf_file_path,
            ? as _lf_file_sha256,
            line_number as _lf_line_number,
            ?::timestamptz as _lf_loaded_at,
            extra::json as _lf_extra
        from _lf_chunk""",
        [batch.batch_id, target.relative, sha256, batch.loaded_at],
    )


def _insert_rejects(
    con: duckdb.DuckDBPyConnection, batch: _Batch, target: _Target, sha256: str, rejects: list[Reject]
) -> None:
    if not rejects:
        return
    table = pa.table(
        {
            "line_number": pa.array([r.line_number for r in rejects], pa.int64()),
            "raw_text": pa.array([r.raw_text for r in rejects], pa.string()),
            "reason": pa.array([r.reason for r in rejects], pa.string()),
        }
    )
    _insert_arrow(
        con,
        table,
        f"""insert into {_table("landing_rejects")} by name
        select ? as batch_id, ? as file_path, ? as file_sha256, ? as kind,
            line_number, raw_text, reason, ?::timestamptz as loaded_at
        from _lf_chunk""",
        [batch.batch_id, target.relative, sha256, target.kind.name, batch.loaded_at],
    )


def _insert_arrow(
    con: duckdb.DuckDBPyConnection, table: pa.Table, sql: str, parameters: list[object]
) -> None:
    con.register("_lf_chunk", table)
    try:
        con.execute(sql, parameters)
    finally:
        con.unregister("_lf_chunk")


def _record_file(
    con: duckdb.DuckDBPyConnection, batch: _Batch, report: FileReport, matches: list[HeaderMatch]
) -> None:
    con.execute(
        f"""insert into {_table("landed_files")} by name
        select ? as file_path, ? as file_sha256, ? as kind, ? as batch_id, ? as file_bytes,
            ? as rows_in, ? as rows_loaded, ? as rows_rejected, ?::timestamptz as loaded_at""",
        [
            report.path,
            report.file_sha256,
            report.kind,
            batch.batch_id,
            report.file_bytes,
            report.rows_in,
            report.rows_loaded,
            report.rows_rejected,
            batch.loaded_at,
        ],
    )
    con.executemany(
        f"""insert into {_table("landed_file_columns")}
            (file_sha256, file_path, batch_id, header, column_name, status)
        values (?, ?, ?, ?, ?, ?)""",
        [
            [report.file_sha256, report.path, batch.batch_id, m.header, m.column_name, m.status]
            for m in matches
        ],
    )


def _record_batch(con: duckdb.DuckDBPyConnection, report: BatchReport) -> None:
    con.execute(
        f"insert into {_table('landing_batches')} values (?, ?::timestamptz, ?::timestamptz, ?, ?, ?, ?, ?)",
        [
            report.batch_id,
            report.started_at.isoformat(),
            report.finished_at.isoformat(),
            report.files_loaded,
            report.files_skipped,
            report.rows_in,
            report.rows_loaded,
            report.rows_rejected,
        ],
    )


# --- the database ----------------------------------------------------------------------------------


def _connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db_path))
    except duckdb.IOException as error:
        message = _first_line(error).split(" See also")[0]
        if "lock" in message.lower():
            raise LandingError(f"database {db_path} is locked by another process ({message})") from error
        raise LandingError(f"cannot open database {db_path}: {message}") from error
    except duckdb.Error as error:
        raise LandingError(f"cannot open database {db_path}: {_first_line(error)}") from error


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # no transaction was open
        con.rollback()


def _column_names(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        """select lower(column_name) from duckdb_columns()
        where database_name = current_database() and schema_name = ? and table_name = ?""",
        [RAW_SCHEMA, table],
    ).fetchall()
    return {row[0] for row in rows}


def _table(name: str) -> str:
    return f"{RAW_SCHEMA}.{_quote(name)}"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
