"""Enrichment: ask providers (an offline directory, an HTTP API ...) about companies and people.

The step (:func:`run_enrichment`) reads ``intermediate.int_enrichment_requests``, asks the
configured providers in order through an append-only cache with a TTL (``raw.enrichment_cache``)
and records each run (``raw.enrichment_runs``). ``lead-factory enrich`` is its command line.
"""

from lead_factory.enrichment.cache import CACHE_COLUMNS, ENRICHMENT_TABLES, RUN_COLUMNS
from lead_factory.enrichment.http_provider import HttpProvider
from lead_factory.enrichment.providers import (
    COMPANY_BY_DOMAIN,
    PAYLOAD_KEYS,
    PERSON_BY_EMAIL,
    Answer,
    OfflineDirectoryProvider,
    Provider,
    ProviderUnavailable,
)
from lead_factory.enrichment.ratelimit import RateLimiter
from lead_factory.enrichment.step import (
    EnrichmentError,
    EnrichmentInterrupted,
    EnrichmentResult,
    run_enrichment,
)

__all__ = [
    "CACHE_COLUMNS",
    "COMPANY_BY_DOMAIN",
    "ENRICHMENT_TABLES",
    "PAYLOAD_KEYS",
    "PERSON_BY_EMAIL",
    "RUN_COLUMNS",
    "Answer",
    "EnrichmentError",
    "EnrichmentInterrupted",
    "EnrichmentResult",
    "HttpProvider",
    "OfflineDirectoryProvider",
    "Provider",
    "ProviderUnavailable",
    "RateLimiter",
    "run_enrichment",
]
