"""Has the data drifted from what the matching model was trained on?

A model's weights are what its training records taught it: how often each field is filled, and how
often two records agree by chance (which depends on how the values are spread: a list of one
country's leads, or of one company's employees, agrees far more often than the training data did).
Training records a profile of its records in the model file (``profile``); every build profiles the
records it matches the same way and compares (``compare``). A field drifts when its fill rate, or
the share of its records taken by its ten commonest values, moves more than ``TOLERANCE`` from the
training profile. Both are shares, so they do not move with the number of records; the prior,
which does, is scaled by the build (people.prior_for).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

PROFILED_FIELDS: tuple[str, ...] = (
    "first_name_key",
    "last_name_key",
    "email_key",
    "phone_digits_key",
    "company_name_key",
    "company_domain_key",
    "country_key",
    "city_key",
    "street_key",
    "postal_code_key",
)
"""The fields the comparisons read (people.MATCH_COLUMNS without the keys derived from these)."""

TOP_VALUES = 10
"""How many of a field's commonest values its concentration is measured on."""

TOLERANCE = 0.2
"""How far (absolute, as a share of records) a fill rate or a concentration may move before the
field counts as drifted: a fifth of the records filling a field differently, or a fifth more (or
fewer) of them sharing a handful of values, changes how much agreeing on it means."""


@dataclass(frozen=True)
class FieldProfile:
    """One field of the records: how often it is filled, how concentrated its values are."""

    fill_rate: float
    """Share of records with a value."""
    top_share: float
    """Share of the filled records that hold one of the TOP_VALUES commonest values."""


def profile(records: pa.Table) -> dict[str, FieldProfile]:
    """The profile of ``records`` (columns of int_person_records_prepared) for PROFILED_FIELDS."""
    con = duckdb.connect()
    try:
        con.register("records", records.select(list(PROFILED_FIELDS)))
        found = {}
        for field in PROFILED_FIELDS:
            filled, total, top = con.execute(
                f"""
                with counts as (
                    select count(*) as records from records where "{field}" is not null
                    group by "{field}" order by records desc limit {TOP_VALUES}
                )
                select
                    (select count("{field}") from records),
                    (select count(*) from records),
                    (select coalesce(sum(records), 0) from counts)
                """
            ).fetchall()[0]
            found[field] = FieldProfile(
                fill_rate=filled / total if total else 0.0, top_share=top / filled if filled else 0.0
            )
        return found
    finally:
        con.close()


def to_json(found: Mapping[str, FieldProfile]) -> dict[str, dict[str, float]]:
    return {
        field: {"fill_rate": round(p.fill_rate, 4), "top_share": round(p.top_share, 4)}
        for field, p in found.items()
    }


def from_json(stored: Mapping[str, Any]) -> dict[str, FieldProfile]:
    return {
        field: FieldProfile(float(values["fill_rate"]), float(values["top_share"]))
        for field, values in stored.items()
    }


@dataclass(frozen=True)
class FieldDrift:
    """One field's training and current profile, and whether (and why) it drifted."""

    field: str
    trained: FieldProfile | None
    current: FieldProfile
    reason: str | None

    @property
    def drifted(self) -> bool:
        return self.reason is not None


def compare(
    trained: Mapping[str, FieldProfile] | None,
    current: Mapping[str, FieldProfile],
    tolerance: float = TOLERANCE,
) -> list[FieldDrift]:
    """Every profiled field, with the reason it drifted (None when it did not). Without a
    training profile (a model trained before profiles were recorded) nothing can drift."""
    rows = []
    for field, now in current.items():
        then = (trained or {}).get(field)
        reason = None
        if then is not None:
            fill_moved = now.fill_rate - then.fill_rate
            top_moved = now.top_share - then.top_share
            if abs(fill_moved) > tolerance:
                reason = (
                    f"filled on {now.fill_rate:.0%} of the records, "
                    f"{then.fill_rate:.0%} when the model was trained"
                )
            elif now.fill_rate > 0 and then.fill_rate > 0 and abs(top_moved) > tolerance:
                reason = (
                    f"its {TOP_VALUES} commonest values hold {now.top_share:.0%} of the filled records, "
                    f"{then.top_share:.0%} when the model was trained"
                )
        rows.append(FieldDrift(field, then, now, reason))
    return rows


def table(rows: list[FieldDrift]) -> pa.Table:
    """The comparison as the rows of rpt_matching_drift."""
    return pa.table(
        {
            "field_name": pa.array([r.field for r in rows], pa.string()),
            "trained_fill_rate": pa.array(
                [r.trained.fill_rate if r.trained else None for r in rows], pa.float64()
            ),
            "current_fill_rate": pa.array([r.current.fill_rate for r in rows], pa.float64()),
            "trained_top_share": pa.array(
                [r.trained.top_share if r.trained else None for r in rows], pa.float64()
            ),
            "current_top_share": pa.array([r.current.top_share for r in rows], pa.float64()),
            "is_drifted": pa.array([r.drifted for r in rows], pa.bool_()),
            "drift_reason": pa.array([r.reason for r in rows], pa.string()),
        }
    )
