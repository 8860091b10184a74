"""A frame's column as the array a `ColumnTable` holds: cell values as the writer takes them.

One column at a time, not one cell: a big Pemda's Capaian IKI has 600,000 rows of
sixteen columns (issue 17). The values are exactly those `clean` gives cell by cell:
missing (None, NaN, NA, NaT) is empty, numbers are rounded to two decimals as
Python's `round` does, numpy scalars are plain Python values, the rest is kept.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

_DIGITS = 2
_EXACT_LIMIT = 1e13  # beyond, x * 100 has too few bits left to tell a half: Python rounds it


def clean(value: Any) -> Any:
    """One cell as the writer takes it (the rule every column follows)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(float(value), _DIGITS)
    if hasattr(value, "item") and not isinstance(value, str | tuple):  # numpy scalars
        return clean(value.item())
    return value


def round2(values: np.ndarray) -> np.ndarray:
    """float64 values rounded to two decimals exactly as Python's `round(v, 2)` (NaN kept).

    numpy rounds x * 100 as computed, Python the exact decimal value of x, so
    they part only where x * 100 lies within a few ulps of a half (1.005, 2.675)
    or x is huge: those few values are rounded by Python itself.
    """
    values = np.asarray(values, dtype="float64")
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = values * 100
        out = np.rint(scaled) / 100
        fraction = scaled - np.floor(scaled)
        # x * 100 is off by half an ulp at most, and the subtraction by one ulp of 1
        doubtful = np.abs(fraction - 0.5) <= 4 * np.spacing(np.abs(scaled)) + 1e-15
        doubtful |= np.abs(values) >= _EXACT_LIMIT
    doubtful &= np.isfinite(values)
    if doubtful.any():
        where = np.flatnonzero(doubtful)
        out[where] = [round(v, _DIGITS) for v in values[where].tolist()]
    return out


