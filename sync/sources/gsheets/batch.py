"""Output tabs → the requests of the one `spreadsheets.batchUpdate` that writes them (pure).

Google applies a batchUpdate atomically: either every request succeeds or
none does. So the whole write is one batch: new tabs are added with ids chosen
here (later requests of the same batch refer to them), existing output tabs lose
their charts, are resized and cleared, and then values, formats, column widths,
charts and a warning-only protection are laid on. Only output tabs are named
in the batch, so a clerk typing in an input tab at the same moment loses nothing.

The look mirrors `xlsx_package`: bold filled header (under a bold title line
for Validasi), frozen header rows, Excel's column widths, number formats per
column kind, green Pegawai Terbaik rows and a bar/column chart per `ChartSpec`.
"""

from __future__ import annotations

from sheet_templates import gsheet_format as fmt
from sheet_templates.guide import OUTPUT_NOTE
from sync.errors import GSheetOutputBlocked
from sync.outtabs import ChartSpec, OutputTab

# One spreadsheets.get answers all that the read and the write need.
METADATA_FIELDS = (
    "spreadsheetId,properties.title,sheets(properties(sheetId,title,index,sheetType,"
    "gridProperties(rowCount,columnCount,frozenRowCount)),charts(chartId),"
    "protectedRanges(protectedRangeId,range,warningOnly,requestingUserCanEdit,description))")

CHART_PIXELS = (600, 300)  # about the Excel writer's 15 × 7.5 cm
CHART_ROWS = 16  # rows between two stacked charts, as in Excel
CHART_COLUMNS = 7  # grid columns a chart spans at the default 100 px width
PROTECTION_NOTE = OUTPUT_NOTE

_NUMBER_PATTERNS = {"int": "0"}


def write_requests(tabs: list[OutputTab], spreadsheet: dict) -> list[dict]:
    """The batchUpdate requests that rewrite every tab in `tabs`.

    Args:
        tabs: the output tabs; a tab whose name matches an existing sheet
            (ignoring case) replaces it, any other is added at the end.
        spreadsheet: the `spreadsheets.get` answer (with `METADATA_FIELDS`) of
            the spreadsheet as it is now.

    Returns:
        The `Request` dicts, in order.

    Raises:
        GSheetOutputBlocked: an output tab's name belongs to a chart sheet, or the
            tab is protected against the account that writes.
        ValueError: the tabs themselves are malformed (a Kinerja bug).
    """
    check_tabs(tabs)
    existing = fmt.sheets_by_title(spreadsheet)
    taken = fmt.sheet_ids(spreadsheet)
    out: list[dict] = []
    for tab in tabs:
        out.extend(tab_requests(tab, existing.get(tab.name.strip().casefold()), taken))
    return out


def tab_requests(tab: OutputTab, sheet: dict | None, taken: set[int]) -> list[dict]:
    """The requests that (re)write one tab; `sheet` is its `Sheet` metadata, None when new."""
    sheet_id, out, protected = prepare_requests(tab, sheet, taken)
    out.append(values_request(tab, sheet_id))
    out.extend(format_requests(tab, sheet_id))
    return out + finish_requests(tab, sheet_id, protected)


def prepare_requests(tab: OutputTab, sheet: dict | None, taken: set[int]) -> tuple[int, list[dict], bool]:
    """(sheet id, the requests that make the tab an empty grid of the right size, protected already?).

    A new tab is added; an existing one loses its charts, is resized and cleared.
    """
    rows, columns = grid_size(tab)
    if sheet is None:
        sheet_id = fmt.free_sheet_id(tab.name, taken)
        return sheet_id, [fmt.add_sheet_request(sheet_id, tab.name, rows, columns, tab.header_row,
                                                fmt.OUTPUT_TAB_COLOR)], False
    _check_writable(tab, sheet)
    sheet_id = sheet["properties"]["sheetId"]
    out = [{"deleteEmbeddedObject": {"objectId": chart["chartId"]}} for chart in sheet.get("charts", [])]
    out.append({"updateSheetProperties": {
        "properties": {"sheetId": sheet_id, "gridProperties": {
            "rowCount": rows, "columnCount": columns, "frozenRowCount": tab.header_row,
            "frozenColumnCount": 0}},
        "fields": "gridProperties(rowCount,columnCount,frozenRowCount,frozenColumnCount)"}})
    # "*" clears values, formats, notes and validations left by an earlier run or a clerk.
    out.append({"updateCells": {"range": fmt.grid_range(sheet_id), "fields": "*"}})
    return sheet_id, out, any(_whole_sheet(p["range"]) for p in sheet.get("protectedRanges", []))


