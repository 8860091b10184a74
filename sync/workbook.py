"""A workbook as read from any source: raw cells per tab, before validation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawTab:
    """The cells of one tab as delivered (str/float/int/bool/date/None).

    `first_row`/`first_column` are the 0-based sheet coordinates of `rows[0][0]`,
    so that messages can name the real cell even when a source trims empty
    leading rows or columns.
    """

    name: str
    rows: list[list[Any]]
    first_row: int = 0
    first_column: int = 0


@dataclass(frozen=True)
class RawWorkbook:
    """Every tab of a workbook; `revision` identifies the content that was read."""

    tabs: dict[str, RawTab]
    revision: str = ""
    location: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.tabs)
