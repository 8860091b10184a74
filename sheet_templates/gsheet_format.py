"""Building blocks of Google Sheets API requests: ranges, colours, cell values, the Kinerja look.

Pure functions returning plain dicts in the JSON shape of the Sheets API v4
(`GridRange`, `CellFormat`, `ExtendedValue`, `Request`). Both the template
provisioner (`sheet_templates.gsheet`) and the result writer
(`sync.sources.gsheets.batch`) use them, so a tab looks the same whichever
one wrote it, and both match the Excel template and writer.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import numbers
import zlib
from typing import Any

# The colours of the Excel builders (sheet_templates.xlsx, sync.sources.excel.package).
INPUT_HEADER_FILL = "DDEBF7"
OUTPUT_HEADER_FILL = "D9E1F2"
HIGHLIGHT_FILL = "C6EFCE"  # Excel's light green "Good": the Pegawai Terbaik
OUTPUT_TAB_COLOR = "808080"
GUIDE_TAB_COLOR = "2E7D32"

DATE_PATTERN = "dd/mm/yyyy"
DATETIME_PATTERN = "dd/mm/yyyy hh:mm"
EXACT_INT = 10**15  # a double keeps 15 significant digits; longer integers are written as text
MAX_TEXT = 50_000  # Google Sheets' limit of characters in one cell
SHEETS_EPOCH = dt.datetime(1899, 12, 30)  # serial 0 in Google Sheets (and in Excel after 1900-03-01)


def quote_title(title: str) -> str:
    """A sheet title as it must appear in an A1 range: always quoted, quotes doubled.

    Examples:
        >>> quote_title("Rekap Unit")
        "'Rekap Unit'"
        >>> quote_title("Ani's")
        "'Ani''s'"
    """
    return "'" + title.replace("'", "''") + "'"


def grid_range(sheet_id: int, rows: tuple[int | None, int | None] = (None, None),
               cols: tuple[int | None, int | None] = (None, None)) -> dict:
    """A `GridRange`: 0-based, end-exclusive; a None bound means unbounded on that side."""
    out: dict[str, int] = {"sheetId": sheet_id}
    for key, value in (("startRowIndex", rows[0]), ("endRowIndex", rows[1]),
                       ("startColumnIndex", cols[0]), ("endColumnIndex", cols[1])):
        if value is not None:
            out[key] = value
    return out


def rgb(hex_colour: str) -> dict:
    """A `Color` from "RRGGBB" (Sheets takes 0-1 floats per channel).

    Examples:
        >>> rgb("FF8000")
        {'red': 1.0, 'green': 0.502, 'blue': 0.0}
    """
    red, green, blue = (int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(red, 4), "green": round(green, 4), "blue": round(blue, 4)}


def pixels(width: float) -> int:
    """An Excel column width (characters of the default font) in screen pixels, as Excel converts it."""
    return max(1, round(width * 7 + 5))


def header_format(fill: str) -> dict:
    """The `CellFormat` of a header row: bold on a fill, thin borders, wrapped, centred vertically."""
    thin = {"style": "SOLID"}
    return {"backgroundColor": rgb(fill), "textFormat": {"bold": True},
            "borders": {"top": thin, "bottom": thin, "left": thin, "right": thin},
            "verticalAlignment": "MIDDLE", "wrapStrategy": "WRAP"}


HEADER_FIELDS = ("userEnteredFormat(backgroundColor,textFormat,borders,verticalAlignment,"
                 "wrapStrategy)")


def text(value: str) -> dict:
    """A `CellData` holding `value` as text, never parsed as a formula, number or date."""
    return {"userEnteredValue": {"stringValue": value}}


def cell_value(value: Any) -> tuple[dict | None, str | None]:
    """The `ExtendedValue` for a Python value, and the number pattern it needs (dates), or None.

    Mirrors the Excel writer so both give the same cells: text always as
    `stringValue` (so "=IMPORTXML(...)" stays text), booleans as Ya/Tidak,
    integers beyond 15 digits and dates before 1899-12-31 as text, NaN and
    missing values as an empty cell (None).

    Examples:
        >>> cell_value("=1+1")
        ({'stringValue': '=1+1'}, None)
        >>> cell_value(dt.date(2026, 3, 14))
        ({'numberValue': 46095}, 'dd/mm/yyyy')
        >>> cell_value(float("nan"))
        (None, None)
    """
    kind = type(value)
    if kind is str:
        return ({"stringValue": value[:MAX_TEXT]}, None) if value else (None, None)
    if kind is float:
        return ({"numberValue": value}, None) if math.isfinite(value) else (None, None)
    if kind is int and -EXACT_INT < value < EXACT_INT:
        return {"numberValue": value}, None
    return _other_value(value)


def _other_value(value: Any) -> tuple[dict | None, str | None]:
    if value is None or type(value).__name__ in ("NaTType", "NAType"):  # pandas' missing values
        return None, None
    if type(value).__name__ in ("bool", "bool_"):  # Python's and numpy's
        return {"stringValue": "Ya" if value else "Tidak"}, None
    if isinstance(value, dt.date):
        return _date_value(value)
    if isinstance(value, numbers.Integral):
        number = int(value)
        if -EXACT_INT < number < EXACT_INT:
            return {"numberValue": number}, None
        return {"stringValue": str(number)}, None
    if isinstance(value, numbers.Real | decimal.Decimal):
        number = float(value)
        return ({"numberValue": number}, None) if math.isfinite(number) else (None, None)
    value = str(value)
    return ({"stringValue": value[:MAX_TEXT]}, None) if value else (None, None)


def _date_value(value: dt.date) -> tuple[dict, str | None]:
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None)
        pattern = DATE_PATTERN if moment.time() == dt.time() else DATETIME_PATTERN
    else:
        moment = dt.datetime(value.year, value.month, value.day)
        pattern = DATE_PATTERN
    serial = (moment - SHEETS_EPOCH) / dt.timedelta(days=1)
    if serial < 1:  # the Excel writer cannot date these either; keep both sources alike
        return {"stringValue": value.isoformat()}, None
    return {"numberValue": int(serial) if serial == int(serial) else serial}, pattern


def column_width_requests(sheet_id: int, widths: list[float], first: int = 0) -> list[dict]:
    """`updateDimensionProperties` requests setting column widths, one per run of equal widths."""
    out: list[dict] = []
    start = 0
    for end in range(1, len(widths) + 1):
        if end == len(widths) or pixels(widths[end]) != pixels(widths[start]):
            out.append({"updateDimensionProperties": {
                "range": {"sheetId": sheet_id, "dimension": "COLUMNS",
                          "startIndex": first + start, "endIndex": first + end},
                "properties": {"pixelSize": pixels(widths[start])}, "fields": "pixelSize"}})
            start = end
    return out


def add_sheet_request(sheet_id: int, title: str, rows: int, columns: int, frozen_rows: int = 0,
                      tab_colour: str | None = None, hidden: bool = False) -> dict:
    """`addSheet` with a caller-chosen id, so later requests of the same batch can refer to it."""
    grid: dict[str, int] = {"rowCount": rows, "columnCount": columns}
    if frozen_rows:
        grid["frozenRowCount"] = frozen_rows
    properties: dict[str, Any] = {"sheetId": sheet_id, "title": title, "sheetType": "GRID",
                                  "gridProperties": grid}
    if tab_colour:
        properties["tabColorStyle"] = {"rgbColor": rgb(tab_colour)}
    if hidden:
        properties["hidden"] = True
    return {"addSheet": {"properties": properties}}


def free_sheet_id(title: str, taken: set[int]) -> int:
    """A sheet id derived from `title` (stable across runs) that is not in `taken`; adds it there."""
    candidate = zlib.crc32(title.encode()) & 0x7FFFFFFF or 1
    while candidate in taken:
        candidate = (candidate * 48271 + 1) % 0x7FFFFFFF or 1  # any walk will do; ids are rare
    taken.add(candidate)
    return candidate


def sheets_by_title(spreadsheet: dict) -> dict[str, dict]:
    """The `Sheet` entries of a `spreadsheets.get` answer by case-folded title."""
    return {sheet["properties"]["title"].strip().casefold(): sheet
            for sheet in spreadsheet.get("sheets", [])}


def sheet_ids(spreadsheet: dict) -> set[int]:
    """Every sheet id in use."""
    return {sheet["properties"].get("sheetId", 0) for sheet in spreadsheet.get("sheets", [])}


# --- a tab both sides write (Pengaduan): open columns, dropdowns, conditional fills -----------------


def protection_request(sheet_id: int, description: str, unprotected: list[dict] = ()) -> dict:
    """A warning-only protection of a whole tab (typing there warns first), with `unprotected`
    GridRanges left open to typing without a warning."""
    protection: dict[str, Any] = {"range": grid_range(sheet_id), "description": description,
                                  "warningOnly": True}
    if unprotected:
        protection["unprotectedRanges"] = list(unprotected)
    return {"addProtectedRange": {"protectedRange": protection}}


def open_ranges(sheet_id: int, first_row: int, spare_row: int | None, columns: tuple[int, ...]) -> list[dict]:
    """The unprotected ranges of a shared tab: `columns` (0-based) from `first_row` down, and every
    column from `spare_row` down (the empty rows below the data); adjacent columns joined."""
    out = []
    for start, stop in _column_runs(sorted(set(columns))):
        out.append(grid_range(sheet_id, (first_row, None), (start, stop)))
    if spare_row is not None:
        out.append(grid_range(sheet_id, (spare_row, None)))
    return out


def _column_runs(columns: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for c in columns:
        if runs and runs[-1][1] == c:
            runs[-1] = (runs[-1][0], c + 1)
        else:
            runs.append((c, c + 1))
    return runs


def list_validation_request(sheet_id: int, rows: tuple[int, int], column: int, labels: tuple[str, ...],
                            message: str) -> dict:
    """A strict dropdown of `labels` on `column` (0-based) over `rows` (start, end exclusive)."""
    rule = {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": label} for label in labels]},
            "inputMessage": message[:500], "strict": True, "showCustomUi": True}
    return {"setDataValidation": {"range": grid_range(sheet_id, rows, (column, column + 1)), "rule": rule}}


def conditional_fill_request(sheet_id: int, rows: tuple[int, int], columns: int, formula: str,
                             colour: str) -> dict:
    """A conditional format filling the rows (start, end exclusive) of `columns` columns with
    `colour` ("RRGGBB") where the custom `formula` (without "=") is true; inserted first."""
    return {"addConditionalFormatRule": {"index": 0, "rule": {
        "ranges": [grid_range(sheet_id, rows, (0, columns))],
        "booleanRule": {"condition": {"type": "CUSTOM_FORMULA",
                                      "values": [{"userEnteredValue": "=" + formula}]},
                        "format": {"backgroundColor": rgb(colour)}}}}}


def custom_formula(rule: dict) -> str | None:
    """The formula of a CUSTOM_FORMULA `ConditionalFormatRule` (without "="), else None."""
    condition = (rule.get("booleanRule") or {}).get("condition") or {}
    values = condition.get("values") or []
    if condition.get("type") != "CUSTOM_FORMULA" or len(values) != 1:
        return None
    return str(values[0].get("userEnteredValue", "")).removeprefix("=")
