"""The fake's `spreadsheets.values` endpoints and grid data, rendered as in the recordings.

Read answers leave out trailing empty cells and rows, show an empty row inside
the data as `[]` and an empty cell inside a row as `""`, and leave out `values`
altogether when a range holds nothing. A whole-sheet range is echoed as the
full grid (`'Tab'!A1:Z1000`), quoted when the title is not a plain name.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.fake_sheets_cells import entered, render
from tests.fakes.fake_sheets_schema import Discovery
from tests.fakes.fake_sheets_state import BadRequest, Book, Span, parse_range


class ValuesApi:
    """values.get / batchGet / update / append / clear / batchClear / batchUpdate on one book."""

    def __init__(self, book: Book, discovery: Discovery, books: dict[str, Book]):
        self.book = book
        self.discovery = discovery
        self.books = books

    def call(self, method: str, target: str | None, params: dict, body: Any) -> dict:
        """Answer values.<method> ("get", "batchGet", "update", ...)."""
        if method == "get":
            return self.get(target, params)
        if method == "batchGet":
            return self.batch_get(params)
        if method in ("update", "append"):
            return getattr(self, method)(target, params, body)
        if method == "clear":
            return self.clear(target)
        return self.batch_clear(body) if method == "batchClear" else self.batch_update(body)

    # --- reading -------------------------------------------------------------------------------

    def get(self, target: str, params: dict) -> dict:
        return value_range(parse_range(self.book, target), params)

    def batch_get(self, params: dict) -> dict:
        spans = [parse_range(self.book, r) for r in params.get("ranges", [])]
        return {"spreadsheetId": self.book.key, "valueRanges": [value_range(s, params) for s in spans]}

    # --- writing (each on a copy, kept only on success) ----------------------------------------

    def update(self, target: str, params: dict, body: dict) -> dict:
        option = _input_option(params.get("valueInputOption", [None])[0])
        self.discovery.check_body(body, "ValueRange", root="data")
        draft = self.book.copy()
        reply = _write(draft, parse_range(draft, target), body, option)
        self.books[draft.key] = draft
        return reply

    def batch_update(self, body: dict) -> dict:
        self.discovery.check_body(body, "BatchUpdateValuesRequest")
        option = _input_option(body.get("valueInputOption"))
        draft = self.book.copy()
        replies = [_write(draft, parse_range(draft, vr["range"]), vr, option) for vr in body.get("data", [])]
        self.books[draft.key] = draft
        return {"spreadsheetId": draft.key,
                "totalUpdatedRows": sum(r.get("updatedRows", 0) for r in replies),
                "totalUpdatedColumns": max((r.get("updatedColumns", 0) for r in replies), default=0),
                "totalUpdatedCells": sum(r.get("updatedCells", 0) for r in replies),
                "totalUpdatedSheets": len({r["updatedRange"].rsplit("!", 1)[0] for r in replies}),
                "responses": replies}

    def append(self, target: str, params: dict, body: dict) -> dict:
        option = _input_option(params.get("valueInputOption", [None])[0])
        self.discovery.check_body(body, "ValueRange", root="data")
        draft = self.book.copy()
        span = parse_range(draft, target)
        sheet = span.sheet
        used = [r for (r, c) in sheet.cells if span.c0 <= c < (span.c1 or sheet.columns)
                and "userEnteredValue" in sheet.cells[(r, c)]]
        start = max(used) + 1 if used else span.r0
        needed = start + len(body.get("values") or [])
        if needed > sheet.rows:  # append grows the grid, unlike update
            sheet.props["gridProperties"]["rowCount"] = needed
        out: dict[str, Any] = {"spreadsheetId": draft.key}
        if used:
            rows, columns = sheet.extent()
            out["tableRange"] = Span(sheet, min(used), max(used) + 1, span.c0, columns).a1()
        out["updates"] = _write(draft, Span(sheet, start, None, span.c0, None), body, option)
        self.books[draft.key] = draft
        return out

    def clear(self, target: str) -> dict:
        draft = self.book.copy()
        span = parse_range(draft, target)
        _clear(span)
        self.books[draft.key] = draft
        return {"spreadsheetId": draft.key, "clearedRange": span.a1()}

    def batch_clear(self, body: dict) -> dict:
        self.discovery.check_body(body, "BatchClearValuesRequest")
        draft = self.book.copy()
        spans = [parse_range(draft, r) for r in body.get("ranges", [])]
        for span in spans:
            _clear(span)
        self.books[draft.key] = draft
        return {"spreadsheetId": draft.key, "clearedRanges": [s.a1() for s in spans]}


def value_range(span: Span, params: dict) -> dict:
    """A `ValueRange` as Google renders it for the request's render options."""
    value_option = params.get("valueRenderOption", ["FORMATTED_VALUE"])[0]
    date_option = params.get("dateTimeRenderOption", ["SERIAL_NUMBER"])[0]
    major = params.get("majorDimension", ["ROWS"])[0]
    r0, r1, c0, c1 = span.bounded()
    used_rows, used_columns = span.sheet.extent()
    cells = span.sheet.cells
    rows = []
    for r in range(r0, min(r1, used_rows)):
        row = [render(cells.get((r, c), {}), value_option, date_option)
               for c in range(c0, min(c1, used_columns))]
        while row and row[-1] == "":
            row.pop()
        rows.append(row)
    if major == "COLUMNS":
        width = max((len(r) for r in rows), default=0)
        rows = [[row[j] if j < len(row) else "" for row in rows] for j in range(width)]
        rows = [_trimmed(col) for col in rows]
    while rows and not rows[-1]:
        rows.pop()
    out: dict[str, Any] = {"range": span.a1(), "majorDimension": major}
    if rows:
        out["values"] = rows
    return out


