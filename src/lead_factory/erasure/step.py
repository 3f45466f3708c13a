"""The erase step of the main job: remove an erased person's data from every table, then from disk.

After a build, ``intermediate.int_records_erased`` (the one definition of an erased record) lists
every record of every person who asked to be erased, whichever address each record used. For the
records still pending, in one transaction:

1. every raw row of the record (every export of it, every copy of the submission) becomes a
   tombstone (``registry.tombstone_set_sql``), and its keys and the salted hashes of its addresses
   go to ``raw.erased_keys``;
2. so do the person's contact events (the erasure request itself included), the steward fixes,
   reviewer decisions and labels naming an erased record, the rejected lines whose text holds one
   of the person's addresses or phone numbers, and the enrichment cache's answers about the
   person's addresses; the scored pairs of the records are deleted;
3. a record that brings an erased address back under a new key (a later list, a new export) is
   erased the same way, unless it is a form filled in with consent after the erasure: then the
   person came back, as a new person, and the address is no longer suppressed;
4. ``raw.erasures`` records each request honoured, with a salted hash of its address as proof.

The main job then builds again (the staging, intermediate and mart tables are rebuilt without the
data), publishes, and rewrites the warehouse file (:mod:`lead_factory.erasure.compaction`) so the
freed blocks that still hold the old values are gone from disk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from lead_factory.enrichment.cache import CACHE_COLUMNS, CACHE_TABLE
from lead_factory.erasure.registry import (
    ADDRESS_HASH_SQL,
    RECORD_REFERENCES,
    SCHEMA,
    address_hash,
    ensure_erasure_tables,
    erased_columns,
    kind_of_table,
    load_salt,
    row_key_sql,
    tombstone_set_sql,
)
from lead_factory.landing.kinds import KINDS_BY_NAME, Kind
from lead_factory.tables import quote, table_exists

ERASED_RECORDS = "intermediate.int_records_erased"
SOURCE_KINDS: dict[str, str] = {
    "form": "form_submissions",
    "upload": "uploads",
    "crm_lead": "crm_leads",
    "crm_contact": "crm_contacts",
}
"""The landing kind of each source_system a person record comes from."""

Key = tuple[str, str, str | None, str | None, str]
"""A key of raw.erased_keys: (erasure_id, key_type, raw_table, key_column, key_value)."""

MIN_PHONE_DIGITS = 7
"""A phone number as written is searched for in rejected lines only when it has this many digits."""


class ErasureError(Exception):
    """The erase step cannot run (the build that defines the erased records has not run)."""


@dataclass
class Target:
    """A record to erase: where its raw rows are and which erasure it belongs to."""

    record_id: str
    source_system: str
    source_record_id: str | None
    source_file_sha256: str | None
    source_line_number: int | None
    email: str | None
    erasure_id: str
    reimport: bool = False


@dataclass
class ErasureReport:
    """What one erase step did."""

    requests: int = 0
    records: int = 0
    reimports: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    pairs_deleted: int = 0
    purge_pending: bool = False
    """True when erased data may still be in derived tables or free blocks: rebuild and compact."""

    @property
    def erased_anything(self) -> bool:
        return bool(self.records)

    def lines(self) -> list[str]:
        if not self.records:
            return ["no erasure to apply" + (" (a purge is pending)" if self.purge_pending else "")]
        rows = ", ".join(f"{table} {count}" for table, count in sorted(self.rows.items()) if count)
        return [
            f"erased {self.records} records ({self.reimports} of them brought back by a later file) for "
            f"{self.requests} new requests; tombstones: {rows}; scored pairs deleted: {self.pairs_deleted}"
        ]


def purge_pending(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether erased data may still be on disk (keys not yet purged)."""
    rows = con.execute(f"select count(*) from {SCHEMA}.erased_keys where purged_at is null").fetchall()
    return bool(rows[0][0])


def erase(db_path: Path, clock: datetime, run_id: str) -> ErasureReport:
    """Apply every pending erasure to the warehouse at db_path, in one transaction."""
    con = duckdb.connect(str(db_path))
    try:
        con.begin()
        ensure_erasure_tables(con)
        if not table_exists(con, ERASED_RECORDS):
            raise ErasureError(f"{ERASED_RECORDS} does not exist: build the factory first")
        report = ErasureReport()
        stamp = clock.replace(tzinfo=None)
        pending = _pending(con)
        salt = load_salt(db_path, create=bool(pending)) or ""
        # The build that listed them may predate an erase step that already ran (a resumed run):
        # only records with a landed row not yet erased are targets.
        live = [t for t in _targets(pending, salt) if _has_live_rows(con, t)]
        requests = _register_requests(con, live, salt, stamp, run_id)
        taken = {t.record_id for t in live}
        if salt:
            live += [t for t in _reimports(con, salt) if t.record_id not in taken and _has_live_rows(con, t)]
        targets = live
        if targets:
            _apply(con, targets, salt, stamp, run_id, report)
        report.requests = requests
        report.records = len(targets)
        report.reimports = sum(t.reimport for t in targets)
        _count_reimports(con, targets)
        report.purge_pending = purge_pending(con)
        con.commit()
        return report
    except BaseException:
        con.rollback()
        raise
    finally:
        con.close()


