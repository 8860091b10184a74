"""The Pengaduan tab through `score`: complaints appear, the supervisor's typing survives every rewrite."""

from __future__ import annotations

import datetime as dt

import openpyxl
from python_calamine import CalamineWorkbook

from sync import pipeline
from sync.sources import open_source
from sync.sources.excel.source import ExcelSource
from tests.fakes.gsheet_fixtures import KEY
from tests.helpers import write_workbook

NOW = dt.datetime(2026, 3, 20, 9, 0)
OFFICER = "198501012010011001"
SURVEI = [
    "ID Respons",
    "Waktu",
    "Unit Layanan",
    "Jenis Layanan",
    "NIP Petugas",
    "U1 Persyaratan",
    "U2 Prosedur",
    "U3 Waktu Penyelesaian",
    "U4 Biaya/Tarif",
    "U5 Produk Layanan",
    "U6 Kompetensi Pelaksana",
    "U7 Perilaku Pelaksana",
    "U8 Sarana dan Prasarana",
    "U9 Penanganan Pengaduan",
    "Jenis Kelamin",
    "Usia",
    "Pendidikan",
    "Pekerjaan",
    "Saran",
    "Sumber",
]


def _survey(rid: str, when: dt.datetime, answers: list[int], saran: str = "") -> list:
    return [
        rid,
        when,
        "Loket Pelayanan",
        "KTP-el",
        OFFICER,
        *answers,
        "P",
        30,
        "SMA",
        "Wiraswasta",
        saran,
        "Manual",
    ]


def _tabs(*surveys: list) -> dict[str, list[list]]:
    return {
        "Pengaturan": [["Kunci", "Nilai"], ["Nama Instansi", "Dinas Contoh"], ["Tahun Penilaian", 2026]],
        "Pegawai": [
            ["NIP", "Nama", "Jenis ASN", "Pangkat/Golongan", "Jabatan", "Unit Kerja", "NIP Atasan", "Aktif"],
            [OFFICER, "Ani", "PNS", "III/d", "Petugas Loket", "Loket Pelayanan", None, "Ya"],
        ],
        "Survei": [SURVEI, *surveys],
    }


GOOD = [4, 4, 4, 4, 4, 4, 4, 4, 4]
BAD = [1, 2, 1, 4, 4, 4, 1, 4, 4]


def _pengaduan(path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Pengaduan").to_python()


def test_a_paper_survey_with_a_1_becomes_a_complaint_and_the_supervisors_typing_survives(tmp_path):
    first = _survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD, "Antrian lama")  # a Friday
    path = write_workbook(tmp_path / "opd.xlsx", _tabs(first, _survey("R-0", dt.datetime(2026, 3, 2), GOOD)))
    pipeline.score(ExcelSource(path), now=NOW)
    rows = _pengaduan(path)
    assert rows[1][:3] == ["ID Respons", "Waktu", "Unit Layanan"]
    assert [r[0] for r in rows[2:]] == ["R-1"]  # the good answer is no complaint
    row = rows[2]
    assert row[5] == "Ani" and row[6] == "Persyaratan: 1; Waktu Penyelesaian: 1; Perilaku Pelaksana: 1"
    assert row[8] == dt.date(2026, 3, 20)  # 5 working days after a Friday: the next Friday
    assert row[9] == "Baru"

    # the supervisor works on it in Excel, then a second complaint arrives and the workbook is scored again
    book = openpyxl.load_workbook(path)
    sheet = book["Pengaduan"]
    sheet["J3"], sheet["K3"], sheet["L3"], sheet["M3"] = (
        "Selesai",
        "Petugas ditegur",
        dt.date(2026, 3, 17),
        "Kabid",
    )
    book["Survei"].append(_survey("R-2", dt.datetime(2026, 3, 18, 9, 0), [4, 4, 4, 4, 4, 4, 1, 4, 4]))
    book.save(path)
    pipeline.score(ExcelSource(path), now=NOW)
    rows = _pengaduan(path)
    assert [r[0] for r in rows[2:]] == ["R-2", "R-1"]  # newest first: the typed row moved down
    assert rows[2][9] == "Baru"
    assert rows[3][9:13] == ["Selesai", "Petugas ditegur", dt.date(2026, 3, 17), "Kabid"]
    assert rows[0][0].startswith("Pengaduan: Baru 1, Diproses 0, Selesai 1, terlambat 0")

    pipeline.score(ExcelSource(path), now=NOW)  # and once more: nothing changes
    assert _pengaduan(path)[2:] == rows[2:]


def test_a_finish_date_typed_in_the_wrong_century_is_reported_and_kept(tmp_path):
    """3026 for 2026 in Tanggal Selesai: a Peringatan at its cell, the complaint counted not finished,
    the supervisor's typing left as typed, and the agency still scored."""
    path = write_workbook(tmp_path / "opd.xlsx", _tabs(_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD)))
    pipeline.score(ExcelSource(path), now=NOW)
    book = openpyxl.load_workbook(path)
    sheet = book["Pengaduan"]
    sheet["J3"], sheet["K3"], sheet["L3"] = "Selesai", "Petugas ditegur", dt.date(3026, 3, 17)
    book.save(path)
    report = pipeline.score(ExcelSource(path), now=NOW)
    found = [(i.level, i.cell, i.problem) for i in report.checked.issues if i.tab == "Pengaduan"]
    assert found == [("warning", "L3", "Tanggal Selesai 3026-03-17 jatuh pada tahun yang belum tiba "
                                       "(hari ini 2026-03-20); tanggal ini diabaikan dan pengaduan ini "
                                       "dihitung belum selesai.")]
    assert _pengaduan(path)[2][9:12] == ["Selesai", "Petugas ditegur", dt.date(3026, 3, 17)]
    assert "Pengaduan" in report.written  # the agency is still scored and written


def test_the_same_on_google_sheets(fake):
    fake.create(KEY, _tabs(_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD)))
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    rows = fake.values(KEY, "Pengaduan")
    assert rows[2][0] == "R-1" and rows[2][9] == "Baru"
    typed = [row + [""] * (13 - len(row)) for row in fake.values(KEY, "Pengaduan")]
    typed[2][9:11] = ["Diproses", "Ditelpon"]  # the supervisor's typing
    first = _survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD)
    fake.create(KEY, {**_tabs(first, _survey("R-2", dt.datetime(2026, 3, 18), BAD)), "Pengaduan": typed})
    calls = fake.sheets_requests()
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    assert fake.sheets_requests() - calls <= 3
    rows = fake.values(KEY, "Pengaduan")
    assert [r[0] for r in rows[2:]] == ["R-2", "R-1"]
    assert rows[3][9:11] == ["Diproses", "Ditelpon"] and rows[2][9] == "Baru"
