"""TPP, Angka Kredit and discipline end to end (issue 15), on Excel and on Google Sheets.

One hand-filled workbook, Bidang A, January and February 2026, monthly
evaluation, Pengaturan at its defaults (TPP 60 % kinerja from capaian capped at
100 %, 40 % disiplin; deductions from the discipline part):

===========  =====  =========================  ================================  ==============
employee     kelas  amount (Rp)                Kehadiran                          capaian Jan/Feb
===========  =====  =========================  ================================  ==============
Ani (head)   12     9.458.076 (Tabel TPP)      Jan TL1 2, TL3 1, TK 1 (5,25 %)    100 / 100
Budi         9      5.532.975                  Feb TL4 1 (1,5 %)                  90 / 90
Citra        7      4.500.000 (her own)        Jan PSW4 2, Tidak Apel 1 (5 %)     120 / 100
Dedi         5      2.841.561                  Jan TK 3 (9 %); no February row    50 / 100
Eka          -      none (a Peringatan)        -                                  100 / 100
===========  =====  =========================  ================================  ==============

Every TPP figure below is computed by hand in the comments.
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

NOW = dt.datetime(2026, 3, 2, 8, 0)
ANI, BUDI, CITRA = "198501012010011001", "198602022011011002", "198703032012012003"
DEDI, EKA = "198804042013011004", "198905052014012005"
MONTHS = ("2026-01", "2026-02")
VALUES = [4, 4, 4, 4, 4, 4, 4]
KEHADIRAN = ["Periode", "NIP", "Hari Kerja", "TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4",
             "Tanpa Keterangan", "Tidak Apel", "Izin", "Sakit", "Cuti", "Dinas Luar", "Keterangan"]


def attendance_row(month, nip, days, **counts):
    row = dict.fromkeys(KEHADIRAN)
    row.update({"Periode": month, "NIP": nip, "Hari Kerja": days})
    names = {"tk": "Tanpa Keterangan", "apel": "Tidak Apel", "sakit": "Sakit", "cuti": "Cuti"}
    for key, value in counts.items():
        row[names.get(key, key.upper())] = value
    return [row[c] for c in KEHADIRAN]


def tabs(**settings) -> dict[str, list[list]]:
    pegawai = [["NIP", "Nama", "Jenis ASN", "Pangkat/Golongan", "Jabatan", "Unit Kerja", "NIP Atasan",
                "Aktif", "Kelas Jabatan", "Besaran TPP (Rp)", "Jenjang Jabatan Fungsional"],
               [ANI, "Ani", "PNS", "III/d", "Kepala Bidang", "Bidang A", None, "Ya", 12, None, None],
               [BUDI, "Budi", "PNS", "III/b", "Pranata Komputer Ahli Pertama", "Bidang A", ANI, "Ya", 9, None,
                "Ahli Pertama"],
               [CITRA, "Citra", "PNS", "III/b", "Bendahara", "Bidang A", ANI, "Ya", 7, 4_500_000, None],
               [DEDI, "Dedi", "PNS", "II/c", "Pengadministrasi Perkantoran", "Bidang A", ANI, "Ya", 5, None,
                None],
               [EKA, "Eka", "PNS", "III/a", "Analis", "Bidang A", ANI, "Ya", None, None, None]]
    skp = [["Kode IKI", "NIP", "Jenis RHK", "Rencana Hasil Kerja", "Aspek", "Indikator Kinerja Individu",
            "Satuan", "Target", "Arah", "Cara Agregasi"]]
    real = [["Kode IKI", "Periode", "Realisasi"]]
    # annual target 12: one a month; capaian is cumulative (Jan: R/1, Feb: (R1+R2)/2)
    realised = {ANI: (1, 1), BUDI: (0.9, 0.9), CITRA: (1.5, 0.5), DEDI: (0.5, 1.5), EKA: (1, 1)}
    for i, (nip, values) in enumerate(realised.items()):
        skp.append([f"K-{i}", nip, "Utama", "Hasil", "Kuantitas", "Dokumen", "dokumen", 12, "Naik", "Jumlah"])
        real += [[f"K-{i}", month, value] for month, value in zip(MONTHS, values, strict=True)]
    perilaku = [["Periode", "NIP Dinilai", "NIP Penilai", "Peran Penilai", "Berorientasi Pelayanan",
                 "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"]]
    atasan = [["Periode", "NIP", "Rating Hasil Kerja", "Rating Perilaku Kerja"]]
    for month in MONTHS:
        perilaku += [[month, nip, ANI, "Atasan", *VALUES] for nip in (BUDI, CITRA, DEDI, EKA)]
        atasan.append([month, ANI, None, "Sesuai Ekspektasi"])
    kehadiran = [KEHADIRAN,
                 attendance_row("2026-01", ANI, 21, tl1=2, tl3=1, tk=1),
                 attendance_row("2026-01", BUDI, 21),
                 attendance_row("2026-01", CITRA, 21, psw4=2, apel=1),
                 attendance_row("2026-01", DEDI, 21, tk=3),
                 attendance_row("2026-01", EKA, 21),
                 attendance_row("2026-02", ANI, 19),
                 attendance_row("2026-02", BUDI, 19, tl4=1),
                 attendance_row("2026-02", CITRA, 19, sakit=2),
                 attendance_row("2026-02", EKA, 19)]
    pengaturan = [["Kunci", "Nilai"], ["Nama Instansi", "Dinas Contoh"], ["Tahun Penilaian", 2026],
                  *([key, value] for key, value in settings.items())]
    return {"Pengaturan": pengaturan, "Pegawai": pegawai, "SKP": skp, "Realisasi": real,
            "Perilaku": perilaku, "Penilaian Atasan": atasan,
            "Tabel TPP": [["Kelas Jabatan", "Besaran TPP (Rp)"], [12, 9_458_076], [9, 5_532_975],
                          [7, 3_920_964], [5, 2_841_561]],
            "Kehadiran": kehadiran}


def read(path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def records(rows: list[list]) -> list[dict]:
    head = rows[0]
    return [dict(zip(head, [None if c == "" else c for c in row], strict=False)) for row in rows[1:]]


def by_name(rows: list[list]) -> dict[tuple[str, str], dict]:
    return {(r["Periode"], r["Nama"]): r for r in records(rows)}


def check_default_tabs(out: dict[str, list[list]]) -> None:
    tpp = by_name(out["TPP"])
    assert out["TPP"][0] == [c.label for c in R.TPP.columns]
    assert sorted(tpp) == sorted((m, n) for m in MONTHS for n in ("Ani", "Budi", "Citra", "Dedi"))  # no Eka
    ani = tpp[("2026-01", "Ani")]
    # 9.458.076 × 60 % × 100 % = 5.674.845,6 → 5.674.846
    # potongan 2 × 0,5 + 1 × 1,25 + 1 × 3 = 5,25 %; 9.458.076 × 40 % × 94,75 % = 3.584.610,80 → 3.584.611
    assert (ani["Kelas Jabatan"], ani["Besaran TPP (Rp)"]) == (12, 9_458_076)
    assert ani["Dasar Kinerja"] == "Capaian 100,00%"
    assert ani["TPP Kinerja (Rp)"] == 5_674_846 and ani["TPP Disiplin (Rp)"] == 3_584_611
    assert ani["Potongan Disiplin (%)"] == 5.25
    assert ani["Rincian Potongan"] == "TL1 2×0,5% + TL3 1×1,25% + TK 1×3%"
    assert ani["TPP Diterima (Rp)"] == 9_259_457 and ani["Status"] == R.STATUS_COMPLETE
    budi = tpp[("2026-01", "Budi")]
    # 5.532.975 × 60 % × 90 % = 2.987.806,5 → 2.987.807 (half up); 5.532.975 × 40 % = 2.213.190
    assert (budi["TPP Kinerja (Rp)"], budi["TPP Disiplin (Rp)"], budi["TPP Diterima (Rp)"]) == (
        2_987_807, 2_213_190, 5_200_997)
    assert budi["Rincian Potongan"] == R.TPP_NO_DEDUCTION and budi["Potongan Disiplin (%)"] == 0
    # February: TL4 1 × 1,5 %: 2.213.190 × 98,5 % = 2.179.992,15 → 2.179.992
    assert tpp[("2026-02", "Budi")]["TPP Diterima (Rp)"] == 2_987_807 + 2_179_992
    citra = tpp[("2026-01", "Citra")]
    # her own 4.500.000 (not class 7's 3.920.964); capaian 120 % pays 100 %: 2.700.000;
    # potongan 2 × 1,5 + 2 = 5 %: 1.800.000 × 95 % = 1.710.000
    assert citra["Besaran TPP (Rp)"] == 4_500_000
    assert citra["Dasar Kinerja"] == "Capaian 120,00% (dibayar 100%)"
    assert (citra["TPP Kinerja (Rp)"], citra["TPP Disiplin (Rp)"], citra["TPP Diterima (Rp)"]) == (
        2_700_000, 1_710_000, 4_410_000)
    assert citra["Rincian Potongan"] == "PSW4 2×1,5% + Tidak Apel 1×2%"
    assert tpp[("2026-02", "Citra")]["Potongan Disiplin (%)"] == 0  # Sakit is not deducted
    dedi = tpp[("2026-01", "Dedi")]
    # 2.841.561 × 60 % × 50 % = 852.468,3 → 852.468; TK 3 × 3 % = 9 %: 1.136.624,4 × 91 % = 1.034.328,2
    assert (dedi["TPP Kinerja (Rp)"], dedi["TPP Disiplin (Rp)"], dedi["TPP Diterima (Rp)"]) == (
        852_468, 1_034_328, 1_886_796)
    missing = tpp[("2026-02", "Dedi")]  # no Kehadiran row: no discipline part
    # capaian (0,5 + 1,5) ÷ 2 = 100 %: 2.841.561 × 60 % = 1.704.936,6 → 1.704.937
    assert missing["TPP Kinerja (Rp)"] == 1_704_937 and missing["TPP Disiplin (Rp)"] is None
    assert missing["TPP Diterima (Rp)"] == 1_704_937
    assert missing["Potongan Disiplin (%)"] is None and missing["Rincian Potongan"] is None
    assert missing["Status"] == f"{R.STATUS_INCOMPLETE}: kehadiran belum diisi"

    credit = by_name(out["Angka Kredit"])
    assert out["Angka Kredit"][0] == [c.label for c in R.ANGKA_KREDIT.columns]
    assert sorted(credit) == [("2026-01", "Budi"), ("2026-02", "Budi")]  # the only Jenjang
    jan, feb = credit[("2026-01", "Budi")], credit[("2026-02", "Budi")]
    # Ahli Pertama 12,5 a year, Baik 100 %: 1/12 × 100 % × 12,5 = 1,0417 → 1,042;
    # the year so far 25/12 → 2,083
    assert (jan["Jenjang"], jan["Koefisien"], jan["Predikat Kinerja"], jan["Persentase"]) == (
        "Ahli Pertama", 12.5, "Baik", 100)
    assert (jan["Angka Kredit Periode"], jan["Angka Kredit Kumulatif"]) == (1.042, 1.042)
    assert (feb["Angka Kredit Periode"], feb["Angka Kredit Kumulatif"]) == (1.042, 2.083)

    hasil = by_name(out["Hasil"])
    # (21 − 3) ÷ 21 = 85,71 %; three days without reason: teguran lisan
    assert hasil[("2026-01", "Dedi")]["Kehadiran (%)"] == 85.71
    assert hasil[("2026-01", "Dedi")]["Tindak Lanjut"].endswith(
        "Pembinaan Disiplin (3 hari tanpa keterangan: teguran lisan menurut PP 94/2021)")
    assert hasil[("2026-01", "Ani")]["Kehadiran (%)"] == 95.24  # (21 − 1) ÷ 21
    assert "Disiplin" not in str(hasil[("2026-01", "Ani")]["Tindak Lanjut"])
    assert hasil[("2026-02", "Ani")]["Kehadiran (%)"] == 97.5  # (40 − 1) ÷ 40, from January
    assert hasil[("2026-01", "Dedi")]["Predikat Kinerja"] == "Butuh Perbaikan"


def check_warning_for_eka(out: dict[str, list[list]]) -> None:
    validasi = out["Validasi"]
    head = validasi[1]
    rows = [dict(zip(head, row, strict=False)) for row in validasi[2:]]
    eka = [r for r in rows if r["Tab"] == "Pegawai" and r["Kolom"] == "Kelas Jabatan"]
    assert len(eka) == 1 and eka[0]["Tingkat"] == R.LEVEL_WARNING and eka[0]["Sel"] == "I6"
    assert "tidak punya besaran TPP" in eka[0]["Masalah"] and "Tabel TPP" in eka[0]["Cara Memperbaiki"]


def test_excel_tpp_angka_kredit_and_discipline_hand_computed(tmp_path):
    path = write_workbook(tmp_path / "opd.xlsx", tabs())
    report = pipeline.score(ExcelSource(path), now=NOW)
    assert report.checked.errors == 0
    assert report.checked.warnings == 1  # Eka: no TPP amount
    out = read(path)
    check_default_tabs(out)
    check_warning_for_eka(out)
    assert {"TPP", "Angka Kredit"} <= set(report.written)
    pay = report.pay.set_index("period")
    # January: 4 employees with TPP, 9.259.457 + 5.200.997 + 4.410.000 + 1.886.796;
    # mean Potongan (5,25 + 0 + 5 + 9) ÷ 4
    assert pay.loc["2026-01", "tpp_employees"] == 4
    assert pay.loc["2026-01", "tpp_total"] == 9_259_457 + 5_200_997 + 4_410_000 + 1_886_796
    assert pay.loc["2026-01", "mean_deduction"] == pytest.approx(4.8125)
    assert pay.loc["2026-01", "discipline_light"] == 1 and pay.loc["2026-01", "discipline_moderate"] == 0


def test_a_rupiah_column_shows_thousands_separators(tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "opd.xlsx", tabs())
    pipeline.score(ExcelSource(path), now=NOW)
    sheet = openpyxl.load_workbook(path)["TPP"]
    header = [c.value for c in sheet[1]]
    for label in ("Besaran TPP (Rp)", "TPP Kinerja (Rp)", "TPP Disiplin (Rp)", "TPP Diterima (Rp)"):
        assert sheet.cell(2, header.index(label) + 1).number_format == "#,##0", label
    credit = openpyxl.load_workbook(path)["Angka Kredit"]
    assert credit.cell(2, 8).number_format == "0.000"


def test_google_sheets_gives_the_same_tabs_within_the_request_budget(fake, tmp_path):
    fake.create(KEY, tabs())
    report = pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    assert report.checked.errors == 0
    assert fake.sheets_requests() <= 3
    names = ("Hasil", "TPP", "Angka Kredit", "Validasi")
    sheet = {name: [[None if c == "" else c for c in row] for row in fake.values(KEY, name)]
             for name in names}
    check_default_tabs(sheet)
    check_warning_for_eka(sheet)
    path = write_workbook(tmp_path / "opd.xlsx", tabs())
    pipeline.score(ExcelSource(path), now=NOW)
    excel = read(path)
    for name in ("TPP", "Angka Kredit"):
        assert _normal(sheet[name]) == _normal(excel[name]), name


def _normal(rows):
    out = []
    for row in rows:
        cells = [None if v in ("", None) else float(v) if isinstance(v, int | float) else v for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    return out


def test_predikat_basis_and_deductions_from_the_total(tmp_path):
    path = write_workbook(tmp_path / "opd.xlsx", tabs(**{"Dasar TPP Kinerja": "Predikat Kinerja",
                                                        "Potongan Dihitung dari": "Total TPP"}))
    report = pipeline.score(ExcelSource(path), now=NOW)
    assert report.checked.errors == 0
    tpp = by_name(read(path)["TPP"])
    ani = tpp[("2026-01", "Ani")]
    # Baik 100 %: total = 9.458.076 × (60 % × 100 % + 40 % − 5,25 %) = 8.961.527,01 → 8.961.527;
    # kinerja 5.674.846; the discipline part is what is left: 3.286.681
    assert ani["Dasar Kinerja"] == "Baik (100%)"
    assert (ani["TPP Kinerja (Rp)"], ani["TPP Disiplin (Rp)"], ani["TPP Diterima (Rp)"]) == (
        5_674_846, 3_286_681, 8_961_527)
    dedi = tpp[("2026-01", "Dedi")]
    # Butuh Perbaikan 80 %: 2.841.561 × (48 % + 40 % − 9 %) = 2.244.833,19 → 2.244.833;
    # kinerja 2.841.561 × 48 % = 1.363.949,28 → 1.363.949
    assert dedi["Dasar Kinerja"] == "Butuh Perbaikan (80%)"
    assert (dedi["TPP Kinerja (Rp)"], dedi["TPP Disiplin (Rp)"], dedi["TPP Diterima (Rp)"]) == (
        1_363_949, 880_884, 2_244_833)
    assert tpp[("2026-02", "Dedi")]["TPP Diterima (Rp)"] == 1_704_937  # Baik in February, no Kehadiran


def test_a_missing_predikat_says_why_in_the_tpp_status(tmp_path):
    workbook = tabs(**{"Dasar TPP Kinerja": "Predikat Kinerja"})
    workbook["Perilaku"] = [row for row in workbook["Perilaku"] if row[1] != BUDI or row[0] != "2026-02"]
    path = write_workbook(tmp_path / "opd.xlsx", workbook)
    pipeline.score(ExcelSource(path), now=NOW)
    budi = by_name(read(path)["TPP"])[("2026-02", "Budi")]
    assert budi["Status"] == f"{R.STATUS_INCOMPLETE}: Predikat Kinerja belum ada (atasan belum menilai)"
    assert budi["TPP Kinerja (Rp)"] is None and budi["TPP Disiplin (Rp)"] == 2_179_992


def test_one_period_asked_for_still_counts_the_year_in_angka_kredit(tmp_path):
    path = write_workbook(tmp_path / "opd.xlsx", tabs())
    report = pipeline.score(ExcelSource(path), ["2026-02"], now=NOW)
    out = read(path)
    credit = by_name(out["Angka Kredit"])
    assert sorted(credit) == [("2026-02", "Budi")]
    assert credit[("2026-02", "Budi")]["Angka Kredit Kumulatif"] == 2.083  # January counted too
    assert {r["Periode"] for r in records(out["TPP"])} == {"2026-02"}
    assert list(report.pay["period"]) == ["2026-02"]


def test_quarterly_evaluation_pays_every_month_from_the_quarter_so_far(tmp_path):
    path = write_workbook(tmp_path / "opd.xlsx", tabs(**{"Periode Evaluasi": "Triwulanan"}))
    pipeline.score(ExcelSource(path), now=NOW)
    out = read(path)
    tpp = records(out["TPP"])
    assert {r["Periode"] for r in tpp} == {"2026-01", "2026-02", "2026-03"}
    march = {r["Nama"]: r for r in tpp if r["Periode"] == "2026-03"}
    assert march["Ani"]["Status"] == f"{R.STATUS_INCOMPLETE}: kehadiran belum diisi"
    credit = by_name(out["Angka Kredit"])
    # T1's target is 12 × 3/12 = 3 and Budi realised 1,8 by February: 60 %, Butuh Perbaikan (75 %);
    # 3/12 × 75 % × 12,5 = 2,34375 → 2,344
    assert credit[("2026-T1", "Budi")]["Predikat Kinerja"] == "Butuh Perbaikan"
    assert credit[("2026-T1", "Budi")]["Angka Kredit Periode"] == 2.344


def test_a_workbook_without_tpp_or_functional_positions_gets_neither_tab(tmp_path):
    workbook = tabs()
    for row in workbook["Pegawai"][1:]:
        row[8:] = [None, None, None]
    del workbook["Tabel TPP"]
    path = write_workbook(tmp_path / "opd.xlsx", workbook)
    report = pipeline.score(ExcelSource(path), now=NOW)
    assert report.checked.warnings == 0
    assert "TPP" not in report.written and "Angka Kredit" not in report.written
    assert "TPP" not in read(path)
    assert by_name(read(path)["Hasil"])[("2026-01", "Dedi")]["Kehadiran (%)"] == 85.71


def test_the_deduction_cap_is_read_from_pengaturan(tmp_path):
    path = write_workbook(tmp_path / "opd.xlsx", tabs(**{"Batas Potongan Disiplin (%)": 5}))
    pipeline.score(ExcelSource(path), now=NOW)
    ani = by_name(read(path)["TPP"])[("2026-01", "Ani")]
    # 5,25 % capped at 5 %: 9.458.076 × 40 % × 95 % = 3.594.068,88 → 3.594.069
    assert ani["Potongan Disiplin (%)"] == 5
    assert ani["Rincian Potongan"] == "TL1 2×0,5% + TL3 1×1,25% + TK 1×3% (dibatasi 5%)"
    assert ani["TPP Disiplin (Rp)"] == 3_594_069
