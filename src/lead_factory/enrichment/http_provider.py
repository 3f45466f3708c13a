"""An enrichment provider behind a Clearbit/ZoomInfo-style JSON API over HTTP(S).

``GET {base}/v2/companies/find?domain=<d>`` and ``GET {base}/v2/people/find?email=<e>`` with
``Authorization: Bearer <key>``. Timeouts, connection failures, HTTP 429 (honouring
``Retry-After``) and 5xx are retried with exponential backoff and jitter; 404 is a miss; 401/403
fail at once. A 200 whose body is not JSON of the expected shape is ``malformed``: kept, not used.
A client-side :class:`~lead_factory.enrichment.ratelimit.RateLimiter` spaces every attempt.
The timeout is each attempt's total deadline, connecting, headers and body together: a server
that drips its answer is cut off when it passes (the attempt's socket is shut down), and the
attempt counts as timed out.

The API key never leaves this module: it is only put in the request header, masked in every
reason, log line, kept body and ``repr``.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import logging
import os
import random
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any

from lead_factory.enrichment.providers import (
    COMPANY_BY_DOMAIN,
    PERSON_BY_EMAIL,
    RAW_BODY_LIMIT,
    Answer,
    ProviderUnavailable,
)
from lead_factory.enrichment.ratelimit import RateLimiter

log = logging.getLogger(__name__)

URL_ENV = "LEAD_FACTORY_ENRICH_URL"
KEY_ENV = "LEAD_FACTORY_ENRICH_KEY"
TIMEOUT_ENV = "LEAD_FACTORY_ENRICH_TIMEOUT"
RATE_ENV = "LEAD_FACTORY_ENRICH_RATE"
RETRIES_ENV = "LEAD_FACTORY_ENRICH_RETRIES"

DEFAULT_TIMEOUT = 5.0
DEFAULT_RATE = 5.0
DEFAULT_RETRIES = 4
DEFAULT_BACKOFF_BASE = 0.5
MAX_RETRY_AFTER = 60.0
MAX_BODY_BYTES = 1_000_000
MASK = "***"

ENDPOINTS: dict[str, tuple[str, str]] = {
    COMPANY_BY_DOMAIN: ("/v2/companies/find", "domain"),
    PERSON_BY_EMAIL: ("/v2/people/find", "email"),
}
"""Path and query parameter of each request type."""


class ShapeError(ValueError):
    """A JSON answer whose shape is not the one the API documents."""


# --- turning the API's JSON into the normalised payload ----------------------------------------------


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _object(parent: dict[str, Any], key: str, where: str, *, required: bool = False) -> dict[str, Any]:
    value = parent.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise ShapeError(f"'{where}{key}' is {_json_type(value)}, expected an object")
    return value


def _text(parent: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = parent.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ShapeError(f"'{where}{key}' is {_json_type(value)}, expected a string")
    return value


def _count(parent: dict[str, Any], key: str, where: str) -> int | str | None:
    value = parent.get(key)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ShapeError(f"'{where}{key}' is {_json_type(value)}, expected a number")
    if isinstance(value, float) and not value.is_integer():
        raise ShapeError(f"'{where}{key}' is {value}, expected a whole number")
    return int(value)


def company_payload(document: Any) -> dict[str, Any]:
    """The normalised company payload of the API's company JSON; :class:`ShapeError` if it does not fit."""
    if not isinstance(document, dict):
        raise ShapeError(f"expected a JSON object, got {_json_type(document)}")
    geo = _object(document, "geo", "")
    category = _object(document, "category", "")
    metrics = _object(document, "metrics", "")
    return {
        "name": _text(document, "name", "", required=True),
        "domain": _text(document, "domain", ""),
        "country": _text(geo, "country", "geo."),
        "city": _text(geo, "city", "geo."),
        "industry": _text(category, "industry", "category."),
        "employee_count": _count(metrics, "employees", "metrics."),
    }


def person_payload(document: Any) -> dict[str, Any]:
    """The normalised person payload of the API's person JSON; :class:`ShapeError` if it does not fit."""
    if not isinstance(document, dict):
        raise ShapeError(f"expected a JSON object, got {_json_type(document)}")
    name = _object(document, "name", "", required=True)
    employment = _object(document, "employment", "")
    geo = _object(document, "geo", "")
    return {
        "given_name": _text(name, "givenName", "name."),
        "family_name": _text(name, "familyName", "name."),
        "title": _text(employment, "title", "employment."),
        "company_name": _text(employment, "name", "employment."),
        "company_domain": _text(employment, "domain", "employment."),
        "country": _text(geo, "country", "geo."),
        "city": _text(geo, "city", "geo."),
    }


