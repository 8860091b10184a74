"""Parsing a tab column by column: numbers, labels and blanks checked over whole arrays.

Messages are built only for the cells that fail; the result is the same as the row-wise
parsing (`cells`), which columns fall back to when they hold mixed values.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sheet_templates.schema import Column
from sync.check.issues import ERROR
from sync.check.validate import column_parser
from sync.parse import (
    LARGEST_NUMBER,
    SMALLEST_NUMBER,
    CellError,
    as_text,
)
from sync.workbook import RawColumn


class ColumnarParsing:
    """The column-wise half of `TabChecker` (a mixin: it uses its state and `issue`)."""

    def _run_columns(self, positions: dict[str, int], header_sheet_row: int) -> pd.DataFrame | None:
        """`run` on a `ColumnarTab` whose header is its first row: the same frame and issues, column
        by column over arrays. None when it has to be read row by row after all."""
        tab, raw_tab = self.tab, self.raw_tab
        height = raw_tab.height
        read_columns = {raw_tab.first_column + pos for pos in positions.values()}
        formula_rows = {row for row, col in self.formulas if col in read_columns and row > header_sheet_row}
        if formula_rows and max(formula_rows) > header_sheet_row + height:
            return None  # formulas without a result below the last row read: the row path pads them
        if any(raw_tab.columns[pos].kind == "datetime" and tab.column(name).type != "datetime"
               for name, pos in positions.items()):
            return None  # date-times where the schema wants no date: each cell as typed, row-wise
        all_rows = np.arange(header_sheet_row + 1, header_sheet_row + 1 + height)
        filled = np.zeros(height, dtype=bool)
        for column in raw_tab.columns:
            filled |= ~_blank_cells(column)
        if formula_rows:
            filled |= np.isin(all_rows, list(formula_rows))
        keep = np.flatnonzero(filled)
        whole = len(keep) == height
        # An array, not a list: 6 million ints in a list cost more to make and for pandas to read
        # back than the parsing itself; `issue` turns the few rows named into ints.
        sheet_rows = all_rows[keep]
        bad: set[int] = set()
        data: dict[str, Any] = {"_row": sheet_rows if len(keep) else []}  # [] as the row path: object
        for col in tab.columns:
            pos = positions.get(col.name)
            if pos is None:
                data[col.name] = self._parse_column(col, pos, [None] * len(keep), sheet_rows, bad)
            else:
                column = raw_tab.columns[pos]  # every row kept (no blank rows): no copy to take
                data[col.name] = self._parse_raw_column(col, pos, column if whole else column.take(keep),
                                                        sheet_rows, bad)
        ok = np.ones(len(keep), dtype=bool)
        ok[list(bad)] = False
        data["_ok"] = ok if len(keep) else []
        # Every column is a fresh array of the dtype pandas would infer from the row path's lists:
        # no copy, and no consolidation of same-typed columns into one block (a copy of the tab).
        frame = pd.DataFrame(data, copy=False)
        frame.attrs["unparsed"] = self.unparsed
        frame.attrs["sheet_columns"] = {name: raw_tab.first_column + pos for name, pos in positions.items()}
        frame.attrs["value_codes"] = self.value_codes  # taken off again at once by `TabRows`
        return frame

    def _parse_raw_column(self, col: Column, pos: int, cells: RawColumn, sheet_rows, bad) -> list:
        """`_parse_column` over one column of a `ColumnarTab`: the same values and issues."""
        if cells.kind == "float" and col.type in ("number", "int"):
            return self._parse_numbers(col, pos, cells.values, sheet_rows, bad)
        if cells.kind == "text":
            return self._parse_labels(col, pos, cells, sheet_rows, bad)
        if cells.kind == "datetime" and col.type == "datetime":
            self._report_blanks(col, pos, cells.empty, sheet_rows, bad)
            return [col.default if b else v for v, b in zip(cells.values, cells.empty.tolist(), strict=True)]
        return self._parse_column(col, pos, cells.cells(), sheet_rows, bad)

    def _report_blanks(self, col: Column, pos: int, blank: np.ndarray, sheet_rows, bad) -> None:
        """Formula cells without a value, then required cells left blank (as `_parse_column`)."""
        reported = set()
        if self.formulas:
            reported = self._formulas_without_value(col, pos, blank.tolist(), sheet_rows, bad)
        if col.required:
            for i in np.flatnonzero(blank).tolist():
                if i not in reported:
                    self.issue(ERROR, "required", row=sheet_rows[i], col_index=pos, column=col)
                    bad.add(i)

    def _parse_numbers(self, col: Column, pos: int, values: np.ndarray, sheet_rows, bad):
        """A number or int column of number cells (NaN where empty): the values `_parse_column`
        gives, as the array pandas would make of them where that is certain."""
        blank = np.isnan(values)
        self._report_blanks(col, pos, blank, sheet_rows, bad)
        todo = ~blank
        size = np.abs(np.where(todo, values, 0.0))
        fast = todo & ((values == 0) | ((size >= SMALLEST_NUMBER) & (size <= LARGEST_NUMBER)))
        if col.type == "number":
            parsed = fast
        else:
            parsed = fast & (values == np.trunc(np.where(fast, values, 0.0)))
            for i in np.flatnonzero(fast & ~parsed).tolist():
                self._reject(col, pos, sheet_rows[i], float(values[i]), CellError(
                    "harus bilangan bulat", "Ketik bilangan bulat tanpa koma, misalnya 4."),
                    col.blocking, bad, i)
        slow = np.flatnonzero(todo & ~fast).tolist()
        slow_out = dict.fromkeys(slow, col.default)
        if slow:
            self._parse_slow(col, pos, {i: float(values[i]) for i in slow}, slow, sheet_rows, bad, slow_out)
        # What each row holds now (NaN for None): parsed, or the default where parsing failed.
        default = np.nan if col.default is None else col.default
        held = np.where(parsed, values, np.nan)
        held[blank | (todo & ~parsed)] = default
        for i in slow:
            held[i] = np.nan if slow_out[i] is None else slow_out[i]
        outside = []
        if col.minimum is not None or col.maximum is not None:
            low = -math.inf if col.minimum is None else col.minimum
            high = math.inf if col.maximum is None else col.maximum
            with np.errstate(invalid="ignore"):
                inside = (low < held) & (held <= high)
                if not col.exclusive_minimum:
                    inside |= held == low
            outside = np.flatnonzero(todo & ~np.isnan(held) & ~inside).tolist()
            for i in outside:
                value = held[i]
                if value > high:
                    key, limit = "maximum", high
                else:
                    key, limit = ("minimum_exclusive" if col.exclusive_minimum else "minimum"), low
                self._out_of_range(col, pos, sheet_rows[i], float(values[i]), key, limit, bad, i, slow_out)
                held[i] = np.nan
        if col.default is None and len(held) and not np.isnan(held).all():
            # pandas makes float64 of floats and None, int64 of ints alone, float64 of ints and None.
            if col.type == "int" and not np.isnan(held).any():
                return held.astype(np.int64)
            return held
        out = np.empty(len(values), dtype=object)
        out.fill(col.default)
        out[parsed] = (values[parsed] if col.type == "number" else values[parsed].astype(np.int64)).tolist()
        for i in slow:
            out[i] = slow_out[i]
        out[outside] = None
        return out.tolist()

    def _parse_labels(self, col: Column, pos: int, cells: RawColumn, sheet_rows, bad) -> list:
        """A column of text cells: each distinct text parsed once, its issues on every row that holds it."""
        labels, count, default = cells.labels, len(cells.labels), col.default
        blank_label = cells.blank_labels()
        codes = cells.label_codes()
        self._report_blanks(col, pos, blank_label[codes], sheet_rows, bad)
        blank_list = blank_label.tolist()
        if col.type in ("text", "code"):  # a code as typed is parse_code's result: no call per label
            # blank_list has one more entry than labels: the empty cell's, which gets the default
            results: list[Any] = [default if blank else text.strip()
                                  for text, blank in zip(labels, blank_list[:count], strict=True)]
            results.append(default)
            if col.type == "text":
                return _take(results, codes)
        else:
            results = [default] * (count + 1)
        parse = column_parser(col)
        failed: dict[int, CellError | None] = {}
        nip = col.type == "nip"
        for j, text in enumerate(labels if col.type != "code" else ()):
            if blank_list[j]:
                continue
            # The common cell without a call: an 18-digit NIP (parse_nip).
            if nip and len(text) == 18 and text.isdigit() and text.isascii():
                results[j] = text.strip()
                continue
            try:
                results[j] = parse(text)
            except CellError as exc:
                failed[j] = exc
            except LookupError:
                failed[j] = None
        if failed:
            marked = np.zeros(count + 1, dtype=bool)
            marked[list(failed)] = True
            for i in np.flatnonzero(marked[codes]).tolist():
                text, exc = labels[codes[i]], failed[codes[i]]
                if exc is None:
                    self._reject_choice(col, pos, sheet_rows[i], text, col.blocking, bad, i)
                else:
                    self._reject(col, pos, sheet_rows[i], text, exc, col.blocking, bad, i)
        outside: dict[int, tuple[str, float] | None] = {}
        if col.type in ("number", "int") and (col.minimum is not None or col.maximum is not None):
            low = -math.inf if col.minimum is None else col.minimum
            high = math.inf if col.maximum is None else col.maximum
            for j in range(count):
                value = results[j]
                if blank_label[j] or value is None or (low < value <= high) or (
                        not col.exclusive_minimum and value == low):
                    continue
                if value > high:
                    outside[j] = ("maximum", high)
                else:
                    outside[j] = ("minimum_exclusive" if col.exclusive_minimum else "minimum", low)
        elif col.type == "month" and self.year is not None:
            outside = {j: None for j in range(count) if not blank_label[j] and results[j] is not None
                       and results[j][0] != self.year}
        if outside:
            marked = np.zeros(count + 1, dtype=bool)
            marked[list(outside)] = True
            for i in np.flatnonzero(marked[codes]).tolist():
                j = codes[i]
                if outside[j] is None:
                    self.issue(ERROR, "outside_year", row=sheet_rows[i], col_index=pos, column=col,
                               value=as_text(labels[j]), year=self.year)
                    bad.add(i)
                else:
                    self._out_of_range(col, pos, sheet_rows[i], labels[j], *outside[j], bad, i, {})
            for j in outside:
                results[j] = None
        if col.type in KEYED:
            self.value_codes[col.name] = _value_codes(results, codes)
        return _take(results, codes)



KEYED = ("code", "nip", "month")  # the types of the key and reference columns the checks compare


def _value_codes(results: list, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(per row the position of its parsed value among the distinct ones, -1 where None; the
    distinct values), from the parse of each distinct text: what pd.factorize of the column gives
    up to numbering, without hashing every row."""
    table = np.empty(len(results), dtype=object)
    if any(value.__class__ is tuple for value in results):
        for j, value in enumerate(results):
            table[j] = value  # one by one: a tuple (a month) must stay one cell
    else:
        table[:] = results
    of_label, uniques = pd.factorize(table, use_na_sentinel=True)
    of_label = of_label.astype(np.int32 if len(uniques) < 2 ** 31 else np.int64)
    return of_label[codes], np.asarray(uniques, dtype=object)


