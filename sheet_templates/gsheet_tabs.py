"""New template tabs for a Google Sheet, and the pieces of each: headers, dropdowns, text formats.

Pure builders of Sheets API `Request` dicts, used by `sheet_templates.gsheet`
both for tabs it adds whole and for the missing parts of tabs that exist.
"""

from __future__ import annotations

from collections.abc import Mapping

from openpyxl.utils import get_column_letter

from . import complaints, guide, results, schema
from . import gsheet_format as fmt
from .schema import Column, Tab
from .xlsx import TEXT_TYPES

INPUT_ROWS = 2000  # rows of a new input tab; its dropdowns and text formats cover them all
OUTPUT_ROWS = 100
SETTINGS_WIDTHS = (44, 26, 90)
GUIDE_WIDTH = 110
GUIDE_LOOK = {
    "title": {"bold": True, "fontSize": 16}, "heading": {"bold": True, "fontSize": 13,
                                                         "foregroundColor": fmt.rgb("1F4E78")},
    "subheading": {"bold": True}, "warning": {"bold": True, "foregroundColor": fmt.rgb("C00000")},
}


def new_tab_requests(tab: Tab, sheet_id: int, values: Mapping[str, object]) -> list[dict]:
    """Every request that adds `tab` whole, as the Excel template has it."""
    if tab.kind == "guide":
        lines = guide.guide_lines()
        rows = [{"values": [guide_cell(style, line)]} if line else {} for style, line in lines]
        return [fmt.add_sheet_request(sheet_id, tab.label, len(rows) + 1, 1, tab_colour=fmt.GUIDE_TAB_COLOR),
                update_request(sheet_id, 0, 0, rows, "userEnteredValue,userEnteredFormat"),
                *fmt.column_width_requests(sheet_id, [GUIDE_WIDTH])]
    if tab.kind == "settings":
        return new_settings(sheet_id, values)
    if tab.kind == "shared":
        return new_shared_tab(tab, sheet_id)
    if tab.kind == "input":
        out = [fmt.add_sheet_request(sheet_id, tab.label, INPUT_ROWS, len(tab.columns), 1)]
        out += header_requests(tab.columns, sheet_id, 0, 0, fmt.INPUT_HEADER_FILL)
        for j, col in enumerate(tab.columns):
            out += column_requests(col, sheet_id, j, 1, INPUT_ROWS)
        return out + fmt.column_width_requests(sheet_id, [col.width for col in tab.columns])
    titled = tab is results.VALIDATION  # Validasi: a summary line above the header, as the writer has
    head = 1 if titled else 0
    out = [fmt.add_sheet_request(sheet_id, tab.label, OUTPUT_ROWS, len(tab.columns), head + 1,
                                 fmt.OUTPUT_TAB_COLOR)]
    if titled:
        title = fmt.text(f"{guide.OUTPUT_NOTE} {guide.NOT_RUN_YET}")
        title["userEnteredFormat"] = {"textFormat": {"italic": True}}
        out.append(update_request(sheet_id, 0, 0, [{"values": [title]}],
                                  "userEnteredValue,userEnteredFormat"))
    out += header_requests(tab.columns, sheet_id, head, 0, fmt.OUTPUT_HEADER_FILL, guide.OUTPUT_NOTE_LONG)
    out += fmt.column_width_requests(sheet_id, [col.width for col in tab.columns])
    return out + [protection_request(sheet_id)]


def new_shared_tab(tab: Tab, sheet_id: int) -> list[dict]:
    """`Pengaduan` as `kinerja score` writes it, still empty: a line above the header, a warning-only
    protection with the supervisor's columns and the empty rows open, `Status` a dropdown, and a row
    red once its Batas Waktu has passed and it is not Selesai."""
    head, end = 1, 2 + complaints.SPARE_ROWS  # 0-based header row; grid rows
    columns = [col.name for col in tab.columns]
    title = fmt.text(complaints.title_line(None))
    title["userEnteredFormat"] = {"textFormat": {"italic": True}}
    status = tab.column("status")
    opened = tuple(columns.index(col.name) for col in complaints.SUPERVISOR_COLUMNS)
    formula = complaints.overdue_formula(head + 2, get_column_letter(columns.index("deadline") + 1),
                                         get_column_letter(columns.index("status") + 1))
    return [
        fmt.add_sheet_request(sheet_id, tab.label, end, len(tab.columns), head + 1, fmt.OUTPUT_TAB_COLOR),
        update_request(sheet_id, 0, 0, [{"values": [title]}], "userEnteredValue,userEnteredFormat"),
        *header_requests(tab.columns, sheet_id, head, 0, fmt.OUTPUT_HEADER_FILL),
        *fmt.column_width_requests(sheet_id, [col.width for col in tab.columns]),
        fmt.list_validation_request(sheet_id, (head + 1, end), columns.index("status"), status.labels,
                                    guide.choice_prompt(status.labels)),
        fmt.conditional_fill_request(sheet_id, (head + 1, end), len(tab.columns), formula,
                                     complaints.OVERDUE_FILL),
        shared_protection_request(sheet_id, head + 1, head + 1, opened),
    ]


def shared_protection_request(sheet_id: int, first_row: int, spare_row: int | None,
                              opened: tuple[int, ...]) -> dict:
    """The warning-only protection of a shared tab, its person's columns and spare rows open."""
    return fmt.protection_request(sheet_id, guide.OUTPUT_NOTE,
                                  fmt.open_ranges(sheet_id, first_row, spare_row, opened))


