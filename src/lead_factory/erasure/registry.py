"""The erasure registry: what was erased, the keys never to import again, the salt, the tombstones.

``raw.erasures`` is the proof: one row per erasure request honoured, with a salted SHA-256 hash of
the address the request named (never the address itself), when it was asked and erased, how many
records and rows it took and when the erased bytes left the disk. ``raw.erased_keys`` lists what
must never come back: the raw rows' keys (a Salesforce id, a submission id, a file and line), the
erased record ids, and the salted hashes of every address the person's records used. Landing reads
it (a row with an erased key lands as a tombstone), and so does the erase step (a later file that
brings an erased address back under a new key is erased in the run that lands it).

A *tombstone* is a raw row whose personal data are gone: every column whose PII class is contact
or sensitive (``kinds.ERASED_CLASSES``) is null, ``_lf_erased_at`` and ``_lf_erasure_id`` say when
and by which erasure. Its key, batch, file and line stay, so every count still reconciles.

The salt is ``$LEAD_FACTORY_ERASURE_SALT`` when set (keep it in your secret store), else a random
one kept in ``<warehouse>.erasure-salt`` (mode 0600), created at the first erasure. Without it the
hashes cannot be checked again: back it up with the warehouse (the history export carries a copy).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import duckdb

from lead_factory.landing.kinds import (
    ERASED_CLASSES,
    KINDS_BY_NAME,
    METADATA_COLUMNS,
    Column,
    Kind,
    Table,
)
from lead_factory.tables import ensure_tables, quote

SCHEMA = "raw"
SALT_ENV = "LEAD_FACTORY_ERASURE_SALT"
SALT_SUFFIX = ".erasure-salt"
ROW_KEY = "_lf_row"
"""key_column of a row key that is the landed row's place: ``<file sha256>:<line>``."""

RECORD_REFERENCES: dict[str, tuple[str, ...]] = {
    "steward_fixes": ("record_id",),
    "match_decisions": ("record_id", "other_record_id"),
    "gold_labels": ("record_id",),
}
"""Raw tables whose rows are about a record, by the columns that name it: a row naming an erased
record is erased too (a steward's fix, a reviewer's note, a label)."""

ERASURE_TABLES: dict[str, Table] = {
    "erasures": Table(
        "The proof of every erasure: one row per erasure request the factory honoured. It holds no "
        "personal data: the address appears only as a salted hash.",
        (
            Column("erasure_id", "Id of the erasure (a salted hash of the request's key). Primary key."),
            Column(
                "address_hash",
                "SHA-256 of the salt and the address the request named (lower-case): proof of which "
                "address was erased, without the address.",
            ),
            Column(
                "request_event_key",
                "The erasure request's landed row (file:line in events/); the row is itself a tombstone.",
                pii="identifier",
            ),
            Column("requested_at", "When the person asked (the request's time, UTC).", data_type="timestamp"),
            Column(
                "erased_at", "When the factory erased the data (the run's clock, UTC).", data_type="timestamp"
            ),
            Column("run_id", "The run of the main job that erased it (raw.factory_runs)."),
            Column(
                "records_erased", "The person's records erased, every address included.", data_type="integer"
            ),
            Column(
                "rows_erased",
                "Raw rows turned into tombstones (every export of each record, the person's events, fixes, "
                "reviews, rejected rows and cached enrichment answers).",
                data_type="integer",
            ),
            Column(
                "reimports_erased",
                "Records that later brought an erased address back (a new file) and were erased on arrival.",
                data_type="integer",
            ),
            Column(
                "purged_at",
                "When the derived tables were rebuilt without the data and the database file rewritten, so "
                "the erased bytes are gone from disk; null until then.",
                data_type="timestamp",
            ),
        ),
        primary_key="erasure_id",
    ),
    "erased_keys": Table(
        "What must never be imported again: one row per key of erased data. A landed row with such a "
        "key lands as a tombstone; a record with such an address is erased on arrival (unless it is a "
        "new form fill, given with consent after the erasure: the person came back).",
        (
            Column("erasure_id", "The erasure (raw.erasures)."),
            Column(
                "key_type",
                "row (a raw row's key), record (an erased record id) or address (a salted hash of an "
                "address the person used).",
            ),
            Column("raw_table", "For a row key: the raw table; else null."),
            Column(
                "key_column",
                f"For a row key: the kind's key column, or {ROW_KEY} for the row's place (file sha256:line).",
            ),
            Column("key_value", "The key: the value, the record id, or the address hash.", pii="identifier"),
            Column("erased_at", "When it was erased (the run's clock, UTC).", data_type="timestamp"),
            Column("run_id", "The run that erased it."),
            Column(
                "purged_at",
                "When the bytes of what it erased left the disk (derived tables rebuilt, file rewritten).",
                data_type="timestamp",
            ),
        ),
    ),
}