def _pending(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        f"""select record_id, source_system, source_record_id, source_file_sha256, source_line_number,
            email, erasure_request_key
        from {ERASED_RECORDS} where is_pending order by erasure_request_key, record_id"""
    ).fetchall()


def _targets(pending: list[tuple], salt: str) -> list[Target]:
    """The pending records as targets, each with its erasure's id (a salted hash of the request)."""
    return [
        Target(
            record_id, system, source_id, sha, line, email, address_hash(salt, f"request:{request_key}")[:16]
        )
        for record_id, system, source_id, sha, line, email, request_key in pending
    ]


def _has_live_rows(con: duckdb.DuckDBPyConnection, target: Target) -> bool:
    """Whether the record still has a landed row that is not a tombstone."""
    kind = KINDS_BY_NAME[SOURCE_KINDS[target.source_system]]
    condition, parameters = _record_condition(kind, target)
    rows = con.execute(
        f"select count(*) from {SCHEMA}.{quote(kind.raw_table)} "
        f"where _lf_erased_at is null and ({condition})",
        parameters,
    ).fetchall()
    return bool(rows[0][0])


def _register_requests(
    con: duckdb.DuckDBPyConnection, targets: list[Target], salt: str, stamp: datetime, run_id: str
) -> int:
    """One raw.erasures row per request the targets answer, with a salted hash of its address;
    returns how many requests are new."""
    new = 0
    for erasure_id in sorted({t.erasure_id for t in targets}):
        records = [t for t in targets if t.erasure_id == erasure_id]
        request = con.execute(
            """select events.event_key, events.email, events.occurred_at
            from intermediate.int_records_erased as erased
            inner join staging.stg_events__contact_events as events
                on erased.erasure_request_key = events.event_key
            where erased.record_id = ?""",
            [records[0].record_id],
        ).fetchall()
        request_key, email, occurred_at = request[0] if request else (None, None, None)
        exists = con.execute(
            f"select count(*) from {SCHEMA}.erasures where erasure_id = ?", [erasure_id]
        ).fetchall()
        if not exists[0][0]:
            new += 1
            con.execute(
                f"""insert into {SCHEMA}.erasures by name
                select ? as erasure_id, ? as address_hash, ? as request_event_key, ? as requested_at,
                    ? as erased_at, ? as run_id, 0 as records_erased, 0 as rows_erased,
                    0 as reimports_erased""",
                [
                    erasure_id,
                    address_hash(salt, email) if email else None,
                    request_key,
                    occurred_at,
                    stamp,
                    run_id,
                ],
            )
        con.execute(
            f"update {SCHEMA}.erasures set records_erased = records_erased + ? where erasure_id = ?",
            [len(records), erasure_id],
        )
    return new


def _reimports(con: duckdb.DuckDBPyConnection, salt: str) -> list[Target]:
    """Live records with an erased address: a later file brought the person back. A form filled in
    with consent after the erasure is the person coming back; their address is then not suppressed."""
    hashed = ADDRESS_HASH_SQL.format(column="records.email")
    rows = con.execute(
        f"""with
        records as (
            select record_id, source_system, source_record_id, source_file_sha256, source_line_number,
                email, has_marketing_consent, arrived_at
            from intermediate.int_leads_unioned where erased_at is null and email is not null
            union all
            select record_id, 'crm_contact', contact_id, source_file_sha256, source_line_number,
                email, null, coalesce(created_at, loaded_at)
            from staging.stg_crm__contacts where erased_at is null and email is not null
        ),
        hashed as (select records.*, {hashed} as hash from records),
        suppressed as (
            select key_value as hash, min(erasure_id) as erasure_id, max(erased_at) as erased_at
            from {SCHEMA}.erased_keys where key_type = 'address' group by key_value
        ),
        came_back as (
            select distinct hashed.hash
            from hashed inner join suppressed using (hash)
            where hashed.source_system = 'form' and coalesce(hashed.has_marketing_consent, false)
                and hashed.arrived_at > suppressed.erased_at
        )
        select hashed.record_id, hashed.source_system, hashed.source_record_id, hashed.source_file_sha256,
            hashed.source_line_number, hashed.email, suppressed.erasure_id
        from hashed inner join suppressed using (hash)
        where hashed.hash not in (select hash from came_back)
        order by hashed.record_id""",
        [salt],
    ).fetchall()
    return [Target(r[0], r[1], r[2], r[3], r[4], r[5], r[6], reimport=True) for r in rows]


