"""Columnar cleaning (issue 17): every column gives exactly the values the cell-by-cell rule gives."""

from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pandas as pd
import pytest

from sync.render.columns import clean, clean_column, round2
from sync.table import ColumnTable

HALVES = [1.005, 2.675, 0.125, 1.115, 0.285, 1.255, 10.075, 0.015, 0.045, 8.345, 1234.565,
          -1.005, -2.675, -0.125, 0.005, -0.005, 99.995, 109.995, 1e-9, -1e-9, 0.0, -0.0,
          4.35, 1.45, 2.5e12 + 0.125, 3e13 + 0.25, 1e15 + 0.5, 123456789.125, 1e300, -1e300, 5e-324]


def python_round(values) -> list:
    return [v if math.isnan(v) or math.isinf(v) else round(v, 2) for v in values]


def same(a: list, b: list) -> bool:
    """Equal values of equal types, NaN equal to NaN and -0.0 told from 0.0."""
    return len(a) == len(b) and all(
        type(x) is type(y) and (x == y and math.copysign(1, x) == math.copysign(1, y)
                                if isinstance(x, float) and x == x else x == y or (x != x and y != y))
        for x, y in zip(a, b, strict=True))


def test_round2_is_pythons_round_on_halves():
    assert same(round2(np.array(HALVES)).tolist(), python_round(HALVES))


def test_round2_is_pythons_round_on_random_values():
    rng = random.Random(17)
    values = [rng.uniform(-1000, 1000) for _ in range(20_000)]
    values += [rng.randrange(-10**6, 10**6) / 1000 + rng.choice((0, 5e-4, -5e-4)) for _ in range(20_000)]
    values += [rng.randrange(0, 10**9) / 200 for _ in range(20_000)]  # exact binary halves of cents
    values += [rng.uniform(-1, 1) * 10 ** rng.randrange(-12, 16) for _ in range(20_000)]
    values += [float("nan"), float("inf"), float("-inf")]
    assert same(round2(np.array(values)).tolist(), python_round(values))


def cells(series: pd.Series) -> list:
    """What the row-wise renderer wrote: each value of the series, cleaned."""
    return [clean(v) for v in series]


def column_values(series: pd.Series) -> list:
    return [row[0] for row in ColumnTable([clean_column(series)])]


@pytest.mark.parametrize("series", [
    pd.Series([1.005, 2.675, np.nan, 3.0, -0.125]),
    pd.Series([1, 2, 3], dtype="int64"),
    pd.Series([True, False, True]),
    pd.Series([1, None, 3], dtype="Int64"),
    pd.Series([1, 2, 3], dtype="Int64"),
    pd.Series([1.005, None, 3.0], dtype="Float64"),
    pd.Series([True, None], dtype="boolean"),
    pd.Series(["a", None, "c"]),
    pd.Series(["a", None, "c"], dtype=object),
    pd.Series(["a", np.nan, pd.NA, "d"], dtype=object),
    pd.Series([None, None], dtype=object),
    pd.Series([1.005, "10,00–12,00", None, np.float64(2.675), 7, np.int64(4), np.nan, pd.NA, pd.NaT,
               (1, 2), True, dt.date(2026, 3, 1), np.bool_(True)], dtype=object),
    pd.Series(pd.to_datetime(["2026-01-05", None])),
    pd.Series(["x", "y", "x"], dtype="category"),
    pd.Series([], dtype=object),
    pd.Series([], dtype="float64"),
])
def test_a_column_holds_what_each_cell_cleaned_gives(series):
    assert same(column_values(series), cells(series))


def test_types_stay_as_they_were():
    frame = pd.DataFrame({"n": [3, 4], "x": [1.0, 2.5], "s": ["a", "b"]})
    table = ColumnTable([clean_column(frame[c]) for c in frame])
    assert [tuple(type(v) for v in row) for row in table] == [(int, float, str)] * 2
