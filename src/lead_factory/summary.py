"""What the factory did, read back from the warehouse: rows landed and rejected per source, records
per stage, matching, enrichment, the Minimum Viable Lead (statuses, failing rules, the remediation
queue by owner team, cases resolved, steward fixes), the quarantined items by owner team and type,
quality per door and the scorecard (headline metrics against their targets, with their trend).
Printed by the main job and by ``lead-factory summary``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

# The models whose row counts show the records moving through the factory, in stage order.
STAGES: tuple[tuple[str, str], ...] = (
    ("staging", "stg_forms__submissions"),
    ("staging", "stg_uploads__list_members"),
    ("staging", "stg_crm__leads"),
    ("staging", "stg_crm__contacts"),
    ("staging", "stg_crm__accounts"),
    ("staging", "stg_firmographics__companies"),
    ("intermediate", "int_leads_unioned"),
    ("intermediate", "int_person_records_prepared"),
    ("intermediate", "int_person_pairs_scored"),
    ("marts", "dim_leads"),
    ("marts", "fct_account_match_reviews"),
    ("marts", "fct_remediation_queue"),
    ("marts", "fct_remediation_cases"),
)


@dataclass(frozen=True)
class LandedCounts:
    kind: str
    files: int
    rows_in: int
    rows_loaded: int
    rows_rejected: int


def landed_counts(con: duckdb.DuckDBPyConnection) -> list[LandedCounts]:
    """Rows landed and rejected per landing kind, over every batch so far."""
    rows = con.execute(
        """
        select kind, count(*), sum(rows_in), sum(rows_loaded), sum(rows_rejected)
        from raw.landed_files
        group by kind
        order by kind
        """
    ).fetchall()
    return [LandedCounts(*row) for row in rows]


def stage_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int | None]]:
    """(schema, model, rows) for each stage model; rows is None when the model is not built."""
    built = {
        (schema, name)
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
    }
    counts = []
    for schema, model in STAGES:
        rows = None
        if (schema, model) in built:
            rows = con.execute(f'select count(*) from "{schema}"."{model}"').fetchall()[0][0]
        counts.append((schema, model, rows))
    return counts


def matching_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """People found and how leads matched accounts."""
    ((records, people, contacts),) = con.execute(
        """
        select count(*), count(distinct person_id),
            count(distinct person_id) filter (where is_existing_contact)
        from marts.dim_leads
        """
    ).fetchall()
    lines = [
        "Matching",
        f"  {records} inbound records are {people} people; {contacts} of them already are CRM contacts",
    ]
    for status, count in con.execute(
        "select account_match_status, count(*) from marts.dim_leads group by all order by 2 desc"
    ).fetchall():
        lines.append(f"  account match {status or 'none (erased)':<16} {count:>9}")
    for kind, labels, accuracy in con.execute(
        "select label_kind, label_count, accuracy from marts.rpt_match_label_accuracy order by 1"
    ).fetchall():
        lines.append(f"  model agrees with {labels} reviewer decisions on {kind}: {accuracy:.1%}")
    lines.append("  accuracy (95% interval) against labels (marts.rpt_matching_accuracy)")
    for source, measure, labelled, p, p_low, p_high, r, r_low, r_high, f1 in con.execute(
        """
        select label_source, measure, labelled_count, precision_score, precision_lower, precision_upper,
            recall_score, recall_lower, recall_upper, f1_score
        from marts.rpt_matching_accuracy where labelled_count > 0 order by 1, 2
        """
    ).fetchall():
        lines.append(
            f"  {source:<16} {measure:<16} P {_share(p)} ({_share(p_low)}-{_share(p_high)})"
            f"  R {_share(r)} ({_share(r_low)}-{_share(r_high)})  F1 {_share(f1)}  ({labelled} labelled)"
        )
    return lines


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def standard_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Statuses, the rules that fail most, the queue by owner team, cases resolved and fixes."""
    lines = ["Minimum Viable Lead (records by status)"]
    statuses = con.execute(
        """
        select mvl_status, lifecycle_status, count(*)
        from marts.dim_leads group by all order by 1, 2
        """
    ).fetchall()
    for status, count in con.execute(
        "select mvl_status, count(*) from marts.dim_leads group by all order by 2 desc"
    ).fetchall():
        lines.append(f"  standard  {status:<18} {count:>9}")
    lifecycle: dict[str, int] = {}
    for _, status, count in statuses:
        lifecycle[status] = lifecycle.get(status, 0) + count
    for status, count in sorted(lifecycle.items(), key=lambda item: -item[1]):
        lines.append(f"  lifecycle {status:<18} {count:>9}")
    lines.append("Top failing rules (records failing, all doors)")
    for rule, severity, failing, rate in con.execute(
        """
        select rule_name, severity, sum(records_failing), sum(records_failing) / sum(records_evaluated)
        from marts.rpt_mvl_rule_failures group by all order by 3 desc, 1 limit 5
        """
    ).fetchall():
        lines.append(f"  {rule:<24} {severity:<9} {failing:>8} {rate:>7.1%}")
    lines.append("Remediation queue (open cases by owner team)")
    for team, open_cases, overdue, p1 in con.execute(
        """
        select owner_team, count(*), count(*) filter (where is_overdue),
            count(*) filter (where priority = 'P1')
        from marts.fct_remediation_queue group by all order by 1
        """
    ).fetchall():
        lines.append(f"  {team:<14} {open_cases:>7} open  {p1:>6} P1  {overdue:>6} overdue")
    resolved = con.execute(
        """
        select resolution, count(*) from marts.fct_remediation_cases
        where case_status = 'resolved' group by all order by 2 desc, 1
        """
    ).fetchall()
    lines.append(
        "  cases resolved: "
        + (", ".join(f"{count} {resolution}" for resolution, count in resolved) if resolved else "none yet")
    )
    fixes = dict(
        con.execute(
            "select fix_status, count(*) from intermediate.int_steward_fixes_validated group by all"
        ).fetchall()
    )
    if fixes:
        lines.append(
            "  steward fixes: "
            + ", ".join(f"{count} {status}" for status, count in sorted(fixes.items()))
            + " (rejected ones: marts.fct_rejected_steward_fixes)"
        )
    return lines


