"""Output tabs → the requests of the one `spreadsheets.batchUpdate` that writes them (pure).

Google applies a batchUpdate atomically: either every request succeeds or
none does. So the whole write is one batch: new tabs are added with ids chosen
here (later requests of the same batch refer to them), existing output tabs lose
their charts, are resized and cleared, and then values, formats, column widths,
charts and a warning-only protection are laid on. Only output tabs are named
in the batch, so a clerk typing in an input tab at the same moment loses nothing.

The look mirrors `xlsx_package`: bold filled header (under a bold title line
for Validasi), frozen header rows, Excel's column widths, number formats per
column kind, green Pegawai Terbaik rows, a filter on the header row where the
tab asks for one, the charts' hidden data rows below the table, and a chart per
`ChartSpec` below the table, in the same places and colours as in Excel.
Google's API has no print settings; a printed Sheet uses its print dialog.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from sheet_templates import gsheet_format as fmt
from sheet_templates.complaints import overdue_formula
from sheet_templates.guide import OUTPUT_NOTE, choice_prompt
from sync.errors import GSheetOutputBlocked
from sync.outtabs import CHART_CM, ChartSpec, OutputTab, chart_anchors, chart_cells, number_pattern

# One spreadsheets.get answers all that the read and the write need.
METADATA_FIELDS = (
    "spreadsheetId,properties.title,sheets(properties(sheetId,title,index,sheetType,"
    "gridProperties(rowCount,columnCount,frozenRowCount)),charts(chartId),"
    "protectedRanges(protectedRangeId,range,warningOnly,requestingUserCanEdit,description,unprotectedRanges),"
    "conditionalFormats(ranges,booleanRule(condition)))")

CHART_PIXELS = tuple(round(cm / 2.54 * 96) for cm in CHART_CM)  # the Excel writer's size
CHART_ROWS = 17  # grid rows (21 px) a chart covers, with a little room
CHART_COLUMNS = 7  # grid columns a chart spans at the default 100 px width
PROTECTION_NOTE = OUTPUT_NOTE


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


def prepare_requests(tab: OutputTab, sheet: dict | None,
                     taken: set[int]) -> tuple[int, list[dict], dict | None]:
    """(sheet id, the requests that make the tab an empty grid of the right size, its whole-sheet
    protection if it has one already).

    A new tab is added; an existing one loses its charts (and the conditional fills this tab lays
    on, which the clearing would not remove), is resized and cleared.
    """
    rows, columns = grid_size(tab)
    if sheet is None:
        sheet_id = fmt.free_sheet_id(tab.name, taken)
        return sheet_id, [fmt.add_sheet_request(sheet_id, tab.name, rows, columns, tab.header_row,
                                                fmt.OUTPUT_TAB_COLOR)], False
    _check_writable(tab, sheet)
    sheet_id = sheet["properties"]["sheetId"]
    out = [{"deleteEmbeddedObject": {"objectId": chart["chartId"]}} for chart in sheet.get("charts", [])]
    out.extend(_stale_fills(tab, sheet))
    out.append({"updateSheetProperties": {
        "properties": {"sheetId": sheet_id, "gridProperties": {
            "rowCount": rows, "columnCount": columns, "frozenRowCount": tab.header_row,
            "frozenColumnCount": 0}},
        "fields": "gridProperties(rowCount,columnCount,frozenRowCount,frozenColumnCount)"}})
    # "*" clears values, formats, notes and validations left by an earlier run or a clerk.
    out.append({"updateCells": {"range": fmt.grid_range(sheet_id), "fields": "*"}})
    protected = next((p for p in sheet.get("protectedRanges", []) if _whole_sheet(p["range"])), None)
    return sheet_id, out, protected


def finish_requests(tab: OutputTab, sheet_id: int, protected: dict | None) -> list[dict]:
    """Column widths, charts, a shared tab's dropdowns and conditional fills, and (unless
    `protected`) the warning-only protection of a written tab."""
    out = fmt.column_width_requests(sheet_id, [col.width for col in tab.columns])
    if tab.autofilter and tab.columns:
        out.append(filter_request(tab, sheet_id))
    if tab.chart_data:
        first = tab.chart_data_row - 1
        out.append({"updateDimensionProperties": {
            "range": {"sheetId": sheet_id, "dimension": "ROWS", "startIndex": first,
                      "endIndex": first + len(tab.chart_data)},
            "properties": {"hiddenByUser": True}, "fields": "hiddenByUser"}})
    drawn = [spec for spec in tab.charts if chart_cells(spec, tab) is not None]
    anchors = chart_anchors(tab, drawn)
    out.extend(chart_request(spec, tab, sheet_id, anchor)
               for spec, anchor in zip(drawn, anchors, strict=True))
    out.extend(shared_requests(tab, sheet_id))
    if tab.editable_columns:
        out.extend(_open_protection(tab, sheet_id, protected))
    elif not protected:
        out.append({"addProtectedRange": {"protectedRange": {
            "range": fmt.grid_range(sheet_id), "description": PROTECTION_NOTE, "warningOnly": True}}})
    return out


def shared_requests(tab: OutputTab, sheet_id: int) -> list[dict]:
    """The dropdowns and conditional fills of a tab both sides write, over data and spare rows."""
    first = tab.header_row  # 0-based index of the first data row
    end = first + len(tab.rows) + max(tab.spare_rows, 1)
    out = [fmt.list_validation_request(sheet_id, (first, end), column, choices, choice_prompt(choices))
           for column, choices in sorted(tab.dropdowns.items())]
    for fill in reversed(tab.conditional_fills):  # each is inserted first: keep the tab's order
        out.append(fmt.conditional_fill_request(sheet_id, (first, end), len(tab.columns),
                                                _fill_formula(tab, fill), fill.color))
    return out


def _fill_formula(tab: OutputTab, fill) -> str:
    return overdue_formula(tab.header_row + 1, get_column_letter(fill.formula_column + 1),
                           get_column_letter(fill.status_column + 1), fill.done_text)


def _stale_fills(tab: OutputTab, sheet: dict) -> list[dict]:
    """Delete the conditional fills an earlier write of this tab laid on (same formula), last first."""
    if not tab.conditional_fills:
        return []
    ours = {_fill_formula(tab, fill) for fill in tab.conditional_fills}
    rules = sheet.get("conditionalFormats", [])
    sheet_id = sheet["properties"]["sheetId"]
    return [{"deleteConditionalFormatRule": {"sheetId": sheet_id, "index": i}}
            for i in reversed(range(len(rules))) if fmt.custom_formula(rules[i]) in ours]


def _open_protection(tab: OutputTab, sheet_id: int, protected: dict | None) -> list[dict]:
    """The warning-only protection of a shared tab with its person's columns (and the spare rows
    below the data) unprotected; an existing whole-sheet protection gets the ranges updated."""
    spare = tab.header_row + len(tab.rows) if tab.spare_rows else None
    wanted = fmt.open_ranges(sheet_id, tab.header_row, spare, tab.editable_columns)
    if not protected:
        return [fmt.protection_request(sheet_id, PROTECTION_NOTE, wanted)]
    if _bounds(protected.get("unprotectedRanges", [])) == _bounds(wanted):
        return []
    return [{"updateProtectedRange": {"protectedRange": {
        "protectedRangeId": protected["protectedRangeId"], "unprotectedRanges": wanted},
        "fields": "unprotectedRanges"}}]


def _bounds(ranges: list[dict]) -> list[tuple]:
    keys = ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
    return sorted(tuple(r.get(k, -1) for k in keys) for r in ranges)


def grid_size(tab: OutputTab) -> tuple[int, int]:
    """(rows, columns) of the grid: the data, the chart data, room for the charts, one row below."""
    rows = max(tab.last_row + tab.spare_rows, tab.header_row + 1)
    columns = max(len(tab.columns), 1, *(len(row) for row in tab.chart_data))
    drawn = [spec for spec in tab.charts if chart_cells(spec, tab) is not None]
    for (row, column) in chart_anchors(tab, drawn):
        rows = max(rows, row + CHART_ROWS)
        columns = max(columns, column + CHART_COLUMNS)
    return rows, columns


def filter_request(tab: OutputTab, sheet_id: int) -> dict:
    """`setBasicFilter` over the header row and the data rows, as Excel's AutoFilter."""
    head = tab.header_row - 1
    end = head + 1 + max(len(tab.rows), 1)
    return {"setBasicFilter": {"filter": {"range": fmt.grid_range(sheet_id, (head, end),
                                                                   (0, len(tab.columns)))}}}


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


