"""Rule 4: Nilai Perilaku (1–5) from 360° BerAKHLAK ratings, per employee and period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._groups import nested_group_ids
from .bands import rate, round9
from .errors import ScoringError
from .frames import VALUE_COLUMNS, require_columns
from .periods import all_periods, month_to_period_index
from .settings import Settings, as_float

ROLES = ("supervisor", "peer", "subordinate", "self")
VALUE_SCORE_COLUMNS = tuple(f"value_{name}" for name in VALUE_COLUMNS)
BEHAVIOUR_COLUMNS = (
    "period",
    "nip",
    "behaviour_score",
    "self_score",
    "supervisor_rated",
    *VALUE_SCORE_COLUMNS,
)


def behaviour_scores(
    behaviours: pd.DataFrame, settings: Settings, periods: list[str]
) -> pd.DataFrame:
    """Weighted 360° behaviour score per (period, nip), overall and per value.

    Rows count in the period their month falls in. Per rater: the mean of
    their values (over the 7 values and every row they gave in the period);
    per role: the mean over raters; then the supervisor/peer/subordinate
    weights renormalised over the roles that rated. Self ratings only give
    `self_score`. Without a supervisor-role rating there is no score at all
    (`supervisor_rated` False, scores NaN).

    Args:
        behaviours: month, nip (rated), rater_nip, role, and VALUE_COLUMNS (1–5).
        settings: period_type, year and rater_weight_* (percent).
        periods: validated period labels to score.

    Returns:
        A new frame with BEHAVIOUR_COLUMNS for every rated (period, nip);
        scores rounded to 9 decimals.

    Examples:
        >>> b = pd.DataFrame({"month": [1, 1], "nip": ["1", "1"], "rater_nip": ["9", "8"],
        ...     "role": ["supervisor", "peer"], "service": [5, 3], "accountable": [5, 3],
        ...     "competent": [5, 3], "harmonious": [5, 3], "loyal": [5, 3],
        ...     "adaptive": [5, 3], "collaborative": [5, 3]})
        >>> out = behaviour_scores(b, Settings(), ["2026-01"])
        >>> float(out["behaviour_score"].iloc[0])  # (5×50 + 3×30) / 80
        4.25
    """
    require_columns(behaviours, "behaviours", ("month", "nip", "rater_nip", "role", *VALUE_COLUMNS))
    role_codes, role_names = _role_codes(behaviours["role"])
    labels = np.array(all_periods(settings.year, settings.period_type), dtype=object)
    period = month_to_period_index(behaviours["month"], settings.period_type)
    # Which of the dozen labels are wanted, then a take per row: np.isin on the rows' label strings
    # hashed every row's text.
    kept = np.flatnonzero(np.isin(labels, list(periods))[period])
    period, role_codes = period[kept], role_codes[kept]
    values = behaviours[list(VALUE_COLUMNS)].to_numpy(dtype="float64", na_value=np.nan)[kept]
    # Column 0 is the overall score: the mean of the 7 values of each row.
    values = np.column_stack([values.mean(axis=1), values])

    # the groups of (period, nip), of (…, role) and of (…, rater_nip) from one coding of the keys;
    # period and role grouped by their integer codes (the same groups as by their text)
    rows = pd.DataFrame({"period": period, "nip": behaviours["nip"].array.take(kept), "role": role_codes,
                         "rater_nip": behaviours["rater_nip"].array.take(kept)}, copy=False)
    _, (person_ids, person_first), (role_ids, role_first), (rater_ids, rater_first) = nested_group_ids(
        rows, ["period", "nip", "role", "rater_nip"])
    per_rater = _mean_rows(rater_ids, len(rater_first), values)
    per_role = _mean_rows(role_ids[rater_first], len(role_first), per_rater)  # over each role's raters
    ids = person_ids[role_first]
    role = role_names[role_codes[role_first]]
    weight = np.select(
        [role == "supervisor", role == "peer", role == "subordinate"],
        [as_float(w) for w in (settings.rater_weight_supervisor, settings.rater_weight_peer,
                               settings.rater_weight_subordinate)],
        default=0.0,
    )
    n = len(person_first)
    total = _sum_rows(ids, n, per_role * weight[:, None])
    weight_sum = np.bincount(ids, weights=weight, minlength=n)
    supervisor_rated = np.bincount(ids, weights=role == "supervisor", minlength=n) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = total / weight_sum[:, None]
    scores[~(supervisor_rated & (weight_sum > 0))] = np.nan
    self_score = np.full(n, np.nan)
    is_self = role == "self"
    self_score[ids[is_self]] = per_role[is_self, 0]

    return pd.DataFrame({
        # the period labels as an object array, which the frame infers "str" from (as it did)
        "period": labels[period[person_first]],
        "nip": behaviours["nip"].iloc[kept[person_first]].reset_index(drop=True),
        "behaviour_score": round9(scores[:, 0]),
        "self_score": round9(self_score),
        "supervisor_rated": supervisor_rated,
        **{column: round9(scores[:, i]) for i, column in enumerate(VALUE_SCORE_COLUMNS, start=1)},
    })


def _role_codes(roles: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's code into the distinct role names (an object array); ScoringError on an unknown role.

    The few distinct names are checked, not every row's text.
    """
    codes, names = pd.factorize(roles, use_na_sentinel=False)
    names = np.asarray(names, dtype=object)
    unknown = np.array([name not in ROLES for name in names], dtype=bool)
    if unknown.any():
        first = roles.iloc[int(np.flatnonzero(unknown[codes])[0])]
        raise ScoringError(f"Behaviour rater role {first!r} is not one of {', '.join(ROLES)}")
    return codes, names


def _mean_rows(ids: np.ndarray, n: int, values: np.ndarray) -> np.ndarray:
    """Column-wise mean of `values` per group id (0 … n-1)."""
    counts = np.bincount(ids, minlength=n)
    return _sum_rows(ids, n, values) / counts[:, None]


def _sum_rows(ids: np.ndarray, n: int, values: np.ndarray) -> np.ndarray:
    columns = [np.bincount(ids, weights=values[:, j], minlength=n) for j in range(values.shape[1])]
    return np.column_stack(columns)


def behaviour_rating(scores, settings: Settings) -> np.ndarray:
    """Rating Perilaku Kerja from scores: ≥ behaviour_above, ≥ behaviour_meets, else below.

    Examples:
        >>> behaviour_rating([4.5, 4.499999, 3.5, 3.4], Settings()).tolist()
        ['above', 'meets', 'meets', 'below']
    """
    return rate(scores, settings.behaviour_above, settings.behaviour_meets)
