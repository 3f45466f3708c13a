"""The factory's own tables in the warehouse (written by Python, not by dbt): created from their
declaration (``landing.kinds.Table``: columns with types, descriptions and PII classes), and
extended when a newer version declares more columns. The same declarations generate the dbt
sources' YAML, so the catalog describes exactly what is created here."""

from __future__ import annotations

import duckdb

from lead_factory.landing.kinds import Column, Table


def quote(identifier: str) -> str:
    """A SQL identifier, double-quoted."""
    return '"' + identifier.replace('"', '""') + '"'


def ensure_table(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    name: str,
    columns: tuple[Column, ...],
    primary_key: str | None = None,
) -> None:
    """Create ``schema.name`` with ``columns`` if missing; add the columns an older version lacks."""
    con.execute(f"create schema if not exists {quote(schema)}")
    qualified = f"{quote(schema)}.{quote(name)}"
    definition = ", ".join(
        f"{quote(c.name)} {c.data_type}" + (" primary key" if c.name == primary_key else "") for c in columns
    )
    con.execute(f"create table if not exists {qualified} ({definition})")
    existing = {
        row[0]
        for row in con.execute(
            "select lower(column_name) from duckdb_columns() "
            "where database_name = current_database() and schema_name = ? and table_name = ?",
            [schema, name],
        ).fetchall()
    }
    for column in columns:
        if column.name.lower() not in existing:
            con.execute(f"alter table {qualified} add column {quote(column.name)} {column.data_type}")


def ensure_tables(con: duckdb.DuckDBPyConnection, schema: str, tables: dict[str, Table]) -> None:
    """ensure_table for every declared table of ``tables``."""
    for name, table in tables.items():
        ensure_table(con, schema, name, table.columns, table.primary_key)


def table_exists(con: duckdb.DuckDBPyConnection, qualified_name: str) -> bool:
    """Whether ``schema.table`` exists (as a table or view) in the connected database."""
    schema, _, table = qualified_name.partition(".")
    rows = con.execute(
        "select 1 from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return bool(rows)
