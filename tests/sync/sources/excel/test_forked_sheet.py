"""The biggest result tab's XML made in a forked child (issue 17) gives the very file the
parent alone gives, and falls back to the parent whenever the child's part could differ."""

import os
import sys
from datetime import date

import numpy as np
import pytest

from sync.outtabs import OutputColumn, OutputTab
from sync.sources.excel.package import _biggest, replace_sheets
from sync.sources.excel.worksheet import forked
from sync.table import ColumnTable
from tests.sync.xlsx_fixtures import clerk_workbook

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child is forked only on Linux")


def big_tab(rows: int = 3000, with_dates: bool = False) -> OutputTab:
    columns = [OutputColumn("NIP", width=22), OutputColumn("Indikator", width=30, wrap=True),
               OutputColumn("Capaian (%)", "percent", decimals=2)]
    values = [np.array([f"1987{k:014d}" for k in range(rows)], dtype=object),
              np.array([f"Indikator kinerja nomor {k % 7} yang cukup panjang" for k in range(rows)],
                       dtype=object),
              np.linspace(0, 120, rows)]
    if with_dates:
        columns.append(OutputColumn("Keterangan"))  # a date in a general column: its style comes on first use
        values.append(np.array([date(2026, 1 + k % 12, 1) for k in range(rows)], dtype=object))
    return OutputTab(name="Capaian IKI", columns=columns, rows=ColumnTable(values, rows),
                     highlight_rows=frozenset({1, 5}))


def small_tab() -> OutputTab:
    return OutputTab(name="Rekap Unit", columns=[OutputColumn("Unit"), OutputColumn("Nilai", "number")],
                     rows=[("Bagian Umum", 80.5), ("Sekretariat", 91.0)])


@pytest.fixture()
def forks(monkeypatch):
    """Every child started, counted; FORK_CELLS low enough for test-sized tabs."""
    started = []
    real = forked.Aside.__init__

    def counting(self, *args, **kwargs):
        started.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(forked, "FORK_CELLS", 1000)
    monkeypatch.setattr(forked.Aside, "__init__", counting)
    return started


SOURCE = clerk_workbook()  # once: its parts carry the time they were made


def written(tabs, monkeypatch, fork: bool) -> bytes:
    with monkeypatch.context() as patch:
        patch.setattr(forked, "can_fork", lambda: fork)
        return replace_sheets(SOURCE, tabs)


def test_a_part_made_in_a_child_is_the_parents_byte_for_byte(monkeypatch, forks):
    tabs = [small_tab(), big_tab(), small_tab().__class__(**{**small_tab().__dict__, "name": "IKM"})]
    alone = written(tabs, monkeypatch, fork=False)
    assert not forks
    beside = written(tabs, monkeypatch, fork=True)
    assert forks == [1]
    assert beside == alone


def test_a_child_that_adds_a_style_leaves_the_part_to_the_parent(monkeypatch, forks):
    """A date is written with a date style added on first use: the child's would be lost."""
    tabs = [big_tab(with_dates=True), small_tab()]
    made_here = []
    real = forked.Aside.result
    monkeypatch.setattr(forked.Aside, "result", lambda self: made_here.append(real(self)) or made_here[-1])
    beside = written(tabs, monkeypatch, fork=True)
    assert forks == [1] and made_here == [None]
    assert beside == written(tabs, monkeypatch, fork=False)  # all again in order: the same styles


def test_a_child_that_dies_leaves_the_part_to_the_parent(monkeypatch, forks):
    monkeypatch.setattr(forked, "_child", lambda make, styles, send: os._exit(3))
    tabs = [small_tab(), big_tab()]
    assert written(tabs, monkeypatch, fork=True) == written(tabs, monkeypatch, fork=False)
    assert forks == [1]


def test_only_a_big_tab_beside_another_is_worth_a_child(monkeypatch):
    monkeypatch.setattr(forked, "FORK_CELLS", 1000)
    assert _biggest([small_tab(), big_tab(rows=400), big_tab(rows=300)]) == 1
    assert _biggest([big_tab(rows=3000)]) is None  # nothing to make meanwhile
    assert _biggest([small_tab(), big_tab(rows=100)]) is None  # 300 cells


def test_no_fork_beside_another_thread(monkeypatch):
    import threading

    monkeypatch.setattr(sys, "platform", "linux")
    assert forked.can_fork() == (threading.active_count() == 1)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
    finally:
        stop.set()
        thread.join()