def finish_requests(tab: OutputTab, sheet_id: int, protected: bool) -> list[dict]:
    """Column widths, charts and (unless `protected`) the warning-only protection of a written tab."""
    out = fmt.column_width_requests(sheet_id, [col.width for col in tab.columns])
    charts = [chart_request(spec, tab, sheet_id, k) for k, spec in enumerate(tab.charts)]
    out.extend(chart for chart in charts if chart)
    if not protected:
        out.append({"addProtectedRange": {"protectedRange": {
            "range": fmt.grid_range(sheet_id), "description": PROTECTION_NOTE, "warningOnly": True}}})
    return out


def grid_size(tab: OutputTab) -> tuple[int, int]:
    """(rows, columns) of the grid: the data, room for the charts, and one row below the frozen ones."""
    rows = max(tab.header_row + len(tab.rows), tab.header_row + 1)
    columns = max(len(tab.columns), 1)
    for k, spec in enumerate(tab.charts):
        if _chart_rows(spec, tab) is not None:
            rows = max(rows, tab.header_row + (k + 1) * CHART_ROWS)
            columns = max(columns, _anchor_column(spec, tab) + CHART_COLUMNS)
    return rows, columns


def values_request(tab: OutputTab, sheet_id: int) -> dict:
    """One `updateCells` writing the title line, the header and every data row from A1."""
    rows = []
    if tab.title:
        rows.append({"values": [fmt.text(tab.title)]})
    rows.append({"values": [fmt.text(col.header) if col.header else {} for col in tab.columns]})
    for row in tab.rows:
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


def chart_request(spec: ChartSpec, tab: OutputTab, sheet_id: int, index: int) -> dict | None:
    """`addChart` for one `ChartSpec` over the tab's own cells, or None when it has no rows."""
    rows = _chart_rows(spec, tab)
    if rows is None:
        return None
    head = tab.header_row - 1
    first, last = rows

    def sources(col: int) -> dict:
        # The header cell names the series; a slice of rows further down is a second source.
        if first == head + 1:
            ranges = [fmt.grid_range(sheet_id, (head, last + 1), (col, col + 1))]
        else:
            ranges = [fmt.grid_range(sheet_id, (head, head + 1), (col, col + 1)),
                      fmt.grid_range(sheet_id, (first, last + 1), (col, col + 1))]
        return {"sourceRange": {"sources": ranges}}

    bar = spec.kind == "bar"
    values_axis = "BOTTOM_AXIS" if bar else "LEFT_AXIS"
    # x_title names the horizontal axis and y_title the vertical one, whichever holds the values.
    axes = [{"position": position, "title": title}
            for position, title in (("BOTTOM_AXIS", spec.x_title), ("LEFT_AXIS", spec.y_title)) if title]
    basic = {
        "chartType": "BAR" if bar else "COLUMN", "legendPosition": "BOTTOM_LEGEND", "headerCount": 1,
        "stackedType": "STACKED" if spec.stacked else "NOT_STACKED",
        "domains": [{"domain": sources(spec.category_column)}],
        "series": [{"series": sources(col), "targetAxis": values_axis} for col in spec.series_columns],
    }
    if axes:
        basic["axis"] = axes
    anchor = {"sheetId": sheet_id, "rowIndex": head + index * CHART_ROWS,
              "columnIndex": _anchor_column(spec, tab)}
    width, height = CHART_PIXELS
    return {"addChart": {"chart": {
        "spec": {"title": spec.title, "basicChart": basic},
        "position": {"overlayPosition": {"anchorCell": anchor, "widthPixels": width,
                                         "heightPixels": height}}}}}


