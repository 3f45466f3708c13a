"""The history export, and rebuilding a lost warehouse from the landed files and that export.

Most of the warehouse can be rebuilt from the landing folder: land the files again, build. What
cannot is *history*: what each run saw and when (the lifecycle's milestones, the remediation cases,
the status and person-id snapshots, the scorecard's daily measures), the enrichment providers'
answers, the record of the runs, the erasure registry, and the landing bookkeeping that says which
file landed in which batch and when. After every green run the main job exports those tables to
Parquet beside the serving copy (``history/<run id>/``, one file per table and a manifest with each
table's row count and content hash), then points ``history/LATEST`` at it in one rename and removes
the older export (it may hold data erased since).

``lead-factory restore`` rebuilds a lost or corrupted warehouse from the landing folder and the
latest export: it puts back the erasure registry first (so an erased person's rows land as
tombstones again), lands each recorded batch again with its own batch id and clock, puts back the
rest of the history, and builds at the last run's clock, which re-applies that run to its own
result and so changes nothing. The result equals the lost warehouse, table by table.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from lead_factory.erasure.registry import SALT_ENV, load_salt, salt_path
from lead_factory.landing.loader import ensure_raw_tables, land
from lead_factory.tables import table_exists

EXPORT_DIR = "history"
LATEST = "LATEST"
MANIFEST = "manifest.json"

RAW_HISTORY: tuple[str, ...] = (
    "raw.erasures",
    "raw.erased_keys",
    "raw.enrichment_cache",
    "raw.enrichment_runs",
    "raw.factory_runs",
    "raw.landing_batches",
    "raw.landed_files",
    "raw.refused_files",
)
"""The factory's own raw tables: written by the factory's Python, not by landing a file."""

BUILT_HISTORY: tuple[str, ...] = (
    "intermediate.int_lead_milestones_accumulated",
    "intermediate.int_quarantined_items_tracked",
    "marts.fct_remediation_cases",
    "marts.fct_scorecard_snapshots",
    "snapshots.snp_lead_statuses",
    "snapshots.snp_person_ids",
)
"""The tables dbt keeps across builds and never rebuilds (incremental with full_refresh: false, and
the snapshots): each build reads what the builds before it remembered."""

HISTORY_TABLES = RAW_HISTORY + BUILT_HISTORY


class HistoryError(Exception):
    """The export cannot be written or read, or a restore cannot go on (a landed file is missing)."""


def export_root(serving: Path) -> Path:
    """Where the exports are: history/ beside the serving copy."""
    return serving.parent / EXPORT_DIR


@dataclass
class Export:
    """One export: its folder and what it holds."""

    folder: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        tables = self.manifest.get("tables", {})
        rows = sum(t["rows"] for t in tables.values())
        return f"exported {len(tables)} history tables, {rows:,} rows, to {self.folder}"


def _quote(name: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in name.split("."))


def table_hash(con: duckdb.DuckDBPyConnection, table: str, exclude: tuple[str, ...] = ()) -> str:
    """A hash of a table's content, independent of the order of its rows and columns (every row,
    every column but ``exclude``, by name)."""
    columns = [
        row[0]
        for row in con.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ? "
            "order by column_name",
            table.split("."),
        ).fetchall()
        if row[0] not in exclude
    ]
    if not columns:
        return hashlib.sha256(b"").hexdigest()
    values = ", ".join(f"coalesce({_quote(c)}::varchar, '<null>')" for c in columns)
    row = f"md5(concat_ws(chr(31), {values}))"
    digests = con.execute(f"select {row} as digest from {_quote(table)} order by digest").fetchall()
    digest = hashlib.sha256()
    for (value,) in digests:
        digest.update(value.encode())
    return digest.hexdigest()


def export_history(db_path: Path, serving: Path, run_id: str, clock: datetime) -> Export:
    """Export the history tables of the warehouse at db_path beside the serving copy."""
    root = export_root(serving)
    folder = root / run_id
    partial = root / f".{run_id}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    tables: dict[str, dict[str, Any]] = {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for table in HISTORY_TABLES:
            if not table_exists(con, table):
                continue
            path = partial / f"{table}.parquet"
            con.execute(f"copy (select * from {_quote(table)}) to '{path}' (format parquet)")
            ((rows,),) = con.execute(f"select count(*) from {_quote(table)}").fetchall()
            tables[table] = {"rows": int(rows), "hash": table_hash(con, table)}
    finally:
        con.close()
    salt = salt_path(db_path)
    if salt.exists():
        shutil.copyfile(salt, partial / salt.name.lstrip("."))
        os.chmod(partial / salt.name.lstrip("."), 0o600)
    manifest = {
        "run_id": run_id,
        "clock": clock.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" "),
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warehouse": str(db_path),
        "salt_file": salt.name.lstrip(".") if salt.exists() else None,
        "tables": tables,
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)
    pointer = root / f".{LATEST}.new"
    pointer.write_text(run_id + "\n", encoding="utf-8")
    os.replace(pointer, root / LATEST)
    for other in root.iterdir():
        if other.is_dir() and other.name != run_id:
            shutil.rmtree(other, ignore_errors=True)
    return Export(folder, manifest)


def latest_export(root: Path) -> Export:
    """The export history/LATEST names (root: the history folder, or one export's folder)."""
    if (root / MANIFEST).exists():
        folder = root
    else:
        pointer = root / LATEST
        if not pointer.exists():
            raise HistoryError(f"no history export in {root} (expected {LATEST} or {MANIFEST})")
        folder = root / pointer.read_text(encoding="utf-8").strip()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise HistoryError(f"{folder / MANIFEST} cannot be read: {error}") from error
    return Export(folder, manifest)


# --- restore --------------------------------------------------------------------------------------


@dataclass
class Restore:
    """What a restore did, and how the result compares with the export."""

    batches: int = 0
    files: int = 0
    tables: dict[str, int] = field(default_factory=dict)
    clock: str = ""
    dbt_vars: str | None = None
    mismatches: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"landed {self.files} files again in their {self.batches} batches; put back "
            f"{len(self.tables)} history tables ({sum(self.tables.values()):,} rows)",
        ]


