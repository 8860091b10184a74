"""What an output tab looks like, independent of where it is written.

The pipeline renders scoring results into `OutputTab` values; each source
(Excel, Google Sheets) turns them into its own write. Keeping the shape neutral
is what lets the same run produce identical tabs in both places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["text", "int", "number", "percent", "date"]


@dataclass(frozen=True)
class OutputColumn:
    """One column of an output tab: its header label, how its cells are shown."""

    header: str
    kind: Kind = "text"
    width: float = 14.0  # in Excel character units
    decimals: int = 2  # for kind "number"/"percent"
    wrap: bool = False


@dataclass(frozen=True)
class ChartSpec:
    """A native chart over the tab's own data rows.

    `category_column` and every entry of `series_columns` are 0-based indexes
    into the tab's columns. `first_row`/`last_row` are 0-based indexes into
    `OutputTab.rows` (inclusive); None means all rows.
    """

    title: str
    category_column: int
    series_columns: tuple[int, ...]
    kind: Literal["bar", "column"] = "column"
    stacked: bool = False
    y_title: str | None = None  # the vertical axis, as drawn
    x_title: str | None = None  # the horizontal axis, as drawn (the values of a "bar" chart)
    first_row: int | None = None
    last_row: int | None = None
    anchor_column: int | None = None  # 0-based; default: two columns right of the data


@dataclass
class OutputTab:
    """A whole output tab, rewritten on every run.

    `title` is an optional single line above the header row (e.g. the summary
    of `Validasi`); when present the header is on row 2, else on row 1.
    `rows` hold plain Python values (str, int, float, None, datetime.date).
    `highlight_rows` are 0-based indexes into `rows` shown with a fill (e.g. the
    Pegawai Terbaik). Text is always written as text, never as a formula.
    """

    name: str
    columns: list[OutputColumn]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    title: str | None = None
    highlight_rows: frozenset[int] = frozenset()
    charts: list[ChartSpec] = field(default_factory=list)

    @property
    def header_row(self) -> int:
        """1-based sheet row that holds the column headers."""
        return 2 if self.title else 1
