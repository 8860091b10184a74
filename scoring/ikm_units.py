"""Rule 6 applied: the IKM tab (per service unit), and the IKM of employees, units, agency."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._groups import latest_by_key
from .frames import ITEM_COLUMNS, require_columns
from .ikm import (
    NRR_COLUMNS,
    answers_matrix,
    group_ikm,
    group_totals,
    krejcie_morgan,
    quality,
    score_columns,
    unit_key,
)
from .periods import all_periods, month_to_period_index, period_index
from .settings import Settings, item_weight

IKM_COLUMNS = (
    "scope",
    "period",
    "service_unit",
    "respondents",
    "population",
    "min_sample",
    "adequate",
    *NRR_COLUMNS,
    "ikm",
    "quality",
    "unit_performance",
)


def ikm_table(
    surveys: pd.DataFrame,
    service_units: pd.DataFrame,
    settings: Settings,
    periods: list[str],
) -> pd.DataFrame:
    """IKM per service unit, for each period (scope "period") and year to date ("ytd").

    Service units are matched case- and space-insensitively; the name shown is
    the first spelling met in the surveys. The minimum sample is Krejcie–Morgan
    on the unit's population for the period (year to date: the sum of the
    populations of the periods so far, unknown when any is missing).

    Args:
        surveys: response_id, month, service_unit, u1…u9 (1–4, NaN unanswered).
        service_units: service_unit, period (label), population.
        settings: year, period_type, ikm_item_weight.
        periods: validated period labels to report.

    Returns:
        A new frame with IKM_COLUMNS, one row per (scope, period, unit) with at
        least one respondent, sorted by scope, period, service_unit.
        `adequate` is None when the population is unknown.

    Examples:
        >>> s = pd.DataFrame({"response_id": ["r1"], "month": [1], "service_unit": ["KTP"],
        ...     **{f"u{i}": [3.0] for i in range(1, 10)}})
        >>> t = ikm_table(s, pd.DataFrame(columns=["service_unit", "period", "population"]),
        ...     Settings(), ["2026-01"])
        >>> t[["scope", "ikm", "quality", "unit_performance"]].to_dict("records")[0]
        {'scope': 'period', 'ikm': 75.0, 'quality': 'C', 'unit_performance': 'fair'}
    """
    require_columns(surveys, "surveys", ("response_id", "month", "service_unit", *ITEM_COLUMNS))
    require_columns(service_units, "service_units", ("service_unit", "period", "population"))
    labels = all_periods(settings.year, settings.period_type)
    n_periods = len(labels)
    rows = surveys.loc[surveys["service_unit"].notna()]
    answers = answers_matrix(rows)
    codes, names = pd.factorize(unit_key(rows["service_unit"]))
    n_units = len(names)
    shown = rows["service_unit"].to_numpy(dtype=object)[
        pd.Series(codes).drop_duplicates().index.to_numpy()
    ]
    pidx = month_to_period_index(rows["month"], settings.period_type)
    sums, counts, respondents = group_totals(codes * n_periods + pidx, n_units * n_periods,
                                              answers)
    sums = sums.reshape(n_units, n_periods, 9)
    counts = counts.reshape(n_units, n_periods, 9)
    respondents = respondents.reshape(n_units, n_periods)
    population = _population_grid(service_units, pd.Index(names), settings, n_periods)
    wanted = [period_index(p, settings.year, settings.period_type) for p in periods]
    parts = []
    for scope, cumulate in (("period", False), ("ytd", True)):
        s, c, r, pop = sums, counts, respondents, population
        if cumulate:
            # NaN populations propagate through cumsum: unknown stays unknown.
            s, c, r, pop = (np.cumsum(x, axis=1) for x in (s, c, r, pop))
        for p in wanted:
            present = np.flatnonzero(r[:, p] > 0)
            parts.append(_table_part(scope, labels[p], shown[present], r[present, p],
                                     pop[present, p], s[present, p], c[present, p], settings))
    table = pd.concat(parts, ignore_index=True) if parts else None
    if table is None or table.empty:
        return _empty_table()
    return table.sort_values(["scope", "period", "service_unit"], ignore_index=True)


def _population_grid(service_units, names: pd.Index, settings, n_periods) -> np.ndarray:
    grid = np.full((len(names), n_periods), np.nan)
    known = service_units.loc[service_units["population"].notna()]
    if known.empty:
        return grid
    keys = unit_key(known["service_unit"])
    pidx = [period_index(p, settings.year, settings.period_type) for p in known["period"]]
    frame = pd.DataFrame({"unit": keys.to_numpy(), "p": pidx,
                          "population": known["population"].to_numpy(dtype="float64")})
    frame = latest_by_key(frame, ["unit", "p"])
    row = names.get_indexer(frame["unit"])
    ok = row >= 0
    grid[row[ok], frame["p"].to_numpy()[ok]] = frame["population"].to_numpy()[ok]
    return grid


def _table_part(scope, label, units, respondents, population, sums, counts, settings):
    min_sample = krejcie_morgan(population)
    adequate = np.where(np.isnan(min_sample), None, respondents >= min_sample).astype(object)
    return pd.DataFrame(
        {
            "scope": scope,
            "period": label,
            "service_unit": units,
            "respondents": respondents.astype(np.int64),
            "population": pd.array(np.where(np.isnan(population), None, population),
                                   dtype="Int64"),
            "min_sample": pd.array(np.where(np.isnan(min_sample), None, min_sample),
                                   dtype="Int64"),
            "adequate": adequate,
            **score_columns(sums, counts, item_weight(settings)),
        },
        index=pd.RangeIndex(len(units)),
    )


def _empty_table() -> pd.DataFrame:
    frame = pd.DataFrame({col: pd.Series([], dtype=object) for col in IKM_COLUMNS})
    frame = frame.astype({"respondents": np.int64, "population": "Int64", "min_sample": "Int64",
                          "ikm": "float64", **{col: "float64" for col in NRR_COLUMNS}})
    return frame


