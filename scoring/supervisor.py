"""The supervisor's final word (Penilaian Atasan): rating overrides per period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._groups import latest_by_key
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
    given = supervisor_ratings.loc[supervisor_ratings[column].notna(), ["period", "nip", column]]
    bad = ~given[column].isin(RATINGS)
    if bad.any():
        raise ScoringError(
            f"Supervisor {column} {given.loc[bad, column].iloc[0]!r} is not one of "
            f"{', '.join(RATINGS)}"
        )
    labels = {
        label: validate_period(label, settings.year, settings.period_type)
        for label in pd.unique(given["period"])
    }
    given = given.assign(period=given["period"].map(labels)).rename(columns={column: "rating"})
    return latest_by_key(given, ["period", "nip"])


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
