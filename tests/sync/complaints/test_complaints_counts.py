"""Complaints in the evaluation: Hasil per officer, Rekap Unit per unit and agency, counted by hand.

The workbook (monthly, 2026, scored on Friday 2026-03-20; deadlines are 5
working days after the complaint's day):

| ID  | when        | unit             | officer | deadline | supervisor                | counts as          |
|-----|-------------|------------------|---------|----------|---------------------------|--------------------|
| R-1 | Mon 03-02   | Loket Pelayanan  | A       | 03-09    | Selesai 03-05 (3 days)    | done on time       |
| R-2 | Tue 03-03   | LOKET  pelayanan | A       | 03-10    | Selesai 03-12 (9 days)    | done late: overdue |
| R-3 | Wed 03-04   | Loket Pelayanan  | A       | 03-11    | (Baru)                    | open, overdue      |
| R-4 | Wed 03-18   | Loket Pelayanan  | B       | 03-25    | Diproses                  | open               |
| R-5 | Tue 03-10   | Loket Pelayanan  | A       |          | answers of 4              | no complaint       |
| R-6 | Mon 03-16   | Loket Pelayanan  | (none)  | 03-23    | Diproses                  | open               |
| R-7 | Tue 02-10   | Loket Pelayanan  | B       | 02-17    | Selesai 02-11 (1 day)     | done on time       |
| R-8 | Thu 03-19   | Pojok Pengaduan  | (none)  | 03-26    | (Baru)                    | open (agency only) |

March: A 3 complaints, 2 overdue, so Pembinaan Pelayanan (3 is the repeat
threshold); B 1, 0. Loket Pelayanan: 5 complaints, 3 open (R-3, R-4, R-6),
2 overdue (R-2, R-3), median days to Selesai of 3 and 9 = 6. The agency adds
R-8: 6, 4, 2, 6. Sekretariat is no service unit: no figures. February: B 1,
0; Loket 1, 0, 0, median 1.
"""

from __future__ import annotations

import datetime as dt

import pytest
from python_calamine import CalamineWorkbook

from sync import pipeline
from sync.sources.excel.source import ExcelSource
from tests.helpers import write_workbook
from tests.sync.complaints.test_complaints_pipeline import BAD, GOOD, SURVEI

NOW = dt.datetime(2026, 3, 20, 9, 0)
A, B, C = "198501012010011001", "198602022011012002", "197003032000031003"
LOKET = "Loket Pelayanan"
SUPERVISOR = ["ID Respons", "Status", "Tindakan", "Tanggal Selesai", "Ditangani Oleh"]


def survey(rid, when, unit, officer, answers):
    return [rid, when, unit, "KTP-el", officer, *answers, "P", 30, "SMA", "Wiraswasta", "", "Manual"]


def tabs() -> dict[str, list[list]]:
    return {
        "Pengaturan": [["Kunci", "Nilai"], ["Nama Instansi", "Dinas Contoh"], ["Tahun Penilaian", 2026]],
        "Pegawai": [
            ["NIP", "Nama", "Jenis ASN", "Pangkat/Golongan", "Jabatan", "Unit Kerja", "NIP Atasan", "Aktif"],
            [A, "Ani", "PNS", "III/b", "Petugas Loket", LOKET, C, "Ya"],
            [B, "Budi", "PNS", "III/a", "Petugas Loket", LOKET, C, "Ya"],
            [C, "Citra", "PNS", "IV/a", "Sekretaris", "Sekretariat", None, "Ya"],
        ],
        "SKP": [
            ["Kode IKI", "NIP", "Jenis RHK", "RHK Atasan yang Diintervensi", "Rencana Hasil Kerja", "Aspek",
             "Indikator Kinerja Individu", "Satuan", "Target", "Target Maksimum", "Arah", "Cara Agregasi",
             "Bobot (%)"],
            ["A-1", A, "Utama", None, "Pelayanan KTP", "Kuantitas", "KTP selesai", "dokumen", 1200, None,
             "Naik", "Jumlah", None],
        ],
        "Realisasi": [["Kode IKI", "Periode", "Realisasi"], ["A-1", "2026-02", 100], ["A-1", "2026-03", 100]],
        "Perilaku": [["Periode", "NIP Dinilai", "NIP Penilai", "Peran Penilai", "Berorientasi Pelayanan",
                      "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"]],
        "Unit Layanan": [["Unit Layanan", "Periode", "Jumlah Penerima Layanan"],
                         ["Pojok Pengaduan", "2026-03", 50]],
        "Survei": [SURVEI,
                   survey("R-1", dt.datetime(2026, 3, 2, 9), LOKET, A, BAD),
                   survey("R-2", dt.datetime(2026, 3, 3, 9), "LOKET  pelayanan", A, BAD),
                   survey("R-3", dt.datetime(2026, 3, 4, 9), LOKET, A, BAD),
                   survey("R-4", dt.datetime(2026, 3, 18, 9), LOKET, B, BAD),
                   survey("R-5", dt.datetime(2026, 3, 10, 9), LOKET, A, GOOD),
                   survey("R-6", dt.datetime(2026, 3, 16, 9), LOKET, None, BAD),
                   survey("R-7", dt.datetime(2026, 2, 10, 9), LOKET, B, BAD),
                   survey("R-8", dt.datetime(2026, 3, 19, 9), "Pojok Pengaduan", None, BAD)],
        # The supervisor's typing (a tab as a clerk may have left it: only some columns, any order).
        "Pengaduan": [SUPERVISOR,
                      ["R-1", "Selesai", "Ditegur", dt.date(2026, 3, 5), "Kabid"],
                      ["R-2", "Selesai", "Diulang", dt.date(2026, 3, 12), "Kabid"],
                      ["R-4", "Diproses", None, None, None],
                      ["R-6", "Diproses", None, None, None],
                      ["R-7", "Selesai", "Dibantu", dt.date(2026, 2, 11), "Kasi"]],
    }


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    path = write_workbook(tmp_path_factory.mktemp("counts") / "opd.xlsx", tabs())
    report = pipeline.score(ExcelSource(path), now=NOW)
    book = CalamineWorkbook.from_path(str(path))
    return report, {name: book.get_sheet_by_name(name).to_python() for name in ("Hasil", "Rekap Unit")}


