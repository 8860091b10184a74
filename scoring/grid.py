"""The scoring grid: every (period, active employee) pair, period-major."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._groups import ordered_codes


class Grid:
    """Every (period, active employee) pair, period-major, with integer positions.

    Row p × (number of employees) + e is employee e in period p, so frames keyed
    by (period, nip) are aligned by integer arithmetic instead of merges.
    """

    def __init__(self, employees: pd.DataFrame, periods: list[str]) -> None:
        self.employees = employees
        self.periods = pd.Index(periods, dtype=object)
        self.nips = pd.Index(employees["nip"].astype(str), dtype=object)
        self.nip_dtype = pd.CategoricalDtype(categories=self.nips)
        self.size = len(periods) * len(self.nips)

    def own_rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows about active employees, `nip` made categorical so grouping is cheap."""
        # One look-up of each row's NIP gives both the rows to keep and their categorical codes.
        codes = _positions_in(self.nips, frame["nip"])
        kept = codes >= 0
        rows = frame if kept.all() else frame.loc[kept]
        return rows.assign(nip=pd.Categorical.from_codes(codes[kept], dtype=self.nip_dtype))

    def positions(self, frame: pd.DataFrame) -> np.ndarray:
        """Grid row of each (period, nip) row of `frame`; -1 when not on the grid."""
        period = _positions_in(self.periods, frame["period"])
        emp = _positions_in(self.nips, frame["nip"])
        return np.where((period >= 0) & (emp >= 0), period * len(self.nips) + emp, -1)

    def align(self, frame: pd.DataFrame, defaults: dict) -> dict[str, np.ndarray]:
        """Columns of a (period, nip)-keyed frame as grid-length arrays, defaults elsewhere."""
        pos = self.positions(frame)
        ok = pos >= 0
        out = {}
        for column, default in defaults.items():
            values = frame[column].to_numpy()
            dtype = object if default is None else np.asarray(default).dtype
            filled = np.full(self.size, default, dtype=dtype)
            filled[pos[ok]] = values[ok]
            out[column] = filled
        return out

    def frame(self) -> pd.DataFrame:
        """The grid as a frame: period, nip, unit, all Categorical so ranking is cheap."""
        n = len(self.nips)
        take = np.tile(np.arange(n), len(self.periods))
        units = pd.Categorical(self.employees["unit"].to_numpy(dtype=object))
        return pd.DataFrame({
            "period": pd.Categorical.from_codes(np.repeat(np.arange(len(self.periods)), n),
                                                categories=self.periods),
            "nip": pd.Categorical.from_codes(take, dtype=self.nip_dtype),
            "unit": units.take(take),
        })

    def finish(self, out: pd.DataFrame, wanted: list[str], columns) -> pd.DataFrame:
        """The requested periods' rows, sorted, with text columns and the given `columns`.

        Columns of a big `out` are taken one at a time and dropped from `out` once taken
        (it is the pipeline's own working frame): the sorted copy never sits beside the
        whole grid frame. A small one keeps them: each drop rebuilds the frame's blocks,
        which was 1 % of a 200-employee agency's `kinerja run` and saves nothing there.
        """
        drop = len(out) >= _DROP_FROM
        rows = np.flatnonzero(out["period"].isin(wanted).to_numpy())
        rank = out["unit_rank"].to_numpy(dtype="float64", na_value=np.inf)[rows]
        order = np.lexsort((ordered_codes(out["nip"])[rows], rank,
                            ordered_codes(out["unit"])[rows], ordered_codes(out["period"])[rows]))
        take = rows[order]
        employee = take % max(len(self.nips), 1)
        data = {}
        for column in columns:
            if column in ("name", "position"):
                data[column] = self.employees[column].array.take(employee)
                continue
            values = out[column].array.take(take)
            if drop:
                del out[column]
            data[column] = (categorical_text(pd.Series(values, copy=False)).array
                            if column in ("period", "nip", "unit") else values)
        return pd.DataFrame(data, copy=False)


def _positions_in(index: pd.Index, column: pd.Series) -> np.ndarray:
    """`index.get_indexer` of the column's values (-1 when absent); a Categorical by its categories."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        # a spare last slot for the missing values' code -1
        lookup = np.append(index.get_indexer(column.cat.categories.astype(object)), -1)
        return lookup[column.cat.codes.to_numpy()]
    return index.get_indexer(column.astype(object))


_DROP_FROM = 100_000  # rows of the grid (periods × employees) from which `Grid.finish` frees as it goes


def categorical_text(column: pd.Series) -> pd.Series:
    """`column.astype("str")`, for a Categorical by way of its categories.

    pandas converts a Categorical to "str" by checking every row's value; converting the
    few categories and taking them by code gives the same column (missing → NaN).
    """
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype("str")
    labels = column.cat.categories.astype("str").array
    values = labels.take(column.cat.codes.to_numpy(), allow_fill=True)
    return pd.Series(values, index=column.index, name=column.name, copy=False)
