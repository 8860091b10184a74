"""A blank (or pre-filled) `.xlsx` workbook that follows the contract in `schema`/`results`.

Written with openpyxl in write-only mode so that large pre-filled tabs (the
benchmark writes 600,000 Realisasi rows) stream to disk instead of living in
memory. Write-only mode fixes the order of work per sheet: column widths,
column styles, frozen panes and the tab colour must be set before the first
row is appended; validations, protection and comments may be added any time
before saving.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from fractions import Fraction
from os import PathLike
from typing import TYPE_CHECKING, Any

from lxml.etree import Element
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.page import PageMargins

from . import complaints, guide, results, schema
from .schema import Column, Tab
from .textfit import wrapped_lines

if TYPE_CHECKING:
    import pandas as pd

# schema.py has no label for the third Pengaturan column yet (see the report to the lead).
NOTE_LABEL: str = schema.SETTINGS_NOTE_LABEL

DEFAULT_ROWS = 5000  # validations and column formats cover at least rows 2..5001
SPARE_ROWS = 1000  # ... and this many rows past pre-filled data
STYLED_CELLS_LIMIT = 50_000  # above this many data rows, text columns rely on the column style
MAX_ROW = 1_048_576
LIST_COLUMN = 26  # hidden column (Z) of Petunjuk holding dropdown lists that cannot be inline
AUTHOR = "Kinerja"

TEXT_TYPES = frozenset({"nip", "code", "month", "period"})  # Excel must not turn these into numbers
COLUMN_FORMATS = {**dict.fromkeys(TEXT_TYPES, "@"), "datetime": "yyyy-mm-dd hh:mm"}

_BOLD = Font(name="Calibri", bold=True)
_INPUT_FILL = PatternFill("solid", fgColor="DDEBF7")
_OUTPUT_FILL = PatternFill("solid", fgColor="D9D9D9")
_OUTPUT_TAB_COLOR = results.OUTPUT_TAB_COLOR
_GUIDE_TAB_COLOR = "2E7D32"
GUIDE_WIDTH = 95  # Petunjuk's one column: fits a portrait A4 page at full size
SETTINGS_WIDTHS = (44, 26, 70)
LINE_PT = 15.0  # one line of Calibri 11 in a row
PORTRAIT_PX = 720  # a tab wider than this (at 100 %) prints landscape
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
_NOTE_ALIGN = Alignment(wrap_text=True, vertical="top")
_GUIDE_FONTS = {
    "title": Font(name="Calibri", bold=True, size=16),
    "heading": Font(name="Calibri", bold=True, size=13, color="1F4E78"),
    "subheading": Font(name="Calibri", bold=True),
    "warning": Font(name="Calibri", bold=True, color="C00000"),
}


def build_template(
    path: str | PathLike,
    *,
    settings: Mapping[str, object] | None = None,
    data: Mapping[str, pd.DataFrame | list[dict]] | None = None,
) -> None:
    """Write the Kinerja workbook: Petunjuk, Pengaturan, the input tabs, Pengaduan, the output tabs.

    Args:
        path: where to write the `.xlsx`.
        settings: Pengaturan values by internal name (`{"org_name": "Dinas Kesehatan",
            "year": 2026}`); internal codes of choice keys are shown as their labels.
        data: rows per input tab, keyed by internal tab name (`"employees"`), as a DataFrame
            with internal column names or a list of dicts. Values are written as given
            (callers pass dropdown labels, not codes); None/NaN become empty cells.
            `"complaints"` pre-fills `Pengaduan` (e.g. a supervisor's typing in the demo).

    Raises:
        ValueError: an unknown setting, tab or column name.
    """
    values = settings_values(settings or {})
    data = dict(data or {})
    _check_data(data)  # before any sheet exists: a half-written workbook cannot be dropped cleanly
    wb = Workbook(write_only=True)
    wb.properties.creator = AUTHOR
    lists = _list_ranges()
    page = _page_words(values)
    _write_guide(wb, lists, page)
    _write_settings(wb, values, lists, page)
    for tab in schema.INPUT_TABS:
        _write_input(wb, tab, data.get(tab.name), lists, page)
    _write_shared(wb, complaints.COMPLAINTS, page, data.get(complaints.COMPLAINTS.name))
    for tab in results.OUTPUT_TABS:
        _write_output(wb, tab, page)
    wb.save(path)


def _page_words(values: Mapping[str, object]) -> tuple[str, str]:
    """(agency, period) for the printed page header of every tab."""
    org = values.get("org_name")
    year = values.get("year")
    return (str(org) if org else "", f"Tahun {year}" if year else "")


def print_setup(ws, widths: list[float], page: tuple[str, str], title_rows: int = 1) -> None:
    """A4 fitted to one page wide (landscape when wide), margins, the header row(s) on every
    page, and the agency, tab, period, print date and "Halaman X dari Y" in header and footer."""
    wide = sum(max(1, round(w * 7 + 5)) for w in widths) > PORTRAIT_PX
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.firstPageNumber = 1
    ws.page_setup.useFirstPageNumber = True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.6, header=0.3, footer=0.3)
    ws.HeaderFooter.oddHeader = _header_footer(results.print_header(*page))
    ws.HeaderFooter.oddFooter = _header_footer(results.PRINT_FOOTER)
    if title_rows:
        ws.print_title_rows = f"1:{title_rows}"


def _header_footer(text: str) -> HeaderFooterItem:
    node = Element("oddHeader")
    node.text = text
    return HeaderFooterItem.from_tree(node)


def _header_height(ws, row: int, labels: list[str], widths: list[float]) -> None:
    """The header row as tall as its longest wrapped label."""
    lines = max((wrapped_lines(label, width, bold=True)
                 for label, width in zip(labels, widths, strict=True)), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = lines * LINE_PT


def _check_data(data: Mapping[str, object]) -> None:
    """Refuse unknown tab or column names (a typo would silently leave a column empty)."""
    tabs = {tab.name: tab for tab in (*schema.INPUT_TABS, complaints.COMPLAINTS)}
    unknown = set(data) - set(tabs)
    if unknown:
        raise ValueError(f"data for unknown input tab(s) {sorted(unknown)}; known: {list(tabs)}")
    for name, rows in data.items():
        if rows is None:
            continue
        keys = {key for row in rows for key in row} if isinstance(rows, list) else set(rows.columns)
        unknown = keys - set(tabs[name].column_names)
        if unknown:
            raise ValueError(f"unknown column(s) {sorted(unknown)} for tab {name!r}; "
                             f"known: {list(tabs[name].column_names)}")


def settings_values(overrides: Mapping[str, object]) -> dict[str, object]:
    """The Nilai of each Pengaturan key as a clerk would type it, by internal name."""
    columns = {col.name: col for col in schema.SETTINGS.columns}
    unknown = set(overrides) - set(columns)
    if unknown:
        raise ValueError(f"unknown setting(s) {sorted(unknown)}; known: {list(columns)}")
    merged = {name: col.default for name, col in columns.items()} | dict(overrides)
    return {name: _typed(columns[name], value) for name, value in merged.items()}


def _typed(col: Column, value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if col.choices:
        return guide.value_label(col, value)
    if isinstance(value, Fraction):
        return float(value)
    return value


# --- dropdown lists ------------------------------------------------------------


def _inline_list(labels: tuple[str, ...]) -> str | None:
    """The `"A,B"` formula of a list validation, or None when Excel cannot hold it inline."""
    if any("," in label or '"' in label for label in labels):
        return None
    formula = '"' + ",".join(labels) + '"'
    return formula if len(formula) <= 257 else None  # Excel: 255 characters inside the quotes


def _list_ranges() -> dict[tuple[str, ...], tuple[int, str]]:
    """Lists that must live in cells: labels -> (first row in LIST_COLUMN, absolute reference)."""
    out: dict[tuple[str, ...], tuple[int, str]] = {}
    row = 1
    letter = get_column_letter(LIST_COLUMN)
    for tab in (schema.SETTINGS, *schema.INPUT_TABS):
        for col in tab.columns:
            if col.choices and col.labels not in out and _inline_list(col.labels) is None:
                last = row + len(col.labels) - 1
                ref = f"{quote_sheetname(guide.GUIDE.label)}!${letter}${row}:${letter}${last}"
                out[col.labels] = (row, ref)
                row = last + 1
    return out


def _validation(col: Column, lists: Mapping[tuple[str, ...], tuple[int, str]]):
    """The data validation for `col`, or None when nothing useful can be checked."""
    title = col.label[:32]  # Excel rejects longer titles
    if col.choices:
        formula = _inline_list(col.labels) or lists[col.labels][1]
        return DataValidation(
            type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
            errorStyle="stop", errorTitle=title,
            error=("Pilih salah satu: " + guide.choice_list(col))[:255])
    if col.type not in ("int", "number") or (col.minimum is None and col.maximum is None):
        return None
    # "warning", not "stop": 85.5 typed in an Indonesian Excel is text, yet Kinerja reads it.
    kind = "whole" if col.type == "int" else "decimal"
    low, high = col.minimum, col.maximum
    if low is not None and high is not None:
        operator, f1, f2 = "between", low, high
    elif low is not None:
        operator = "greaterThan" if col.exclusive_minimum else "greaterThanOrEqual"
        f1, f2 = low, None
    else:
        operator, f1, f2 = "lessThanOrEqual", high, None
    return DataValidation(
        type=kind, operator=operator, formula1=_num(f1), formula2=None if f2 is None else _num(f2),
        allow_blank=True, showErrorMessage=True, errorStyle="warning", errorTitle=title,
        error=f"{guide.allowed_words(col)[:1].upper()}{guide.allowed_words(col)[1:]}."[:255])


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# --- sheets ----------------------------------------------------------------------


def _header_cell(ws, text: str, fill: PatternFill, note: str = "", wrap: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = _BOLD
    cell.fill = fill
    if wrap:
        cell.alignment = _HEADER_ALIGN
    if note:
        cell.comment = Comment(note, AUTHOR, width=300, height=120)
    return cell


def _write_guide(wb: Workbook, lists: Mapping[tuple[str, ...], tuple[int, str]],
                 page: tuple[str, str] = ("", "")) -> None:
    ws = wb.create_sheet(guide.GUIDE.label)
    ws.sheet_properties.tabColor = _GUIDE_TAB_COLOR
    ws.column_dimensions["A"].width = GUIDE_WIDTH
    ws.column_dimensions[get_column_letter(LIST_COLUMN)].hidden = True
    lines = guide.guide_lines()
    print_setup(ws, [GUIDE_WIDTH], page, title_rows=0)
    ws.print_area = f"A1:A{len(lines)}"  # not the hidden dropdown lists
    list_cells = {first + i: label
                  for labels, (first, _) in lists.items() for i, label in enumerate(labels)}
    for row in range(1, max(len(lines), max(list_cells, default=0)) + 1):
        values: list[Any] = [None] * (LIST_COLUMN if row in list_cells else 1)
        if row <= len(lines):
            style, text = lines[row - 1]
            values[0] = _guide_cell(ws, style, text) if text else None
            height = guide_height(style, text)
            if height:
                ws.row_dimensions[row].height = height
        if row in list_cells:
            values[-1] = _text_cell(ws, list_cells[row])
        ws.append(values)


def guide_height(style: str, text: str) -> float | None:
    """Row height that shows every wrapped line of a Petunjuk line (None: the default fits)."""
    if not text:
        return None
    size = {"title": 16, "heading": 13}.get(style, 11)
    room = GUIDE_WIDTH * 11 / size - (2 if style in ("item", "step") else 0)  # the indent
    lines = wrapped_lines(text, room, bold=style in ("title", "heading", "subheading", "warning"))
    height = lines * LINE_PT * size / 11 + (4 if style in ("title", "heading") else 0)
    return height if lines > 1 or size > 11 else None


def _guide_cell(ws, style: str, text: str) -> WriteOnlyCell:
    cell = _text_cell(ws, text)
    indent = 1 if style in ("item", "step") else 0
    cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent)
    if style in _GUIDE_FONTS:
        cell.font = _GUIDE_FONTS[style]
    return cell


def _write_settings(wb: Workbook, values: Mapping[str, object], lists,
                    page: tuple[str, str] = ("", "")) -> None:
    ws = wb.create_sheet(schema.SETTINGS.label)
    for letter, width in zip("ABC", SETTINGS_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    print_setup(ws, list(SETTINGS_WIDTHS), page)
    ws.append([_header_cell(ws, label, _INPUT_FILL)
               for label in (schema.SETTINGS_KEY_LABEL, schema.SETTINGS_VALUE_LABEL, NOTE_LABEL)])
    for row, col in enumerate(schema.SETTINGS.columns, start=2):
        value = values[col.name]
        if col.type in ("int", "number") and not isinstance(value, str):
            cell = value  # a number stays a number
        else:
            # Text-formatted so that Excel keeps "1/9" and "0,111" as typed, not a date or number.
            cell = _text_cell(ws, value)
        note = WriteOnlyCell(ws, value=guide.describe_values(col))
        note.alignment = _NOTE_ALIGN
        lines = max(wrapped_lines(note.value, SETTINGS_WIDTHS[2]),
                    wrapped_lines(col.label, SETTINGS_WIDTHS[0]))
        if lines > 1:
            ws.row_dimensions[row].height = lines * LINE_PT
        ws.append([col.label, cell, note])
        validation = _validation(col, lists)
        if validation is not None:
            validation.add(f"B{row}")
            ws.data_validations.append(validation)


def _write_input(wb: Workbook, tab: Tab, rows: pd.DataFrame | list[dict] | None, lists,
                 page: tuple[str, str] = ("", "")) -> None:
    ws = wb.create_sheet(tab.label)
    widths = [col.width for col in tab.columns]
    print_setup(ws, widths, page)
    _header_height(ws, 1, [col.label for col in tab.columns], widths)
    n_rows, body = _data_rows(ws, tab, rows)
    last = min(MAX_ROW, max(DEFAULT_ROWS, n_rows + SPARE_ROWS) + 1)
    for index, col in enumerate(tab.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = col.width
        if col.type in COLUMN_FORMATS:
            ws.column_dimensions[letter].number_format = COLUMN_FORMATS[col.type]
        validation = _validation(col, lists)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{last}")
            ws.data_validations.append(validation)
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, col.label, _INPUT_FILL, col.note, wrap=True) for col in tab.columns])
    if n_rows <= STYLED_CELLS_LIMIT:
        text_columns = [i for i, col in enumerate(tab.columns) if col.type in TEXT_TYPES]
        body = _text_formatted(ws, body, text_columns)
    append = ws.append
    for row in body:
        append(row)


def _write_output(wb: Workbook, tab: Tab, page: tuple[str, str] = ("", "")) -> None:
    ws = wb.create_sheet(tab.label)
    ws.sheet_properties.tabColor = _OUTPUT_TAB_COLOR
    for index, col in enumerate(tab.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = col.width
    titled = tab is results.VALIDATION  # Validasi: a summary line above the header
    ws.freeze_panes = "A3" if titled else "A2"
    head = 2 if titled else 1
    widths = [col.width for col in tab.columns]
    print_setup(ws, widths, page, title_rows=head)
    _header_height(ws, head, [col.label for col in tab.columns], widths)
    if tab.name in results.FILTERED_TABS:
        ws.auto_filter.ref = f"A{head}:{get_column_letter(len(tab.columns))}{head}"
    if titled:
        title = WriteOnlyCell(ws, value=f"{guide.OUTPUT_NOTE} {guide.NOT_RUN_YET}")
        title.font = Font(italic=True)
        ws.append([title])
    header = [_header_cell(ws, col.label, _OUTPUT_FILL, wrap=True) for col in tab.columns]
    header[0].comment = Comment(guide.OUTPUT_NOTE_LONG, AUTHOR, width=300, height=120)
    ws.append(header)
    protection = ws.protection
    protection.sheet = True  # no password: only guards against typing by accident
    # False means "allowed": clerks may still resize, sort and filter the results.
    protection.formatColumns = protection.formatRows = False
    protection.sort = protection.autoFilter = False


def _write_shared(wb: Workbook, tab: Tab, page: tuple[str, str] = ("", ""),
                  rows: pd.DataFrame | list[dict] | None = None) -> None:
    """`Pengaduan` as `kinerja score` writes it: a line above the header, the tab protected like an
    output tab, but the supervisor's columns and the empty rows open to typing, `Status` a
    dropdown, and a row red once its Batas Waktu has passed and it is not Selesai. `rows`
    (internal names) pre-fill it; the next `kinerja score` completes and sorts them."""
    ws = wb.create_sheet(tab.label)
    ws.sheet_properties.tabColor = _OUTPUT_TAB_COLOR
    n_rows, body = _data_rows(ws, tab, rows)
    head = 2
    last = head + n_rows + complaints.SPARE_ROWS
    opened = {col.name for col in complaints.SUPERVISOR_COLUMNS}
    letters = {col.name: get_column_letter(i) for i, col in enumerate(tab.columns, start=1)}
    for col in tab.columns:
        dimension = ws.column_dimensions[letters[col.name]]
        dimension.width = col.width
        if col.type == "date":
            dimension.number_format = "dd/mm/yyyy"
        if col.name in opened:
            dimension.protection = Protection(locked=False)
    for row in range(head + n_rows + 1, last + 1):  # a complaint typed by hand below the others
        ws.row_dimensions[row].protection = Protection(locked=False)
    ws.freeze_panes = f"A{head + 1}"
    widths = [col.width for col in tab.columns]
    print_setup(ws, widths, page, title_rows=head)
    _header_height(ws, head, [col.label for col in tab.columns], widths)
    ws.auto_filter.ref = f"A{head}:{get_column_letter(len(tab.columns))}{head}"
    title = WriteOnlyCell(ws, value=complaints.title_line(None))
    title.font = Font(italic=True)
    ws.append([title])
    ws.append([_header_cell(ws, col.label, _OUTPUT_FILL, col.note, wrap=True) for col in tab.columns])
    open_columns = [i for i, col in enumerate(tab.columns) if col.name in opened]
    for values in body:
        row = list(values)
        for i in open_columns:  # a written cell does not take its column's style: unlock it itself
            cell = row[i] if hasattr(row[i], "protection") else WriteOnlyCell(ws, value=row[i])
            cell.protection = Protection(locked=False)
            if tab.columns[i].type == "date":
                cell.number_format = "dd/mm/yyyy"
            row[i] = cell
        ws.append(row)
    for _ in range(head + n_rows + 1, last + 1):
        ws.append([])
    status = tab.column("status")
    validation = DataValidation(type="list", formula1=_inline_list(status.labels), allow_blank=True,
                                showErrorMessage=True, errorStyle="stop", errorTitle=status.label,
                                error=guide.choice_prompt(status.labels))
    validation.add(f"{letters['status']}{head + 1}:{letters['status']}{last}")
    ws.data_validations.append(validation)
    formula = complaints.overdue_formula(head + 1, letters["deadline"], letters["status"])
    ws.conditional_formatting.add(
        f"A{head + 1}:{get_column_letter(len(tab.columns))}{last}",
        FormulaRule(formula=[formula], fill=PatternFill(bgColor="FF" + complaints.OVERDUE_FILL)))
    protection = ws.protection
    protection.sheet = True  # no password, as the output tabs
    protection.formatColumns = protection.formatRows = False
    protection.sort = protection.autoFilter = False


# --- data rows -------------------------------------------------------------------


def _text_cell(ws, value: object) -> WriteOnlyCell:
    """A cell formatted as text whose value is stored as a string, even if it starts with '='."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    cell.number_format = "@"
    return cell


def _data_rows(ws, tab: Tab, rows: pd.DataFrame | list[dict] | None) -> tuple[int, Iterable[tuple]]:
    """(row count, rows as tuples in the tab's column order), None for every blank."""
    if rows is None:
        return 0, ()
    names = tab.column_names
    if isinstance(rows, list):
        return len(rows), (tuple(_clean(ws, row.get(name)) for name in names) for row in rows)
    frame = rows.reindex(columns=list(names)).astype(object)
    frame = frame.where(frame.notna(), None)
    for name in [name for name in names if name in rows.columns]:
        # openpyxl would store "=..." as a formula; data is text, so pre-wrap those few values.
        mask = _formula_like(rows[name])
        if mask is not None and mask.any():
            frame.loc[mask, name] = [_text_cell(ws, v) for v in frame.loc[mask, name]]
    return len(frame), frame.itertuples(index=False, name=None)


def _formula_like(series):
    """Boolean mask of the strings starting with '=', or None for a column without text."""
    try:
        return series.str.startswith("=", na=False).fillna(False).astype(bool)
    except AttributeError:  # no strings at all (numbers, dates)
        return None


def _clean(ws, value: object) -> object:
    """None for any blank (None, NaN, NaT, pd.NA); a text cell for a formula-like string."""
    if value is None:
        return None
    try:
        if value != value:  # NaN, NaT
            return None
    except TypeError:  # pd.NA refuses to be compared
        return None
    if isinstance(value, str) and value.startswith("="):
        return _text_cell(ws, value)
    return value


def _text_formatted(ws, rows: Iterable[tuple], columns: list[int]) -> Iterator[list]:
    """Rows whose text and blank cells in `columns` carry the text format (small data only).

    One cell object per column is reused: write-only mode serialises a row as soon
    as it is appended, so the object is free again for the next row. Other values
    (numbers, dates) are written as given, unformatted.
    """
    cells = {i: _text_cell(ws, None) for i in columns}
    for values in rows:
        row = list(values)
        for i in columns:
            value = row[i]
            if value is None or value.__class__ is str:  # "=..." strings are cells already
                cell = cells[i]
                cell.value = value
                row[i] = cell
        yield row
