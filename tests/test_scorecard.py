"""The scorecard: headline metrics with owners, targets and a status, and a history of per-day
snapshots that survives --full-refresh and is replaced, not added to, by a second build the same
day. Builds run on a copy of the session's demo warehouse."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from support import LEAD_FACTORY, DemoWarehouse, query

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo")]

HEADLINE = {
    "share_ready",
    "share_rejected",
    "duplicate_rate",
    "fill_rate_after",
    "enrichment_hit_rate",
    "overdue_cases",
    "share_resolved_within_sla",
    "median_days_to_resolution",
    "matching_precision",
    "matching_recall",
    "open_quarantined_items",
    "matching_drifted_fields",
}


@pytest.fixture
def warehouse(demo_warehouse: DemoWarehouse, tmp_path: Path) -> Path:
    """A copy of the session's demo warehouse, so what the tests build changes nothing shared."""
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(demo_warehouse.db, copy)
    return copy


def dbt_run(db: Path, tmp_path: Path, as_of: date, *args: str, extra_vars: str = "") -> None:
    """`lead-factory dbt run` of the given models, measured as of a day."""
    variables = "{lifecycle_as_of: '" + as_of.isoformat() + "'"
    variables += (", " + extra_vars if extra_vars else "") + "}"
    env = {**os.environ, "DBT_TARGET_PATH": str(tmp_path / "target")}
    command = [LEAD_FACTORY, "dbt", "--db", str(db), "run", "--vars", variables, *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def built_on(db: Path) -> date:
    ((day,),) = query(db, "select max(snapshot_date) from marts.fct_scorecard_snapshots")
    return day


def snapshots(db: Path) -> dict[date, tuple[int, object]]:
    """Per snapshot date: its rows and when the build that wrote them started."""
    rows = query(
        db,
        """
        select snapshot_date, count(*), max(snapshotted_at)
        from marts.fct_scorecard_snapshots group by 1
        """,
    )
    return {day: (count, at) for day, count, at in rows}


def statuses(db: Path) -> dict[str, str]:
    return dict(query(db, "select metric_name, status from marts.rpt_scorecard where dimension_name = 'all'"))


def test_the_scorecard_lists_every_headline_metric_with_owner_target_and_status(
    demo_warehouse: DemoWarehouse,
) -> None:
    rows = demo_warehouse.query(
        """
        select metric_name, owner_team, direction, target, metric_value, status
        from marts.rpt_scorecard where dimension_name = 'all'
        """
    )
    assert {row[0] for row in rows} == HEADLINE
    for metric, owner, direction, target, value, status in rows:
        assert owner in {"marketing_ops", "sales_ops", "data_ops"}, metric
        if value is None:
            expected = "no_data"
        elif (value >= target) if direction == "higher" else (value <= target):
            expected = "on_target"
        else:
            expected = status if status in {"at_risk", "off_target"} else "at_risk or off_target"
        assert status == expected, metric
    ((ready, records),) = demo_warehouse.query(
        "select count(*) filter (where mvl_status = 'ready'), count(*) from marts.dim_leads"
    )
    ((share_ready,),) = demo_warehouse.query(
        """
        select metric_value from marts.rpt_scorecard
        where metric_name = 'share_ready' and dimension_name = 'all'
        """
    )
    assert share_ready == pytest.approx(ready / records)
    doors = demo_warehouse.query(
        """
        select dimension_value, observations from marts.rpt_scorecard
        where metric_name = 'share_ready' and dimension_name = 'source_system'
        """
    )
    assert sum(count for _, count in doors) == records


def test_a_share_carries_its_95_percent_interval_from_its_count(demo_warehouse: DemoWarehouse) -> None:
    rows = demo_warehouse.query(
        """
        select metric_name, unit, metric_value, observations, interval_lower, interval_upper
        from marts.rpt_scorecard where dimension_name = 'all'
        """
    )
    z = 1.959963984540054
    checked = set()
    for metric, unit, value, count, lower, upper in rows:
        if unit != "share" or value is None or not count:
            assert lower is None and upper is None, metric
            continue
        # Wilson's score interval, computed here from the value and its count.
        centre, spread = (
            value + z * z / (2 * count),
            z * math.sqrt(value * (1 - value) / count + z * z / (4 * count**2)),
        )
        expected = (
            max(0.0, (centre - spread) / (1 + z * z / count)),
            min(1.0, (centre + spread) / (1 + z * z / count)),
        )
        assert (lower, upper) == pytest.approx(expected, abs=1e-9), metric
        assert lower <= value <= upper, metric
        checked.add(metric)
    assert {"matching_precision", "matching_recall", "share_ready"} <= checked


def test_the_demo_summary_prints_the_scorecard(demo_warehouse: DemoWarehouse) -> None:
    out = demo_warehouse.first_output
    assert "Scorecard at " in out
    section = out[out.index("Scorecard at ") :]
    for label in ("Share of records ready", "Duplicate rate", "Matching recall"):
        line = next(line for line in section.splitlines() if line.strip().startswith(label))
        assert any(status in line for status in ("on_target", "at_risk", "off_target", "no_data")), line


def test_a_day_keeps_one_snapshot_the_history_survives_full_refresh_and_is_compared(
    warehouse: Path, tmp_path: Path
) -> None:
    today = built_on(warehouse)
    month, week = today - timedelta(days=31), today - timedelta(days=8)
    dbt_run(warehouse, tmp_path, month, "-s", "fct_scorecard_snapshots")
    first = snapshots(warehouse)
    assert set(first) == {month, today}
    dbt_run(warehouse, tmp_path, month, "-s", "fct_scorecard_snapshots")
    again = snapshots(warehouse)
    assert again[month][0] == first[month][0]  # replaced, not added to
    assert again[month][1] > first[month][1]
    assert again[today] == first[today]
    dbt_run(warehouse, tmp_path, week, "-s", "fct_scorecard_snapshots")
    dbt_run(warehouse, tmp_path, today, "-s", "fct_scorecard_snapshots", "rpt_scorecard", "--full-refresh")
    assert set(snapshots(warehouse)) == {month, week, today}
    rows = query(
        warehouse,
        """
        select week_earlier_date, month_earlier_date, metric_value, week_earlier_value,
            change_since_week_earlier
        from marts.rpt_scorecard where metric_name = 'share_ready' and dimension_name = 'all'
        """,
    )
    ((week_date, month_date, value, week_value, change),) = rows
    assert (week_date, month_date) == (week, month)
    assert change == pytest.approx(value - week_value)
    summary = subprocess.run(
        [LEAD_FACTORY, "summary", "--db", str(warehouse)], capture_output=True, text=True, check=True
    ).stdout
    assert f"trend {month} -> {week} -> {today}" in summary
    line = next(line for line in summary.splitlines() if line.strip().startswith("Share of records ready"))
    assert line.count("->") == 2


def test_targets_overridden_by_vars_change_the_status(warehouse: Path, tmp_path: Path) -> None:
    today = built_on(warehouse)
    assert statuses(warehouse)["share_rejected"] == "on_target"
    dbt_run(
        warehouse, tmp_path, today, "-s", "dim_scorecard_metrics", "rpt_scorecard",
        extra_vars="scorecard_metric_overrides: {share_rejected: {target: 0.0001, tolerance: 0}, "
        "share_ready: {enabled: false}}",
    )  # fmt: skip
    changed = statuses(warehouse)
    assert changed["share_rejected"] == "off_target"
    assert "share_ready" not in changed
    ((target, owner),) = query(
        warehouse,
        "select target, owner_team from marts.dim_scorecard_metrics where metric_name = 'share_rejected'",
    )
    assert (target, owner) == (0.0001, "marketing_ops")