def grid_data(span: Span) -> dict:
    """A `GridData` block (rowData of CellData) for spreadsheets.get with grid data."""
    r0, r1, c0, c1 = span.bounded()
    sheet = span.sheet
    rows = []
    for r in range(r0, r1):
        rows.append({"values": [cell_resource(sheet.cells.get((r, c), {})) for c in range(c0, c1)]})
    out: dict[str, Any] = {}
    if r0:
        out["startRow"] = r0
    if c0:
        out["startColumn"] = c0
    out["rowData"] = rows
    out["rowMetadata"] = [{"pixelSize": sheet.heights.get(r, 21)} for r in range(r0, r1)]
    out["columnMetadata"] = [{"pixelSize": sheet.widths.get(c, 100)} for c in range(c0, c1)]
    return out


def cell_resource(cell: dict) -> dict:
    """A stored cell as spreadsheets.get shows it: entered and effective value, formats, validation."""
    if not cell:
        return {}
    out = {k: v for k, v in cell.items() if k != "effectiveValue"}
    if "userEnteredValue" in cell:
        out["effectiveValue"] = cell.get("effectiveValue") or cell["userEnteredValue"]
        out["formattedValue"] = str(render(cell, "FORMATTED_VALUE", "FORMATTED_STRING"))
    if "userEnteredFormat" in cell:
        out["effectiveFormat"] = cell["userEnteredFormat"]
    return out


def trim_grid_data(resource: dict) -> dict:
    """Leave out trailing empty cells and rows of every rowData, as Google does."""
    for sheet in resource.get("sheets", []):
        for data in sheet.get("data", []):
            rows = data.get("rowData")
            if rows is None:
                continue
            for row in rows:
                values = row.get("values", [])
                while values and not values[-1]:
                    values.pop()
                if not values:
                    row.pop("values", None)
            while rows and not rows[-1]:
                rows.pop()
            if not rows:
                del data["rowData"]
    return resource


def _write(book: Book, span: Span, body: dict, option: str) -> dict:
    values = body.get("values") or []
    if body.get("majorDimension") == "COLUMNS":
        width = max((len(c) for c in values), default=0)
        values = [[col[i] if i < len(col) else None for col in values] for i in range(width)]
    sheet = span.sheet
    width = max((len(row) for row in values), default=0)
    last_row, last_col = span.r0 + len(values), span.c0 + width
    anchor = (span.r1, span.c1) == (span.r0 + 1, span.c0 + 1)  # one cell: where writing starts
    if not anchor and ((span.r1 is not None and last_row > span.r1)
                       or (span.c1 is not None and last_col > span.c1)):
        raise BadRequest(f"Requested writing within range [{span.a1()}], but tried writing beyond it.")
    if last_row > sheet.rows or last_col > sheet.columns:
        raise BadRequest(f"Range ({Span(sheet, span.r0, last_row, span.c0, last_col).a1_unclipped()}) "
                         f"exceeds grid limits. Max rows: {sheet.rows}, max columns: {sheet.columns}")
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value is None:  # "Null values will be skipped"
                continue
            key = (span.r0 + i, span.c0 + j)
            old = sheet.cells.get(key, {})
            text_format = old.get("userEnteredFormat", {}).get("numberFormat", {}).get("type") == "TEXT"
            new = entered(value, option, text_format)
            cell = {k: v for k, v in old.items() if k not in ("userEnteredValue", "effectiveValue")}
            if "userEnteredFormat" in new:
                date_format = new.pop("userEnteredFormat")
                cell["userEnteredFormat"] = {**cell.get("userEnteredFormat", {}), **date_format}
            cell.update(new)
            if cell:
                sheet.cells[key] = cell
            else:
                sheet.cells.pop(key, None)
    written = Span(sheet, span.r0, max(last_row, span.r0 + 1), span.c0, max(last_col, span.c0 + 1))
    out: dict[str, Any] = {"spreadsheetId": book.key, "updatedRange": written.a1()}
    if values:
        out.update(updatedRows=len(values), updatedColumns=width, updatedCells=sum(len(r) for r in values))
    return out


def _clear(span: Span) -> None:
    r0, r1, c0, c1 = span.bounded()
    cells = span.sheet.cells
    for key in [k for k in cells if r0 <= k[0] < r1 and c0 <= k[1] < c1]:
        cell = {k: v for k, v in cells[key].items() if k not in ("userEnteredValue", "effectiveValue")}
        if cell:
            cells[key] = cell
        else:
            del cells[key]


def _input_option(option: str | None) -> str:
    if option not in ("RAW", "USER_ENTERED"):
        raise BadRequest("'valueInputOption' is required but not specified", field="value_input_option")
    return option


def _trimmed(values: list) -> list:
    while values and values[-1] == "":
        values.pop()
    return values
