"""The enrichment step: ask providers about every distinct request, through the cache, as a waterfall.

Reads ``intermediate.int_enrichment_requests`` (built by dbt: one row per distinct
``request_type``, ``lookup_key``), and for each request asks the configured providers in order:
a fresh cached answer counts as that provider's answer; the first hit ends the request; otherwise
the next provider that supports the request type is asked. Every answer is appended to
``raw.enrichment_cache`` as it arrives (a remote provider's answers committed one by one, a local
provider's in small batches, and always before the step returns or raises); the run is written
to ``raw.enrichment_runs`` when it starts (as interrupted) and again when it ends.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from lead_factory.enrichment.cache import CacheRow, CacheWriter, ensure_tables, fresh_answers, write_run
from lead_factory.enrichment.http_provider import KEY_ENV, HttpProvider
from lead_factory.enrichment.providers import (
    OfflineDirectoryProvider,
    Provider,
    ProviderUnavailable,
)
from lead_factory.project import project_vars
from lead_factory.tables import table_exists

log = logging.getLogger(__name__)

REQUESTS_TABLE = "intermediate.int_enrichment_requests"
DEFAULT_PROVIDERS: tuple[str, ...] = ("offline_directory", "http_api")
DEFAULT_TTL_DAYS = 30
PROVIDERS_VAR = "enrichment_providers"
RUN_COUNTS = ("requests", "from_cache", "calls", "hits", "misses", "failed", "malformed", "interrupted")
TTL_VAR = "enrichment_ttl_days"

PROVIDER_FACTORIES: dict[str, Callable[[duckdb.DuckDBPyConnection], Provider]] = {
    OfflineDirectoryProvider.name: OfflineDirectoryProvider.from_warehouse,
    HttpProvider.name: lambda con: HttpProvider.from_env(),
}
"""How the step makes each provider by name, given the warehouse connection. A factory raises
:class:`ProviderUnavailable` when its provider cannot run here (then it is skipped with a note)."""


class EnrichmentError(Exception):
    """The step cannot run as configured (unknown provider, bad setting, unopenable warehouse)."""


# --- settings --------------------------------------------------------------------------------------------


def parse_provider_names(value: str | Sequence[str]) -> tuple[str, ...]:
    """Provider names from a comma-separated string or a list, in order, without repeats."""
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    names: list[str] = []
    for item in items:
        name = item.strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def configured_providers(variables: Mapping[str, Any] | None = None) -> tuple[str, ...]:
    """The dbt var ``enrichment_providers`` (default: offline_directory, then http_api)."""
    variables = project_vars() if variables is None else variables
    value = variables.get(PROVIDERS_VAR)
    if value is None:
        return DEFAULT_PROVIDERS
    if not isinstance(value, str | list | tuple):
        raise EnrichmentError(f"var {PROVIDERS_VAR} must be a list of provider names, got {value!r}")
    return parse_provider_names(value)


def configured_ttl_days(variables: Mapping[str, Any] | None = None) -> int:
    """The dbt var ``enrichment_ttl_days`` (default 30)."""
    variables = project_vars() if variables is None else variables
    value = variables.get(TTL_VAR, DEFAULT_TTL_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise EnrichmentError(f"var {TTL_VAR} must be a whole number of days >= 0, got {value!r}")
    return value


def _check_names(names: Sequence[str]) -> None:
    unknown = [n for n in names if n not in PROVIDER_FACTORIES]
    if unknown:
        known = ", ".join(PROVIDER_FACTORIES)
        raise EnrichmentError(f"unknown enrichment provider {unknown[0]!r} (known: {known})")


def build_providers(names: Sequence[str], con: duckdb.DuckDBPyConnection) -> tuple[list[Provider], list[str]]:
    """Make the named providers in order; those that cannot run here are left out with a one-line note."""
    _check_names(names)
    providers: list[Provider] = []
    notes: list[str] = []
    for name in names:
        try:
            provider = PROVIDER_FACTORIES[name](con)
        except ProviderUnavailable as unavailable:
            notes.append(str(unavailable))
            continue
        except ValueError as error:
            raise EnrichmentError(f"{name}: {error}") from None
        if isinstance(provider, HttpProvider) and not provider.has_key:
            notes.append(f"{name}: {KEY_ENV} is not set; asking without credentials")
        providers.append(provider)
    return providers, notes


# --- the result ------------------------------------------------------------------------------------------


@dataclass
class Counts:
    """What one provider (or the whole run) answered: reused from the cache, and asked."""

    from_cache: int = 0
    calls: int = 0
    hits: int = 0
    misses: int = 0
    failed: int = 0
    malformed: int = 0

    def describe(self) -> str:
        """``<from_cache> from cache, <calls> calls: <hits> hits, ...``."""
        return (
            f"{self.from_cache:,} from cache, {self.calls:,} calls: {self.hits:,} hits, "
            f"{self.misses:,} misses, {self.failed:,} failed, {self.malformed:,} malformed"
        )


_CALL_FIELD = {"hit": "hits", "miss": "misses", "error": "failed", "malformed": "malformed"}


@dataclass
class EnrichmentResult:
    """What a run did. ``calls = hits + misses + failed + malformed``; ``from_cache`` counts reused answers.

    ``skipped`` says why nothing was asked (no requests table, no provider available); ``notes``
    are one-line remarks (providers skipped); ``resolved`` counts requests that ended with a hit.
    """

    run_id: str | None
    providers: tuple[str, ...]
    ttl_days: int
    requests: int = 0
    from_cache: int = 0
    calls: int = 0
    hits: int = 0
    misses: int = 0
    failed: int = 0
    malformed: int = 0
    resolved: int = 0
    interrupted: bool = False
    per_provider: dict[str, Counts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None

    def count(self, provider: str, status: str, *, from_cache: bool) -> None:
        """Count one answer of a provider, fresh from the cache or from a call."""
        counts = self.per_provider.setdefault(provider, Counts())
        if from_cache:
            self.from_cache += 1
            counts.from_cache += 1
            return
        name = _CALL_FIELD[status]
        self.calls += 1
        counts.calls += 1
        setattr(self, name, getattr(self, name) + 1)
        setattr(counts, name, getattr(counts, name) + 1)

    @property
    def totals(self) -> Counts:
        """The run's counts as one :class:`Counts`."""
        return Counts(self.from_cache, self.calls, self.hits, self.misses, self.failed, self.malformed)

    def summary_line(self) -> str:
        """``enrichment: <requests> requests; <from_cache> from cache, <calls> calls: <hits> hits, ...``."""
        if self.skipped is not None:
            return f"enrichment: {self.skipped}"
        return f"enrichment: {self.requests:,} requests; {self.totals.describe()}"

    def lines(self) -> list[str]:
        """The summary line, then one line per provider."""
        lines = [self.summary_line()]
        if self.skipped is None:
            lines += [f"  {name}: {self.per_provider[name].describe()}" for name in self.providers]
        return lines


