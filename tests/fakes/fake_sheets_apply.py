"""The fake's `spreadsheets.batchUpdate`: each request kind applied to a `Book`, with Google's checks.

`apply_batch` works on a copy of the book; the caller keeps the copy only if
every request succeeded, which is how Google's batchUpdate is atomic.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.fakes.fake_sheets_cells import user_entered
from tests.fakes.fake_sheets_schema import parse_mask
from tests.fakes.fake_sheets_state import DEFAULT_GRID, MAX_CELLS, BadRequest, Book, Sheet, Span


def apply_batch(book: Book, requests: list[dict], email: str | None) -> list[dict]:
    """Apply `requests` to `book` in order; the replies, or BadRequest naming the failed request."""
    replies = []
    for i, request in enumerate(requests):
        kind, body = next((k, strip_nulls(v)) for k, v in request.items() if v is not None)
        handler = HANDLERS.get(kind)
        if handler is None:
            raise NotImplementedError(f"the fake Sheets API does not model '{kind}' requests yet")
        try:
            replies.append(handler(book, body, email) or {})
        except BadRequest as exc:
            raise BadRequest(f"Invalid requests[{i}].{kind}: {exc.message}", exc.field) from None
    return replies


# --- helpers -----------------------------------------------------------------------------------


def strip_nulls(value: Any) -> Any:
    """`value` without null fields: protobuf JSON reads null as "not set", so Google stores nothing."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value


def rect(book: Book, grid: dict) -> tuple[Sheet, int, int, int, int]:
    """A GridRange as (sheet, r0, r1, c0, c1), open ends at the grid's edge; beyond it is an error."""
    sheet = book.by_id(grid.get("sheetId", 0))
    r0, c0 = grid.get("startRowIndex", 0), grid.get("startColumnIndex", 0)
    r1, c1 = grid.get("endRowIndex", sheet.rows), grid.get("endColumnIndex", sheet.columns)
    if r1 > sheet.rows or c1 > sheet.columns or r0 < 0 or c0 < 0 or r0 > r1 or c0 > c1:
        span = Span(sheet, r0, r1, c0, c1)
        raise BadRequest(f"Range ({span.a1_unclipped()}) exceeds grid limits. Max rows: {sheet.rows}, "
                         f"max columns: {sheet.columns}")
    return sheet, r0, r1, c0, c1


def merge_masked(target: dict, source: dict, tree: dict) -> dict:
    """`target` with the fields named by the mask tree taken from `source` (absent there = cleared)."""
    if "*" in tree:
        return copy.deepcopy(source)
    out = dict(target)
    for key, sub in tree.items():
        if not sub:
            if key in source:
                out[key] = copy.deepcopy(source[key])
            else:
                out.pop(key, None)
        else:
            merged = merge_masked(out.get(key) or {}, source.get(key) or {}, sub)
            if merged:
                out[key] = merged
            else:
                out.pop(key, None)
    return out


def write_cell(sheet: Sheet, key: tuple[int, int], source: dict, tree: dict) -> None:
    old = sheet.cells.get(key, {})
    cell = merge_masked(old, source, tree)
    if "userEnteredFormat" in cell:
        cell["userEnteredFormat"] = with_colour_styles(cell["userEnteredFormat"])
    if "*" in tree or "userEnteredValue" in tree:
        cell.pop("effectiveValue", None)
        formula = cell.get("userEnteredValue", {}).get("formulaValue")
        if formula is not None:
            cell["effectiveValue"] = user_entered(formula)["effectiveValue"]
    if cell:
        sheet.cells[key] = cell
    else:
        sheet.cells.pop(key, None)


def with_colour_styles(cell_format: dict) -> dict:
    """Google stores each colour twice, as `xColor` and `xColorStyle.rgbColor`; so does the fake."""
    out = dict(cell_format)
    if "backgroundColor" in out:
        out["backgroundColorStyle"] = {"rgbColor": out["backgroundColor"]}
    text = out.get("textFormat")
    if text and "foregroundColor" in text:
        out["textFormat"] = {**text, "foregroundColorStyle": {"rgbColor": text["foregroundColor"]}}
    return out


