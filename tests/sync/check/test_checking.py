"""Validation, first cut: each planted mistake gives exactly one message at its cell."""

import pytest

from sync.check.checking import check_workbook
from sync.sources.excel.source import ExcelSource

HEAD = "196711101992031001"
STAFF = "198503142010031002"
PEGAWAI = ["NIP", "Nama", "Jenis ASN", "Pangkat/Golongan", "Jabatan", "Unit Kerja", "NIP Atasan", "Aktif"]
SKP = ["Kode IKI", "NIP", "Jenis RHK", "RHK Atasan yang Diintervensi", "Rencana Hasil Kerja", "Aspek",
       "Indikator Kinerja Individu", "Satuan", "Target", "Target Maksimum", "Arah", "Cara Agregasi",
       "Bobot (%)"]
REALISASI = ["Kode IKI", "Periode", "Realisasi", "Target Periode", "Kendala", "Rencana Tindak Lanjut",
             "Tautan Bukti"]
PERILAKU = ["Periode", "NIP Dinilai", "NIP Penilai", "Peran Penilai", "Berorientasi Pelayanan",
            "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif", "Umpan Balik"]


SURVEI = ["ID Respons", "Waktu", "Unit Layanan", "Jenis Layanan", "NIP Petugas", "U1 Persyaratan",
          "U2 Prosedur", "U3 Waktu Penyelesaian", "U4 Biaya/Tarif", "U5 Produk Layanan",
          "U6 Kompetensi Pelaksana", "U7 Perilaku Pelaksana", "U8 Sarana dan Prasarana",
          "U9 Penanganan Pengaduan", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan", "Saran", "Sumber"]
PENILAIAN = ["Periode", "NIP", "Rating Hasil Kerja", "Rating Perilaku Kerja", "Catatan"]


def base():
    return {
        "Pengaturan": [["Kunci", "Nilai"], ["Nama Instansi", "Dinas X"], ["Tahun Penilaian", 2026]],
        "Pegawai": [list(PEGAWAI), [HEAD, "Ani", "PNS", "IV/a", "Kepala", "Dinas X", None, "Ya"],
                    [STAFF, "Budi", "PNS", "III/b", "Staf", "Dinas X", HEAD, None]],
        "SKP": [list(SKP), ["A-1", STAFF, "Utama", "", "RHK", "Kuantitas", "Akta", "dok", 120, None, "Naik",
                            None, None]],
        "Realisasi": [list(REALISASI), ["A-1", "2026-01", 10, None, None, None, None]],
        "Perilaku": [list(PERILAKU), ["2026-01", STAFF, HEAD, "Atasan", 4, 4, 4, 4, 4, 4, 4, ""]],
        "Penilaian Atasan": [list(PENILAIAN), ["2026-01", HEAD, None, "Sesuai Ekspektasi", "Sekda"]],
        "Survei": [list(SURVEI), ["R-1", "2026-01-05 09:00", "Dinas X", "KTP-el", STAFF,
                                  3, 3, 3, 4, 3, 3, 3, 3, 3, "P", 30, "SMA", "Swasta", "", "Formulir"]],
    }


def issues_of(make_workbook, tabs):
    checked = check_workbook(ExcelSource(make_workbook(tabs)).read())
    return checked, [(i.level, i.tab, i.cell, i.value) for i in checked.issues]


def test_a_clean_workbook_has_no_issues(make_workbook):
    checked, found = issues_of(make_workbook, base())
    assert found == []
    assert len(checked.frames["realisations"]) == 1


def _plant(tabs, tab, row, col, value):
    if tab == "Pegawai" and row == 4:  # a PPPK colleague nobody refers to
        tabs[tab].append(["199412202022212003", "Cici", "PPPK", "IX", "Staf", "Dinas X", HEAD, "Ya"])
    tabs[tab][row - 1][col] = value
    return tabs


@pytest.mark.parametrize(("tab", "row", "col", "value", "expected", "words"), [
    ("Pegawai", 3, 0, 1.98503142010031e17, ("error", "Pegawai", "A3"), "membulatkan"),
    ("Pegawai", 3, 2, "PNSS", ("error", "Pegawai", "C3"), "Mungkin maksudnya 'PNS'"),
    ("Pegawai", 3, 1, None, ("error", "Pegawai", "B3"), "wajib diisi"),
    ("Pegawai", 3, 6, "196711101992031009", ("warning", "Pegawai", "G3"), "tidak ada di tab Pegawai"),
    ("Pegawai", 3, 6, STAFF, ("warning", "Pegawai", "G3"), "sama dengan NIP pegawai"),
    ("SKP", 2, 10, "Naek", ("error", "SKP", "K2"), "Mungkin maksudnya 'Naik'"),
    ("SKP", 2, 8, 0, ("error", "SKP", "I2"), "lebih dari 0"),
    ("SKP", 2, 8, "seratus", ("error", "SKP", "I2"), "bukan angka"),
    ("SKP", 2, 9, 100, ("error", "SKP", "J2"), "lebih kecil dari Target"),
    ("SKP", 2, 1, "198503142010031099", ("error", "SKP", "B2"), "tidak ada di tab Pegawai"),
    ("Realisasi", 2, 0, "A-9", ("error", "Realisasi", "A2"), "tidak ada di tab SKP"),
    ("Realisasi", 2, 1, "2025-12", ("error", "Realisasi", "B2"), "di luar Tahun Penilaian 2026"),
    ("Realisasi", 2, 1, "Maretz 2026", ("error", "Realisasi", "B2"), "tidak dikenal"),
    ("Realisasi", 2, 2, -1, ("error", "Realisasi", "C2"), "paling sedikit 0"),
    ("Realisasi", 2, 6, "drive.google.com/x", ("warning", "Realisasi", "G2"), "http"),
    ("Perilaku", 2, 8, 6, ("error", "Perilaku", "I2"), "paling banyak 5"),
    ("Perilaku", 2, 10, "4,5", ("error", "Perilaku", "K2"), "bilangan bulat"),
    ("Perilaku", 2, 2, "198503142010031099", ("error", "Perilaku", "C2"), "tidak ada di tab Pegawai"),
    ("Perilaku", 2, 3, "Boss", ("error", "Perilaku", "D2"), "bukan pilihan Peran Penilai"),
    ("Pegawai", 4, 0, "198513142010031002", ("error", "Pegawai", "A4"), "bukan tanggal lahir"),
    ("Pegawai", 4, 0, "198503142010033002", ("error", "Pegawai", "A4"), "jenis kelamin"),
    ("Pegawai", 4, 0, "198503142010131002", ("error", "Pegawai", "A4"), "bulan TMT 13"),
    ("Pegawai", 4, 2, "PNS", ("warning", "Pegawai", "C4"), "tidak cocok dengan NIP"),
    ("Pegawai", 3, 3, "Penata Sekali", ("warning", "Pegawai", "D3"), "bukan pangkat/golongan PNS"),
    ("SKP", 2, 0, "A -1", ("warning", "SKP", "A2"), "dibaca sebagai 'A-1'"),
    ("SKP", 2, 12, 60, ("warning", "SKP", "M2"), "berjumlah 60"),
    ("Perilaku", 2, 3, "Rekan Kerja", None, None),
    ("Perilaku", 2, 2, STAFF, ("warning", "Perilaku", "D2"), "bukan Diri Sendiri"),
    ("Penilaian Atasan", 2, 0, "2026-T1", ("error", "Penilaian Atasan", "A2"), "bukan periode evaluasi"),
    ("Penilaian Atasan", 2, 3, "Luar Biasa", ("error", "Penilaian Atasan", "D2"), "bukan pilihan"),
    ("Survei", 2, 2, "Dinas Y", ("error", "Survei", "C2"), "Mungkin maksudnya 'Dinas X'"),
    ("Survei", 2, 5, 5, ("error", "Survei", "F2"), "paling banyak 4"),
    ("Survei", 2, 1, "2025-12-31 10:00", ("error", "Survei", "B2"), "di luar Tahun Penilaian"),
    ("Survei", 2, 4, "198503142010031099", ("warning", "Survei", "E2"), "dihitung untuk unit saja"),
    ("Survei", 2, 15, 300, ("warning", "Survei", "P2"), "paling banyak 120"),
])
def test_each_planted_mistake_gets_exactly_one_message(make_workbook, tab, row, col, value, expected,
                                                       words):
    checked, found = issues_of(make_workbook, _plant(base(), tab, row, col, value))
    if expected is None:  # a legal change: nothing to report
        assert found == []
        return
    assert [f[:3] for f in found] == [expected]
    assert words in checked.issues[0].problem + checked.issues[0].fix


def test_duplicates_point_at_the_first_row(make_workbook):
    tabs = base()
    tabs["Realisasi"].append(["A-1", "Januari 2026", 12, None, None, None, None])
    checked, found = issues_of(make_workbook, tabs)
    assert found == [("error", "Realisasi", "A3", "A-1 / 2026-01")]
    assert "baris 2" in checked.issues[0].problem
    assert checked.frames["realisations"]["value"].tolist() == [10]


def test_rejected_indicator_is_reported_once_not_per_realisation(make_workbook):
    tabs = _plant(base(), "SKP", 2, 10, "Naek")
    tabs["Realisasi"].append(["A-1", "2026-02", 12, None, None, None, None])
    checked, found = issues_of(make_workbook, tabs)
    assert len(found) == 1
    assert checked.frames["realisations"].empty
    assert checked.rejected_nips == {STAFF}


def test_missing_tab_and_missing_column(make_workbook):
    tabs = base()
    del tabs["Perilaku"]
    tabs["SKP"][0][10] = "Arahnya"
    checked, found = issues_of(make_workbook, tabs)
    assert ("error", "SKP", None, "") in [(f[0], f[1], f[2], f[3]) for f in found]
    assert any(i.tab == "Perilaku" and "tidak ada di workbook" in i.problem for i in checked.issues)
    assert any("Kolom wajib 'Arah'" in i.problem for i in checked.issues)
    assert checked.frames["indicators"].empty


def test_headers_match_ignoring_case_and_spaces_and_blank_rows_are_skipped(make_workbook):
    tabs = base()
    tabs["Realisasi"][0] = ["  kode iki", "PERIODE", "realisasi ", "Target  Periode"]
    tabs["Realisasi"].insert(1, [None, None, None])
    checked, found = issues_of(make_workbook, tabs)
    assert found == []
    assert checked.frames["realisations"]["_row"].tolist() == [3]


def test_settings_problems(make_workbook):
    tabs = base()
    tabs["Pengaturan"] += [["Bobot Hasil Kerja (%)", 70], ["Periode Evaluasi", "Mingguan"], ["Warna", "biru"]]
    checked, found = issues_of(make_workbook, tabs)
    problems = [i.problem for i in checked.issues]
    assert any("berjumlah 110" in p for p in problems)
    assert any("Periode Evaluasi" in p and "bawaan Bulanan" in p for p in problems)
    assert any("'Warna' tidak dikenal" in p for p in problems)
    assert checked.settings["period_type"] == "monthly"
    assert not checked.fatal


def test_messages_are_in_a_stable_order(make_workbook):
    tabs = _plant(_plant(base(), "Perilaku", 2, 8, 6), "Pegawai", 3, 2, "PNSS")
    first = issues_of(make_workbook, tabs)[1]
    assert first == issues_of(make_workbook, tabs)[1]
    assert [f[1] for f in first] == ["Pegawai", "Perilaku"]


def test_supervisor_loop_is_one_message(make_workbook):
    tabs = base()
    tabs["Pegawai"][1][6] = STAFF  # head reports to staff, staff to head
    checked, found = issues_of(make_workbook, tabs)
    assert [f[:3] for f in found] == [("warning", "Pegawai", "G2")]
    assert f"{HEAD} → {STAFF} → {HEAD}" in checked.issues[0].problem


def test_atasan_rater_who_is_not_the_supervisor(make_workbook):
    tabs = base()
    tabs["Pegawai"].append(["199001012015031001", "Cut", "PNS", "III/a", "Staf", "Dinas X", HEAD, "Ya"])
    tabs["Perilaku"][1][2] = "199001012015031001"
    checked, found = issues_of(make_workbook, tabs)
    assert [f[:3] for f in found] == [("warning", "Perilaku", "C2")]
    assert HEAD in checked.issues[0].problem


def test_thresholds_in_the_wrong_order_fall_back_to_defaults(make_workbook):
    tabs = base()
    tabs["Pengaturan"] += [["Ambang Hasil Kerja Di Atas Ekspektasi (%)", 80]]
    checked, found = issues_of(make_workbook, tabs)
    assert len(found) == 1 and "lebih kecil dari" in checked.issues[0].problem
    assert checked.settings["work_above"] == 110


def test_every_planted_mistake_at_once_gives_the_union_of_messages(make_workbook):
    plants = [("Pegawai", 3, 2, "PNSS"), ("SKP", 2, 10, "Naek"), ("Perilaku", 2, 8, 6),
              ("Survei", 2, 5, 5), ("Penilaian Atasan", 2, 3, "Luar Biasa"),
              ("Realisasi", 2, 6, "drive.google.com/x")]
    tabs = base()
    for plant in plants:
        _plant(tabs, *plant)
    _, found = issues_of(make_workbook, tabs)
    assert sorted(f[:3] for f in found) == sorted([
        ("error", "Pegawai", "C3"), ("error", "SKP", "K2"), ("error", "Perilaku", "I2"),
        ("error", "Survei", "F2"), ("error", "Penilaian Atasan", "D2"), ("warning", "Realisasi", "G2")])


@pytest.mark.parametrize(("tab", "row", "expected"), [
    ("Pegawai", [STAFF, "Budi Lagi", "PNS", "III/b", "Staf", "Dinas X", HEAD, None], ("Pegawai", "A4")),
    ("SKP", ["A-1", STAFF, "Utama", "", "RHK", "Kuantitas", "Akta", "dok", 50, None, "Naik", None, None],
     ("SKP", "A3")),
    ("Survei", ["R-1", "2026-01-06 10:00", "Dinas X", "KTP-el", None, 4, 4, 4, 4, 4, 4, 4, 4, 4],
     ("Survei", "A3")),
])
def test_a_repeated_key_is_one_galat_on_the_later_row(make_workbook, tab, row, expected):
    tabs = base()
    tabs[tab].append(row)
    checked, found = issues_of(make_workbook, tabs)
    assert [f[:3] for f in found] == [("error", *expected)]
    assert "sudah dipakai di baris" in checked.issues[0].problem


def test_an_unknown_rated_employee_is_reported_at_nip_dinilai(make_workbook):
    tabs = _plant(base(), "Perilaku", 2, 1, "198503142010031099")
    _, found = issues_of(make_workbook, tabs)
    assert [f[:3] for f in found] == [("error", "Perilaku", "B2")]
