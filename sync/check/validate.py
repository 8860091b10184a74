"""Validation: raw tabs → typed DataFrames with internal names, plus every problem found.

Pure: takes a `RawWorkbook`, returns a `Checked`. Each problem becomes an
`Issue` naming the tab, row, column and cell, the value as typed, what is
wrong and how to fix it. A Galat (error) keeps the row out of scoring; a
Peringatan (warning) is reported and the row is scored. Nothing here raises
for a user's mistake.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from sheet_templates.messages import message
from sheet_templates.schema import Column, Tab
from sync.check.issues import ERROR, TAB_ORDER, WARNING, Checked, Issue, make_issue  # noqa: F401 - the names every check module takes from here
from sync.parse import (
    as_text,
    normalise_label,
    parse_code,
    parse_datetime,
    parse_int,
    parse_month,
    parse_nip,
    parse_number,
    parse_url,
)
from sync.workbook import RawTab, RawWorkbook

# --- header and tab location -----------------------------------------------------------------

def matching_tabs(raw: RawWorkbook, tab: Tab) -> list[RawTab]:
    """Every raw tab whose name matches `tab.label` ignoring case, spaces and punctuation."""
    wanted = _label(tab.label)
    return [raw_tab for name, raw_tab in raw.tabs.items() if _label(name) == wanted]


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
        hits = sum(_label(as_text(v)) in labels for v in row)
        if hits > best_hits:
            best, best_hits = i, hits
    return best


# The header's labels, tab names, settings keys and dropdown labels, and the same few data cells, met
# in every workbook: each is normalised once per process (`normalise_label` is pure; the cache is bounded).
_label = functools.lru_cache(maxsize=8192)(normalise_label)


# --- cell parsing -------------------------------------------------------------------------------

def _choice_lookup(column: Column) -> dict[str, Any]:
    lookup = {}
    for choice in column.choices:
        for text in (choice.label, *choice.aliases):
            lookup[_label(text)] = choice.code
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
            key = _label(as_text(value))
            if key in lookup:
                return lookup[key]
            raise LookupError(key)

        return parse_choice
    return as_text



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
    from sync.check.tab_checker import _TabChecker  # it uses this module's parsers: imported when used

    return _TabChecker(tab, found[0], issues, year, formula_cells(raw, found[0])).run()
