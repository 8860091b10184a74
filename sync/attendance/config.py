"""How to read an attendance machine's export: column aliases and office hours.

The defaults cover the common exports seen at Pemda (domain.md §5):
iCON / Solution / Fingerspot ("PIN", "Nama", "Tanggal", "Scan Masuk",
"Scan Pulang", "Terlambat", "Plg. Cepat"), Hikvision ("Employee ID", "Name",
"Date", "Check-in", "Check-out", "Late (min)", "Early Leaving (min)") and
ZKTeco-style reports ("AC-No.", "Clock In", "Clock Out"). An agency whose
machine words it differently passes its own header in front of the defaults:
``MachineColumns(scan_in=("Absen Datang", *MachineColumns().scan_in))``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class MachineColumns:
    """Header aliases per field, in order of preference (the first header found wins).

    ``scan_in`` lists "Scan Masuk" before "Jam Masuk" because iCON/Solution
    reports carry both: "Jam Masuk" there is the scheduled time, "Scan
    Masuk" the actual scan. An export with only "Jam Masuk" uses that.
    """

    nip: tuple[str, ...] = ("NIP", "NIP Pegawai", "NIP Baru")
    pin: tuple[str, ...] = ("PIN", "Employee ID", "ID Pegawai", "No. ID", "User ID", "AC-No.",
                            "No. Absen", "Person ID", "ID Karyawan", "ID")
    name: tuple[str, ...] = ("Nama", "Name", "Nama Pegawai", "Employee Name", "Person Name")
    date: tuple[str, ...] = ("Tanggal", "Date", "Tgl", "Tanggal Absen", "Attendance Date")
    scan_in: tuple[str, ...] = ("Scan Masuk", "Check-in", "Check In", "Clock In", "On Work",
                                "Time In", "Absen Masuk", "Jam Masuk", "Masuk", "Datang")
    scan_out: tuple[str, ...] = ("Scan Pulang", "Scan Keluar", "Check-out", "Check Out",
                                 "Clock Out", "Off Work", "Time Out", "Absen Pulang",
                                 "Jam Pulang", "Jam Keluar", "Pulang")
    late_minutes: tuple[str, ...] = ("Terlambat (menit)", "Late (min)", "Terlambat", "Telat",
                                     "Late", "Late Minutes", "Menit Terlambat")
    early_minutes: tuple[str, ...] = ("Pulang Cepat (menit)", "Early Leaving (min)",
                                      "Pulang Cepat", "Plg. Cepat", "Early Leaving",
                                      "Early Leave", "Pulang Awal")
    absence: tuple[str, ...] = ("Tidak Hadir", "Absence", "Absent", "Alpa", "Absen")

    def find(self, headers) -> dict[str, int]:
        """Field name → position in `headers` for every field whose alias is present.

        Headers match ignoring case, spaces and punctuation ("Late (min)" is
        "late min"); a header is used by one field only.

        Examples:
            >>> MachineColumns().find(["PIN", "Nama", "Tanggal", "Jam Masuk", "Scan Masuk"])
            {'pin': 0, 'name': 1, 'date': 2, 'scan_in': 4}
        """
        keys = [header_key(h) for h in headers]
        found, used = {}, set()
        for name in FIELDS:
            for alias in getattr(self, name):
                key = header_key(alias)
                positions = [i for i, k in enumerate(keys) if k == key and i not in used]
                if positions:
                    found[name] = positions[0]
                    used.add(positions[0])
                    break
        return found


FIELDS = ("nip", "pin", "name", "date", "scan_in", "scan_out", "late_minutes",
          "early_minutes", "absence")
TIME_FIELDS = ("scan_in", "scan_out", "late_minutes", "early_minutes")
"""At least one of these is needed to tell late and early from on time."""


@dataclass(frozen=True)
class MachineImportConfig:
    """Column aliases, office hours (`Jam Masuk` / `Jam Pulang` in Pengaturan) and work week.

    Args:
        columns: the header aliases.
        office_start, office_end: the default day (07:30–16:00).
        hours_by_weekday: (start, end) for weekdays that differ, Monday = 0;
            e.g. {4: (time(7, 30), time(16, 30))} for a longer Friday.
        work_weekdays: weekdays that can be work days (Monday–Friday).
        use_machine_minutes: when the export has late/early minutes, take them
            rather than recomputing from the scan times, because the machine
            knows each employee's shift and tolerance.
    """

    columns: MachineColumns = field(default_factory=MachineColumns)
    office_start: dt.time = dt.time(7, 30)
    office_end: dt.time = dt.time(16, 0)
    hours_by_weekday: MappingProxyType | dict = field(default_factory=dict)
    work_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    use_machine_minutes: bool = True

    def hours(self, day: dt.date) -> tuple[dt.time, dt.time]:
        """Office (start, end) on `day`."""
        return self.hours_by_weekday.get(day.weekday(), (self.office_start, self.office_end))


def header_key(text) -> str:
    """A header reduced to lowercase letters and digits: "Late (min)" → "latemin"."""
    return re.sub(r"[^0-9a-z]+", "", str(text or "").casefold())
