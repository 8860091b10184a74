"""The attendance-machine import on realistic export files made here.

March 2026: the 1st is a Sunday, so the weekdays are 2–6, 9–13, 16–20, 23–27,
30–31 (22 days). Nobody scans on 19 and 20 March (Nyepi, Idul Fitri), so the
work days are the other 20.
"""

import calendar
import datetime as dt

import pytest
from openpyxl import Workbook

from sync.attendance import (
    KEHADIRAN_COLUMNS,
    MachineColumns,
    MachineImportConfig,
    MachineImportError,
    import_machine_file,
)
from sync.attendance.cells import bracket

NIP_A, NIP_B, NIP_C = "198503142010031002", "199001012015032001", "198807072012121003"
HOLIDAYS = {19, 20}
WORK_DAYS = [d for d in range(1, 32) if dt.date(2026, 3, d).weekday() < 5 and d not in HOLIDAYS]

# iCON/Solution style: PIN, schedule (Jam Masuk/Jam Pulang) and the actual scans.
A_DAYS = {
    2: ("07:31:00", "16:05:00"),   # 1 min late → TL1
    3: ("08:00:00", "16:05:00"),   # 30 → TL1
    4: ("08:01:00", "16:05:00"),   # 31 → TL2
    5: ("09:00:00", "16:05:00"),   # 90 → TL3
    6: ("09:01:00", "16:05:00"),   # 91 → TL4
    9: ("", "16:05:00"),           # no scan in → TL4
    10: ("07:25:00", "15:59:00"),  # 1 min early → PSW1
    11: ("07:25:00", "15:30:00"),  # 30 → PSW1
    12: ("", ""),                  # a work day without any scan → Tanpa Keterangan
    13: None,                      # no row at all → Tanpa Keterangan
    16: ("07:30:59", "16:00:00"),  # 59 seconds is not a minute: on time
    17: ("07:45:00", ""),           # TL1 and no scan out → PSW4
    7: ("08:00:00", "12:00:00"),   # a Saturday: not a work day, ignored
}
B_DAYS = {
    18: ("07:20:00", "14:00:00"),  # 120 min early → PSW4
    31: ("08:15:00", "16:10:00"),  # 45 late → TL2
}


def icon_rows():
    """Data rows of the export: PIN 101 (A), 102 (B) and an unknown 999."""
    rows = []
    for day in range(1, 32):
        date = dt.date(2026, 3, day)
        weekday = date.weekday() < 5 and day not in HOLIDAYS
        for pin, name, special, usual in (("101", "Sri Lestari", A_DAYS, ("07:25:00", "16:05:00")),
                                          ("102", "Budi Santoso", B_DAYS, ("07:20:00", "16:10:00"))):
            scans = special.get(day, usual if weekday else ("", ""))
            if scans is None:
                continue
            rows.append([pin, name, date.strftime("%d-%m-%Y"), "07:30", "16:00", *scans])
    rows.insert(40, ["102", "Budi Santoso", "25-03-2026", "07:30", "16:00", "07:50:00", ""])
    rows.append(["999", "Tamu Magang", "02-03-2026", "07:30", "16:00", "07:40:00", "16:00:00"])
    rows.append(["999", "Tamu Magang", "03-03-2026", "07:30", "16:00", "07:41:00", "16:02:00"])
    rows.append(["101", "Sri Lestari", "27-02-2026", "07:30", "16:00", "07:20:00", "16:00:00"])
    return rows


HEADER = ["PIN", "Nama", "Tanggal", "Jam Masuk", "Jam Pulang", "Scan Masuk", "Scan Pulang"]


