"""The Kinerja template laid onto an existing Google Sheet: the requests that add what is missing.

Pure: the spreadsheet's metadata and the first rows of its template tabs go
in, one `spreadsheets.batchUpdate` worth of requests comes out. Nothing a
clerk typed is overwritten or moved: missing tabs are added whole, missing
header cells go into empty cells right of the existing header, missing
Pengaturan keys into rows below the existing ones, and dropdowns, text formats,
frozen header rows and warning-only protections are added only where they are
absent. So a second run over the result plans nothing (idempotent).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from . import complaints, guide, results, schema
from . import gsheet_format as fmt
from . import gsheet_tabs as tabs
from .schema import Column, Tab
from .xlsx import TEXT_TYPES, settings_values

# What provisioning reads beyond the metadata: values and dropdowns of the first rows.
GRID_FIELDS = ("sheets(properties(sheetId,title),data(startRow,startColumn,"
               "rowData(values(userEnteredValue,dataValidation))))")
HEADER_SEARCH_ROWS = 10  # the reader looks for the header row among the first 10 rows


def normalise(text: str) -> str:
    """Label matching ignoring case, spaces and punctuation (same rule as the workbook reader)."""
    text = str(text).casefold().replace("\u00a0", " ")
    return re.sub(r"\s+", " ", re.sub(r"[\s_\-./()%:]+", " ", text)).strip()


@dataclass
class Plan:
    """The requests of one batchUpdate, and what they do, in Indonesian, for the clerk."""

    requests: list[dict] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def template_tabs() -> tuple[Tab, ...]:
    """Every tab of the template, in workbook order."""
    return (guide.GUIDE, schema.SETTINGS, *schema.INPUT_TABS, complaints.COMPLAINTS, *results.OUTPUT_TABS)


def probe_ranges(spreadsheet: dict, match: Callable[[str], str] = normalise) -> list[str]:
    """The ranges `provision_requests` needs to see: header rows of input tabs, all of Pengaturan."""
    found = _existing(spreadsheet, match)
    out = []
    for tab in (schema.SETTINGS, *schema.INPUT_TABS):
        sheet = found.get(tab.label)
        if sheet is not None:
            title = fmt.quote_title(sheet["properties"]["title"])
            out.append(f"{title}!A:C" if tab is schema.SETTINGS else f"{title}!1:{HEADER_SEARCH_ROWS + 1}")
    return out


def provision_requests(spreadsheet: dict, grid: dict | None = None, *,
                       settings: Mapping[str, object] | None = None,
                       match: Callable[[str], str] = normalise) -> Plan:
    """Plan the changes that make `spreadsheet` follow the template.

    Args:
        spreadsheet: the `spreadsheets.get` answer with sheets' properties and protectedRanges.
        grid: the `spreadsheets.get` answer for `probe_ranges` with `GRID_FIELDS` (may be None
            when no template tab exists yet).
        settings: Pengaturan values for keys that are added (`{"org_name": ..., "year": 2026}`).
        match: how tab titles and headers are compared (the reader's `normalise_label`).

    Returns:
        The Plan; no requests when the sheet already follows the template.
    """
    found = _existing(spreadsheet, match)
    cells = _cells(grid or {})
    taken = fmt.sheet_ids(spreadsheet)
    values = settings_values(settings or {})
    plan = Plan()
    for tab in template_tabs():
        sheet = found.get(tab.label)
        if sheet is None:
            sheet_id = fmt.free_sheet_id(tab.label, taken)
            plan.requests.extend(tabs.new_tab_requests(tab, sheet_id, values))
            plan.changes.append(f"Tab {tab.label} ditambahkan.")
        elif tab.kind == "settings":
            _settings_existing(plan, sheet, cells.get(_id(sheet), {}), values, match)
        elif tab.kind == "input":
            _input_existing(plan, tab, sheet, cells.get(_id(sheet), {}), match)
        elif tab.kind == "output":
            _output_existing(plan, sheet)
        elif tab.kind == "shared":
            _shared_existing(plan, tab, sheet)
    return plan


# --- tabs that exist already ------------------------------------------------------------------


def _input_existing(plan: Plan, tab: Tab, sheet: dict, cells: dict, match) -> None:
    props, sheet_id = sheet["properties"], _id(sheet)
    labels = {match(col.label): col for col in tab.columns}
    hits = [(sum(match(_text(cells.get((r, c)))) in labels for c in _columns(cells, r)), -r)
            for r in range(HEADER_SEARCH_ROWS)]
    best, row = max(hits)
    head = -row
    if best == 0 and any(_text(cell) for cell in cells.values()):
        plan.notes.append(f"Tab {props['title']}: baris judul kolom tidak dikenali, jadi tab ini tidak "
                          f"diubah. Tulis judul kolom seperti di tab {guide.GUIDE.label} pada baris 1.")
        return
    header_columns = [c for c in _columns(cells, head) if _text(cells[(head, c)])]
    present = {match(_text(cells[(head, c)])): c for c in header_columns}
    next_free = max(header_columns, default=-1) + 1  # new labels go right of the last one
    rows = props["gridProperties"]["rowCount"]
    missing = [col for col in tab.columns if match(col.label) not in present]
    if missing:
        columns_needed = next_free + len(missing)
        if columns_needed > props["gridProperties"]["columnCount"]:
            plan.requests.append(_grow(sheet_id, columns=columns_needed))
        plan.requests += tabs.header_requests(missing, sheet_id, head, next_free, fmt.INPUT_HEADER_FILL)
        plan.requests += fmt.column_width_requests(sheet_id, [c.width for c in missing], next_free)
        where = f"{get_column_letter(next_free + 1)}{head + 1}"
        plan.changes.append(f"{props['title']}: kolom {', '.join(c.label for c in missing)} ditambahkan "
                            f"mulai sel {where}.")
    positions = {match(col.label): present.get(match(col.label)) for col in tab.columns}
    for k, col in enumerate(missing):
        positions[match(col.label)] = next_free + k
    checked = []
    for col in tab.columns:
        column = positions[match(col.label)]
        first_data = cells.get((head + 1, column), {})
        new = col in missing
        if new and col.type in TEXT_TYPES:
            plan.requests.append(tabs.text_format_request(sheet_id, column, head + 1, rows))
        rule = tabs.validation_rule(col)
        if rule and (new or "dataValidation" not in first_data) and head + 1 < rows:
            plan.requests.append(tabs.validate_request(sheet_id, head + 1, rows, column, rule))
            checked.append(col.label)
    if checked:
        plan.changes.append(f"{props['title']}: pilihan/pemeriksaan isian dipasang pada kolom "
                            f"{', '.join(checked)}.")
    _freeze(plan, sheet, head + 1)


def _settings_existing(plan: Plan, sheet: dict, cells: dict, values, match) -> None:
    props, sheet_id = sheet["properties"], _id(sheet)
    labels = (schema.SETTINGS_KEY_LABEL, schema.SETTINGS_VALUE_LABEL, schema.SETTINGS_NOTE_LABEL)
    first = [_text(cells.get((0, c))) for c in range(3)]
    if match(first[0]) == match(labels[0]) or not any(first):
        empty = [(c, label) for c, label in enumerate(labels) if not first[c]]
        for c, label in empty:
            plan.requests += tabs.header_requests([Column(label, label)], sheet_id, 0, c,
                                             fmt.INPUT_HEADER_FILL, notes=False)
        if empty:
            added = ", ".join(label for _, label in empty)
            plan.changes.append(f"{props['title']}: judul {added} ditambahkan.")
        _freeze(plan, sheet, 1)
    keys = {match(_text(cell)): r for (r, c), cell in cells.items() if c == 0 and _text(cell)}
    missing = [col for col in schema.SETTINGS.columns if match(col.label) not in keys]
    for col in schema.SETTINGS.columns:
        row = keys.get(match(col.label))
        rule = tabs.validation_rule(col)
        if row is not None and rule and "dataValidation" not in cells.get((row, 1), {}):
            plan.requests.append(tabs.validate_request(sheet_id, row, row + 1, 1, rule))
    if missing:
        start = max((r for (r, c), cell in cells.items() if _text(cell)), default=0) + 1
        needed = start + len(missing)
        if needed > props["gridProperties"]["rowCount"]:
            plan.requests.append(_grow(sheet_id, rows=needed))
        plan.requests += tabs.setting_rows(missing, sheet_id, start, values)
        plan.changes.append(f"{props['title']}: kunci {', '.join(c.label for c in missing)} "
                            f"ditambahkan mulai baris {start + 1}.")


def _output_existing(plan: Plan, sheet: dict) -> None:
    protections = sheet.get("protectedRanges", [])
    if any(set(p.get("range", {})) <= {"sheetId"} for p in protections):
        return
    plan.requests.append(tabs.protection_request(_id(sheet)))
    plan.changes.append(f"{sheet['properties']['title']}: perlindungan 'hanya peringatan' dipasang.")


def _shared_existing(plan: Plan, tab: Tab, sheet: dict) -> None:
    """A `Pengaduan` tab without protection gets the shared one: the supervisor's columns open.
    (`kinerja score` lays its dropdown and red rows, over however many complaints it holds.)"""
    protections = sheet.get("protectedRanges", [])
    if any(set(p.get("range", {})) <= {"sheetId"} for p in protections):
        return
    names = [col.name for col in tab.columns]
    opened = tuple(names.index(col.name) for col in complaints.SUPERVISOR_COLUMNS)
    plan.requests.append(tabs.shared_protection_request(_id(sheet), 2, None, opened))
    plan.changes.append(f"{sheet['properties']['title']}: perlindungan 'hanya peringatan' dipasang; kolom "
                        f"{', '.join(col.label for col in complaints.SUPERVISOR_COLUMNS)} tetap bebas diisi.")


# --- helpers ----------------------------------------------------------------------------------


def _existing(spreadsheet: dict, match) -> dict[str, dict]:
    """Template tab label → the existing sheet with that title (matched like the reader does)."""
    by_key = {match(s["properties"]["title"]): s for s in spreadsheet.get("sheets", [])}
    return {tab.label: by_key[match(tab.label)] for tab in template_tabs() if match(tab.label) in by_key}


def _cells(grid: dict) -> dict[int, dict[tuple[int, int], dict]]:
    """sheetId → {(row, column): CellData} of a grid-data answer."""
    out: dict[int, dict[tuple[int, int], dict]] = {}
    for sheet in grid.get("sheets", []):
        mine = out.setdefault(sheet["properties"].get("sheetId", 0), {})
        for data in sheet.get("data", []):
            r0, c0 = data.get("startRow", 0), data.get("startColumn", 0)
            for i, row in enumerate(data.get("rowData", [])):
                for j, cell in enumerate(row.get("values", [])):
                    if cell:
                        mine[(r0 + i, c0 + j)] = cell
    return out


def _text(cell: dict | None) -> str:
    value = (cell or {}).get("userEnteredValue", {})
    for key in ("stringValue", "numberValue", "boolValue", "formulaValue"):
        if key in value:
            return str(value[key]).strip()
    return ""


def _columns(cells: dict, row: int) -> list[int]:
    return sorted(c for (r, c) in cells if r == row)


def _id(sheet: dict) -> int:
    return sheet["properties"].get("sheetId", 0)


def _grow(sheet_id: int, rows: int | None = None, columns: int | None = None) -> dict:
    grid = {k: v for k, v in (("rowCount", rows), ("columnCount", columns)) if v is not None}
    fields = ",".join(f"gridProperties.{k}" for k in grid)
    return {"updateSheetProperties": {"properties": {"sheetId": sheet_id, "gridProperties": grid},
                                      "fields": fields}}


def _freeze(plan: Plan, sheet: dict, rows: int) -> None:
    grid = sheet["properties"]["gridProperties"]
    if grid.get("frozenRowCount", 0) == 0 and rows < grid["rowCount"]:
        plan.requests.append({"updateSheetProperties": {
            "properties": {"sheetId": _id(sheet), "gridProperties": {"frozenRowCount": rows}},
            "fields": "gridProperties.frozenRowCount"}})
        plan.changes.append(f"{sheet['properties']['title']}: baris judul dibekukan.")


