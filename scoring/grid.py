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
        kept = frame.loc[frame["nip"].isin(self.nips)]
        return kept.assign(nip=kept["nip"].astype(str).astype(self.nip_dtype))

    def positions(self, frame: pd.DataFrame) -> np.ndarray:
        """Grid row of each (period, nip) row of `frame`; -1 when not on the grid."""
        period = self.periods.get_indexer(frame["period"].astype(object))
        nip = frame["nip"]
        if isinstance(nip.dtype, pd.CategoricalDtype):
            lookup = self.nips.get_indexer(nip.cat.categories.astype(object))
            codes = nip.cat.codes.to_numpy()
            emp = np.where(codes >= 0, lookup[codes], -1)
        else:
            emp = self.nips.get_indexer(nip.astype(object))
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
        """The requested periods' rows, sorted, with text columns and the given `columns`."""
        rows = np.flatnonzero(out["period"].isin(wanted).to_numpy())
        part = out.iloc[rows]
        rank = part["unit_rank"].to_numpy(dtype="float64", na_value=np.inf)
        order = np.lexsort((ordered_codes(part["nip"]), rank, ordered_codes(part["unit"]),
                            ordered_codes(part["period"])))
        part = part.iloc[order].reset_index(drop=True)
        employee = rows[order] % max(len(self.nips), 1)
        for column in ("period", "nip", "unit"):
            part[column] = part[column].astype("str")
        for column in ("name", "position"):
            part[column] = self.employees[column].array.take(employee)
        return part[list(columns)]
