"""The one interface every enrichment provider implements, the answer it gives, and the offline provider.

A provider answers requests of the kinds it supports (:data:`REQUEST_TYPES`) with an :class:`Answer`
whose payload uses the normalised keys below, whatever the provider's own format. Adding a provider
is one small class with ``name``, ``supports`` and ``lookup`` (and a line in
``lead_factory.enrichment.step.PROVIDER_FACTORIES`` so the step can build it by name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

import duckdb

from lead_factory.tables import table_exists

COMPANY_BY_DOMAIN = "company_by_domain"
PERSON_BY_EMAIL = "person_by_email"
REQUEST_TYPES: tuple[str, ...] = (COMPANY_BY_DOMAIN, PERSON_BY_EMAIL)
"""The kinds of request: a company by its (lower-case) web domain, a person by their (lower-case) email."""

PAYLOAD_KEYS: dict[str, tuple[str, ...]] = {
    COMPANY_BY_DOMAIN: ("name", "domain", "country", "city", "industry", "employee_count"),
    PERSON_BY_EMAIL: (
        "given_name",
        "family_name",
        "title",
        "company_name",
        "company_domain",
        "country",
        "city",
    ),
}
"""The normalised keys of a hit's payload per request type; a value the provider lacks is left out."""

Status = Literal["hit", "miss", "error", "malformed"]
STATUSES: tuple[str, ...] = ("hit", "miss", "error", "malformed")
RAW_BODY_LIMIT = 10_000
"""Characters of a malformed answer's body kept for inspection."""


class ProviderUnavailable(Exception):
    """A provider cannot run here (not configured, or its data is missing); the message says why."""


@dataclass(frozen=True)
class Answer:
    """What one provider said about one request.

    ``status`` is ``hit`` (found; ``payload`` holds the normalised values), ``miss`` (the provider
    does not know the key), ``error`` (no usable answer: network, rate limit, server or auth
    failure; asked again next run) or ``malformed`` (an answer of an unexpected form; its body is
    kept in ``raw_body`` and not used). ``reason`` explains anything but a plain hit or miss and
    never contains a credential.
    """

    status: Status
    payload: dict[str, Any] = field(default_factory=dict)
    http_status: int | None = None
    attempts: int = 1
    reason: str | None = None
    raw_body: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown answer status {self.status!r}")
        if self.payload and self.status != "hit":
            raise ValueError("only a hit carries a payload")
        if self.raw_body is not None and len(self.raw_body) > RAW_BODY_LIMIT:
            object.__setattr__(self, "raw_body", self.raw_body[:RAW_BODY_LIMIT])

    @classmethod
    def hit(cls, payload: dict[str, Any], *, http_status: int | None = None, attempts: int = 1) -> Answer:
        """A hit with its normalised payload (``None`` values dropped)."""
        kept = {k: v for k, v in payload.items() if v is not None}
        return cls("hit", kept, http_status, attempts)

    @classmethod
    def miss(cls, *, http_status: int | None = None, attempts: int = 1) -> Answer:
        """The provider does not know the key."""
        return cls("miss", {}, http_status, attempts)

    @classmethod
    def error(cls, reason: str, *, http_status: int | None = None, attempts: int = 1) -> Answer:
        """No usable answer, for the reason given."""
        return cls("error", {}, http_status, attempts, reason)

    @classmethod
    def malformed(
        cls, reason: str, raw_body: str | None, *, http_status: int | None = None, attempts: int = 1
    ) -> Answer:
        """An answer of unexpected form: kept (truncated) for inspection, never used."""
        return cls("malformed", {}, http_status, attempts, reason, raw_body)


@runtime_checkable
class Provider(Protocol):
    """An enrichment provider: a name, whether it is remote (each answer costs a call to another
    system, so the step saves each as it arrives), the request types it supports and a lookup of
    one key."""

    name: str
    remote: bool

    def supports(self, request_type: str) -> bool:
        """Whether the provider can answer requests of this type."""
        ...

    def lookup(self, request_type: str, key: str) -> Answer:
        """Ask the provider about one key; failures come back as an ``error`` or ``malformed`` answer."""
        ...


DIRECTORY_TABLE = "staging.stg_firmographics__companies"


class OfflineDirectoryProvider:
    """Answers ``company_by_domain`` from the firmographic directory already in the warehouse.

    The directory (``staging.stg_firmographics__companies``, one row per lower-case domain) is read
    once, when the provider is made; a domain not in it is a miss. People are not supported.
    """

    name = "offline_directory"
    remote = False

    def __init__(self, companies: dict[str, dict[str, Any]]) -> None:
        """Make the provider from a mapping of lower-case domain to normalised company payload."""
        self._companies = companies

    @classmethod
    def from_warehouse(cls, con: duckdb.DuckDBPyConnection) -> OfflineDirectoryProvider:
        """Read the directory from the warehouse; :class:`ProviderUnavailable` if it is not built."""
        if not table_exists(con, DIRECTORY_TABLE):
            raise ProviderUnavailable(f"{cls.name} skipped: {DIRECTORY_TABLE} does not exist (run dbt build)")
        rows = con.execute(
            f"""
            select company_domain, company_name, industry, employee_count, country_code, city
            from {DIRECTORY_TABLE}
            where company_domain is not null
            """
        ).fetchall()
        companies = {
            domain.lower(): {
                "name": name,
                "domain": domain.lower(),
                "country": country,
                "city": city,
                "industry": industry,
                "employee_count": employees,
            }
            for domain, name, industry, employees, country, city in rows
        }
        return cls(companies)

    def supports(self, request_type: str) -> bool:
        """Only companies by domain."""
        return request_type == COMPANY_BY_DOMAIN

    def lookup(self, request_type: str, key: str) -> Answer:
        """The directory's entry for the domain (a hit), else a miss."""
        if not self.supports(request_type):
            return Answer.error(f"{self.name} does not support {request_type}", attempts=0)
        company = self._companies.get(key.strip().lower())
        return Answer.hit(company) if company is not None else Answer.miss()
