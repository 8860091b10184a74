"""A fingerprint/face machine's monthly export → one `Kehadiran` row per employee.

Decisions (issue 15 leaves them open):

- **Rows**: one per employee per day, with scan times (scan in/out) and/or the
  machine's late/early minutes. Title lines above the header are skipped;
  several rows for one employee and day are merged (earliest scan in,
  latest scan out, fewest minutes).
- **Work days**: the weekdays of the month (`work_weekdays`, Monday–Friday)
  minus `holidays` when the caller gives the holidays (the calendar is then
  known). Without them, the weekdays on which anyone in the export scanned
  or the machine marked someone absent: a holiday nobody scanned on is not
  a work day even when the machine prints an empty row for it. Hari Kerja
  is the same for every employee of the export (a mid-month joiner is
  corrected by hand).
- **A work day without any scan** (an empty row or no row at all) counts as
  Tanpa Keterangan: the machine cannot know Izin, Sakit, Cuti or Dinas Luar,
  so the clerk moves those days to their column after the import.
- **TL/PSW**: minutes late after the office start (or the machine's own
  late minutes when the export has them, see `MachineImportConfig`), whole
  minutes, 1–30 TL1, 31–60 TL2, 61–90 TL3, over 90 TL4; a present day
  without a scan in is TL4 (likewise PSW4 without a scan out).
- **Unknown ids**: a PIN/NIP that is neither a known NIP nor mapped to one is
  returned in `unmatched` with its rows counted, never dropped silently.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from scoring.discipline import ATTENDANCE_COLUMNS

from .cells import (
    bracket,
    is_empty,
    minutes_between,
    read_date,
    read_flag,
    read_id,
    read_minutes,
    read_time,
)
from .config import MachineImportConfig
from .errors import MachineImportError
from .reading import ExportTable, read_export

KEHADIRAN_COLUMNS = ("period", *ATTENDANCE_COLUMNS)
"""Columns of `MachineImport.rows`: the attendance frame of scoring.discipline
plus the month's label; the columns the machine cannot know are left empty."""

DAY_COLUMNS = ("nip", "date", "present", "scan_in", "scan_out", "late_minutes",
               "early_minutes", "tl", "psw")


@dataclass(frozen=True)
class UnmatchedEmployee:
    """An id in the export that matches no employee: shown to the clerk, not dropped."""

    ident: str          # the PIN/NIP as written in the file; "" when the row has none
    name: str           # the name in the file, for recognising the person
    rows: int           # how many rows of the month carry this id
    first_row: int      # 1-based row number in the file (title lines counted)


@dataclass(frozen=True)
class MachineImport:
    """The result of one import.

    rows: KEHADIRAN_COLUMNS, one row per matched NIP, sorted by NIP.
    days: DAY_COLUMNS per matched NIP and work day (tl/psw 0 = on time, 1–4).
    unmatched: ids of the month that match no employee.
    not_in_export: known NIPs without a single row in the export.
    work_dates: the work days counted as Hari Kerja.
    outside_month, without_date: rows left out, counted so nothing vanishes unseen.
    fields: field name → the header it was read from (to show the clerk the mapping).
    """

    rows: pd.DataFrame
    days: pd.DataFrame
    unmatched: list[UnmatchedEmployee]
    not_in_export: list[str]
    work_dates: list[dt.date]
    outside_month: int = 0
    without_date: int = 0
    fields: dict = field(default_factory=dict)


def import_machine_file(path, *, period: str, known_nips=None, pin_to_nip=None,
                        config: MachineImportConfig | None = None,
                        holidays=None) -> MachineImport:
    """Read a machine export (.csv, .xlsx, .xls) and convert it; see `convert_export`."""
    config = config or MachineImportConfig()
    table = read_export(Path(path), config.columns)
    return convert_export(table, period=period, known_nips=known_nips, pin_to_nip=pin_to_nip,
                          config=config, holidays=holidays)


