"""The supervisor's final word (Penilaian Atasan): rating overrides per period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._groups import key_codes
from .bands import RATINGS
from .errors import ScoringError
from .frames import require_columns
from .periods import validate_period
from .settings import Settings


def supervisor_ratings_for(
    supervisor_ratings: pd.DataFrame, column: str, settings: Settings
) -> pd.DataFrame:
    """The given supervisor ratings of one kind, one row per (period, nip).

    Args:
        supervisor_ratings: period, nip, work_rating, behaviour_rating.
        column: "work_rating" or "behaviour_rating".
        settings: year and period_type, to validate the period labels.

    Returns:
        A new frame (period, nip, rating) without missing ratings; for a
        repeated (period, nip) the later row wins. ScoringError on a bad
        period label or rating code.

    Examples:
        >>> sr = pd.DataFrame({"period": ["2026-01", "2026-01"], "nip": ["1", "2"],
        ...     "work_rating": ["above", None], "behaviour_rating": [None, "below"]})
        >>> supervisor_ratings_for(sr, "work_rating", Settings()).to_dict("records")
        [{'period': '2026-01', 'nip': '1', 'rating': 'above'}]
    """
    require_columns(supervisor_ratings, "supervisor_ratings", ("period", "nip", column))
    # Columns taken one by one at the rated rows: selecting rows and columns of the frame, mapping
    # and de-duplicating it cost five times as much on the few dozen rows of a sheet.
    rows = np.flatnonzero(supervisor_ratings[column].notna().to_numpy())
    rating, period, nip = (supervisor_ratings[name].iloc[rows] for name in (column, "period", "nip"))
    bad = [value not in RATINGS for value in rating.to_numpy(dtype=object)]
    if any(bad):
        raise ScoringError(
            f"Supervisor {column} {rating.iloc[bad.index(True)]!r} is not one of "
            f"{', '.join(RATINGS)}"
        )
    labels = {
        label: validate_period(label, settings.year, settings.period_type)
        for label in pd.unique(period)
    }
    period = period.map(labels)
    kept = _last_rows(period, nip)
    return pd.DataFrame({"period": _taken(period, kept), "nip": _taken(nip, kept),
                         "rating": _taken(rating, kept)})


def _last_rows(first: pd.Series, second: pd.Series) -> np.ndarray:
    """The row where each distinct (first, second) pair last appears, in row order.

    The rows `latest_by_key` keeps (missing values equal), from the two columns' codes.
    """
    pairs = key_codes(first, second)
    _, from_end = np.unique(pairs[::-1], return_index=True)
    return np.sort(len(pairs) - 1 - from_end)


def _taken(column: pd.Series, rows: np.ndarray):
    """`column`'s values at `rows` (positions), as a frame keeps them with the column's dtype.

    An array (a frame of arrays is built at a third of the cost of one of Series), except for an
    object column: the frame would read its text again as "str".
    """
    values = column.array.take(rows)
    return pd.Series(values, dtype=object) if column.dtype == object else values


def combine(auto_rating, override) -> tuple[np.ndarray, np.ndarray]:
    """The override where given, else the automatic rating; plus a from-supervisor mask.

    Examples:
        >>> rating, from_supervisor = combine(["meets", None], [None, "above"])
        >>> rating.tolist(), from_supervisor.tolist()
        (['meets', 'above'], [False, True])
    """
    override = pd.Series(override, dtype=object)
    from_supervisor = override.notna().to_numpy()
    out = np.where(from_supervisor, override.to_numpy(), pd.Series(auto_rating, dtype=object))
    out[pd.isna(out)] = None
    return out, from_supervisor
