"""The IKM rules rewritten for less CPU per agency (issue 17) give what their previous form gave.

The previous `ikm_table`, `employee_ikm`, `unit_ikm` and `agency_ikm` are kept here as oracles and
run beside the current ones on seeded random surveys: unit names that differ in case and spaces,
missing units, officers and answers, bad answers, repeated and unknown populations.
"""

import numpy as np
import pandas as pd
import pytest

from scoring import Settings
from scoring.frames import ITEM_COLUMNS
from scoring.ikm import group_ikm, quality, unit_key
from scoring.ikm_units import _empty_table, _table, agency_ikm, employee_ikm, ikm_table, unit_ikm
from scoring.periods import all_periods, month_to_period_index, period_index
from tests.same import outcome, pick, same, same_outcome

# ---- the previous forms -------------------------------------------------------------------------

def _population_grid_before(service_units, names, settings, n_periods):
    from scoring._groups import latest_by_key

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


def _ikm_table_before(surveys, service_units, settings, periods):
    from scoring.ikm import answers_matrix, group_totals

    labels = all_periods(settings.year, settings.period_type)
    n_periods = len(labels)
    rows = surveys.loc[surveys["service_unit"].notna()]
    answers = answers_matrix(rows)
    codes, names = pd.factorize(unit_key(rows["service_unit"]))
    n_units = len(names)
    shown = rows["service_unit"].to_numpy(dtype=object)[pd.Series(codes).drop_duplicates().index.to_numpy()]
    pidx = month_to_period_index(rows["month"], settings.period_type)
    sums, counts, respondents = group_totals(codes * n_periods + pidx, n_units * n_periods, answers)
    sums = sums.reshape(n_units, n_periods, 9)
    counts = counts.reshape(n_units, n_periods, 9)
    respondents = respondents.reshape(n_units, n_periods)
    population = _population_grid_before(service_units, pd.Index(names), settings, n_periods)
    wanted = [period_index(p, settings.year, settings.period_type) for p in periods]
    picks = []
    for scope, cumulate in (("period", False), ("ytd", True)):
        s, c, r, pop = sums, counts, respondents, population
        if cumulate:
            s, c, r, pop = (np.cumsum(x, axis=1) for x in (s, c, r, pop))
        for p in wanted:
            present = np.flatnonzero(r[:, p] > 0)
            picks.append((scope, labels[p], shown[present], r[present, p], pop[present, p], s[present, p],
                          c[present, p]))
    if not picks:
        return _empty_table()
    table = _table(picks, settings)
    if table.empty:
        return _empty_table()
    return table.sort_values(["scope", "period", "service_unit"], ignore_index=True)


def _codes_before(column):
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        values = pd.Index(column.cat.categories.to_numpy(dtype=object), dtype=object)
    else:
        codes, uniques = pd.factorize(column)
        values = pd.Index(np.asarray(uniques, dtype=object), dtype=object)
    return np.where(codes >= 0, codes, len(values)), values


def _employee_ikm_before(rows, surveys, ikm_frame, settings):
    period_codes, periods = _codes_before(rows["period"])
    nip_codes, nips = _codes_before(rows["nip"])
    unit_rows = ikm_frame.loc[ikm_frame["scope"] == "period"]
    unit_keys = unit_key(unit_rows["service_unit"])
    names = pd.Index(unit_keys.unique())
    table = np.full((len(names) + 1, len(periods) + 1), np.nan)
    table[names.get_indexer(unit_keys), periods.get_indexer(unit_rows["period"])] = (
        unit_rows["ikm"].to_numpy(dtype="float64"))
    unit_of = names.get_indexer(unit_key(rows["unit"]))
    ikm = table[np.where(unit_of >= 0, unit_of, len(names)), period_codes]
    source = np.where(np.isnan(ikm), None, "unit").astype(object)
    officers = surveys.loc[surveys["officer_nip"].notna()]
    labels = np.array(all_periods(settings.year, settings.period_type), dtype=object)
    officers = officers.assign(period=labels[month_to_period_index(officers["month"], settings.period_type)])
    own = group_ikm(officers, ["period", "officer_nip"], settings)
    own = own.loc[own["respondents"] >= settings.min_responses_per_officer]
    own_table = np.full((len(periods) + 1, len(nips) + 1), np.nan)
    own_table[periods.get_indexer(own["period"]), nips.get_indexer(own["officer_nip"])] = (
        own["ikm"].to_numpy(dtype="float64"))
    own_ikm = own_table[period_codes, nip_codes]
    has_own = ~np.isnan(own_ikm)
    ikm[has_own] = own_ikm[has_own]
    source[has_own] = "officer"
    hundredths = np.where(np.isnan(ikm), -1, np.rint(ikm * 100)).astype(np.int64)
    return pd.DataFrame({"ikm": ikm, "ikm_quality": quality(hundredths), "ikm_source": source},
                        index=rows.index)