def convert_export(table: ExportTable, *, period: str, known_nips=None, pin_to_nip=None,
                   config: MachineImportConfig | None = None, holidays=None) -> MachineImport:
    """Monthly Kehadiran rows from the export's day rows (decisions in the module docstring).

    Args:
        table: the export as read by `read_export` (header, rows, field positions).
        period: the month, "2026-03"; rows of other months are counted, not used.
        known_nips: the workbook's NIPs; an id found here is the NIP. None:
            ids of a NIP column are taken as they are.
        pin_to_nip: machine PIN → NIP, for machines enrolled with short PINs.
        config: office hours, work week, whether machine minutes win.
        holidays: dates that are not work days (libur nasional, cuti bersama);
            given, every other weekday of the month is a work day. None: work
            days are inferred from the scans (module docstring).

    Returns:
        MachineImport.

    Raises:
        MachineImportError: a malformed period, or a cell that cannot be read
            (the message names the file, row, column and how to write it).
    """
    config = config or MachineImportConfig()
    year, month = _period(period)
    known = None if known_nips is None else {str(n) for n in known_nips}
    pins = {str(k): str(v) for k, v in (pin_to_nip or {}).items()}
    days: dict[tuple[str, dt.date], dict] = {}
    unmatched: dict[str, list] = {}
    seen_dates, outside, without_date = set(), 0, 0
    for number, cells in table.rows:
        record = _record(table, number, cells)
        if record is None:
            continue
        if record["date"] is None:
            without_date += 1
            continue
        if (record["date"].year, record["date"].month) != (year, month):
            outside += 1
            continue
        if record["present"] or record["marked_absent"]:
            seen_dates.add(record["date"])  # the office was open that day
        nip = _nip(record["ident"], record["from_nip_column"], known, pins)
        if nip is None:
            entry = unmatched.setdefault(record["ident"], [record["name"], 0, number])
            entry[0] = entry[0] or record["name"]
            entry[1] += 1
            continue
        _merge(days, (nip, record["date"]), record)
    if not days and not unmatched:
        raise MachineImportError(
            f"{table.source}: tidak ada baris bulan {month:02d}/{year} ({outside} baris bulan "
            f"lain). Periksa --period {period} atau pilih berkas ekspor bulan tersebut.")
    if holidays is None:
        candidates, skip = seen_dates, set()
    else:
        days_in_month = calendar.monthrange(year, month)[1]
        candidates = {dt.date(year, month, day) for day in range(1, days_in_month + 1)}
        skip = {_date(h, table.source) for h in holidays}
    work_dates = sorted(d for d in candidates if d.weekday() in config.work_weekdays
                        and d not in skip)
    nips = sorted({nip for nip, _ in days})
    day_rows = [_classify(nip, date, days.get((nip, date)), table, config)
                for nip in nips for date in work_dates]
    day_frame = pd.DataFrame(day_rows, columns=list(DAY_COLUMNS))
    return MachineImport(
        rows=_monthly(day_frame, nips, len(work_dates), f"{year}-{month:02d}", month),
        days=day_frame,
        unmatched=[UnmatchedEmployee(ident, name or "", rows, first)
                   for ident, (name, rows, first) in sorted(unmatched.items(),
                                                            key=lambda item: item[1][2])],
        not_in_export=sorted(known - set(nips)) if known is not None else [],
        work_dates=work_dates, outside_month=outside, without_date=without_date,
        fields={name: table.headers[i] for name, i in table.fields.items()})


def _record(table: ExportTable, number: int, cells: list) -> dict | None:
    """One data row read into Python values; None for a blank or footer line."""
    f = table.fields

    def cell(name):
        position = f.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    def read(name, reader):
        try:
            return reader(cell(name))
        except ValueError as error:
            raise MachineImportError(
                f"{table.source} baris {number}, kolom '{table.headers[f[name]]}': "
                f"'{cell(name)}' tidak terbaca. {error}") from None

    nip_text, pin_text = read_id(cell("nip")), read_id(cell("pin"))
    ident = nip_text or pin_text
    if not ident and is_empty(cell("date")):
        return None  # a blank, department or total line
    scan_in, scan_out = read("scan_in", read_time), read("scan_out", read_time)
    marked_absent = read_flag(cell("absence"))
    if "scan_in" in f or "scan_out" in f:
        present = scan_in is not None or scan_out is not None
    else:
        present = not marked_absent
    return {"ident": ident, "from_nip_column": bool(nip_text), "date": read("date", read_date),
            "name": str(cell("name") or "").strip(), "scan_in": scan_in, "scan_out": scan_out,
            "late": read("late_minutes", read_minutes),
            "early": read("early_minutes", read_minutes), "present": present,
            "marked_absent": marked_absent}


