"""Rule 1: capaian (achievement, %) of each individual indicator (IKI) per period."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .bands import RATINGS, rate_codes, round9
from .errors import ScoringError
from .frames import require_columns
from .periods import month_to_period_index, period_months
from .settings import Settings, as_float

INDICATOR_COLUMNS = (
    "period",
    "iki_code",
    "nip",
    "rhk_type",
    "weight",
    "realisation",
    "target",
    "target_max",
    "capaian",
    "rating",
    "reported",
    "flag",
)
"""Columns of `indicator_scores`' result (the Results.indicators frame)."""

FLAGS = ("no_realisation", "invalid_target")
"""Indicator flag codes."""

_CODES = {
    "aggregation": ("sum", "mean", "last"),
    "direction": ("up", "down"),
    "rhk_type": ("main", "additional"),
}


def indicator_scores(
    indicators: pd.DataFrame,
    realisations: pd.DataFrame,
    settings: Settings,
    periods: list[str],
) -> pd.DataFrame:
    """Capaian of every indicator for every period, one row per (period, iki_code).

    Realisations are accumulated from month 1 to the period's last month (sum,
    mean, or the latest month with data). The target is the aggregate of the
    `period_target`s given in those months, else the annual target (prorated
    by months elapsed for "sum"). A range target (`target_max`) scores 100
    inside the range and against the nearer bound outside it. Capaian is capped
    at `settings.capaian_cap` and rounded to 9 decimals.

    Args:
        indicators: iki_code (unique), nip, rhk_type, target, target_max,
            direction, aggregation, weight.
        realisations: iki_code, month (1–12), value, period_target. Rows of
            unknown indicators are ignored; a repeated (iki_code, month) keeps
            the later row.
        settings: thresholds (work_above, work_meets) and capaian_cap.
        periods: validated period labels of `settings.period_type`.

    Returns:
        A new frame with INDICATOR_COLUMNS, period-major. The code columns
        period, rhk_type, rating and flag are Categorical (the frame has a row
        per indicator and period: millions of rows). `realisation` and `capaian` are NaN
        and `flag` is "no_realisation" when nothing was reported up to the
        period end; `flag` is "invalid_target" when the target is not positive.
        `reported` is True when a realisation falls in the period's own months.

    Examples:
        >>> ind = pd.DataFrame({"iki_code": ["K1"], "nip": ["1"], "rhk_type": ["main"],
        ...     "target": [12.0], "target_max": [np.nan], "direction": ["up"],
        ...     "aggregation": ["sum"], "weight": [np.nan]})
        >>> real = pd.DataFrame({"iki_code": ["K1"] * 3, "month": [1, 2, 3],
        ...     "value": [1.0, 1.0, 1.3], "period_target": [np.nan] * 3})
        >>> out = indicator_scores(ind, real, Settings(period_type="quarterly"), ["2026-T1"])
        >>> out[["realisation", "target", "capaian", "rating"]].to_dict("records")
        [{'realisation': 3.3, 'target': 3.0, 'capaian': 110.0, 'rating': 'above'}]
    """
    require_columns(indicators, "indicators", ("iki_code", "nip", "rhk_type", "target",
                    "target_max", "direction", "aggregation", "weight"))
    require_columns(realisations, "realisations", ("iki_code", "month", "value",
                    "period_target"))
    ind = indicators.reset_index(drop=True)
    for column, allowed in _CODES.items():
        _check_codes(ind, column, allowed)
    value, ptarget = _month_matrices(ind["iki_code"], realisations)
    stats = _Cumulative(value), _Cumulative(ptarget)
    # 0 sum, 1 mean, 2 last: integer codes keep the 12 period passes cheap.
    agg = pd.Categorical(ind["aggregation"], categories=_CODES["aggregation"]).codes
    parts = [
        _period_arrays(ind, agg, stats, settings, period_months(label, settings.year,
                                                                settings.period_type))
        for label in periods
    ]
    n, count = len(ind), len(periods)
    # Row i of period p is indicator i: the text columns are takes, not new strings.
    take = np.tile(np.arange(n), count)
    columns = {
        name: _stack(parts, name, np.float64)
        for name in ("weight", "realisation", "target", "target_max", "capaian")
    }
    return pd.DataFrame(
        {
            "period": pd.Categorical.from_codes(np.repeat(np.arange(count), n), categories=periods),
            "iki_code": ind["iki_code"].array.take(take),
            "nip": ind["nip"].array.take(take),
            "rhk_type": pd.Categorical(ind["rhk_type"], categories=_CODES["rhk_type"]).take(take),
            **columns,
            "rating": pd.Categorical.from_codes(_stack(parts, "rating", np.int8), categories=RATINGS),
            "reported": _stack(parts, "reported", bool),
            "flag": pd.Categorical.from_codes(_stack(parts, "flag", np.int8), categories=FLAGS),
        },
        copy=False,  # the arrays are fresh; copying 6 million rows into one block costs ~1 s
    )


def _stack(parts: list[dict], name: str, dtype) -> np.ndarray:
    if not parts:
        return np.zeros(0, dtype=dtype)
    return np.concatenate([part[name] for part in parts]).astype(dtype)


