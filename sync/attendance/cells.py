"""Lenient readers for the cells of a machine export (dates, clock times, minutes), and
the TL/PSW brackets of a number of minutes.

Each takes what csv/openpyxl/calamine deliver (str, number, date, datetime,
time, timedelta, None) and returns the value, None for an empty cell, or
raises ValueError with the Indonesian fix (the caller adds row and column).
"""

from __future__ import annotations

import datetime as dt
import math
import re

EMPTY = {"", "-", "--", "--:--", "-:-", "x:x", "null", "none", "nan"}
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "pebruari": 2,
    "february": 2, "mar": 3, "maret": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5,
    "jun": 6, "juni": 6, "june": 6, "jul": 7, "juli": 7, "july": 7, "agu": 8, "agt": 8,
    "ags": 8, "aug": 8, "agustus": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oct": 10, "oktober": 10, "october": 10, "nov": 11, "nop": 11, "november": 11,
    "des": 12, "dec": 12, "desember": 12, "december": 12,
}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_NAMED = re.compile(r"(\d{1,2})[\s\-/.]*([a-z]+)[\s\-/.,]*(\d{4}|\d{2})")
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?")
DATE_FIX = "Tulis tanggal seperti 02/03/2026 (hari/bulan/tahun) atau 2026-03-02."
TIME_FIX = "Tulis jam seperti 07:45 atau 07:45:10, atau kosongkan bila tidak ada scan."
MINUTES_FIX = "Tulis jumlah menit sebagai angka (mis. 12) atau jam:menit (mis. 0:12)."


def is_empty(value) -> bool:
    """True for a cell with nothing in it (None, NaN, '', '-', '--:--')."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and value.strip().casefold() in EMPTY


def read_date(value) -> dt.date | None:
    """A calendar date; day first for slashed dates, as Indonesian exports write them.

    Examples:
        >>> read_date("02/03/2026"), read_date("Senin, 2 Maret 2026"), read_date(46083)
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 2), datetime.date(2026, 3, 2))
    """
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 <= value < 80000:  # an Excel serial day number (1954–2118)
            return (EXCEL_EPOCH + dt.timedelta(days=int(value))).date()
        raise ValueError(DATE_FIX)
    text = str(value).strip().casefold()
    try:
        if match := _ISO.search(text):
            year, month, day = (int(g) for g in match.groups())
        elif match := _DMY.search(text):
            day, month, year = (int(g) for g in match.groups())
        elif (match := _NAMED.search(text)) and match.group(2) in MONTHS:
            day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
            year += 2000 if year < 100 else 0
        else:
            raise ValueError(DATE_FIX)
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(DATE_FIX) from None


def read_time(value) -> dt.time | None:
    """A clock time; None for an empty cell or 00:00, which exports print for "no scan".

    Examples:
        >>> read_time("7.45"), read_time(0.3125), read_time("4:05 PM"), read_time("--:--")
        (datetime.time(7, 45), datetime.time(7, 30), datetime.time(16, 5), None)
    """
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        found = value.time()
    elif isinstance(value, dt.time):
        found = value
    elif isinstance(value, dt.timedelta):
        found = _from_seconds(value.total_seconds())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 <= value < 1:  # Excel stores a time of day as a fraction of a day
            raise ValueError(TIME_FIX)
        found = _from_seconds(round(value * 86400))
    else:
        text = str(value).strip()
        match = _CLOCK.search(text.rsplit(" ", 1)[-1]) or _CLOCK.search(text)
        if match is None:
            raise ValueError(TIME_FIX)
        hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        suffix = text.casefold().replace(".", "")
        if suffix.endswith("pm") and hour < 12:  # "4:05 PM" from English-locale exports
            hour += 12
        elif suffix.endswith("am") and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(TIME_FIX)
        found = dt.time(hour, minute, second)
    return None if found == dt.time(0, 0) else found


def read_minutes(value) -> int | None:
    """Whole minutes from a number or an h:mm duration; None when empty.

    Examples:
        >>> read_minutes("12"), read_minutes("1:05"), read_minutes("12,0"), read_minutes("")
        (12, 65, 12, None)
    """
    if is_empty(value):
        return None
    if isinstance(value, dt.timedelta):
        return int(value.total_seconds() // 60)
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(MINUTES_FIX)
        return int(value)
    text = str(value).strip().casefold().removesuffix("menit").removesuffix("min").strip()
    if match := _CLOCK.fullmatch(text):
        return int(match.group(1)) * 60 + int(match.group(2))
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(MINUTES_FIX) from None
    if number < 0 or math.isnan(number):
        raise ValueError(MINUTES_FIX)
    return int(number)


def read_flag(value) -> bool:
    """True when an absence cell says the employee was absent (a positive number or yes)."""
    if is_empty(value):
        return False
    if isinstance(value, int | float):
        return value > 0
    text = str(value).strip().casefold()
    if text in {"ya", "yes", "y", "true", "x", "v", "√", "✓", "absent", "alpa", "tidak hadir"}:
        return True
    try:
        return float(text.replace(",", ".")) > 0
    except ValueError:
        return False


def read_id(value) -> str:
    """An employee id as text: "1234.0" from a numeric cell becomes "1234", spaces dropped."""
    if is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = re.sub(r"\s+", "", str(value))
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text


def bracket(minutes: int | None) -> int:
    """TL/PSW bracket of a number of minutes: 0 on time, 1 (1–30) … 4 (over 90).

    Examples:
        >>> [bracket(m) for m in (0, 1, 30, 31, 60, 61, 90, 91)]
        [0, 1, 1, 2, 2, 3, 3, 4]
    """
    if minutes is None or minutes <= 0:
        return 0
    return 1 if minutes <= 30 else 2 if minutes <= 60 else 3 if minutes <= 90 else 4


def minutes_between(earlier: dt.time, later: dt.time) -> int:
    """Whole minutes from `earlier` to `later` (0 when not later): 07:30 → 07:30:59 is 0."""
    seconds = (later.hour - earlier.hour) * 3600 + (later.minute - earlier.minute) * 60 + (
        later.second - earlier.second)
    return max(0, seconds // 60)


def _from_seconds(seconds: float) -> dt.time:
    seconds = int(seconds) % 86400
    return dt.time(seconds // 3600, seconds % 3600 // 60, seconds % 60)