@pytest.fixture
def icon_csv(tmp_path):
    path = tmp_path / "absensi-maret.csv"
    lines = ["LAPORAN ABSENSI PEGAWAI;;;;;;", "Periode: 01-03-2026 s/d 31-03-2026;;;;;;", ""]
    lines += [";".join(row) for row in [HEADER, *icon_rows()]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def test_icon_csv(icon_csv):
    result = import_machine_file(icon_csv, period="2026-03", known_nips=[NIP_A, NIP_B, NIP_C],
                                 pin_to_nip={"101": NIP_A, "102": NIP_B})
    assert [d.day for d in result.work_dates] == WORK_DAYS and len(WORK_DAYS) == 20
    assert result.fields["scan_in"] == "Scan Masuk"  # not the schedule's "Jam Masuk"
    rows = result.rows.set_index("nip")
    assert list(result.rows.columns) == list(KEHADIRAN_COLUMNS)
    a = rows.loc[NIP_A]
    # TL1: 2, 3, 17 March; TL2: 4; TL3: 5; TL4: 6 and 9 (no scan in)
    # PSW1: 10, 11; PSW4: 17 (no scan out); Tanpa Keterangan: 12 (empty row), 13 (no row)
    assert (a["period"], a["month"], a["work_days"]) == ("2026-03", 3, 20)
    assert [a[f"tl{i}"] for i in range(1, 5)] == [3, 1, 1, 2]
    assert [a[f"psw{i}"] for i in range(1, 5)] == [2, 0, 0, 1]
    assert a["absent_no_reason"] == 2
    b = rows.loc[NIP_B]
    # 25 March has two rows (07:50 and 07:20): the earliest scan counts, on time.
    assert [b[f"tl{i}"] for i in range(1, 5)] == [0, 1, 0, 0]
    assert [b[f"psw{i}"] for i in range(1, 5)] == [0, 0, 0, 1]
    assert b["absent_no_reason"] == 0
    # the unknown PIN is listed with its rows, not dropped
    [unknown] = result.unmatched
    assert (unknown.ident, unknown.name, unknown.rows) == ("999", "Tamu Magang", 2)
    assert unknown.first_row == 4 + len(icon_rows()) - 2  # 3 title lines + header, 1-based
    assert result.not_in_export == [NIP_C]
    assert result.outside_month == 1  # the February row
    days = result.days.set_index(["nip", "date"])
    assert days.loc[(NIP_A, dt.date(2026, 3, 16)), "late_minutes"] == 0
    assert not days.loc[(NIP_A, dt.date(2026, 3, 12)), "present"]


def test_without_known_nips_and_with_a_stale_map(icon_csv):
    # Without known NIPs a mapped PIN is trusted; an unmapped PIN is still listed.
    result = import_machine_file(icon_csv, period="2026-03", pin_to_nip={"101": NIP_A})
    assert result.rows["nip"].tolist() == [NIP_A]
    assert [u.ident for u in result.unmatched] == ["102", "999"]
    assert result.not_in_export == []
    # A map entry pointing at a NIP the workbook does not have is not trusted either.
    result = import_machine_file(icon_csv, period="2026-03", known_nips=[NIP_A],
                                 pin_to_nip={"101": NIP_A, "102": "199912312020121001"})
    assert [u.ident for u in result.unmatched] == ["102", "999"]


def test_holidays_given_and_friday_hours(icon_csv):
    friday = MachineImportConfig(hours_by_weekday={4: (dt.time(7, 30), dt.time(16, 30))})
    result = import_machine_file(icon_csv, period="2026-03", pin_to_nip={"101": NIP_A},
                                 config=friday, holidays=["2026-03-19", dt.date(2026, 3, 31)])
    a = result.rows.iloc[0]
    # Given holidays, every other weekday is a work day: 22 − 2 = 20, now with 20 March
    # (nobody scanned) and without 31 March. Tanpa Keterangan: 12, 13 and 20 March.
    assert [d.day for d in result.work_dates] == sorted([d for d in WORK_DAYS if d != 31] + [20])
    assert (a["work_days"], a["absent_no_reason"]) == (20, 3)
    # Fridays end at 16:30, so leaving at 16:05 is 25 minutes early: PSW1 on 6 and 27 March
    # besides 10 and 11 March (13 March has no row, 20 March no scan).
    assert a["psw1"] == 4


def hikvision_workbook(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Attendance Report"
    sheet.append(["Attendance Statistics 2026/03/01-2026/03/31"])
    sheet.append(["Employee ID", "Name", "Department", "Date", "Check-in", "Check-out",
                  "Late (min)", "Early Leaving (min)", "Absence"])
    for day in range(1, 32):
        date = dt.datetime(2026, 3, day)
        if date.weekday() >= 5 or day in HOLIDAYS:
            continue
        check_in, check_out, late, early = dt.time(7, 20), dt.time(16, 5), 0, 0
        if day == 3:
            check_in, late = dt.time(7, 40), 45  # the machine's own shift says 45 → TL2
        if day == 4:
            check_in, check_out, late, early = None, None, None, None  # absent
        if day == 5:
            check_out, early = dt.time(15, 0), 60  # → PSW2
        sheet.append([NIP_A, "Sri Lestari", "Umum", date, check_in, check_out, late, early,
                      1 if day == 4 else 0])
    sheet.append(["12345", "Teknisi Vendor", "Umum", dt.datetime(2026, 3, 2), dt.time(8, 0),
                  dt.time(17, 0), 30, 0, 0])
    workbook.save(path)


def test_hikvision_xlsx(tmp_path):
    path = tmp_path / "hikvision.xlsx"
    hikvision_workbook(path)
    result = import_machine_file(path, period="2026-03", known_nips=[NIP_A])
    a = result.rows.iloc[0]
    assert (a["nip"], a["work_days"], a["absent_no_reason"]) == (NIP_A, 20, 1)
    assert (a["tl1"], a["tl2"], a["psw2"]) == (0, 1, 1)
    assert [(u.ident, u.name, u.rows) for u in result.unmatched] == [("12345", "Teknisi Vendor", 1)]
    # Recomputed from the scans instead: 07:40 is 10 minutes after 07:30 → TL1
    own = import_machine_file(path, period="2026-03", known_nips=[NIP_A],
                              config=MachineImportConfig(use_machine_minutes=False))
    assert (own.rows.iloc[0]["tl1"], own.rows.iloc[0]["tl2"]) == (1, 0)


def test_minutes_only_export(tmp_path):
    path = tmp_path / "rekap.csv"
    lines = ["NIP,Nama,Tanggal,Terlambat (menit),Pulang Cepat (menit),Tidak Hadir"]
    for day in WORK_DAYS:
        late = {2: "5", 3: "1:05"}.get(day, "")   # 5 → TL1; 1 h 05 = 65 → TL3
        absent = "Ya" if day == 4 else ""
        lines.append(f"{NIP_B},Budi,2026-03-{day:02d},{late},,{absent}")
    path.write_text("\n".join(lines), encoding="cp1252")
    result = import_machine_file(path, period="2026-03")
    b = result.rows.iloc[0]
    assert (b["tl1"], b["tl3"], b["absent_no_reason"], b["work_days"]) == (1, 1, 1, 20)


def test_custom_alias(tmp_path):
    path = tmp_path / "custom.csv"
    path.write_text("ID Absen,Tgl,Datang\n7,02/03/2026,07:45\n", encoding="utf-8")
    columns = MachineColumns(pin=("ID Absen", *MachineColumns().pin))
    result = import_machine_file(path, period="2026-03", pin_to_nip={"7": NIP_C},
                                 config=MachineImportConfig(columns=columns))
    assert result.rows.iloc[0][["tl1", "work_days", "psw4"]].tolist() == [1, 1, 0]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.csv", "Nomor;Pegawai;Hari\n1;2;3\n", "baris judul kolom tidak ditemukan"),
    ("b.csv", "PIN;Tanggal;Keterangan\n1;02/03/2026;hadir\n", "tidak ada kolom jam scan"),
    ("c.csv", "PIN;Tanggal;Scan Masuk\n1;02/03/2026;pagi\n", "baris 2, kolom 'Scan Masuk'"),
    ("d.csv", "PIN;Tanggal;Scan Masuk\n1;31/02/2026;07:30\n", "kolom 'Tanggal'"),
    ("e.csv", "PIN;Tanggal;Scan Masuk\n1;02/04/2026;07:30\n", "tidak ada baris bulan 03/2026"),
    ("f.pdf", "x", "tidak didukung"),
    ("g.xlsx", "not a zip", "tidak dapat dibaca"),
])
def test_errors_in_indonesian(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(MachineImportError, match=message):
        import_machine_file(path, period="2026-03")


def test_missing_file_and_bad_period(tmp_path, icon_csv):
    with pytest.raises(MachineImportError, match="tidak ditemukan"):
        import_machine_file(tmp_path / "tidak-ada.csv", period="2026-03")
    with pytest.raises(MachineImportError, match="Periode 'Maret' tidak dikenali"):
        import_machine_file(icon_csv, period="Maret")


def test_brackets():
    # 1–30 TL1, 31–60 TL2, 61–90 TL3, over 90 TL4
    assert [bracket(m) for m in (None, 0, 1, 30, 31, 60, 61, 90, 91, 600)] == [
        0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_march_2026_calendar_assumption():
    assert calendar.weekday(2026, 3, 1) == calendar.SUNDAY