def _check_codes(ind: pd.DataFrame, column: str, allowed: tuple[str, ...]) -> None:
    bad = ~ind[column].isin(allowed)
    if bad.any():
        row = ind.loc[bad].iloc[0]
        raise ScoringError(
            f"Indicator {row['iki_code']!r} has {column} {row[column]!r}; "
            f"use one of {', '.join(allowed)}"
        )


def _month_matrices(codes: pd.Series, realisations: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """Indicator × 12-month matrices of value and period_target (NaN = not given)."""
    index = pd.Index(codes)
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise ScoringError(f"Indicator code {dup!r} appears more than once; codes must be unique")
    row = index.get_indexer(realisations["iki_code"])
    month0 = month_to_period_index(realisations["month"], "monthly")
    key = row.astype(np.int64) * 12 + month0
    keep = row >= 0
    # Repeated (indicator, month) rows: the later one wins, as in the sheet.
    keep &= ~pd.Series(np.where(keep, key, -1)).duplicated(keep="last").to_numpy()
    out = []
    for column in ("value", "period_target"):
        matrix = np.full(len(index) * 12, np.nan)
        matrix[key[keep]] = np.asarray(realisations[column], dtype="float64")[keep]
        out.append(matrix.reshape(len(index), 12))
    return tuple(out)


class _Cumulative:
    """Running count, sum and latest value of a month matrix along the months."""

    def __init__(self, matrix: np.ndarray) -> None:
        given = ~np.isnan(matrix)
        self.count = given.cumsum(axis=1)
        self.total = np.nancumsum(matrix, axis=1)
        # Forward fill: the column of the latest given month at or before each month.
        col = np.where(given, np.arange(12), -1)
        col = np.maximum.accumulate(col, axis=1)
        rows = np.arange(matrix.shape[0])[:, None]
        self.latest = np.where(col >= 0, matrix[rows, np.maximum(col, 0)], np.nan)

    def aggregate(self, agg: np.ndarray, last: int) -> tuple[np.ndarray, np.ndarray]:
        """(count, sum/mean/latest per `agg` code 0/1/2) over months 1..last; NaN if none."""
        count = self.count[:, last - 1]
        total = self.total[:, last - 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / count
        value = np.where(agg == 0, total, np.where(agg == 1, mean, self.latest[:, last - 1]))
        return count, np.where(count > 0, value, np.nan)


def _period_arrays(ind, agg, stats, settings, months) -> dict[str, np.ndarray]:
    first, last = months
    values, ptargets = stats
    count, realisation = values.aggregate(agg, last)
    pt_count, pt_value = ptargets.aggregate(agg, last)
    before = values.count[:, first - 2] if first > 1 else 0
    target = ind["target"].to_numpy(dtype="float64")
    target_max = ind["target_max"].to_numpy(dtype="float64")
    # Jumlah targets are annual totals: prorate by months elapsed (both bounds).
    share = np.where(agg == 0, last / 12, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(pt_count > 0, pt_value, target * share)
        # A period target replaces the lower bound; the upper keeps its ratio to it.
        upper = np.where(pt_count > 0, pt_value * target_max / target, target_max * share)
    capaian = capaian_values(
        realisation, lower, upper, ind["direction"].to_numpy(dtype=object), settings
    )
    flag = np.full(len(ind), -1, dtype=np.int8)
    flag[~(round9(lower) > 0) & (count > 0)] = FLAGS.index("invalid_target")
    flag[count == 0] = FLAGS.index("no_realisation")
    return {
        "weight": ind["weight"].to_numpy(dtype="float64"),
        "realisation": realisation,
        "target": lower,
        "target_max": upper,
        "capaian": capaian,
        "rating": rate_codes(capaian, settings.work_above, settings.work_meets),
        "reported": (count - before) > 0,
        "flag": flag,
    }


def capaian_values(realisation, lower, upper, direction, settings: Settings) -> np.ndarray:
    """Capaian (%) from realisation R and target bounds, vectorised.

    Up: R/T×100; down: (2 − R/T)×100, not below 0. Where `upper` is given
    (range target), R inside [lower, upper] scores 100, above it T = upper,
    below it T = lower. Capped at `settings.capaian_cap`, rounded to 9
    decimals; NaN where R is NaN or T is not positive.

    Examples:
        >>> capaian_values([0.0], [10.0], [np.nan], ["down"], Settings()).tolist()
        [120.0]
    """
    r = np.asarray(realisation, dtype="float64")
    lo = np.asarray(lower, dtype="float64")
    hi = np.asarray(upper, dtype="float64")
    down = np.asarray(direction, dtype=object) == "down"
    is_range = ~np.isnan(hi)
    above_range = is_range & (round9(r) > round9(hi))
    inside = is_range & (round9(r) >= round9(lo)) & ~above_range
    t = np.where(above_range, hi, lo)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = r / t
        value = np.where(down, np.maximum((2 - ratio) * 100, 0.0), ratio * 100)
    value = np.where(inside, 100.0, value)
    value = np.minimum(value, as_float(settings.capaian_cap))
    value = np.where(round9(t) > 0, value, np.nan)
    return round9(value)
