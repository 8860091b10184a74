"""The `Pengaduan` tab's contract and cells: its columns, and reading what a spreadsheet holds (pure)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple

import pandas as pd

import sheet_templates.complaints as contract

TAB = contract.COMPLAINTS.label

SERVICE_COLUMNS: tuple[tuple[str, str], ...] = tuple((c.label, c.name) for c in contract.SERVICE_COLUMNS)
"""(label, internal name) of the service's nine columns, in tab order (sheet_templates.complaints)."""

SERVICE_LABELS = tuple(label for label, _ in SERVICE_COLUMNS)
SUPERVISOR_LABELS = tuple(c.label for c in contract.SUPERVISOR_COLUMNS)
COLUMNS = SERVICE_LABELS + SUPERVISOR_LABELS
"""The thirteen columns of the tab, in order."""

_LABEL = {c.name: c.label for c in contract.COMPLAINTS.columns}
ID, TIME, DEADLINE = _LABEL["response_id"], _LABEL["timestamp"], _LABEL["deadline"]
STATUS, FINISHED = _LABEL["status"], _LABEL["finished_on"]

STATUS_LABELS = contract.STATUS_LABELS
"""Status code (scoring.complaints.STATUSES) → the dropdown text."""
NEW_STATUS = STATUS_LABELS["new"]
MARKED_TEXT = contract.MARKED_TEXT
"""Unsur Bermasalah of a complaint the clerk marked by its Saran, no unsur low."""

EXCEL_EPOCH = dt.datetime(1899, 12, 30)


# --- cells --------------------------------------------------------------------------------------

def is_blank(value) -> bool:
    """None, NaN, NaT or text of spaces only."""
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def id_text(value) -> str:
    """An ID Respons as text: stripped; a number a spreadsheet made of it without '.0'.

    Examples:
        >>> [id_text(v) for v in (" r-1 ", 123.0, 42, None, 1.5)]
        ['r-1', '123', '42', '', '1.5']
    """
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | Decimal) and math.isfinite(value) and value == int(value):
        return str(int(value))
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return id_text(value.item())
    return str(value).strip()


def _label_key(label) -> str:
    return re.sub(r"[\W_]+", "", str(label).casefold())


_STATUS_KEYS = {_label_key(text): code for code, text in STATUS_LABELS.items()}


def status_code(value) -> str | None:
    """The code of a Status cell: blank → "new"; unknown text → None.

    Examples:
        >>> [status_code(v) for v in ("Selesai", " diproses ", None, "Beres")]
        ['done', 'in_progress', 'new', None]
    """
    if is_blank(value):
        return "new"
    return _STATUS_KEYS.get(_label_key(value))


def parse_datetime(value) -> dt.datetime | None:
    """A date or time cell read leniently; None when blank or unreadable.

    Accepts date/datetime cells (time zone dropped, wall time kept), Excel day
    numbers, ISO text and dd/mm/yyyy [hh:mm[:ss]] (also with - or .).
    """
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if hasattr(value, "item") and not isinstance(value, str):
        return parse_datetime(pd.Timestamp(value) if "datetime64" in str(getattr(value, "dtype", ""))
                              else value.item())
    if isinstance(value, int | float | Decimal):
        return EXCEL_EPOCH + dt.timedelta(days=float(value)) if 20000 < value < 80000 else None
    text = " ".join(str(value).split())
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        pass
    for sep in "/-.":
        for fmt in ("%d{s}%m{s}%Y %H:%M:%S", "%d{s}%m{s}%Y %H:%M", "%d{s}%m{s}%Y"):
            try:
                return dt.datetime.strptime(text, fmt.format(s=sep))
            except ValueError:
                continue
    return None


def parse_date(value) -> dt.date | None:
    """`parse_datetime`'s day."""
    moment = parse_datetime(value)
    return moment.date() if moment else None


def format_problem_items(items, item_labels: Mapping[str, str] | None = None, marked: bool = False):
    """Unsur Bermasalah text: "Label: answer; …" (labels default to U1…U9).

    Text is kept as given; an empty tuple is MARKED_TEXT when `marked`, else None.

    Examples:
        >>> format_problem_items((("u3", 1), ("u7", 1.0)), {"u3": "Waktu Penyelesaian"})
        'Waktu Penyelesaian: 1; U7: 1'
    """
    if isinstance(items, str) or (is_blank(items) and not isinstance(items, tuple | list)):
        return None if is_blank(items) else items
    labels = item_labels or {}
    parts = [f"{labels.get(code, str(code).upper())}: {_number_text(answer)}" for code, answer in items]
    if parts:
        return "; ".join(parts)
    return MARKED_TEXT if marked else None


def _number_text(value) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number).replace(".", ",")


def _cell_text(value) -> str:
    if is_blank(value):
        return ""
    if isinstance(value, dt.datetime | pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M" if (value.hour, value.minute) != (0, 0) else "%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- reading the tab ----------------------------------------------------------------------------

class _Header(NamedTuple):
    position: int
    source: object  # the label as read
    label: str  # the label written (a contract label, or the extra's own)
    contract: bool


_CONTRACT_KEYS = {_label_key(label): label for label in COLUMNS}


def _headers(columns) -> tuple[list[_Header], list[tuple[int, str, str]]]:
    """The columns to read, and the duplicate headers renamed (position, as read, renamed)."""
    headers, used, renamed = [], set(), []
    for position, source in enumerate(columns):
        if is_blank(source) or str(source).startswith("Unnamed:"):
            continue
        text = " ".join(str(source).split())
        key = _label_key(text)
        if key in _CONTRACT_KEYS and key not in used:
            headers.append(_Header(position, source, _CONTRACT_KEYS[key], True))
            used.add(key)
            continue
        label, n = text, 1
        while _label_key(label) in used:
            n += 1
            label = f"{text} ({n})"
        if label != text:
            renamed.append((position, text, label))
        headers.append(_Header(position, source, label, False))
        used.add(_label_key(label))
    return headers, renamed


class _Row(NamedTuple):
    position: int  # 0-based position in the frame as read
    cells: dict  # contract label → value (None when blank)
    extras: dict  # extra label → value


def _read_rows(frame: pd.DataFrame | None) -> tuple[list[_Row], list[_Header]]:
    if frame is None or frame.shape[1] == 0:
        return [], []
    headers, _ = _headers(frame.columns)
    values = frame.to_numpy(dtype=object)
    rows = []
    for position, line in enumerate(values):
        cells = {label: None for label in COLUMNS}
        extras = {}
        for header in headers:
            value = line[header.position]
            value = None if is_blank(value) else value
            (cells if header.contract else extras)[header.label] = value
        if any(v is not None for v in cells.values()) or any(v is not None for v in extras.values()):
            rows.append(_Row(position, cells, extras))
    return rows, [h for h in headers if not h.contract]


def _filled(row: _Row) -> int:
    return sum(row.cells[label] is not None for label in SUPERVISOR_LABELS)


