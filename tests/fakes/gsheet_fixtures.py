"""Workbooks laid into the fake Google Sheet the way a clerk fills the template, and a test clock."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sheet_templates import guide, schema
from sheet_templates.xlsx import settings_values

KEY = "1KinerjaFakeSheetKey_0123456789abcdefghijkl"
EMAIL = "kinerja@kinerja-test.iam.gserviceaccount.com"
_DOCS: dict[Path, dict] = {}


def discovery(shared: Path) -> dict:
    """The Sheets API discovery document from ../shared (read once per run)."""
    path = shared / "fixtures" / "google-discovery" / "sheets.v4.json"
    if path not in _DOCS:
        _DOCS[path] = json.loads(path.read_text())
    return _DOCS[path]


def workbook_rows(data: dict[str, pd.DataFrame], settings: dict) -> dict[str, list[list]]:
    """Tab title → rows (header first) as `sheet_templates.xlsx.build_template` lays out the same data."""
    values = settings_values(settings)
    tabs = {schema.SETTINGS.label: [
        [schema.SETTINGS_KEY_LABEL, schema.SETTINGS_VALUE_LABEL, schema.SETTINGS_NOTE_LABEL],
        *([col.label, values[col.name], guide.describe_values(col)] for col in schema.SETTINGS.columns)]}
    for tab in schema.INPUT_TABS:
        rows = [[col.label for col in tab.columns]]
        frame = data.get(tab.name)
        if frame is not None:
            frame = frame.reindex(columns=list(tab.column_names)).astype(object)
            rows += [[None if _blank(v) else v for v in row] for row in frame.itertuples(index=False)]
        tabs[tab.label] = rows
    return tabs


def _blank(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


class FakeClock:
    """A monotonic clock that `sleep` advances: retries cost no real time; waits are recorded."""

    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
