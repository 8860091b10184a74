"""Rekap Unit: per unit (and for the whole agency) and period, counts, means, IKM, distribution."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .distribution import check_distribution
from .frames import require_columns
from .predikat import PREDIKATS
from .settings import Settings

COUNT_COLUMNS = tuple(f"count_{code}" for code in PREDIKATS)
SUMMARY_COLUMNS = (
    "period",
    "unit",
    "employees",
    "scored",
    "mean_score",
    *COUNT_COLUMNS,
    "ikm",
    "ikm_quality",
    "distribution_ok",
    "breaches",
)


def summarise(
    results: pd.DataFrame, ikm: pd.DataFrame, settings: Settings, by_unit: bool = True
) -> pd.DataFrame:
    """One summary row per (period, unit), or per period for the agency (unit missing).

    Args:
        results: period, unit, predikat, performance_score (one row per employee).
        ikm: period, unit (only with by_unit), ikm, ikm_quality.
        settings: org_predikat turns the distribution check on.
        by_unit: False for the agency-wide rows.

    Returns:
        A new frame with SUMMARY_COLUMNS sorted by period, unit. `mean_score` is
        over the employees that have a performance score; `distribution_ok` is
        None when org_predikat is unset or nobody has a predikat.

    Examples:
        >>> r = pd.DataFrame({"period": ["2026-01"] * 2, "unit": ["A", "A"],
        ...     "predikat": ["good", None], "performance_score": [90.0, np.nan]})
        >>> ikm = pd.DataFrame(columns=["period", "unit", "ikm", "ikm_quality"])
        >>> summarise(r, ikm, Settings())[["employees", "scored", "mean_score"]].to_dict("records")
        [{'employees': 2, 'scored': 1, 'mean_score': 90.0}]
    """
    require_columns(results, "results", ("period", "unit", "predikat", "performance_score"))
    n_rows = len(results)
    unit = results["unit"].to_numpy(dtype=object) if by_unit else np.full(n_rows, None, dtype=object)
    group, periods, units = _groups(results["period"].to_numpy(dtype=object), unit)
    n = len(periods)
    # Each row's place in PREDIKATS (-1: none or another code), from one coding of the column.
    codes, uniques = pd.factorize(results["predikat"].to_numpy(dtype=object))
    place = np.array([PREDIKATS.index(code) if code in PREDIKATS else -1 for code in uniques] + [-1],
                     dtype=np.int64)[codes]
    counts = np.column_stack([np.bincount(group[place == i], minlength=n) for i in range(len(PREDIKATS))])
    # pandas' grouped mean sums with Kahan compensation: np.bincount's plain sum can differ in the last bit.
    score = pd.Series(results["performance_score"].to_numpy(dtype="float64"), copy=False)
    data = {
        "period": pd.Series(periods, dtype=object),
        "unit": pd.Series(units, dtype=object),
        "employees": np.bincount(group, minlength=n),
        "scored": np.bincount(group[codes >= 0], minlength=n),
        "mean_score": score.groupby(group).mean().to_numpy() if n_rows else np.zeros(0),
        **{column: counts[:, i] for i, column in enumerate(COUNT_COLUMNS)},
        **_ikm_of(periods, units, ikm, by_unit),
    }
    if settings.org_predikat is None:
        data["distribution_ok"] = np.full(n, None, dtype=object)
        data["breaches"] = _object_column([()] * n)
    else:
        checks = [check_distribution(dict(zip(PREDIKATS, row, strict=True)), settings.org_predikat)
                  for row in counts.tolist()]
        data["breaches"] = _object_column(checks)
        data["distribution_ok"] = _object_column(
            [None if scored == 0 else not check
             for scored, check in zip(data["scored"].tolist(), checks, strict=True)])
    return pd.DataFrame({column: data[column] for column in SUMMARY_COLUMNS})


def _groups(period: np.ndarray, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group number of each row, and each group's period and unit, in sorted (period, unit) order.

    What `groupby(["period", "unit"], dropna=False, sort=True)` groups, missing keys sorting last:
    the period of such a group is NaN, its unit None (what the summary shows).
    """
    period_codes, period_values = pd.factorize(period, sort=True)
    unit_codes, unit_values = pd.factorize(unit, sort=True)
    period_codes = np.where(period_codes >= 0, period_codes, len(period_values))
    unit_codes = np.where(unit_codes >= 0, unit_codes, len(unit_values))
    keys, group = np.unique(period_codes * (len(unit_values) + 1) + unit_codes, return_inverse=True)
    periods = np.append(np.asarray(period_values, dtype=object), np.nan)[keys // (len(unit_values) + 1)]
    units = np.append(np.asarray(unit_values, dtype=object), None)[keys % (len(unit_values) + 1)]
    return group.reshape(-1), periods, units


def _ikm_of(periods: np.ndarray, units: np.ndarray, ikm: pd.DataFrame, by_unit: bool) -> dict:
    """The ikm and ikm_quality of each group: its (period[, unit]) row of `ikm`, the first if repeated.

    The columns a left merge on the keys gives (missing keys match missing keys; unmatched → NaN), by
    a dict of a few dozen keys instead of the merge's machinery.
    """
    names = ("period", "unit") if by_unit else ("period",)
    theirs = [_missing_as_none(ikm[name].to_numpy(dtype=object)) for name in names]
    ours = [_missing_as_none(values) for values in ((periods, units) if by_unit else (periods,))]
    row_of: dict[tuple, int] = {}
    for i, key in enumerate(zip(*theirs, strict=True)):
        row_of.setdefault(key, i)
    match = np.array([row_of.get(key, -1) for key in zip(*ours, strict=True)], dtype=np.int64)
    values = np.append(ikm["ikm"].to_numpy(dtype="float64"), np.nan)
    # The dtype the merge gives is the one a Series of the object values infers ("str" for text).
    quality = pd.Series(ikm["ikm_quality"].to_numpy(dtype=object)).array
    return {"ikm": values[match], "ikm_quality": pd.Series(quality.take(match, allow_fill=True))}


def _missing_as_none(values: np.ndarray) -> np.ndarray:
    return np.where(pd.isna(values), None, values)


def _object_column(values: list) -> np.ndarray:
    # Assigning a list of tuples directly would make pandas try to unpack them.
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column
