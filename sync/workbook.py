"""A workbook as read from any source: raw cells per tab, before validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class RawTab:
    """The cells of one tab as delivered (str/float/int/bool/date/None).

    `first_row`/`first_column` are the 0-based sheet coordinates of `rows[0][0]`,
    so that messages can name the real cell even when a source trims empty
    leading rows or columns.
    """

    name: str
    rows: list[list[Any]]
    first_row: int = 0
    first_column: int = 0

    def head(self, count: int) -> list[list[Any]]:
        """The first `count` rows (cheap on a `ColumnarTab`)."""
        return self.rows[:count]


class RawColumn:
    """The cells of one column below a tab's first row, held as arrays (`ColumnarTab`).

    `kind` is "float" (`values`: a float64 array), "text" (`values`: an int array of
    positions in `labels`, the distinct strings) or "datetime" (`values`: a list of
    datetimes); `empty` is True where the cell is empty (the value there means nothing).
    """

    __slots__ = ("kind", "values", "labels", "empty", "_blank_labels")

    def __init__(self, kind: str, values, empty: np.ndarray, labels: list[str] | None = None,
                 blank_labels: np.ndarray | None = None):
        self.kind, self.values, self.empty, self.labels = kind, values, empty, labels
        self._blank_labels = blank_labels

    def blank_labels(self) -> np.ndarray:
        """For a text column: per distinct text whether it is blank ("" or spaces), then True
        (for an empty cell); computed once."""
        if self._blank_labels is None:
            self._blank_labels = np.array([text == "" or text.isspace() for text in self.labels] + [True],
                                          dtype=bool)
        return self._blank_labels

    def label_codes(self) -> np.ndarray:
        """For a text column: each cell's position in `labels`, len(labels) where it is empty."""
        return np.where(self.empty, len(self.labels), self.values)

    def __len__(self) -> int:
        return len(self.empty)

    def take(self, positions: np.ndarray) -> RawColumn:
        """The cells at `positions` (an int array), in that order."""
        if self.kind == "datetime":
            values = [self.values[i] for i in positions.tolist()]
        else:
            values = self.values[positions]
        blank = self.blank_labels() if self.kind == "text" else None
        return RawColumn(self.kind, values, self.empty[positions], self.labels, blank)

    def cells(self) -> list[Any]:
        """The cells as python-calamine delivers them: float, str, date or datetime, "" when empty."""
        if self.kind == "float":
            out = np.asarray(self.values, dtype=np.float64).astype(object)
        elif self.kind == "text":
            table = np.empty(len(self.labels) + 1, dtype=object)
            table[:-1] = self.labels
            table[-1] = ""
            out = table[np.where(self.empty, len(self.labels), self.values)]
        else:  # python-calamine gives a date for a whole day
            out = np.empty(len(self.values), dtype=object)
            out[:] = [v.date() if v.__class__ is dt.datetime and v.time() == dt.time() else v
                      for v in self.values]
        out[self.empty] = ""
        return out.tolist()


class ColumnarTab(RawTab):
    """A tab read column by column (the fast Excel path): its first row's cells, then per column
    the cells below it. `rows` gives the same lists as a row-wise read, built on first use;
    validation reads the columns directly.

    `exact_rows`, when given, reads the tab row-wise: `rows` uses it when a column holds
    date-times (whose cells a column-wise read cannot tell apart from numbers turned into
    dates; see `sync.sources.excel.columns`)."""

    def __init__(self, name: str, header: list[Any], columns: list[RawColumn], first_row: int = 0,
                 first_column: int = 0, exact_rows: Callable[[], list[list[Any]]] | None = None):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "header", list(header))
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "first_row", first_row)
        object.__setattr__(self, "first_column", first_column)
        object.__setattr__(self, "_rows", None)
        object.__setattr__(self, "_exact_rows", exact_rows)

    @property
    def height(self) -> int:
        """Rows below the first row."""
        return len(self.columns[0]) if self.columns else 0

    @property
    def rows(self) -> list[list[Any]]:
        if self._rows is None:
            if self._exact_rows is not None and any(c.kind == "datetime" for c in self.columns):
                rows = self._exact_rows()
            else:
                rows = [list(self.header), *map(list, zip(*(c.cells() for c in self.columns), strict=True))]
            object.__setattr__(self, "_rows", rows)
        return self._rows

    def head(self, count: int) -> list[list[Any]]:
        if self._rows is not None or count <= 1:
            return self.rows[:count] if self._rows is not None else [list(self.header)][:count]
        positions = np.arange(min(count - 1, self.height))
        body = zip(*(c.take(positions).cells() for c in self.columns), strict=True)
        return [list(self.header), *map(list, body)]

    @classmethod
    def from_rows(cls, name: str, rows: list[list[Any]], first_row: int = 0,
                  first_column: int = 0) -> ColumnarTab | None:
        """The same tab held column-wise, when every column below the first row holds one kind of
        cell (numbers, text or date-times; "" and None are empty); else None."""
        if not rows:
            return None
        width = max(len(r) for r in rows)
        padded = [list(r) + [""] * (width - len(r)) for r in rows]
        columns = []
        for cells in (zip(*padded[1:], strict=True) if len(padded) > 1 else [()] * width):
            column = _column_of(list(cells))
            if column is None:
                return None
            columns.append(column)
        return cls(name, padded[0], columns, first_row, first_column)

    def __reduce__(self):  # pickled as the plain rows
        return (RawTab, (self.name, self.rows, self.first_row, self.first_column))


@dataclass(frozen=True)
class RawWorkbook:
    """Every tab of a workbook; `revision` identifies the content that was read."""

    tabs: dict[str, RawTab]
    revision: str = ""
    location: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.tabs)


def _column_of(cells: list[Any]) -> RawColumn | None:
    empty = np.array([v is None or (v.__class__ is str and v == "") for v in cells], dtype=bool)
    kinds = {v.__class__ for v, e in zip(cells, empty.tolist(), strict=True) if not e}
    if kinds <= {float}:
        values = np.array([np.nan if e else v for v, e in zip(cells, empty.tolist(), strict=True)],
                          dtype=np.float64)
        return RawColumn("float", values, empty | np.isnan(values))
    if kinds == {str}:
        codes = {}
        positions = np.array([0 if e else codes.setdefault(v, len(codes))
                              for v, e in zip(cells, empty.tolist(), strict=True)], dtype=np.intp)
        return RawColumn("text", positions, empty, list(codes))
    if kinds <= {dt.datetime, dt.date}:
        values = [None if e else (v if v.__class__ is dt.datetime else dt.datetime(v.year, v.month, v.day))
                  for v, e in zip(cells, empty.tolist(), strict=True)]
        return RawColumn("datetime", values, empty)
    return None
