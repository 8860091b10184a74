"""Fixtures for `kinerja run`: a throwaway PostgreSQL, the store on both databases, the fake Sheets API."""

from __future__ import annotations

import random

import pytest

from sync import history
from sync.sources import sheets_http
from tests.pg_server import NoPostgres, fresh_database, postgres_server
from tests.sync.fake_sheets import FakeSheets, make_service_account
from tests.sync.gsheet_fixtures import EMAIL, FakeClock, discovery


@pytest.fixture(scope="session")
def pg_server():
    """URL of a PostgreSQL server for this session; the test skips when PostgreSQL is not installed."""
    try:
        with postgres_server() as url:
            yield url
    except NoPostgres as exc:
        pytest.skip(str(exc))


@pytest.fixture
def pg_url(pg_server):
    """A fresh, empty PostgreSQL database, dropped after the test."""
    with fresh_database(pg_server) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The history store on SQLite (a temp file) and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kinerja.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url):
    """An engine on `db_url` with the history tables created."""
    engine = history.make_engine(db_url)
    history.create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    """Retries of every Google Sheets client opened in the test sleep on this clock."""
    fake_clock = FakeClock()
    policy = sheets_http.RetryPolicy(sleep=fake_clock.sleep, clock=fake_clock.time,
                                     random=random.Random(7).random)
    monkeypatch.setattr(sheets_http, "DEFAULT_POLICY", policy)
    return fake_clock


@pytest.fixture
def sheets(shared_dir, tmp_path, monkeypatch, clock):
    """The fake Sheets API, serving; GOOGLE_APPLICATION_CREDENTIALS names a key it accepts."""
    api = FakeSheets(discovery(shared_dir))
    key_file = make_service_account(tmp_path / "service-account.json", EMAIL, api)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key_file))
    with api.serving():
        yield api


@pytest.fixture(autouse=True)
def _no_database_from_the_environment(monkeypatch):
    # The commands default to $KINERJA_DATABASE_URL; tests always pass --database.
    monkeypatch.delenv("KINERJA_DATABASE_URL", raising=False)
