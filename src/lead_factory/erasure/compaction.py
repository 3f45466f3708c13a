"""Rewriting the warehouse file, so the bytes of erased data are gone from disk.

DuckDB does not give freed space back, and a deleted or overwritten value can stay in the file's
free blocks until they are reused: after an erasure, the person's old values may still be in the
file even though no table holds them. Compaction copies the whole database (every schema, table,
view, macro, sequence and comment) into a fresh file beside it (``COPY FROM DATABASE``), makes it
durable, and moves it over the old file in one rename: a run killed during compaction leaves the
old file whole, and the next run compacts again.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class Compaction:
    """What one compaction did, and what it cost."""

    seconds: float
    bytes_before: int
    bytes_after: int

    def line(self) -> str:
        return (
            f"rewrote the warehouse file: {self.bytes_before / 2**20:.1f} MiB -> "
            f"{self.bytes_after / 2**20:.1f} MiB in {self.seconds:.1f} s"
        )


def _size(path: Path) -> int:
    wal = path.with_name(path.name + ".wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def compact(db_path: Path) -> Compaction:
    """Rewrite the database at db_path into a fresh file and move it into place (the caller holds
    the warehouse's lock, so nothing else has the file open)."""
    started = time.perf_counter()
    before = _size(db_path)
    fresh = db_path.with_name(f".{db_path.name}.compacting")
    for leftover in (fresh, fresh.with_name(fresh.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect(str(db_path))
    try:
        (name,) = con.execute("select current_database()").fetchall()[0]
        con.execute("checkpoint")
        con.execute("attach ? as compacted", [str(fresh)])
        con.execute(f'copy from database "{name}" to compacted')
        con.execute("detach compacted")
    finally:
        con.close()
    for database in (db_path, fresh):
        if database.with_name(database.name + ".wal").exists():
            raise OSError(f"{database} still has a write-ahead log after closing; not compacting it")
    descriptor = os.open(fresh, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(fresh, db_path)
    directory = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return Compaction(time.perf_counter() - started, before, _size(db_path))
