"""The landing loader: lands files from the landing folder into the ``raw`` schema of the warehouse.

One call of :func:`land` is one batch and one transaction: the batch lands, or (on a fatal error,
raised as :class:`LandingError`: the warehouse cannot be written, a file named on the command line
is not there) nothing does and the warehouse is left as it was. A bad file never stops the batch:

- each kind's rows go to ``raw.<raw_table>`` as text plus metadata columns, bad rows to
  ``raw.landing_rejects`` with their reason;
- a file that cannot be read as its kind (no key column, an unreadable header, an archive) is
  *rejected*: recorded in ``raw.landed_files`` with its reason, every data line in landing_rejects;
- a path that is not read at all (an unknown kind of file, a symbolic link leading outside the
  landing folder, a directory, an unreadable file) is *refused* and listed in ``raw.refused_files``
  until a file of a known kind lands at that path or a run over the whole folder no longer finds it;
- a zero-byte or header-only file is recorded as *empty*.

``raw.landing_batches``, ``raw.landed_files`` and ``raw.landed_file_columns`` record what was read.
A file is read once: a file whose bytes (SHA-256) were read before, loaded or rejected, is skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from lead_factory.enrichment import cache as enrichment_cache
from lead_factory.erasure.registry import ensure_erasure_tables, has_erasures, tombstone_returning_rows
from lead_factory.landing.decoding import UndecodableFile, decode
from lead_factory.landing.kinds import (
    BOOKKEEPING_TABLES,
    KINDS,
    METADATA_COLUMNS,
    Kind,
    kind_for_path,
)
from lead_factory.landing.parsing import ColumnMatcher, FileFormatError, HeaderMatch, Reject, Row, parse
from lead_factory.runs import RUN_TABLES
from lead_factory.tables import ensure_table, ensure_tables

RAW_SCHEMA = "raw"
CHUNK_ROWS = 100_000
"""Rows are parsed into chunks of this size, each inserted with one statement from an Arrow table."""

MAX_REJECT_TEXT = 1_000_000
"""A rejected row's text is kept up to this many characters (a huge line is cut, with a note)."""


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
    """Set when the file was skipped: the path under which its bytes were read before."""
    first_rejects: tuple[tuple[int, str], ...] = ()
    """The first few rejected rows: (line number, reason); all of them are in raw.landing_rejects."""
    status: str = "loaded"
    """loaded, empty, rejected (read, but not as its kind), refused (not read) or skipped."""
    reason: str | None = None
    """Why the file was rejected, refused or empty (or, when skipped, why it was rejected before)."""
    encoding: str = "utf-8"
    compression: str | None = None
    rows_erased: int = 0
    """Loaded rows that arrived as tombstones: records erased before (raw.erased_keys)."""

    @property
    def skipped(self) -> bool:
        return self.already_loaded_as is not None

    def line(self) -> str:
        head = f"{self.path} [{self.kind}]"
        if self.status == "refused":
            return f"{self.path}: refused: {self.reason}"
        if self.already_loaded_as is not None:
            same = "" if self.already_loaded_as == self.path else f" as {self.already_loaded_as}"
            before = f"rejected before{same} ({self.reason})" if self.reason else f"already loaded{same}"
            return f"{head}: skipped: {before}"
        if self.status == "empty":
            return f"{head}: no data rows ({self.reason})"
        if self.status == "rejected":
            return f"{head}: rejected: {self.reason}; {self.rows_in} in / 0 loaded / {self.rows_in} rejected"
        text = f"{head}: {self.rows_in} in / {self.rows_loaded} loaded / {self.rows_rejected} rejected"
        read_as = [f"read as {self.encoding}"] if self.encoding != "utf-8" else []
        if self.compression:
            read_as.append(f"{self.compression}-compressed")
        if read_as:
            text += " (" + ", ".join(read_as) + ")"
        if self.unexpected_headers:
            text += "; new columns: " + ", ".join(self.unexpected_headers)
        if self.missing_columns:
            text += "; missing columns: " + ", ".join(self.missing_columns)
        if self.rows_erased:
            text += f"; {self.rows_erased} of its rows erased on arrival (their person was erased before)"
        return text

    def reject_lines(self) -> list[str]:
        """The first rejected rows with their reasons, and how many more raw.landing_rejects holds."""
        if self.status == "rejected":
            return []  # every line has the file's reason, shown on the file's line
        lines = [f"    line {line_number}: {reason}" for line_number, reason in self.first_rejects]
        more = self.rows_rejected - len(self.first_rejects)
        if more > 0:
            path = self.path.replace("'", "''")
            where = f"select * from raw.landing_rejects where file_path = '{path}'"
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
        return sum(f.status in ("loaded", "empty") and not f.skipped for f in self.files)

    @property
    def files_rejected(self) -> int:
        return sum(f.status in ("rejected", "refused") and not f.skipped for f in self.files)

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
            f"batch {self.batch_id}: {self.files_loaded} files loaded, {self.files_skipped} skipped"
            + (f", {self.files_rejected} rejected" if self.files_rejected else "")
            + "; "
            f"{self.rows_in} rows in / {self.rows_loaded} loaded / {self.rows_rejected} rejected "
            f"({seconds:.1f} s)"
        )

    def lines(self) -> list[str]:
        return [line for f in self.files for line in (f.line(), *f.reject_lines())] + [self.total_line()]


