"""What an output tab looks like, independent of where it is written.

The pipeline renders scoring results into `OutputTab` values; each source
(Excel, Google Sheets) turns them into its own write. Keeping the shape neutral
is what lets the same run produce identical tabs in both places.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

# How much room text takes; re-exported for the writers (the template builder uses it too).
from sheet_templates.complaints import SPARE_ROWS
from sheet_templates.textfit import longest_word_units, text_units, wrapped_lines

__all__ = [
    "CHART_CM", "ChartSpec", "OutputColumn", "OutputTab", "PrintInfo", "chart_anchors",
    "chart_cells", "column_pixels", "longest_word_units", "number_pattern", "text_units", "wrapped_lines",
    "column_pixels", "longest_word_units", "number_pattern", "text_units", "wrapped_lines",
]

Kind = Literal["text", "int", "number", "percent", "date"]

CHART_CM = (14.0, 8.0)  # width, height of every chart, in both writers
CHART_GAP_ROWS = 1  # empty rows between the last table row and the first chart
CHART_ROW_PT = 15.0  # the default row height the chart grid is laid on


@dataclass(frozen=True)
class OutputColumn:
    """One column of an output tab: its header label, how its cells are shown."""

    header: str
    kind: Kind = "text"
    width: float = 14.0  # in Excel character units
    decimals: int = 2  # for kind "number"/"percent"
    wrap: bool = False
    grouped: bool = False  # thousands separators (1.234 in an Indonesian-locale sheet)


@dataclass(frozen=True)
class ChartSpec:
    """A native chart over the tab's own data rows.

    `category_column` and every entry of `series_columns` are 0-based indexes
    into the tab's columns. `first_row`/`last_row` are 0-based indexes into
    `OutputTab.rows` (inclusive); None means all rows.

    With `source="chart_data"` the chart reads `OutputTab.chart_data` instead:
    its first row is the header that names the series, and `first_row`/`last_row`
    index the rows after it. With `by_row` each row is a series (named by its
    `category_column` cell) and the categories are the header cells of
    `series_columns` (e.g. one line per unit over the periods).

    `colors` fixes each series' colour ("RRGGBB", in series order), so a predikat
    has the same colour in every chart; `value_min`/`value_max` fix the value
    axis (IKM: 25–100); the series at positions `line_series` are drawn as lines
    over the bars (e.g. the IKM mutu band edges).
    """

    title: str
    category_column: int
    series_columns: tuple[int, ...]
    kind: Literal["bar", "column", "line"] = "column"
    stacked: bool = False
    y_title: str | None = None  # the vertical axis, as drawn
    x_title: str | None = None  # the horizontal axis, as drawn (the values of a "bar" chart)
    first_row: int | None = None
    last_row: int | None = None
    anchor_column: int | None = None  # 0-based; default: laid out below the table
    colors: tuple[str | None, ...] = ()
    value_min: float | None = None
    value_max: float | None = None
    line_series: tuple[int, ...] = ()  # positions in series_columns drawn as lines
    source: Literal["table", "chart_data"] = "table"
    by_row: bool = False


@dataclass(frozen=True)
class PrintInfo:
    """What the printed header names: the agency and the period range (Excel page header)."""

    org_name: str = ""
    period: str = ""  # e.g. "Periode 2026-01 s.d. 2026-12"


@dataclass(frozen=True)
class ConditionalFill:
    """Rows filled with `color` while the date in `formula_column` is before today and the text in
    `status_column` is not `done_text`; the spreadsheet keeps it true between runs."""

    formula_column: int
    status_column: int
    done_text: str
    color: str


@dataclass
class OutputTab:
    """A whole output tab, rewritten on every run.

    `title` is an optional single line above the header row (e.g. the summary
    of `Validasi`); when present the header is on row 2, else on row 1.
    `rows` hold plain Python values (str, int, float, None, datetime.date): a list of
    tuples, or a `ColumnTable` (the same rows kept as one array per column, which the Excel
    writer streams a column at a time).
    `highlight_rows` are 0-based indexes into `rows` shown with a fill (e.g. the
    Pegawai Terbaik). Text is always written as text, never as a formula.

    `chart_data` are rows only charts read (a header row, then values): they
    are written one empty row below the table, hidden, so they neither print
    nor get in a reader's way. `autofilter` puts a filter on the header row;
    `print_info` names the agency and period in the printed page header.
    """

    name: str
    columns: list[OutputColumn]
    rows: Sequence[tuple[Any, ...]] = field(default_factory=list)
    title: str | None = None
    highlight_rows: frozenset[int] = frozenset()
    charts: list[ChartSpec] = field(default_factory=list)
    chart_data: list[tuple[Any, ...]] = field(default_factory=list)
    autofilter: bool = False
    print_info: PrintInfo = field(default_factory=PrintInfo)
    # A tab both sides write (Pengaduan): these columns stay open to typing, the rest is protected.
    editable_columns: tuple[int, ...] = ()
    dropdowns: dict[int, tuple[str, ...]] = field(default_factory=dict)  # column → choices
    conditional_fills: tuple[ConditionalFill, ...] = ()

    @property
    def spare_rows(self) -> int:
        """Empty rows below the data kept open to typing, with the dropdowns and fills (a shared tab)."""
        return SPARE_ROWS if self.editable_columns and not self.chart_data else 0

    @property
    def header_row(self) -> int:
        """1-based sheet row that holds the column headers."""
        return 2 if self.title else 1

    @property
    def chart_data_row(self) -> int:
        """1-based sheet row of the first `chart_data` row (one empty row below the table)."""
        return self.header_row + len(self.rows) + 2

    @property
    def last_row(self) -> int:
        """1-based sheet row of the last written row (table or chart data)."""
        if self.chart_data:
            return self.chart_data_row + len(self.chart_data) - 1
        return self.header_row + len(self.rows)


def chart_cells(spec: ChartSpec, tab: OutputTab) -> tuple[int, int, int] | None:
    """(header row, first data row, last data row), 1-based sheet rows, or None without rows."""
    if spec.source == "chart_data":
        head, count = tab.chart_data_row, len(tab.chart_data) - 1
    else:
        head, count = tab.header_row, len(tab.rows)
    first = max(spec.first_row or 0, 0)
    last = count - 1 if spec.last_row is None else min(spec.last_row, count - 1)
    if first > last:
        return None
    return head, head + 1 + first, head + 1 + last


def column_pixels(width: float) -> int:
    """An Excel column width (characters of the default font) in screen pixels, as Excel converts it."""
    return max(1, round(width * 7 + 5))


def chart_anchors(tab: OutputTab, drawn: list[ChartSpec]) -> list[tuple[int, int]]:
    """(0-based row, 0-based column) of each chart's top-left cell.

    Charts go below the table (and its hidden chart data), side by side as
    long as they stay within the table's width, so that a tab printed one
    page wide keeps them at a readable size; then on the next rows.
    """
    chart_px = CHART_CM[0] / 2.54 * 96 + 12
    rows_per_chart = int(CHART_CM[1] / 2.54 * 72 / CHART_ROW_PT) + 2
    widths = [column_pixels(c.width) for c in tab.columns] or [column_pixels(14)]
    table_px = sum(widths)
    top = tab.last_row + CHART_GAP_ROWS  # 0-based index of the row after the gap
    out, column, used = [], 0, 0.0
    for spec in drawn:
        if spec.anchor_column is not None:
            out.append((tab.header_row - 1, spec.anchor_column))
            continue
        if used and used + chart_px > table_px:
            top, column, used = top + rows_per_chart, 0, 0.0
        out.append((top, column))
        used += chart_px
        while column < len(widths) and sum(widths[:column]) < used:
            column += 1
        if column >= len(widths):  # past the table: further charts start a new line
            used = table_px
    return out


def number_pattern(col: OutputColumn) -> str | None:
    """The number format of a numeric column, the same code in Excel and Google Sheets.

    Each program shows it with the reader's own separators, so 85,50 and 32.404
    in an Indonesian locale. Percent values are already 0–100: the % sign is a
    literal, not a ×100.

    Examples:
        >>> number_pattern(OutputColumn("Capaian (%)", "percent"))
        '0.00"%"'
        >>> number_pattern(OutputColumn("Populasi", "int", grouped=True))
        '#,##0'
    """
    if col.kind == "int":
        return "#,##0" if col.grouped else "0"
    if col.kind in ("number", "percent"):
        digits = "0." + "0" * col.decimals if col.decimals > 0 else "0"
        if col.grouped:
            digits = "#,##" + digits
        return digits + '"%"' if col.kind == "percent" else digits
    return None
