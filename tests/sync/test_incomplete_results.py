"""Results that never look complete when they are not (issue 11), on Excel and on Google Sheets.

One hand-filled workbook with a new clerk's usual mistakes: a NIP Excel stored
as a number, a rejected Utama SKP row, a blank realisation, a forgotten month,
and nobody with citizens' surveys (no IKM).
"""

from __future__ import annotations

import datetime as dt

import pytest
from python_calamine import CalamineWorkbook

from sheet_templates import results as R
from sync import pipeline
from sync.sources import open_source
from sync.sources.excel.source import ExcelSource
from tests.fakes.gsheet_fixtures import KEY
from tests.helpers import write_workbook

NOW = dt.datetime(2026, 4, 2, 8, 0)
HEAD = "198501012010011001"  # Kepala Bidang: complete
FLOAT = "198602022011012002"  # stored by Excel as a number
NAEK = "198703032012011003"  # one Utama SKP row rejected ("Naek")
BLANK = "198804042013012004"  # March realisation left blank
GAP = "198905052014011005"  # February row forgotten
MONTHS = ("2026-01", "2026-02", "2026-03")
VALUES = [4, 4, 4, 4, 4, 4, 4]


def _tabs() -> dict[str, list[list]]:
    pegawai = [
        ["NIP", "Nama", "Jenis ASN", "Pangkat/Golongan", "Jabatan", "Unit Kerja", "NIP Atasan", "Aktif"],
        [HEAD, "Ani", "PNS", "III/d", "Kepala Bidang", "Bidang A", None, "Ya"],
        [int(FLOAT), "Budi", "PNS", "III/b", "Analis", "Bidang A", HEAD, "Ya"],
        [NAEK, "Citra", "PNS", "III/b", "Analis", "Bidang A", HEAD, "Ya"],
        [BLANK, "Dedi", "PNS", "III/a", "Pengelola", "Bidang B", HEAD, "Ya"],
        [GAP, "Eka", "PNS", "III/a", "Pengelola", "Bidang B", HEAD, "Ya"],
    ]
    skp = [
        [
            "Kode IKI",
            "NIP",
            "Jenis RHK",
            "RHK Atasan yang Diintervensi",
            "Rencana Hasil Kerja",
            "Aspek",
            "Indikator Kinerja Individu",
            "Satuan",
            "Target",
            "Target Maksimum",
            "Arah",
            "Cara Agregasi",
            "Bobot (%)",
        ]
    ]
    real = [
        [
            "Kode IKI",
            "Periode",
            "Realisasi",
            "Target Periode",
            "Kendala",
            "Rencana Tindak Lanjut",
            "Tautan Bukti",
        ]
    ]
    for nip, code in (
        (HEAD, "A-1"),
        (FLOAT, "B-1"),
        (NAEK, "C-1"),
        (NAEK, "C-2"),
        (BLANK, "D-1"),
        (GAP, "E-1"),
    ):
        arah = "Naek" if code == "C-1" else "Naik"
        skp.append(
            [
                code,
                nip,
                "Utama",
                "RHK",
                f"Hasil {code}",
                "Kuantitas",
                f"Jumlah {code}",
                "dokumen",
                12,
                None,
                arah,
                "Jumlah",
                None,
            ]
        )
        for month in MONTHS:
            if code == "E-1" and month == "2026-02":
                continue
            value = None if code == "D-1" and month == "2026-03" else 1
            real.append([code, month, value, None, None, None, None])
    perilaku = [
        [
            "Periode",
            "NIP Dinilai",
            "NIP Penilai",
            "Peran Penilai",
            "Berorientasi Pelayanan",
            "Akuntabel",
            "Kompeten",
            "Harmonis",
            "Loyal",
            "Adaptif",
            "Kolaboratif",
            "Umpan Balik",
        ]
    ]
    atasan = [["Periode", "NIP", "Rating Hasil Kerja", "Rating Perilaku Kerja", "Catatan"]]
    for month in MONTHS:
        for nip in (FLOAT, NAEK, BLANK, GAP):
            perilaku.append([month, nip, HEAD, "Atasan", *VALUES, "Baik"])
        atasan.append([month, HEAD, None, "Sesuai Ekspektasi", None])
    return {
        "Pengaturan": [["Kunci", "Nilai"], ["Nama Instansi", "Dinas Contoh"], ["Tahun Penilaian", 2026]],
        "Pegawai": pegawai,
        "SKP": skp,
        "Realisasi": real,
        "Perilaku": perilaku,
        "Penilaian Atasan": atasan,
    }