@dataclass(frozen=True)
class _Target:
    path: Path
    relative: str
    kind: Kind | None
    refusal: str | None = None
    """Why the file is not read at all (then kind may be None)."""


@dataclass(frozen=True)
class _Batch:
    batch_id: str
    loaded_at: str  # ISO 8601 UTC, bound as timestamptz


def land(
    landing_root: Path,
    db_path: Path,
    files: Sequence[Path] | None = None,
    clock: datetime | None = None,
    batch_id: str | None = None,
) -> BatchReport:
    """Land ``files`` (default: every file under ``landing_root``) into the warehouse at ``db_path``.

    ``clock`` stamps the batch (its id and every row's ``_lf_loaded_at``): the main job passes its
    run's clock, so the same files landed at the same clock give the same batch; by default, now.
    ``batch_id`` lands the batch under a given id (a restore re-landing a recorded batch).
    Raises :class:`LandingError` on a fatal problem; the warehouse is then left as it was.
    """
    started_at = datetime.now(UTC)
    stamp = (clock or started_at).astimezone(UTC)
    root = Path(os.path.abspath(landing_root))
    targets = _targets(root, files)
    batch = _Batch(batch_id or new_batch_id(stamp, [t.relative for t in targets]), stamp.isoformat())

    db_path = Path(db_path)
    db_existed = db_path.exists()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect(db_path)
    committed = False
    try:
        con.begin()
        ensure_raw_tables(con)
        if files is None:
            _forget_refused_paths_gone(con, [target.relative for target in targets])
        reports = tuple(_land_file(con, batch, target) for target in targets)
        report = BatchReport(batch.batch_id, started_at, datetime.now(UTC), reports)
        if report.files_loaded or report.files_rejected:
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


def new_batch_id(stamp: datetime, paths: Sequence[str]) -> str:
    """An id that sorts in time order: the batch's UTC time and a digest of the paths it reads (the
    same files landed at the same clock get the same id; the writer lock keeps two batches from
    sharing a clock)."""
    digest = hashlib.sha256("\n".join([stamp.isoformat(), *sorted(paths)]).encode()).hexdigest()
    return f"{stamp.astimezone(UTC):%Y%m%dT%H%M%S%fZ}-{digest[:8]}"


