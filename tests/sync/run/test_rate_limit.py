"""The run's shared Sheets quota: a thread-safe limiter under every gspread client of the run."""

from __future__ import annotations

import collections
import functools
import threading

import pytest

from sync.config import load_config
from sync.demo.build import demo_settings
from sync.run import history, runner
from sync.sources import open_source
from sync.sources.gsheets.rate_limit import RateLimiter, limited
from tests.fakes.gsheet_fixtures import FakeClock, workbook_rows
from tests.sync.run.helpers import agency_data, write_config


class FrozenClock:
    """A clock that never moves: sleeps are recorded, so every reservation is visible."""

    def __init__(self):
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def time(self) -> float:
        return 0.0

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)


def test_sixty_requests_pass_and_the_sixty_first_within_the_minute_waits():
    clock = FakeClock()
    limiter = RateLimiter(60, 60.0, clock=clock.time, sleep=clock.sleep)
    for _ in range(60):
        assert limiter.acquire() == 0
    clock.now = 20.0  # 20 s later, the 61st request is still within the first minute
    assert limiter.acquire() == pytest.approx(40.0)
    assert clock.sleeps == [pytest.approx(40.0)] and clock.now == pytest.approx(60.0)
    assert limiter.acquire() == 0  # the second token came back at 60 s too


def test_no_window_of_a_minute_ever_holds_more_than_the_quota():
    clock = FakeClock()
    limiter = RateLimiter(5, 60.0, clock=clock.time, sleep=clock.sleep)
    times = []
    for step in [0, 1, 1, 30, 0, 0, 29, 0, 0, 0, 45, 0, 0, 100, 0, 0, 0, 0, 0, 0, 0]:
        clock.now += step
        limiter.acquire()
        times.append(clock.now)
    for i, start in enumerate(times):
        assert sum(start <= t < start + 60 for t in times[i:]) <= 5


def test_threads_share_the_quota_without_losing_a_reservation():
    clock = FrozenClock()
    limiter = RateLimiter(60, 60.0, clock=clock.time, sleep=clock.sleep)
    start = threading.Barrier(8)

    def work():
        start.wait()
        for _ in range(30):
            limiter.acquire()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    slots = collections.Counter([0.0] * (240 - len(clock.sleeps)) + clock.sleeps)
    assert slots == {0.0: 60, 60.0: 60, 120.0: 60, 180.0: 60}
    assert limiter.acquired == 240 and limiter.waited == pytest.approx(60 * (60 + 120 + 180))


def test_every_sheet_of_a_run_takes_its_requests_from_one_limiter(tmp_path, fake, clock, engine):
    keys = ["1KinerjaQuotaSheetA_0123456789abcdefghijk", "1KinerjaQuotaSheetB_0123456789abcdefghijk"]
    for seed, key in enumerate(keys, start=71):
        fake.create(key, workbook_rows(agency_data(seed, 1, 3), demo_settings()))
    config = load_config(write_config(tmp_path, {f"s{i}": f"gsheet:{k}" for i, k in enumerate(keys)},
                                      output=None))
    limiter = RateLimiter(4, 60.0, clock=clock.time, sleep=clock.sleep)
    ctx = runner.start(config, engine, functools.partial(open_source, http_client=limited(limiter)))
    records = runner.run_sources(ctx)
    assert [r.outcome for r in records] == [history.OK, history.OK]
    assert limiter.acquired == fake.sheets_requests() == 6  # get, batchGet, batchUpdate per sheet
    assert clock.sleeps == [pytest.approx(60.0)]  # the 5th request waited a minute; the 6th came at once


def test_the_limiter_does_not_import_gspread_before_a_sheets_client_is_made():
    """`kinerja run` imports the limiter before its first source: a run of Excel sources only never
    needs gspread and requests (a tenth of a second of its start)."""
    import subprocess
    import sys

    code = ("import sys; from sync.sources.gsheets.rate_limit import RateLimiter, limited; "
            "factory = limited(RateLimiter(60)); "
            "print('gspread' in sys.modules, 'requests' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
