"""Rule 10: follow-up codes (Tindak Lanjut) per employee."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._groups import tuples_from_bits
from .bands import round9
from .frames import VALUE_COLUMNS
from .predikat import PREDIKATS

TRAINING_BELOW = 3
"""A BerAKHLAK value scoring below this calls for training on it."""


def follow_up(predikat, value_scores: pd.DataFrame, ikm_quality) -> np.ndarray:
    """Follow-up codes per row, as tuples in a fixed order.

    Order: "award" (very_good) / "coaching" (needs_improvement) /
    "intensive_coaching" (poor, very_poor); then "training:<value>" for each
    BerAKHLAK value scoring below 3, in VALUE_COLUMNS order; then
    "service_coaching" when the employee's IKM mutu is C or D.

    Args:
        predikat: predikat code per row (None when unrated).
        value_scores: one column per value, named value_<value> (value_service …).
        ikm_quality: the employee IKM's mutu (A–D) per row, or None.

    Returns:
        An object array of tuples (empty tuple when nothing applies).

    Examples:
        >>> values = pd.DataFrame({f"value_{v}": [4.0, 2.9] for v in VALUE_COLUMNS})
        >>> follow_up(["very_good", "poor"], values, [None, "D"]).tolist()[0]
        ('award',)
    """
    leads = ("award", "coaching", "intensive_coaching")
    # Lead code 1/2/3 per predikat (0: none), read from categorical codes, not strings.
    lead_of = np.array([1, 0, 2, 3, 3, 0], dtype=np.int64)  # PREDIKATS order, then missing
    codes = pd.Categorical(pd.Series(predikat, dtype=object), categories=PREDIKATS).codes
    bits = lead_of[codes]
    labels = [f"training:{value}" for value in VALUE_COLUMNS] + ["service_coaching"]
    flags = [round9(value_scores[f"value_{value}"]) < TRAINING_BELOW for value in VALUE_COLUMNS]
    flags.append(pd.Series(ikm_quality, dtype=object).isin(["C", "D"]).to_numpy())
    # Each row's codes as one integer: 2 bits of lead code, then one bit per label.
    for i, flag in enumerate(flags):
        bits |= np.asarray(flag, dtype=np.int64) << (i + 2)

    def build(combo: int) -> tuple[str, ...]:
        codes = [leads[(combo & 3) - 1]] if combo & 3 else []
        return tuple(codes + [label for i, label in enumerate(labels) if combo >> (i + 2) & 1])

    return tuples_from_bits(bits, build)
