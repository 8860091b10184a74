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

The requests are built in `cells` (values and formats), `charts` (the charts and the
grid they need) and `rules` (dropdowns, conditional fills, protection); this module
checks the tabs, makes each an empty grid of the right size and puts the batch together.
"""

from __future__ import annotations

from sheet_templates import gsheet_format as fmt
from sync.errors import GSheetOutputBlocked
from sync.outtabs import OutputTab, chart_anchors, chart_cells
from sync.sources.gsheets.cells import format_requests, values_request
from sync.sources.gsheets.charts import chart_request, grid_size
from sync.sources.gsheets.rules import PROTECTION_NOTE, _open_protection, _stale_fills, shared_requests

# One spreadsheets.get answers all that the read and the write need.
METADATA_FIELDS = (
    "spreadsheetId,properties.title,sheets(properties(sheetId,title,index,sheetType,"
    "gridProperties(rowCount,columnCount,frozenRowCount)),charts(chartId),"
    "protectedRanges(protectedRangeId,range,warningOnly,requestingUserCanEdit,description,unprotectedRanges),"
    "conditionalFormats(ranges,booleanRule(condition)))")


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


def filter_request(tab: OutputTab, sheet_id: int) -> dict:
    """`setBasicFilter` over the header row and the data rows, as Excel's AutoFilter."""
    head = tab.header_row - 1
    end = head + 1 + max(len(tab.rows), 1)
    return {"setBasicFilter": {"filter": {"range": fmt.grid_range(sheet_id, (head, end),
                                                                   (0, len(tab.columns)))}}}


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
