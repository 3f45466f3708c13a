"""Writes the dbt source declarations of the raw schema from the landing contract (kinds.py), so the
columns a file kind has and their descriptions are declared once. ``lead-factory codegen sources``
runs it; a test fails when the committed files differ from what it writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from lead_factory.enrichment.cache import ENRICHMENT_TABLES
from lead_factory.erasure.registry import ERASURE_TABLES
from lead_factory.landing.kinds import BOOKKEEPING_TABLES, KINDS, METADATA_COLUMNS, Column, Kind
from lead_factory.runs import RUN_TABLES

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
    "landing": (
        "The landing script's own bookkeeping: batches, files (loaded, rejected or refused), per-file "
        "columns, rejected rows and the landing contract's kinds."
    ),
    "enrichment": (
        "The enrichment step's cache of providers' answers and its runs (written by lead-factory enrich, "
        "created empty by the landing script)."
    ),
    "factory": (
        "The factory's own records: the runs of the main job (with the clock each run is stamped with) "
        "and the erasure registry, the proof of every erasure and the keys never to import again "
        "(written by the main job, created empty by the landing script)."
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


OWN_TABLES: dict[str, dict[str, tuple[str, tuple[Column, ...]]]] = {
    "landing": {name: (table.description, table.columns) for name, table in BOOKKEEPING_TABLES.items()},
    "enrichment": ENRICHMENT_TABLES,
    "factory": {
        name: (table.description, table.columns) for name, table in {**RUN_TABLES, **ERASURE_TABLES}.items()
    },
}
"""The sources whose tables the factory's Python writes (not landed files), by source."""


def _columns(columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    return [{"name": c.name, "description": c.description, "meta": {"pii": c.pii}} for c in columns]


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
        if source in OWN_TABLES:
            declared = OWN_TABLES[source]
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
