"""Tests of the enrichment step: providers, the HTTP provider's faults against a real loopback server,
the cache and its TTL, the waterfall, interruption, the rate limiter and the command line.

The fake API is a real ``ThreadingHTTPServer`` on 127.0.0.1 (port 0), scripted per lookup key; it
counts requests per key and records the Authorization headers it received.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from click.testing import CliRunner
from support import tables_containing

from lead_factory.cli import factory
from lead_factory.enrichment import (
    CACHE_COLUMNS,
    COMPANY_BY_DOMAIN,
    ENRICHMENT_TABLES,
    PAYLOAD_KEYS,
    PERSON_BY_EMAIL,
    RUN_COLUMNS,
    Answer,
    EnrichmentError,
    EnrichmentInterrupted,
    EnrichmentResult,
    HttpProvider,
    OfflineDirectoryProvider,
    ProviderUnavailable,
    RateLimiter,
    run_enrichment,
)
from lead_factory.enrichment.cache import SQL_TYPES, CacheRow
from lead_factory.enrichment.http_provider import parse_retry_after
from lead_factory.enrichment.step import configured_providers, configured_ttl_days

ROOT = Path(__file__).resolve().parents[1]
LEAD_FACTORY = str(Path(sys.executable).parent / "lead-factory")
KEY = "sk_live_Zq8TOPSECRET41"
T0 = datetime(2026, 11, 1, 9, 0, 0)
TIMEOUT = 0.25
SLOW_SECONDS = 0.6
COMPANIES = "/v2/companies/find"
PEOPLE = "/v2/people/find"

COMPANY = {
    "name": "Hit Corp",
    "domain": "hit.io",
    "geo": {"country": "DE", "city": "Berlin"},
    "category": {"industry": "Software"},
    "metrics": {"employees": 250},
    "extra": "ignored",
}
PERSON = {
    "name": {"givenName": "Ann", "familyName": "Lee", "fullName": "Ann Lee"},
    "employment": {"name": "Hit Corp", "domain": "hit.io", "title": "CTO"},
    "geo": {"country": "DE", "city": None},
}

Action = tuple[Any, ...]
"""("json", status, body[, headers]) | ("text", status, text) | ("slow",) | ("drip",) | ("echo",)."""

SCRIPTS: dict[tuple[str, str], list[Action]] = {
    (COMPANIES, "hit.io"): [("json", 200, COMPANY)],
    (COMPANIES, "missing.io"): [("json", 404, {"error": "not found"})],
    (COMPANIES, "slow-once.io"): [("slow",), ("json", 200, {**COMPANY, "domain": "slow-once.io"})],
    (COMPANIES, "slow-always.io"): [("slow",)],
    (COMPANIES, "drip.io"): [("drip",)],
    (COMPANIES, "busy.io"): [
        ("json", 429, {"error": "slow down"}, {"Retry-After": "1"}),
        ("json", 200, COMPANY),
    ],
    (COMPANIES, "flaky.io"): [("json", 500, {}), ("json", 500, {}), ("json", 200, COMPANY)],
    (COMPANIES, "down.io"): [("json", 500, {"error": "down"})],
    (COMPANIES, "notjson.io"): [("text", 200, "<html>Service temporarily unavailable</html>")],
    (COMPANIES, "list.io"): [("json", 200, [COMPANY])],
    (COMPANIES, "badname.io"): [("json", 200, {**COMPANY, "name": 42})],
    (COMPANIES, "denied.io"): [("json", 401, {"error": "invalid key"})],
    (COMPANIES, "echo.io"): [("echo",)],
    (COMPANIES, "huge.io"): [("text", 200, "x" * 50_000)],
    (COMPANIES, "acme.io"): [("json", 200, {**COMPANY, "name": "Acme from the API", "domain": "acme.io"})],
    (PEOPLE, "ann@hit.io"): [("json", 200, PERSON)],
    (PEOPLE, "nobody@hit.io"): [("json", 404, {})],
}


# --- the fake API -------------------------------------------------------------------------------------------


@dataclass
class FakeApi:
    """State of the scripted server: requests per (path, key) and Authorization headers received."""

    base_url: str = ""
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    authorizations: list[str | None] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def asked(self, key: str) -> int:
        """Requests received for a lookup key, on any path."""
        with self.lock:
            return sum(n for (_, k), n in self.counts.items() if k == key)

    def total(self) -> int:
        with self.lock:
            return sum(self.counts.values())


class ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True
    api: FakeApi

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out and left is expected here; stay quiet."""


