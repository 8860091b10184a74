"""What validation finds: an Issue at its cell, and what a whole check produced."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sheet_templates import INPUT_TABS, SETTINGS
from sheet_templates.messages import message
from sheet_templates.schema import Tab
from sync.parse import (
    column_letter,
)

ERROR = "error"
WARNING = "warning"
TAB_ORDER = {tab.label: i for i, tab in enumerate((SETTINGS, *INPUT_TABS))}


@dataclass(frozen=True)
class Issue:
    """One problem, located as precisely as we can."""

    level: str  # ERROR or WARNING
    tab: str  # tab label
    row: int | None  # 1-based sheet row
    column: str | None  # column label
    cell: str | None  # A1
    value: str
    problem: str
    fix: str
    column_index: int = 0
    rule: str = ""  # the message key: Validasi caps the messages of one rule per column

    def sort_key(self):
        return (TAB_ORDER.get(self.tab, 99), self.row or 0, self.column_index, self.problem)


@dataclass
class Checked:
    """What validation produced: settings, clean frames, and the issues."""

    settings: dict[str, Any]
    frames: dict[str, pd.DataFrame]
    issues: list[Issue] = field(default_factory=list)
    rejected_nips: set[str] = field(default_factory=set)
    fatal: bool = False
    rejected_rows: pd.DataFrame | None = None  # scoring.Frames.rejected: what results must not rest on
    extra_employees: pd.DataFrame | None = None  # employees whose own row was rejected, still shown

    @property
    def errors(self) -> int:
        return sum(issue.level == ERROR for issue in self.issues)

    @property
    def warnings(self) -> int:
        return sum(issue.level == WARNING for issue in self.issues)


def make_issue(level, key, tab: Tab, row=None, sheet_col=None, column=None, value="", **values):
    """An Issue from a message key; `sheet_col` is the 0-based sheet column."""
    problem, fix = message(key, tab=tab.label, column=column.label if column else "", value=value,
                           **values)
    cell = f"{column_letter(sheet_col)}{row}" if row is not None and sheet_col is not None else None
    return Issue(level, tab.label, row, column.label if column else None, cell, value, problem, fix,
                 sheet_col or 0, key)


