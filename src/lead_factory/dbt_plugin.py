"""dbt-duckdb plugin: makes the factory's Python normalisation rules callable from dbt's SQL.

Named in profiles.yml (``plugins: [{module: lead_factory.dbt_plugin}]``). On every connection dbt
opens it sets the session time zone to UTC and registers:

- ``lf_phone_e164(phone varchar, country_code varchar) -> varchar``
- ``lf_proper_case_name(name varchar) -> varchar``
- ``lf_company_match_name(company varchar) -> varchar``
- ``lf_name_sound(name varchar) -> varchar`` (a Metaphone code, for blocking on how a name sounds)

The functions are vectorised over Arrow arrays and remember answers for repeated values, so a
million rows cost one Python call per distinct value, not per row.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.func import FunctionNullHandling, PythonUDFType
from duckdb.sqltypes import VARCHAR

from lead_factory.normalize import company_match_name, name_sound, phone_to_e164, proper_case_name


def _map(fn: Callable[..., str | None], *columns: pa.Array) -> pa.Array:
    """Apply a (cached) scalar function of strings over Arrow arrays."""
    return pa.array([fn(*args) for args in zip(*(c.to_pylist() for c in columns), strict=True)], pa.string())


def _vectorised(fn: Callable[..., str | None], arity: int) -> Callable[..., pa.Array]:
    """An Arrow UDF of ``arity`` arguments (DuckDB reads the arity from the signature)."""
    if arity == 1:
        return lambda a: _map(fn, a)
    if arity == 2:
        return lambda a, b: _map(fn, a, b)
    raise ValueError(f"unsupported arity {arity}")


# Answers are cached across batches and models: repeated values (company names, countries) are
# computed once per dbt invocation.
_CACHE_SIZE = 2**20
UDFS: dict[str, tuple[Callable[..., str | None], int]] = {
    "lf_phone_e164": (lru_cache(_CACHE_SIZE)(phone_to_e164), 2),
    "lf_proper_case_name": (lru_cache(_CACHE_SIZE)(proper_case_name), 1),
    "lf_company_match_name": (lru_cache(_CACHE_SIZE)(company_match_name), 1),
    "lf_name_sound": (lru_cache(_CACHE_SIZE)(name_sound), 1),
}


def register_functions(conn: DuckDBPyConnection) -> None:
    """Register the normalisation functions on a DuckDB connection (also used by tests)."""
    for name, (fn, arity) in UDFS.items():
        conn.create_function(
            name,
            _vectorised(fn, arity),
            [VARCHAR] * arity,
            VARCHAR,
            type=PythonUDFType.ARROW,
            null_handling=FunctionNullHandling.SPECIAL,
            side_effects=False,
        )


class Plugin(BasePlugin):
    """The dbt-duckdb plugin class (the name ``Plugin`` is what dbt-duckdb looks for)."""

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        conn.execute("set TimeZone = 'UTC'")
        register_functions(conn)
