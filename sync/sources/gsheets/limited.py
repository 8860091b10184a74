"""gspread's HTTP client with a run's retries and its shared rate limiter (`rate_limit.limited`)."""

from __future__ import annotations

from typing import Any

import requests
from gspread.http_client import HTTPClient

from sync.sources.gsheets import http as sheets_http
from sync.sources.gsheets.rate_limit import RateLimiter


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