def chart_request(spec: ChartSpec, tab: OutputTab, sheet_id: int, anchor: tuple[int, int]) -> dict | None:
    """`addChart` for one `ChartSpec` over the tab's own cells at `anchor` (0-based row, column),
    or None when it has no rows."""
    cells = chart_cells(spec, tab)
    if cells is None:
        return None
    head, first, last = (r - 1 for r in cells)  # 0-based grid rows

    def column_sources(col: int) -> dict:
        # The header cell names the series; a slice of rows further down is a second source.
        if first == head + 1:
            ranges = [fmt.grid_range(sheet_id, (head, last + 1), (col, col + 1))]
        else:
            ranges = [fmt.grid_range(sheet_id, (head, head + 1), (col, col + 1)),
                      fmt.grid_range(sheet_id, (first, last + 1), (col, col + 1))]
        return {"sourceRange": {"sources": ranges}}

    def row_sources(row: int) -> dict:
        # The name cell, then the values: one horizontal range whose first cell is the header.
        left, right = spec.category_column, max(spec.series_columns) + 1
        return {"sourceRange": {"sources": [fmt.grid_range(sheet_id, (row, row + 1), (left, right))]}}

    bar = spec.kind == "bar"
    values_axis = "BOTTOM_AXIS" if bar else "LEFT_AXIS"
    if spec.by_row:
        domain = row_sources(head)
        series_sources = [row_sources(r) for r in range(first, last + 1)]
    else:
        domain = column_sources(spec.category_column)
        series_sources = [column_sources(col) for col in spec.series_columns]
    series = []
    for k, source in enumerate(series_sources):
        one: dict = {"series": source, "targetAxis": values_axis}
        if spec.line_series:
            one["type"] = "LINE" if k in spec.line_series else "COLUMN"
        colour = spec.colors[k] if k < len(spec.colors) else None
        if colour:
            one["colorStyle"] = {"rgbColor": fmt.rgb(colour)}
        if k in spec.line_series:
            one["lineStyle"] = {"type": "MEDIUM_DASHED", "width": 2}
        series.append(one)
    # x_title names the horizontal axis and y_title the vertical one, whichever holds the values.
    axes = {position: {"position": position, "title": title}
            for position, title in (("BOTTOM_AXIS", spec.x_title), ("LEFT_AXIS", spec.y_title)) if title}
    if spec.value_min is not None or spec.value_max is not None:
        window = {"viewWindowMode": "EXPLICIT"}
        if spec.value_min is not None:
            window["viewWindowMin"] = spec.value_min
        if spec.value_max is not None:
            window["viewWindowMax"] = spec.value_max
        axes.setdefault(values_axis, {"position": values_axis})["viewWindowOptions"] = window
    chart_type = ("COMBO" if spec.line_series else "LINE" if spec.kind == "line"
                  else "BAR" if bar else "COLUMN")
    basic = {
        "chartType": chart_type, "legendPosition": "BOTTOM_LEGEND", "headerCount": 1,
        "domains": [{"domain": domain}],
        "series": series,
    }
    if spec.kind != "line":
        basic["stackedType"] = "STACKED" if spec.stacked else "NOT_STACKED"
    if axes:
        basic["axis"] = [axes[p] for p in ("BOTTOM_AXIS", "LEFT_AXIS") if p in axes]
    row, column = anchor
    width, height = CHART_PIXELS
    chart_spec = {"title": spec.title, "basicChart": basic}
    if tab.chart_data and spec.source == "chart_data":
        chart_spec["hiddenDimensionStrategy"] = "SHOW_ALL"  # its data rows are hidden
    return {"addChart": {"chart": {
        "spec": chart_spec,
        "position": {"overlayPosition": {"anchorCell": {"sheetId": sheet_id, "rowIndex": row,
                                                        "columnIndex": column},
                                         "widthPixels": width, "heightPixels": height}}}}}


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
            data_width = max((len(row) for row in tab.chart_data), default=0)
            limit = data_width if spec.source == "chart_data" else width
            if not all(0 <= c < limit for c in (spec.category_column, *spec.series_columns)):
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
