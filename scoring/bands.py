"""Three-way ratings (above / meets / below) from two thresholds, float-noise safe."""

from __future__ import annotations

import numpy as np

from .settings import Number, band_threshold

RATINGS = ("above", "meets", "below")
"""Rating codes: Di Atas / Sesuai / Di Bawah Ekspektasi."""

DECIMALS = 9
"""Values deciding a band are rounded to this many decimals first."""


def round9(values) -> np.ndarray:
    """Float values rounded to 9 decimals (NaN kept), so 110.00000000000001 → 110.0."""
    return np.round(np.asarray(values, dtype="float64"), DECIMALS)


def rate_codes(values, above: Number, meets: Number) -> np.ndarray:
    """Rating codes as int8 positions in RATINGS (0 above, 1 meets, 2 below), -1 for NaN."""
    rounded = round9(values)
    out = np.full(rounded.shape, -1, dtype=np.int8)
    out[rounded < band_threshold(meets)] = 2
    out[rounded >= band_threshold(meets)] = 1
    out[rounded >= band_threshold(above)] = 0
    return out


def rate(values, above: Number, meets: Number) -> np.ndarray:
    """Rate each value: ≥ above → "above", ≥ meets → "meets", else "below"; NaN → None.

    Examples:
        >>> rate([110.0, 109.999999, 90.0, 89.9, float("nan")], 110, 90).tolist()
        ['above', 'meets', 'meets', 'below', None]
    """
    labels = np.array([*RATINGS, None], dtype=object)
    return labels[rate_codes(values, above, meets)]
