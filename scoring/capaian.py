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
    position: np.ndarray | None = None,
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
        position: `indicator_positions(indicators, realisations)` when the
            caller has it already (it checked the indicators then).

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
    if position is None:
        position = indicator_positions(indicators, realisations)
    ind = indicators.reset_index(drop=True)
    value, ptarget = _month_matrices(len(ind), position, realisations)
    # 0 sum, 1 mean, 2 last: integer codes keep the 12 period passes cheap.
    agg = pd.Categorical(ind["aggregation"], categories=_CODES["aggregation"]).codes
    last_rows = np.flatnonzero(agg == 2)
    stats = _Cumulative(value, last_rows), _Cumulative(ptarget, last_rows)
    del value, ptarget
    down = ind["direction"].eq("down").to_numpy(dtype=bool)  # once, not once per period
    n, count = len(ind), len(periods)
    # Each period's arrays go straight into their block of the output: no list of twelve
    # periods' arrays to concatenate (and copy) afterwards, which doubled the peak.
    columns = {name: np.empty(n * count, dtype=dtype) for name, dtype in _OUTPUT_DTYPES}
    for p, label in enumerate(periods):
        part = _period_arrays(ind, agg, down, stats, settings,
                              period_months(label, settings.year, settings.period_type))
        for name, column in columns.items():
            column[p * n:(p + 1) * n] = part[name]
        del part
    del stats
    # Row i of period p is indicator i: the text columns are takes, not new strings.
    take = np.tile(np.arange(n), count)
    rating, flag = columns.pop("rating"), columns.pop("flag")
    return pd.DataFrame(
        {
            "period": pd.Categorical.from_codes(np.repeat(np.arange(count, dtype=np.int8), n),
                                                categories=periods),
            "iki_code": ind["iki_code"].array.take(take),
            "nip": ind["nip"].array.take(take),
            "rhk_type": pd.Categorical(ind["rhk_type"], categories=_CODES["rhk_type"]).take(take),
            **{name: columns[name] for name in _FLOAT_COLUMNS},
            "rating": pd.Categorical.from_codes(rating, categories=RATINGS),
            "reported": columns["reported"],
            "flag": pd.Categorical.from_codes(flag, categories=FLAGS),
        },
        copy=False,  # the arrays are fresh; copying 6 million rows into one block costs ~1 s
    )


_FLOAT_COLUMNS = ("weight", "realisation", "target", "target_max", "capaian")
_OUTPUT_DTYPES = (*((name, np.float64) for name in _FLOAT_COLUMNS),
                  ("rating", np.int8), ("reported", bool), ("flag", np.int8))


def indicator_positions(indicators: pd.DataFrame, realisations: pd.DataFrame) -> np.ndarray:
    """The row of each realisation's indicator in `indicators`, -1 for an unknown code.

    Checks what `indicator_scores` needs of the indicators first (codes, unique
    iki_code), so a caller may compute this once and hand it to both
    `indicator_scores` and `gaps.missing_months`: the look-up of six million
    realisation codes is the largest single cost of scoring.
    """
    require_columns(indicators, "indicators", ("iki_code", "nip", "rhk_type", "target",
                    "target_max", "direction", "aggregation", "weight"))
    require_columns(realisations, "realisations", ("iki_code", "month", "value",
                    "period_target"))
    ind = indicators.reset_index(drop=True)
    for column, allowed in _CODES.items():
        _check_codes(ind, column, allowed)
    index = pd.Index(ind["iki_code"])
    if index.has_duplicates:
        dup = index[index.duplicated()][0]
        raise ScoringError(f"Indicator code {dup!r} appears more than once; codes must be unique")
    return index.get_indexer(realisations["iki_code"])


def _check_codes(ind: pd.DataFrame, column: str, allowed: tuple[str, ...]) -> None:
    bad = ~ind[column].isin(allowed)
    if bad.any():
        row = ind.loc[bad].iloc[0]
        raise ScoringError(
            f"Indicator {row['iki_code']!r} has {column} {row[column]!r}; "
            f"use one of {', '.join(allowed)}"
        )