def _apply(
    con: duckdb.DuckDBPyConnection,
    targets: Sequence[Target],
    salt: str,
    stamp: datetime,
    run_id: str,
    report: ErasureReport,
) -> None:
    """Tombstone every row of every target and of what names it; register the keys."""
    keys: list[Key] = []
    rows_by_erasure: dict[str, int] = {}
    by_erasure: dict[str, list[Target]] = {}
    for target in targets:
        by_erasure.setdefault(target.erasure_id, []).append(target)
    terms = {erasure_id: _search_terms(con, records) for erasure_id, records in by_erasure.items()}

    def count(table: str, erasure_id: str, found: int) -> None:
        report.rows[table] = report.rows.get(table, 0) + found
        rows_by_erasure[erasure_id] = rows_by_erasure.get(erasure_id, 0) + found

    for target in targets:
        kind = KINDS_BY_NAME[SOURCE_KINDS[target.source_system]]
        count(kind.raw_table, target.erasure_id, _erase_record_rows(con, kind, target, stamp, keys))
        keys.append((target.erasure_id, "record", None, None, target.record_id))
        if target.email:
            keys.append((target.erasure_id, "address", None, None, address_hash(salt, target.email)))
    events = kind_of_table("contact_events")
    for erasure_id, records in by_erasure.items():
        emails = sorted({t.email for t in records if t.email})
        for sha, line in con.execute(
            "select source_file_sha256, source_line_number from staging.stg_events__contact_events "
            "where email in (select unnest(?::varchar[]))",
            [emails],
        ).fetchall():
            where = "_lf_file_sha256 = ? and _lf_line_number = ?"
            count(
                "contact_events",
                erasure_id,
                _erase_rows(con, events, where, [sha, line], stamp, erasure_id, keys),
            )
        ids = [t.record_id for t in records]
        for raw_table, columns in RECORD_REFERENCES.items():
            where = " or ".join(f"{quote(c)} in (select unnest(?::varchar[]))" for c in columns)
            erased = _erase_rows(
                con, kind_of_table(raw_table), where, [ids] * len(columns), stamp, erasure_id, keys
            )
            count(raw_table, erasure_id, erased)
        count("landing_rejects", erasure_id, _erase_rejects(con, terms[erasure_id], stamp, erasure_id, keys))
        count(CACHE_TABLE, erasure_id, _erase_cache(con, emails))
    report.pairs_deleted = _delete_pairs(con, [t.record_id for t in targets])
    con.executemany(
        f"""insert into {SCHEMA}.erased_keys by name
        select ? as erasure_id, ? as key_type, ? as raw_table, ? as key_column, ? as key_value,
            ? as erased_at, ? as run_id
        where not exists (
            select 1 from {SCHEMA}.erased_keys as e
            where e.key_type = ? and coalesce(e.raw_table, '') = coalesce(?, '')
                and coalesce(e.key_column, '') = coalesce(?, '') and e.key_value = ?
        )""",
        [[*key, stamp, run_id, key[1], key[2], key[3], key[4]] for key in dict.fromkeys(keys)],
    )
    for erasure_id, rows in rows_by_erasure.items():
        con.execute(
            f"update {SCHEMA}.erasures set rows_erased = rows_erased + ? where erasure_id = ?",
            [rows, erasure_id],
        )


def _erase_record_rows(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    target: Target,
    stamp: datetime,
    keys: list[Key],
) -> int:
    """Tombstone every raw row of the record: the landed row, and every row with its key."""
    condition, parameters = _record_condition(kind, target)
    return _erase_rows(con, kind, condition, parameters, stamp, target.erasure_id, keys)


def _record_condition(kind: Kind, target: Target) -> tuple[str, list[object]]:
    """SQL selecting a record's raw rows: the landed row (file and line), and every row with its key."""
    conditions = ["(_lf_file_sha256 = ? and _lf_line_number = ?)"]
    parameters: list[object] = [target.source_file_sha256, target.source_line_number]
    if kind.key_column and target.source_record_id is not None:
        conditions.append(f"{quote(kind.key_column)} = ?")
        parameters.append(target.source_record_id)
    return " or ".join(conditions), parameters