def _mask(body: dict) -> dict:
    fields = body.get("fields")
    if not fields:
        raise BadRequest("At least one field must be specified.")
    return parse_mask(fields)


def _reindex(book: Book) -> None:
    for index, sheet in enumerate(book.sheets):
        sheet.props["index"] = index


def _check_size(book: Book) -> None:
    if book.total_cells() > MAX_CELLS:
        raise BadRequest(f"This action would increase the number of cells in the workbook above the "
                         f"limit of {MAX_CELLS} cells.")


def _check_frozen(sheet: Sheet) -> None:
    grid = sheet.props["gridProperties"]
    if grid.get("frozenRowCount", 0) >= grid["rowCount"]:
        raise BadRequest("You can't freeze all visible rows on the sheet.")
    if grid.get("frozenColumnCount", 0) >= grid["columnCount"]:
        raise BadRequest("You can't freeze all visible columns on the sheet.")


# --- the request kinds -------------------------------------------------------------------------


def add_sheet(book: Book, body: dict, email: Any) -> dict:
    props = copy.deepcopy(body.get("properties") or {})
    title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
    if book.by_title(title) is not None:
        raise BadRequest(f'A sheet with the name "{title}" already exists. Please enter another name.')
    sheet_id = props.get("sheetId")
    if sheet_id is None:
        sheet_id = book.next_id()
    elif any(s.id == sheet_id for s in book.sheets):
        raise BadRequest(f"Sheet with id {sheet_id} already exists.")
    grid = props.get("gridProperties") or {}
    grid.setdefault("rowCount", DEFAULT_GRID[0])
    grid.setdefault("columnCount", DEFAULT_GRID[1])
    props.update(sheetId=sheet_id, title=title, sheetType=props.get("sheetType") or "GRID",
                 gridProperties=grid)
    sheet = Sheet(props)
    _check_frozen(sheet)
    index = props.pop("index", None)
    book.sheets.insert(len(book.sheets) if index is None else index, sheet)
    _reindex(book)
    _check_size(book)
    return {"addSheet": {"properties": copy.deepcopy(sheet.props)}}