def _records(rows: list[list]) -> list[dict]:
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]
            if any(v not in ("", None) for v in row)]


def test_hasil_counts_each_officers_complaints_and_late_ones(scored):
    _, tabs_ = scored
    hasil = {(r["Periode"], r["NIP"]): r for r in _records(tabs_["Hasil"])}
    header = tabs_["Hasil"][0]
    assert header.index("Pengaduan") == header.index("Mutu Layanan") + 1
    assert header.index("Pengaduan Terlambat") == header.index("Pengaduan") + 1
    counts = {key: (row["Pengaduan"], row["Pengaduan Terlambat"]) for key, row in hasil.items()}
    assert counts[("2026-03", A)] == (3, 2)
    assert counts[("2026-03", B)] == (1, 0)
    assert counts[("2026-03", C)] == (0, 0)
    assert counts[("2026-02", B)] == (1, 0) and counts[("2026-02", A)] == (0, 0)


def test_repeated_complaints_give_pembinaan_pelayanan_with_the_count(scored):
    _, tabs_ = scored
    hasil = {(r["Periode"], r["NIP"]): r for r in _records(tabs_["Hasil"])}
    assert "Pembinaan Pelayanan: 3 pengaduan" in hasil[("2026-03", A)]["Tindak Lanjut"]
    assert "Pembinaan Pelayanan" not in (hasil[("2026-03", B)]["Tindak Lanjut"] or "")
    assert "Pembinaan Pelayanan" not in (hasil[("2026-02", A)]["Tindak Lanjut"] or "")


def test_rekap_unit_counts_per_unit_and_agency(scored):
    _, tabs_ = scored
    header = tabs_["Rekap Unit"][0]
    labels = ["Pengaduan", "Belum Selesai", "Terlambat", "Median Hari Selesai"]
    first = header.index("Mutu Layanan") + 1
    assert header[first:first + 4] == labels
    rows = {(r["Periode"], r["Unit Kerja"]): tuple(r[label] for label in labels)
            for r in _records(tabs_["Rekap Unit"])}
    assert rows[("2026-03", LOKET)] == (5, 3, 2, 6)
    assert rows[("2026-03", "Seluruh Instansi")] == (6, 4, 2, 6)
    assert rows[("2026-03", "Sekretariat")] == ("", "", "", "")  # no service unit: no figures, not 0
    assert rows[("2026-02", LOKET)] == (1, 0, 0, 1)
    assert rows[("2026-02", "Seluruh Instansi")] == (1, 0, 0, 1)


def test_the_results_carry_the_figures_for_the_run_history(scored):
    report, _ = scored
    assert report.checked.errors == 0
    units = report.results.units.set_index(["period", "unit"])
    assert units.loc[("2026-03", LOKET), "complaints_median_days"] == 6.0
    agency = report.results.agency.set_index("period")
    assert agency.loc["2026-03", "complaints_open"] == 4
