"""gspread's transport with bounded, jittered retries for Google's "busy" answers.

Google Sheets allows 60 requests per minute per user and answers 429 beyond
that, and occasionally 500/502/503/504. Those are worth retrying; everything
else (400, 403, 404) is a real answer and is raised at once. Retries are bounded
both in count and in total time, so a run never hangs, and the sleep function
and clock are injected so tests never wait.

The model is gspread's `BackOffHTTPClient`, with what it lacks: a bound on total
time, jitter (so several agencies' scheduled runs do not retry in lockstep),
`Retry-After`, and a retry on dropped connections.
"""

from __future__ import annotations

import email.utils
import functools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from gspread.exceptions import APIError, GSpreadException
from gspread.http_client import HTTPClient

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    Attributes:
        tries: attempts in all, the first included.
        total_seconds: no retry starts whose wait would end after this many seconds.
        first_delay: the backoff before the first retry; it doubles on each retry.
        max_delay: the cap of one backoff (before `Retry-After` is honoured).
        statuses: HTTP statuses that are retried.
        sleep, clock, random: injected so tests run instantly and deterministically.
    """

    tries: int = 6
    total_seconds: float = 60.0
    first_delay: float = 1.0
    max_delay: float = 32.0
    statuses: frozenset[int] = RETRY_STATUSES
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    random: Callable[[], float] = field(default=random.random, repr=False)

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number `retry` (1 for the first).

        "Equal jitter": half the exponential backoff is fixed, half random, so a
        retry never comes at once yet clients that failed together spread out.
        A server's `Retry-After` is a floor, never shortened.
        """
        backoff = min(self.max_delay, self.first_delay * 2 ** (retry - 1))
        wait = backoff / 2 + self.random() * backoff / 2
        return max(wait, retry_after or 0.0)


DEFAULT_POLICY = RetryPolicy()


class RetriesExhausted(GSpreadException):
    """Every allowed attempt failed with a retryable answer (or no answer at all).

    Attributes:
        last: the last failure (an `APIError` or a `requests` exception).
        attempts: how many requests were sent.
        elapsed: seconds from the first attempt to giving up.
        status: the last HTTP status, or None when the connection failed.
        wait_asked: the `Retry-After` seconds that would have overrun the time budget, if any.
    """

    def __init__(self, last: Exception, attempts: int, elapsed: float, wait_asked: float | None = None):
        self.last = last
        self.attempts = attempts
        self.elapsed = elapsed
        self.wait_asked = wait_asked
        self.status = last.response.status_code if isinstance(last, APIError) else None
        super().__init__(f"gave up after {attempts} attempts in {elapsed:.1f} s: {last}")


class RetryingHTTPClient(HTTPClient):
    """A gspread `HTTPClient` that retries 429/5xx and dropped connections per a `RetryPolicy`.

    Give it to gspread with `gspread.Client(creds, http_client=retrying(policy))`.
    """

    def __init__(self, auth: Any, session: requests.Session | None = None,
                 policy: RetryPolicy | None = None) -> None:
        super().__init__(auth, session)
        self.policy = policy or DEFAULT_POLICY

    def request(self, *args: Any, **kwargs: Any) -> requests.Response:
        """Send one API request, retrying as the policy allows; raise `RetriesExhausted` when it won't."""
        policy = self.policy
        start = policy.clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                return super().request(*args, **kwargs)
            except APIError as err:
                if not _retryable(err, policy.statuses):
                    raise
                failure, retry_after = err, _retry_after(err.response)
            except (requests.ConnectionError, requests.Timeout) as err:
                failure, retry_after = err, None
            elapsed = policy.clock() - start
            if attempt >= policy.tries:
                raise RetriesExhausted(failure, attempt, elapsed) from failure
            wait = policy.delay(attempt, retry_after)
            if elapsed + wait > policy.total_seconds:
                asked = retry_after if retry_after and elapsed + retry_after > policy.total_seconds else None
                raise RetriesExhausted(failure, attempt, elapsed, asked) from failure
            policy.sleep(wait)


def retrying(policy: RetryPolicy | None = None) -> Callable[..., RetryingHTTPClient]:
    """The `http_client` argument for `gspread.Client` that retries per `policy`."""
    return functools.partial(RetryingHTTPClient, policy=policy)


def _retryable(err: APIError, statuses: frozenset[int]) -> bool:
    status = err.response.status_code
    if status in statuses:
        return True
    # Some Google APIs signal per-user rate limits as 403 rather than 429.
    details = err.error.get("errors") or [{}]
    return status == 403 and (err.error.get("status") == "RESOURCE_EXHAUSTED"
                              or details[0].get("domain") == "usageLimits")


def _retry_after(response: requests.Response) -> float | None:
    """The `Retry-After` header in seconds (it may be a number or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
