"""Writes the dbt source declarations of the raw schema from the landing contract (kinds.py), so the
columns a file kind has and their descriptions are declared once. ``lead-factory codegen sources``
runs it; a test fails when the committed files differ from what it writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lead_factory.enrichment.cache import ENRICHMENT_TABLES
from lead_factory.landing.kinds import KINDS, METADATA_COLUMNS, Column, Kind

# The dbt source (and staging folder) each kind of landing file belongs to.
SOURCE_OF_KIND: dict[str, str] = {
    "crm_accounts": "crm",
    "crm_contacts": "crm",
    "crm_leads": "crm",
    "form_submissions": "forms",
    "uploads": "uploads",
    "firmographics": "firmographics",
    "match_decisions": "reviews",
    "gold_labels": "reviews",
    "steward_fixes": "stewardship",
    "contact_events": "events",
}

SOURCE_DESCRIPTIONS: dict[str, str] = {
    "crm": "Salesforce objects exported by the EL tool and landed as CSV files under crm/.",
    "forms": "Landing-page form submissions, landed as JSON-lines files under forms/.",
    "uploads": "Event-attendee and purchased-list files uploaded by marketing, under uploads/<type>/.",
    "firmographics": "The firmographic directory used by the offline enrichment provider, under directory/.",
    "reviews": "Reviewers' match decisions (reviews/) and gold-standard labels (labels/), as CSV files.",
    "stewardship": "Data stewards' field corrections of records, as CSV files under fixes/.",
    "events": (
        "Hard bounces and unsubscribes from the email service provider and erasure requests from the "
        "privacy request portal, as CSV files under events/."
    ),
    "landing": "The landing script's own bookkeeping: batches, files, per-file columns and rejected rows.",
    "enrichment": (
        "The enrichment step's cache of providers' answers and its runs (written by lead-factory enrich, "
        "created empty by the landing script)."
    ),
}

# Sources people write when they have something to say (a reviewer's decisions, a steward's
# fixes): an empty or old table is normal, so they have no freshness check.
WITHOUT_FRESHNESS = {"reviews", "stewardship"}

# Freshness: the demo and a daily batch land at least once a day.
FRESHNESS: dict[str, Any] = {
    "warn_after": {"count": 2, "period": "day"},
    "error_after": {"count": 7, "period": "day"},
}

LANDING_TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "landing_batches": (
        "One row per run of the landing script (a batch, loaded all or nothing).",
        (
            Column("batch_id", "Batch id (sortable: UTC time and a random suffix). Primary key."),
            Column("started_at", "When the batch started (UTC)."),
            Column("finished_at", "When the batch committed (UTC)."),
            Column("files_loaded", "Files loaded by the batch."),
            Column("files_skipped", "Files skipped because their bytes were already loaded."),
            Column("rows_in", "Data rows read from the batch's files."),
            Column("rows_loaded", "Rows loaded into raw tables."),
            Column("rows_rejected", "Rows kept in landing_rejects instead."),
        ),
    ),
    "landed_files": (
        "One row per landed file (by content: the same bytes are never loaded twice).",
        (
            Column("file_path", "Path relative to the landing root."),
            Column("file_sha256", "SHA-256 of the file's bytes. Primary key."),
            Column("kind", "Landing kind of the file (see the README)."),
            Column("batch_id", "Batch that loaded it."),
            Column("file_bytes", "Size of the file in bytes."),
            Column("rows_in", "Data rows read (rows_in = rows_loaded + rows_rejected)."),
            Column("rows_loaded", "Rows loaded into the kind's raw table."),
            Column("rows_rejected", "Rows kept in landing_rejects."),
            Column("loaded_at", "When the file was loaded (UTC)."),
        ),
    ),
    "landed_file_columns": (
        "One row per header of a landed file and per expected column it lacked: schema drift, recorded.",
        (
            Column("file_sha256", "The landed file."),
            Column("file_path", "Path relative to the landing root."),
            Column("batch_id", "Batch that loaded the file."),
            Column("header", "Header as written in the file; null for a missing column."),
            Column("column_name", "Column of the raw table it maps to; null for an unexpected header."),
            Column("status", "mapped, unexpected (kept in _lf_extra) or missing (loaded as null)."),
        ),
    ),
    "landing_rejects": (
        "One row per row that could not be loaded, with why: nothing is silently dropped.",
        (
            Column("batch_id", "Batch that read the row."),
            Column("file_path", "Path relative to the landing root."),
            Column("file_sha256", "SHA-256 of the file."),
            Column("kind", "Landing kind of the file."),
            Column("line_number", "Line on which the row starts."),
            Column("raw_text", "The row's text as it was in the file (bad bytes backslash-escaped)."),
            Column("reason", "Why it could not be loaded."),
            Column("loaded_at", "When it was rejected (UTC)."),
        ),
    ),
}


def _columns(columns: tuple[Column, ...]) -> list[dict[str, str]]:
    return [{"name": c.name, "description": c.description} for c in columns]


def _kind_table(kind: Kind) -> dict[str, Any]:
    description = f"{kind.description} Landed from files matching `{kind.pattern}` ({kind.file_format})."
    return {
        "name": kind.raw_table,
        "description": description,
        "columns": _columns(kind.columns + METADATA_COLUMNS),
    }


def source_documents() -> dict[str, dict[str, Any]]:
    """The sources YAML document of each staging folder, keyed by source name."""
    documents: dict[str, dict[str, Any]] = {}
    for source, description in SOURCE_DESCRIPTIONS.items():
        if source in ("landing", "enrichment"):
            declared = LANDING_TABLES if source == "landing" else ENRICHMENT_TABLES
            tables = [
                {"name": name, "description": text, "columns": _columns(columns)}
                for name, (text, columns) in declared.items()
            ]
            config: dict[str, Any] = {}
        else:
            tables = [_kind_table(k) for k in KINDS if SOURCE_OF_KIND[k.name] == source]
            config = {"loaded_at_field": "_lf_loaded_at"}
            if source not in WITHOUT_FRESHNESS:
                config["freshness"] = FRESHNESS
        entry: dict[str, Any] = {"name": source, "description": description, "schema": "raw"}
        if config:
            entry["config"] = config
        entry["tables"] = tables
        documents[source] = {"version": 2, "sources": [entry]}
    return documents


def render(document: dict[str, Any]) -> str:
    header = (
        "# Generated from src/lead_factory/landing/kinds.py by `lead-factory codegen sources`: do not edit.\n"
    )
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def write_sources(models_dir: Path) -> list[Path]:
    """Write models/staging/<source>/_<source>__sources.yml for every source; returns the paths."""
    paths = []
    for source, document in source_documents().items():
        path = models_dir / "staging" / source / f"_{source}__sources.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(document), encoding="utf-8")
        paths.append(path)
    return paths