def _index_landing(landing: Path) -> dict[str, list[Path]]:
    """Every file under the landing folder by the SHA-256 of its bytes."""
    index: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(landing.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(landing).parts):
            index[hashlib.sha256(path.read_bytes()).hexdigest()].append(path)
    return index


def _put_back(con: duckdb.DuckDBPyConnection, export: Export, table: str, replace: bool) -> int:
    path = export.folder / f"{table}.parquet"
    schema = table.split(".")[0]
    con.execute(f'create schema if not exists "{schema}"')
    if replace and table_exists(con, table):
        con.execute(f"delete from {_quote(table)}")
        con.execute(f"insert into {_quote(table)} by name select * from read_parquet('{path}')")
    else:
        con.execute(f"create or replace table {_quote(table)} as select * from read_parquet('{path}')")
    ((rows,),) = con.execute(f"select count(*) from {_quote(table)}").fetchall()
    return int(rows)


def restore(export: Export, landing: Path, db_path: Path) -> Restore:
    """Rebuild the warehouse at db_path (which must not exist) from the landing folder and the export,
    up to the build: the caller builds at the returned clock with the returned vars."""
    if db_path.exists():
        raise HistoryError(f"{db_path} exists: restore into a new file (--db), or move it away first")
    tables = export.manifest.get("tables", {})
    missing_tables = [t for t in ("raw.landed_files", "raw.factory_runs") if t not in tables]
    if missing_tables:
        raise HistoryError(f"the export {export.folder} lacks {', '.join(missing_tables)}")
    salt_file = export.manifest.get("salt_file")
    if salt_file and not os.environ.get(SALT_ENV) and load_salt(db_path) is None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(export.folder / salt_file, salt_path(db_path))
        os.chmod(salt_path(db_path), 0o600)
    result = Restore()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path))
    try:
        ensure_raw_tables(con)
        for table in ("raw.erasures", "raw.erased_keys"):  # first: erased rows land as tombstones
            if table in tables:
                result.tables[table] = _put_back(con, export, table, replace=True)
        landed = export.folder / "raw.landed_files.parquet"
        files = con.execute(
            f"select batch_id, file_path, file_sha256, loaded_at from read_parquet('{landed}') "
            "order by batch_id, file_path"
        ).fetchall()
    finally:
        con.close()
    index = _index_landing(landing)
    missing = [f"{path} (sha256 {sha[:12]}...)" for _, path, sha, _ in files if sha not in index]
    if missing:
        raise HistoryError(
            f"{len(missing)} landed files are not in {landing} with the bytes they had: "
            + "; ".join(missing[:5])
            + (" ..." if len(missing) > 5 else "")
        )
    batches: dict[tuple[str, datetime], list[Path]] = defaultdict(list)
    for batch_id, path, sha, loaded_at in files:
        recorded = landing / path
        chosen = recorded if recorded in index[sha] else index[sha][0]
        batches[(batch_id, loaded_at)].append(chosen)
    for (batch_id, loaded_at), paths in sorted(batches.items()):
        land(landing, db_path, paths, clock=loaded_at.astimezone(UTC), batch_id=batch_id)
        result.batches += 1
        result.files += len(paths)
    con = duckdb.connect(str(db_path))
    try:
        for table in tables:
            if table not in ("raw.erasures", "raw.erased_keys"):
                result.tables[table] = _put_back(con, export, table, replace=table.startswith("raw."))
        last = con.execute(
            "select started_at, dbt_vars from raw.factory_runs where status = 'succeeded' "
            "order by started_at desc limit 1"
        ).fetchall()
    finally:
        con.close()
    if last:
        result.clock = last[0][0].isoformat(sep=" ")
        result.dbt_vars = last[0][1]
    return result


def compare(export: Export, db_path: Path) -> list[str]:
    """The history tables whose content differs from the export's (by content hash)."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return [
            table
            for table, recorded in export.manifest.get("tables", {}).items()
            if not table_exists(con, table) or table_hash(con, table) != recorded["hash"]
        ]
    finally:
        con.close()
