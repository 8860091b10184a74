"""Parsing a tab cell by cell, for columns the column-wise path cannot take whole."""

from __future__ import annotations

import difflib
import math
from typing import Any

from sheet_templates.messages import message
from sheet_templates.schema import Column
from sync.check.columnar import _fmt_number
from sync.check.issues import ERROR, WARNING
from sync.check.validate import column_parser
from sync.parse import (
    LARGEST_NUMBER,
    SMALLEST_NUMBER,
    CellError,
    as_text,
)


class RowParsing:
    """The cell-wise half of `TabChecker` (a mixin: it uses its state and `issue`)."""

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


