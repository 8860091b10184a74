"""Print-ready tabs: widths fitted to the values, the agency and period for the printed page header."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from sheet_templates import results as R
from sheet_templates.textfit import texts_units
from sync.outtabs import (
    OutputColumn,
    OutputTab,
    PrintInfo,
    longest_word_units,
    text_units,
)
from sync.table import ColumnTable

# --- print-ready --------------------------------------------------------------------------------

_FIT_SAMPLE = 20_000  # rows looked at to fit a column's width (a stride over bigger tabs)


def print_ready(tab: OutputTab, org_name: str = "", period: str = "") -> OutputTab:
    """`tab` with column widths fitted to what they hold, the AutoFilter where the contract
    wants one, and the agency and period for the printed page header.

    A column is never wider than the contract's width (longer text wraps, or
    runs over in a text column) and never narrower than its header's longest
    word, so a header breaks between words, on at most three lines.
    """
    filtered = tab.name in {t.label for t in R.OUTPUT_TABS if t.name in R.FILTERED_TABS}
    return dataclasses.replace(
        tab, columns=fit_widths(tab.columns, tab.rows), autofilter=tab.autofilter or filtered,
        print_info=PrintInfo(org_name=org_name, period=period))


def fit_widths(columns: list[OutputColumn], rows) -> list[OutputColumn]:
    """Each column as wide as its widest value (a sample of big tabs), within its bounds.

    `rows` is a list of row tuples or a `ColumnTable`; each distinct value is measured once.
    """
    step = max(1, len(rows) // _FIT_SAMPLE)
    texts, ends = [], []
    for j, col in enumerate(columns):
        texts += _shown_texts(_distinct(rows, j, step), col)
        ends.append(len(texts))
    # every column's texts measured in one go: a text's width is its own sum, wherever it stands
    units = texts_units(texts)
    out, start = [], 0
    for col, end in zip(columns, ends, strict=True):
        head = max(longest_word_units(col.header, bold=True), text_units(col.header, bold=True) / 3)
        need = float(units[start:end].max()) if end > start else 0.0
        width = max(min(need + 1.2, col.width), head + 1.2)
        out.append(dataclasses.replace(col, width=round(width, 1)))
        start = end
    return out


def _distinct(rows, j: int, step: int) -> list:
    """The distinct non-empty values of column `j` in every `step`-th row (the first of equal ones)."""
    if isinstance(rows, ColumnTable):
        if j >= len(rows.columns):
            return []
        sample = rows.columns[j][::step]
        if sample.dtype.kind == "O":
            # a set, not pd.unique: Python's str hash is kept in the str, pandas hashes each text
            # again; the widths take the widest, so the order the values come in does not matter
            values = set(sample.tolist())
            values.discard(None)
            values.discard("")
            return list(values)
        if sample.dtype.kind == "f":
            sample = sample[~np.isnan(sample)]  # NaN is an empty cell
        values = pd.unique(sample)
        values = (_widest_numbers(values) if values.dtype.kind in "fiu" else values).tolist()
    else:
        values = list(dict.fromkeys(row[j] for row in rows[::step] if j < len(row)))
    return [v for v in values if v is not None and v != ""]


def _widest_numbers(values: np.ndarray) -> np.ndarray:
    """The numbers among `values` that can show widest: the largest, the most negative, inf.

    Every number format here writes more digits (and group separators) for a larger
    magnitude, and a minus sign for a negative one; so those two bound the rest.
    """
    if len(values) <= 2:
        return values
    negative = np.signbit(values) if values.dtype.kind == "f" else values < 0
    finite = np.isfinite(values) if values.dtype.kind == "f" else np.ones(len(values), dtype=bool)
    picked = np.flatnonzero(~finite).tolist()
    for side in (finite & ~negative, finite & negative):
        if side.any():
            where = np.flatnonzero(side)
            picked.append(int(where[np.argmax(np.abs(values[where]))]))
    return values[sorted(picked)]


def _shown_texts(values: list, col: OutputColumn) -> list[str]:
    """`_shown_text` of each value; a text is shown as it is (most values are texts)."""
    return [v if type(v) is str else _shown_text(v, col) for v in values]


def _shown_text(value, col: OutputColumn) -> str:
    """`value` as `col`'s number format shows it ("" for NaN, which takes no room)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and math.isnan(value):
        return ""
    if col.kind in ("number", "percent"):
        return f"{value:,.{col.decimals}f}" + ("%" if col.kind == "percent" else "")
    if col.grouped:
        return f"{value:,.0f}"
    return f"{value:.0f}" if isinstance(value, float) else str(value)


def period_range(periods: list[str]) -> str:
    """The printed header's period: "Periode 2026-03" or "Periode 2026-01 s.d. 2026-12"."""
    labels = sorted({str(p) for p in periods})
    if not labels:
        return ""
    if len(labels) == 1:
        return f"Periode {labels[0]}"
    return f"Periode {labels[0]} s.d. {labels[-1]}"
