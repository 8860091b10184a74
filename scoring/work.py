"""Rules 2–3: Capaian Hasil Kerja and the automatic Rating Hasil Kerja per employee."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._groups import group_ids, group_sum
from .bands import rate, round9
from .frames import require_columns
from .settings import Settings

WORK_COLUMNS = (
    "period",
    "nip",
    "work_achievement",
    "work_rating",
    "indicator_count",
    "reported",
    "main_missing",
)


def work_summary(indicator_scores: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Capaian Hasil Kerja and the automatic work rating, one row per (period, nip).

    Capaian Hasil Kerja is the weighted mean capaian of the main indicators
    plus the additional indicators that carry a weight, over those that have a
    capaian. A main indicator without a weight weighs the mean of the
    employee's given main weights, or 100 / (number of main indicators) when
    none is given, so additional weights (in %) stay comparable.

    The automatic rating follows `settings.work_rating_method`: "majority"
    (see `majority_rating`, weights ignored, every indicator with a capaian
    counts) or "mean" (the thresholds applied to Capaian Hasil Kerja).

    Args:
        indicator_scores: period, nip, rhk_type, weight, capaian, rating,
            reported (as returned by `indicator_scores`).
        settings: work_above, work_meets, work_rating_method.

    Returns:
        A new frame with WORK_COLUMNS; only employees that have indicators.
        `indicator_count` counts their indicators, `reported` says whether any
        has a realisation in the period's own months, `main_missing` whether a
        main indicator has no capaian. The rating is missing when no indicator
        has a capaian.

    Examples:
        >>> scores = pd.DataFrame({"period": ["2026-01"] * 2, "nip": ["1", "1"],
        ...     "rhk_type": ["main", "main"], "weight": [75.0, 25.0],
        ...     "capaian": [120.0, 80.0], "rating": ["above", "below"],
        ...     "reported": [True, True]})
        >>> work_summary(scores, Settings())[["work_achievement", "work_rating"]].to_dict("records")
        [{'work_achievement': 110.0, 'work_rating': 'meets'}]
    """
    require_columns(indicator_scores, "indicator scores",
                    ("period", "nip", "rhk_type", "weight", "capaian", "rating", "reported"))
    ids, keys = group_ids(indicator_scores, ["period", "nip"])
    n = len(keys)
    # Series.eq is cheap on the categorical columns of `indicator_scores`.
    main = indicator_scores["rhk_type"].eq("main").to_numpy(dtype=bool)
    weight = indicator_scores["weight"].to_numpy(dtype="float64")
    capaian = indicator_scores["capaian"].to_numpy(dtype="float64")
    has = ~np.isnan(capaian)
    effective = _effective_weights(ids, n, main, weight)
    counted = has & (effective > 0)
    numerator = group_sum(ids, n, np.where(counted, effective * np.where(has, capaian, 0), 0))
    denominator = group_sum(ids, n, np.where(counted, effective, 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        achievement = round9(np.where(denominator > 0, numerator / denominator, np.nan))

    above = indicator_scores["rating"].eq("above").to_numpy(dtype=bool)
    below = indicator_scores["rating"].eq("below").to_numpy(dtype=bool)
    if settings.work_rating_method == "mean":
        work_rating = rate(achievement, settings.work_above, settings.work_meets)
    else:
        work_rating = majority_rating(
            n_rated=np.bincount(ids, weights=has, minlength=n),
            n_above=np.bincount(ids, weights=above, minlength=n),
            n_below=np.bincount(ids, weights=below, minlength=n),
            main_below=np.bincount(ids, weights=main & below, minlength=n) > 0,
        )
    reported = indicator_scores["reported"].to_numpy(dtype=bool)
    out = keys.assign(
        work_achievement=achievement,
        work_rating=work_rating,
        indicator_count=np.bincount(ids, minlength=n).astype(np.int64),
        reported=np.bincount(ids, weights=reported, minlength=n) > 0,
        main_missing=np.bincount(ids, weights=main & ~has, minlength=n) > 0,
    )
    return out


def _effective_weights(ids, n, main, weight) -> np.ndarray:
    """Per-row weight: given weights, unweighted mains filled, unweighted additionals 0."""
    given = ~np.isnan(weight)
    n_main = np.bincount(ids, weights=main, minlength=n)
    n_main_given = np.bincount(ids, weights=main & given, minlength=n)
    main_given_sum = group_sum(ids, n, np.where(main & given, weight, 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        fill = np.where(n_main_given > 0, main_given_sum / n_main_given, 100 / n_main)
    return np.where(given, weight, np.where(main, fill[ids], 0.0))


def majority_rating(n_rated, n_above, n_below, main_below) -> np.ndarray:
    """The majority rule of the BKN guidance, vectorised over employees.

    "above" when more than half of the rated indicators are above and no main
    indicator is below; "below" when more than half are below; else "meets";
    None when nothing is rated.

    Examples:
        >>> majority_rating([3, 3, 2, 0], [2, 2, 1, 0], [0, 1, 1, 0], [False, True, False, False]).tolist()
        ['above', 'meets', 'meets', None]
    """
    n_rated = np.asarray(n_rated)
    n_above = np.asarray(n_above)
    n_below = np.asarray(n_below)
    out = np.full(n_rated.shape, "meets", dtype=object)
    out[(2 * n_above > n_rated) & ~np.asarray(main_below, dtype=bool)] = "above"
    out[2 * n_below > n_rated] = "below"
    out[n_rated == 0] = None
    return out
