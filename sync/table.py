"""Rows of an output tab held as columns.

A result tab of a big Pemda has hundreds of thousands of rows; building a Python tuple
per row and a Python object per cell cost more than reading the whole workbook (issue 17).
`ColumnTable` keeps one numpy array per column, as the renderer computed them, and lets
the Excel writer stream each column at once. Everything else that reads `OutputTab.rows`
(the Sheets writer, print widths, tests) sees an ordinary sequence of tuples of plain
Python values, made once, on first use.

A column's array is one of:
- float64: NaN is an empty cell; every other value is written as it is;
- int64 (or another integer/bool dtype without missing values): Python ints;
- object: plain Python values (str, int, float, None, date, datetime, bool).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np


class ColumnTable(Sequence):
    """A read-only sequence of row tuples backed by one array per column."""

    __slots__ = ("columns", "_length", "_rows")

    def __init__(self, columns: Sequence[Any], length: int | None = None):
        self.columns: list[np.ndarray] = [_as_array(c) for c in columns]
        lengths = {len(c) for c in self.columns}
        if length is None:
            length = lengths.pop() if lengths else 0
        if lengths - {length}:
            raise ValueError(f"columns of different lengths: {sorted(lengths | {length})}")
        self._length = length
        self._rows: list[tuple] | None = None

    def __len__(self) -> int:
        return self._length

    def values(self, j: int) -> list[Any]:
        """Column `j` as plain Python values (None for an empty cell)."""
        column = self.columns[j]
        if column.dtype.kind == "f":
            values = column.tolist()
            return [None if v != v else v for v in values]  # NaN is the only value unequal to itself
        return column.tolist()

    def rows(self) -> list[tuple]:
        if self._rows is None:
            if self.columns:
                self._rows = list(zip(*(self.values(j) for j in range(len(self.columns))), strict=True))
            else:
                self._rows = [()] * self._length
        return self._rows

    def __getitem__(self, index):
        return self.rows()[index]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ColumnTable | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # mutable-looking sequence semantics, like list

    def __repr__(self) -> str:
        return f"ColumnTable({len(self.columns)} columns x {self._length} rows)"


def _as_array(column: Any) -> np.ndarray:
    if isinstance(column, np.ndarray):
        return column
    array = np.empty(len(column), dtype=object)
    array[:] = list(column)  # element by element: tuples and dates stay whole objects
    return array
