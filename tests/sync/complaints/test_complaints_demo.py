"""The demo workbook's Pengaduan tab: several complaints, most handled, the supervisors' typing kept."""

from __future__ import annotations

import collections
import datetime as dt
import re

from python_calamine import CalamineWorkbook

from sync import pipeline
from sync.demo.sample import write_demo_workbook
from sync.sources.excel.source import ExcelSource

NOW = dt.datetime(2027, 1, 15, 9, 0)  # after the demo year: every deadline has passed


def test_the_demo_shows_complaints_handled_and_some_late(tmp_path):
    path = write_demo_workbook(tmp_path / "demo.xlsx")
    report = pipeline.score(ExcelSource(path), now=NOW)
    assert report.checked.errors == 0
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Pengaduan").to_python()
    complaints = rows[2:]
    assert len(complaints) >= 10
    statuses = collections.Counter(row[9] for row in complaints)
    assert statuses["Selesai"] > len(complaints) / 2 and statuses["Baru"] and statuses["Diproses"]
    open_ = sum(1 for row in complaints if row[9] != "Selesai")  # all past their deadline on NOW
    overdue = int(re.search(r"terlambat (\d+)", rows[0][0]).group(1))
    assert overdue >= open_ > 0  # (and the ones finished late)
    follow = [code for codes in report.results.results["follow_up"] for code in codes]
    assert any(code.startswith("complaints:") for code in follow)  # an officer with repeated complaints