def _unit_ikm_before(results, ikm_frame):
    rows = ikm_frame.loc[ikm_frame["scope"] == "period"]
    lookup = pd.DataFrame({
        "period": rows["period"].to_numpy(dtype=object),
        "key": unit_key(rows["service_unit"]).to_numpy(dtype=object),
        "ikm": rows["ikm"].to_numpy(dtype="float64"),
        "ikm_quality": rows["quality"].to_numpy(dtype=object),
    })
    units = results[["period", "unit"]].drop_duplicates()
    units = units.assign(key=unit_key(units["unit"]).to_numpy(dtype=object))
    return units.merge(lookup, on=["period", "key"], how="inner")


def _agency_ikm_before(surveys, settings, periods):
    labels = np.array(all_periods(settings.year, settings.period_type), dtype=object)
    rows = surveys.assign(period=labels[month_to_period_index(surveys["month"], settings.period_type)])
    pooled = group_ikm(rows.loc[rows["period"].isin(periods)], ["period"], settings)
    return pd.DataFrame({
        "period": pooled["period"].to_numpy(dtype=object),
        "unit": None,
        "ikm": pooled["ikm"].to_numpy(dtype="float64"),
        "ikm_quality": pooled["quality"].to_numpy(dtype=object),
    })


# ---- random inputs ------------------------------------------------------------------------------

UNITS = ["Loket KTP", "loket  ktp", "Gudang", "Dinas Sosial", "DINAS sosial "]
OFFICERS = ["1", "2", "3", "9"]


def surveys(seed: int, rows: int, bad_answer: bool = False, months=range(1, 13)) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    answers = rng.choice([1.0, 2.0, 3.0, 4.0, np.nan], (rows, 9), p=[0.1, 0.2, 0.3, 0.3, 0.1])
    answers[rng.random(rows) < 0.05] = np.nan  # a sheet answering nothing
    if bad_answer and rows:
        answers[rng.integers(0, rows), rng.integers(0, 9)] = 5.0
    index = pd.RangeIndex(rows) * 3
    return pd.DataFrame({
        "response_id": pd.Series([f"r{i}" for i in range(rows)], index=index, dtype="str"),
        "month": rng.choice(list(months), rows),
        "service_unit": pd.Series(pick(rng, UNITS + [None], rows), index=index, dtype="str"),
        "service_type": "Layanan",
        "officer_nip": pd.Series(pick(rng, OFFICERS + [None, None], rows), index=index, dtype="str"),
        **{item: answers[:, j] for j, item in enumerate(ITEM_COLUMNS)},
    }, index=index)


def service_units(seed: int, rows: int, kind: str) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    labels = all_periods(2026, kind)
    population = rng.integers(0, 3000, rows).astype("float64")
    population[rng.random(rows) < 0.2] = np.nan
    return pd.DataFrame({
        "service_unit": pick(rng, UNITS + ["Elsewhere"], rows),
        "period": pick(rng, labels, rows),
        "population": pd.array(np.where(np.isnan(population), None, population), dtype="Int64"),
    })


KINDS = [("monthly", ["2026-01", "2026-02", "2026-07", "2026-12"]), ("monthly", ["2026-03"]),
         ("monthly", ["2026-05", "2026-02", "2026-05"]), ("monthly", []),
         ("quarterly", ["2026-T1", "2026-T3"]), ("annual", ["2026"])]


