"""Validation: raw tabs → typed DataFrames with internal names, plus every problem found.

Pure: takes a `RawWorkbook`, returns a `Checked`. Each problem becomes an
`Issue` naming the tab, row, column and cell, the value as typed, what is
wrong and how to fix it. A Galat (error) keeps the row out of scoring; a
Peringatan (warning) is reported and the row is scored. Nothing here raises
for a user's mistake.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sheet_templates import INPUT_TABS, SETTINGS
from sheet_templates.messages import message
from sheet_templates.schema import Column, Tab
from sync.parse import (
    LARGEST_NUMBER,
    SMALLEST_NUMBER,
    CellError,
    as_text,
    column_letter,
    normalise_label,
    parse_code,
    parse_datetime,
    parse_int,
    parse_month,
    parse_nip,
    parse_number,
    parse_url,
)
from sync.workbook import ColumnarTab, RawColumn, RawTab, RawWorkbook

ERROR = "error"
WARNING = "warning"
TAB_ORDER = {tab.label: i for i, tab in enumerate((SETTINGS, *INPUT_TABS))}


@dataclass(frozen=True)
class Issue:
    """One problem, located as precisely as we can."""

    level: str  # ERROR or WARNING
    tab: str  # tab label
    row: int | None  # 1-based sheet row
    column: str | None  # column label
    cell: str | None  # A1
    value: str
    problem: str
    fix: str
    column_index: int = 0
    rule: str = ""  # the message key: Validasi caps the messages of one rule per column

    def sort_key(self):
        return (TAB_ORDER.get(self.tab, 99), self.row or 0, self.column_index, self.problem)


@dataclass
class Checked:
    """What validation produced: settings, clean frames, and the issues."""

    settings: dict[str, Any]
    frames: dict[str, pd.DataFrame]
    issues: list[Issue] = field(default_factory=list)
    rejected_nips: set[str] = field(default_factory=set)
    fatal: bool = False
    rejected_rows: pd.DataFrame | None = None  # scoring.Frames.rejected: what results must not rest on
    extra_employees: pd.DataFrame | None = None  # employees whose own row was rejected, still shown

    @property
    def errors(self) -> int:
        return sum(issue.level == ERROR for issue in self.issues)

    @property
    def warnings(self) -> int:
        return sum(issue.level == WARNING for issue in self.issues)


def make_issue(level, key, tab: Tab, row=None, sheet_col=None, column=None, value="", **values):
    """An Issue from a message key; `sheet_col` is the 0-based sheet column."""
    problem, fix = message(key, tab=tab.label, column=column.label if column else "", value=value,
                           **values)
    cell = f"{column_letter(sheet_col)}{row}" if row is not None and sheet_col is not None else None
    return Issue(level, tab.label, row, column.label if column else None, cell, value, problem, fix,
                 sheet_col or 0, key)


# --- header and tab location -----------------------------------------------------------------

def matching_tabs(raw: RawWorkbook, tab: Tab) -> list[RawTab]:
    """Every raw tab whose name matches `tab.label` ignoring case, spaces and punctuation."""
    wanted = normalise_label(tab.label)
    return [raw_tab for name, raw_tab in raw.tabs.items() if normalise_label(name) == wanted]


def find_tab(raw: RawWorkbook, tab: Tab) -> RawTab | None:
    """The one raw tab that matches `tab.label`; None when there is none, or more than one
    (`"Pegawai "` beside `Pegawai`: reading either could be reading the wrong one)."""
    found = matching_tabs(raw, tab)
    return found[0] if len(found) == 1 else None


def ambiguous_tab_issue(tab: Tab, found: list[RawTab]) -> Issue:
    """A Galat naming every tab that matches one contract tab."""
    names = " dan ".join(f"'{t.name}'" for t in found)
    problem, fix = message("ambiguous_tab", tab=tab.label, names=names, count=len(found))
    return Issue(ERROR, tab.label, None, None, None, names, problem, fix, rule="ambiguous_tab")


def formula_cells(raw: RawWorkbook, raw_tab: RawTab) -> set[tuple[int, int]]:
    """Formula cells of the tab without a stored result: (1-based sheet row, 0-based column)."""
    return raw.meta.get("uncached_formulas", {}).get(raw_tab.name, set())


def _header_row(rows: list[list], labels: dict[str, Column]) -> int | None:
    """Index (into a tab's rows; `rows` are at least its first 10) of the row that looks most like
    the header."""
    best, best_hits = None, 0
    for i, row in enumerate(rows[:10]):
        hits = sum(normalise_label(as_text(v)) in labels for v in row)
        if hits > best_hits:
            best, best_hits = i, hits
    return best


# --- cell parsing -------------------------------------------------------------------------------

def _choice_lookup(column: Column) -> dict[str, Any]:
    lookup = {}
    for choice in column.choices:
        for text in (choice.label, *choice.aliases):
            lookup[normalise_label(text)] = choice.code
    return lookup


PARSERS = {
    "number": parse_number, "int": parse_int, "nip": parse_nip, "code": parse_code, "month": parse_month,
    "datetime": parse_datetime, "url": parse_url,
    # A period label is checked against Periode Evaluasi later, once settings are known.
    "period": lambda v: as_text(v) if isinstance(v, float) else as_text(v).upper(),
}


def column_parser(column: Column):
    """The cell parser for a column: raises CellError, or LookupError for a choice not offered."""
    if column.type in PARSERS:
        return PARSERS[column.type]
    if column.type == "choice":
        lookup = _choice_lookup(column)

        def parse_choice(value):
            key = normalise_label(as_text(value))
            if key in lookup:
                return lookup[key]
            raise LookupError(key)

        return parse_choice
    return as_text


class _TabChecker:
    """Parses one input tab; collects issues and the set of rejected row positions."""

    def __init__(self, tab: Tab, raw_tab: RawTab, issues: list[Issue], year: int | None,
                 formulas: set[tuple[int, int]] = frozenset()):
        self.tab, self.raw_tab, self.issues, self.year = tab, raw_tab, issues, year
        self.formulas = formulas  # cells holding a formula without a stored result
        self.unparsed: dict[str, list] = {}  # raw values that failed to parse, per column

    def issue(self, level, key, row=None, col_index=None, column=None, value="", **values):
        sheet_col = None if col_index is None else self.raw_tab.first_column + col_index
        self.issues.append(make_issue(level, key, self.tab, row, sheet_col, column, value, **values))

    def run(self) -> pd.DataFrame:
        tab = self.tab
        columnar = isinstance(self.raw_tab, ColumnarTab)
        rows = self.raw_tab.head(10) if columnar else self.raw_tab.rows
        labels = {normalise_label(c.label): c for c in tab.columns}
        header_at = _header_row(rows, labels)
        if columnar and header_at != 0:  # the header is not the first row: read it row by row
            columnar, rows = False, self.raw_tab.rows
        columns_text = ", ".join(c.label for c in tab.columns)
        if header_at is None:
            if rows:
                self.issue(ERROR, "no_header", row=self.raw_tab.first_row + 1, columns=columns_text)
                return unusable_frame(tab)
            return empty_frame(tab)
        header_sheet_row = self.raw_tab.first_row + header_at + 1
        positions: dict[str, int] = {}
        for i, value in enumerate(rows[header_at]):
            col = labels.get(normalise_label(as_text(value)))
            if col is None:
                continue
            if col.name in positions:
                self.issue(WARNING, "duplicate_header", row=header_sheet_row, col_index=i, column=col,
                           value=as_text(value))
                continue
            positions[col.name] = i
        missing = [c for c in tab.columns if c.required and c.name not in positions]
        for col in missing:
            self.issue(ERROR, "missing_column", row=header_sheet_row, column=col,
                       header_row=header_sheet_row)
        if missing:
            return unusable_frame(tab)
        if columnar:
            frame = self._run_columns(positions, header_sheet_row)
            if frame is not None:
                return frame
            rows = self.raw_tab.rows

        body = rows[header_at + 1:]
        read_columns = {self.raw_tab.first_column + pos for pos in positions.values()}
        formula_rows = {row for row, col in self.formulas
                        if col in read_columns and row > header_sheet_row}
        if formula_rows and max(formula_rows) > header_sheet_row + len(body):
            # calamine trims trailing rows it reads as empty, formulas without results included
            body = body + [[] for _ in range(max(formula_rows) - header_sheet_row - len(body))]
        sheet_rows = [header_sheet_row + 1 + i for i in range(len(body))]
        keep = [i for i, r in enumerate(body) if _has_data(r) or sheet_rows[i] in formula_rows]
        body = [body[i] for i in keep]
        sheet_rows = [sheet_rows[i] for i in keep]
        bad: set[int] = set()
        data: dict[str, list] = {"_row": sheet_rows}
        for col in tab.columns:
            pos = positions.get(col.name)
            raw_values = [r[pos] if pos is not None and pos < len(r) else None for r in body]
            data[col.name] = self._parse_column(col, pos, raw_values, sheet_rows, bad)
        data["_ok"] = [i not in bad for i in range(len(body))]
        frame = pd.DataFrame(data)
        frame.attrs["unparsed"] = self.unparsed
        frame.attrs["sheet_columns"] = {
            name: self.raw_tab.first_column + pos for name, pos in positions.items()}
        return frame

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
        sheet_rows = all_rows[keep].tolist()
        bad: set[int] = set()
        data: dict[str, list] = {"_row": sheet_rows}
        for col in tab.columns:
            pos = positions.get(col.name)
            if pos is None:
                data[col.name] = self._parse_column(col, pos, [None] * len(keep), sheet_rows, bad)
            else:
                data[col.name] = self._parse_raw_column(col, pos, raw_tab.columns[pos].take(keep),
                                                        sheet_rows, bad)
        ok = np.ones(len(keep), dtype=bool)
        ok[list(bad)] = False
        data["_ok"] = ok.tolist()
        frame = pd.DataFrame(data)
        frame.attrs["unparsed"] = self.unparsed
        frame.attrs["sheet_columns"] = {name: raw_tab.first_column + pos for name, pos in positions.items()}
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
        results: list[Any] = [default] * (count + 1)
        if col.type == "text":
            for j, text in enumerate(labels):
                if not blank_label[j]:
                    results[j] = text.strip()
            return _take(results, codes)
        parse = column_parser(col)
        failed: dict[int, CellError | None] = {}
        for j, text in enumerate(labels):
            if blank_label[j]:
                continue
            # The common cells without a call: a code as typed, an 18-digit NIP (parse_code, parse_nip).
            if col.type == "code" or (col.type == "nip" and len(text) == 18 and text.isdigit()
                                      and text.isascii()):
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
        return _take(results, codes)

    def _parse_column(self, col: Column, pos, raw_values, sheet_rows, bad) -> list:
        # Hot path (600,000 rows in a year of Realisasi): plain comprehensions, one parse per
        # distinct value, and issues only for the few cells that are wrong.
        blank = [v is None or v == "" or (v.__class__ is str and v.isspace())
                 or (v.__class__ is float and v != v) for v in raw_values]
        reported = set()
        if self.formulas and pos is not None:
            reported = self._formulas_without_value(col, pos, blank, sheet_rows, bad)
        if col.required:
            for i in (i for i, b in enumerate(blank) if b and i not in reported):
                self.issue(ERROR, "required", row=sheet_rows[i], col_index=pos, column=col)
                bad.add(i)
        if col.type == "text":
            return [col.default if b else (v.strip() if v.__class__ is str else as_text(v))
                    for v, b in zip(raw_values, blank, strict=True)]
        out: list[Any] = [col.default] * len(raw_values)
        todo = [i for i, b in enumerate(blank) if not b]
        slow = todo
        if col.type in ("number", "int"):
            slow = []
            for i in todo:
                value = raw_values[i]
                if (value.__class__ is int or value.__class__ is float) and (
                        value == 0 or SMALLEST_NUMBER <= abs(value) <= LARGEST_NUMBER):
                    if col.type == "number":
                        out[i] = float(value)
                    elif value == int(value):
                        out[i] = int(value)
                    else:
                        self._reject(col, pos, sheet_rows[i], value, CellError(
                            "harus bilangan bulat", "Ketik bilangan bulat tanpa koma, misalnya 4."),
                            col.blocking, bad, i)
                else:
                    slow.append(i)
        self._parse_slow(col, pos, raw_values, slow, sheet_rows, bad, out)
        self._check_ranges(col, pos, raw_values, todo, sheet_rows, bad, out)
        return out

    def _parse_slow(self, col, pos, raw_values, rows, sheet_rows, bad, out) -> None:
        parse = column_parser(col)
        cache: dict[Any, tuple[bool, Any]] = {}
        for i in rows:
            value = raw_values[i]
            key = (value.__class__, value)
            if key not in cache:
                try:
                    cache[key] = (True, parse(value))
                except CellError as exc:
                    cache[key] = (False, exc)
                except LookupError:
                    cache[key] = (False, None)
            ok, result = cache[key]
            if ok:
                out[i] = result
            elif result is None:
                self._reject_choice(col, pos, sheet_rows[i], value, col.blocking, bad, i)
            else:
                self._reject(col, pos, sheet_rows[i], value, result, col.blocking, bad, i)

    def _check_ranges(self, col, pos, raw_values, rows, sheet_rows, bad, out) -> None:
        if col.type in ("number", "int") and (col.minimum is not None or col.maximum is not None):
            low = -math.inf if col.minimum is None else col.minimum
            high = math.inf if col.maximum is None else col.maximum
            strict = col.exclusive_minimum
            for i in rows:
                parsed = out[i]
                if parsed is None or (low < parsed <= high) or (not strict and parsed == low):
                    continue
                if parsed > high:
                    key, limit = "maximum", high
                else:
                    key, limit = ("minimum_exclusive" if strict else "minimum"), low
                self._out_of_range(col, pos, sheet_rows[i], raw_values[i], key, limit, bad, i, out)
        elif col.type == "month" and self.year is not None:
            year = self.year
            for i in rows:
                parsed = out[i]
                if parsed is not None and parsed[0] != year:
                    self.issue(ERROR, "outside_year", row=sheet_rows[i], col_index=pos, column=col,
                               value=as_text(raw_values[i]), year=year)
                    bad.add(i)
                    out[i] = None

    def _formulas_without_value(self, col, pos, blank, sheet_rows, bad) -> set[int]:
        """A formula cell without a stored result reads as empty: say what it is instead
        (and not "kosong" as well). Returns the positions reported."""
        sheet_col = self.raw_tab.first_column + pos
        reported = set()
        for i, is_blank in enumerate(blank):
            if is_blank and (sheet_rows[i], sheet_col) in self.formulas:
                self.issue(ERROR if col.blocking else WARNING, "formula_no_value", row=sheet_rows[i],
                           col_index=pos, column=col)
                reported.add(i)
                if col.blocking:
                    bad.add(i)
        return reported

    def _out_of_range(self, col, pos, row, value, key, limit, bad, i, out) -> None:
        self.issue(ERROR if col.blocking else WARNING, key, row=row, col_index=pos, column=col,
                   value=as_text(value), limit=_fmt_number(limit))
        if col.blocking:
            bad.add(i)
        out[i] = None

    def _reject(self, col, pos, row, value, exc: CellError, blocking, bad, i):
        self.unparsed.setdefault(col.name, []).append(value)
        self.issue(ERROR if blocking else WARNING, "invalid", row=row, col_index=pos, column=col,
                   value=as_text(value), problem=exc.problem, fix=exc.fix)
        if blocking:
            bad.add(i)

    def _reject_choice(self, col, pos, row, value, blocking, bad, i):
        text = as_text(value)
        close = difflib.get_close_matches(text.casefold(), [c.casefold() for c in col.labels], n=1,
                                          cutoff=0.6)
        suggestion = ""
        if close:
            suggest = next(c for c in col.labels if c.casefold() == close[0])
            suggestion = message("suggestion", suggest=suggest)[0]
        self.issue(ERROR if blocking else WARNING, "choice", row=row, col_index=pos, column=col,
                   value=text, choices=", ".join(col.labels), suggestion=suggestion)
        if blocking:
            bad.add(i)


def _blank_cells(column: RawColumn) -> np.ndarray:
    """True where a cell of the column is blank (as `_has_data` sees it)."""
    if column.kind == "float":
        return column.empty | np.isnan(column.values)
    if column.kind == "text":
        return column.blank_labels()[column.label_codes()]
    return column.empty.copy()


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
    if not len(codes) or not kinds <= {str, tuple, type(None)} or len(kinds & {str, tuple}) != 1:
        return table[codes].tolist()
    column = table[codes]
    if tuple in kinds:
        return pd.Series(column, dtype=object)
    text = pd.Series(["x"]).dtype  # what pandas makes of text (str, or object without string inference)
    return column if text == object else pd.array(column, dtype=text)


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


def empty_frame(tab: Tab) -> pd.DataFrame:
    return pd.DataFrame({"_row": pd.Series(dtype="int64"),
                         **{c.name: pd.Series(dtype="object") for c in tab.columns},
                         "_ok": pd.Series(dtype="bool")})


def unusable_frame(tab: Tab) -> pd.DataFrame:
    """No rows, marked: the tab is there but cannot be read (no header, a required column
    missing, or more than one tab of that name); its Galat is already recorded."""
    frame = empty_frame(tab)
    frame.attrs["unusable"] = True
    return frame


def is_unusable(frame: pd.DataFrame | None) -> bool:
    return frame is None or bool(frame.attrs.get("unusable"))


def check_tab(tab: Tab, raw: RawWorkbook, issues: list[Issue], year: int | None) -> pd.DataFrame | None:
    """Parse one input tab: a frame of every non-blank row, `_row` (sheet row) and `_ok`.

    Returns None when the tab is absent (an issue is recorded if it is required), and an
    empty frame marked unusable (`is_unusable`) when it cannot be read: no header, a required
    column missing, or two tabs matching its name (a Galat naming both; neither is read).
    """
    found = matching_tabs(raw, tab)
    if len(found) > 1:
        issues.append(ambiguous_tab_issue(tab, found))
        return unusable_frame(tab)
    if not found:
        if tab.required:
            problem, fix = message("missing_tab", tab=tab.label,
                                   columns=", ".join(c.label for c in tab.columns))
            issues.append(Issue(ERROR, tab.label, None, None, None, "", problem, fix,
                                rule="missing_tab"))
        return None
    return _TabChecker(tab, found[0], issues, year, formula_cells(raw, found[0])).run()