def _check(tabs: dict[str, list[list]], report) -> None:
    hasil = [dict(zip(tabs["Hasil"][0], row, strict=False)) for row in tabs["Hasil"][1:]]
    status_column = next(c for c in tabs["Hasil"][0] if c == "Status")
    by = {(row["Periode"], row["Nama"]): row for row in hasil}
    # every employee in every period, the rejected Pegawai row included
    assert sorted(by) == sorted((m, n) for m in MONTHS for n in ("Ani", "Budi", "Citra", "Dedi", "Eka"))
    for month in MONTHS:
        assert by[(month, "Ani")][status_column] == R.STATUS_COMPLETE
        assert by[(month, "Ani")]["Peringkat Unit"] == 1
        for name in ("Budi", "Citra"):
            assert by[(month, name)][status_column].startswith(R.STATUS_INCOMPLETE)
            assert by[(month, name)]["Peringkat Unit"] in (None, "")
    assert "Pegawai!A3" in by[("2026-01", "Budi")][status_column]
    assert FLOAT[:15] in str(by[("2026-01", "Budi")]["NIP"])  # the digits Excel kept
    assert "SKP!" in by[("2026-01", "Citra")][status_column]
    # a blank March realisation spoils March only (capaian cumulates from January)
    assert by[("2026-02", "Dedi")][status_column] == R.STATUS_COMPLETE
    assert "Realisasi!" in by[("2026-03", "Dedi")][status_column]
    assert by[("2026-03", "Dedi")]["Peringkat Unit"] in (None, "")
    # a forgotten February row: February has no realisation, March names the missing month
    assert by[("2026-01", "Eka")][status_column] == R.STATUS_COMPLETE
    assert by[("2026-02", "Eka")][status_column].startswith(R.STATUS_INCOMPLETE)
    assert "Februari" in by[("2026-03", "Eka")][status_column]
    assert by[("2026-03", "Eka")]["Peringkat Unit"] in (None, "")
    validation = [row for row in tabs["Validasi"][2:]]
    assert any("E-1 untuk 2026-02 belum ada" in str(row[6]) for row in validation)
    # only a complete result can be best employee
    head = tabs["Peringkat"][0]
    best = [
        dict(zip(head, row, strict=False))
        for row in tabs["Peringkat"][1:]
        if any("Terbaik" in str(c) for c in row)
    ]
    assert best and all(by[(row["Periode"], row["Nama"])][status_column] == R.STATUS_COMPLETE for row in best)
    assert not {row["Nama"] for row in best} & {"Budi", "Citra"}
    # Rekap Unit counts every Pegawai row typed for the unit
    rekap = [dict(zip(tabs["Rekap Unit"][0], row, strict=False)) for row in tabs["Rekap Unit"][1:]]
    counts = {(r["Periode"], r["Unit Kerja"]): r["Jumlah Pegawai"] for r in rekap if r.get("Unit Kerja")}
    assert counts[("2026-01", "Bidang A")] == 3 and counts[("2026-01", "Bidang B")] == 2
    # no survey anywhere: Nilai Kinerja rests on work and behaviour only
    scored = report.results.results
    assert set(scored.loc[scored["nip"] == BLANK, "components"]) == {("work", "behaviour")}
    assert set(scored.loc[scored["nip"] == HEAD, "components"]) == {("work",)}  # rated by Penilaian Atasan


def _read(path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_excel_shows_every_employee_and_never_a_false_lengkap(tmp_path):
    path = write_workbook(tmp_path / "opd.xlsx", _tabs())
    report = pipeline.score(ExcelSource(path), now=NOW)
    _check(_read(path), report)


def test_google_sheets_gives_the_same_verdicts(fake):
    fake.create(KEY, _tabs())
    report = pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    tabs = {name: fake.values(KEY, name) for name in ("Hasil", "Peringkat", "Rekap Unit", "Validasi")}
    _check({k: [[None if c == "" else c for c in row] for row in v] for k, v in tabs.items()}, report)


@pytest.mark.parametrize("rank", ["III/e", "IV/f", "II/e"])
def test_golongan_beyond_the_ladder_is_a_galat(tmp_path, rank):
    tabs = _tabs()
    tabs["Pegawai"][1][3] = rank
    path = write_workbook(tmp_path / "opd.xlsx", tabs)
    report = pipeline.check(ExcelSource(path), now=NOW)
    assert any(i.level == "error" and i.cell == "D2" for i in report.checked.issues)
