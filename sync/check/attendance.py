"""Kehadiran, Tabel TPP and the TPP keys of Pengaturan: what the schema alone cannot check (issue 15).

The schema already checks every cell (counts are whole numbers ≥ 0, Hari Kerja
1–31, Kelas Jabatan 1–17, Besaran TPP > 0, months inside Tahun Penilaian, the
percentages 0–100). Here, across cells and tabs:

- `Kehadiran`: the NIP is in `Pegawai`; one row per NIP and month; no day
  column (nor their sum) above Hari Kerja; no more late arrivals, early
  leavings or missed apel than work days. Each is a Galat: the row is left
  out, so that month pays no TPP Disiplin and its status says why.
- `Tabel TPP`: one row per Kelas Jabatan.
- `Pegawai`: a Peringatan for each active employee without a TPP amount while
  others have one (their TPP is not computed; issue 15).
- `Pengaturan`: the two TPP shares add up to 100 and the office hours read as
  times, else the defaults are used (Peringatan), as for the other settings.

`tpp_settings` and `office_hours` turn the checked settings into what
`scoring.tpp` and the machine import take.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import fields

import numpy as np
import pandas as pd

from scoring.discipline import float_values
from scoring.errors import ScoringError
from scoring.tpp import TppSettings, missing_amounts
from sheet_templates.schema import ATTENDANCE, ATTENDANCE_DAYS, EMPLOYEES, SETTINGS, TPP_TABLE
from sync.check.rows import TabRows, show_value
from sync.check.validate import WARNING, Issue, make_issue

TPP_PREFIX = "tpp_"  # Pengaturan names of the TPP keys: "tpp_" + the TppSettings field
DAY_COLUMNS = ("absent_no_reason", *(name for _, name in ATTENDANCE_DAYS))
COUNT_GROUPS = (("tl1", "tl2", "tl3", "tl4"), ("psw1", "psw2", "psw3", "psw4"), ("no_apel",))
REJECTED_MONTHS = "rejected_months"  # attrs key of the Kehadiran frame: {(nip, month)} left out
NUMERIC_COLUMNS = tuple(c.name for c in ATTENDANCE.columns if c.type in ("int", "number"))
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?")


def check_pay_inputs(parsed: dict[str, TabRows], nips, settings: dict, issues: list[Issue]) -> None:
    """Every check of this module; `nips` tells which NIPs are in Pegawai (`known_keys`)."""
    issues.extend(settings_issues(settings))
    table = parsed[TPP_TABLE.name]
    table.duplicates(TPP_TABLE.key)
    _check_attendance(parsed[ATTENDANCE.name], nips)
    _check_amounts(parsed[EMPLOYEES.name], table)


# --- Kehadiran -------------------------------------------------------------------------------

def _check_attendance(rows: TabRows, nips) -> None:
    frame = rows.frame
    if frame.empty:
        return
    rows.flag(rows.unknown("nip", nips), "unknown_reference", "nip", target=EMPLOYEES.label)
    rows.duplicates(ATTENDANCE.key)
    # numpy arrays of the cells as numbers (pd.to_numeric's own dtypes), compared as pandas compares.
    work_days = _numbers(frame["work_days"])
    days = [_numbers(frame[column]) for column in DAY_COLUMNS]
    # Each rule's rows flagged at once, in row order as before; message values only for those rows.
    over_one = np.zeros(len(frame), dtype=bool)
    for column, values in zip(DAY_COLUMNS, days, strict=True):
        over = values > work_days
        if over.any():
            rows.flag(over, "attendance_day_over", column,
                      work_days=_per_row(frame["work_days"], over, show_value))
        over_one |= over
    total = _row_sums(days, frame.index)
    over_sum = ~over_one & (total.to_numpy() > work_days)
    if over_sum.any():
        rows.flag(over_sum, "attendance_days_sum", "work_days", total=_per_row(total, over_sum, _number))
    for group in COUNT_GROUPS:
        counts = _row_sums([_numbers(frame[column]) for column in group], frame.index)
        over = counts.to_numpy() > work_days
        labels = "–".join(ATTENDANCE.column(c).label for c in (group[0], group[-1]))
        if len(group) == 1:
            labels = ATTENDANCE.column(group[0]).label
        if over.any():
            rows.flag(over, "attendance_count_over", group[0], columns=labels,
                      total=_per_row(counts, over, _number),
                      work_days=_per_row(frame["work_days"], over, show_value))
    left_out = ~frame["_ok"].astype(bool).to_numpy() & frame["nip"].notna().to_numpy()
    nip, month = frame["nip"].to_numpy(dtype=object), frame["month"].to_numpy(dtype=object)
    frame.attrs[REJECTED_MONTHS] = {(nip[i], month[i][1]) for i in np.flatnonzero(left_out).tolist()
                                    if isinstance(month[i], tuple)}


def _numbers(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column, errors="coerce").to_numpy()


def _row_sums(columns: list[np.ndarray], index: pd.Index) -> pd.Series:
    """Per row the sum of `columns`, a blank counting 0: `fillna(0).sum(axis=1)` of them (added left
    to right, as pandas adds so few columns; whole numbers stay whole)."""
    filled = [np.where(np.isnan(c), 0, c) if c.dtype.kind == "f" else c for c in columns]
    return pd.Series(functools.reduce(np.add, filled), index=index)


def _per_row(values: pd.Series, mask: np.ndarray, show) -> pd.Series:
    """`show` of each value where `mask` holds (as `frame.at` gives it), "" elsewhere (never shown)."""
    cells, out = values.array, np.full(len(values), "", dtype=object)
    for i in np.flatnonzero(mask).tolist():
        out[i] = show(cells[i])
    return pd.Series(out, index=values.index, dtype=object)


def rejected_months(attendance: pd.DataFrame) -> set[tuple[str, int]]:
    """(NIP, month number) of the Kehadiran rows validation left out (a Galat on them)."""
    return set(attendance.attrs.get(REJECTED_MONTHS, ()))


def _number(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}".replace(".", ",")


# --- Pegawai without a TPP amount -------------------------------------------------------------

def _check_amounts(employees: TabRows, table: TabRows) -> None:
    """A Peringatan on each active employee without an amount while others have one."""
    staff = employees.frame.loc[employees.frame["_ok"].astype(bool) & employees.frame["nip"].notna()]
    classes = table.frame.loc[table.frame["_ok"].astype(bool), ["job_class", "amount"]]
    if staff.empty or (classes.empty and staff["tpp_amount"].isna().all()):
        return  # TPP not used in this workbook
    try:
        missing = set(missing_amounts(staff, classes)["nip"])
    except ScoringError:  # cannot happen with validated cells; never let it stop the check
        return
    if not missing:
        return
    frame = employees.frame
    lacking = frame["_ok"].astype(bool) & frame["nip"].isin(missing)
    no_class = lacking & frame["job_class"].isna()
    employees.flag(no_class, "tpp_no_class", "job_class", level=WARNING,
                   values=pd.Series("", index=frame.index))
    employees.flag(lacking & ~no_class, "tpp_class_missing", "job_class", level=WARNING,
                   target=TPP_TABLE.label)


# --- Pengaturan ------------------------------------------------------------------------------

def settings_issues(settings: dict) -> list[Issue]:
    """The TPP shares and office hours of Pengaturan; an unusable value is replaced by its default."""
    issues = []
    shares = ("tpp_performance_share", "tpp_discipline_share")
    total = sum(float(settings.get(name) or 0) for name in shares)
    if abs(total - 100) > 1e-9:
        defaults = [SETTINGS.column(name).default for name in shares]
        issues.append(make_issue(WARNING, "tpp_shares_sum", SETTINGS, value=_number(total),
                                 total=_number(total), performance=defaults[0],
                                 discipline=defaults[1]))
        for name, default in zip(shares, defaults, strict=True):
            settings[name] = default
    hours = {}
    for name in ("office_start", "office_end"):
        column = SETTINGS.column(name)
        try:
            hours[name] = parse_clock(settings.get(name) or column.default)
        except ValueError:
            issues.append(make_issue(WARNING, "office_hours", SETTINGS, column=column,
                                     value=str(settings.get(name)), default=column.default))
            hours[name] = parse_clock(column.default)
        settings[name] = hours[name].strftime("%H:%M")
    if hours["office_end"] <= hours["office_start"]:
        start, end = (SETTINGS.column(n).default for n in ("office_start", "office_end"))
        issues.append(make_issue(WARNING, "office_hours_order", SETTINGS,
                                 value=f"{settings['office_start']}–{settings['office_end']}",
                                 start=settings["office_start"], end=settings["office_end"],
                                 default_start=start, default_end=end))
        settings["office_start"], settings["office_end"] = start, end
    return issues


def parse_clock(value) -> dt.time:
    """A time of day as typed: "07:30", "7.30", "07:30:00", a time or datetime cell, or Excel's
    fraction of a day (0.3125).

    Examples:
        >>> parse_clock("7.30"), parse_clock(0.6666666666666666)
        (datetime.time(7, 30), datetime.time(16, 0))
    """
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(float(value) * 24 * 60)
        return dt.time(minutes // 60 % 24, minutes % 60)
    text = str(value).strip()
    try:
        fraction = float(text.replace(",", "."))
    except ValueError:
        fraction = None
    if fraction is not None and 0 <= fraction < 1 and not _CLOCK.fullmatch(text):
        return parse_clock(fraction)
    match = _CLOCK.fullmatch(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError(f"not a time of day: {value!r}")
    return dt.time(int(match[1]), int(match[2]))


def office_hours(settings: dict) -> tuple[dt.time, dt.time]:
    """(Jam Masuk, Jam Pulang) from checked settings (defaults where unreadable)."""
    out = []
    for name in ("office_start", "office_end"):
        try:
            out.append(parse_clock(settings.get(name) or SETTINGS.column(name).default))
        except ValueError:
            out.append(parse_clock(SETTINGS.column(name).default))
    return out[0], out[1]


def tpp_settings(settings: dict) -> TppSettings:
    """The TPP keys of checked settings as `scoring.tpp.TppSettings` (defaults for what is missing).

    The checks above already keep every value usable; should a combination still be refused,
    the defaults of issue 15 are used rather than failing the whole run.
    """
    values = {f.name: settings.get(TPP_PREFIX + f.name) for f in fields(TppSettings)}
    try:
        return TppSettings(**{name: value for name, value in values.items() if value is not None})
    except ScoringError:
        return TppSettings()


def attendance_frame(attendance: pd.DataFrame) -> pd.DataFrame:
    """Validated Kehadiran rows → the attendance frame of `scoring.discipline` (month numbers,
    blank counts as 0 in scoring)."""
    out = attendance.drop(columns=["_row"], errors="ignore")  # copy-on-write: `attendance` stays
    months = attendance["month"].tolist()
    out["month"] = np.array([m[1] if isinstance(m, tuple) else m for m in months], dtype=np.int64)
    for column in NUMERIC_COLUMNS:
        out[column] = float_values(attendance[column])  # numbers already, most: no pandas call
    out["nip"] = attendance["nip"].astype(str).array
    return out
