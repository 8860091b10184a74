"""What decides whether a source must be scored again: its input tabs' content and the run's options."""

from __future__ import annotations

import hashlib
import json
from importlib import metadata

from scoring import ScoringError
from sync import pipeline
from sync.check.settings import read_settings
from sync.complaints import COLUMNS as COMPLAINT_COLUMNS
from sync.complaints import COMPLAINTS_TAB, SUPERVISOR_LABELS
from sync.complaints.cells import NEW_STATUS
from sync.complaints.tab import existing_rows
from sync.errors import SyncError
from sync.parse import normalise_label
from sync.workbook import RawWorkbook


def input_hash(raw: RawWorkbook) -> str:
    """sha256 of the input tabs' cells: equal exactly when a rerun would read the same input.

    Not the source's revision: for Excel that is the file's hash, which our own
    write of the result tabs changes.
    """
    digest = hashlib.sha256()
    for name in sorted(raw.tabs, key=normalise_label):
        tab = raw.tabs[name]
        rows = tab.rows
        if normalise_label(name) == normalise_label(COMPLAINTS_TAB):
            rows = _supervisor_cells(raw)  # the service's own columns change at every write
            if not rows:
                continue  # our own empty tab, written by the last run: nothing anyone typed
        digest.update(json.dumps([normalise_label(name), tab.first_row, tab.first_column, rows],
                                 default=str, ensure_ascii=False).encode())
    return digest.hexdigest()


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
    return sum(max(len(tab.rows) - 1, 0) for tab in raw.tabs.values())


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