class Handler(BaseHTTPRequestHandler):
    server: ScriptedServer

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        api = self.server.api
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        key = (query.get("domain") or query.get("email") or [""])[0]
        with api.lock:
            seen = api.counts[(parts.path, key)]
            api.counts[(parts.path, key)] += 1
            api.authorizations.append(self.headers.get("Authorization"))
        script = SCRIPTS.get((parts.path, key), [("json", 404, {"error": "unknown"})])
        action = script[min(seen, len(script) - 1)]
        try:
            if action[0] == "slow":
                time.sleep(SLOW_SECONDS)
                self._send(200, json.dumps(COMPANY).encode(), "application/json")
            elif action[0] == "drip":
                # A 200 whose body arrives a byte at a time, each byte well within the time-out.
                body = json.dumps(COMPANY).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for i in range(len(body)):
                    self.wfile.write(body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(TIMEOUT / 5)
            elif action[0] == "echo":
                text = f"you sent: {self.headers.get('Authorization')}"
                self._send(200, text.encode(), "text/plain; charset=utf-8")
            elif action[0] == "text":
                self._send(action[1], action[2].encode(), "text/html; charset=utf-8")
            else:
                headers = action[3] if len(action) > 3 else None
                self._send(action[1], json.dumps(action[2]).encode(), "application/json", headers)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApi]:
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    state = FakeApi()
    server = ScriptedServer(("127.0.0.1", 0), Handler)
    server.api = state
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def make_http(api: FakeApi, sleeps: list[float] | None = None, **kwargs: Any) -> HttpProvider:
    """An HttpProvider on the fake API that records its waits instead of waiting."""
    record = sleeps.append if sleeps is not None else (lambda seconds: None)
    settings: dict[str, Any] = {"timeout": TIMEOUT, "rate": 0, "backoff_base": 0.01, "sleep": record}
    settings.update(kwargs)
    return HttpProvider(api.base_url, KEY, **settings)


# --- warehouses ---------------------------------------------------------------------------------------------


def make_warehouse(
    path: Path,
    requests: list[tuple[str, str]],
    companies: list[tuple[str, str, str, int, str, str]] | None = None,
) -> Path:
    """A warehouse with the requests table and (optionally) the firmographic directory."""
    con = duckdb.connect(str(path))
    con.execute("create schema intermediate")
    con.execute(
        "create table intermediate.int_enrichment_requests (request_type varchar, lookup_key varchar)"
    )
    if requests:
        con.executemany("insert into intermediate.int_enrichment_requests values (?, ?)", requests)
    if companies is not None:
        con.execute("create schema staging")
        con.execute(
            """
            create table staging.stg_firmographics__companies (
                company_domain varchar, company_name varchar, industry varchar, employee_count integer,
                annual_revenue decimal(18, 2), country_code varchar, city varchar
            )
            """
        )
        con.executemany(
            "insert into staging.stg_firmographics__companies values (?, ?, ?, ?, 1000000, ?, ?)", companies
        )
    con.close()
    return path


DIRECTORY = [
    ("acme.io", "Acme", "Manufacturing", 120, "FR", "Lyon"),
    ("globex.com", "Globex", "Energy", 5000, "US", "Springfield"),
]


def companies(*keys: str) -> list[tuple[str, str]]:
    return [(COMPANY_BY_DOMAIN, k) for k in keys]


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def cache_rows(db: Path) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Cache rows per (provider, lookup_key), oldest first, as dicts."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute("select * from raw.enrichment_cache order by requested_at, lookup_key")
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault((row["provider"], row["lookup_key"]), []).append(row)
    return grouped


def all_text(db: Path) -> str:
    """Every value of the cache and run tables as text."""
    rows = query(db, "select * from raw.enrichment_cache") + query(db, "select * from raw.enrichment_runs")
    return repr(rows)