class EnrichmentInterrupted(KeyboardInterrupt):
    """A run stopped by Ctrl-C; the answers so far and the run row (interrupted=true) are written."""

    def __init__(self, result: EnrichmentResult) -> None:
        super().__init__(f"enrichment interrupted after {result.requests:,} requests")
        self.result = result


# --- the run ---------------------------------------------------------------------------------------------


def _utc_naive(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _clock(now: datetime | Callable[[], datetime] | None) -> Callable[[], datetime]:
    """A function giving naive UTC times: the real clock, a fixed moment, or an injected clock."""
    if now is None:
        return lambda: datetime.now(UTC).replace(tzinfo=None)
    if isinstance(now, datetime):
        fixed = _utc_naive(now)
        return lambda: fixed
    return lambda: _utc_naive(now())


def _connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db_path))
    except duckdb.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise EnrichmentError(f"cannot open database {db_path}: {first}") from None


def run_enrichment(
    db: Path | str | duckdb.DuckDBPyConnection,
    *,
    providers: Sequence[str | Provider] | None = None,
    ttl_days: int | None = None,
    now: datetime | Callable[[], datetime] | None = None,
    report: Callable[[str], None] | None = None,
    on_answer: Callable[[CacheRow], None] | None = None,
    progress_every: int = 1000,
    progress_seconds: float = 5.0,
    flush_every: int = 50,
    variables: Mapping[str, Any] | None = None,
) -> EnrichmentResult:
    """Run the enrichment step on a warehouse (a DuckDB file or an open connection).

    ``providers``: names or provider objects, in waterfall order (default: the dbt var
    ``enrichment_providers``); ``ttl_days``: freshness of cached hits and misses (default: var
    ``enrichment_ttl_days``); ``now``: a fixed moment or a clock (default: the real UTC clock);
    ``report``: receives notes and progress lines; ``on_answer``: called after each new answer is
    queued for the cache (tests use it to interrupt a run). ``variables`` replaces dbt_project.yml's vars.

    Returns an :class:`EnrichmentResult`. Raises :class:`EnrichmentInterrupted` on Ctrl-C (after
    writing the answers so far and the run row) and :class:`EnrichmentError` on bad settings.
    """
    emit = report or (lambda line: None)
    if isinstance(db, duckdb.DuckDBPyConnection):
        con, owned = db, False
    else:
        path = Path(db)
        if not path.exists():
            return EnrichmentResult(None, (), 0, skipped=f"no warehouse at {path}; nothing asked")
        con, owned = _connect(path), True
    try:
        return _run(
            con,
            providers=providers,
            ttl_days=ttl_days,
            clock=_clock(now),
            emit=emit,
            on_answer=on_answer,
            progress_every=max(1, progress_every),
            progress_seconds=progress_seconds,
            flush_every=flush_every,
            variables=variables,
        )
    finally:
        if owned:
            con.close()


