"""Rule 5: Predikat Kinerja from the two ratings (the 3×3 matrix of domain.md §1.3)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .bands import RATINGS

PREDIKATS = ("very_good", "good", "needs_improvement", "poor", "very_poor")
"""Predikat codes, best first: Sangat Baik, Baik, Butuh Perbaikan,
Kurang/Misconduct, Sangat Kurang. This is also the ranking order."""

MATRIX = {
    # (work rating, behaviour rating) → predikat
    ("above", "below"): "poor",
    ("above", "meets"): "good",
    ("above", "above"): "very_good",
    ("meets", "below"): "poor",
    ("meets", "meets"): "good",
    ("meets", "above"): "good",
    ("below", "below"): "very_poor",
    ("below", "meets"): "needs_improvement",
    ("below", "above"): "needs_improvement",
}


def predikat(work_rating, behaviour_rating) -> np.ndarray:
    """Predikat per row from the two ratings; None where either rating is missing.

    Examples:
        >>> predikat(["above", "meets", None], ["above", "below", "meets"]).tolist()
        ['very_good', 'poor', None]
    """
    # Rating codes 0/1/2 (above/meets/below) index a 3×3 table; -1 (missing) → None.
    table = np.full((4, 4), None, dtype=object)
    for (w, b), code in MATRIX.items():
        table[RATINGS.index(w), RATINGS.index(b)] = code
    work = pd.Categorical(pd.Series(work_rating, dtype=object), categories=RATINGS).codes
    behaviour = pd.Categorical(pd.Series(behaviour_rating, dtype=object), categories=RATINGS).codes
    return table[work, behaviour]
