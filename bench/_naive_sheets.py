"""Two ways to score a Google Sheet that one might write first, as `Source`s, for request counts.

`NaiveGspreadSource` is what a careful first version with plain gspread does:
one worksheet lookup and one `get_all_values` per input tab, and per output tab
a lookup (or add), clear, resize, value update, header format, a format call per
number column and per highlighted row, freeze, column widths, charts and a
protection. `DataFrameSource` uses gspread-dataframe (`get_as_dataframe` /
`set_with_dataframe`) and writes values only, no look at all. Both produce the
same cell values as Kinerja's source; they exist only to be counted.
"""

from __future__ import annotations

from typing import Any

import gspread

from sheet_templates import gsheet_format as fmt
from sync.outtabs import OutputTab
from sync.parse import normalise_label
from sync.sources.gsheets.batch import chart_request, grid_size
from sync.sources.gsheets.source import raw_tab
from sync.workbook import RawWorkbook

UNFORMATTED = {"value_render_option": "UNFORMATTED_VALUE", "date_time_render_option": "SERIAL_NUMBER"}


def plain_rows(tab: OutputTab) -> list[list[Any]]:
    """Title, header and data rows as plain values for values.update (RAW)."""
    rows: list[list[Any]] = [[tab.title]] if tab.title else []
    rows.append([col.header for col in tab.columns])
    for row in tab.rows:
        cells = []
        for value in row:
            extended, _ = fmt.cell_value(value)
            cells.append(next(iter(extended.values())) if extended else "")
        rows.append(cells)
    return rows


class NaiveGspreadSource:
    """Per-tab gspread calls, with the same look as Kinerja's writer."""

    def __init__(self, client: gspread.Client, key: str):
        self.client, self.key, self.location = client, key, f"gsheet:{key}"

    def read(self, tab_names: set[str] | None = None) -> RawWorkbook:
        book = self.client.open_by_key(self.key)
        tabs = {}
        for ws in book.worksheets():
            if tab_names is None or normalise_label(ws.title) in tab_names:
                tabs[ws.title] = raw_tab(ws.title, ws.get_all_values(**UNFORMATTED))
        return RawWorkbook(tabs, location=self.location)

    def write(self, tabs: list[OutputTab]) -> None:
        book = self.client.open_by_key(self.key)
        for tab in tabs:
            self._write_tab(book, tab)

    def _write_tab(self, book: gspread.Spreadsheet, tab: OutputTab) -> None:
        rows, columns = grid_size(tab)
        try:
            ws = book.worksheet(tab.name)
        except gspread.WorksheetNotFound:
            ws = book.add_worksheet(tab.name, rows, columns)
        charts = [c["chartId"] for s in book.fetch_sheet_metadata()["sheets"]
                  if s["properties"]["sheetId"] == ws.id for c in s.get("charts", [])]
        if charts:
            book.batch_update({"requests": [{"deleteEmbeddedObject": {"objectId": c}} for c in charts]})
        ws.clear()
        ws.resize(rows, columns)
        ws.update(plain_rows(tab), "A1", raw=True)
        head = tab.header_row
        letter = gspread.utils.rowcol_to_a1(head, len(tab.columns))
        ws.format(f"A{head}:{letter}", {"textFormat": {"bold": True},
                                        "backgroundColor": fmt.rgb(fmt.OUTPUT_HEADER_FILL)})
        end = head + len(tab.rows)
        for j, col in enumerate(tab.columns, start=1):
            if col.kind in ("int", "number", "percent") and tab.rows:
                pattern = "0" if col.kind == "int" else "0.00"
                cell = gspread.utils.rowcol_to_a1(head + 1, j)
                ws.format(f"{cell}:{gspread.utils.rowcol_to_a1(end, j)}",
                          {"numberFormat": {"type": "NUMBER", "pattern": pattern}})
        for i in sorted(tab.highlight_rows):
            ws.format(f"A{head + 1 + i}:{gspread.utils.rowcol_to_a1(head + 1 + i, len(tab.columns))}",
                      {"backgroundColor": fmt.rgb(fmt.HIGHLIGHT_FILL)})
        ws.freeze(rows=head)
        book.batch_update({"requests": fmt.column_width_requests(ws.id, [c.width for c in tab.columns])})
        for k, spec in enumerate(tab.charts):
            request = chart_request(spec, tab, ws.id, k)
            if request:
                book.batch_update({"requests": [request]})
        if not any(p.get("warningOnly") for p in book.list_protected_ranges(ws.id)):
            ws.add_protected_range(f"A1:{letter}", warning_only=True)


class DataFrameSource:
    """gspread-dataframe: a DataFrame per tab in, a DataFrame per tab out; values only."""

    def __init__(self, client: gspread.Client, key: str):
        self.client, self.key, self.location = client, key, f"gsheet:{key}"

    def read(self, tab_names: set[str] | None = None) -> RawWorkbook:
        from gspread_dataframe import get_as_dataframe

        book = self.client.open_by_key(self.key)
        tabs = {}
        for ws in book.worksheets():
            if tab_names is None or normalise_label(ws.title) in tab_names:
                frame = get_as_dataframe(ws, evaluate_formulas=True, header=None, dtype=str)
                values = frame.fillna("").astype(str).values.tolist()
                tabs[ws.title] = raw_tab(ws.title, values)
        return RawWorkbook(tabs, location=self.location)

    def write(self, tabs: list[OutputTab]) -> None:
        import pandas as pd
        from gspread_dataframe import set_with_dataframe

        book = self.client.open_by_key(self.key)
        for tab in tabs:
            rows, columns = grid_size(tab)
            try:
                ws = book.worksheet(tab.name)
            except gspread.WorksheetNotFound:
                ws = book.add_worksheet(tab.name, rows, columns)
            set_with_dataframe(ws, pd.DataFrame(plain_rows(tab)), include_column_header=False, resize=True)
