"""A client-side rate limiter, so the factory never asks a provider faster than its plan allows."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Spaces calls at least ``1 / rate`` seconds apart (a token bucket holding one token).

    ``clock`` (monotonic seconds) and ``sleep`` are injectable so tests can check the spacing
    without waiting. ``rate`` <= 0 disables the limit. Safe to share between threads.
    """

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next_allowed: float | None = None
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until the next call is allowed; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            if self._next_allowed is None or self._next_allowed <= now:
                self._next_allowed = now + self.interval
                return 0.0
            wait = self._next_allowed - now
            self._next_allowed += self.interval
        self._sleep(wait)
        return wait