def _run(
    con: duckdb.DuckDBPyConnection,
    *,
    providers: Sequence[str | Provider] | None,
    ttl_days: int | None,
    clock: Callable[[], datetime],
    emit: Callable[[str], None],
    on_answer: Callable[[CacheRow], None] | None,
    progress_every: int,
    progress_seconds: float,
    flush_every: int,
    variables: Mapping[str, Any] | None,
) -> EnrichmentResult:
    if providers is None or ttl_days is None:
        variables = project_vars() if variables is None else variables
    ttl = configured_ttl_days(variables) if ttl_days is None else ttl_days
    if ttl < 0:
        raise EnrichmentError(f"ttl_days must be >= 0, got {ttl}")
    wanted = configured_providers(variables) if providers is None else providers
    _check_names([p for p in wanted if isinstance(p, str)])
    if not table_exists(con, REQUESTS_TABLE):
        return EnrichmentResult(
            None, (), ttl, skipped=f"{REQUESTS_TABLE} does not exist (run dbt build first); nothing asked"
        )
    active, notes = _resolve_providers(con, wanted)
    for note in notes:
        emit(note)
    if not active:
        return EnrichmentResult(
            None, (), ttl, notes=notes, skipped="no enrichment provider can run; nothing asked"
        )

    names = tuple(p.name for p in active)
    requests = con.execute(
        f"""
        select distinct request_type, lookup_key
        from {REQUESTS_TABLE}
        where request_type is not null and lookup_key is not null
        order by request_type, lookup_key
        """
    ).fetchall()
    ensure_tables(con)
    started_at = clock()
    fresh = fresh_answers(con, names, started_at, ttl, REQUESTS_TABLE)
    run_id = f"{started_at:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}"
    result = EnrichmentResult(run_id, names, ttl, notes=notes)
    result.per_provider = {name: Counts() for name in names}
    writer = CacheWriter(con, flush_every)

    def finish() -> None:
        writer.flush()
        run = {
            "run_id": run_id,
            "started_at": started_at,
            "finished_at": clock(),
            "providers": ",".join(names),
            "ttl_days": ttl,
        }
        run.update({name: getattr(result, name) for name in RUN_COUNTS})
        write_run(con, run)

    # The run is on record from its start, as interrupted until it finishes: a run killed outright
    # (SIGKILL, a lost machine) is still listed, with the answers it saved.
    write_run(
        con,
        {"run_id": run_id, "started_at": started_at, "finished_at": None, "providers": ",".join(names),
         "ttl_days": ttl, **{name: 0 for name in RUN_COUNTS}, "interrupted": True},
    )  # fmt: skip
    total = len(requests)
    last_report = time.monotonic()
    try:
        for index, (request_type, key) in enumerate(requests, start=1):
            result.requests = index
            if _ask(active, request_type, key, fresh, result, writer, run_id, clock, on_answer):
                result.resolved += 1
            if index < total and (
                index % progress_every == 0 or time.monotonic() - last_report >= progress_seconds
            ):
                emit(f"enrichment: {index:,}/{total:,} requests; {result.totals.describe()}")
                last_report = time.monotonic()
    except KeyboardInterrupt as interrupt:
        result.interrupted = True
        finish()
        raise EnrichmentInterrupted(result) from interrupt
    except BaseException:
        result.interrupted = True
        try:
            finish()
        except Exception:  # keep the original failure; this is best effort
            log.exception("enrichment: could not record the interrupted run")
        raise
    finish()
    return result


def _resolve_providers(
    con: duckdb.DuckDBPyConnection, providers: Sequence[str | Provider]
) -> tuple[list[Provider], list[str]]:
    """Provider objects are used as given; names are built (or skipped with a note)."""
    if all(isinstance(p, str) for p in providers):
        return build_providers(parse_provider_names([str(p) for p in providers]), con)
    active: list[Provider] = []
    notes: list[str] = []
    for item in providers:
        if isinstance(item, str):
            built, more = build_providers([item], con)
            active += built
            notes += more
        else:
            active.append(item)
    return active, notes


def _ask(
    providers: Sequence[Provider],
    request_type: str,
    key: str,
    fresh: Mapping[tuple[str, str, str], str],
    result: EnrichmentResult,
    writer: CacheWriter,
    run_id: str,
    clock: Callable[[], datetime],
    on_answer: Callable[[CacheRow], None] | None,
) -> bool:
    """The waterfall for one request; True when it ended with a hit (cached or new)."""
    for provider in providers:
        if not provider.supports(request_type):
            continue
        cached = fresh.get((provider.name, request_type, key))
        if cached is not None:
            result.count(provider.name, cached, from_cache=True)
            if cached == "hit":
                return True
            continue
        started = time.perf_counter()
        answer = provider.lookup(request_type, key)
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        row = CacheRow(
            response_id=str(uuid.uuid4()),
            run_id=run_id,
            provider=provider.name,
            request_type=request_type,
            lookup_key=key,
            answer=answer,
            requested_at=clock(),
            elapsed_ms=elapsed_ms,
        )
        writer.add(row, save_now=getattr(provider, "remote", True))
        result.count(provider.name, answer.status, from_cache=False)
        if on_answer is not None:
            on_answer(row)
        if answer.status == "hit":
            return True
    return False
