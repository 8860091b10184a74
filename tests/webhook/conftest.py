"""Webhook fixtures (flaskr style: app, client) and a throwaway PostgreSQL server.

The PostgreSQL server is started once per session with initdb/pg_ctl in a temporary
directory (as the `postgres` user when the tests run as root) and stopped at the end.
Tests that need it skip only when no PostgreSQL server binaries are installed.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.webhook.helpers import SECRET, free_port, write_agency_workbook, write_config
from webhook import create_app


def _postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


@pytest.fixture(scope="session")
def postgres_server():
    """URL of a PostgreSQL server (superuser `kinerja`, trust auth, loopback only) for this session."""
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (initdb/pg_ctl); apt-get install -y postgresql-15")
    datadir = Path(tempfile.mkdtemp(prefix="kinerja-pg-", dir="/tmp" if os.path.isdir("/tmp") else None))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        pwd.getpwnam("postgres")
        shutil.chown(datadir, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    run(str(bindir / "initdb"), "-D", str(datadir), "-U", "kinerja", "-A", "trust", "-E", "UTF8", "--no-sync")
    run(str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(datadir / "server.log"), "-w", "-t", "60",
        "-o", f"-p {port} -k {datadir} -h 127.0.0.1 -c max_connections=200", "start")
    try:
        yield f"postgresql+psycopg://kinerja@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "-w",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(datadir, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database on the session's server, dropped after the test."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    admin = postgres_server.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{postgres_server}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
