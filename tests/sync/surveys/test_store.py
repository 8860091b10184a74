"""The store, on SQLite and PostgreSQL alike: insert-or-ignore, pending, flushed marks."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pytest
import sqlalchemy as sa

from sync.database import database_url
from sync.surveys.store import StoredResponse, SurveyStore


def response(response_id: str, source: str = "contoh", minute: int = 0, **mapped) -> StoredResponse:
    when = dt.datetime(2026, 3, 14, 9, minute, tzinfo=dt.UTC)
    return StoredResponse(response_id, "FORM", source, "webhook", when, when, "h" * 64,
                          {"response_id": response_id}, {"response_id": response_id, "u1": 3, **mapped})


@pytest.fixture
def survey_store(database_url):
    store = SurveyStore(database_url)
    store.create_schema()
    yield store
    store.dispose()


def test_insert_or_ignore_keeps_the_first_version(survey_store):
    assert survey_store.add(response("a", u1=4)) is True
    assert survey_store.add(response("a", u1=1)) is False
    assert survey_store.count() == 1
    stored = survey_store.get("a")
    assert stored.mapped["u1"] == 4 and stored.payload == {"response_id": "a"}
    assert stored.submitted_at == dt.datetime(2026, 3, 14, 9, 0)  # kept in UTC


def test_pending_and_flushed(survey_store):
    for i, source in enumerate(["contoh", "contoh", "lain"]):
        survey_store.add(response(f"r{i}", source, minute=10 - i))
    assert survey_store.pending_sources() == {"contoh": 2, "lain": 1}
    assert [r.response_id for r in survey_store.pending("contoh")] == ["r1", "r0"]  # oldest first
    survey_store.mark_flushed(["r0", "r1"], dt.datetime(2026, 3, 15))
    assert survey_store.pending_sources() == {"lain": 1}
    assert survey_store.get("r0").flushed_at == dt.datetime(2026, 3, 15)
    survey_store.mark_flushed(["r0"], dt.datetime(2026, 4, 1))  # the first mark stays
    assert survey_store.get("r0").flushed_at == dt.datetime(2026, 3, 15)


def test_same_content_finds_a_response_by_hash(survey_store):
    survey_store.add(response("a"))
    assert survey_store.same_content("FORM", "h" * 64) == [("a", dt.datetime(2026, 3, 14, 9, 0))]
    assert survey_store.same_content("FORM", "x" * 64) == []


def test_create_schema_twice_is_harmless(survey_store):
    survey_store.create_schema()
    assert survey_store.count() == 0


def _insert_all(url: str, ids: list[str]) -> int:
    store = SurveyStore(url)
    try:
        return sum(store.add(response(i)) for i in ids)
    finally:
        store.dispose()


def test_concurrent_processes_store_each_response_exactly_once(survey_store):
    """Four processes race to insert the same 60 ids: each id is inserted by exactly one of them."""
    ids = [f"r{i:03d}" for i in range(60)]
    url = survey_store.url
    survey_store.dispose()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(4, mp_context=context) as pool:
        inserted = list(pool.map(_insert_all, [url] * 4, [ids, ids[::-1], ids[30:] + ids[:30], ids]))
    assert sum(inserted) == 60
    assert sorted(survey_store.response_ids()) == ids


def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path):
    store = SurveyStore(f"sqlite:///{tmp_path / 's.db'}")
    store.create_schema()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


@pytest.mark.parametrize(("given", "expected"), [
    (None, "sqlite:///kinerja.db"),
    ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
    ("postgresql://u@h:5433/db", "postgresql+psycopg://u@h:5433/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
])
def test_database_urls(given, expected):
    assert database_url(given) == expected


def test_the_table_has_the_documented_columns(survey_store):
    columns = {c["name"] for c in sa.inspect(survey_store.engine).get_columns("survey_responses")}
    assert columns == {"response_id", "form_id", "source", "origin", "submitted_at", "received_at",
                       "content_hash", "payload", "mapped", "flushed_at"}


def test_group_commit_commits_every_item_once_and_batches_under_load():
    import threading
    import time

    from sync.surveys.group_commit import GroupCommit

    batches: list[list[int]] = []

    def commit(items):
        time.sleep(0.001)  # an fsync
        batches.append(list(items))
        return [i * 2 for i in items]

    group = GroupCommit(commit)
    results: dict[int, int] = {}

    def worker(base):
        for i in range(base, base + 100):
            results[i] = group.submit(i)

    threads = [threading.Thread(target=worker, args=(n * 1000,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    committed = [i for batch in batches for i in batch]
    assert sorted(committed) == sorted(results) and len(committed) == 1200
    assert all(results[i] == 2 * i for i in results)
    assert len(batches) < 600  # concurrent items shared commits


def test_group_commit_reports_a_failed_batch_to_each_of_its_callers():
    from sync.surveys.group_commit import GroupCommit

    def commit(items):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        GroupCommit(commit).submit(1)


def test_group_commit_hands_even_an_interrupt_to_every_waiter_and_goes_on():
    """A BaseException in the commit (e.g. the worker being stopped) must not leave later writes hanging."""
    from sync.surveys.group_commit import GroupCommit

    calls = []

    def commit(items):
        calls.append(items)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return items

    group = GroupCommit(commit)
    with pytest.raises(KeyboardInterrupt):
        group.submit(1)
    assert group.submit(2) == 2  # the next caller leads a new batch instead of waiting forever
