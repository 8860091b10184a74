"""Rule 6 applied: the IKM tab (per service unit), and the IKM of employees, units, agency."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._groups import key_codes
from .frames import ITEM_COLUMNS, require_columns
from .ikm import (
    NRR_COLUMNS,
    answers_matrix,
    group_totals,
    ikm_hundredths,
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
    rows = np.flatnonzero(surveys["service_unit"].notna().to_numpy())
    answers = answers_matrix(surveys, rows)
    names_given = surveys["service_unit"].to_numpy(dtype=object)[rows]
    codes, names = pd.factorize(unit_key(names_given))
    n_units = len(names)
    shown = names_given[pd.Series(codes).drop_duplicates().index.to_numpy()]
    pidx = month_to_period_index(np.asarray(surveys["month"])[rows], settings.period_type)
    sums, counts, respondents = group_totals(codes * n_periods + pidx, n_units * n_periods,
                                              answers)
    sums = sums.reshape(n_units, n_periods, 9)
    counts = counts.reshape(n_units, n_periods, 9)
    respondents = respondents.reshape(n_units, n_periods)
    population = _population_grid(service_units, pd.Index(names), settings, n_periods)
    wanted = [period_index(p, settings.year, settings.period_type) for p in periods]
    # The rows are made in their sorted order (scope, period, service_unit), not sorted afterwards:
    # "period" < "ytd", the periods by label, each period's units by name; a period asked for twice
    # has each of its rows twice in a row, as a stable sort of the rows puts them.
    picks = []  # (scope, period label, the units' rows of the grid with respondents)
    for scope, cumulate in (("period", False), ("ytd", True)):
        s, c, r, pop = sums, counts, respondents, population
        if cumulate:
            # NaN populations propagate through cumsum: unknown stays unknown.
            s, c, r, pop = (np.cumsum(x, axis=1) for x in (s, c, r, pop))
        for p in sorted(set(wanted), key=lambda p: labels[p]):
            present = np.flatnonzero(r[:, p] > 0)
            present = np.repeat(present[np.argsort(shown[present], kind="stable")], wanted.count(p))
            picks.append((scope, labels[p], shown[present], r[present, p], pop[present, p], s[present, p],
                          c[present, p]))
    if not picks:
        return _empty_table()
    table = _table(picks, settings)
    if table.empty:
        return _empty_table()
    return table


def _table(picks: list[tuple], settings: Settings) -> pd.DataFrame:
    """The rows of every (scope, period) pick, in pick order: the columns computed once over all of
    them (row-wise rules), one frame when that gives the dtypes a frame per pick concatenated gives."""
    units = np.concatenate([pick[2] for pick in picks])
    respondents, population, sums, counts = (np.concatenate([pick[i] for pick in picks]) for i in range(3, 7))
    min_sample = krejcie_morgan(population)
    columns = {
        "service_unit": units,
        "respondents": respondents.astype(np.int64),
        "population": pd.array(np.where(np.isnan(population), None, population), dtype="Int64"),
        "min_sample": pd.array(np.where(np.isnan(min_sample), None, min_sample), dtype="Int64"),
        "adequate": np.where(np.isnan(min_sample), None, respondents >= min_sample).astype(object),
        **score_columns(sums, counts, item_weight(settings)),
    }
    ends = np.cumsum([len(pick[2]) for pick in picks])
    starts = ends - np.array([len(pick[2]) for pick in picks])
    has_quality = columns["quality"] != None  # noqa: E711 (elementwise on an object array)
    # A frame per pick (`_table_part`) infers "str" for its text columns, or object when the pick has
    # no rows or no quality at all; concatenated, one object part makes the column object. One frame
    # infers "str" for any text: it is the same frame only when no pick is like that.
    if all(end > start and has_quality[start:end].any() for start, end in zip(starts, ends, strict=True)):
        scopes = np.repeat(np.array([pick[0] for pick in picks], dtype=object), ends - starts)
        periods = np.repeat(np.array([pick[1] for pick in picks], dtype=object), ends - starts)
        return pd.DataFrame({"scope": scopes, "period": periods, **columns}, index=pd.RangeIndex(len(units)))
    return pd.concat([_table_part(*pick, settings) for pick in picks], ignore_index=True)


def _population_grid(service_units, names: pd.Index, settings, n_periods) -> np.ndarray:
    """Population per (unit of `names`, period); the last row given for a unit and period wins."""
    grid = np.full((len(names), n_periods), np.nan)
    known = np.flatnonzero(service_units["population"].notna().to_numpy())
    if len(known) == 0:
        return grid
    row = names.get_indexer(unit_key(service_units["service_unit"].iloc[known]))
    labels = service_units["period"].iloc[known].to_numpy(dtype=object)
    # Each distinct label checked once, in the order the rows give them (the first bad one raises).
    period_of = {label: period_index(label, settings.year, settings.period_type)
                 for label in pd.unique(labels)}
    column = np.array([period_of[label] for label in labels], dtype=np.int64)
    population = service_units["population"].iloc[known].to_numpy(dtype="float64")
    ok = np.flatnonzero(row >= 0)
    # The last row given for each cell (one unit key and period), found from the end.
    _, from_end = np.unique((row[ok] * n_periods + column[ok])[::-1], return_index=True)
    last = ok[len(ok) - 1 - from_end]
    grid[row[last], column[last]] = population[last]
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




def employee_ikm(
    rows: pd.DataFrame, surveys: pd.DataFrame, ikm_frame: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """Each employee's IKM for the period: own surveys when enough, else the unit's.

    Own: the surveys naming the employee (officer_nip) in the period's months,
    when there are at least `settings.min_responses_per_officer` of them
    (source "officer"). Else the period IKM of the service unit whose name
    equals the employee's unit, ignoring case and spaces (source "unit").
    Else no IKM.

    Args:
        rows: period, nip, unit, one row per employee and period (Categorical
            period and nip keep a million rows cheap).
        surveys: month, officer_nip, u1…u9.
        ikm_frame: the `ikm_table` result ("period" scope rows are used).
        settings: period settings, min_responses_per_officer, ikm_item_weight.

    Returns:
        A frame aligned with `rows`: ikm, ikm_quality, ikm_source.

    Examples:
        >>> rows = pd.DataFrame({"period": ["2026-01"] * 2, "nip": ["1", "2"],
        ...     "unit": ["Loket KTP", "Gudang"]})
        >>> s = pd.DataFrame({"response_id": ["a"], "month": [1], "service_unit": ["loket ktp"],
        ...     "officer_nip": ["1"], **{f"u{i}": [3.0] for i in range(1, 10)}})
        >>> table = ikm_table(s, pd.DataFrame(columns=["service_unit", "period", "population"]),
        ...     Settings(), ["2026-01"])
        >>> out = employee_ikm(rows, s, table, Settings())  # 1 sheet < 5: the unit's IKM
        >>> out["ikm"].tolist(), out["ikm_source"].tolist()
        ([75.0, nan], ['unit', nan])
    """
    period_codes, periods = _codes(rows["period"])
    nip_codes, nips = _codes(rows["nip"])
    # The unit's IKM: a (service unit × period) table looked up by each row's unit.
    in_period = ikm_frame["scope"].to_numpy(dtype=object) == "period"
    unit_keys = unit_key(ikm_frame["service_unit"].to_numpy(dtype=object)[in_period])
    names = pd.Index(unit_keys.unique())
    table = np.full((len(names) + 1, len(periods) + 1), np.nan)  # last row/column: no match
    unit_periods = ikm_frame["period"].to_numpy(dtype=object)[in_period]
    table[names.get_indexer(unit_keys), periods.get_indexer(unit_periods)] = (
        ikm_frame["ikm"].to_numpy(dtype="float64")[in_period])
    unit_of = names.get_indexer(unit_key(rows["unit"]))
    ikm = table[np.where(unit_of >= 0, unit_of, len(names)), period_codes]
    source = np.where(np.isnan(ikm), None, "unit").astype(object)
    # The employee's own surveys, when there are enough of them.
    own_periods, own_nips, own_ikm = _officer_ikm(surveys, settings)
    own_table = np.full((len(periods) + 1, len(nips) + 1), np.nan)
    own_table[periods.get_indexer(own_periods), nips.get_indexer(own_nips)] = own_ikm
    own_ikm = own_table[period_codes, nip_codes]
    has_own = ~np.isnan(own_ikm)
    ikm[has_own] = own_ikm[has_own]
    source[has_own] = "officer"
    # IKM values are exact hundredths: ×100 and rint recover the integer the bands need.
    hundredths = np.where(np.isnan(ikm), -1, np.rint(ikm * 100)).astype(np.int64)
    return pd.DataFrame({"ikm": ikm, "ikm_quality": quality(hundredths), "ikm_source": source},
                        index=rows.index)


def _officer_ikm(surveys: pd.DataFrame, settings: Settings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Period label, officer NIP and IKM of each (period, officer_nip) with enough surveys.

    In the order the pairs first appear in `surveys` (what `group_ikm` of the officers' rows gives),
    grouped by integer codes: no frame of the officers' rows is built.
    """
    officer = surveys["officer_nip"].to_numpy(dtype=object)
    rows = np.flatnonzero(pd.notna(officer))
    period = month_to_period_index(np.asarray(surveys["month"])[rows], settings.period_type)
    officer_codes, officers = pd.factorize(officer[rows])
    size = max(len(officers), 1)
    groups, pairs = pd.factorize(period * size + officer_codes)
    respondents, hundredths = _pooled(surveys, rows, groups, len(pairs), settings)
    enough = respondents >= settings.min_responses_per_officer
    labels = np.array(all_periods(settings.year, settings.period_type), dtype=object)
    return (labels[pairs[enough] // size], np.asarray(officers, dtype=object)[pairs[enough] % size],
            _ikm_values(hundredths[enough]))


def _pooled(surveys: pd.DataFrame, rows: np.ndarray, groups: np.ndarray, n: int,
            settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """Respondents and IKM × 100 (-1 when nothing was answered) of the surveys at `rows` per group."""
    sums, counts, respondents = group_totals(groups, n, answers_matrix(surveys, rows))
    return respondents, ikm_hundredths(sums, counts, item_weight(settings))


def _ikm_values(hundredths: np.ndarray) -> np.ndarray:
    return np.where(hundredths >= 0, hundredths / 100, np.nan)


def _codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes and distinct values; missing values get code len(values) (a spare slot)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        values = pd.Index(column.cat.categories.to_numpy(dtype=object), dtype=object)
    else:
        codes, uniques = pd.factorize(column)
        values = pd.Index(np.asarray(uniques, dtype=object), dtype=object)
    return np.where(codes >= 0, codes, len(values)), values


def unit_ikm(results: pd.DataFrame, ikm_frame: pd.DataFrame) -> pd.DataFrame:
    """Each work unit's period IKM, where a service unit's name matches the unit's.

    Args:
        results: period, unit.
        ikm_frame: the `ikm_table` result ("period" scope rows are used).

    Returns:
        A new frame: period, unit, key (the matching name), ikm, ikm_quality;
        units without a matching service unit are left out.

    Examples:
        >>> table = pd.DataFrame({"scope": ["period"], "period": ["2026-01"],
        ...     "service_unit": ["LOKET"], "ikm": [90.0], "quality": ["A"]})
        >>> r = pd.DataFrame({"period": ["2026-01", "2026-01"], "unit": ["Loket", "Gudang"]})
        >>> unit_ikm(r, table)[["unit", "ikm", "ikm_quality"]].to_dict("records")
        [{'unit': 'Loket', 'ikm': 90.0, 'ikm_quality': 'A'}]
    """
    in_period = ikm_frame["scope"].to_numpy(dtype=object) == "period"
    lookup = pd.DataFrame({
        "period": ikm_frame["period"].to_numpy(dtype=object)[in_period],
        "key": unit_key(ikm_frame["service_unit"].to_numpy(dtype=object)[in_period]).to_numpy(dtype=object),
        "ikm": ikm_frame["ikm"].to_numpy(dtype="float64")[in_period],
        "ikm_quality": ikm_frame["quality"].to_numpy(dtype=object)[in_period],
    })
    units = results[["period", "unit"]].iloc[_first_rows(results["period"], results["unit"])]
    units = units.assign(key=unit_key(units["unit"]).to_numpy(dtype=object))
    return units.merge(lookup, on=["period", "key"], how="inner")


def _first_rows(first: pd.Series, second: pd.Series) -> np.ndarray:
    """The row where each distinct (first, second) pair first appears, in row order.

    The rows `drop_duplicates` keeps (missing values equal), from the two columns' codes.
    """
    pairs = key_codes(first, second)
    _, rows = np.unique(pairs, return_index=True)
    return np.sort(rows)


def agency_ikm(surveys: pd.DataFrame, settings: Settings, periods: list[str]) -> pd.DataFrame:
    """The agency's IKM per period, all its surveys pooled.

    Args:
        surveys: month, u1…u9.
        settings: period settings and ikm_item_weight.
        periods: the labels to report.

    Returns:
        A new frame: period, unit (None), ikm, ikm_quality.

    Examples:
        >>> s = pd.DataFrame({"response_id": ["a", "b"], "month": [1, 2],
        ...     **{f"u{i}": [4.0, 2.0] for i in range(1, 10)}})
        >>> agency_ikm(s, Settings(), ["2026-02"]).to_dict("records")
        [{'period': '2026-02', 'unit': None, 'ikm': 50.0, 'ikm_quality': 'D'}]
    """
    labels = np.array(all_periods(settings.year, settings.period_type), dtype=object)
    period = month_to_period_index(surveys["month"], settings.period_type)
    rows = np.flatnonzero(np.isin(labels, list(periods))[period])
    # periods numbered as they first appear, as `group_ikm` numbers them
    groups, seen = pd.factorize(period[rows])
    _, hundredths = _pooled(surveys, rows, groups, len(seen), settings)
    return pd.DataFrame({
        "period": labels[seen],
        "unit": None,
        "ikm": _ikm_values(hundredths),
        "ikm_quality": quality(hundredths),
    })
