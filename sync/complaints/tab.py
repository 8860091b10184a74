"""The `Pengaduan` tab as the service writes it: complaints from the surveys, the supervisor's typing kept.

Pure: the checked survey and employee frames and the tab as read go in, an
`OutputTab` comes out. The rules of what a complaint is live in
`scoring.complaints`; how the two sides' columns are merged in `merge`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from scoring.complaints import ComplaintSettings, detect_complaints
from sheet_templates import complaints as contract
from sheet_templates.schema import SKM_ITEMS
from sync.complaints.merge import (
    COLUMNS,
    STATUS_LABELS,
    SUPERVISOR_LABELS,
    TAB,
    complaint_problems,
    id_text,
    merge_complaints,
    status_counts,
)
from sync.outtabs import ConditionalFill, OutputColumn, OutputTab
from sync.parse import normalise_label
from sync.workbook import RawWorkbook

ITEM_LABELS = {code: label.split(" ", 1)[1] for label, code in SKM_ITEMS}  # u3 → "Waktu Penyelesaian"
WIDTHS = tuple(c.width for c in contract.COMPLAINTS.columns)
KINDS = tuple(c.type for c in contract.COMPLAINTS.columns)
OVERDUE_FILL = contract.OVERDUE_FILL  # light red: past Batas Waktu and not Selesai


def existing_rows(raw: RawWorkbook) -> pd.DataFrame | None:
    """The `Pengaduan` tab as the supervisor left it: one column per header cell, raw values.

    The header is the first row whose first cell is `ID Respons` (our own
    writes put a line of counts above it); None when the tab is not there.
    """
    tab = next((t for name, t in raw.tabs.items() if normalise_label(name) == normalise_label(TAB)), None)
    if tab is None:
        return None
    key = normalise_label(COLUMNS[0])
    at = next((i for i, row in enumerate(tab.rows[:5]) if row and normalise_label(str(row[0] or "")) == key),
              None)
    if at is None:
        return None
    header = [str(c) if c is not None else "" for c in tab.rows[at]]
    body = [(list(row) + [None] * (len(header) - len(row)))[:len(header)] for row in tab.rows[at + 1:]]
    # One object array, headers as read (repeated ones too): no per-row inference by the constructor.
    cells = np.array(body, dtype=object).reshape(len(body), len(header))
    frame = pd.DataFrame(cells, columns=header, dtype=object)
    frame.attrs["first_row"] = tab.first_row + at + 2  # sheet row of the first data row
    return frame


def service_rows(surveys: pd.DataFrame, employees: pd.DataFrame, settings: ComplaintSettings,
                 existing: pd.DataFrame | None) -> pd.DataFrame:
    """The complaints the service computes, with the officer's name.

    An answer whose `ID Respons` the supervisor typed into the tab is a
    complaint even above the threshold: that is how a clerk marks a `Saran`.
    """
    marked = set()
    if existing is not None and COLUMNS[0] in existing:
        marked = {id_text(v) for v in existing[COLUMNS[0]]} - {""}
    complaints = detect_complaints(surveys, settings, marked_ids=marked)
    # From arrays: zipping two str Series reads them one element at a time (~2 µs each).
    names = dict(zip(employees["nip"].to_numpy(dtype=object), employees["name"].to_numpy(dtype=object),
                     strict=True))
    return complaints.assign(officer_name=complaints["officer_nip"].map(names))


def complaint_tab(surveys: pd.DataFrame, employees: pd.DataFrame, existing: pd.DataFrame | None,
                  settings: ComplaintSettings, today: dt.date) -> tuple[OutputTab, pd.DataFrame, list]:
    """(the tab to write, the merged rows, the problems found in the supervisor's cells)."""
    merged = merge_complaints(service_rows(surveys, employees, settings, existing), existing, ITEM_LABELS)
    merged = merged[list(COLUMNS)]
    counts = status_counts(merged, today)
    title = contract.title_line(counts, today)
    columns = [OutputColumn(label, _kind(kind), width=width, wrap=kind == "text" and width >= 24)
               for label, kind, width in zip(COLUMNS, KINDS, WIDTHS, strict=True)]
    rows = [tuple(_plain(v) for v in row) for row in merged.to_numpy(dtype=object)]  # all columns object
    status_col = COLUMNS.index(SUPERVISOR_LABELS[0])
    deadline_col = COLUMNS.index(contract.COMPLAINTS.column("deadline").label)
    tab = OutputTab(
        TAB, columns, rows, title=title, autofilter=True,
        editable_columns=tuple(COLUMNS.index(label) for label in SUPERVISOR_LABELS),
        dropdowns={status_col: tuple(STATUS_LABELS.values())},
        conditional_fills=(ConditionalFill(
            # Kept by the spreadsheet itself, so a row turns red the day its deadline passes.
            formula_column=deadline_col, status_column=status_col, done_text=STATUS_LABELS["done"],
            color=OVERDUE_FILL),),
    )
    problems = complaint_problems(merged, first_row=tab.header_row + 1, today=today)
    return tab, merged, problems


def _kind(kind: str) -> str:
    return "date" if kind in ("date", "datetime") else "text"


def _plain(value):
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value
