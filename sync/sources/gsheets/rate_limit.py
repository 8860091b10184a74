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

# gspread and requests are imported when a Sheets client is made (`limited`'s factory): a run of Excel
# sources only never needs them, and `kinerja run` imports this module before its first source.

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


def limited(limiter: RateLimiter, policy: Any = None) -> Callable[..., Any]:
    """The `http_client` argument for gspread (or `open_gsheet`) sharing `limiter`.

    The retry policy defaults to `sheets_http.DEFAULT_POLICY` as it is when a
    client is created (tests swap it for one with a fake clock).
    """

    def factory(auth: Any, session: Any = None) -> Any:
        from sync.sources.gsheets import http as sheets_http
        from sync.sources.gsheets.limited import LimitedHTTPClient

        return LimitedHTTPClient(auth, session, policy or sheets_http.DEFAULT_POLICY, limiter)

    return factory