PAYLOAD_PARSERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    COMPANY_BY_DOMAIN: company_payload,
    PERSON_BY_EMAIL: person_payload,
}


# --- one HTTP attempt ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Attempt:
    """The outcome of one HTTP attempt: a final answer, or a reason to try again."""

    answer: Answer | None = None
    retry_reason: str | None = None
    http_status: int | None = None
    retry_after: float | None = None


class _Deadline:
    """One attempt's total time limit: when it passes, the socket the attempt opened is shut down,
    so a read blocked on a server that drips its answer returns at once."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        _attempt_deadline.current = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _attempt_deadline.current = None

    def watch(self, sock: socket.socket) -> None:
        """The attempt's socket, shut down at the deadline (at once if it has already passed)."""
        with self._lock:
            self._socket = sock
            if self.expired:
                self._shut()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut()

    def _shut(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)


_attempt_deadline = threading.local()
"""The deadline of the attempt running on this thread (``current``), for the connections it opens."""


def _watch_deadline(sock: socket.socket) -> None:
    deadline = getattr(_attempt_deadline, "current", None)
    if deadline is not None:
        deadline.watch(sock)


class _DeadlineHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watch_deadline(self.sock)


class _DeadlineHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _watch_deadline(self.sock)


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_DeadlineHTTPConnection, req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_DeadlineHTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: urllib would carry the Authorization header to wherever they point."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); None if absent or bad."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _env_number(env: Mapping[str, str], name: str, default: float) -> float:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number, got {text!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {text!r}")
    return value


class HttpProvider:
    """The ``http_api`` provider: a JSON enrichment API, asked politely (rate limit, retries, backoff).

    Construct it directly (tests, other deployments) or with :meth:`from_env`. ``clock``, ``sleep``
    and ``rng`` (jitter) are injectable so rate limiting and backoff can be tested without waiting.
    """

    name = "http_api"
    remote = True

    def __init__(
        self,
        base_url: str,
        key: str | None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        rate: float = DEFAULT_RATE,
        max_retries: int = DEFAULT_RETRIES,
        backoff_base: float = DEFAULT_BACKOFF_BASE,
        backoff_cap: float = 30.0,
        jitter: float = 0.1,
        max_retry_after: float = MAX_RETRY_AFTER,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._key = key or None
        parts = urllib.parse.urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(self._mask(f"{URL_ENV} must be an http(s) URL, got {base_url!r}"))
        if max_retries < 0 or timeout <= 0:
            raise ValueError("max_retries must be >= 0 and timeout > 0")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.rate = rate
        self.max_retries = int(max_retries)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.jitter = jitter
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._random = rng
        self.limiter = RateLimiter(rate, clock=clock, sleep=sleep)
        self._opener = urllib.request.build_opener(
            _RefuseRedirects(), _DeadlineHTTPHandler(), _DeadlineHTTPSHandler()
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> HttpProvider:
        """Configure from ``LEAD_FACTORY_ENRICH_*``; :class:`ProviderUnavailable` when no URL is set."""
        env = os.environ if env is None else env
        base_url = (env.get(URL_ENV) or "").strip()
        if not base_url:
            raise ProviderUnavailable(f"{cls.name} skipped: {URL_ENV} is not set")
        settings: dict[str, Any] = {
            "timeout": _env_number(env, TIMEOUT_ENV, DEFAULT_TIMEOUT),
            "rate": _env_number(env, RATE_ENV, DEFAULT_RATE),
            "max_retries": int(_env_number(env, RETRIES_ENV, DEFAULT_RETRIES)),
        }
        settings.update(overrides)
        return cls(base_url, (env.get(KEY_ENV) or "").strip() or None, **settings)

    @property
    def has_key(self) -> bool:
        """Whether requests carry an Authorization header."""
        return self._key is not None

    def __repr__(self) -> str:
        key = MASK if self._key else None
        return (
            f"HttpProvider(base_url={self.base_url!r}, key={key!r}, timeout={self.timeout}, "
            f"rate={self.rate}, max_retries={self.max_retries})"
        )

    def supports(self, request_type: str) -> bool:
        """Companies by domain and people by email."""
        return request_type in ENDPOINTS

    def url(self, request_type: str, key: str) -> str:
        """The request URL for one lookup (it never holds the API key)."""
        path, parameter = ENDPOINTS[request_type]
        return f"{self.base_url}{path}?{urllib.parse.urlencode({parameter: key})}"

    def lookup(self, request_type: str, key: str) -> Answer:
        """Ask the API about one key, retrying transient failures; never raises for HTTP or network faults."""
        if not self.supports(request_type):
            return Answer.error(f"{self.name} does not support {request_type}", attempts=0)
        url = self.url(request_type, key)
        attempts = self.max_retries + 1
        last = _Attempt()
        for attempt in range(1, attempts + 1):
            self.limiter.acquire()
            last = self._attempt(request_type, url)
            if last.answer is not None:
                return replace(last.answer, attempts=attempt)
            if attempt < attempts:
                delay = self._delay(attempt, last.retry_after)
                log.debug("%s: %s; retry %d in %.2f s", self.name, last.retry_reason, attempt, delay)
                self._sleep(delay)
        reason = self._mask(f"{last.retry_reason} after {attempts} attempts")
        return Answer.error(reason, http_status=last.http_status, attempts=attempts)

    # --- internals --------------------------------------------------------------------------------------

    def _mask(self, text: str) -> str:
        """The text with the API key (and its JSON-escaped form) replaced by ***."""
        if not self._key:
            return text
        for form in {self._key, json.dumps(self._key)[1:-1]}:
            text = text.replace(form, MASK)
        return text

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": "lead-factory-enrichment"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        return headers

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds before the next attempt: Retry-After when given (capped), else exponential with jitter."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        base = min(self.backoff_cap, self.backoff_base * 2 ** (attempt - 1))
        return base * (1.0 + self.jitter * self._random())

    @staticmethod
    def _read(stream: Any, headers: Message | None) -> str:
        data = stream.read(MAX_BODY_BYTES)
        charset = (headers.get_content_charset() if headers is not None else None) or "utf-8"
        try:
            return data.decode(charset, errors="replace")
        except LookupError:
            return data.decode("utf-8", errors="replace")

    def _attempt(self, request_type: str, url: str) -> _Attempt:
        """One request within the attempt's total deadline (self.timeout)."""
        with _Deadline(self.timeout) as deadline:
            attempt = self._request(request_type, url)
        if deadline.expired:
            return _Attempt(retry_reason="timed out")
        return attempt

    def _request(self, request_type: str, url: str) -> _Attempt:
        request = urllib.request.Request(url, headers=self._headers(), method="GET")
        log.debug("GET %s (Authorization: %s)", url, f"Bearer {MASK}" if self._key else "none")
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = int(response.status)
                body = self._read(response, response.headers)
        except urllib.error.HTTPError as error:
            try:
                body = self._read(error, error.headers)
            except (OSError, http.client.HTTPException, ValueError):
                body = ""
            finally:
                error.close()
            return self._failed_status(int(error.code), error.headers, body)
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                return _Attempt(retry_reason="timed out")
            return _Attempt(retry_reason=self._mask(f"connection failed ({error.reason})"))
        except TimeoutError:
            return _Attempt(retry_reason="timed out")
        except (OSError, http.client.HTTPException) as error:
            return _Attempt(retry_reason=self._mask(f"connection failed ({type(error).__name__})"))
        if status != 200:
            return _Attempt(Answer.error(f"unexpected HTTP {status}", http_status=status), http_status=status)
        return _Attempt(self._parse(request_type, body), http_status=status)

    def _failed_status(self, status: int, headers: Message | None, body: str) -> _Attempt:
        """What a non-2xx status means: a miss, a final error, or a reason to retry."""
        if status == 404:
            return _Attempt(Answer.miss(http_status=404), http_status=404)
        if status in (401, 403):
            reason = f"HTTP {status}: the API refused the credentials (check {KEY_ENV})"
            return _Attempt(Answer.error(reason, http_status=status), http_status=status)
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(headers.get("Retry-After") if headers is not None else None)
            return _Attempt(retry_reason=f"HTTP {status}", http_status=status, retry_after=retry_after)
        if 300 <= status < 400:
            reason = f"HTTP {status}: redirects are not followed (check {URL_ENV})"
            return _Attempt(Answer.error(reason, http_status=status), http_status=status)
        return _Attempt(Answer.error(f"HTTP {status}", http_status=status), http_status=status)

    def _parse(self, request_type: str, body: str) -> Answer:
        """A 200's body as a hit, or malformed (with the reason and the masked body) if it does not fit."""
        kept = self._mask(body)[:RAW_BODY_LIMIT]
        try:
            document = json.loads(body)
        except ValueError as error:
            return Answer.malformed(f"body is not JSON ({self._mask(str(error))})", kept, http_status=200)
        try:
            payload = PAYLOAD_PARSERS[request_type](document)
        except ShapeError as error:
            return Answer.malformed(f"unexpected JSON shape: {self._mask(str(error))}", kept, http_status=200)
        masked = {k: self._mask(v) if isinstance(v, str) else v for k, v in payload.items()}
        return Answer.hit(masked, http_status=200)