def _erase_rows(
    con: duckdb.DuckDBPyConnection,
    kind: Kind,
    condition: str,
    parameters: list[object],
    stamp: datetime,
    erasure_id: str,
    keys: list[Key],
) -> int:
    """Tombstone the rows of ``kind``'s raw table that meet ``condition`` (and are not yet erased);
    record each row's key. Returns how many."""
    table = f"{SCHEMA}.{quote(kind.raw_table)}"
    key_column, key = row_key_sql(kind)
    where = f"_lf_erased_at is null and ({condition})"
    found = con.execute(f"select distinct {key} from {table} where {where}", parameters).fetchall()
    if not found:
        return 0
    rows = con.execute(
        f"update {table} set {tombstone_set_sql(kind)} where {where}", [stamp, erasure_id, *parameters]
    ).fetchall()
    keys.extend((erasure_id, "row", kind.raw_table, key_column, str(value)) for (value,) in found)
    return int(rows[0][0]) if rows else 0


def _search_terms(con: duckdb.DuckDBPyConnection, records: Sequence[Target]) -> list[str]:
    """What identifies the person in free text: their addresses, and their phone numbers as written
    (with enough digits), read from their landed rows before those are emptied."""
    terms = {t.email.lower() for t in records if t.email}
    for target in records:
        kind = KINDS_BY_NAME[SOURCE_KINDS[target.source_system]]
        phones = [c.name for c in kind.columns if c.pii == "contact" and "phone" in c.name.lower()]
        for column in phones:
            for (value,) in con.execute(
                f"select distinct {quote(column)} from {SCHEMA}.{quote(kind.raw_table)} "
                "where _lf_file_sha256 = ? and _lf_line_number = ?",
                [target.source_file_sha256, target.source_line_number],
            ).fetchall():
                if value and len(re.sub(r"\D", "", value)) >= MIN_PHONE_DIGITS:
                    terms.add(value.strip().lower())
    return sorted(terms)


def _erase_rejects(
    con: duckdb.DuckDBPyConnection,
    terms: list[str],
    stamp: datetime,
    erasure_id: str,
    keys: list[Key],
) -> int:
    """Empty the text of rejected lines that hold one of the person's addresses or phone numbers."""
    if not terms:
        return 0
    condition = (
        "erased_at is null and raw_text is not null and "
        "len(list_filter(?::varchar[], lambda t: contains(lower(raw_text), t))) > 0"
    )
    found = con.execute(
        f"select file_sha256 || ':' || line_number from {SCHEMA}.landing_rejects where {condition}", [terms]
    ).fetchall()
    if not found:
        return 0
    con.execute(
        f"update {SCHEMA}.landing_rejects set raw_text = null, erased_at = ? where {condition}",
        [stamp, terms],
    )
    keys.extend((erasure_id, "row", "landing_rejects", "_lf_row", value) for (value,) in found)
    return len(found)


def _erase_cache(con: duckdb.DuckDBPyConnection, emails: list[str]) -> int:
    """Empty the enrichment cache's answers about the person's addresses (keeping that a call was
    made, for the run's counts)."""
    if not emails:
        return 0
    emptied = ", ".join(f"{quote(name)} = null" for name in erased_columns(CACHE_COLUMNS))
    rows = con.execute(
        f"update {SCHEMA}.{CACHE_TABLE} set {emptied} "
        "where request_type = 'person_by_email' and lookup_key in (select unnest(?::varchar[]))",
        [emails],
    ).fetchall()
    return int(rows[0][0]) if rows else 0


def _delete_pairs(con: duckdb.DuckDBPyConnection, record_ids: list[str]) -> int:
    """The scored pairs of erased records go (they hold both records' compared values)."""
    table = "intermediate.int_person_pairs_scored"
    if not record_ids or not table_exists(con, table):
        return 0
    rows = con.execute(
        f"delete from {table} where record_id_l in (select unnest(?::varchar[])) "
        "or record_id_r in (select unnest(?::varchar[]))",
        [record_ids, record_ids],
    ).fetchall()
    return int(rows[0][0]) if rows else 0


def _count_reimports(con: duckdb.DuckDBPyConnection, targets: Sequence[Target]) -> None:
    for erasure_id in {t.erasure_id for t in targets if t.reimport}:
        con.execute(
            f"update {SCHEMA}.erasures set reimports_erased = reimports_erased + ? where erasure_id = ?",
            [sum(t.reimport and t.erasure_id == erasure_id for t in targets), erasure_id],
        )


def mark_purged(db_path: Path, clock: datetime) -> None:
    """Record that the erased data left the derived tables and the disk (after rebuild and compaction)."""
    con = duckdb.connect(str(db_path))
    try:
        stamp = clock.replace(tzinfo=None)
        con.execute(f"update {SCHEMA}.erased_keys set purged_at = ? where purged_at is null", [stamp])
        con.execute(f"update {SCHEMA}.erasures set purged_at = ? where purged_at is null", [stamp])
    finally:
        con.close()