# --- helpers ------------------------------------------------------------------------------


def check_tabs(tabs: list[OutputTab]) -> None:
    """Raise ValueError for tabs no sheet can hold: bad or duplicate names, rows or charts too wide."""
    seen: set[str] = set()
    for tab in tabs:
        key = tab.name.strip().casefold()
        if not key or len(tab.name) > 100:
            raise ValueError(f"invalid sheet title: {tab.name!r}")
        if key in seen:
            raise ValueError(f"duplicate output tab: {tab.name!r}")
        seen.add(key)
        width = len(tab.columns)
        for i, row in enumerate(tab.rows):
            if len(row) > width:
                raise ValueError(f"tab {tab.name!r} row {i} has {len(row)} values for {width} columns")
        for spec in tab.charts:
            if not all(0 <= c < width for c in (spec.category_column, *spec.series_columns)):
                raise ValueError(f"chart {spec.title!r} refers to a column {tab.name!r} lacks")


def _check_writable(tab: OutputTab, sheet: dict) -> None:
    title = sheet["properties"]["title"]
    if sheet["properties"].get("sheetType", "GRID") != "GRID":
        raise GSheetOutputBlocked(
            f"Tab '{title}' di Google Sheet adalah lembar grafik, bukan lembar biasa, sehingga tab "
            f"hasil {tab.name} tidak dapat ditulis di sana. Ganti nama atau hapus tab itu, lalu "
            "jalankan lagi.")
    for protection in sheet.get("protectedRanges", []):
        if not protection.get("warningOnly") and protection.get("requestingUserCanEdit") is False:
            raise GSheetOutputBlocked(
                f"Tab '{title}' dilindungi (Data > Lindungi sheet dan rentang) sehingga akun layanan "
                "Kinerja tidak boleh menulis hasil di sana. Ubah perlindungannya menjadi 'Tampilkan "
                "peringatan' atau tambahkan email akun layanan sebagai editor, lalu jalankan lagi.")


def _whole_sheet(grid: dict) -> bool:
    return set(grid) <= {"sheetId"}


def _repeat(grid: dict, cell_format: dict, fields: str) -> dict:
    return {"repeatCell": {"range": grid, "cell": {"userEnteredFormat": cell_format}, "fields": fields}}


def _column_format(col) -> dict:
    out: dict = {}
    if col.kind == "int":
        out["numberFormat"] = {"type": "NUMBER", "pattern": "0"}
    elif col.kind in ("number", "percent"):  # percent values are already 0-100, as in Excel
        pattern = "0." + "0" * col.decimals if col.decimals > 0 else "0"
        out["numberFormat"] = {"type": "NUMBER", "pattern": pattern}
    elif col.kind == "date":
        out["numberFormat"] = {"type": "DATE", "pattern": fmt.DATE_PATTERN}
    if col.wrap:
        out["wrapStrategy"] = "WRAP"
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


def _chart_rows(spec: ChartSpec, tab: OutputTab) -> tuple[int, int] | None:
    """0-based first and last grid row of the chart's data, or None when it has no rows."""
    first = max(spec.first_row or 0, 0)
    last = len(tab.rows) - 1 if spec.last_row is None else min(spec.last_row, len(tab.rows) - 1)
    if first > last:
        return None
    return tab.header_row + first, tab.header_row + last


def _anchor_column(spec: ChartSpec, tab: OutputTab) -> int:
    return len(tab.columns) + 1 if spec.anchor_column is None else spec.anchor_column
