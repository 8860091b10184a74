"""One Sheets API quota for a whole `kinerja run`: a thread-safe limiter every gspread client shares.

Google allows 60 Sheets API requests per minute per user, and every source of a
run is opened with the same service account, so the quota belongs to the run,
not to a sheet. The limiter sits in the HTTP client (below the retries), so
each attempt, retries included, takes a token.

    limiter = RateLimiter(rate=60, per=60.0)
    source = open_gsheet(location, http_client=limited(limiter))
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
from gspread.http_client import HTTPClient

from sync.sources.gsheets import http as sheets_http

DEFAULT_RATE = 60  # Sheets API: read and write requests per minute per user
DEFAULT_PER = 60.0


class RateLimiter:
    """A token bucket of `rate` tokens in which a token comes back `per` seconds after it is spent.

    So no window of `per` seconds ever holds more than `rate` requests, however
    Google counts its minute (a classic bucket refilled continuously would let
    `rate` plus a burst through in the first minute). Callers are served in the
    order they ask: a caller reserves its slot under the lock and sleeps
    outside it, so one waiting thread never blocks the others' bookkeeping.

    Args:
        rate: requests allowed per window.
        per: the window, in seconds.
        clock: a monotonic clock in seconds (injected in tests).
        sleep: how to wait (injected in tests).
    """

    def __init__(self, rate: int = DEFAULT_RATE, per: float = DEFAULT_PER, *,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        if rate < 1 or per <= 0:
            raise ValueError("rate must be at least 1 and per positive")
        self.rate, self.per = rate, per
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._slots: collections.deque[float] = collections.deque(maxlen=rate)  # last `rate` reservations
        self.acquired = 0  # tokens taken, and seconds spent waiting for them: for reports
        self.waited = 0.0

    def acquire(self) -> float:
        """Take a token, waiting until one is free; the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = now if len(self._slots) < self.rate else max(now, self._slots[0] + self.per)
            self._slots.append(slot)  # maxlen drops the oldest reservation
            wait = slot - now
            self.acquired += 1
            self.waited += wait
        if wait > 0:
            self._sleep(wait)
        return wait


class _Limited(HTTPClient):
    """Takes a token before each request reaches the network (placed below the retry loop)."""

    limiter: RateLimiter | None = None

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        if self.limiter is not None:
            self.limiter.acquire()
        return super().request(*args, **kwargs)


class LimitedHTTPClient(sheets_http.RetryingHTTPClient, _Limited):
    """gspread's transport with the run's retries and its shared rate limiter.

    The method order puts `_Limited.request` between the retry loop and the
    network, so a retried request waits for a token like any other.
    """

    def __init__(self, auth: Any, session: requests.Session | None = None,
                 policy: sheets_http.RetryPolicy | None = None, limiter: RateLimiter | None = None):
        super().__init__(auth, session, policy)
        self.limiter = limiter


def limited(limiter: RateLimiter, policy: sheets_http.RetryPolicy | None = None) -> Callable[..., Any]:
    """The `http_client` argument for gspread (or `open_gsheet`) sharing `limiter`.

    The retry policy defaults to `sheets_http.DEFAULT_POLICY` as it is when a
    client is created (tests swap it for one with a fake clock).
    """

    def factory(auth: Any, session: requests.Session | None = None) -> LimitedHTTPClient:
        return LimitedHTTPClient(auth, session, policy or sheets_http.DEFAULT_POLICY, limiter)

    return factory
