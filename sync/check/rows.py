"""A parsed input tab with helpers to report problems on its rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheet_templates.schema import Column, Tab
from sync.check.validate import ERROR, Issue, make_issue
from sync.parse import as_text


class TabRows:
    """A parsed tab plus helpers to flag rows by position.

    The frame's index is its row positions (0..n-1), so masks and per-row Series built from its
    columns line up with it by position."""

    def __init__(self, tab: Tab, frame: pd.DataFrame, issues: list[Issue]):
        self.tab, self.frame, self.issues = tab, frame, issues
        # Validation's notes leave the frame's attrs at once: pandas deep-copies attrs into every
        # frame derived from this one (each look-up), which with many bad cells cost more than the checks.
        self.sheet_columns = frame.attrs.pop("sheet_columns", {})
        self.unparsed = frame.attrs.pop("unparsed", {})
        # The column-wise parse hands over codes per distinct value; `codes` checks they still hold.
        self._codes = {column: (codes, uniques, frame[column])
                       for column, (codes, uniques) in frame.attrs.pop("value_codes", {}).items()}

    def flag(self, mask, key: str, column: str, level=ERROR, values=None, **extra):
        """Record `key` for every row in `mask` at `column`; Galat rows become not ok.

        `values` (what each message shows) and any `extra` given as a Series hold one value per row."""
        hit = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(hit):
            return
        col = self.tab.column(column)
        sheet_rows = self.frame["_row"].iloc[hit].tolist()
        shown = (values if values is not None else self.frame[column]).iloc[hit].tolist()
        each = {name: value.iloc[hit].tolist() for name, value in extra.items()
                if isinstance(value, pd.Series)}
        fixed = {name: value for name, value in extra.items() if name not in each}
        sheet_col = self.sheet_columns.get(column)
        for k, (sheet_row, value) in enumerate(zip(sheet_rows, shown, strict=True)):
            self.issues.append(make_issue(level, key, self.tab, int(sheet_row), sheet_col, col,
                                          show_value(value, col if values is None else None), **fixed,
                                          **{name: cells[k] for name, cells in each.items()}))
        if level == ERROR:
            self.reject(hit)

    def reject(self, positions: np.ndarray) -> None:
        """Mark the rows at `positions` not ok (only those rows are written)."""
        self.frame.iloc[positions, self.frame.columns.get_loc("_ok")] = False

    def codes(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(per row the position of its value among the distinct values, -1 where empty; the
        distinct values): from the parse while the column is unchanged since, else factorized now.

        Holding the column as it was makes pandas copy it before any later write (copy-on-write),
        so an unchanged buffer means unchanged values."""
        held = self._codes.get(column)
        if held is not None and _same_data(held[2], self.frame[column]):
            return held[0], held[1]
        current = self.frame[column]
        codes, uniques = pd.factorize(current, use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=object)
        self._codes[column] = (codes, uniques, current)
        return codes, uniques

    def isin(self, column: str, values, known=None) -> np.ndarray:
        """Per row: its value is in `values` (or passes `known`, a test over a Series); judged once
        per distinct value. An empty cell counts as not in (checked columns are required ones)."""
        codes, uniques = self.codes(column)
        distinct = pd.Series(uniques, dtype=object)
        found = (known(distinct) if known is not None else distinct.isin(values)).to_numpy(dtype=bool)
        return (codes >= 0) & np.append(found, False)[codes]

    def unknown(self, column: str, known) -> np.ndarray:
        """Per row: a value is there and `known` (a test over a Series, `known_keys`) rejects it;
        judged once per distinct value."""
        codes, uniques = self.codes(column)
        found = known(pd.Series(uniques, dtype=object)).to_numpy(dtype=bool)
        return (codes >= 0) & ~np.append(found, True)[codes]

    def duplicates(self, columns: tuple[str, ...]):
        """Later rows repeating an earlier row's key (among rows whose key parsed)."""
        frame = self.frame
        keys = [self.codes(c) for c in columns]
        parsed = np.flatnonzero(np.logical_and.reduce([codes >= 0 for codes, _ in keys]))
        # One int per key (as pandas' own group index), renumbered before it could overflow.
        combined, bound = np.zeros(len(parsed), dtype=np.int64), 1
        for codes, uniques in keys:
            size = max(len(uniques), 1)
            if bound * size >= 2 ** 62:
                combined, seen = pd.factorize(combined)
                bound = max(len(seen), 1)
            combined, bound = combined * size + codes[parsed], bound * size
        if not len(parsed):
            return
        if bound <= 4 * len(parsed) and np.bincount(combined, minlength=bound).max() <= 1:
            return  # every key once (the usual case): counted in an array, not hashed row by row
        dup = pd.Series(combined).duplicated(keep="first").to_numpy()
        if not dup.any():
            return
        rows = frame["_row"].to_numpy()[parsed]
        first_row = pd.Series(rows[~dup], index=combined[~dup]).loc[combined[dup]].tolist()
        label = " + ".join(self.tab.column(c).label for c in columns)
        at = parsed[dup]
        cells = {c: frame[c].array for c in columns}  # `.array[i]`: each value as `frame.at` gives it
        for i, row, first in zip(at.tolist(), rows[dup].tolist(), first_row, strict=True):
            value = " / ".join(show_value(cells[c][i], self.tab.column(c)) for c in columns)
            self.issues.append(make_issue(
                ERROR, "duplicate", self.tab, int(row), self.sheet_columns.get(columns[0]),
                self.tab.column(columns[0]), value, columns=label, first=int(first)))
        self.reject(at)


def _same_data(held: pd.Series, current: pd.Series) -> bool:
    if held.array is current.array:
        return True
    if not (isinstance(held.dtype, np.dtype) and held.dtype == current.dtype and len(held) == len(current)):
        return False
    a, b = held.to_numpy(), current.to_numpy()  # views of the frame's block for numpy dtypes
    return a.__array_interface__["data"][0] == b.__array_interface__["data"][0] and a.strides == b.strides


def known_keys(rows: TabRows, column: str):
    """A test for "this value is in `column`", counting rows that failed to parse.

    A reference to a row that was itself rejected must not be reported again. A NIP
    that Excel turned into a number keeps its first 15 digits, so a reference whose
    float value equals it points at that row.
    """
    parsed = set(rows.codes(column)[1].tolist())
    unparsed = rows.unparsed.get(column, [])
    texts = {as_text(v) for v in unparsed}
    floats = {float(v) for v in unparsed if isinstance(v, int | float) and not isinstance(v, bool)}
    keys = parsed | texts

    def as_float(value) -> float | None:
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    def known(values: pd.Series) -> pd.Series:
        found = values.isin(keys)
        if floats and not found.all():
            misses = values[~found]
            found.loc[misses.index] = misses.map(lambda v: as_float(v) in floats).astype(bool)
        return found

    return known


def show_value(value, column: Column | None = None) -> str:
    """A parsed cell as the clerk sees it: a dropdown's label, not its code (`Rekan Kerja`,
    not `peer`); a month as TTTT-BB."""
    if column is not None and column.choices and value is not None:
        for choice in column.choices:
            if type(choice.code) is type(value) and choice.code == value:
                return choice.label
    if isinstance(value, tuple) and len(value) == 2:
        return f"{value[0]}-{value[1]:02d}"
    return as_text(value)