def quarantine_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """What the factory keeps aside instead of failing: open items by owner team, and how many of
    each type (fct_quarantined_items)."""
    lines = ["Quarantined items (kept aside instead of failing; `lead-factory queue` exports a team's)"]
    for team, open_items, overdue in con.execute(
        """
        select owner_team, count(*), count(*) filter (where is_overdue)
        from marts.fct_quarantined_items where item_status = 'open'
        group by all order by 1
        """
    ).fetchall():
        lines.append(f"  {team:<14} {open_items:>7} open  {overdue:>6} overdue")
    by_type = con.execute(
        """
        select item_type, count(*) filter (where item_status = 'open'),
            count(*) filter (where item_status = 'resolved')
        from marts.fct_quarantined_items group by all order by 1
        """
    ).fetchall()
    lines.append(
        "  by type (open/resolved): "
        + (", ".join(f"{kind} {o}/{r}" for kind, o, r in by_type) if by_type else "nothing kept aside")
    )
    return lines


def erasure_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The erasures honoured (fct_erasures: the proof, the address only as a salted hash)."""
    rows = con.execute(
        """
        select count(*), coalesce(sum(records_erased), 0), coalesce(sum(reimports_erased), 0),
            count(*) filter (where not is_purged)
        from marts.fct_erasures
        """
    ).fetchall()
    requests, records, reimports, unpurged = rows[0]
    line = f"  {requests} erasure requests honoured: {records} records erased"
    if reimports:
        line += f", {reimports} more erased on arrival (an erased address came back)"
    if unpurged:
        line += f"; {unpurged} not yet purged from disk"
    return ["Erasure (fct_erasures)", line]


def enrichment_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The latest enrichment run and the fill rates before and after enrichment."""
    lines = ["Enrichment"]
    runs = con.execute(
        """
        select requests, calls_saved_by_cache, calls_made, hits, misses, failed, malformed, interrupted
        from marts.rpt_enrichment_runs order by started_at desc limit 1
        """
    ).fetchall()
    if runs:
        requests, saved, calls, hits, misses, failed, malformed, interrupted = runs[0]
        lines.append(
            f"  last run: {requests} requests; {saved} from cache, {calls} calls: {hits} hits, "
            f"{misses} misses, {failed} failed, {malformed} malformed"
            + (" (interrupted)" if interrupted else "")
        )
    else:
        lines.append("  no enrichment run yet")
    for field, before, after, providers, crm in con.execute(
        """
        select field_name, fill_rate_before, fill_rate_after, from_providers, from_crm_account
        from marts.rpt_enrichment_fill_rates order by field_name
        """
    ).fetchall():
        lines.append(
            f"  {field:<14} filled {before:>6.1%} -> {after:>6.1%}"
            f"  ({providers} from providers, {crm} from the CRM)"
        )
    return lines


