"""Inserting survey rows into SQLite with the write lock held as briefly as possible.

Every worker process of the webhook writes to one SQLite file, one writer at a
time, so how long a writer holds the lock bounds how many answers all workers
together can store per second. Two things used to stretch it:

- The GIL. The thread committing a batch shares its process with the threads
  parsing the next requests. Each time sqlite3 lets go of the GIL (every
  statement step, the commit, the file lock), getting it back can take a
  switch interval. So SQLAlchemy compiles the statement (cached per batch
  size) and converts the values before the lock is taken; under the lock runs
  one statement on one held connection: a multi-row INSERT … ON CONFLICT DO
  NOTHING RETURNING the keys it inserted, its own transaction (autocommit).
  SQLite before 3.35 has no RETURNING: there it is four statements, BEGIN
  IMMEDIATE, a SELECT of the keys already stored, the INSERT, COMMIT.
- The disk. With synchronous=FULL the commit waits for the WAL's fsync while
  holding the lock. Here the connection commits with synchronous=NORMAL (the
  WAL is written, not yet synced) and the WAL is fsynced right after the lock
  is released, before `insert` returns. A caller therefore still hears
  "stored" only once its row is on the disk, as with FULL, while the next
  writer already works; concurrent fsyncs of one file are merged by the
  kernel. If the journal is not WAL (a file system without shared memory),
  the connection keeps FULL and SQLite syncs as usual.

A failed fsync is different from a failed FULL commit: the row is already
committed (visible, so a retry would be told "already stored") but perhaps not
on the disk. So after one the writer refuses every later insert of this process
(`StoreUnsafe`) until it is restarted: nothing more is acknowledged on a disk
that lost a write, and the answers stay with their senders (the form's Apps
Script retries; `kinerja surveys reconcile` recovers from the response sheet).
"""

from __future__ import annotations

import functools
import os
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

# SQLite binds at most 32,766 parameters per statement (999 before 3.32).
MAX_PARAMETERS = 999
RETURNING = sqlite3.sqlite_version_info >= (3, 35, 0)  # INSERT … RETURNING


class StoreUnsafe(OSError):
    """The disk failed to sync a committed write: this process acknowledges nothing more."""


