"""A throwaway PostgreSQL server for tests (importable as tests.pg_server).

    with postgres_server() as url:            # postgresql+psycopg://kinerja@127.0.0.1:PORT
        with fresh_database(url) as db_url:   # .../t_<random>, dropped afterwards
            ...

The server is made with initdb/pg_ctl in a temporary directory, as the
`postgres` user when the tests run as root (PostgreSQL refuses root), trust
authentication on loopback only, and stopped and deleted on exit.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path


class NoPostgres(RuntimeError):
    """No PostgreSQL server binaries (initdb, pg_ctl) on this machine."""


def postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def postgres_server(max_connections: int = 200) -> Iterator[str]:
    """Start a server; yield its SQLAlchemy URL (superuser `kinerja`, no database part).

    Raises:
        NoPostgres: the server binaries are not installed.
    """
    bindir = postgres_bin()
    if bindir is None:
        raise NoPostgres("no PostgreSQL server binaries (initdb/pg_ctl); apt-get install -y postgresql-15")
    datadir = Path(tempfile.mkdtemp(prefix="kinerja-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        pwd.getpwnam("postgres")
        shutil.chown(datadir, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    try:
        run(str(bindir / "initdb"), "-D", str(datadir), "-U", "kinerja", "-A", "trust", "-E", "UTF8",
            "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(datadir / "server.log"), "-w", "-t", "60",
            "-o", f"-p {port} -k {datadir} -h 127.0.0.1 -c max_connections={max_connections} -c fsync=off",
            "start")
        yield f"postgresql+psycopg://kinerja@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "-w",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(datadir, ignore_errors=True)


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new empty database on the server; its URL; dropped (connections closed) afterwards."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    admin = server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