@pytest.mark.parametrize(("kind", "periods"), KINDS)
@pytest.mark.parametrize("seed", range(4))
def test_ikm_table_is_the_sorted_table_of_every_period(seed, kind, periods):
    settings = Settings(period_type=kind)
    for rows, units, bad in [(0, 0, False), (1, 3, False), (40, 0, False), (400, 30, False), (60, 5, True)]:
        answers, populations = surveys(seed * 100 + rows, rows, bad), service_units(seed + rows, units, kind)
        same_outcome(outcome(lambda: ikm_table(answers, populations, settings, periods)),  # noqa: B023
                     outcome(lambda: _ikm_table_before(answers, populations, settings, periods)))  # noqa: B023


def test_ikm_table_with_a_bad_population_period_names_the_first_bad_label():
    answers = surveys(1, 50)
    populations = pd.DataFrame({"service_unit": ["Gudang", "Loket KTP", "Gudang"],
                                "period": ["2026-01", "2026-1x", "2026-99"], "population": [10, 20, 30]})
    settings = Settings()
    got = outcome(lambda: ikm_table(answers, populations, settings, ["2026-01"]))
    assert isinstance(got, str) and "2026-1x" in got
    assert got == outcome(lambda: _ikm_table_before(answers, populations, settings, ["2026-01"]))


def grid_rows(seed: int, kind: str, periods: list[str], categorical: bool) -> pd.DataFrame:
    """period, nip, unit per employee and period, as the pipeline's grid frame has them."""
    rng = np.random.default_rng(seed)
    nips = OFFICERS + ["5", "6"]
    units = pick(rng, UNITS + ["Sekretariat", None], len(nips))
    frame = pd.DataFrame({
        "period": np.repeat(np.array(periods, dtype=object), len(nips)),
        "nip": np.tile(np.array(nips, dtype=object), len(periods)),
        "unit": np.tile(units, len(periods)),
    })
    if categorical:
        frame = frame.astype({"period": pd.CategoricalDtype(periods), "nip": pd.CategoricalDtype(nips),
                              "unit": "category"})
    return frame


@pytest.mark.parametrize("categorical", [True, False])
@pytest.mark.parametrize(("kind", "periods"), [k for k in KINDS if k[1] and len(set(k[1])) == len(k[1])])
@pytest.mark.parametrize("seed", range(4))
def test_employee_unit_and_agency_ikm_are_what_they_were(seed, kind, periods, categorical):
    settings = Settings(period_type=kind, min_responses_per_officer=1 + seed % 3)
    for rows, bad in [(0, False), (1, False), (30, False), (500, False), (80, True)]:
        answers = surveys(seed * 10 + rows, rows, bad)
        # the table from clean answers: a bad one must be found by the function under test
        clean = answers.assign(**{item: answers[item].clip(upper=4) for item in ITEM_COLUMNS})
        table = ikm_table(clean, service_units(seed, 8, kind), settings, periods)
        grid = grid_rows(seed + rows, kind, periods, categorical)
        same_outcome(outcome(lambda: employee_ikm(grid, answers, table, settings)),  # noqa: B023
                     outcome(lambda: _employee_ikm_before(grid, answers, table, settings)))  # noqa: B023
        same_outcome(outcome(lambda: agency_ikm(answers, settings, periods)),  # noqa: B023
                     outcome(lambda: _agency_ikm_before(answers, settings, periods)))  # noqa: B023
        results = grid.astype({"period": "str", "unit": "str"}) if categorical else grid
        same(unit_ikm(results, table), _unit_ikm_before(results, table))


def test_unit_ikm_with_repeated_units_and_a_table_without_rows():
    results = grid_rows(3, "monthly", ["2026-01", "2026-02"], False)
    table = ikm_table(surveys(3, 200), service_units(3, 5, "monthly"), Settings(), ["2026-01", "2026-02"])
    doubled = pd.concat([table, table], ignore_index=True)  # each (period, unit) twice
    for frame in (table, doubled, table.iloc[:0], _empty_table()):
        same(unit_ikm(results, frame), _unit_ikm_before(results, frame))