def delete_sheet(book: Book, body: dict, email: Any) -> None:
    sheet = book.by_id(body.get("sheetId", 0))
    if len(book.sheets) == 1:
        raise BadRequest("You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    _reindex(book)


def update_sheet_properties(book: Book, body: dict, email: Any) -> None:
    tree = _mask(body)
    props = body.get("properties") or {}
    sheet = book.by_id(props.get("sheetId", 0))
    merged = merge_masked(sheet.props, props, tree)
    merged["sheetId"], merged["index"] = sheet.id, sheet.props["index"]
    if "title" in tree and book.by_title(merged["title"]) not in (None, sheet):
        raise BadRequest(f'A sheet with the name "{merged["title"]}" already exists.')
    sheet.props = merged
    rows, columns = sheet.rows, sheet.columns
    if rows < 1 or columns < 1:
        raise BadRequest("A sheet must have at least one row and one column.")
    _check_frozen(sheet)
    _check_size(book)
    sheet.cells = {k: v for k, v in sheet.cells.items() if k[0] < rows and k[1] < columns}


def update_cells(book: Book, body: dict, email: Any) -> None:
    tree = _mask(body)
    rows = body.get("rows") or []
    if "range" in body:
        sheet, r0, r1, c0, c1 = rect(book, body["range"])
    else:
        start = body.get("start") or {}
        sheet = book.by_id(start.get("sheetId", 0))
        r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        r1, c1 = sheet.rows, sheet.columns
    covered = set()
    for i, row in enumerate(rows):
        for j, cell in enumerate((row or {}).get("values") or []):
            key = (r0 + i, c0 + j)
            if key[0] >= r1 or key[1] >= c1:
                span = Span(sheet, r0, r0 + len(rows), c0, c0 + j + 1)
                raise BadRequest(f"Range ({span.a1_unclipped()}) exceeds grid limits. Max rows: "
                                 f"{sheet.rows}, max columns: {sheet.columns}")
            write_cell(sheet, key, cell or {}, tree)
            covered.add(key)
    if "range" in body:  # cells of the range that `rows` does not reach are cleared
        for key in [k for k in sheet.cells if r0 <= k[0] < r1 and c0 <= k[1] < c1 and k not in covered]:
            write_cell(sheet, key, {}, tree)


def repeat_cell(book: Book, body: dict, email: Any) -> None:
    tree = _mask(body)
    sheet, r0, r1, c0, c1 = rect(book, body.get("range") or {})
    cell = body.get("cell") or {}
    for r in range(r0, r1):
        for c in range(c0, c1):
            write_cell(sheet, (r, c), cell, tree)


def update_dimension_properties(book: Book, body: dict, email: Any) -> None:
    tree = _mask(body)
    span = body.get("range") or {}
    sheet = book.by_id(span.get("sheetId", 0))
    columns = span.get("dimension") == "COLUMNS"
    limit = sheet.columns if columns else sheet.rows
    start, end = span.get("startIndex", 0), span.get("endIndex", limit)
    if end > limit or start < 0 or start >= end:
        raise BadRequest(f"Invalid dimension range: startIndex [{start}], endIndex [{end}], max [{limit}]")
    sizes = sheet.widths if columns else sheet.heights
    props = body.get("properties") or {}
    hidden = sheet.__dict__.setdefault("hidden", set())  # (dimension, index) hidden by the user
    for index in range(start, end):
        if "pixelSize" in tree or "*" in tree:
            sizes[index] = props.get("pixelSize", 100 if columns else 21)
        if "hiddenByUser" in tree or "*" in tree:
            (hidden.add if props.get("hiddenByUser") else hidden.discard)((span.get("dimension"), index))


def add_chart(book: Book, body: dict, email: Any) -> dict:
    chart = copy.deepcopy(body.get("chart") or {})
    overlay = (chart.get("position") or {}).get("overlayPosition")
    if not overlay:
        raise NotImplementedError("the fake Sheets API models charts over a sheet's cells only")
    anchor = overlay.get("anchorCell") or {}
    sheet = book.by_id(anchor.get("sheetId", 0))
    if anchor.get("rowIndex", 0) >= sheet.rows or anchor.get("columnIndex", 0) >= sheet.columns:
        raise BadRequest("The chart's anchor cell is outside the grid.")
    basic = (chart.get("spec") or {}).get("basicChart")
    if basic is not None:
        lists = [d["domain"]["sourceRange"]["sources"] for d in basic.get("domains", [])]
        lists += [s["series"]["sourceRange"]["sources"] for s in basic.get("series", [])]
        if not basic.get("series") or len({len(sources) for sources in lists}) > 1:
            raise BadRequest("The domain and every series must have the same number of source ranges.")
        for sources in lists:
            for grid in sources:
                rect(book, grid)
    used = {c["chartId"] for s in book.sheets for c in s.charts}
    if chart.get("chartId") in used:
        raise BadRequest(f"An object with id {chart['chartId']} already exists.")
    chart.setdefault("chartId", book.next_id())
    sheet.charts.append(chart)
    return {"addChart": {"chart": copy.deepcopy(chart)}}


def set_basic_filter(book: Book, body: dict, email: Any) -> None:
    """The sheet's one basic filter (a new one replaces it), kept as `sheet.basic_filter`."""
    spec = copy.deepcopy(body.get("filter") or {})
    sheet, *_ = rect(book, spec.get("range") or {})
    sheet.__dict__["basic_filter"] = spec


def delete_embedded_object(book: Book, body: dict, email: Any) -> None:
    object_id = body.get("objectId")
    for sheet in book.sheets:
        for chart in sheet.charts:
            if chart["chartId"] == object_id:
                sheet.charts.remove(chart)
                return
    raise BadRequest(f"No object with id: {object_id}")


def _check_unprotected(book: Book, sheet: Sheet, protection: dict) -> None:
    """Unprotected ranges: only inside a protected sheet (a range of just a sheetId), on that sheet,
    within its grid; stored without sheetId 0, as protobuf echoes them."""
    ranges = protection.get("unprotectedRanges") or []
    if not ranges:
        protection.pop("unprotectedRanges", None)
        return
    if set(protection.get("range") or {}) - {"sheetId"}:
        raise BadRequest("Unprotected ranges are only supported on protected sheets.")
    for grid in ranges:
        if grid.get("sheetId", 0) != sheet.id:
            raise BadRequest("Unprotected ranges must be on the same sheet as the protected range.")
        rect(book, grid)
        if grid.get("sheetId", 0) == 0:
            grid.pop("sheetId", None)


def add_protected_range(book: Book, body: dict, email: str | None) -> dict:
    protection = copy.deepcopy(body.get("protectedRange") or {})
    grid = dict(protection.get("range") or {})
    sheet, *_ = rect(book, grid)
    warning = bool(protection.get("warningOnly"))
    if warning and (protection.get("editors") or {}).get("users"):
        raise BadRequest("A warning-only protected range cannot have editors.")
    _check_unprotected(book, sheet, protection)
    if grid.get("sheetId", 0) == 0:
        grid.pop("sheetId", None)  # protobuf leaves out zero values, so Google's answers do too
    protection.update(protectedRangeId=book.next_id(), range=grid, requestingUserCanEdit=True)
    if not warning:
        protection.pop("warningOnly", None)
    reply = copy.deepcopy(protection)
    if not warning:  # the caller becomes the only editor, as in the recordings
        reply["editors"] = {}
        protection["editors"] = {"users": [email or "owner@example.com"]}
    sheet.protected.append(protection)
    return {"addProtectedRange": {"protectedRange": reply}}


def delete_protected_range(book: Book, body: dict, email: Any) -> None:
    wanted = body.get("protectedRangeId")
    for sheet in book.sheets:
        for protection in sheet.protected:
            if protection["protectedRangeId"] == wanted:
                sheet.protected.remove(protection)
                return
    raise BadRequest(f"No protected range with id: {wanted}")


def update_protected_range(book: Book, body: dict, email: Any) -> None:
    """The fields named by the mask of one protected range, found by its id (read-only ones refused)."""
    tree = _mask(body)
    wanted = body.get("protectedRange") or {}
    if {"protectedRangeId", "requestingUserCanEdit"} & set(tree):
        raise BadRequest("protectedRangeId and requestingUserCanEdit are read-only.")
    for sheet in book.sheets:
        for k, protection in enumerate(sheet.protected):
            if protection["protectedRangeId"] == wanted.get("protectedRangeId"):
                merged = merge_masked(protection, copy.deepcopy(wanted), tree)
                merged["protectedRangeId"] = protection["protectedRangeId"]
                target, *_ = rect(book, {"sheetId": sheet.id, **(merged.get("range") or {})})
                if target is not sheet:
                    raise BadRequest("A protected range cannot move to another sheet.")
                if merged.get("warningOnly") and (merged.get("editors") or {}).get("users"):
                    raise BadRequest("A warning-only protected range cannot have editors.")
                _check_unprotected(book, sheet, merged)
                sheet.protected[k] = merged
                return
    raise BadRequest(f"No protected range with id: {wanted.get('protectedRangeId')}")


# Conditional formatting "can only apply a subset of formatting: bold, italic, strikethrough,
# foreground color and background color" (ConditionalFormatRule in the discovery document).
_CONDITIONAL_FORMAT = {"backgroundColor", "backgroundColorStyle", "textFormat"}
_CONDITIONAL_TEXT = {"bold", "italic", "strikethrough", "underline", "foregroundColor",
                     "foregroundColorStyle"}


def add_conditional_format_rule(book: Book, body: dict, email: Any) -> None:
    """Insert the rule at `index` (0 when unset, as protobuf reads it) of its sheet's rules."""
    rule = copy.deepcopy(body.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise BadRequest("A conditional format rule must have at least one range.")
    sheets = {rect(book, grid)[0].id for grid in ranges}
    if len(sheets) > 1:
        raise BadRequest("All ranges of a conditional format rule must be on the same sheet.")
    sheet = book.by_id(sheets.pop())
    if ("booleanRule" in rule) == ("gradientRule" in rule):
        raise BadRequest("A conditional format rule must have exactly one of booleanRule or gradientRule.")
    boolean = rule.get("booleanRule")
    if boolean is not None:
        condition = boolean.get("condition") or {}
        values = condition.get("values") or []
        if not condition.get("type"):
            raise BadRequest("A boolean rule must have a condition.")
        if condition["type"] == "CUSTOM_FORMULA" and (len(values) != 1 or not str(
                values[0].get("userEnteredValue", "")).startswith("=")):
            raise BadRequest("CUSTOM_FORMULA condition requires a single value that is a formula "
                             "starting with '='.")
        cell_format = boolean.get("format") or {}
        extra = set(cell_format) - _CONDITIONAL_FORMAT
        extra |= set(cell_format.get("textFormat") or {}) - _CONDITIONAL_TEXT
        if extra:
            raise BadRequest(f"Conditional formatting cannot set {sorted(extra)[0]}.")
        if "backgroundColor" in cell_format:
            boolean["format"] = with_colour_styles(cell_format)
    index = body.get("index", 0)
    if not 0 <= index <= len(sheet.conditional):
        raise BadRequest(f"Invalid index {index}: the sheet has {len(sheet.conditional)} conditional "
                         "format rules.")
    for grid in ranges:
        if grid.get("sheetId", 0) == 0:
            grid.pop("sheetId", None)  # as protobuf echoes it
    sheet.conditional.insert(index, rule)


def delete_conditional_format_rule(book: Book, body: dict, email: Any) -> dict:
    sheet = book.by_id(body.get("sheetId", 0))
    index = body.get("index", 0)
    if not 0 <= index < len(sheet.conditional):
        raise BadRequest(f"No conditional format on sheet: {sheet.id} at index: {index}")
    return {"deleteConditionalFormatRule": {"rule": sheet.conditional.pop(index)}}


def set_data_validation(book: Book, body: dict, email: Any) -> None:
    sheet, r0, r1, c0, c1 = rect(book, body.get("range") or {})
    rule = body.get("rule")
    if rule and rule.get("condition", {}).get("type") == "ONE_OF_LIST" and not rule["condition"].get(
            "values"):
        raise BadRequest("ONE_OF_LIST condition requires at least one value.")
    tree = {"dataValidation": {}}
    for r in range(r0, r1):
        for c in range(c0, c1):
            write_cell(sheet, (r, c), {"dataValidation": rule} if rule else {}, tree)


def copy_paste(book: Book, body: dict, email: Any) -> None:
    source, r0, r1, c0, c1 = rect(book, body.get("source") or {})
    target, d0, d1, e0, e1 = rect(book, body.get("destination") or {})
    if (body.get("pasteType", "PASTE_NORMAL"), body.get("pasteOrientation", "NORMAL")) != (
            "PASTE_NORMAL", "NORMAL") or (d1 - d0, e1 - e0) != (r1 - r0, c1 - c0):
        raise NotImplementedError("the fake copies PASTE_NORMAL between ranges of the same size only")
    copied = {(r - r0 + d0, c - c0 + e0): cell for (r, c), cell in source.cells.items()
              if r0 <= r < r1 and c0 <= c < c1}
    for key in [k for k in target.cells if d0 <= k[0] < d1 and e0 <= k[1] < e1]:
        del target.cells[key]
    target.cells.update(copied)  # values, formats, notes and validations alike


def merge_cells(book: Book, body: dict, email: Any) -> None:
    sheet, *_ = rect(book, body.get("range") or {})
    sheet.merges.append(copy.deepcopy(body["range"]))


def unmerge_cells(book: Book, body: dict, email: Any) -> None:
    sheet, r0, r1, c0, c1 = rect(book, body.get("range") or {})
    sheet.merges = [m for m in sheet.merges if not (
        r0 <= m.get("startRowIndex", 0) and m.get("endRowIndex", sheet.rows) <= r1
        and c0 <= m.get("startColumnIndex", 0) and m.get("endColumnIndex", sheet.columns) <= c1)]


HANDLERS = {
    "addSheet": add_sheet, "deleteSheet": delete_sheet, "updateSheetProperties": update_sheet_properties,
    "updateCells": update_cells, "repeatCell": repeat_cell,
    "updateDimensionProperties": update_dimension_properties, "addChart": add_chart,
    "deleteEmbeddedObject": delete_embedded_object, "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range, "setDataValidation": set_data_validation,
    "mergeCells": merge_cells, "unmergeCells": unmerge_cells, "copyPaste": copy_paste,
    "setBasicFilter": set_basic_filter, "updateProtectedRange": update_protected_range,
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
}