# --- the HTTP provider's faults -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_type", "key", "status", "attempts", "http_status", "reason", "asked"),
    [
        (COMPANY_BY_DOMAIN, "hit.io", "hit", 1, 200, None, 1),
        (COMPANY_BY_DOMAIN, "missing.io", "miss", 1, 404, None, 1),
        (COMPANY_BY_DOMAIN, "slow-once.io", "hit", 2, 200, None, 2),
        (COMPANY_BY_DOMAIN, "slow-always.io", "error", 5, None, "timed out after 5 attempts", 5),
        (COMPANY_BY_DOMAIN, "busy.io", "hit", 2, 200, None, 2),
        (COMPANY_BY_DOMAIN, "flaky.io", "hit", 3, 200, None, 3),
        (COMPANY_BY_DOMAIN, "down.io", "error", 5, 500, "HTTP 500 after 5 attempts", 5),
        (COMPANY_BY_DOMAIN, "notjson.io", "malformed", 1, 200, "body is not JSON", 1),
        (COMPANY_BY_DOMAIN, "list.io", "malformed", 1, 200, "expected a JSON object, got a list", 1),
        (COMPANY_BY_DOMAIN, "badname.io", "malformed", 1, 200, "'name' is a number, expected a string", 1),
        (COMPANY_BY_DOMAIN, "denied.io", "error", 1, 401, "HTTP 401: the API refused the credentials", 1),
        (PERSON_BY_EMAIL, "ann@hit.io", "hit", 1, 200, None, 1),
        (PERSON_BY_EMAIL, "nobody@hit.io", "miss", 1, 404, None, 1),
    ],
)
def test_http_provider_answers_each_fault(
    api: FakeApi,
    request_type: str,
    key: str,
    status: str,
    attempts: int,
    http_status: int | None,
    reason: str | None,
    asked: int,
) -> None:
    answer = make_http(api).lookup(request_type, key)
    assert (answer.status, answer.attempts, answer.http_status) == (status, attempts, http_status)
    if reason is None:
        assert answer.reason is None
    else:
        assert answer.reason is not None and reason in answer.reason
    assert api.asked(key) == asked
    assert answer.payload == {} or answer.status == "hit"
    assert (answer.raw_body is not None) == (status == "malformed")
    assert set(api.authorizations) == {f"Bearer {KEY}"}


def test_http_payloads_are_normalised(api: FakeApi) -> None:
    provider = make_http(api)
    company = provider.lookup(COMPANY_BY_DOMAIN, "hit.io")
    assert company.payload == {
        "name": "Hit Corp",
        "domain": "hit.io",
        "country": "DE",
        "city": "Berlin",
        "industry": "Software",
        "employee_count": 250,
    }
    person = provider.lookup(PERSON_BY_EMAIL, "ann@hit.io")
    # city is null in the API's answer: absent from the payload.
    assert person.payload == {
        "given_name": "Ann",
        "family_name": "Lee",
        "title": "CTO",
        "company_name": "Hit Corp",
        "company_domain": "hit.io",
        "country": "DE",
    }
    assert set(company.payload) <= set(PAYLOAD_KEYS[COMPANY_BY_DOMAIN])
    assert set(person.payload) <= set(PAYLOAD_KEYS[PERSON_BY_EMAIL])


def test_retry_after_is_honoured_and_backoff_grows(api: FakeApi) -> None:
    sleeps: list[float] = []
    provider = make_http(api, sleeps, backoff_base=0.1, jitter=0.0)
    assert provider.lookup(COMPANY_BY_DOMAIN, "busy.io").status == "hit"
    assert sleeps == [1.0]
    sleeps.clear()
    assert provider.lookup(COMPANY_BY_DOMAIN, "down.io").status == "error"
    assert sleeps == pytest.approx([0.1, 0.2, 0.4, 0.8])
    assert parse_retry_after("600") == 600.0
    assert make_http(api)._delay(1, 600.0) == 60.0  # capped
    assert (
        parse_retry_after(
            "Sun, 01 Nov 2026 09:00:30 GMT", now=datetime.fromisoformat("2026-11-01T09:00:00+00:00")
        )
        == 30.0
    )
    assert parse_retry_after("soon") is None


def test_malformed_body_is_kept_truncated_and_not_used(api: FakeApi) -> None:
    answer = make_http(api).lookup(COMPANY_BY_DOMAIN, "huge.io")
    assert answer.status == "malformed" and answer.payload == {}
    assert answer.raw_body is not None and len(answer.raw_body) == 10_000
    kept = make_http(api).lookup(COMPANY_BY_DOMAIN, "notjson.io")
    assert kept.raw_body == "<html>Service temporarily unavailable</html>"


def test_connection_refused_is_retried_then_an_error() -> None:
    with ScriptedServer(("127.0.0.1", 0), Handler) as server:
        port = server.server_address[1]  # closed again at once: nothing listens there
    provider = HttpProvider(
        f"http://127.0.0.1:{port}", KEY, timeout=TIMEOUT, rate=0, max_retries=2, sleep=lambda s: None
    )
    answer = provider.lookup(COMPANY_BY_DOMAIN, "hit.io")
    assert answer.status == "error" and answer.attempts == 3
    assert answer.reason is not None and answer.reason.startswith("connection failed")
    assert answer.reason.endswith("after 3 attempts")


# --- the key stays secret -----------------------------------------------------------------------------------


