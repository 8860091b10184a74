"""Appending rows to an input tab of a Google Sheet (survey flushing), as pure request builders.

The rows go below the last filled row that the preceding read saw, aligned to
the tab's own header (columns matched ignoring case and spacing; labels the tab
lacks are added after its last header cell). Values are written as data
(`userEnteredValue` with `stringValue` for text), so a citizen's "=IMPORTXML(…)"
stays text. Everything is one atomic batchUpdate, with the grid grown first.
"""

from __future__ import annotations

from typing import Any

from sheet_templates import gsheet_format as fmt
from sync.parse import as_text, normalise_label
from sync.workbook import RawTab


def header_positions(tab: RawTab | None, labels: list[str]) -> tuple[int, dict[str, int]]:
    """(0-based sheet row of the header, label → 0-based sheet column) as far as the tab has them."""
    if tab is None or not tab.rows:
        return 0, {}
    wanted = {normalise_label(label): label for label in labels}
    best, best_hits = 0, -1
    for i, row in enumerate(tab.rows[:10]):
        hits = sum(normalise_label(as_text(v)) in wanted for v in row)
        if hits > best_hits:
            best, best_hits = i, hits
    columns = {}
    for j, value in enumerate(tab.rows[best]):
        label = wanted.get(normalise_label(as_text(value)))
        if label is not None and label not in columns:
            columns[label] = tab.first_column + j
    return tab.first_row + best, columns


def append_requests(sheet: dict | None, tab: RawTab | None, title: str, labels: list[str],
                    rows: list[list[Any]], taken: set[int]) -> list[dict]:
    """The requests appending `rows` (aligned to `labels`) to tab `title` (added when missing)."""
    requests: list[dict] = []
    if sheet is None:
        sheet_id = fmt.free_sheet_id(title, taken)
        requests.append(fmt.add_sheet_request(sheet_id, title, len(rows) + 1, len(labels), frozen_rows=1))
        grid_rows, grid_columns = len(rows) + 1, len(labels)
    else:
        props = sheet["properties"]
        sheet_id = props["sheetId"]
        grid = props.get("gridProperties", {})
        grid_rows, grid_columns = grid.get("rowCount", 1000), grid.get("columnCount", 26)
    header_row, columns = header_positions(tab, labels)
    next_column = max(columns.values(), default=-1) + 1
    new_headers = []
    for label in labels:
        if label not in columns:
            columns[label] = next_column
            new_headers.append((next_column, label))
            next_column += 1
    first = header_row + 1 if tab is None or not tab.rows else tab.first_row + len(tab.rows)
    need_rows, need_columns = first + len(rows), next_column
    if sheet is not None and (need_rows > grid_rows or need_columns > grid_columns):
        requests.append({"updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "gridProperties": {
                "rowCount": max(grid_rows, need_rows), "columnCount": max(grid_columns, need_columns)}},
            "fields": "gridProperties.rowCount,gridProperties.columnCount"}})
    for column, label in new_headers:
        requests.append(_cells(sheet_id, header_row, column, [[fmt.text(label)]], "userEnteredValue"))
    width = next_column
    body, date_columns = [], set()
    for row in rows:
        cells: list[dict] = [{} for _ in range(width)]
        for label, value in zip(labels, row, strict=True):
            extended, pattern = fmt.cell_value(value)
            if extended:
                cell: dict = {"userEnteredValue": extended}
                if pattern:
                    cell["userEnteredFormat"] = {"numberFormat": {"type": "DATE_TIME", "pattern": pattern}}
                    date_columns.add(columns[label])
                cells[columns[label]] = cell
        body.append(cells)
    if body:
        fields = "userEnteredValue,userEnteredFormat.numberFormat" if date_columns else "userEnteredValue"
        requests.append(_cells(sheet_id, first, 0, body, fields))
    return requests


def _cells(sheet_id: int, row: int, column: int, rows: list[list[dict]], fields: str) -> dict:
    return {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column},
                            "rows": [{"values": cells} for cells in rows], "fields": fields}}