class SqliteWriter:
    """Insert-or-ignore rows of `table` (keyed by `key`) through one connection of `engine`."""

    def __init__(self, engine: sa.Engine, table: sa.Table, key: str, lock: AbstractContextManager):
        self.engine, self.table, self.key, self.lock = engine, table, key, lock
        dialect = engine.dialect
        self.columns = [c.name for c in table.columns]
        self.binders = [(c.name, c.type.dialect_impl(dialect).bind_processor(dialect)) for c in table.columns]
        self.rows_per_statement = MAX_PARAMETERS // len(self.columns)
        self.wal_path: str | None = None
        self._held: Any = None  # the pool's handle: kept, so the pool never lends the connection out
        self._pid = 0
        self._inherited: list[Any] = []  # a parent's handles after a fork: never used nor closed here
        self._sync_failure: OSError | None = None

    def insert(self, rows: Sequence[dict[str, Any]]) -> set[Any]:
        """Insert the rows whose key is not stored yet; the keys this call inserted.

        Keys must be distinct within `rows`. Returns once the rows are committed and synced.
        More rows than one statement binds go in several transactions (the webhook's batches,
        one row per waiting request thread, are far smaller).

        Raises:
            StoreUnsafe: a sync failed, now or before, in this process.
        """
        if self._sync_failure is not None:
            raise StoreUnsafe(f"an earlier sync of {self.wal_path} failed ({self._sync_failure}); "
                              "restart the server once the disk is checked") from self._sync_failure
        inserted: set[Any] = set()
        for start in range(0, len(rows), self.rows_per_statement):
            inserted |= self._insert_chunk(rows[start:start + self.rows_per_statement])
        return inserted

    def close(self) -> None:
        if self._held is not None and self._pid == os.getpid():
            self._held.close()
        self._held = None

    def _insert_chunk(self, rows: Sequence[dict[str, Any]]) -> set[Any]:
        keys = [row[self.key] for row in rows]
        values = []
        for row in rows:
            for name, process in self.binders:
                value = row.get(name)
                values.append(value if process is None else process(value))  # JSON's None is 'null'
        select_sql, insert_sql = _statements(self.table, self.key, len(rows), self.engine.dialect,
                                             RETURNING)
        with self.lock:
            conn = self._connection()
            try:
                if select_sql is None:  # one statement, its own transaction; RETURNING: the new keys
                    inserted = {found for (found,) in conn.execute(insert_sql, values).fetchall()}
                else:
                    conn.execute("BEGIN IMMEDIATE")
                    stored = {found for (found,) in conn.execute(select_sql, keys)}
                    conn.execute(insert_sql, values)
                    conn.execute("COMMIT")
                    inserted = set(keys) - stored
            except BaseException:
                self._discard(conn)  # the next batch starts on a fresh connection
                raise
        if self.wal_path is not None:
            try:
                fsync_path(self.wal_path)
            except OSError as exc:
                self._sync_failure = exc
                raise StoreUnsafe(f"syncing {self.wal_path} failed ({exc}); the rows of this batch are "
                                  "committed but maybe not on disk") from exc
        return inserted

    def _discard(self, conn) -> None:
        try:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            conn.close()
        except sqlite3.Error:
            pass  # it is being dropped anyway
        self._held = None

    def _connection(self):
        if self._held is not None and self._pid != os.getpid():
            # Forked: the parent's connections (ours and the pool's) must be neither used nor closed
            # here. Keep ours referenced (closing it on garbage collection would touch the parent's
            # locks) and give this process a pool of its own.
            self._inherited.append(self._held)
            self._held = None
            self.engine.dispose(close=False)
        if self._held is None:
            self._held = self.engine.raw_connection()
            self._held.detach()  # ours until close(): not returned to the pool
            conn = self._held.dbapi_connection
            conn.isolation_level = None  # transactions are begun and ended explicitly
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            path = conn.execute("PRAGMA database_list").fetchone()[2]  # "" for a memory database
            self.wal_path = None
            if mode == "wal" and path:
                conn.execute("PRAGMA synchronous=NORMAL")  # synced by insert(), after the lock
                self.wal_path = path + "-wal"
            self._pid = os.getpid()
        return self._held.dbapi_connection


def fsync_path(path: str) -> None:
    """Flush what was written to the file at `path` to the disk.

    Opened by name each time: SQLite deletes the WAL when its last connection
    closes (after copying it into the database and syncing that), and the next
    WAL is a new file, which a kept descriptor would miss.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:  # already checkpointed into the database, which SQLite synced
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@functools.lru_cache(maxsize=256)
def _statements(table: sa.Table, key: str, count: int, dialect: sa.Dialect,
                returning: bool) -> tuple[str | None, str]:
    """SQL (qmark parameters, in row-major column order) for `count` rows: the multi-row INSERT …
    ON CONFLICT DO NOTHING, with RETURNING the keys it inserted when `returning` (then no SELECT);
    otherwise also the SELECT of the keys already stored."""
    column = table.c[key]
    insert = sqlite.insert(table).values(
        [{c.name: sa.bindparam(f"r{i}c{j}") for j, c in enumerate(table.columns)} for i in range(count)]
    ).on_conflict_do_nothing(index_elements=[key])
    insert_sql = (insert.returning(column) if returning else insert).compile(dialect=dialect)
    expected = [f"r{i}c{j}" for i in range(count) for j in range(len(table.columns))]
    if list(insert_sql.positiontup) != expected:
        raise RuntimeError("unexpected parameter order in the compiled statements")
    if returning:
        return None, str(insert_sql)
    select_sql = sa.select(column).where(column.in_([sa.bindparam(f"k{i}") for i in range(count)])).compile(
        dialect=dialect)
    if list(select_sql.positiontup) != [f"k{i}" for i in range(count)]:
        raise RuntimeError("unexpected parameter order in the compiled statements")
    return str(select_sql), str(insert_sql)
