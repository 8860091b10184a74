"""Fixtures for `kinerja run`: a throwaway PostgreSQL, the store on both databases, the fake Sheets API."""

from __future__ import annotations

import pytest

from sync import database


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The history store on SQLite (a temp file) and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kinerja.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(db_url):
    """An engine on `db_url` with the history tables created."""
    engine = database.make_engine(db_url)
    database.create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _no_database_from_the_environment(monkeypatch):
    # The commands default to $KINERJA_DATABASE_URL; tests always pass --database.
    monkeypatch.delenv("KINERJA_DATABASE_URL", raising=False)