def test_the_key_appears_nowhere(
    api: FakeApi, tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG, logger="lead_factory")
    keys = ["hit.io", "missing.io", "down.io", "notjson.io", "list.io", "denied.io", "echo.io"]
    db = make_warehouse(tmp_path / "w.duckdb", [*companies(*keys), (PERSON_BY_EMAIL, "ann@hit.io")])
    result = run_enrichment(db, providers=[make_http(api)], ttl_days=30, now=T0, report=print)
    assert result.calls == len(keys) + 1
    assert set(api.authorizations) == {f"Bearer {KEY}"}  # the key was sent ...

    echoed = cache_rows(db)[("http_api", "echo.io")][0]
    assert echoed["status"] == "malformed" and echoed["raw_body"] == "you sent: Bearer ***"
    assert KEY not in all_text(db)
    assert "Bearer ***" in caplog.text  # requests are logged, masked
    assert KEY not in caplog.text
    captured = capsys.readouterr()
    assert KEY not in captured.out + captured.err
    assert KEY not in repr(make_http(api)) and KEY not in str(vars(result))
    for bad_url in ("ftp://example.com", f"not a url {KEY}"):
        with pytest.raises(ValueError) as raised:
            HttpProvider(bad_url, KEY)
        assert KEY not in str(raised.value)
    for suffix in ("", ".wal"):
        file = Path(f"{db}{suffix}")
        if file.exists():
            assert KEY.encode() not in file.read_bytes()
    assert tables_containing(db, KEY) == []


def test_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ProviderUnavailable, match="LEAD_FACTORY_ENRICH_URL is not set"):
        HttpProvider.from_env({})
    provider = HttpProvider.from_env(
        {
            "LEAD_FACTORY_ENRICH_URL": "https://api.example.com/",
            "LEAD_FACTORY_ENRICH_KEY": KEY,
            "LEAD_FACTORY_ENRICH_TIMEOUT": "2.5",
            "LEAD_FACTORY_ENRICH_RATE": "10",
            "LEAD_FACTORY_ENRICH_RETRIES": "2",
        }
    )
    assert (provider.base_url, provider.timeout, provider.rate, provider.max_retries) == (
        "https://api.example.com",
        2.5,
        10.0,
        2,
    )
    assert provider.url(COMPANY_BY_DOMAIN, "a.io") == "https://api.example.com/v2/companies/find?domain=a.io"
    assert (
        provider.url(PERSON_BY_EMAIL, "a+b@a.io")
        == "https://api.example.com/v2/people/find?email=a%2Bb%40a.io"
    )
    defaults = HttpProvider.from_env({"LEAD_FACTORY_ENRICH_URL": "http://x"})
    assert (defaults.timeout, defaults.rate, defaults.max_retries, defaults.has_key) == (5.0, 5.0, 4, False)
    with pytest.raises(ValueError, match="LEAD_FACTORY_ENRICH_RATE must be a number"):
        HttpProvider.from_env({"LEAD_FACTORY_ENRICH_URL": "http://x", "LEAD_FACTORY_ENRICH_RATE": "fast"})


# --- the rate limiter ---------------------------------------------------------------------------------------


