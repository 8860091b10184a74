"""A machine export's month into the workbook's `Kehadiran` tab (`kinerja kehadiran import`).

One read of `Pengaturan`, `Pegawai` and `Kehadiran`, then at most one append
to `Kehadiran`, through the source's own `append_rows` (the same path as the
survey flush: on Excel only that tab's sheet part changes and a workbook
saved meanwhile is refused; on Google Sheets one atomic batchUpdate).

Decisions:

- **Never over a clerk's typing.** An employee who already has a Kehadiran
  row for the month keeps it as it is; the export's row for them is not
  added, and their NIP is listed so the clerk can delete the old row and
  import again when the machine should win. The clerk usually corrects the
  machine's figures (moves days from Tanpa Keterangan to Sakit, Izin, Cuti,
  Dinas Luar), so replacing rows would silently undo that work; running the
  import twice therefore adds nothing the second time.
- Office hours come from `Jam Masuk` / `Jam Pulang` in `Pengaturan`; the
  month must be inside `Tahun Penilaian` (otherwise validation would reject
  every row written).
- PINs and NIPs matching no employee are returned (shown by the command), not
  dropped silently; see `sync.attendance.machine_import` for how days and
  brackets are counted.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sheet_templates.schema import ATTENDANCE, EMPLOYEES, SETTINGS
from sync.check.attendance import office_hours, settings_issues
from sync.check.settings import read_settings
from sync.check.validate import check_tab
from sync.parse import CellError, normalise_label, parse_month
from sync.sources import Source

from .config import MachineColumns, MachineImportConfig
from .errors import MachineImportError
from .machine_import import MachineImport, import_machine_file

FIELD_NAMES = {  # what `--kolom` accepts, Indonesian first, → MachineColumns field
    "nip": "nip", "pin": "pin", "nama": "name", "name": "name", "tanggal": "date", "date": "date",
    "masuk": "scan_in", "scan_in": "scan_in", "pulang": "scan_out", "scan_out": "scan_out",
    "terlambat": "late_minutes", "late_minutes": "late_minutes", "pulang_cepat": "early_minutes",
    "early_minutes": "early_minutes", "tidak_hadir": "absence", "absence": "absence",
}

SHOWN_FIELDS = ("nip", "pin", "nama", "tanggal", "masuk", "pulang", "terlambat", "pulang_cepat",
                "tidak_hadir")


@dataclass(frozen=True)
class AttendanceImport:
    """What one import did.

    appended: NIPs whose row was added; kept: NIPs that already had a row for
    the month (left as typed, not imported); machine: the conversion (work
    days, unmatched ids, employees absent from the export, the fields read);
    created_tab: the workbook had no Kehadiran tab, so the append made one.
    """

    period: str
    appended: list[str]
    kept: list[str]
    machine: MachineImport
    created_tab: bool = False


def columns_with(mapping: dict[str, str] | None) -> MachineColumns:
    """The default header aliases, with `mapping` (field → header, `--kolom`) tried first.

    Raises:
        MachineImportError: a field name that does not exist.
    """
    columns = MachineColumns()
    changes: dict[str, tuple[str, ...]] = {}
    for key, header in (mapping or {}).items():
        field = FIELD_NAMES.get(key.strip().casefold().replace("-", "_").replace(" ", "_"))
        if field is None:
            raise MachineImportError(
                f"Nama kolom '{key}' tidak dikenal untuk --kolom; pakai salah satu: "
                f"{', '.join(SHOWN_FIELDS)}.")
        changes[field] = (header.strip(), *changes.get(field, getattr(columns, field)))
    return dataclasses.replace(columns, **changes)


def import_attendance(source: Source, path: Path, period: str, *, pin_to_nip: dict | None = None,
                      holidays=None, columns: MachineColumns | None = None) -> AttendanceImport:
    """Read the export at `path` for month `period` ("2026-03") and append its rows to Kehadiran.

    Args:
        source: the workbook (Excel or Google Sheets).
        path: the machine's export (.csv, .xlsx, .xls).
        period: the month.
        pin_to_nip: machine PIN → NIP for machines enrolled with short PINs.
        holidays: the month's holidays (dates); None infers work days from the scans.
        columns: header aliases (`columns_with`).

    Raises:
        MachineImportError: the export cannot be read, the month is outside Tahun
            Penilaian, or the workbook has no usable Pegawai tab.
    """
    raw = source.read({normalise_label(tab.label) for tab in (SETTINGS, EMPLOYEES, ATTENDANCE)})
    settings, _, _ = read_settings(raw)
    settings_issues(settings)  # unreadable office hours fall back to their defaults
    year = settings.get("year")
    try:
        month_year, month = parse_month(period)
    except CellError:
        raise MachineImportError(f"Periode '{period}' tidak dikenali. Tulis bulannya seperti 2026-03 "
                                 "(tahun-bulan).") from None
    label = f"{month_year}-{month:02d}"
    if year is not None and month_year != year:
        raise MachineImportError(
            f"Periode {label} di luar Tahun Penilaian {year} workbook ini; pilih bulan tahun {year} "
            "atau ubah Tahun Penilaian di tab Pengaturan.")
    employees = check_tab(EMPLOYEES, raw, [], year)
    nips = set() if employees is None else {n for n in employees["nip"] if isinstance(n, str)}
    if not nips:
        raise MachineImportError(
            f"Tab {EMPLOYEES.label} di {source.location} tidak berisi NIP yang dapat dibaca, jadi data "
            "mesin absen tidak dapat dicocokkan dengan pegawai. Isi tab Pegawai dulu, lalu ulangi.")
    start, end = office_hours(settings)
    config = MachineImportConfig(columns=columns or MachineColumns(), office_start=start, office_end=end)
    machine = import_machine_file(path, period=label, known_nips=nips, pin_to_nip=pin_to_nip,
                                  config=config, holidays=holidays)
    existing = check_tab(ATTENDANCE, raw, [], year)
    present = set() if existing is None else {
        n for n, m in zip(existing["nip"], existing["month"], strict=True)
        if isinstance(n, str) and isinstance(m, tuple) and m[1] == month}
    new = machine.rows.loc[~machine.rows["nip"].isin(present)]
    labels = [column.label for column in ATTENDANCE.columns]
    note = f"Impor mesin absen {Path(path).name}"
    rows = [[_cell(record.get(column.name if column.name != "month" else "period"), column.name)
             if column.name != "note" else note for column in ATTENDANCE.columns]
            for record in new.to_dict("records")]
    if rows:
        source.append_rows(ATTENDANCE.label, labels, rows)
    return AttendanceImport(label, new["nip"].tolist(), sorted(set(machine.rows["nip"]) & present), machine,
                            created_tab=existing is None and bool(rows))


def _cell(value, name: str):
    """A value as the clerk would type it: counts as whole numbers, blanks empty, text as text."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if name in ("month", "nip"):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value.item() if hasattr(value, "item") else value