# How many snapshots the scorecard's trend shows, oldest first.
TREND_POINTS = 5


def format_value(value: float | None, unit: str) -> str:
    """A scorecard value in its unit: a share as a percentage, a count whole, days with one decimal."""
    if value is None:
        return "-"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "days":
        return f"{value:.1f} d"
    return f"{value:,.0f}"


def scorecard_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The headline metrics (marts.rpt_scorecard, the whole factory) with their owner, target and
    status, and their value at each of the latest snapshots (marts.fct_scorecard_snapshots)."""
    rows = con.execute(
        """
        select metric_name, label, unit, owner_team, direction, target, metric_value, status, snapshot_date
        from marts.rpt_scorecard
        where dimension_name = 'all'
        order by metric_order
        """
    ).fetchall()
    if not rows:
        return ["Scorecard", "  no scorecard yet"]
    as_of = rows[0][8]
    dates = [
        day
        for (day,) in con.execute(
            """
            select distinct snapshot_date from marts.fct_scorecard_snapshots
            where snapshot_date <= ? order by 1 desc limit ?
            """,
            [as_of, TREND_POINTS],
        ).fetchall()
    ][::-1]
    history: dict[tuple[str, object], float | None] = {
        (metric, day): value
        for metric, day, value in con.execute(
            """
            select metric_name, snapshot_date, metric_value from marts.fct_scorecard_snapshots
            where dimension_name = 'all' and snapshot_date >= ? and snapshot_date <= ?
            """,
            [dates[0], as_of],
        ).fetchall()
    }
    lines = [
        f"Scorecard at {as_of} (marts.rpt_scorecard; targets: var scorecard_metrics)",
        f"  {'metric':<30} {'owner':<14} {'value':>8} {'target':>10}  {'status':<10}  trend "
        + " -> ".join(str(day) for day in dates),
    ]
    for metric, label, unit, owner, direction, target, value, status, _ in rows:
        bound = (">= " if direction == "higher" else "<= ") + format_value(target, unit)
        trend = " -> ".join(format_value(history.get((metric, day)), unit) for day in dates)
        lines.append(
            f"  {label[:30]:<30} {owner:<14} {format_value(value, unit):>8} {bound:>10}  {status:<10}"
            f"  {trend}"
        )
    return lines


def summary_lines(db_path: Path) -> list[str]:
    """The summary as printable lines."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        lines = ["Landed (all batches): rows in = loaded + rejected"]
        for c in landed_counts(con):
            lines.append(
                f"  {c.kind:<18} {c.files:>3} files  {c.rows_in:>9} in  {c.rows_loaded:>9} loaded"
                f"  {c.rows_rejected:>6} rejected"
            )
        lines.append("Records per stage")
        for schema, model, rows in stage_counts(con):
            shown = "not built" if rows is None else f"{rows:>9}"
            lines.append(f"  {schema + '.' + model:<42} {shown}")
        lines.extend(matching_lines(con))
        lines.extend(enrichment_lines(con))
        lines.extend(standard_lines(con))
        lines.extend(quarantine_lines(con))
        lines.extend(erasure_lines(con))
        lines.append("Quality per door (share of records)")
        lines.append(
            f"  {'source':<10} {'records':>8} {'email':>7} {'company':>8} {'country':>8} {'phone':>7}"
        )
        for source, records, email, company, country, phone in con.execute(
            """
            select source_system, record_count, usable_email_share, company_share, country_share,
                valid_phone_share
            from marts.rpt_lead_source_summary
            order by source_system
            """
        ).fetchall():
            lines.append(
                f"  {source:<10} {records:>8} {email:>7.1%} {company:>8.1%} {country:>8.1%} {phone:>7.1%}"
            )
        lines.extend(scorecard_lines(con))
        return lines
    finally:
        con.close()