class FakeClock:
    """A monotonic clock that only moves when something sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_rate_limiter_spaces_calls() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(4):
        limiter.acquire()
        times.append(clock.now)
    assert [round(b - a, 9) for a, b in itertools.pairwise(times)] == [0.2, 0.2, 0.2]
    clock.now += 10  # idle: the next call goes at once
    assert limiter.acquire() == 0.0
    assert RateLimiter(0, clock=clock, sleep=clock.sleep).acquire() == 0.0


def test_http_provider_requests_are_rate_limited(api: FakeApi) -> None:
    clock = FakeClock()
    provider = make_http(api, rate=4, clock=clock, sleep=clock.sleep)
    started = clock.now
    for key in ("hit.io", "missing.io", "acme.io", "hit.io"):
        provider.lookup(COMPANY_BY_DOMAIN, key)
    assert clock.sleeps == pytest.approx([0.25, 0.25, 0.25])
    assert clock.now - started == pytest.approx(0.75)
    assert api.total() == 4


# --- the offline provider -----------------------------------------------------------------------------------


def test_offline_provider_answers_from_the_directory(tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "w.duckdb", [], DIRECTORY)
    con = duckdb.connect(str(db))
    provider = OfflineDirectoryProvider.from_warehouse(con)
    con.close()
    answer = provider.lookup(COMPANY_BY_DOMAIN, "acme.io")
    assert answer.status == "hit"
    assert answer.payload == {
        "name": "Acme",
        "domain": "acme.io",
        "country": "FR",
        "city": "Lyon",
        "industry": "Manufacturing",
        "employee_count": 120,
    }
    assert provider.lookup(COMPANY_BY_DOMAIN, "unknown.io").status == "miss"
    assert not provider.supports(PERSON_BY_EMAIL)
    empty = duckdb.connect(str(tmp_path / "empty.duckdb"))
    with pytest.raises(ProviderUnavailable, match="stg_firmographics__companies does not exist"):
        OfflineDirectoryProvider.from_warehouse(empty)
    empty.close()


def test_answer_rules() -> None:
    with pytest.raises(ValueError):
        Answer("miss", {"name": "x"})
    with pytest.raises(ValueError):
        Answer("maybe")  # type: ignore[arg-type]
    assert Answer.hit({"name": "A", "city": None}).payload == {"name": "A"}
    assert len(Answer.malformed("bad", "y" * 20_000).raw_body or "") == 10_000


# --- the step: cache, TTL, waterfall ------------------------------------------------------------------------


def test_step_writes_one_cache_row_per_answer(api: FakeApi, tmp_path: Path) -> None:
    keys = ["hit.io", "missing.io", "slow-once.io", "flaky.io", "down.io", "list.io", "denied.io"]
    db = make_warehouse(tmp_path / "w.duckdb", companies(*keys) + [(PERSON_BY_EMAIL, "ann@hit.io")] * 2)
    result = run_enrichment(db, providers=[make_http(api)], ttl_days=30, now=T0)
    assert (result.requests, result.from_cache, result.calls) == (8, 0, 8)
    assert (result.hits, result.misses, result.failed, result.malformed) == (4, 1, 2, 1)
    assert result.summary_line() == (
        "enrichment: 8 requests; 0 from cache, 8 calls: 4 hits, 1 misses, 2 failed, 1 malformed"
    )
    assert result.lines()[1] == "  http_api: 0 from cache, 8 calls: 4 hits, 1 misses, 2 failed, 1 malformed"

    rows = cache_rows(db)
    assert len(rows) == 8 and all(len(v) == 1 for v in rows.values())
    by_key = {key: v[0] for (_, key), v in rows.items()}
    assert {k: r["status"] for k, r in by_key.items()} == {
        "hit.io": "hit",
        "missing.io": "miss",
        "slow-once.io": "hit",
        "flaky.io": "hit",
        "down.io": "error",
        "list.io": "malformed",
        "denied.io": "error",
        "ann@hit.io": "hit",
    }
    assert by_key["flaky.io"]["attempts"] == 3 and by_key["down.io"]["reason"] == "HTTP 500 after 5 attempts"
    assert json.loads(by_key["hit.io"]["payload"])["name"] == "Hit Corp"
    assert by_key["ann@hit.io"]["request_type"] == PERSON_BY_EMAIL
    assert all(r["payload"] is None for k, r in by_key.items() if r["status"] != "hit")
    assert json.loads(by_key["list.io"]["raw_body"]) == [COMPANY]
    assert all(r["run_id"] == result.run_id and r["requested_at"] == T0 for r in by_key.values())
    assert by_key["slow-once.io"]["elapsed_ms"] >= TIMEOUT * 1000

    runs = query(
        db, "select run_id, providers, ttl_days, requests, calls, hits, interrupted from raw.enrichment_runs"
    )
    assert runs == [(result.run_id, "http_api", 30, 8, 8, 4, False)]
    types = query(
        db,
        "select column_name, data_type from information_schema.columns "
        "where table_name = 'enrichment_cache' order by ordinal_position",
    )
    assert [name for name, _ in types] == [c.name for c in CACHE_COLUMNS]
    assert dict(types)["requested_at"] == "TIMESTAMP" and dict(types)["http_status"] == "INTEGER"


def test_ttl_fresh_answers_are_not_asked_again(api: FakeApi, tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "w.duckdb", companies("hit.io", "missing.io", "down.io", "notjson.io"))

    first = run_enrichment(db, providers=[make_http(api)], ttl_days=30, now=T0)
    assert (first.calls, first.hits, first.misses, first.failed, first.malformed) == (4, 1, 1, 1, 1)
    assert (api.asked("hit.io"), api.asked("missing.io"), api.asked("down.io"), api.asked("notjson.io")) == (
        1,
        1,
        5,
        1,
    )

    # Ten days later: the hit and the miss are fresh; the error and the malformed answer are asked again.
    second = run_enrichment(db, providers=[make_http(api)], ttl_days=30, now=T0 + timedelta(days=10))
    assert (second.requests, second.from_cache, second.calls) == (4, 2, 2)
    assert (api.asked("hit.io"), api.asked("missing.io"), api.asked("down.io"), api.asked("notjson.io")) == (
        1,
        1,
        10,
        2,
    )

    # Past the TTL: everything is asked again.
    third = run_enrichment(db, providers=[make_http(api)], ttl_days=30, now=T0 + timedelta(days=31))
    assert (third.from_cache, third.calls) == (0, 4)
    assert (api.asked("hit.io"), api.asked("missing.io")) == (2, 2)

    # A shorter TTL makes the third run's answers stale sooner; a longer one keeps them.
    assert (
        run_enrichment(db, providers=[make_http(api)], ttl_days=1, now=T0 + timedelta(days=33)).from_cache
        == 0
    )
    assert (
        run_enrichment(db, providers=[make_http(api)], ttl_days=90, now=T0 + timedelta(days=34)).from_cache
        == 2
    )

    statuses = [r["status"] for r in cache_rows(db)[("http_api", "hit.io")]]
    assert statuses == ["hit", "hit", "hit"]  # append-only: every answer kept
    assert len(query(db, "select * from raw.enrichment_runs")) == 5


def test_errors_are_asked_again_until_answered(api: FakeApi, tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "w.duckdb", companies("denied.io", "hit.io"))
    run_enrichment(db, providers=[make_http(api)], ttl_days=30, now=T0)
    again = run_enrichment(db, providers=[make_http(api)], ttl_days=30, now=T0 + timedelta(hours=1))
    assert (again.from_cache, again.calls, again.failed) == (1, 1, 1)
    assert api.asked("denied.io") == 2 and api.asked("hit.io") == 1


def test_waterfall_stops_at_the_first_hit(
    api: FakeApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    requests = [*companies("acme.io", "hit.io", "nowhere.io"), (PERSON_BY_EMAIL, "ann@hit.io")]
    db = make_warehouse(tmp_path / "w.duckdb", requests, DIRECTORY)
    monkeypatch.setenv("LEAD_FACTORY_ENRICH_URL", api.base_url)
    monkeypatch.setenv("LEAD_FACTORY_ENRICH_KEY", KEY)
    monkeypatch.setenv("LEAD_FACTORY_ENRICH_TIMEOUT", str(TIMEOUT))
    monkeypatch.setenv("LEAD_FACTORY_ENRICH_RATE", "0")

    first = run_enrichment(db, providers=["offline_directory", "http_api"], ttl_days=30, now=T0)
    # acme.io: the directory has it, the API is not asked. hit.io, nowhere.io: the directory misses,
    # the API is asked. The person: the directory does not support people; only the API is asked.
    assert api.asked("acme.io") == 0
    assert (api.asked("hit.io"), api.asked("nowhere.io"), api.asked("ann@hit.io")) == (1, 1, 1)
    assert first.per_provider["offline_directory"].calls == 3
    assert first.per_provider["offline_directory"].hits == 1
    assert first.per_provider["http_api"].calls == 3
    assert (first.hits, first.misses, first.resolved) == (3, 3, 3)
    rows = cache_rows(db)
    assert json.loads(rows[("offline_directory", "acme.io")][0]["payload"])["name"] == "Acme"
    assert ("http_api", "acme.io") not in rows

    # Second run: nothing asked; every answer comes from the cache, in the same waterfall.
    second = run_enrichment(
        db, providers=["offline_directory", "http_api"], ttl_days=30, now=T0 + timedelta(days=1)
    )
    assert (second.calls, second.from_cache, second.resolved) == (0, 6, 3)
    assert api.total() == 3

    # The API first: it answers acme.io itself now, and the directory is not needed for it.
    third = run_enrichment(
        db, providers=["http_api", "offline_directory"], ttl_days=30, now=T0 + timedelta(days=2)
    )
    assert api.asked("acme.io") == 1
    assert third.per_provider["offline_directory"].from_cache == 1  # nowhere.io: a fresh miss
    assert third.per_provider["offline_directory"].calls == 0


def test_configuration_from_vars_and_skipped_providers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert configured_providers({}) == ("offline_directory", "http_api")
    assert configured_ttl_days({}) == 30
    assert configured_providers({"enrichment_providers": ["http_api", "offline_directory"]}) == (
        "http_api",
        "offline_directory",
    )
    assert configured_ttl_days({"enrichment_ttl_days": 7}) == 7
    with pytest.raises(EnrichmentError):
        configured_ttl_days({"enrichment_ttl_days": "soon"})

    monkeypatch.delenv("LEAD_FACTORY_ENRICH_URL", raising=False)
    db = make_warehouse(tmp_path / "w.duckdb", companies("acme.io"), DIRECTORY)
    notes: list[str] = []
    result = run_enrichment(db, variables={"enrichment_ttl_days": 3}, now=T0, report=notes.append)
    assert notes == ["http_api skipped: LEAD_FACTORY_ENRICH_URL is not set"]
    assert result.providers == ("offline_directory",) and result.ttl_days == 3 and result.hits == 1
    with pytest.raises(EnrichmentError, match="unknown enrichment provider 'nope'"):
        run_enrichment(db, providers=["nope"], ttl_days=1)

    no_table = tmp_path / "bare.duckdb"
    duckdb.connect(str(no_table)).close()
    skipped = run_enrichment(no_table, providers=["offline_directory"], ttl_days=1)
    assert skipped.skipped is not None and "int_enrichment_requests does not exist" in skipped.skipped
    assert query(no_table, "select * from information_schema.tables where table_schema = 'raw'") == []


def test_progress_is_reported_every_n_requests(tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "w.duckdb", companies(*(f"d{i}.io" for i in range(25))), DIRECTORY)
    lines: list[str] = []
    result = run_enrichment(
        db, providers=["offline_directory"], ttl_days=1, report=lines.append, progress_every=10
    )
    assert lines == [
        "enrichment: 10/25 requests; 0 from cache, 10 calls: 0 hits, 10 misses, 0 failed, 0 malformed",
        "enrichment: 20/25 requests; 0 from cache, 20 calls: 0 hits, 20 misses, 0 failed, 0 malformed",
    ]
    assert result.misses == 25


# --- interruption -------------------------------------------------------------------------------------------


def interrupt_after(n: int, error: BaseException) -> Callable[[CacheRow], None]:
    seen: list[CacheRow] = []

    def hook(row: CacheRow) -> None:
        seen.append(row)
        if len(seen) == n:
            raise error

    return hook


def test_interrupted_run_keeps_its_answers(api: FakeApi, tmp_path: Path) -> None:
    keys = ["acme.io", "busy.io", "denied.io", "flaky.io", "hit.io", "missing.io"]
    db = make_warehouse(tmp_path / "w.duckdb", companies(*keys))
    with pytest.raises(EnrichmentInterrupted) as raised:
        run_enrichment(
            db,
            providers=[make_http(api)],
            ttl_days=30,
            now=T0,
            on_answer=interrupt_after(3, KeyboardInterrupt()),
        )
    assert isinstance(raised.value, KeyboardInterrupt)
    kept = raised.value.result
    assert (kept.interrupted, kept.calls, kept.requests) == (True, 3, 3)
    rows = cache_rows(db)
    assert sorted(key for _, key in rows) == ["acme.io", "busy.io", "denied.io"]
    runs = query(db, "select run_id, calls, hits, failed, interrupted from raw.enrichment_runs")
    assert runs == [(kept.run_id, 3, 2, 1, True)]

    # The next run asks only what was not answered (the error again, and the rest).
    resumed = run_enrichment(db, providers=[make_http(api)], ttl_days=30, now=T0 + timedelta(minutes=5))
    assert (resumed.from_cache, resumed.calls) == (2, 4) and not resumed.interrupted
    assert api.asked("acme.io") == 1 and api.asked("denied.io") == 2


def test_crashed_run_keeps_its_answers_and_raises(tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "w.duckdb", companies("acme.io", "b.io", "c.io", "d.io"), DIRECTORY)
    with pytest.raises(RuntimeError, match="boom"):
        run_enrichment(
            db,
            providers=["offline_directory"],
            ttl_days=30,
            on_answer=interrupt_after(3, RuntimeError("boom")),
        )
    assert query(db, "select count(*) from raw.enrichment_cache") == [(3,)]
    assert query(db, "select calls, interrupted from raw.enrichment_runs") == [(3, True)]


# --- declarations -------------------------------------------------------------------------------------------


def test_table_declarations_are_complete() -> None:
    assert ENRICHMENT_TABLES["enrichment_cache"][1] is CACHE_COLUMNS
    assert ENRICHMENT_TABLES["enrichment_runs"][1] is RUN_COLUMNS
    for table, (description, columns) in ENRICHMENT_TABLES.items():
        assert description.startswith("One row per")
        assert [c.name for c in columns] == list(SQL_TYPES[table])
        assert all(c.description.endswith(".") for c in columns)


# --- the command line ---------------------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [LEAD_FACTORY, "enrich", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        check=False,
    )


def test_cli_with_the_offline_provider(tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "w.duckdb", companies("acme.io", "globex.com", "unknown.io"), DIRECTORY)
    done = run_cli("--db", str(db), "--providers", "offline_directory", "--ttl-days", "30")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "enrichment: 3 requests; 0 from cache, 3 calls: 2 hits, 1 misses, 0 failed, 0 malformed",
        "  offline_directory: 0 from cache, 3 calls: 2 hits, 1 misses, 0 failed, 0 malformed",
    ]
    again = run_cli("--db", str(db), "--providers", "offline_directory")
    assert again.stdout.splitlines()[0] == (
        "enrichment: 3 requests; 3 from cache, 0 calls: 0 hits, 0 misses, 0 failed, 0 malformed"
    )


def test_cli_with_the_http_provider_keeps_the_key_secret(api: FakeApi, tmp_path: Path) -> None:
    db = make_warehouse(tmp_path / "w.duckdb", companies("hit.io", "missing.io", "denied.io"))
    env = {
        "LEAD_FACTORY_ENRICH_URL": api.base_url,
        "LEAD_FACTORY_ENRICH_KEY": KEY,
        "LEAD_FACTORY_ENRICH_RATE": "0",
        "no_proxy": "127.0.0.1,localhost",
    }
    done = run_cli("--db", str(db), "--providers", "offline_directory,http_api", "--ttl-days", "30", env=env)
    assert done.returncode == 0, done.stderr
    assert "offline_directory skipped" in done.stderr  # no directory table in this warehouse
    assert done.stdout.splitlines()[0] == (
        "enrichment: 3 requests; 0 from cache, 3 calls: 1 hits, 1 misses, 1 failed, 0 malformed"
    )
    assert KEY not in done.stdout + done.stderr
    assert KEY not in all_text(db)


def test_cli_without_requests_table_says_so(tmp_path: Path) -> None:
    db = tmp_path / "bare.duckdb"
    duckdb.connect(str(db)).close()
    done = run_cli("--db", str(db), "--providers", "offline_directory", "--ttl-days", "1")
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "enrichment: intermediate.int_enrichment_requests does not exist (run dbt build first); nothing asked"
    ]
    bad = run_cli("--db", str(db), "--providers", "nope", "--ttl-days", "1")
    assert bad.returncode == 1 and bad.stderr.startswith("error: ")


def test_cli_interrupted_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> EnrichmentResult:
        result = EnrichmentResult("run-1", ("offline_directory",), 30, requests=7, calls=5, interrupted=True)
        raise EnrichmentInterrupted(result)

    monkeypatch.setattr(factory, "run_enrichment", interrupted)
    outcome = CliRunner().invoke(
        factory.enrich_command, ["--db", str(tmp_path / "w.duckdb"), "--providers", "offline_directory"]
    )
    assert outcome.exit_code == 130
    assert "enrichment interrupted after 7 requests; 5 answers kept" in outcome.output


def test_the_time_out_is_each_attempt_s_total_deadline(api: FakeApi) -> None:
    """A server that sends a byte every fifth of the time-out never trips a per-read time-out; the
    attempt is cut off at its deadline all the same, long before the body would be complete."""
    provider = make_http(api, max_retries=1)
    started = time.monotonic()
    answer = provider.lookup(COMPANY_BY_DOMAIN, "drip.io")
    elapsed = time.monotonic() - started
    assert (answer.status, answer.reason, answer.attempts) == ("error", "timed out after 2 attempts", 2)
    body_seconds = len(json.dumps(COMPANY)) * TIMEOUT / 5
    assert elapsed < body_seconds / 4, (elapsed, body_seconds)


KILLED_RUN = """
import os, sys
from pathlib import Path
from lead_factory.enrichment import HttpProvider, run_enrichment
answers = []
def die_after_three(row):
    answers.append(row)
    if len(answers) == 3:
        os._exit(137)  # as SIGKILL: no finally, no flush
provider = HttpProvider(sys.argv[2], "key", timeout=2, rate=0, max_retries=0)
run_enrichment(Path(sys.argv[1]), providers=[provider], ttl_days=30, on_answer=die_after_three)
"""


def test_a_run_killed_outright_keeps_every_answer_it_fetched_and_is_on_record(
    api: FakeApi, tmp_path: Path
) -> None:
    db = make_warehouse(tmp_path / "w.duckdb", companies("acme.io", "hit.io", "missing.io", "notjson.io"))
    env = {**os.environ, "no_proxy": "127.0.0.1,localhost"}
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, str(db), api.base_url], env=env, capture_output=True, text=True
    )
    assert killed.returncode == 137, killed.stderr
    assert sum(len(rows) for rows in cache_rows(db).values()) == 3  # every answer fetched, none lost
    ((finished_at, interrupted),) = query(db, "select finished_at, interrupted from raw.enrichment_runs")
    assert finished_at is None and interrupted is True
