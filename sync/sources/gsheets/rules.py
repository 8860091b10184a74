"""What a written tab carries besides its cells: a shared tab's dropdowns and conditional fills
(and deleting the fills an earlier write laid on), and the warning-only protection, with the
person's columns left open on a shared tab.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from sheet_templates import gsheet_format as fmt
from sheet_templates.complaints import overdue_formula
from sheet_templates.guide import OUTPUT_NOTE, choice_prompt
from sync.outtabs import OutputTab

PROTECTION_NOTE = OUTPUT_NOTE


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
