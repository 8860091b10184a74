"""What the supervisor's side of the `Pengaduan` tab says: statuses, counts, problems to report (pure)."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import NamedTuple

import pandas as pd

from sync.complaints.cells import (
    DEADLINE,
    FINISHED,
    ID,
    STATUS,
    STATUS_LABELS,
    TAB,
    TIME,
    _cell_text,
    _column_letter,
    _headers,
    _read_rows,
    id_text,
    parse_date,
    status_code,
)

MESSAGES = {
    "duplicate_id": (
        "ID Respons '{value}' ganda: sudah ada di baris {first}; hanya tindak lanjut di baris {first} "
        "yang dihitung.",
        "Salin isian yang masih perlu ke baris {first}, lalu hapus baris ini.",
    ),
    "unknown_status": (
        "Status '{value}' bukan pilihan yang sah; pengaduan ini dihitung belum selesai.",
        "Pilih salah satu: Baru, Diproses, Selesai.{suggestion}",
    ),
    "finished_not_a_date": (
        "Tanggal Selesai '{value}' tidak dapat dibaca sebagai tanggal; pengaduan ini dihitung "
        "belum selesai tepat waktu.",
        "Ketik tanggal seperti 2026-03-14 atau 14/03/2026.",
    ),
    "done_without_date": (
        "Status Selesai tetapi Tanggal Selesai kosong; pengaduan ini tidak dihitung selesai tepat waktu.",
        "Isi Tanggal Selesai dengan tanggal pengaduan ini diselesaikan.",
    ),
    "finished_in_future": (
        "Tanggal Selesai {value} jatuh pada tahun yang belum tiba (hari ini {today}); tanggal ini diabaikan "
        "dan pengaduan ini dihitung belum selesai.",
        "Perbaiki tahun pada Tanggal Selesai; mungkin salah ketik.",
    ),
    "finished_before_time": (
        "Tanggal Selesai {value} lebih awal dari Waktu pengaduan ({time}); tanggal ini diabaikan.",
        "Perbaiki Tanggal Selesai.",
    ),
    "duplicate_header": (
        "Judul kolom '{value}' muncul lebih dari sekali; kolom ini ditulis ulang sebagai '{renamed}'.",
        "Ganti nama atau hapus kolom ganda.",
    ),
}


class Problem(NamedTuple):
    """One problem in the tab, for the lead to turn into a Validasi row (a Peringatan:
    nothing is dropped). `row` is the sheet row number, `cell` its A1 address."""

    tab: str
    row: int
    column: str
    cell: str
    value: str
    problem: str
    fix: str


# --- what the tab says --------------------------------------------------------------------------


def supervisor_status(rows: pd.DataFrame | None, today: dt.date | None = None) -> pd.DataFrame:
    """The `handled` frame of scoring.complaints: response_id, status, finished_on.

    One row per ID Respons, the first row of the tab with it (after
    `merge_complaints` that is the row merged into the complaint). `status`
    is a code ("new" for a blank cell, None for text that is not a status),
    `finished_on` the Tanggal Selesai as a date (None when blank or unreadable, or in a year after
    `today`'s: a typo such as 3026 for 2026, which `complaint_problems` reports).

    Examples:
        >>> tab = pd.DataFrame({"ID Respons": ["a", 7.0], "status": ["Selesai", "?"],
        ...                     "Tanggal Selesai": ["14/03/2026", None]})
        >>> supervisor_status(tab).values.tolist()
        [['a', 'done', datetime.date(2026, 3, 14)], ['7', None, None]]
    """
    records, seen = [], set()
    for row in _read_rows(rows)[0]:
        rid = id_text(row.cells[ID])
        if rid and rid not in seen:
            seen.add(rid)
            finished = parse_date(row.cells[FINISHED])
            if _future_year(finished, today):
                finished = None
            records.append((rid, status_code(row.cells[STATUS]), finished))
    columns = ("response_id", "status", "finished_on")
    index = pd.RangeIndex(len(records))  # shared by every column: the constructor then aligns nothing
    return pd.DataFrame({c: pd.Series([r[i] for r in records], index=index, dtype=object)
                         for i, c in enumerate(columns)}, index=index)


def status_counts(rows: pd.DataFrame | None, today) -> dict[str, int]:
    """Counts for the tab's header line: new, in_progress, done, unknown and
    overdue (not Selesai and Batas Waktu before `today`)."""
    today = parse_date(today)
    counts = dict.fromkeys(("new", "in_progress", "done", "unknown", "overdue"), 0)
    for row in _read_rows(rows)[0]:
        code = status_code(row.cells[STATUS])
        counts[code or "unknown"] += 1
        deadline = parse_date(row.cells[DEADLINE])
        if code != "done" and deadline is not None and deadline < today:
            counts["overdue"] += 1
    return counts


def complaint_problems(rows: pd.DataFrame | None, first_row: int = 2,
                       today: dt.date | None = None) -> list[Problem]:
    """Problems in the tab, in row order: duplicate ID Respons (every row after
    the first with that id), an unknown Status, a Tanggal Selesai that is not a
    date, is in a year after `today`'s or is before Waktu, Selesai without Tanggal Selesai,
    and headers that appear twice.

    Pass the frame `merge_complaints` returned to name rows as they are
    written, or the tab as read to name them as they were.

    Args:
        rows: the tab, one column per header.
        first_row: the sheet row number of the first data row (the header
            row is the one above it).
    """
    if rows is None or rows.shape[1] == 0:
        return []
    headers, renamed = _headers(rows.columns)
    where = {h.label: h.position for h in headers if h.contract}
    problems = [
        _problem(first_row - 1, text, position, text, "duplicate_header", renamed=label)
        for position, text, label in renamed
    ]
    first_of: dict[str, int] = {}
    for row in _read_rows(rows)[0]:
        number = first_row + row.position
        found = []  # (column, message key, value, extra values)
        rid = id_text(row.cells[ID])
        if rid in first_of:
            found.append((ID, "duplicate_id", rid, {"first": first_of[rid]}))
        elif rid:
            first_of[rid] = number
        status, finished = row.cells[STATUS], row.cells[FINISHED]
        code = status_code(status)
        if code is None:
            close = difflib.get_close_matches(str(status).strip().capitalize(), STATUS_LABELS.values(), 1)
            found.append(
                (
                    STATUS,
                    "unknown_status",
                    status,
                    {"suggestion": f" Mungkin maksudnya '{close[0]}'?" if close else ""},
                )
            )
        day = parse_date(finished)
        if finished is not None and day is None:
            found.append((FINISHED, "finished_not_a_date", finished, {}))
        elif _future_year(day, today):
            found.append((FINISHED, "finished_in_future", finished, {"today": today.isoformat()}))
        elif code == "done" and finished is None:
            found.append((FINISHED, "done_without_date", finished, {}))
        elif day is not None and (start := parse_date(row.cells[TIME])) is not None and day < start:
            found.append((FINISHED, "finished_before_time", finished, {"time": start.isoformat()}))
        problems += [
            _problem(number, label, where.get(label), value, key, **values)
            for label, key, value, values in found
        ]
    return problems


def _future_year(day: dt.date | None, today: dt.date | None) -> bool:
    """A finish date in a year that has not begun: a typo (3026, 2062), not a plan. A later day of this
    year is taken as typed (a supervisor may date the end of work under way)."""
    return today is not None and day is not None and day.year > today.year


def _problem(row: int, column: str, position: int | None, value, key: str, **values) -> Problem:
    text = _cell_text(value)
    problem, fix = MESSAGES[key]
    cell = f"{_column_letter(position)}{row}" if position is not None else ""
    return Problem(
        TAB, row, column, cell, text, problem.format(value=text, **values), fix.format(value=text, **values)
    )