def accepted_paths() -> str:
    return ", ".join(kind.pattern for kind in KINDS)


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema raw, every kind's raw table, the bookkeeping tables and the enrichment step's
    cache tables (so dbt's sources exist before the first enrichment run); add missing columns;
    write the landing contract's kinds to raw.landing_kinds."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    for kind in KINDS:
        ensure_table(con, RAW_SCHEMA, kind.raw_table, kind.columns + METADATA_COLUMNS)
    ensure_tables(con, RAW_SCHEMA, BOOKKEEPING_TABLES)
    ensure_tables(con, RAW_SCHEMA, RUN_TABLES)
    ensure_erasure_tables(con)
    con.execute(f"delete from {_table('landing_kinds')}")
    con.executemany(
        f"insert into {_table('landing_kinds')} values (?, ?, ?, ?, ?, ?)",
        [[k.name, k.raw_table, k.pattern, k.file_format, k.owner_team, k.description] for k in KINDS],
    )
    enrichment_cache.ensure_tables(con)


# --- the files of a batch --------------------------------------------------------------------------


def _targets(root: Path, files: Sequence[Path] | None) -> list[_Target]:
    if files is None:
        if not root.is_dir():
            raise LandingError(f"landing directory {root} does not exist")
        found = sorted(
            path
            for path in root.rglob("*")
            if not any(part.startswith(".") for part in path.relative_to(root).parts)
            and (path.is_symlink() or not path.is_dir() or _looks_like_a_file(root, path))
        )
        return [_target(root, path) for path in found]
    return [_named_target(root, Path(file)) for file in files]


def _looks_like_a_file(root: Path, path: Path) -> bool:
    """A directory whose path is one a kind's files take (``crm/leads/x.csv/``): refused, not walked past."""
    return kind_for_path(path.relative_to(root).as_posix()) is not None


def _named_target(root: Path, file: Path) -> _Target:
    """A file named on the command line: one that is not there, or not under the root, is a mistake."""
    path = Path(os.path.abspath(file))
    if not path.is_relative_to(root):
        raise LandingError(f"{file}: outside the landing directory {root}")
    if not path.exists() and not path.is_symlink():
        raise LandingError(f"{path.relative_to(root).as_posix()}: no such file")
    return _target(root, path)


def _target(root: Path, path: Path) -> _Target:
    """The file at ``path`` under ``root``, with why it is refused if it cannot be read as a kind."""
    relative = path.relative_to(root).as_posix()
    kind = kind_for_path(relative)
    refusal = None
    if not path.resolve().is_relative_to(root.resolve()):
        refusal = (
            f"a symbolic link to {path.resolve()}, outside the landing directory {root} "
            "(copy the file into the landing directory instead)"
        )
    elif not path.exists():
        refusal = f"a symbolic link to {path.resolve()}, which does not exist"
    elif not path.is_file():
        refusal = "not a regular file (a directory, device or pipe)"
    elif kind is None:
        refusal = f"unknown kind of file; accepted paths (relative to {root}): {accepted_paths()}"
    return _Target(path, relative, kind, refusal)


def _land_file(con: duckdb.DuckDBPyConnection, batch: _Batch, target: _Target) -> FileReport:
    if target.refusal is None:
        try:
            data = target.path.read_bytes()
        except OSError as error:
            target = replace(target, refusal=f"cannot be read: {error.strerror or error}")
    if target.refusal is not None or target.kind is None:
        return _refuse(con, batch, target)
    kind = target.kind
    sha256 = hashlib.sha256(data).hexdigest()
    report = FileReport(target.relative, kind.name, sha256, len(data))

    previous = con.execute(
        f"select file_path, status, reason from {_table('landed_files')} where file_sha256 = ?", [sha256]
    ).fetchone()
    if previous is not None:
        reason = previous[2] if previous[1] == "rejected" else None
        return replace(report, already_loaded_as=previous[0], reason=reason)
    con.execute(f"delete from {_table('refused_files')} where file_path = ?", [target.relative])

    if not data:
        return _record_file(con, batch, replace(report, status="empty", reason="empty file (0 bytes)"), [])
    try:
        decoded = decode(data)
    except UndecodableFile as error:
        return _reject_file(con, batch, target, replace(report, reason=str(error)), None)
    report = replace(report, encoding=decoded.encoding, compression=decoded.compression)
    if not decoded.data.strip():
        return _record_file(con, batch, replace(report, status="empty", reason="only blank lines"), [])

    matcher = ColumnMatcher(kind)
    loaded = rejected = 0
    first_rejects: list[tuple[int, str]] = []
    try:
        for rows, rejects in _chunks(parse(decoded.data, kind, matcher)):
            _insert_rows(con, batch, target, sha256, rows)
            _insert_rejects(con, batch, target, sha256, rejects)
            loaded += len(rows)
            rejected += len(rejects)
            shown = rejects[: SHOWN_REJECTS - len(first_rejects)]
            first_rejects.extend((reject.line_number, reject.reason) for reject in shown)
    except FileFormatError as error:
        return _reject_file(con, batch, target, replace(report, reason=str(error)), decoded.data)
    except duckdb.Error as error:
        raise LandingError(f"{target.relative}: database error: {_first_line(error)}") from error
    if loaded + rejected == 0:
        detail = "only a header" if kind.file_format == "csv" else "only blank lines"
        return _record_file(con, batch, replace(report, status="empty", reason=detail), matcher.matches())

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
    if has_erasures(con):
        report = replace(report, rows_erased=tombstone_returning_rows(con, kind, sha256))
    return _record_file(con, batch, report, matches)


def _reject_file(
    con: duckdb.DuckDBPyConnection, batch: _Batch, target: _Target, report: FileReport, text: bytes | None
) -> FileReport:
    """Record a file that cannot be read as its kind: every data line rejected with the file's reason."""
    assert target.kind is not None
    keys = [report.file_sha256, batch.batch_id]  # rows a JSON Lines file loaded before its end was read
    raw_table = _table(target.kind.raw_table)
    con.execute(f"delete from {raw_table} where _lf_file_sha256 = ? and _lf_batch_id = ?", keys)
    con.execute(f"delete from {_table('landing_rejects')} where file_sha256 = ? and batch_id = ?", keys)
    lines = _data_lines(text, target.kind) if text is not None else []
    reason = f"file rejected: {report.reason}"
    _insert_rejects(
        con, batch, target, report.file_sha256, [Reject(number, line, reason) for number, line in lines]
    )
    rejected = replace(report, status="rejected", rows_in=len(lines), rows_rejected=len(lines))
    return _record_file(con, batch, rejected, [])


def _data_lines(text: bytes, kind: Kind) -> list[tuple[int, str]]:
    """The non-blank lines of a file's text that would be records (a CSV file's first is its header)."""
    lines = [
        (number, line)
        for number, line in enumerate(text.decode("utf-8", "backslashreplace").splitlines(), start=1)
        if line.strip()
    ]
    return lines[1:] if kind.file_format == "csv" else lines


def _refuse(con: duckdb.DuckDBPyConnection, batch: _Batch, target: _Target) -> FileReport:
    """Record a path the loader will not read (kept until a file of a known kind lands there, or
    until a landing run of the whole folder no longer finds the path)."""
    con.execute(
        f"""insert into {_table("refused_files")}
            (file_path, reason, first_refused_at, last_refused_at, batch_id, kind)
        values (?, ?, ?::timestamptz, ?::timestamptz, ?, ?)
        on conflict (file_path) do update set
            reason = excluded.reason,
            last_refused_at = excluded.last_refused_at,
            batch_id = excluded.batch_id,
            kind = excluded.kind""",
        [
            target.relative,
            target.refusal,
            batch.loaded_at,
            batch.loaded_at,
            batch.batch_id,
            target.kind.name if target.kind else None,
        ],
    )
    kind = target.kind.name if target.kind else "unknown"
    return FileReport(target.relative, kind, "", 0, status="refused", reason=target.refusal)


def _forget_refused_paths_gone(con: duckdb.DuckDBPyConnection, present: list[str]) -> None:
    """A refused path no longer in the landing folder (removed, or moved to where its kind goes) is
    no longer refused: its row goes (fct_quarantined_items then resolves its item)."""
    refused = [path for (path,) in con.execute(f"select file_path from {_table('refused_files')}").fetchall()]
    gone = sorted(set(refused) - set(present))
    if gone:
        con.executemany(
            f"delete from {_table('refused_files')} where file_path = ?", [[path] for path in gone]
        )


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
    assert target.kind is not None
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
    assert target.kind is not None
    table = pa.table(
        {
            "line_number": pa.array([r.line_number for r in rejects], pa.int64()),
            "raw_text": pa.array([_kept_text(r.raw_text) for r in rejects], pa.string()),
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


def _kept_text(text: str) -> str:
    """A rejected row's text as stored: NUL characters escaped, a huge line cut with a note."""
    text = text.replace("\x00", "\\x00")
    if len(text) <= MAX_REJECT_TEXT:
        return text
    return text[:MAX_REJECT_TEXT] + f"... [cut: {len(text)} characters in all]"


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
) -> FileReport:
    con.execute(
        f"""insert into {_table("landed_files")} by name
        select ? as file_path, ? as file_sha256, ? as kind, ? as batch_id, ? as file_bytes,
            ? as rows_in, ? as rows_loaded, ? as rows_rejected, ?::timestamptz as loaded_at,
            ? as status, ? as reason, ? as encoding, ? as compression""",
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
            report.status,
            report.reason,
            report.encoding,
            report.compression,
        ],
    )
    if not matches:
        return report
    con.executemany(
        f"""insert into {_table("landed_file_columns")}
            (file_sha256, file_path, batch_id, header, column_name, status)
        values (?, ?, ?, ?, ?, ?)""",
        [
            [report.file_sha256, report.path, batch.batch_id, m.header, m.column_name, m.status]
            for m in matches
        ],
    )
    return report


def _record_batch(con: duckdb.DuckDBPyConnection, report: BatchReport) -> None:
    con.execute(
        f"""insert into {_table("landing_batches")} by name
        select ? as batch_id, ?::timestamptz as started_at, ?::timestamptz as finished_at,
            ? as files_loaded, ? as files_skipped, ? as rows_in, ? as rows_loaded, ? as rows_rejected,
            ? as files_rejected""",
        [
            report.batch_id,
            report.started_at.isoformat(),
            report.finished_at.isoformat(),
            report.files_loaded,
            report.files_skipped,
            report.rows_in,
            report.rows_loaded,
            report.rows_rejected,
            report.files_rejected,
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
