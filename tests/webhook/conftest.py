"""Webhook fixtures (flaskr style: app, client) and a throwaway PostgreSQL server.

The PostgreSQL server is started once per session with initdb/pg_ctl in a temporary
directory (as the `postgres` user when the tests run as root) and stopped at the end.
Tests that need it skip only when no PostgreSQL server binaries are installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.webhook.helpers import SECRET, write_agency_workbook, write_config
from webhook import create_app


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The store on SQLite (a temp file) and on PostgreSQL: every store test runs on both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def workbook(tmp_path) -> Path:
    return write_agency_workbook(tmp_path / "contoh.xlsx")


@pytest.fixture
def config_path(tmp_path, workbook) -> Path:
    return write_config(tmp_path, workbook)


@pytest.fixture
def app(config_path, tmp_path):
    return create_app({"TESTING": True, "WEBHOOK_SECRET": SECRET, "KINERJA_CONFIG": str(config_path),
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(app):
    return app.extensions["kinerja"].store


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: starts a real server (a few seconds); -m 'not slow' skips it")
