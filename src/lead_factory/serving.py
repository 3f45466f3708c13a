"""The serving copy: what readers need (the marts), published after every green build to its own
DuckDB file, atomically, so a BI tool that opens it read-only at any moment, a build included,
gets the previous complete publication or the new one, never a lock error or a half-built state.

The new copy is written to a temporary file beside the old one and moved over it with one
``os.replace`` (a rename, atomic on one file system): a reader that already has the old file open
keeps reading it. The copy holds no raw, staging or intermediate data, and records what it
published (``publication.publications``, ``publication.tables`` with every table's row count), so
a reader can tell which build it sees and that it is complete.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

PUBLISHED_SCHEMAS: tuple[str, ...] = ("marts",)
"""The warehouse schemas a serving copy holds: only what people and BI tools read."""
PUBLICATION_SCHEMA = "publication"


class PublishError(Exception):
    """The serving copy could not be published (the previous copy stays as it was)."""


@dataclass
class Publication:
    """What one publication wrote."""

    publication_id: str
    published_at: datetime
    path: Path
    tables: dict[str, int] = field(default_factory=dict)
    """'schema.table' -> row count."""

    def line(self) -> str:
        rows = sum(self.tables.values())
        size = self.path.stat().st_size / 2**20
        return f"published {len(self.tables)} tables, {rows:,} rows ({size:.1f} MiB) to {self.path}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy_tables(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, int]:
    """Copy every table and view (as a table) of the published schemas of the attached database
    ``source``, with the table and column comments (the docs)."""
    placeholders = ", ".join("?" for _ in PUBLISHED_SCHEMAS)
    tables = con.execute(
        "select schema_name, table_name, comment from duckdb_tables() "
        f"where database_name = ? and schema_name in ({placeholders}) "
        "union all select schema_name, view_name, comment from duckdb_views() "
        f"where database_name = ? and schema_name in ({placeholders}) and not internal order by all",
        [source, *PUBLISHED_SCHEMAS, source, *PUBLISHED_SCHEMAS],
    ).fetchall()
    counts: dict[str, int] = {}
    for schema in PUBLISHED_SCHEMAS:
        con.execute(f"create schema {_quote(schema)}")
    for schema, table, comment in tables:
        name = f"{_quote(schema)}.{_quote(table)}"
        con.execute(f"create table {name} as select * from {_quote(source)}.{name}")
        if comment:
            con.execute(f"comment on table {name} is {_literal(comment)}")
        for column, column_comment in con.execute(
            "select column_name, comment from duckdb_columns() "
            "where database_name = ? and schema_name = ? and table_name = ? "
            "and comment is not null",
            [source, schema, table],
        ).fetchall():
            con.execute(f"comment on column {name}.{_quote(column)} is {_literal(column_comment)}")
        (count,) = con.execute(f"select count(*) from {name}").fetchone() or (0,)
        counts[f"{schema}.{table}"] = int(count)
    return counts


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _record(con: duckdb.DuckDBPyConnection, publication: Publication, warehouse: Path) -> None:
    con.execute(f"create schema {PUBLICATION_SCHEMA}")
    con.execute(
        f"create table {PUBLICATION_SCHEMA}.publications as "
        "select ?::varchar as publication_id, ?::timestamptz as published_at, ?::varchar as warehouse, "
        "?::integer as table_count, ?::bigint as row_count",
        [
            publication.publication_id,
            publication.published_at,
            str(warehouse),
            len(publication.tables),
            sum(publication.tables.values()),
        ],
    )
    con.execute(
        f"create table {PUBLICATION_SCHEMA}.tables (publication_id varchar, schema_name varchar, "
        "table_name varchar, row_count bigint)"
    )
    con.executemany(
        f"insert into {PUBLICATION_SCHEMA}.tables values (?, ?, ?, ?)",
        [
            [publication.publication_id, *name.split(".", 1), count]
            for name, count in sorted(publication.tables.items())
        ],
    )


def publish(warehouse: Path, serving: Path) -> Publication:
    """Publish the warehouse's marts to the serving copy at ``serving``, atomically."""
    if not warehouse.exists():
        raise PublishError(f"no warehouse at {warehouse}: run `lead-factory build` first")
    serving.parent.mkdir(parents=True, exist_ok=True)
    publication = Publication(uuid.uuid4().hex, datetime.now(UTC), serving)
    new = serving.with_name(f".{serving.name}.{publication.publication_id}.new")
    try:
        con = duckdb.connect(str(new))
        try:
            # Attached under its own name, so its views (which name their database) still read.
            source = warehouse.stem
            con.execute(f"attach ? as {_quote(source)} (read_only)", [str(warehouse)])
            publication.tables = _copy_tables(con, source)
            if not publication.tables:
                raise PublishError(f"{warehouse} has no marts to publish: run `lead-factory build` first")
            con.execute(f"detach {_quote(source)}")
            _record(con, publication, warehouse)
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(new, serving)
    except duckdb.Error as error:
        raise PublishError(f"could not publish {warehouse} to {serving}: {error}") from error
    finally:
        for leftover in (new, new.with_name(new.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return publication


SEMANTIC_TARGET = "serving"
"""The profile target MetricFlow reads: the serving copy, opened read-only."""


def open_serving_copy(serving: Path, error: type[Exception]) -> duckdb.DuckDBPyConnection:
    """The serving copy at ``serving``, opened read-only for an export; ``error`` (the caller's
    own exception) says what is missing or unreadable."""
    if not serving.is_file():
        raise error(f"no serving copy at {serving}: run `lead-factory run` or `lead-factory publish` first")
    try:
        return duckdb.connect(str(serving), read_only=True)
    except duckdb.Error as failure:
        raise error(f"cannot open the serving copy {serving}: {failure}") from failure


def metricflow_env(serving: Path) -> dict[str, str]:
    """The environment `mf` runs in: dbt's target set to the serving copy."""
    return {**os.environ, "DBT_TARGET": SEMANTIC_TARGET, "LEAD_FACTORY_SERVING_DB": str(serving.resolve())}


def run_metricflow(args: list[str], serving: Path, project_dir: Path) -> int:
    """Run MetricFlow's `mf` with ``args`` against the serving copy; its exit status.

    `mf` reads the semantic manifest from the project's target/ folder and qualifies tables with
    the database of the target it was parsed for, so the project is parsed for the serving target
    first (into target/serving, leaving the warehouse's partial-parsing state alone) and its
    semantic manifest copied where `mf` looks for it.
    """
    if not serving.exists():
        raise PublishError(
            f"no serving copy at {serving}: run `lead-factory run` or `lead-factory publish` first"
        )
    env = metricflow_env(serving)
    parsed = project_dir / "target" / SEMANTIC_TARGET
    bin_dir = Path(sys.executable).parent
    parse = subprocess.run(
        [str(bin_dir / "dbt"), "--quiet", "parse", "--target", SEMANTIC_TARGET, "--target-path", str(parsed)],
        cwd=project_dir,
        env=env,
        check=False,
    )
    if parse.returncode != 0:
        raise PublishError("dbt parse for the semantic layer failed (see its output above)")
    shutil.copyfile(parsed / "semantic_manifest.json", project_dir / "target" / "semantic_manifest.json")
    return subprocess.run([str(bin_dir / "mf"), *args], cwd=project_dir, env=env, check=False).returncode