def _blank_cells(column: RawColumn) -> np.ndarray:
    """True where a cell of the column is blank (as `_has_data` sees it)."""
    if column.kind == "float":
        return column.empty | np.isnan(column.values)
    if column.kind == "text":
        return column.blank_labels()[column.label_codes()]
    return column.empty.copy()


# What pandas makes of text: str, or object without string inference. A setting of pandas fixed for
# the process (pandas 3 infers str always; its option is deprecated): asked once, not per column.
_TEXT_DTYPE = pd.Series(["x"]).dtype


def _take(values: list, codes: np.ndarray):
    """[values[c] for c in codes], for codes over many rows: as the column pandas would make of that
    list where that is certain (text, or months as tuples, with None), so it need not look at every
    cell to find out; else the list."""
    table = np.empty(len(values), dtype=object)
    kinds = set(map(type, values))
    if tuple in kinds:
        for j, value in enumerate(values):
            table[j] = value  # one by one: a tuple (a month) must stay one cell
    else:
        table[:] = values
    if len(codes) and kinds == {bool}:
        return table.astype(bool)[codes]  # a yes/no choice in every row: what pandas makes of bools
    if not len(codes) or not kinds <= {str, tuple, type(None)} or len(kinds & {str, tuple}) != 1:
        return table[codes].tolist()
    if tuple in kinds:
        return pd.Series(table[codes], dtype=object)
    text = _TEXT_DTYPE
    # pandas' str dtype has kind "O" too: only a plain numpy dtype means no string inference.
    if isinstance(text, np.dtype):
        return table[codes]
    # The distinct values made pandas text once, then taken per row (no check of every cell).
    distinct = pd.array(table, dtype=text)
    if distinct.isna()[codes].all():  # no row holds text after all: pandas keeps None alone as object
        return table[codes]
    return distinct.take(codes)


def _has_data(row) -> bool:
    """True unless every cell is blank (the hot path of blank-row skipping)."""
    for v in row:
        if v is None or v == "" or (v.__class__ is str and v.isspace()) or (v.__class__ is float and v != v):
            continue
        return True
    return False


def _fmt_number(value) -> str:
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else str(value).replace(".", ",")


