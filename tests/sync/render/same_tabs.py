"""Comparing output tabs exactly: the rows' arrays (dtype, value and type of every cell) and the rest."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sync.outtabs import OutputTab
from sync.table import ColumnTable


def same_cells(a: list, b: list) -> bool:
    """Equal values of equal types, NaN equal to NaN and -0.0 told from 0.0 (also inside tuples)."""
    return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))


def _same(x, y) -> bool:
    if type(x) is not type(y):
        return False
    if isinstance(x, float):
        return (x != x and y != y) or (x == y and math.copysign(1, x) == math.copysign(1, y))
    if isinstance(x, tuple):
        return same_cells(list(x), list(y))
    return x is y or x == y


def same_array(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and same_cells(a.tolist(), b.tolist())


def assert_same_tab(got: OutputTab, want: OutputTab) -> None:
    """`got` is `want`: its columns, every cell of its rows (as arrays when both are columnar), the rest."""
    assert (got.name, got.columns, got.autofilter, got.title, got.print_info) == (
        want.name, want.columns, want.autofilter, want.title, want.print_info)
    assert (got.charts, got.highlight_rows) == (want.charts, want.highlight_rows)
    assert same_cells(list(got.chart_data), list(want.chart_data))
    if isinstance(got.rows, ColumnTable) and isinstance(want.rows, ColumnTable):
        assert len(got.rows) == len(want.rows)
        assert len(got.rows.columns) == len(want.rows.columns)
        for j, (a, b) in enumerate(zip(got.rows.columns, want.rows.columns, strict=True)):
            assert same_array(a, b), (got.name, j, a.dtype, b.dtype, a[:5], b[:5])
    else:
        assert type(got.rows) is type(want.rows)
        assert same_cells(list(got.rows), list(want.rows))


def assert_same_outcome(new, old, *args) -> None:
    """`new(*args)` gives the tab `old(*args)` gives, or fails with the same kind of error."""
    try:
        want = old(*args)
    except Exception as error:  # noqa: BLE001 - whatever it was, the new one fails alike
        with pytest.raises(type(error)):
            new(*args)
        return
    assert_same_tab(new(*args), want)
