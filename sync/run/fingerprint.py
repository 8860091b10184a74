"""What decides whether a source must be scored again: its input tabs' content and the run's options."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata

import numpy as np

from scoring import ScoringError
from sync import pipeline
from sync.check.settings import read_settings
from sync.complaints import COLUMNS as COMPLAINT_COLUMNS
from sync.complaints import COMPLAINTS_TAB, SUPERVISOR_LABELS
from sync.complaints.cells import NEW_STATUS
from sync.complaints.tab import existing_rows
from sync.errors import SyncError
from sync.parse import normalise_label
from sync.workbook import ColumnarTab, RawColumn, RawWorkbook


def input_hash(raw: RawWorkbook) -> str:
    """sha256 of the input tabs' cells: equal exactly when a rerun would read the same input.

    Not the source's revision: for Excel that is the file's hash, which our own
    write of the result tabs changes.
    """
    digest = hashlib.sha256()
    for name in sorted(raw.tabs, key=normalise_label):
        tab = raw.tabs[name]
        if normalise_label(name) == normalise_label(COMPLAINTS_TAB):
            rows = _supervisor_cells(raw)  # the service's own columns change at every write
            if not rows:
                continue  # our own empty tab, written by the last run: nothing anyone typed
        elif isinstance(tab, ColumnarTab):
            # Column by column, as read: making the rows of 20,000-row tabs cost more than the hash.
            digest.update(json.dumps([normalise_label(name), tab.first_row, tab.first_column, tab.header],
                                     default=str, ensure_ascii=False).encode())
            for column in tab.columns:
                _update_column(digest, column)
            continue
        else:
            rows = tab.rows
        digest.update(json.dumps([normalise_label(name), tab.first_row, tab.first_column, rows],
                                 default=str, ensure_ascii=False).encode())
    return digest.hexdigest()


def _update_column(digest, column: RawColumn) -> None:
    """A column's kind, which cells are empty and what the others hold, as bytes."""
    digest.update(f"\x1e{column.kind}:{len(column)}\x1f".encode())
    digest.update(np.packbits(column.empty).tobytes())
    if column.kind == "float":
        digest.update(np.where(column.empty, 0.0, column.values).astype("<f8").tobytes())
    elif column.kind == "text":
        # The distinct texts and which one each cell holds; equal content reads as equal labels.
        digest.update(json.dumps(column.labels, ensure_ascii=False).encode())
        digest.update(np.where(column.empty, -1, column.values).astype("<i8").tobytes())
    else:
        digest.update(json.dumps([None if e else v for v, e in zip(column.values, column.empty.tolist(),
                                                                    strict=True)], default=str).encode())


def _supervisor_cells(raw: RawWorkbook) -> list:
    """What people typed in `Pengaduan`: the ID Respons and the supervisor's four columns."""
    frame = existing_rows(raw)
    if frame is None:
        return []
    wanted = [c for c in (COMPLAINT_COLUMNS[0], *SUPERVISOR_LABELS) if c in frame.columns]
    rows = frame[wanted].astype(object).where(frame[wanted].notna(), None).to_numpy().tolist()
    # A row as the service leaves it (Baru, nothing else typed) is not input; anything else is.
    return [row for row in rows if any(v not in (None, "", NEW_STATUS) for v in row[1:])]


def rows_read(raw: RawWorkbook) -> int:
    """Rows below the header in every tab read."""
    # A column-wise tab counts its columns: making its rows just to count them was a tenth of an
    # unchanged agency's rerun (and of a worker's time per agency).
    return sum(tab.height if isinstance(tab, ColumnarTab) else max(len(tab.rows) - 1, 0)
               for tab in raw.tabs.values())


def requested_periods(raw: RawWorkbook, periods: tuple[str, ...]) -> tuple[str, ...]:
    """The --period values as canonical labels, so `2026-03` and `2026-T1` asking for one result agree.

    Only `Pengaturan` is read for the year and period type; values that do not
    parse are kept as typed (the scoring step reports them).
    """
    if not periods:
        return ()
    settings = read_settings(raw)[0]
    try:
        return tuple(pipeline.parse_periods(list(periods), settings["year"], settings["period_type"]))
    except (SyncError, ScoringError, KeyError, TypeError):
        return periods


def config_hash(location: str, periods: tuple[str, ...]) -> str:
    """What besides the input decides a run's result: where, which periods (parsed), which Kinerja."""
    try:
        version = metadata.version("kinerja")
    except metadata.PackageNotFoundError:
        version = "dev"
    text = json.dumps({"location": location, "periods": sorted(periods), "version": version})
    return hashlib.sha256(text.encode()).hexdigest()
