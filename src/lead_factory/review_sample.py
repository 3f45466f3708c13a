"""The pairs of person records proposed for review, as a sheet reviewers fill in and land back.

``marts.rpt_matching_review_sample`` holds the pairs (near the acceptance threshold and at random,
drawn by a seeded hash; decided pairs and erased records left out). This module writes them from
the serving copy, opened read-only, as spreadsheet-safe CSV (:mod:`lead_factory.csv_export`) whose
first columns are exactly the reviewers' decision format (the landing kind ``match_decisions``,
``reviews/*.csv``): filled in and saved under ``reviews/``, the file lands as decisions. The other
columns (the stratum, the score and both records' fields side by side) help the reviewer decide;
on landing they are kept as the row's extra columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import duckdb

from lead_factory.csv_export import write_csv
from lead_factory.landing.kinds import KINDS_BY_NAME
from lead_factory.serving import open_serving_copy

TABLE = "rpt_matching_review_sample"
SCHEMA = "marts"
DECISION_COLUMNS: tuple[str, ...] = KINDS_BY_NAME["match_decisions"].column_names
"""The columns of the reviewers' decision format, first in the sheet and in this order."""


class ReviewSampleError(Exception):
    """The sample cannot be read (no serving copy, or one published before the sample's mart)."""


@dataclass
class ReviewSampleExport:
    """What one export wrote."""

    rows: int = 0
    by_stratum: dict[str, int] = field(default_factory=dict)

    def line(self, destination: str) -> str:
        strata = ", ".join(f"{count} {stratum}" for stratum, count in sorted(self.by_stratum.items()))
        return f"{self.rows} pairs to review ({strata or 'none'}) written to {destination}"


def sample_columns(con: duckdb.DuckDBPyConnection, serving: Path) -> list[str]:
    """The sheet's columns: the decision format's, then the sample's others in the mart's order."""
    present = [
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ? "
            "order by column_index",
            [SCHEMA, TABLE],
        ).fetchall()
    ]
    if not present:
        raise ReviewSampleError(
            f"the serving copy {serving} has no {SCHEMA}.{TABLE}: "
            "build and publish again (`lead-factory run`)"
        )
    missing = [column for column in DECISION_COLUMNS if column not in present]
    if missing:
        raise ReviewSampleError(f"{SCHEMA}.{TABLE} lacks the decision columns {', '.join(missing)}")
    return [*DECISION_COLUMNS, *(column for column in present if column not in DECISION_COLUMNS)]


def export_review_sample(serving: Path, out: TextIO) -> ReviewSampleExport:
    """Write the review sample from the serving copy at ``serving`` to ``out``: one row per pair,
    ranks interleaved (the first pair of each stratum, then the second ...), so a team that stops
    early still has both strata."""
    con = open_serving_copy(serving, ReviewSampleError)
    try:
        columns = sample_columns(con, serving)
        selected = ", ".join(f'"{column}"' for column in columns)
        cursor = con.execute(
            f"select {selected} from {SCHEMA}.{TABLE} order by sample_rank, sample_stratum, decision_id"
        )
        export = ReviewSampleExport()
        stratum_at = columns.index("sample_stratum")

        def rows() -> Iterator[tuple[Any, ...]]:
            while batch := cursor.fetchmany(10_000):
                for row in batch:
                    export.by_stratum[row[stratum_at]] = export.by_stratum.get(row[stratum_at], 0) + 1
                    yield row

        export.rows = write_csv(out, columns, rows())
        return export
    finally:
        con.close()
