"""Rule 8: ranks within unit and agency, and the change against the previous period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._groups import cumcount_sorted, key_codes, ordered_codes
from .frames import require_columns
from .predikat import PREDIKATS


def rank_employees(results: pd.DataFrame) -> pd.DataFrame:
    """Unit and agency ranks per period among employees that have a predikat.

    Order: predikat (very_good first), performance_score desc, work_achievement
    desc (missing scores last), then nip asc. Every ranked employee gets a
    distinct rank 1..n, so the result does not depend on row order.

    Args:
        results: period, nip, unit, predikat, performance_score, work_achievement.

    Returns:
        A copy of `results` with Int64 columns unit_rank and agency_rank
        (missing for employees without a predikat), in the original row order.

    Examples:
        >>> r = pd.DataFrame({"period": ["2026-01"] * 3, "nip": ["3", "2", "1"],
        ...     "unit": ["A", "A", "B"], "predikat": ["good", "good", "very_good"],
        ...     "performance_score": [90.0, 90.0, 80.0], "work_achievement": [100.0] * 3})
        >>> ranked = rank_employees(r)
        >>> ranked["agency_rank"].tolist(), ranked["unit_rank"].tolist()
        ([3, 2, 1], [2, 1, 1])
    """
    require_columns(results, "results", ("period", "nip", "unit", "predikat",
                                         "performance_score", "work_achievement"))
    agency_rank, unit_rank = ranks(*(results[column] for column in (
        "period", "nip", "unit", "predikat", "performance_score", "work_achievement")))
    out = results.copy(deep=False)  # copy-on-write: the million-row columns are not duplicated
    out["agency_rank"] = agency_rank
    out["unit_rank"] = unit_rank
    return out


def ranks(period: pd.Series, nip: pd.Series, unit: pd.Series, predikat: pd.Series,
          performance_score: pd.Series, work_achievement: pd.Series) -> tuple[pd.arrays.IntegerArray, ...]:
    """(agency_rank, unit_rank) per row, as `rank_employees` adds them, from the columns alone.

    The scoring pipeline ranks its own working frame this way: no copy of the frame with the
    predikat masked, no copy with the ranks added.
    """
    # Each row's place in PREDIKATS, best first (-1: no predikat): one coding of the column, and
    # a look-up of its few distinct values.
    codes, uniques = pd.factorize(predikat)
    predikat_order = np.array([PREDIKATS.index(code) if code in PREDIKATS else -1 for code in uniques] + [-1],
                              dtype=np.int64)[codes]
    ranked = np.flatnonzero(predikat_order >= 0)
    period_codes = ordered_codes(period)[ranked]
    unit_codes = ordered_codes(unit)[ranked]
    # np.lexsort: last key first; NaN sorts last, so missing scores go after the rest.
    sort = np.lexsort((
        ordered_codes(nip)[ranked],
        -work_achievement.to_numpy(dtype="float64")[ranked],
        -performance_score.to_numpy(dtype="float64")[ranked],
        predikat_order[ranked],
        period_codes,
    ))
    rows = ranked[sort]
    agency = cumcount_sorted(period_codes[sort]) + 1
    # A stable regroup by (period, unit) keeps the ranking order inside each unit.
    group = period_codes[sort] * (unit_codes.max(initial=0) + 1) + unit_codes[sort]
    by_unit = np.argsort(group, kind="stable")
    unit_rank = np.empty(len(rows), dtype=np.int64)
    unit_rank[by_unit] = cumcount_sorted(group[by_unit]) + 1
    return _ranks(len(predikat), rows, agency), _ranks(len(predikat), rows, unit_rank)


def _ranks(n: int, rows: np.ndarray, ranks: np.ndarray) -> pd.arrays.IntegerArray:
    values = np.zeros(n, dtype=np.int64)
    values[rows] = ranks
    mask = np.ones(n, dtype=bool)
    mask[rows] = False
    return pd.arrays.IntegerArray(values, mask)


def rank_change(current: pd.DataFrame, previous: pd.DataFrame) -> pd.Series:
    """Previous agency rank − current agency rank per row of `current` (Int64).

    Positive means the employee moved up; missing when they were not ranked
    in `previous` or are not ranked now.

    Args:
        current: nip, agency_rank for one period.
        previous: nip, agency_rank for the period before.

    Examples:
        >>> cur = pd.DataFrame({"nip": ["1", "2"], "agency_rank": [1, 2]})
        >>> rank_change(cur, pd.DataFrame({"nip": ["2"], "agency_rank": [1]})).tolist()
        [<NA>, -1]
    """
    now = current["agency_rank"].to_numpy(dtype="float64", na_value=np.nan)
    then = previous["agency_rank"].to_numpy(dtype="float64", na_value=np.nan)
    if _same_keys(current["nip"], previous["nip"]):
        prior = then  # same employees in the same order: no lookup needed
    else:
        before = pd.Series(then, index=previous["nip"].astype(str).to_numpy(dtype=object))
        before = before.dropna()
        prior = before.reindex(current["nip"].astype(str).to_numpy(dtype=object)).to_numpy()
    return pd.Series(pd.array(prior - now, dtype="Int64"), index=current.index, name="rank_change")


def _same_keys(a: pd.Series, b: pd.Series) -> bool:
    if len(a) != len(b):
        return False
    if isinstance(a.dtype, pd.CategoricalDtype) and a.dtype == b.dtype:
        return bool(np.array_equal(a.cat.codes.to_numpy(), b.cat.codes.to_numpy()))
    return bool(np.array_equal(a.astype(str).to_numpy(dtype=object),
                               b.astype(str).to_numpy(dtype=object)))


def best_employee(results: pd.DataFrame) -> np.ndarray:
    """Rule 9: mark the Pegawai Terbaik of each (period, unit).

    The best-ranked employee in the unit whose status is "complete" and whose
    predikat is good or very_good; a unit may have none.

    Args:
        results: period, unit, unit_rank, status, predikat.

    Returns:
        A boolean array aligned with the rows of `results`.

    Examples:
        >>> r = pd.DataFrame({"period": ["2026-01"] * 2, "unit": ["A", "A"],
        ...     "unit_rank": [1, 2], "status": ["incomplete", "complete"],
        ...     "predikat": ["very_good", "good"]})
        >>> best_employee(r).tolist()
        [False, True]
    """
    require_columns(results, "results", ("period", "unit", "unit_rank", "status", "predikat"))
    rank = results["unit_rank"].to_numpy(dtype="float64", na_value=np.nan)
    eligible = (
        (results["status"].to_numpy(dtype=object) == "complete")
        & results["predikat"].isin(["very_good", "good"]).to_numpy()
        & ~np.isnan(rank)
    )
    rows = np.flatnonzero(eligible)
    group = key_codes(results["period"], results["unit"])[rows]
    # Per (period, unit): the lowest rank, the earliest row among equal ranks (what idxmin picks);
    # a sort of the few eligible rows instead of a frame and a groupby.
    order = np.lexsort((rank[rows], group))
    starts = np.r_[True, group[order][1:] != group[order][:-1]] if len(rows) else np.zeros(0, dtype=bool)
    out = np.zeros(len(results), dtype=bool)
    out[rows[order][starts]] = True
    return out
