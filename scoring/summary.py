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
    frame = pd.DataFrame({
        "period": results["period"].to_numpy(dtype=object),
        "unit": results["unit"].to_numpy(dtype=object) if by_unit else None,
        "predikat": results["predikat"].to_numpy(dtype=object),
        "score": results["performance_score"].to_numpy(dtype="float64"),
    })
    frame = frame.assign(**{
        column: frame["predikat"].eq(code) for code, column in zip(PREDIKATS, COUNT_COLUMNS, strict=True)
    })
    # The frame `.agg(employees=("period", "size"), scored=("predikat", "count"), mean_score=("score",
    # "mean"), count_…=(…, "sum"))` makes, without its per-column machinery (half the time here).
    grouped = frame.groupby(["period", "unit"], dropna=False, sort=True)
    out = pd.concat([grouped.size().rename("employees"), grouped["predikat"].count().rename("scored"),
                     grouped["score"].mean().rename("mean_score"), grouped[list(COUNT_COLUMNS)].sum()],
                    axis=1).reset_index()
    out = _attach_ikm(out, ikm, by_unit)
    if settings.org_predikat is None:
        out["distribution_ok"] = np.full(len(out), None, dtype=object)
        out["breaches"] = _object_column([()] * len(out))
    else:
        checks = [
            check_distribution(dict(zip(PREDIKATS, row, strict=True)), settings.org_predikat)
            for row in out[list(COUNT_COLUMNS)].itertuples(index=False)
        ]
        out["breaches"] = _object_column(checks)
        out["distribution_ok"] = _object_column(
            [None if scored == 0 else not check
             for scored, check in zip(out["scored"], checks, strict=True)]
        )
    out["unit"] = out["unit"].astype(object).where(out["unit"].notna(), None)
    return out[list(SUMMARY_COLUMNS)]


def _attach_ikm(out: pd.DataFrame, ikm: pd.DataFrame, by_unit: bool) -> pd.DataFrame:
    keys = ["period", "unit"] if by_unit else ["period"]
    lookup = pd.DataFrame({
        **{key: ikm[key].to_numpy(dtype=object) for key in keys},
        "ikm": ikm["ikm"].to_numpy(dtype="float64"),
        "ikm_quality": ikm["ikm_quality"].to_numpy(dtype=object),
    }).drop_duplicates(keys)
    out = out.assign(**{key: out[key].astype(object) for key in keys})
    return out.merge(lookup, on=keys, how="left")


def _object_column(values: list) -> np.ndarray:
    # Assigning a list of tuples directly would make pandas try to unpack them.
    column = np.empty(len(values), dtype=object)
    column[:] = values
    return column
