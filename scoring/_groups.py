"""Fast grouping helpers (dense group ids + bincount) shared by the rule modules."""

from __future__ import annotations

import numpy as np
import pandas as pd


def group_ids(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Dense group id per row and the key values of each group.

    Groups are numbered in order of first appearance; missing key values form
    their own group. Categorical keys are grouped by their codes, which is what
    keeps the 6-million-row indicator frame cheap to group.
    """
    ids, first = _dense(key_codes(*(frame[key] for key in keys)))
    return ids, frame[keys].iloc[first].reset_index(drop=True)


def key_codes(*columns: pd.Series) -> np.ndarray:
    """One integer per row, the same for rows whose values agree in every column (a missing value is a
    value of its own); not dense: `_dense` numbers them 0, 1, … where that is needed."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        combined = _combined(combined, column)
    return combined


def nested_group_ids(frame: pd.DataFrame, keys: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """`group_ids(frame, keys[:k])` for k = 1 … len(keys), each key column coded once.

    Per k: the dense group id of every row (numbered in order of first appearance) and the row
    where each group first appears (its keys are `frame[keys[:k]].iloc[first]`). A group of k keys
    lies in one group of fewer: `ids_j[first_k]` is the j-key group of each k-key group, numbered
    as `group_ids` numbers the j-key groups of the k-key groups' key frame.
    """
    combined = np.zeros(len(frame), dtype=np.int64)
    out = []
    for key in keys:
        combined = _combined(combined, frame[key])
        out.append(_dense(combined))
    return out


def _combined(combined: np.ndarray, column: pd.Series) -> np.ndarray:
    """The keys so far (`combined`) with one more column's codes (missing values a code of their own)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy(dtype=np.int64)
        size = len(column.cat.categories)
    else:
        codes, uniques = pd.factorize(column)
        size = len(uniques)
    return combined * (size + 1) + (codes + 1)


def _dense(combined: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(dense ids in order of first appearance, the row where each id first appears)."""
    ids, _ = pd.factorize(combined)
    ids = ids.astype(np.int64, copy=False)
    # factorize numbers groups 0, 1, 2 … as they first appear, so a group's first row is where
    # the running maximum of the ids grows: one pass instead of hashing every row again.
    grows = ids[1:] > np.maximum.accumulate(ids)[:-1] if len(ids) else np.zeros(0, dtype=bool)
    first = np.flatnonzero(np.r_[len(ids) > 0, grows])
    return ids, first


def group_sum(ids: np.ndarray, count: int, values) -> np.ndarray:
    """Sum of `values` per group id (NaN-free values expected)."""
    return np.bincount(ids, weights=np.asarray(values, dtype="float64"), minlength=count)


def latest_by_key(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """`frame` with one row per key: the last row of each repeated key wins."""
    return frame.loc[~frame.duplicated(subset=keys, keep="last")].reset_index(drop=True)


def ordered_codes(column: pd.Series) -> np.ndarray:
    """Integer codes that sort like the values (str order); missing values sort last.

    Categorical columns are coded from their categories, so a million-row
    column costs a sort of its few distinct values only.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = column.cat.categories.to_numpy(dtype=object).astype(str)
        rank = np.empty(len(categories), dtype=np.int64)
        rank[np.argsort(categories, kind="stable")] = np.arange(len(categories))
        codes = column.cat.codes.to_numpy()
        return np.where(codes >= 0, rank[codes], len(categories))
    codes, uniques = pd.factorize(column, sort=True)
    return np.where(codes >= 0, codes, len(uniques)).astype(np.int64)


def sort_codes(values) -> np.ndarray:
    """Codes that sort as `sort_values` sorts `values` (a Series or array), missing values last.

    Unlike `ordered_codes`, a Categorical sorts in its categories' order, as `sort_values` does.
    """
    codes, uniques = pd.factorize(values, sort=True)
    return np.where(codes >= 0, codes, len(uniques))


def cumcount_sorted(keys: np.ndarray) -> np.ndarray:
    """0-based position of each row within its run of equal, contiguous keys."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[True, keys[1:] != keys[:-1]]
    first = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    return np.arange(n) - first


def tuples_from_bits(bits: np.ndarray, build) -> np.ndarray:
    """An object array of tuples, one per row, from small non-negative integer codes.

    `build(code)` makes the tuple of one code; it runs once per distinct code,
    so a million rows share a handful of tuple objects.
    """
    bits = np.asarray(bits, dtype=np.int64)
    size = int(bits.max(initial=0)) + 1
    table = np.empty(size, dtype=object)
    for code in np.flatnonzero(np.bincount(bits, minlength=size)).tolist():
        table[code] = build(code)
    return table[bits]
