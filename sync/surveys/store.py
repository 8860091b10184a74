"""The durable survey store: one table, the same SQLAlchemy Core code on SQLite and PostgreSQL.

A survey is committed here before the webhook answers, and flushed to its
workbook later. Inserts are insert-or-ignore on `response_id` (ON CONFLICT DO
NOTHING on both dialects), so two workers or two processes receiving the same
response at once store it exactly once, without a read-then-write race.

SQLite runs in WAL mode, and `add` returns only once the WAL holding the row
is fsynced, so an acknowledged survey survives a power cut, not only a killed
process. Concurrent requests of a process share one transaction and one fsync
(group commit), and the fsync happens after the write lock is released
(`sqlite_writer`); other writes here use synchronous=FULL. WAL lets readers
(flush) run beside the writer. Writers of different processes queue on a file
lock next to the database: SQLite's own busy handler would make them poll with
sleeps of up to 100 ms, which is what the webhook's p99 budget cannot afford;
busy_timeout stays as the fallback for writers that do not take the lock (e.g.
the sqlite3 shell).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from sync import database
from sync.database import metadata
from sync.surveys.group_commit import GroupCommit, WriterLock
from sync.surveys.sqlite_writer import SqliteWriter

survey_responses = sa.Table(
    "survey_responses", metadata,
    sa.Column("response_id", sa.String(255), primary_key=True),
    sa.Column("form_id", sa.String(255), nullable=False),
    sa.Column("source", sa.String(255), nullable=False),
    sa.Column("origin", sa.String(16), nullable=False),  # "webhook" or "reconcile"
    sa.Column("submitted_at", sa.DateTime(), nullable=False),  # UTC
    sa.Column("received_at", sa.DateTime(), nullable=False),  # UTC
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("payload", sa.JSON(), nullable=False),  # as received
    sa.Column("mapped", sa.JSON(), nullable=False),  # the Survei row: unit, scores U1…U9, profile
    sa.Column("flushed_at", sa.DateTime(), nullable=True),  # UTC; NULL until in the workbook
    sa.Index("ix_survey_responses_pending", "source", "flushed_at"),
    sa.Index("ix_survey_responses_content", "form_id", "content_hash"),
)


@dataclass(frozen=True)
class StoredResponse:
    """One row of the store."""

    response_id: str
    form_id: str
    source: str
    origin: str
    submitted_at: dt.datetime
    received_at: dt.datetime
    content_hash: str
    payload: dict[str, Any]
    mapped: dict[str, Any]
    flushed_at: dt.datetime | None = None


class SurveyStore:
    """The `survey_responses` table behind one SQLAlchemy engine (one per process)."""

    def __init__(self, url: str | None = None, *, pool_size: int = 8):
        self.url = database.database_url(url)
        # Not BEGIN IMMEDIATE: inserts take the writer lock themselves (`sqlite_writer`); FULL because an
        # acknowledged citizen's answer must survive a power cut.
        self.engine = database.make_engine(self.url, immediate=False, synchronous="FULL",
                                           pool_size=pool_size)
        self.dialect = self.engine.dialect.name
        insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        # PostgreSQL's path (SQLite has its own, below). Built once and executed with parameters, so
        # SQLAlchemy compiles it once; RETURNING tells inserted from ignored.
        self._insert = (insert(survey_responses).on_conflict_do_nothing(index_elements=["response_id"])
                        .returning(survey_responses.c.response_id))
        self._group: GroupCommit[dict[str, Any], bool] = GroupCommit(self._insert_batch)
        path = self.engine.url.database if self.dialect == "sqlite" else None
        in_file = path and path != ":memory:"
        self._writer = WriterLock(path + ".lock") if in_file else nullcontext()
        # A memory database lives in one pooled connection, which the writer would take away.
        self._sqlite = (SqliteWriter(self.engine, survey_responses, "response_id", self._writer)
                        if in_file else None)

    def create_schema(self) -> None:
        """Create the table and indexes if missing (call once, before serving)."""
        database.create_schema(self.engine)

    def dispose(self) -> None:
        """Close every pooled connection (before a fork, and at the end)."""
        if self._sqlite is not None:
            self._sqlite.close()
        self.engine.dispose()

    def add(self, response: StoredResponse) -> bool:
        """Insert unless `response_id` is already stored; True when this call inserted it.

        Returns only after the row is committed. Concurrent calls in one process share a
        transaction (see `group_commit`).
        """
        return self._group.submit(_row(response))

    def _insert_batch(self, rows: list[dict[str, Any]]) -> list[bool]:
        """One multi-row insert-or-ignore; True for each row this batch inserted."""
        first: dict[str, int] = {}  # a retry may sit in the same batch as its original
        for i, row in enumerate(rows):
            first.setdefault(row["response_id"], i)
        unique = [rows[i] for i in first.values()]
        if self._sqlite is not None:
            inserted = self._sqlite.insert(unique)
        else:
            with self.engine.begin() as conn:
                inserted = set(conn.execute(self._insert, unique).scalars())
        return [first[row["response_id"]] == i and row["response_id"] in inserted
                for i, row in enumerate(rows)]

    def get(self, response_id: str) -> StoredResponse | None:
        """The stored response with this id, if any."""
        query = sa.select(survey_responses).where(survey_responses.c.response_id == response_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return StoredResponse(**row) if row else None

    def response_ids(self) -> list[str]:
        """Every stored response id (for checks and tests)."""
        with self.engine.connect() as conn:
            return list(conn.scalars(sa.select(survey_responses.c.response_id)))

    def count(self) -> int:
        """How many responses are stored."""
        with self.engine.connect() as conn:
            return conn.scalar(sa.select(sa.func.count()).select_from(survey_responses))

    def pending_sources(self) -> dict[str, int]:
        """Source name → number of responses not yet flushed to its workbook."""
        t = survey_responses
        query = sa.select(t.c.source, sa.func.count()).where(t.c.flushed_at.is_(None)).group_by(t.c.source)
        with self.engine.connect() as conn:
            return {source: count for source, count in conn.execute(query)}

    def pending(self, source: str) -> list[StoredResponse]:
        """Responses of `source` not yet flushed, oldest first."""
        t = survey_responses
        query = (sa.select(t).where(t.c.source == source, t.c.flushed_at.is_(None))
                 .order_by(t.c.submitted_at, t.c.response_id))
        with self.engine.connect() as conn:
            return [StoredResponse(**row) for row in conn.execute(query).mappings()]

    def mark_flushed(self, response_ids: Iterable[str], when: dt.datetime) -> None:
        """Record that these responses are in their workbook."""
        ids = list(response_ids)
        t = survey_responses
        with self._writer, self.engine.begin() as conn:
            for chunk in _chunks(ids, 500):  # SQLite limits bound parameters per statement
                conn.execute(t.update().where(t.c.response_id.in_(chunk), t.c.flushed_at.is_(None))
                             .values(flushed_at=when))

    def same_content(self, form_id: str, content_hash: str) -> list[tuple[str, dt.datetime]]:
        """(response_id, submitted_at) of stored responses of a form that say exactly this."""
        t = survey_responses
        query = (sa.select(t.c.response_id, t.c.submitted_at)
                 .where(t.c.form_id == form_id, t.c.content_hash == content_hash))
        with self.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]


def utc_now() -> dt.datetime:
    """Now in UTC, without tzinfo, as the store keeps times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _row(response: StoredResponse) -> dict[str, Any]:
    row = dict(response.__dict__)
    for key in ("submitted_at", "received_at", "flushed_at"):
        if row[key] is not None and row[key].tzinfo is not None:
            row[key] = row[key].astimezone(dt.UTC).replace(tzinfo=None)
    return row


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
