"""A parsed input tab with helpers to report problems on its rows."""

from __future__ import annotations

import pandas as pd

from sheet_templates.schema import Column, Tab
from sync.check.validate import ERROR, Issue, make_issue
from sync.parse import as_text


class TabRows:
    """A parsed tab plus helpers to flag rows by position."""

    def __init__(self, tab: Tab, frame: pd.DataFrame, issues: list[Issue]):
        self.tab, self.frame, self.issues = tab, frame, issues
        self.sheet_columns = frame.attrs.get("sheet_columns", {})

    def flag(self, mask: pd.Series, key: str, column: str, level=ERROR, values=None, **extra):
        """Record `key` for every row in `mask` at `column`; Galat rows become not ok."""
        col = self.tab.column(column)
        rows = self.frame.loc[mask]
        shown = values.loc[mask] if values is not None else rows[column]
        for sheet_row, value in zip(rows["_row"], shown, strict=True):
            self.issues.append(make_issue(level, key, self.tab, int(sheet_row),
                                          self.sheet_columns.get(column), col,
                                          show_value(value, col if values is None else None), **extra))
        if level == ERROR:
            self.frame.loc[mask, "_ok"] = False

    def duplicates(self, columns: tuple[str, ...]):
        """Later rows repeating an earlier row's key (among rows whose key parsed)."""
        frame = self.frame
        parsed = frame[list(columns)].notna().all(axis=1)
        keys = frame.loc[parsed, list(columns)]
        dup = keys.duplicated(keep="first")
        if not dup.any():
            return
        first_row = frame.loc[parsed, "_row"].groupby([keys[c] for c in columns]).transform("first")
        label = " + ".join(self.tab.column(c).label for c in columns)
        for idx in dup[dup].index:
            value = " / ".join(show_value(frame.at[idx, c], self.tab.column(c)) for c in columns)
            self.issues.append(make_issue(
                ERROR, "duplicate", self.tab, int(frame.at[idx, "_row"]),
                self.sheet_columns.get(columns[0]), self.tab.column(columns[0]), value,
                columns=label, first=int(first_row[idx])))
        self.frame.loc[dup[dup].index, "_ok"] = False


def known_keys(frame: pd.DataFrame, column: str):
    """A test for "this value is in `column`", counting rows that failed to parse.

    A reference to a row that was itself rejected must not be reported again. A NIP
    that Excel turned into a number keeps its first 15 digits, so a reference whose
    float value equals it points at that row.
    """
    parsed = set(frame[column].dropna().tolist())
    unparsed = frame.attrs.get("unparsed", {}).get(column, [])
    texts = {as_text(v) for v in unparsed}
    floats = {float(v) for v in unparsed if isinstance(v, int | float) and not isinstance(v, bool)}

    def as_float(value) -> float | None:
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    def known(values: pd.Series) -> pd.Series:
        found = values.isin(parsed | texts)
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
