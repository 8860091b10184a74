"""Shared fixtures: small workbooks written the way a clerk would fill them."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import settings

from tests.fakes.gsheet_fixtures import EMAIL, FakeClock, discovery
from tests.helpers import write_workbook
from tests.pg_server import NoPostgres, fresh_database
from tests.pg_server import postgres_server as start_postgres

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def make_workbook(tmp_path):
    """`make_workbook(tabs, name="w.xlsx")` writes a workbook into the test's temp dir."""
    return lambda tabs, name="w.xlsx": write_workbook(tmp_path / name, tabs)


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` beside the project; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside the project")
    return SHARED


# CI runs the property tests on a fixed set of examples so a red build is reproducible;
# locally they explore new examples on every run.
settings.register_profile("default", max_examples=40)
settings.register_profile("ci", max_examples=40, derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
settings.register_profile("stress", max_examples=600)  # pytest --hypothesis-profile=stress


@pytest.fixture(scope="session")
def postgres_server():
    """URL of a throwaway PostgreSQL server for the session; skips where PostgreSQL is not installed."""
    try:
        with start_postgres() as url:
            yield url
    except NoPostgres as exc:
        pytest.skip(str(exc))


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the session's server, dropped after the test."""
    with fresh_database(postgres_server) as url:
        yield url


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    """Retries of every Google Sheets client opened in the test sleep on this clock."""
    from sync.sources.gsheets import http as sheets_http

    fake_clock = FakeClock()
    policy = sheets_http.RetryPolicy(sleep=fake_clock.sleep, clock=fake_clock.time,
                                     random=random.Random(7).random)
    monkeypatch.setattr(sheets_http, "DEFAULT_POLICY", policy)
    return fake_clock


@pytest.fixture
def fake(shared_dir, tmp_path, monkeypatch, clock):
    """The fake Sheets API, serving; GOOGLE_APPLICATION_CREDENTIALS names a key it accepts."""
    from tests.fakes.fake_sheets import FakeSheets, make_service_account

    api = FakeSheets(discovery(shared_dir))
    key_file = make_service_account(tmp_path / "service-account.json", EMAIL, api)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    with api.serving():
        yield api
