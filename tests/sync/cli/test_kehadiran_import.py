"""`kinerja kehadiran import` on a realistic machine export (issue 15), into Excel and Google Sheets.

The export is what an iCON/Solution fingerprint machine prints for March 2026:
two title lines, then one row per employee per day with the schedule, the
scans, a department column, PINs rather than NIPs, a PIN nobody mapped, a day
with an empty row and a day with no row at all. March 2026: weekdays 2–6, 9–13,
16–20, 23–27, 30–31 (22); with 19 and 20 March given as holidays, 20 work days.
Pengaturan says the office opens at 07:45, so a scan at 08:10 is 25 minutes
late (TL1), not the 40 (TL2) the default 07:30 would make it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from sync import pipeline
from sync.cli.main import cli
from sync.sources import open_source
from sync.sources.excel.source import ExcelSource
from tests.fakes.gsheet_fixtures import KEY
from tests.helpers import write_workbook
from tests.sync.test_pay import KEHADIRAN, by_name, tabs

ANI, BUDI, CITRA = "198501012010011001", "198602022011011002", "198703032012012003"
PINS = {"101": ANI, "102": BUDI, "103": CITRA}
WORK_DAYS = [d for d in range(1, 32) if dt.date(2026, 3, d).weekday() < 5 and d not in (19, 20)]


def export_rows() -> list[list[str]]:
    rows = [["LAPORAN KEHADIRAN PEGAWAI - DINAS CONTOH"], ["Periode: 01/03/2026 s/d 31/03/2026"], [],
            ["No.", "PIN", "Nama", "Departemen", "Tanggal", "Jam Masuk", "Jam Pulang", "Scan Masuk",
             "Scan Pulang"]]
    scans = {
        "101": {2: ("08:10", "16:05"),   # 25 minutes late with Jam Masuk 07:45: TL1
                3: ("", ""),             # an empty row: Tanpa Keterangan
                4: ("07:40", ""),        # no scan out: PSW4
                5: None},                # no row at all: Tanpa Keterangan
        "102": {9: ("09:31", "16:02")},  # 106 minutes late: TL4
        "103": {},
        "999": {2: ("07:35", "16:10"), 3: ("07:36", "16:10"), 4: ("07:37", "16:10")},  # nobody's PIN
    }
    names = {"101": "Ani", "102": "Budi", "103": "Citra", "999": "Budi Santoso"}
    number = 0
    for day in range(1, 32):
        date = dt.date(2026, 3, day)
        if date.weekday() >= 5:
            continue
        for pin, special in scans.items():
            if pin == "999" and day not in special:
                continue
            scan = special.get(day, ("07:41", "16:03"))
            if scan is None:
                continue
            number += 1
            if day in (19, 20):  # the holidays: the machine prints empty rows
                scan = ("", "")
            rows.append([str(number), pin, names[pin], "Sekretariat", date.strftime("%d/%m/%Y"),
                         "07:45", "16:00", *scan])
    return rows


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "absensi-maret.csv"
    path.write_text("\n".join(";".join(row) for row in export_rows()) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def pin_file(tmp_path):
    path = tmp_path / "pin.csv"
    path.write_text("PIN,NIP\n" + "".join(f"{pin},{nip}\n" for pin, nip in PINS.items()), encoding="utf-8")
    return path


def workbook_tabs() -> dict[str, list[list]]:
    """The pay workbook with Jam Masuk 07:45, and Citra's March already typed by the clerk."""
    workbook = tabs(**{"Jam Masuk": "07:45"})
    citra = [None] * len(KEHADIRAN)
    citra[:3] = ["2026-03", CITRA, 20]
    citra[KEHADIRAN.index("Sakit")] = 2
    citra[KEHADIRAN.index("Keterangan")] = "Surat dokter"
    workbook["Kehadiran"].append(citra)
    return workbook


def invoke(*args):
    return CliRunner().invoke(cli, ["kehadiran", "import", *map(str, args)])


def kehadiran_rows(rows: list[list]) -> dict[tuple[str, str], dict]:
    head = rows[0]
    return {(r[0], r[1]): dict(zip(head, r, strict=False)) for r in rows[1:] if r and r[0]}


def check_march(rows: dict[tuple[str, str], dict]) -> None:
    ani, budi = rows[("2026-03", ANI)], rows[("2026-03", BUDI)]
    assert ani["Hari Kerja"] == 20 and budi["Hari Kerja"] == 20
    assert (ani["TL1"], ani["TL2"], ani["PSW4"], ani["Tanpa Keterangan"]) == (1, 0, 1, 2)
    assert (budi["TL4"], budi["TL1"], budi["Tanpa Keterangan"]) == (1, 0, 0)
    assert ani["Keterangan"] == "Impor mesin absen absensi-maret.csv"
    assert ani["Sakit"] in (None, "")  # left for the clerk
    citra = rows[("2026-03", CITRA)]  # typed by the clerk: kept as it was
    assert (citra["Hari Kerja"], citra["Sakit"], citra["Keterangan"]) == (20, 2, "Surat dokter")