def _month_matrices(n: int, row: np.ndarray, realisations: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """12-month × indicator matrices of value and period_target (NaN = not given).

    Month-major, so that a month's figures for every indicator (what each period reads)
    lie side by side in memory rather than 12 values apart.
    """
    month0 = month_to_period_index(realisations["month"], "monthly")
    keep = row >= 0
    key = np.where(keep, month0 * n + row.astype(np.int64), 0)
    # Repeated (indicator, month) rows: the later one wins, as in the sheet. They are rare, so
    # count keys first and only sort out the repeated ones (hashing six million keys is slow).
    counts = np.bincount(key[keep], minlength=n * 12)
    if counts.max(initial=0) > 1:
        repeated = np.flatnonzero(keep & (counts[key] > 1))
        keep[repeated[pd.Series(key[repeated]).duplicated(keep="last").to_numpy()]] = False
    del counts
    key = key[keep]
    out = []
    for column in ("value", "period_target"):
        matrix = np.full(n * 12, np.nan)
        matrix[key] = np.asarray(realisations[column], dtype="float64")[keep]
        out.append(matrix.reshape(12, n))
    return tuple(out)


class _Cumulative:
    """Running count, sum and latest value of a month × indicator matrix along the months.

    The latest value is kept only for `latest_rows` (the "last" indicators, a few):
    forward-filling every indicator cost a dozen 48 MB arrays at 500,000 indicators.
    """

    def __init__(self, matrix: np.ndarray, latest_rows: np.ndarray) -> None:
        given = ~np.isnan(matrix)
        # int8 counts (at most 12): an eighth of int64's memory.
        self.count = given.cumsum(axis=0, dtype=np.int8)
        self.total = np.nancumsum(matrix, axis=0)
        self.latest_rows = latest_rows
        sub, sub_given = matrix[:, latest_rows], given[:, latest_rows]
        # Forward fill: the month of the latest given value at or before each month.
        month = np.where(sub_given, np.arange(12)[:, None], -1)
        month = np.maximum.accumulate(month, axis=0)
        columns = np.arange(sub.shape[1])[None, :]
        self.latest = np.where(month >= 0, sub[np.maximum(month, 0), columns], np.nan)

    def aggregate(self, agg: np.ndarray, last: int) -> tuple[np.ndarray, np.ndarray]:
        """(count, sum/mean/latest per `agg` code 0/1/2) over months 1..last; NaN if none."""
        count = self.count[last - 1]
        total = self.total[last - 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / count
        value = np.where(agg == 0, total, mean)
        value[self.latest_rows] = self.latest[last - 1]
        return count, np.where(count > 0, value, np.nan)


def _period_arrays(ind, agg, down, stats, settings, months) -> dict[str, np.ndarray]:
    first, last = months
    values, ptargets = stats
    count, realisation = values.aggregate(agg, last)
    pt_count, pt_value = ptargets.aggregate(agg, last)
    before = values.count[first - 2] if first > 1 else 0
    target = ind["target"].to_numpy(dtype="float64")
    target_max = ind["target_max"].to_numpy(dtype="float64")
    # Jumlah targets are annual totals: prorate by months elapsed (both bounds).
    share = np.where(agg == 0, last / 12, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        lower = np.where(pt_count > 0, pt_value, target * share)
        # A period target replaces the lower bound; the upper keeps its ratio to it.
        upper = np.where(pt_count > 0, pt_value * target_max / target, target_max * share)
    capaian = _capaian(realisation, lower, upper, down, settings)
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
    return _capaian(realisation, lower, upper, np.asarray(direction, dtype=object) == "down",
                    settings)


def _capaian(realisation, lower, upper, down: np.ndarray, settings: Settings) -> np.ndarray:
    """`capaian_values` with the direction as a bool mask (True = down)."""
    r = np.asarray(realisation, dtype="float64")
    lo = np.asarray(lower, dtype="float64")
    hi = np.asarray(upper, dtype="float64")
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
