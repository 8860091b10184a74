"""Validation of Kehadiran, Tabel TPP and the TPP keys of Pengaturan (issue 15): one message per
planted mistake, at its cell, in Indonesian, saying what is wrong and how to fix it."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib

import pytest

from sheet_templates import results as R
from sync import pipeline
from sync.check.attendance import office_hours, parse_clock, tpp_settings
from sync.check.checking import check_workbook
from sync.sources.excel.source import ExcelSource
from tests.sync.test_pay import ANI, BUDI, DEDI, KEHADIRAN, attendance_row, by_name, read, tabs

NOW = dt.datetime(2026, 3, 2, 8, 0)
OTHER = "199001012015011009"  # in nobody's Pegawai


def test_docstring_examples():
    module = importlib.import_module("sync.check.attendance")
    assert doctest.testmod(module).failed == 0


def issues(make_workbook, workbook):
    checked = check_workbook(ExcelSource(make_workbook(workbook)).read())
    return checked, {(i.tab, i.cell): i for i in checked.issues}


def with_attendance(*rows, **settings):
    workbook = tabs(**settings)
    workbook["Kehadiran"] = [KEHADIRAN, *rows]
    return workbook


def test_bad_kehadiran_cells_each_get_one_galat_at_their_cell(make_workbook):
    workbook = with_attendance(
        attendance_row("2026-01", ANI, 21, tl1=-1),                   # row 2: a count below 0
        attendance_row("2026-01", BUDI, 21, tl2="dua"),               # row 3: not a number
        attendance_row("2026-01", DEDI, 40),                          # row 4: Hari Kerja above 31
        attendance_row("2026-02", ANI, 21, tk=25),                    # row 5: more days than work days
        attendance_row("2026-02", BUDI, 21, sakit=10, cuti=15),       # row 6: the days together
        attendance_row("2026-02", DEDI, 21, tl1=20, tl2=5, tl3=1),    # row 7: late more than work days
        attendance_row("2026-01", OTHER, 21),                         # row 8: NIP not in Pegawai
        attendance_row("2026-01", ANI, 21),                           # row 9: Ani's January again
        attendance_row("2025-12", BUDI, 21),                          # row 10: outside Tahun Penilaian
        attendance_row("2026-03", BUDI, 22, tl1=1.5),                 # row 11: a count is whole
    )
    checked, found = issues(make_workbook, workbook)
    kehadiran = {cell: i for (tab, cell), i in found.items() if tab == "Kehadiran"}
    assert set(kehadiran) == {"D2", "E3", "C4", "L5", "C6", "D7", "B8", "A9", "A10", "D11"}
    assert all(i.level == "error" for i in kehadiran.values())
    assert kehadiran["D2"].problem == "TL1 harus paling sedikit 0."
    assert kehadiran["C4"].problem == "Hari Kerja paling banyak 31."
    over = kehadiran["L5"]
    assert over.problem.startswith("Tanpa Keterangan 25 hari melebihi Hari Kerja (21)")
    assert "TPP Disiplin bulan itu tidak dihitung" in over.problem and "Perbaiki" in over.fix
    assert kehadiran["C6"].problem.startswith(
        "Tanpa Keterangan, Izin, Sakit, Cuti dan Dinas Luar berjumlah 25 hari, melebihi Hari Kerja (21)")
    assert kehadiran["D7"].problem.startswith("TL1–TL4 berjumlah 26 kejadian, lebih dari Hari Kerja (21)")
    assert kehadiran["B8"].problem == f"NIP '{OTHER}' tidak ada di tab Pegawai."
    assert "sudah dipakai di baris 2" in kehadiran["A9"].problem
    assert "di luar Tahun Penilaian 2026" in kehadiran["A10"].problem
    assert "bilangan bulat" in kehadiran["D11"].problem
    assert checked.frames["attendance"].empty  # every row was left out


def test_a_rejected_kehadiran_row_leaves_that_month_without_tpp_disiplin(make_workbook, tmp_path):
    workbook = tabs()
    workbook["Kehadiran"][7] = attendance_row("2026-02", BUDI, 19, tk=25)  # Budi's February
    path = make_workbook(workbook)
    report = pipeline.score(ExcelSource(path), now=NOW)
    assert report.checked.errors == 1
    budi = by_name(read(path)["TPP"])[("2026-02", "Budi")]
    assert budi["TPP Disiplin (Rp)"] is None
    assert budi["Status"] == f"{R.STATUS_INCOMPLETE}: kehadiran ditolak, lihat tab Validasi"


def test_tabel_tpp_needs_one_positive_amount_per_class(make_workbook):
    workbook = tabs()
    workbook["Tabel TPP"] += [[9, 6_000_000], [18, 100], [3, 0]]
    _, found = issues(make_workbook, workbook)
    table = {cell: i for (tab, cell), i in found.items() if tab == "Tabel TPP"}
    assert set(table) == {"A6", "A7", "B8"}
    assert "sudah dipakai di baris 3" in table["A6"].problem
    assert table["A7"].problem == "Kelas Jabatan paling banyak 17."
    assert table["B8"].problem == "Besaran TPP (Rp) harus lebih dari 0."


def test_a_class_missing_from_the_table_is_a_peringatan_on_the_employee(make_workbook):
    workbook = tabs()
    workbook["Pegawai"][4][8] = 6  # Dedi: kelas 6 is not in Tabel TPP
    _, found = issues(make_workbook, workbook)
    dedi = found[("Pegawai", "I5")]
    assert dedi.level == "warning"
    assert dedi.problem.startswith("Kelas Jabatan 6 tidak ada di tab Tabel TPP")
    assert "Besaran TPP (Rp)" in dedi.fix


def test_unusable_tpp_settings_fall_back_to_their_defaults(make_workbook):
    workbook = tabs(**{"Porsi TPP Kinerja (%)": 70, "Jam Masuk": "tujuh pagi", "Potongan TL1 (%)": 120,
                       "Dasar TPP Kinerja": "Kinerja"})
    checked, found = issues(make_workbook, workbook)
    problems = [i.problem for i in checked.issues if i.tab == "Pengaturan"]
    assert any(p.startswith("Porsi TPP Kinerja (%) dan Porsi TPP Disiplin (%) berjumlah 110, bukan 100")
               for p in problems)
    assert any(p.startswith("Jam Masuk 'tujuh pagi' bukan jam") for p in problems)
    assert any(p.startswith("Pengaturan 'Potongan TL1 (%)'") for p in problems)
    assert any("Dasar TPP Kinerja" in p for p in problems)
    assert all(i.level == "warning" for i in checked.issues if i.tab == "Pengaturan")
    settings = tpp_settings(checked.settings)
    assert (settings.performance_share, settings.discipline_share) == (60, 40)
    assert float(settings.rate_tl1) == 0.5 and settings.performance_basis == "capaian"
    assert office_hours(checked.settings) == (dt.time(7, 30), dt.time(16, 0))


def test_tpp_keys_are_read_into_tpp_settings(make_workbook):
    workbook = tabs(**{"Porsi TPP Kinerja (%)": 70, "Porsi TPP Disiplin (%)": 30,
                       "Potongan Tanpa Keterangan per Hari (%)": "2,5", "Potongan Dihitung dari": "Total TPP",
                       "TPP Kinerja Butuh Perbaikan (%)": 75, "Batas Potongan Disiplin (%)": 50,
                       "Jam Masuk": "08.00", "Jam Pulang": dt.time(16, 30)})
    checked, _ = issues(make_workbook, workbook)
    assert not [i for i in checked.issues if i.tab == "Pengaturan"]
    settings = tpp_settings(checked.settings)
    assert (settings.performance_share, settings.discipline_share) == (70, 30)
    assert settings.rates["absent_no_reason"] == 2.5 and settings.deduction_base == "total"
    assert settings.predikat_pct["needs_improvement"] == 75 and settings.deduction_cap == 50
    assert office_hours(checked.settings) == (dt.time(8, 0), dt.time(16, 30))


@pytest.mark.parametrize("typed, expected", [
    ("07:30", dt.time(7, 30)), ("7.30", dt.time(7, 30)), ("07:30:00", dt.time(7, 30)),
    (0.3125, dt.time(7, 30)), ("0,6666666667", dt.time(16, 0)), (dt.datetime(1899, 12, 30, 16), dt.time(16)),
])
def test_office_hours_are_read_as_typed(typed, expected):
    assert parse_clock(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "7", "tujuh", "07:75", -0.5])
def test_a_time_that_is_not_one_is_refused(typed):
    with pytest.raises(ValueError):
        parse_clock(typed)
