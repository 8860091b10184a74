"""Rule 7: Nilai Kinerja, the ranking score, from the parts that exist."""

from __future__ import annotations

import numpy as np

from .bands import round9
from .settings import Settings, as_float


def performance_score(work_achievement, behaviour_score, ikm, settings: Settings) -> np.ndarray:
    """Weighted mean of min(work, cap), behaviour × 20 and IKM, over the parts present.

    The weights (weight_work, weight_behaviour, weight_satisfaction) are
    renormalised over the parts that are not NaN; NaN when none is present.
    Rounded to 9 decimals so equal scores compare equal when ranking.

    Examples:
        >>> performance_score([100.0, 130.0, np.nan], [4.0, np.nan, np.nan],
        ...     [80.0, np.nan, np.nan], Settings()).tolist()  # 60·100+30·80+10·80
        [92.0, 120.0, nan]
    """
    work = np.minimum(np.asarray(work_achievement, dtype="float64"),
                      as_float(settings.capaian_cap))
    parts = (
        (work, as_float(settings.weight_work)),
        (np.asarray(behaviour_score, dtype="float64") * 20, as_float(settings.weight_behaviour)),
        (np.asarray(ikm, dtype="float64"), as_float(settings.weight_satisfaction)),
    )
    total = np.zeros(work.shape)
    weights = np.zeros(work.shape)
    for values, weight in parts:
        present = ~np.isnan(values)
        total += np.where(present, values * weight, 0.0)
        weights += np.where(present, weight, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return round9(np.where(weights > 0, total / weights, np.nan))