def test_import_into_excel_counts_brackets_keeps_typed_rows_and_lists_unknown_pins(tmp_path, export,
                                                                                    pin_file):
    path = write_workbook(tmp_path / "opd.xlsx", workbook_tabs())
    holidays = ("--libur", "2026-03-19,2026-03-20")
    result = invoke(path, export, "--period", "2026-03", "--pin", pin_file, *holidays)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("Kehadiran 2026-03 dari absensi-maret.csv: 20 hari kerja, 2 baris ditambahkan "
                        "ke tab Kehadiran.")
    assert f"sudah punya baris Kehadiran 2026-03; baris itu tidak diubah dan data mesinnya tidak diimpor: " \
           f"{CITRA}" in result.output
    assert "1 PIN/NIP di berkas tidak cocok dengan pegawai mana pun" in result.output
    assert "  999 Budi Santoso: 3 baris, pertama di baris 8" in lines  # after the title lines
    assert "Kolom dibaca: PIN ← 'PIN', nama ← 'Nama', tanggal ← 'Tanggal', scan masuk ← 'Scan Masuk', " \
           "scan pulang ← 'Scan Pulang'." in lines
    assert "pegawai tidak ada di berkas ini" in result.output  # Dedi and Eka have no PIN
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("Kehadiran").to_python()
    assert rows[0] == KEHADIRAN
    check_march(kehadiran_rows(rows))
    assert len(rows) == 1 + 9 + 1 + 2  # the pay workbook's rows, Citra's, and the two imported

    again = invoke(path, export, "--period", "2026-03", "--pin", pin_file, *holidays)
    assert again.exit_code == 0 and "0 baris ditambahkan" in again.output  # nothing twice

    report = pipeline.score(ExcelSource(path), ["2026-03"])
    assert report.checked.errors == 0
    tpp = by_name(CalamineWorkbook.from_path(str(path)).get_sheet_by_name("TPP").to_python())
    # Ani: TL1 0,5 + PSW4 1,5 + TK 2 × 3 = 8 %
    assert tpp[("2026-03", "Ani")]["Potongan Disiplin (%)"] == 8
    assert tpp[("2026-03", "Ani")]["Rincian Potongan"] == "TL1 1×0,5% + PSW4 1×1,5% + TK 2×3%"


def test_without_holidays_the_work_days_are_the_days_someone_scanned(tmp_path, export, pin_file):
    path = write_workbook(tmp_path / "opd.xlsx", workbook_tabs())
    result = invoke(path, export, "--period", "2026-03", "--pin", pin_file)
    assert result.exit_code == 0, result.output
    assert "20 hari kerja" in result.output  # nobody scanned on 19 and 20 March


def test_import_into_google_sheets_appends_in_one_write(fake, export, pin_file):
    fake.create(KEY, workbook_tabs())
    result = invoke(f"gsheet:{KEY}", export, "--period", "2026-03", "--pin", pin_file,
                    "--libur", "2026-03-19", "--libur", "2026-03-20")
    assert result.exit_code == 0, result.output
    assert fake.calls["batchUpdate"] == 1 and fake.calls["values.batchGet"] == 1
    rows = [[None if c == "" else c for c in row] for row in fake.values(KEY, "Kehadiran")]
    check_march(kehadiran_rows(rows))
    report = pipeline.score(open_source(f"gsheet:{KEY}"), ["2026-03"])
    assert report.checked.errors == 0


@pytest.mark.parametrize("args, expected", [
    (["--period", "2025-03"], "di luar Tahun Penilaian 2026"),
    (["--period", "Maret"], "Periode 'Maret' tidak dikenali"),
    (["--period", "2026-03", "--libur", "19 Maret"], "--libur '19 Maret' bukan tanggal"),
    (["--period", "2026-03", "--kolom", "jam=Datang"], "Nama kolom 'jam' tidak dikenal"),
    (["--period", "2026-03", "--kolom", "masuk"], "--kolom 'masuk' tidak dapat dibaca"),
])
def test_mistakes_end_with_one_plain_line(tmp_path, export, args, expected):
    path = write_workbook(tmp_path / "opd.xlsx", workbook_tabs())
    before = path.read_bytes()
    result = invoke(path, export, *args)
    assert result.exit_code == 1
    assert result.output.startswith("Galat: ") and result.output.count("\n") == 1, result.output
    assert expected in result.output
    assert path.read_bytes() == before


def test_a_missing_export_is_one_plain_line(tmp_path):
    path = write_workbook(tmp_path / "opd.xlsx", workbook_tabs())
    result = invoke(path, tmp_path / "tidak-ada.csv", "--period", "2026-03")
    assert result.exit_code == 1 and "tidak ditemukan" in result.output and "Traceback" not in result.output


def test_a_header_named_by_the_clerk(tmp_path, pin_file):
    rows = [["ID", "Tgl", "Jam Datang", "Pulang"],
            ["101", "02/03/2026", "07:50", "16:00"], ["101", "03/03/2026", "07:40", "15:45"]]
    export = tmp_path / "rekap.csv"
    export.write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    path = write_workbook(tmp_path / "opd.xlsx", workbook_tabs())
    result = invoke(path, export, "--period", "2026-03", "--pin", pin_file, "--kolom", "tanggal=Tgl",
                    "--kolom", "masuk=Jam Datang")
    assert result.exit_code == 0, result.output
    rows = kehadiran_rows(CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Kehadiran").to_python())
    ani = rows[("2026-03", ANI)]
    assert (ani["Hari Kerja"], ani["TL1"], ani["PSW1"]) == (2, 1, 1)  # 5 minutes late, 15 early
