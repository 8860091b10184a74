"""Print-ready tabs: widths fitted to the values, the agency and period for the printed page header."""

from __future__ import annotations

import dataclasses
import math

from sheet_templates import results as R
from sync.outtabs import (
    OutputColumn,
    OutputTab,
    PrintInfo,
    longest_word_units,
    text_units,
)

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


def fit_widths(columns: list[OutputColumn], rows: list[tuple]) -> list[OutputColumn]:
    """Each column as wide as its widest value (a sample of big tabs), within its bounds."""
    step = max(1, len(rows) // _FIT_SAMPLE)
    sample = rows[::step]
    out = []
    for j, col in enumerate(columns):
        head = max(longest_word_units(col.header, bold=True), text_units(col.header, bold=True) / 3)
        values = {row[j] for row in sample if j < len(row) and row[j] is not None and row[j] != ""}
        need = max((_shown_units(v, col) for v in values), default=0.0)
        width = max(min(need + 1.2, col.width), head + 1.2)
        out.append(dataclasses.replace(col, width=round(width, 1)))
    return out


def _shown_units(value, col: OutputColumn) -> float:
    """How wide `value` shows in `col`'s number format, in column units."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return text_units(str(value))
    if isinstance(value, float) and math.isnan(value):
        return 0.0
    if col.kind in ("number", "percent"):
        text = f"{value:,.{col.decimals}f}" + ("%" if col.kind == "percent" else "")
    elif col.grouped:
        text = f"{value:,.0f}"
    else:
        text = f"{value:.0f}" if isinstance(value, float) else str(value)
    return text_units(text)


def period_range(periods: list[str]) -> str:
    """The printed header's period: "Periode 2026-03" or "Periode 2026-01 s.d. 2026-12"."""
    labels = sorted({str(p) for p in periods})
    if not labels:
        return ""
    if len(labels) == 1:
        return f"Periode {labels[0]}"
    return f"Periode {labels[0]} s.d. {labels[-1]}"
