"""What every output tab shares: columns from the contract, cells cleaned for writing."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheet_templates import results as R
from sheet_templates.schema import Tab
from sync.check.validate import ERROR
from sync.outtabs import (
    OutputColumn,
)
from sync.render.columns import clean_column
from sync.table import ColumnTable

LEVEL_LABELS = {ERROR: R.LEVEL_ERROR, "warning": R.LEVEL_WARNING}
MAX_MONTHS_NAMED = 3  # months named in one status; "dst." stands for the rest


def output_columns(tab: Tab) -> list[OutputColumn]:
    """The schema's columns of an output tab as OutputColumns.

    Numbers whose label ends in "(%)" show a % sign; long text columns wrap.
    """
    out = []
    for c in tab.columns:
        kind = {"int": "int", "number": "number"}.get(c.type, "text")
        if kind == "number" and c.label.endswith("(%)"):
            kind = "percent"
        out.append(OutputColumn(c.label, kind, c.width, wrap=c.width >= 40 or c.name in R.WRAPPED_COLUMNS,
                                grouped=c.name in R.GROUPED_COLUMNS))
    return out


def table_rows(frame: pd.DataFrame, tab: Tab) -> ColumnTable:
    """`tab`'s columns of `frame`, cleaned for writing, one array per column (see `render.columns`)."""
    return ColumnTable([clean_column(frame[c.name]) for c in tab.columns], length=len(frame))


def table_columns(columns: dict, tab: Tab, order: np.ndarray | None = None) -> ColumnTable:
    """`tab`'s columns from `columns` (Series or arrays, one per name), cleaned, rows taken in `order`.

    For a big tab built column by column: nothing goes back into a DataFrame to be sorted.
    """
    cleaned = [clean_column(columns[c.name]) for c in tab.columns]
    return ColumnTable([c if order is None else c[order] for c in cleaned],
                       length=len(order) if order is not None else None)
