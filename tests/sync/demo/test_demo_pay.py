"""The demo's pay side (issue 15): Tabel TPP, Kehadiran every month, kelas and jenjang, and the tabs
they fill are believable and the same for the same seed."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from sheet_templates import results as R
from sync import pipeline
from sync.demo.build import demo_data
from sync.demo.pay import TPP_TABLE, work_days
from sync.demo.sample import write_demo_workbook
from sync.sources.excel.source import ExcelSource

SMALL = {"units": 2, "employees_per_unit": 6, "months": 3, "surveys": 40}


def test_the_same_seed_gives_the_same_pay_tabs():
    first, second = demo_data(seed=5, **SMALL), demo_data(seed=5, **SMALL)
    for name in ("employees", "tpp_table", "attendance"):
        pd.testing.assert_frame_equal(first[name], second[name])
    assert not demo_data(seed=6, **SMALL)["attendance"].equals(first["attendance"])


def test_adding_the_pay_tabs_moved_no_other_tab():
    # Each generator draws from its own child stream; the eighth (attendance) is new and the first
    # seven are the ones the demo always had, so every other tab is what it was.
    old = [np.random.default_rng(s).random(3) for s in np.random.SeedSequence(2026).spawn(7)]
    new = [np.random.default_rng(s).random(3) for s in np.random.SeedSequence(2026).spawn(8)[:7]]
    assert all((a == b).all() for a, b in zip(old, new, strict=True))
    tabs = demo_data(seed=2026, **SMALL)
    assert list(tabs["employees"].columns[-3:]) == ["job_class", "tpp_amount", "functional_grade"]


def test_kehadiran_has_every_employee_every_month_within_its_work_days():
    tabs = demo_data(seed=2026, **SMALL)
    attendance = tabs["attendance"]
    assert len(attendance) == len(tabs["employees"]) * SMALL["months"]
    assert set(attendance["month"]) == {"2026-01", "2026-02", "2026-03"}
    days = attendance[["absent_no_reason", "leave_permit", "sick", "leave", "official_travel"]].sum(axis=1)
    assert (days <= attendance["work_days"]).all()
    late = attendance[["tl1", "tl2", "tl3", "tl4"]].sum(axis=1)
    assert (late <= attendance["work_days"]).all() and late.sum() > 0
    assert list(work_days(2026, 3)) == [20, 19, 19]  # January 1 and 16, February 17, March 19, 20, 23 off
    assert dict(TPP_TABLE)[15] == 17_311_827  # Kota Lubuklinggau, kelas 15


@pytest.fixture(scope="module")
def scored_demo(tmp_path_factory):
    path = write_demo_workbook(tmp_path_factory.mktemp("demo") / "demo.xlsx", **SMALL)
    report = pipeline.score(ExcelSource(path), now=dt.datetime(2026, 4, 2))
    book = CalamineWorkbook.from_path(str(path))
    return report, {name: book.get_sheet_by_name(name).to_python() for name in ("TPP", "Angka Kredit")}


def test_the_demo_fills_tpp_for_everyone_every_month(scored_demo):
    report, tabs = scored_demo
    assert report.checked.errors == 0
    head, *rows = tabs["TPP"]
    records = [dict(zip(head, row, strict=True)) for row in rows]
    assert len(records) == 12 * 3
    assert all(r["Status"] == R.STATUS_COMPLETE for r in records)
    for r in records:
        assert r["TPP Kinerja (Rp)"] + r["TPP Disiplin (Rp)"] == r["TPP Diterima (Rp)"]
        assert 0.4 * r["Besaran TPP (Rp)"] < r["TPP Diterima (Rp)"] <= r["Besaran TPP (Rp)"]
    assert {r["Kelas Jabatan"] for r in records} <= {15, 12, 9, 7, 5}
    assert any(r["Besaran TPP (Rp)"] == 4_500_000 for r in records)  # the treasurer's own amount
    assert any(r["Rincian Potongan"] != R.TPP_NO_DEDUCTION for r in records)


def test_the_demo_has_functional_positions_earning_angka_kredit(scored_demo):
    _, tabs = scored_demo
    head, *rows = tabs["Angka Kredit"]
    records = [dict(zip(head, row, strict=True)) for row in rows]
    assert records and {r["Periode"] for r in records} == {"2026-01", "2026-02", "2026-03"}
    for r in records:
        if r["Predikat Kinerja"]:
            expected = round(r["Persentase"] / 100 * r["Koefisien"] / 12, 3)
            assert r["Angka Kredit Periode"] == pytest.approx(expected, abs=0.0011)
