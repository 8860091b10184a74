"""`by_distinct` made cheaper (issue 17): the same calls, with the same values, and the same cells."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sync.render.columns import by_distinct, first_rows, lookup, row_codes
from tests.sync.render.same_tabs import same_cells


def _objects(values: list) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))


def old_by_distinct(func: Callable[..., Any], *columns: Any) -> np.ndarray:
    """`by_distinct` as it was: a factorize and a refactorize per column, `np.unique` for the first rows."""
    arrays = [c if isinstance(c, pd.Series | np.ndarray) else _objects(list(c)) for c in columns]
    length = len(arrays[0]) if arrays else 0
    if not length:
        return _objects([])
    try:
        key = np.zeros(length, dtype=np.int64)
        for array in arrays:
            codes, uniques = pd.factorize(array)
            key = pd.factorize(key * (len(uniques) + 1) + codes + 1)[0]
    except TypeError:
        return _objects([func(*row) for row in zip(*(_old_values(a) for a in arrays), strict=True)])
    first = np.unique(key, return_index=True)[1]
    rows = zip(*(_old_values(a[first] if isinstance(a, np.ndarray) else a.iloc[first]) for a in arrays),
               strict=True)
    return _objects([func(*row) for row in rows])[key]


def _old_values(column) -> list:
    return column.to_numpy(dtype=object).tolist() if isinstance(column, pd.Series) else column.tolist()


def _column(kind: str, n: int, rng: np.random.Generator):
    """A column of `n` values of one kind, with repeats and missing values."""
    pick = rng.integers(0, 5, n)
    if kind == "str":
        return pd.Series(np.array(["a", "b", "", "Baik", None], dtype=object)[pick], dtype="str")
    if kind == "string":
        return pd.Series(np.array(["a", "b", "", "Baik", None], dtype=object)[pick], dtype="string")
    if kind == "objects":
        return np.array(["a", None, np.nan, pd.NA, 3], dtype=object)[pick]
    if kind == "floats":
        return np.array([1.5, np.nan, 0.0, -0.0, 2.675])[pick]
    if kind == "float series":
        return pd.Series(np.array([1.5, np.nan, 0.0, -0.0, 1e300])[pick])
    if kind == "ints":
        return (pick * 7 - 10).astype(np.int64)
    if kind == "bools":
        return pick % 2 == 0
    if kind == "bool series":
        return pd.Series(pick % 3 == 0)
    if kind == "Int64":
        return pd.Series([None if p == 4 else int(p) - 2 for p in pick], dtype="Int64")
    if kind == "tuples":
        return pd.Series(_objects([(), ("award",), ("a", "b"), None, ("award",)])[pick])
    if kind == "list":
        return [("x", "y", None, 1, 2.5)[p] for p in pick]
    if kind == "category":
        return pd.Series(np.array(["x", "y", "z", None, "x"], dtype=object)[pick], dtype="category")
    if kind == "dates":
        return pd.Series(pd.to_datetime(np.array(["2026-01-05", None, "2026-03-01", "2026-01-05", None],
                                                 dtype=object)[pick]))
    if kind == "unhashable":
        return pd.Series(_objects([[1], [2], [1], None, [3]]), dtype=object).iloc[pick].reset_index(drop=True)
    raise ValueError(kind)


KINDS = ["str", "string", "objects", "floats", "float series", "ints", "bools", "bool series", "Int64",
         "tuples", "list", "category", "dates", "unhashable"]


def _both(columns: list) -> tuple[list, np.ndarray, list, np.ndarray]:
    """The calls each version makes and the cells it gives."""
    calls_new, calls_old = [], []
    new = by_distinct(lambda *row: calls_new.append(row) or row, *columns)
    old = old_by_distinct(lambda *row: calls_old.append(row) or row, *columns)
    return calls_new, new, calls_old, old


@pytest.mark.parametrize("seed", range(40))
def test_by_distinct_calls_and_gives_what_it_did(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.choice([0, 1, 2, 7, 60, 500]))
    kinds = rng.choice(KINDS, size=int(rng.integers(1, 4)))
    columns = [_column(kind, n, rng) for kind in kinds]
    calls_new, new, calls_old, old = _both(columns)
    assert [len(c) for c in calls_new] == [len(c) for c in calls_old]
    assert same_cells(calls_new, calls_old)
    assert new.dtype == old.dtype == object
    assert same_cells(new.tolist(), old.tolist())


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_alone(kind):
    column = _column(kind, 300, np.random.default_rng(5))
    calls_new, new, calls_old, old = _both([column])
    assert same_cells(calls_new, calls_old) and same_cells(new.tolist(), old.tolist())


def test_lookup_is_the_dictionary_look_up():
    series = pd.Series(["good", None, "poor", "unknown", "good"], dtype="str")
    mapping = {"good": "Baik", "poor": "Kurang"}
    assert lookup(series, mapping).tolist() == ["Baik", None, "Kurang", None, "Baik"]


def test_row_codes_number_rows_as_they_first_appear():
    rng = np.random.default_rng(3)
    for _ in range(50):
        n = int(rng.integers(1, 200))
        arrays = [np.array(["a", None, "b", np.nan], dtype=object)[rng.integers(0, 4, n)],
                  rng.integers(0, 3, n)][: int(rng.integers(1, 3))]
        # by plain Python: missing values alike, rows numbered as they are first seen
        numbering: dict = {}
        expected = [numbering.setdefault(row, len(numbering)) for row in zip(
            *(["NA" if v is None or v != v else v for v in a.tolist()] for a in arrays), strict=True)]
        got = row_codes(arrays)
        assert got.tolist() == expected
        assert first_rows(got).tolist() == [expected.index(c) for c in range(len(numbering))]
