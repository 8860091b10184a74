"""The retrying gspread transport: what it retries, how long it waits, when it gives up."""

from __future__ import annotations

import random

import gspread
import pytest
import requests
import responses
from google.oauth2.credentials import Credentials

from sync.sources.gsheets.http import RetriesExhausted, RetryPolicy, retrying
from tests.fakes.gsheet_fixtures import FakeClock

URL = "https://sheets.googleapis.com/v4/spreadsheets/KEY"
OK = {"spreadsheetId": "KEY", "sheets": []}


def error(status: int) -> dict:
    return {"error": {"code": status, "message": "x", "status": "UNAVAILABLE"}}


@pytest.fixture
def clock():
    return FakeClock()


def client(clock: FakeClock, **policy) -> gspread.Client:
    rules = RetryPolicy(sleep=clock.sleep, clock=clock.time, random=random.Random(3).random, **policy)
    return gspread.Client(Credentials(token="dummy"), http_client=retrying(rules))


@responses.activate
@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_retries_busy_answers_then_succeeds(clock, status):
    responses.get(URL, status=status, json=error(status))
    responses.get(URL, status=status, json=error(status))
    responses.get(URL, json=OK)
    assert client(clock).http_client.fetch_sheet_metadata("KEY") == OK
    assert len(responses.calls) == 3
    assert len(clock.sleeps) == 2 and 0.5 <= clock.sleeps[0] <= 1 and 1 <= clock.sleeps[1] <= 2


@responses.activate
@pytest.mark.parametrize("status", [400, 403, 404])  # 401 is google-auth's to refresh
def test_real_answers_are_not_retried(clock, status):
    responses.get(URL, status=status, json=error(status))
    with pytest.raises(gspread.exceptions.APIError):
        client(clock).http_client.fetch_sheet_metadata("KEY")
    assert len(responses.calls) == 1 and clock.sleeps == []


@responses.activate
def test_retry_after_is_a_floor(clock):
    responses.get(URL, status=429, json=error(429), headers={"Retry-After": "7"})
    responses.get(URL, json=OK)
    client(clock).http_client.fetch_sheet_metadata("KEY")
    assert clock.sleeps == [7.0]


@responses.activate
def test_gives_up_after_the_allowed_tries(clock):
    responses.get(URL, status=503, json=error(503))
    with pytest.raises(RetriesExhausted) as caught:
        client(clock, tries=4).http_client.fetch_sheet_metadata("KEY")
    assert caught.value.attempts == 4 and caught.value.status == 503
    assert len(responses.calls) == 4 and len(clock.sleeps) == 3


@responses.activate
def test_gives_up_rather_than_wait_past_the_time_budget(clock):
    responses.get(URL, status=429, json=error(429), headers={"Retry-After": "120"})
    with pytest.raises(RetriesExhausted) as caught:
        client(clock, total_seconds=60).http_client.fetch_sheet_metadata("KEY")
    assert len(responses.calls) == 1 and clock.sleeps == []
    assert caught.value.wait_asked == 120


@responses.activate
def test_backoff_grows_and_stays_within_the_total_time(clock):
    responses.get(URL, status=500, json=error(500))
    with pytest.raises(RetriesExhausted):
        client(clock, tries=20, total_seconds=30, max_delay=8).http_client.fetch_sheet_metadata("KEY")
    assert clock.now <= 30
    assert all(w <= 8 for w in clock.sleeps)
    assert clock.sleeps[3] > clock.sleeps[0]


@responses.activate
def test_dropped_connections_are_retried(clock):
    responses.get(URL, body=requests.ConnectionError("reset by peer"))
    responses.get(URL, json=OK)
    assert client(clock).http_client.fetch_sheet_metadata("KEY") == OK
    assert len(clock.sleeps) == 1


def test_delay_is_jittered_between_half_and_all_of_the_backoff():
    policy = RetryPolicy(random=random.Random(0).random, first_delay=1, max_delay=32)
    waits = [policy.delay(retry) for retry in range(1, 8)]
    caps = [min(32, 2 ** (r - 1)) for r in range(1, 8)]
    assert all(cap / 2 <= w <= cap for w, cap in zip(waits, caps, strict=True))
    assert policy.delay(1, retry_after=30) == 30
