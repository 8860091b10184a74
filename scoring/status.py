"""Completeness status and its reasons per employee and period."""

from __future__ import annotations

import numpy as np

from ._groups import tuples_from_bits

REASONS = ("no_indicators", "no_realisation", "missing_realisation", "no_supervisor_rating",
           "rows_rejected", "missing_month")
"""Reason codes, in the order they are listed:
no SKP rows; no realisation in the period's months; a main indicator without
capaian; no supervisor behaviour rating (nor a supervisor's behaviour_rating);
a rejected row the result would rest on; a month without realisation before
the period's end."""


def status_reasons(
    no_indicators, no_realisation, missing_realisation, no_supervisor_rating,
    rows_rejected=None, missing_month=None,
) -> tuple[np.ndarray, np.ndarray]:
    """("complete" | "incomplete", tuple of reason codes) per row, vectorised.

    "no_realisation" and "missing_realisation" only apply to employees that
    have indicators.

    Examples:
        >>> status, reasons = status_reasons([True, False], [True, False], [False, False],
        ...     [True, False])
        >>> status.tolist(), reasons.tolist()
        (['incomplete', 'complete'], [('no_indicators', 'no_supervisor_rating'), ()])
    """
    no_indicators = np.asarray(no_indicators, dtype=bool)
    flags = (
        no_indicators,
        np.asarray(no_realisation, dtype=bool) & ~no_indicators,
        np.asarray(missing_realisation, dtype=bool) & ~no_indicators,
        np.asarray(no_supervisor_rating, dtype=bool),
        _flag(rows_rejected, len(no_indicators)),
        _flag(missing_month, len(no_indicators)) & ~no_indicators,
    )
    bits = np.zeros(len(no_indicators), dtype=np.int64)
    for i, flag in enumerate(flags):
        bits |= flag.astype(np.int64) << i
    reasons = tuples_from_bits(
        bits, lambda combo: tuple(code for i, code in enumerate(REASONS) if combo >> i & 1)
    )
    status = np.array(["complete", "incomplete"], dtype=object)[(bits != 0).astype(np.int64)]
    return status, reasons


def _flag(values, n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool) if values is None else np.asarray(values, dtype=bool)