def ensure_erasure_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_tables(con, SCHEMA, ERASURE_TABLES)


# --- the salt and the hashes ----------------------------------------------------------------------


def salt_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SALT_SUFFIX)


def load_salt(db_path: Path, create: bool = False) -> str | None:
    """The salt: $LEAD_FACTORY_ERASURE_SALT, else the salt file beside the warehouse (created, mode
    0600, when ``create``); None when there is none yet."""
    given = os.environ.get(SALT_ENV, "").strip()
    if given:
        return given
    path = salt_path(db_path)
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(salt + "\n")
    return salt


def address_hash(salt: str, address: str) -> str:
    """The salted hash of an address (as staging normalises it): what the registry keeps of it."""
    return hashlib.sha256(f"{salt}|{address}".encode()).hexdigest()


ADDRESS_HASH_SQL = "sha256(? || '|' || {column})"
"""address_hash in DuckDB SQL: the salt as the parameter, the (normalised) address as {column}."""


# --- tombstones -----------------------------------------------------------------------------------


def erased_columns(columns: tuple[Column, ...]) -> list[str]:
    """The columns an erasure empties: those whose PII class is contact or sensitive."""
    return [c.name for c in columns if c.pii in ERASED_CLASSES]


def kind_of_table(raw_table: str) -> Kind:
    return next(k for k in KINDS_BY_NAME.values() if k.raw_table == raw_table)


def tombstone_set_sql(kind: Kind, erased_at: str = "?", erasure_id: str = "?") -> str:
    """The SET list turning a row of ``kind`` into a tombstone; ``erased_at`` and ``erasure_id`` are
    SQL (parameters by default)."""
    emptied = [f"{quote(name)} = null" for name in erased_columns(kind.columns + METADATA_COLUMNS)]
    return ", ".join([*emptied, f"_lf_erased_at = {erased_at}", f"_lf_erasure_id = {erasure_id}"])


def row_key_sql(kind: Kind, alias: str = "") -> tuple[str, str]:
    """(key_column, SQL expression of a row's key) for rows of ``kind``: the kind's key column, or
    the row's place (file sha256 and line) for a kind without one."""
    prefix = f"{alias}." if alias else ""
    if kind.key_column:
        return kind.key_column, f"{prefix}{quote(kind.key_column)}"
    return ROW_KEY, f"{prefix}_lf_file_sha256 || ':' || {prefix}_lf_line_number"


def tombstone_returning_rows(con: duckdb.DuckDBPyConnection, kind: Kind, file_sha256: str) -> int:
    """Turn the rows of one landed file that carry an erased key into tombstones, in the landing
    transaction: a record erased before (by its id, its place, or a row naming an erased record)
    never lands again, and its rejected lines land without their text. Returns the rows erased."""
    table = f"{SCHEMA}.{quote(kind.raw_table)}"
    key_column, key = row_key_sql(kind, "t")
    matches = [
        (key, f"key_type = 'row' and raw_table = '{kind.raw_table}' and key_column = '{key_column}'"),
        *(
            (f"t.{quote(column)}", "key_type = 'record'")
            for column in RECORD_REFERENCES.get(kind.raw_table, ())
        ),
    ]
    erased = 0
    for expression, keys in matches:
        rows = con.execute(
            f"""update {table} as t set {tombstone_set_sql(kind, "k.erased_at", "k.erasure_id")}
            from (
                select key_value, min(erasure_id) as erasure_id, min(erased_at) as erased_at
                from {SCHEMA}.erased_keys where {keys} group by key_value
            ) as k
            where t._lf_file_sha256 = ? and t._lf_erased_at is null and {expression} = k.key_value""",
            [file_sha256],
        ).fetchall()
        erased += int(rows[0][0]) if rows else 0
    con.execute(
        f"""update {SCHEMA}.landing_rejects as r set raw_text = null, erased_at = k.erased_at
        from (
            select key_value, min(erased_at) as erased_at from {SCHEMA}.erased_keys
            where key_type = 'row' and raw_table = 'landing_rejects' group by key_value
        ) as k
        where r.file_sha256 = ? and r.erased_at is null
            and r.file_sha256 || ':' || r.line_number = k.key_value""",
        [file_sha256],
    )
    return erased


def has_erasures(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute(f"select count(*) from {SCHEMA}.erased_keys").fetchall()
    return bool(rows and rows[0][0])
