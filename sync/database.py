"""The one place that opens Kinerja's database (KINERJA_DATABASE_URL), and says so when it cannot.

The run history, the claims and the survey store live in one database: a
SQLite file by default, PostgreSQL by URL. Each of them declares its tables on
`metadata` here, so `create_schema` creates every table the caller imported,
and no area imports another only to get a table.

Every message about a URL goes through `shown_url`, which hides a password
even in a URL SQLAlchemy cannot parse (a URL typed without its scheme is the
usual case: `kinerja:S3cret@host/db`), so cron logs never hold one.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re

import sqlalchemy as sa

from sync.config import DEFAULT_DATABASE_URL as DEFAULT_URL
from sync.errors import SyncError

BUSY_TIMEOUT_MS = 15_000
_SCHEMA_LOCK = 0x4B494E52  # PostgreSQL advisory lock taken while creating the tables
_HINT = "KINERJA_DATABASE_URL"

metadata = sa.MetaData()


class DatabaseUnavailable(SyncError):
    """The database cannot be opened: a wrong or malformed URL, a server that is down, a missing driver."""


def database_url(url: str | None) -> str:
    """The SQLAlchemy URL for KINERJA_DATABASE_URL: psycopg 3 for PostgreSQL, SQLite by default."""
    url = (url or DEFAULT_URL).strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def check_url(url: str | None, hint: str = _HINT) -> sa.URL:
    """The parsed URL, or DatabaseUnavailable with one sentence on what is wrong with it."""
    text = database_url(url)
    shown = shown_url(url)
    if "://" not in text:
        raise DatabaseUnavailable(
            f"Alamat basis data {shown} tidak memuat skema; tulis seperti "
            "postgresql://pengguna:sandi@host/nama atau sqlite:///kinerja.db. Periksa " + hint + ".")
    try:
        parsed = sa.make_url(text)
        parsed.port  # noqa: B018 - parsing the port is lazy; a port like ":54x" fails only here
    except (sa.exc.ArgumentError, ValueError):
        raise DatabaseUnavailable(f"Alamat basis data {shown} tidak dapat dibaca; tulis seperti "
                                  f"postgresql://pengguna:sandi@host:5432/nama. Periksa {hint}.") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseUnavailable(f"Basis data {backend!r} ({shown}) tidak didukung; pakai SQLite "
                                  f"(sqlite:///kinerja.db) atau PostgreSQL (postgresql://…). Periksa {hint}.")
    if backend == "postgresql" and importlib.util.find_spec("psycopg") is None:
        raise DatabaseUnavailable("PostgreSQL memerlukan pustaka psycopg yang belum terpasang; pasang dengan "
                                  "pip install 'kinerja[postgres]'.")
    return parsed


def make_engine(url: str | None, *, immediate: bool = True, synchronous: str | None = None,
                pool_size: int | None = None, hint: str = _HINT) -> sa.Engine:
    """An engine for the database, with the settings every user of it shares.

    SQLite: WAL and a busy timeout; with `immediate`, every transaction is
    `BEGIN IMMEDIATE`, so a transaction that reads then writes never fails
    half-way on a lock another process took in between (claims and history
    do exactly that). `synchronous` sets that pragma (the survey store asks
    for FULL). PostgreSQL: `pool_pre_ping`, and `pool_size` connections.
    """
    parsed = check_url(url, hint)
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        def on_connect(dbapi_connection, _record) -> None:
            if immediate:
                dbapi_connection.isolation_level = None  # we emit BEGIN IMMEDIATE ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            if synchronous:
                cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.close()

        sa.event.listen(engine, "connect", on_connect)
        if immediate:
            sa.event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    options = {"pool_pre_ping": True}
    if pool_size:
        options.update(pool_size=pool_size, max_overflow=pool_size)
    return sa.create_engine(parsed, **options)


def create_schema(engine: sa.Engine) -> None:
    """Create the tables declared so far if missing; safe when several workers start at once."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # two CREATE TABLEs racing would fail on the catalog
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        metadata.create_all(conn, checkfirst=True)


def open_engine(url: str | None, hint: str = _HINT) -> sa.Engine:
    """`make_engine` with the tables created; DatabaseUnavailable, naming `hint`, when it cannot be."""
    engine = make_engine(url, hint=hint)
    try:
        create_schema(engine)
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseUnavailable(database_problem(url, exc, hint)) from None
    return engine


def db_now(conn: sa.Connection) -> dt.datetime:
    """Now in naive UTC by the database's clock on PostgreSQL (one clock for every machine)."""
    if conn.dialect.name == "postgresql":
        return conn.execute(sa.text("SELECT now() AT TIME ZONE 'UTC'")).scalar_one()
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)  # SQLite: one machine, one clock


# user:password@ in any text that looks like a URL, with or without a scheme
_CREDENTIALS = re.compile(r"^(?P<head>(?:[\w+.-]+://)?[^:@/\s]*):(?P<password>[^@\s]*)@")


def shown_url(url: str | None) -> str:
    """The database URL as shown to people: its password replaced by ***, whatever its shape."""
    text = database_url(url)
    try:
        return sa.make_url(text).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return _CREDENTIALS.sub(lambda m: f"{m['head']}:***@", text)


def database_problem(url: str | None, exc: Exception, hint: str = _HINT) -> str:
    """One plain line about a database that cannot be opened or was lost."""
    if isinstance(exc, DatabaseUnavailable):
        return str(exc)
    reason = type(getattr(exc, "orig", None) or exc).__name__  # the driver's error, e.g. OperationalError
    return f"Basis data {shown_url(url)} tidak dapat dibuka ({reason}). Periksa {hint}."