def clean_column(column: pd.Series | np.ndarray) -> np.ndarray:
    """`column` as a ColumnTable column: float64 (NaN empty), int64, or object of plain values."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiubO":
        values = column if isinstance(column, np.ndarray) else column.to_numpy()
        if dtype.kind == "f":
            return round2(values)
        if dtype.kind in "iu":
            return values
        if dtype.kind == "b":  # Python bools, which the writer shows as Ya / Tidak
            return objects(values.tolist())
        return _clean_objects(values)
    series = column if isinstance(column, pd.Series) else pd.Series(column)
    if isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return _clean_extension(series)
    return objects([clean(v) for v in series])  # datetimes and the like: as iterating gives them


def _clean_extension(series: pd.Series) -> np.ndarray:
    """Nullable numbers, pandas strings and categoricals."""
    dtype = series.dtype
    if dtype.kind == "f":
        return round2(series.to_numpy(dtype="float64", na_value=np.nan))
    if dtype.kind in "iu" and not series.hasnans:
        return series.to_numpy(dtype=dtype.numpy_dtype)
    if dtype.kind in "iub":  # with missing values, or bools: Python ints (bools) and None
        return _clean_objects(series.to_numpy(dtype=object, na_value=None))
    return _clean_objects(series.to_numpy(dtype=object))


def _clean_objects(values: np.ndarray) -> np.ndarray:
    """An object column: missing → None, floats rounded, numpy scalars as Python values."""
    out = values.copy()
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # only str: the common case
        return out
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        out[pd.isna(values)] = None  # only str besides None, NaN and NA
        return out
    codes, kinds = pd.factorize(np.fromiter(map(type, values), dtype=object, count=len(values)))
    for code, kind in enumerate(kinds):
        where = np.flatnonzero(codes == code)
        if kind is float or kind is np.float64:
            floats = round2(values[where].astype("float64")).tolist()
            out[where] = objects([None if v != v else v for v in floats])  # NaN is unequal to itself
        elif kind in _MISSING:
            out[where] = None
        elif kind not in _KEPT:  # rare kinds (numpy ints, dates…): the cell rule itself
            out[where] = objects([clean(v) for v in values[where].tolist()])
    return out


_KEPT = (str, int, bool, tuple)
_MISSING = (type(None), type(pd.NA), type(pd.NaT))


def objects(values: list) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))  # tuples stay whole values


def by_distinct(func: Callable[..., Any], *columns: Any) -> np.ndarray:
    """`func(*row)` for every row of `columns`, called once per distinct row (an object array).

    Status and label texts repeat a few words over hundreds of thousands of rows.
    Missing values (None, NaN, NA) are one value here: `func` must treat them alike.
    """
    arrays = [_plain(c) if isinstance(c, pd.Series | np.ndarray) else objects(list(c)) for c in columns]
    length = len(arrays[0]) if arrays else 0
    if not length:
        return objects([])
    try:
        key = row_codes(arrays)
    except TypeError:  # unhashable values (lists): row by row
        return objects([func(*row) for row in zip(*(_values(a) for a in arrays), strict=True)])
    first = first_rows(key)
    rows = zip(*(_values(a[first] if isinstance(a, np.ndarray) else a.array[first]) for a in arrays),
               strict=True)
    return objects([func(*row) for row in rows])[key]


def _plain(column: pd.Series | np.ndarray) -> pd.Series | np.ndarray:
    """A Series of numbers, objects or texts as its numpy array (the same values), others as they are.

    pandas factorizes its own text columns several times slower than an array of the same str.
    """
    if isinstance(column, np.ndarray):
        return column
    if isinstance(column.dtype, pd.StringDtype):
        return column.to_numpy(dtype=object)  # str, and NaN where missing, as iterating gives them
    numpy_backed = isinstance(column.dtype, np.dtype) and column.dtype.kind in "fiubO"
    return column.to_numpy() if numpy_backed else column


def row_codes(arrays: list) -> np.ndarray:
    """A code per row, the same for equal rows (missing values alike), numbered 0, 1, … as first seen."""
    key = None
    for array in arrays:
        codes, uniques = pd.factorize(array)  # missing: -1, the others numbered as they first appear
        if key is not None:  # one code per distinct (row so far, value), renumbered small
            key = pd.factorize(key * (len(uniques) + 1) + codes + 1)[0]
        elif len(codes) and codes.min() < 0:
            key = pd.factorize(codes)[0]
        else:
            key = codes
    return key


def first_rows(key: np.ndarray) -> np.ndarray:
    """Where each code of `key` first appears (codes numbered 0, 1, … as they first appear)."""
    highest = np.maximum.accumulate(key)  # rises, by one, exactly where a code first appears
    return np.flatnonzero(np.diff(highest, prepend=-1))


def _values(column) -> list:
    """Plain Python values (a pandas string column's missing ones as NaN, as iterating gives them)."""
    return column.to_numpy(dtype=object).tolist() if not isinstance(column, np.ndarray) else column.tolist()


def lookup(series: pd.Series, mapping: dict) -> np.ndarray:
    """`series.map(mapping)` as an object array, one dictionary look-up per distinct value (misses None)."""
    return by_distinct(lambda value: mapping.get(value) if _hashable(value) else None, series)


def _hashable(value: Any) -> bool:
    return value is not None and value == value and value is not pd.NA


_HUNDREDTHS_EXACT = 1e13  # below, a float and its `round(x, 2)` print the same with two decimals


def by_hundredths(func, values: np.ndarray, *more: np.ndarray) -> np.ndarray:
    """`by_distinct(func, values, *more)` for a `func` that shows `values` only with two decimals
    (the TPP tab's Dasar Kinerja): worded once per distinct hundredth, not once per distinct float
    (120,000 capaian are a few thousand hundredths). `f"{round(x, 2):.2f}"` is `f"{x:.2f}"`; zeros
    (whose sign shows, and which `by_distinct` takes as one value), NaN and huge values are worded
    as they are.
    """
    rounded = round2(values)
    with np.errstate(invalid="ignore"):
        by_hundredth = (rounded != 0) & (np.abs(values) < _HUNDREDTHS_EXACT)  # NaN: False
    out = np.empty(len(values), dtype=object)
    out[by_hundredth] = by_distinct(func, rounded[by_hundredth], *(m[by_hundredth] for m in more))
    rest = ~by_hundredth
    out[rest] = by_distinct(func, values[rest], *(m[rest] for m in more))
    return out
