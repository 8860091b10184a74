"""Fixtures for the Google Sheets tests: the fake API serving, a service account, no real sleeping."""

from __future__ import annotations

import random

import pytest

from sync.sources import sheets_http
from tests.sync.fake_sheets import FakeSheets, make_service_account
from tests.sync.gsheet_fixtures import EMAIL, FakeClock, discovery


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    """Retries of every Google Sheets client opened in the test sleep on this clock."""
    fake_clock = FakeClock()
    policy = sheets_http.RetryPolicy(sleep=fake_clock.sleep, clock=fake_clock.time,
                                     random=random.Random(7).random)
    monkeypatch.setattr(sheets_http, "DEFAULT_POLICY", policy)
    return fake_clock


@pytest.fixture
def fake(shared_dir, tmp_path, monkeypatch, clock):
    """The fake Sheets API, serving; GOOGLE_APPLICATION_CREDENTIALS names a key it accepts."""
    api = FakeSheets(discovery(shared_dir))
    key_file = make_service_account(tmp_path / "service-account.json", EMAIL, api)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    with api.serving():
        yield api
