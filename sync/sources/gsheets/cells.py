"""The cells of an output tab as Sheets requests: one `updateCells` with the title, the header
and every value, and the `repeatCell` formats of the title, the header, each column (number
format, wrapping), the date cells and the highlighted rows.
"""

from __future__ import annotations

from sheet_templates import gsheet_format as fmt
from sync.outtabs import OutputTab, number_pattern


def values_request(tab: OutputTab, sheet_id: int) -> dict:
    """One `updateCells` writing the title line, the header and every data row from A1."""
    rows = []
    if tab.title:
        rows.append({"values": [fmt.text(tab.title)]})
    rows.append({"values": [fmt.text(col.header) if col.header else {} for col in tab.columns]})
    chart_rows = [(), *tab.chart_data] if tab.chart_data else []  # one empty row between
    for row in [*tab.rows, *chart_rows]:
        cells = []
        for value in row:
            extended, _ = fmt.cell_value(value)
            cells.append({"userEnteredValue": extended} if extended else {})
        while cells and not cells[-1]:  # trailing blanks are cleared already; send less
            cells.pop()
        rows.append({"values": cells} if cells else {})
    return {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": 0},
                            "rows": rows, "fields": "userEnteredValue"}}


def format_requests(tab: OutputTab, sheet_id: int) -> list[dict]:
    """Title, header, per-column number formats and wrapping, dates, and highlighted rows."""
    head = tab.header_row - 1  # 0-based index of the header row
    first, end = head + 1, head + 1 + len(tab.rows)
    n = len(tab.columns)
    out = []
    if tab.title:
        out.append(_repeat(fmt.grid_range(sheet_id, (0, 1), (0, 1)),
                           {"textFormat": {"bold": True}}, "userEnteredFormat.textFormat.bold"))
    out.append(_repeat(fmt.grid_range(sheet_id, (head, head + 1), (0, n)),
                       fmt.header_format(fmt.OUTPUT_HEADER_FILL), fmt.HEADER_FIELDS))
    if not tab.rows:
        return out
    for j, col in enumerate(tab.columns):
        cell_format = _column_format(col)
        if cell_format:
            fields = ",".join(sorted(cell_format))
            out.append(_repeat(fmt.grid_range(sheet_id, (first, end), (j, j + 1)), cell_format,
                               f"userEnteredFormat({fields})"))
    out.extend(_date_cells(tab, sheet_id, first))
    for start, stop in _runs(sorted(i for i in tab.highlight_rows if 0 <= i < len(tab.rows))):
        out.append(_repeat(fmt.grid_range(sheet_id, (first + start, first + stop), (0, n)),
                           {"backgroundColor": fmt.rgb(fmt.HIGHLIGHT_FILL)},
                           "userEnteredFormat.backgroundColor"))
    return out


def _repeat(grid: dict, cell_format: dict, fields: str) -> dict:
    return {"repeatCell": {"range": grid, "cell": {"userEnteredFormat": cell_format}, "fields": fields}}


def _column_format(col) -> dict:
    out: dict = {}
    pattern = number_pattern(col)
    if pattern:
        out["numberFormat"] = {"type": "NUMBER", "pattern": pattern}
    elif col.kind == "date":
        out["numberFormat"] = {"type": "DATE", "pattern": fmt.DATE_PATTERN}
    if col.wrap:
        out["wrapStrategy"] = "WRAP"
    out["verticalAlignment"] = "TOP"  # a row grown by wrapped text reads from the top, as in Excel
    return out


def _date_cells(tab: OutputTab, sheet_id: int, first: int) -> list[dict]:
    """A date format on each date cell its column's format does not already show right."""
    out = []
    for i, row in enumerate(tab.rows):
        for j, value in enumerate(row):
            if not hasattr(value, "toordinal"):  # cheap filter: only dates and datetimes
                continue
            _, pattern = fmt.cell_value(value)
            if pattern and not (tab.columns[j].kind == "date" and pattern == fmt.DATE_PATTERN):
                kind = "DATE" if pattern == fmt.DATE_PATTERN else "DATE_TIME"
                out.append(_repeat(fmt.grid_range(sheet_id, (first + i, first + i + 1), (j, j + 1)),
                                   {"numberFormat": {"type": kind, "pattern": pattern}},
                                   "userEnteredFormat.numberFormat"))
    return out


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted indexes as (start, stop) pairs, stop exclusive."""
    runs: list[tuple[int, int]] = []
    for i in indexes:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs
