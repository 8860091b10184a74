"""Source claims and the once-per-pair rule, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from sync.claims import ClaimLost, SourceClaims, source_claims
from sync.config import load_config
from sync.run import history, runner
from sync.sources import open_source
from tests.sync.run.helpers import write_agency, write_config


def test_a_claimed_source_is_refused_to_others_until_released(engine):
    first, second = SourceClaims(engine, "host-a:1"), SourceClaims(engine, "host-b:2")
    claim = first.claim("dinkes")
    assert claim is not None
    assert second.claim("dinkes") is None
    assert first.claim("dinkes") is None  # a worker does not claim a source twice either
    assert second.holder("dinkes") == "host-a:1"
    assert second.claim("disdik") is not None  # other sources are free
    first.release(claim)
    assert second.holder("dinkes") is None
    assert second.claim("dinkes") is not None


def test_an_expired_claim_is_taken_over_and_its_old_holder_may_not_write(engine):
    stale = SourceClaims(engine, "dead:1", lease=dt.timedelta(seconds=-1))  # already expired
    old = stale.claim("dinkes")
    fresh = SourceClaims(engine, "live:2")
    new = fresh.claim("dinkes")
    assert new is not None and fresh.holder("dinkes") == "live:2"
    assert not stale.renew(old)
    with stale.kept_alive(old, every=60) as check, pytest.raises(ClaimLost, match="tidak lagi diklaim"):
        check()
    stale.release(old)  # releasing a claim taken over leaves the new holder's alone
    assert fresh.holder("dinkes") == "live:2"
    assert fresh.renew(new)


def test_a_held_claim_is_renewed_in_the_background(engine):
    claims = SourceClaims(engine, "w:1", lease=dt.timedelta(seconds=30))
    claim = claims.claim("dinkes")
    with engine.connect() as conn:
        first = conn.execute(source_claims.select()).mappings().one()["expires_at"]
    with claims.kept_alive(claim, every=0.05) as check:
        threading.Event().wait(0.3)
        check()
    with engine.connect() as conn:
        later = conn.execute(source_claims.select()).mappings().one()["expires_at"]
    assert later > first


@pytest.mark.parametrize("expired", [False, True], ids=["free", "expired"])
def test_many_workers_claiming_at_once_get_one_claim(engine, expired):
    if expired:
        SourceClaims(engine, "dead:0", lease=dt.timedelta(seconds=-1)).claim("dinkes")
    workers = [SourceClaims(engine, f"w:{i}") for i in range(8)]
    start = threading.Barrier(len(workers))
    got = []

    def race(claims: SourceClaims) -> None:
        start.wait()
        if claims.claim("dinkes") is not None:
            got.append(claims.worker)

    threads = [threading.Thread(target=race, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 1
    assert workers[0].holder("dinkes") == got[0]


@pytest.fixture
def one_source(tmp_path):
    write_agency(tmp_path / "dinkes.xlsx", seed=51, units=1, per_unit=3)
    return load_config(write_config(tmp_path, {"dinkes": "dinkes.xlsx"}, output=None))


def test_a_source_processed_by_another_worker_after_we_started_is_not_processed_again(engine, one_source):
    """The rule: skip a source whose processing run (by another worker) finished after we started."""
    source = one_source.sources[0]
    forced = runner.RunOptions(force=True)
    late = runner.start(one_source, engine, open_source, forced, worker="b:2")
    early = runner.start(one_source, engine, open_source, forced, worker="a:1")
    assert runner.run_source(early, source).outcome == history.OK
    skipped = runner.run_source(late, source)
    assert skipped.outcome == history.DONE and "a:1" in skipped.message
    after = runner.start(one_source, engine, open_source, forced, worker="c:3")
    assert runner.run_source(after, source).outcome == history.OK  # started after: may rerun


def test_a_source_claimed_by_a_live_worker_is_skipped_and_untouched(engine, one_source, tmp_path):
    source = one_source.sources[0]
    SourceClaims(engine, "other-host:99").claim(source.name)
    before = (tmp_path / "dinkes.xlsx").read_bytes()
    ctx = runner.start(one_source, engine, open_source, worker="me:1")
    record = runner.run_source(ctx, source)
    assert record.outcome == history.BUSY
    assert record.message == "sedang diproses oleh pekerja lain (other-host:99)"
    assert (tmp_path / "dinkes.xlsx").read_bytes() == before


def test_a_claim_lost_before_the_write_leaves_the_workbook_alone(engine, one_source, tmp_path):
    source = one_source.sources[0]
    before = (tmp_path / "dinkes.xlsx").read_bytes()
    ctx = runner.start(one_source, engine, open_source,
                       runner.RunOptions(lease=dt.timedelta(seconds=-1)), worker="slow:1")
    thief = SourceClaims(engine, "thief:2")
    opener = ctx.opener

    def open_and_lose(location):  # the lease runs out while we read: another worker takes it
        assert thief.claim(source.name) is not None
        return opener(location)

    ctx.opener = open_and_lose
    record = runner.run_source(ctx, source)
    assert record.outcome == history.FAILED and "tidak lagi diklaim" in record.message
    assert (tmp_path / "dinkes.xlsx").read_bytes() == before
    assert thief.holder(source.name) == "thief:2"


def test_a_claim_of_a_dead_process_on_this_host_is_taken_over_at_once(engine):
    import os
    import socket
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    pid = int(dead.stdout)  # exited: no process has this pid now (pids are not reused this soon)
    stale = SourceClaims(engine, f"{socket.gethostname()}:{pid}", lease=dt.timedelta(minutes=5))
    assert stale.claim("dinkes") is not None
    alive = SourceClaims(engine, f"{socket.gethostname()}:{os.getppid()}", lease=dt.timedelta(minutes=5))
    assert alive.claim("disdik") is not None
    other_host = SourceClaims(engine, f"mesin-lain:{pid}", lease=dt.timedelta(minutes=5))
    assert other_host.claim("dispar") is not None
    me = SourceClaims(engine, f"{socket.gethostname()}:{os.getpid()}")
    assert me.claim("dinkes") is not None  # the dead worker's claim: taken over
    assert me.claim("disdik") is None  # a live process on this host keeps its claim
    assert me.claim("dispar") is None  # another machine's worker: only its lease can tell