def _nip(ident: str, from_nip_column: bool, known, pins) -> str | None:
    if known is not None and ident in known:
        return ident
    if ident in pins:
        mapped = pins[ident]
        return mapped if known is None or mapped in known else None
    return ident if known is None and from_nip_column and ident else None


def _merge(days: dict, key, record: dict) -> None:
    """Fold a row into the day's record: earliest in, latest out, fewest minutes."""
    old = days.get(key)
    if old is None:
        days[key] = dict(record)
        return
    for name, pick in (("scan_in", min), ("scan_out", max), ("late", min), ("early", min)):
        values = [v for v in (old[name], record[name]) if v is not None]
        old[name] = pick(values) if values else None
    old["present"] = old["present"] or record["present"]


def _classify(nip: str, date: dt.date, record: dict | None, table, config) -> tuple:
    """One DAY_COLUMNS row: late/early minutes and brackets, or absent."""
    if record is None or not record["present"]:
        return (nip, date, False, None, None, None, None, 0, 0)
    start, end = config.hours(date)
    late = _minutes(record, "scan_in", "late", table, config,
                    lambda scan: minutes_between(start, scan))
    early = _minutes(record, "scan_out", "early", table, config,
                     lambda scan: minutes_between(scan, end))
    tl = 4 if late is None else bracket(late)
    psw = 4 if early is None else bracket(early)
    return (nip, date, True, record["scan_in"], record["scan_out"], late, early, tl, psw)


def _minutes(record, scan_field, minutes_key, table, config, from_scan):
    """Minutes late/early; None when the scan is missing (→ bracket 4)."""
    has_scan = scan_field in table.fields
    if has_scan and record[scan_field] is None:
        return None
    if record[minutes_key] is not None and (config.use_machine_minutes or not has_scan):
        return record[minutes_key]
    if has_scan:
        return from_scan(record[scan_field])
    return 0  # minutes-only export with an empty cell: the machine saw nothing late


def _monthly(days: pd.DataFrame, nips: list[str], work_days: int, label: str,
             month: int) -> pd.DataFrame:
    """One KEHADIRAN_COLUMNS row per NIP: the day brackets counted."""
    present = days["present"].astype(bool)
    counts = {f"{kind}{i}": (present & (days[kind] == i)) for kind in ("tl", "psw")
              for i in range(1, 5)}
    counts["absent_no_reason"] = ~present
    summed = pd.DataFrame(counts).groupby(days["nip"]).sum().reindex(nips, fill_value=0)
    frame = summed.astype("int64").rename_axis("nip").reset_index()
    frame = frame.assign(period=label, month=month, work_days=work_days)
    return frame.reindex(columns=list(KEHADIRAN_COLUMNS)).astype(
        {"month": "int64", "work_days": "int64"})


def _period(period: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d{4})-(\d{2})\s*", str(period))
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise MachineImportError(f"Periode '{period}' tidak dikenali. Tulis bulannya seperti "
                                 "2026-03 (tahun-bulan).")
    return int(match.group(1)), int(match.group(2))


def _date(value, source: str) -> dt.date:
    """A holiday date; MachineImportError when it is not one."""
    try:
        found = read_date(value)
    except ValueError:
        found = None
    if found is None:
        raise MachineImportError(f"Hari libur '{value}' untuk {source} bukan tanggal. "
                                 "Tulis tanggal seperti 2026-03-02.")
    return found