def new_settings(sheet_id: int, values: Mapping[str, object]) -> list[dict]:
    keys = schema.SETTINGS.columns
    labels = (schema.SETTINGS_KEY_LABEL, schema.SETTINGS_VALUE_LABEL, schema.SETTINGS_NOTE_LABEL)
    header = [Column(label, label) for label in labels]
    out = [fmt.add_sheet_request(sheet_id, schema.SETTINGS.label, len(keys) + 21, 3, 1)]
    out += header_requests(header, sheet_id, 0, 0, fmt.INPUT_HEADER_FILL, notes=False)
    out += setting_rows(keys, sheet_id, 1, values)
    return out + fmt.column_width_requests(sheet_id, list(SETTINGS_WIDTHS))


def setting_rows(keys: tuple[Column, ...] | list[Column], sheet_id: int, first_row: int,
                 values: Mapping[str, object]) -> list[dict]:
    """Kunci | Nilai | Keterangan rows for `keys` from `first_row`, with their dropdowns."""
    rows, out = [], []
    for i, col in enumerate(keys):
        value, _ = fmt.cell_value(values.get(col.name))
        nilai: dict = {"userEnteredValue": value} if value else {}
        if col.type not in ("int", "number"):
            # Text-formatted, so that "1/9" or "2026-03" is kept as typed, not read as a date.
            nilai["userEnteredFormat"] = {"numberFormat": {"type": "TEXT"}}
        rows.append({"values": [fmt.text(col.label), nilai, fmt.text(guide.describe_values(col))]})
        rule = validation_rule(col)
        if rule:
            out.append(validate_request(sheet_id, first_row + i, first_row + i + 1, 1, rule))
    return [update_request(sheet_id, first_row, 0, rows, "userEnteredValue,userEnteredFormat"), *out]


def header_requests(columns, sheet_id: int, row: int, first_column: int, fill: str,
                    first_note: str | None = None, notes: bool = True) -> list[dict]:
    """Header cells (label, look, the column's note as a cell note) from (`row`, `first_column`)."""
    cells = []
    for j, col in enumerate(columns):
        cell = fmt.text(col.label)
        cell["userEnteredFormat"] = fmt.header_format(fill)
        note = first_note if (first_note and j == 0) else (getattr(col, "note", "") if notes else "")
        if note:
            cell["note"] = note
        cells.append(cell)
    fields = "userEnteredValue,userEnteredFormat,note"
    return [update_request(sheet_id, row, first_column, [{"values": cells}], fields)]


def column_requests(col: Column, sheet_id: int, column: int, first_row: int, end_row: int) -> list[dict]:
    """The text format and dropdown/number check of one input column's data cells."""
    out = []
    if col.type in TEXT_TYPES:  # NIPs, codes and months must stay text, as typed
        out.append(text_format_request(sheet_id, column, first_row, end_row))
    rule = validation_rule(col)
    if rule:
        out.append(validate_request(sheet_id, first_row, end_row, column, rule))
    return out


def text_format_request(sheet_id: int, column: int, first_row: int, end_row: int) -> dict:
    """The plain-text number format on a column's data cells, so Sheets never turns them into numbers."""
    return {"repeatCell": {
        "range": fmt.grid_range(sheet_id, (first_row, end_row), (column, column + 1)),
        "cell": {"userEnteredFormat": {"numberFormat": {"type": "TEXT"}}},
        "fields": "userEnteredFormat.numberFormat"}}


def validation_rule(col: Column) -> dict | None:
    """A `DataValidationRule`: a strict dropdown for choices, a warning for numbers out of range."""
    if col.choices:
        return {"condition": {"type": "ONE_OF_LIST",
                              "values": [{"userEnteredValue": label} for label in col.labels]},
                "inputMessage": f"Pilih salah satu: {guide.choice_list(col)}"[:500],
                "strict": True, "showCustomUi": True}
    if col.type not in ("int", "number") or (col.minimum is None and col.maximum is None):
        return None
    low, high = col.minimum, col.maximum
    if low is not None and high is not None:
        kind, bounds = "NUMBER_BETWEEN", (low, high)
    elif low is not None:
        kind, bounds = ("NUMBER_GREATER" if col.exclusive_minimum else "NUMBER_GREATER_THAN_EQ"), (low,)
    else:
        kind, bounds = "NUMBER_LESS_THAN_EQ", (high,)
    # Not strict: "85,5" typed in an English-locale sheet is text, yet Kinerja reads it.
    return {"condition": {"type": kind, "values": [{"userEnteredValue": guide.format_number(b).replace(
        ",", ".")} for b in bounds]}, "inputMessage": guide.allowed_words(col)[:500], "strict": False}


def protection_request(sheet_id: int) -> dict:
    """A warning-only protection of a whole output tab: clerks are warned, Kinerja can still write."""
    return {"addProtectedRange": {"protectedRange": {
        "range": fmt.grid_range(sheet_id), "description": guide.OUTPUT_NOTE, "warningOnly": True}}}



# --- small builders -------------------------------------------------------------------------


def update_request(sheet_id: int, row: int, column: int, rows: list[dict], fields: str) -> dict:
    return {"updateCells": {"start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": column},
                            "rows": rows, "fields": fields}}


def validate_request(sheet_id: int, first_row: int, end_row: int, column: int, rule: dict) -> dict:
    grid = fmt.grid_range(sheet_id, (first_row, end_row), (column, column + 1))
    return {"setDataValidation": {"range": grid, "rule": rule}}



def guide_cell(style: str, line: str) -> dict:
    cell = fmt.text(line)
    cell["userEnteredFormat"] = {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"}
    if style in GUIDE_LOOK:
        cell["userEnteredFormat"]["textFormat"] = GUIDE_LOOK[style]
    return cell
