"""The semantic layer (MetricFlow) over the serving copy: its configuration validates against the
data, and its metrics give the figures a direct SQL count on the marts gives."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import duckdb
import pytest
from support import LEAD_FACTORY, DemoWarehouse

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo")]

# metric -> the same figure as SQL over the serving copy's marts
DIRECT_SQL = {
    "records_ingested": "select count(*) from marts.dim_leads",
    "share_ready": "select avg((mvl_status = 'ready')::int) from marts.dim_leads",
    "share_rejected": "select avg((mvl_status = 'rejected')::int) from marts.dim_leads",
    "records_converted": "select count(*) filter (where lifecycle_status = 'converted') from marts.dim_leads",
    "records_retired": "select count(*) filter (where lifecycle_status = 'retired') from marts.dim_leads",
    "new_account_candidates": "select count(*) filter (where is_new_account_candidate) from marts.dim_leads",
    "cases_opened": "select count(*) from marts.fct_remediation_cases",
    "open_cases": "select count(*) filter (where case_status = 'open') from marts.fct_remediation_cases",
    "duplicate_rate": "select avg(is_duplicate::int) from marts.dim_leads",
    "overdue_cases": "select count(*) filter (where is_overdue) from marts.fct_remediation_queue",
    "rule_records_failing": "select sum(records_failing) from marts.rpt_mvl_rule_failures",
    "fill_rate_after": "select sum(filled_after) / sum(records) from marts.rpt_enrichment_fill_rates",
    "enrichment_hit_rate": "select sum(hits) / sum(calls_made) from marts.rpt_enrichment_runs",
    "enrichment_calls_saved": "select sum(calls_saved_by_cache) from marts.rpt_enrichment_runs",
    "matching_recall": "select sum(true_positive_count) / sum(true_positive_count + false_negative_count) "
    "from marts.rpt_match_label_accuracy",
    "quarantined_items": "select count(*) from marts.fct_quarantined_items",
    "open_quarantined_items": "select count(*) filter (where item_status = 'open') "
    "from marts.fct_quarantined_items",
    "overdue_quarantined_items": "select count(*) filter (where is_overdue) from marts.fct_quarantined_items",
    "matching_drifted_fields": "select count(*) filter (where is_drifted) from marts.rpt_matching_drift",
}

HEADLINE_SQL = "select metric_name from marts.dim_scorecard_metrics order by metric_order"

# The scorecard's dimensions and the semantic layer's group-bys that give the same breakdown.
BREAKDOWNS = {
    ("share_ready", "source_system"): "lead__source_system",
    ("fill_rate_after", "field_name"): "field_fill__field_name",
    ("open_cases", "owner_team"): "remediation_case__owner_team",
    ("open_quarantined_items", "owner_team"): "quarantined_item__owner_team",
    ("open_quarantined_items", "item_type"): "quarantined_item__item_type",
    ("matching_drifted_fields", "field_name"): "matched_field__field_name",
}


def metrics(warehouse: DemoWarehouse, *args: str) -> subprocess.CompletedProcess[str]:
    command = [LEAD_FACTORY, "metrics", "--db", str(warehouse.db), *args]
    return subprocess.run(command, env=warehouse.env, capture_output=True, text=True, check=False)


def direct(warehouse: DemoWarehouse, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse.db.with_name("serving.duckdb")), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_semantic_layer_validates_against_the_serving_copy(demo_warehouse: DemoWarehouse) -> None:
    result = metrics(demo_warehouse, "validate-configs")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Successfully validated metrics against data warehouse (ERRORS: 0" in result.stdout


def test_metrics_equal_a_direct_count_on_the_marts(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    out = tmp_path / "metrics.csv"
    result = metrics(demo_warehouse, "query", "--metrics", ",".join(DIRECT_SQL), "--csv", str(out), "--quiet")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (row,) = read_csv(out)
    for metric, sql in DIRECT_SQL.items():
        ((expected,),) = direct(demo_warehouse, sql)
        assert float(row[metric]) == pytest.approx(float(expected)), metric


def test_a_metric_by_door_and_day_sums_to_its_total(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    out = tmp_path / "by_door.csv"
    result = metrics(
        demo_warehouse, "query", "--metrics", "records_ingested",
        "--group-by", "lead__source_system,metric_time__day", "--csv", str(out), "--quiet",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    by_door: dict[str, int] = {}
    for row in read_csv(out):
        by_door[row["lead__source_system"]] = by_door.get(row["lead__source_system"], 0) + int(
            row["records_ingested"]
        )
    expected = dict(direct(demo_warehouse, "select source_system, count(*) from marts.dim_leads group by 1"))
    assert by_door == expected


def test_the_scorecard_equals_the_semantic_layer(demo_warehouse: DemoWarehouse, tmp_path: Path) -> None:
    """Every headline metric of rpt_scorecard (computed in SQL for the history) has the value the
    semantic layer's metric of the same name gives, overall and broken down."""
    scorecard = {
        (metric, dimension, value): measured
        for metric, dimension, value, measured in direct(
            demo_warehouse,
            """
            select metric_name, dimension_name, dimension_value, metric_value
            from marts.fct_scorecard_snapshots
            where snapshot_date = (select max(snapshot_date) from marts.fct_scorecard_snapshots)
            """,
        )
    }
    headline = [
        name for (name,) in direct(demo_warehouse, "select metric_name from marts.dim_scorecard_metrics")
    ]
    out = tmp_path / "headline.csv"
    result = metrics(demo_warehouse, "query", "--metrics", ",".join(headline), "--csv", str(out), "--quiet")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (row,) = read_csv(out)
    for metric in headline:
        expected = scorecard[(metric, "all", "all")]
        assert (float(row[metric]) if row[metric] else None) == pytest.approx(expected), metric
    for (metric, dimension), group_by in BREAKDOWNS.items():
        out = tmp_path / f"{metric}.csv"
        result = metrics(
            demo_warehouse, "query", "--metrics", metric, "--group-by", group_by, "--csv", str(out), "--quiet"
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        rows = read_csv(out)
        assert rows, metric
        for by in rows:
            value = by[group_by] or "unknown"
            assert float(by[metric]) == pytest.approx(scorecard[(metric, dimension, value)]), (metric, value)


def test_the_saved_queries_with_filters_run(demo_warehouse: DemoWarehouse) -> None:
    """`mf validate-configs` checks every saved query's metrics and group-bys; these two also
    filter, so they are run."""
    for name in ("remediation_by_team", "open_cases_history"):
        result = metrics(demo_warehouse, "query", "--saved-query", name, "--limit", "3", "--quiet")
        assert result.returncode == 0, (name, result.stdout[-3000:] + result.stderr[-3000:])
        assert len(result.stdout.strip().splitlines()) >= 3, (name, result.stdout)
