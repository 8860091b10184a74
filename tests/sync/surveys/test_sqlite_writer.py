"""The SQLite insert path: only new keys go in, committed and synced before it returns, lock held briefly."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3

import pytest
import sqlalchemy as sa

from sync.surveys import sqlite_writer
from sync.surveys.sqlite_writer import SqliteWriter, StoreUnsafe, fsync_path
from sync.surveys.store import SurveyStore, survey_responses

WHEN = dt.datetime(2026, 3, 14, 9, 21, 5)


def row(key: str, u1: int = 3) -> dict:
    return {"response_id": key, "form_id": "F", "source": "contoh", "origin": "webhook",
            "submitted_at": WHEN, "received_at": WHEN, "content_hash": "h" * 64,
            "payload": {"response_id": key, "saran": "Antrean cepat"}, "mapped": {"u1": u1},
            "flushed_at": None}


class RecordingLock:
    """A lock that notes whether it is held, for checking what happens inside and outside it."""

    def __init__(self):
        self.held = False
        self.entries = 0

    def __enter__(self):
        assert not self.held
        self.held, self.entries = True, self.entries + 1
        return self

    def __exit__(self, *exc):
        self.held = False


@pytest.fixture
def store(tmp_path):
    store = SurveyStore(f"sqlite:///{tmp_path / 'store.db'}")
    store.create_schema()
    yield store
    store.dispose()


def writer_of(store: SurveyStore, lock=None) -> SqliteWriter:
    return SqliteWriter(store.engine, survey_responses, "response_id", lock or RecordingLock())


def test_only_new_keys_are_inserted_and_the_first_version_stays(store):
    writer = writer_of(store)
    assert writer.insert([row("a", 1), row("b", 2)]) == {"a", "b"}
    assert writer.insert([row("b", 4), row("c", 3)]) == {"c"}
    kept = store.get("b")
    assert kept.mapped == {"u1": 2} and kept.submitted_at == WHEN
    assert kept.payload == {"response_id": "b", "saran": "Antrean cepat"}
    writer.close()


def test_without_returning_a_select_finds_the_stored_keys(store, monkeypatch):
    """SQLite before 3.35 has no INSERT … RETURNING: the same answers from BEGIN, SELECT, INSERT, COMMIT."""
    monkeypatch.setattr(sqlite_writer, "RETURNING", False)
    writer = writer_of(store)
    assert writer.insert([row("a", 1), row("b", 2)]) == {"a", "b"}
    assert writer.insert([row("b", 4), row("c", 3)]) == {"c"}
    assert store.get("b").mapped == {"u1": 2} and store.count() == 3
    writer.close()


def test_more_rows_than_one_statement_binds(store):
    writer = writer_of(store)
    rows = [row(f"r{i:04d}") for i in range(writer.rows_per_statement * 2 + 7)]
    assert writer.insert(rows[:10]) == {r["response_id"] for r in rows[:10]}
    assert writer.insert(rows) == {r["response_id"] for r in rows[10:]}
    assert store.count() == len(rows)
    writer.close()


def test_the_wal_is_synced_after_the_lock_and_before_returning(store, monkeypatch):
    lock = RecordingLock()
    writer = writer_of(store, lock)
    synced = []

    def spy(path):
        # the row is committed (another connection sees it) and the lock is free for the next writer
        with sqlite3.connect(store.engine.url.database) as other:
            seen = other.execute("SELECT count(*) FROM survey_responses").fetchone()[0]
        synced.append((path, lock.held, seen))
        fsync_path(path)

    monkeypatch.setattr(sqlite_writer, "fsync_path", spy)
    writer.insert([row("a"), row("b")])
    assert synced == [(store.engine.url.database + "-wal", False, 2)]
    conn = writer._connection()
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL: synced by insert() itself
    with store.engine.connect() as other:  # every other connection keeps FULL
        assert other.exec_driver_sql("PRAGMA synchronous").scalar() == 2
    writer.close()


def test_without_wal_sqlite_syncs_the_commit_itself(tmp_path, monkeypatch):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'plain.db'}")  # rollback journal, FULL
    survey_responses.metadata.create_all(engine)
    synced = []
    monkeypatch.setattr(sqlite_writer, "fsync_path", synced.append)
    writer = SqliteWriter(engine, survey_responses, "response_id", RecordingLock())
    assert writer.insert([row("a")]) == {"a"}
    assert synced == [] and writer.wal_path is None
    assert writer._connection().execute("PRAGMA synchronous").fetchone()[0] == 2
    writer.close()
    engine.dispose()


def test_a_failed_insert_rolls_back_and_the_writer_goes_on(store):
    lock = RecordingLock()
    writer = writer_of(store, lock)
    bad = row("b")
    bad["form_id"] = None  # NOT NULL
    with pytest.raises(sqlite3.IntegrityError):
        writer.insert([row("a"), bad])
    assert not lock.held and store.count() == 0  # nothing half-written
    assert writer._held is None  # dropped: the next batch opens a fresh connection
    assert writer.insert([row("a")]) == {"a"}
    writer.close()


def test_a_memory_database_keeps_the_engine_path():
    """A memory database is one pooled connection: taking it for the writer would hide the table."""
    store = SurveyStore("sqlite://")
    store.create_schema()
    assert store._sqlite is None
    assert store.add(_response("a")) is True and store.add(_response("a")) is False
    assert store.response_ids() == ["a"]
    store.dispose()


def _response(key: str):
    from sync.surveys.store import StoredResponse

    return StoredResponse(key, "F", "contoh", "webhook", WHEN, WHEN, "h" * 64, {}, {"u1": 1})


MARK = "CREATE TEMP TABLE made_by_parent (x)"  # a temp table lives in one connection only


def _marked(dbapi_connection) -> bool:
    found = "SELECT count(*) FROM sqlite_temp_master WHERE name = 'made_by_parent'"
    return dbapi_connection.execute(found).fetchone()[0] == 1


def _insert_in_child(writer: SqliteWriter, queue) -> None:
    inserted = sorted(writer.insert([row("child-1"), row("parent-1")]))
    with writer.engine.connect() as conn:  # the pool too hands out a connection of the child's own
        pooled = _marked(conn.connection.dbapi_connection)
    queue.put((inserted, _marked(writer._held.dbapi_connection), pooled))


def test_a_forked_child_uses_no_connection_of_its_parent(store):
    writer = writer_of(store, store._writer)
    writer.insert([row("parent-1")])  # the writer's connection is open when the child is forked
    writer._held.dbapi_connection.execute(MARK)
    first, second = store.engine.connect(), store.engine.connect()  # and two more sit in the pool
    for conn in (first, second):
        conn.connection.dbapi_connection.execute(MARK)
        conn.close()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_insert_in_child, args=(writer, queue))
    child.start()
    assert queue.get(timeout=30) == (["child-1"], False, False)
    child.join(30)
    assert child.exitcode == 0
    assert writer.insert([row("parent-2"), row("child-1")]) == {"parent-2"}  # the parent's still works
    assert sorted(store.response_ids()) == ["child-1", "parent-1", "parent-2"]
    writer.close()


def test_after_a_failed_sync_nothing_more_is_acknowledged(store, monkeypatch):
    writer = writer_of(store)
    writer.insert([row("a")])

    def broken_disk(path):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(sqlite_writer, "fsync_path", broken_disk)
    with pytest.raises(StoreUnsafe, match="maybe not on disk"):
        writer.insert([row("b")])
    monkeypatch.undo()  # even with the disk answering again, this process stays refused
    with pytest.raises(StoreUnsafe, match="restart the server"):
        writer.insert([row("c")])
    assert sorted(store.response_ids()) == ["a", "b"]  # "c" never reached the database
    writer.close()


def test_values_are_stored_exactly_as_the_engine_stores_them(store, tmp_path):
    """The writer converts values with SQLAlchemy's own processors: None JSON is 'null', None
    datetime is NULL, datetimes keep their microseconds."""
    values = row("w")
    values.update(payload=None, submitted_at=WHEN.replace(microsecond=123456))
    writer_of(store).insert([values])
    other = SurveyStore(f"sqlite:///{tmp_path / 'engine.db'}")
    other.create_schema()
    with other.engine.begin() as conn:
        conn.execute(survey_responses.insert(), [values])
    raw = []
    for path in (store.engine.url.database, other.engine.url.database):
        with sqlite3.connect(path) as conn:
            raw.append(conn.execute("SELECT * FROM survey_responses").fetchall())
    assert raw[0] == raw[1] and raw[0][0][7] == "null" and raw[0][0][9] is None
    other.dispose()


def test_fsync_path_of_a_missing_file_is_a_no_op(tmp_path):
    gone = tmp_path / "gone.db-wal"  # SQLite deleted the WAL after a checkpoint
    assert fsync_path(str(gone)) is None and not gone.exists()
