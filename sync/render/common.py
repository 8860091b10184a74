"""What every output tab shares: columns from the contract, cells cleaned for writing."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from sheet_templates import results as R
from sheet_templates.schema import Tab
from sync.check.validate import ERROR
from sync.outtabs import (
    OutputColumn,
)

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


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(float(value), 2)
    if hasattr(value, "item") and not isinstance(value, str | tuple):  # numpy scalars
        return _clean(value.item())
    return value


def table_rows(frame: pd.DataFrame, tab: Tab) -> list[tuple]:
    names = [c.name for c in tab.columns]
    return [tuple(_clean(v) for v in row) for row in frame[names].itertuples(index=False, name=None)]


