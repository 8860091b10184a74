"""Rewritten scoring functions (issue 17, CPU per agency) give what their previous form gave.

Each previous implementation is kept here as the oracle and run beside the current one on
seeded random inputs: empty frames, missing values (None and NaN), keys with no match.
"""

import numpy as np
import pandas as pd
import pytest

from scoring import Settings
from scoring.distribution import check_distribution
from scoring.predikat import PREDIKATS
from scoring.summary import COUNT_COLUMNS, SUMMARY_COLUMNS, summarise
from tests.same import outcome, pick, same, same_outcome

# ---- summary.summarise -------------------------------------------------------------------------

def _summarise_before(results, ikm, settings, by_unit=True):
    frame = pd.DataFrame({
        "period": results["period"].to_numpy(dtype=object),
        "unit": results["unit"].to_numpy(dtype=object) if by_unit else None,
        "predikat": results["predikat"].to_numpy(dtype=object),
        "score": results["performance_score"].to_numpy(dtype="float64"),
    })
    frame = frame.assign(**{
        column: frame["predikat"].eq(code) for code, column in zip(PREDIKATS, COUNT_COLUMNS, strict=True)
    })
    grouped = frame.groupby(["period", "unit"], dropna=False, sort=True)
    out = pd.concat([grouped.size().rename("employees"), grouped["predikat"].count().rename("scored"),
                     grouped["score"].mean().rename("mean_score"), grouped[list(COUNT_COLUMNS)].sum()],
                    axis=1).reset_index()
    keys = ["period", "unit"] if by_unit else ["period"]
    lookup = pd.DataFrame({
        **{key: ikm[key].to_numpy(dtype=object) for key in keys},
        "ikm": ikm["ikm"].to_numpy(dtype="float64"),
        "ikm_quality": ikm["ikm_quality"].to_numpy(dtype=object),
    }).drop_duplicates(keys)
    out = out.assign(**{key: out[key].astype(object) for key in keys})
    out = out.merge(lookup, on=keys, how="left")
    column = np.empty(len(out), dtype=object)
    if settings.org_predikat is None:
        out["distribution_ok"] = np.full(len(out), None, dtype=object)
        column[:] = [()] * len(out)
        out["breaches"] = column
    else:
        checks = [check_distribution(dict(zip(PREDIKATS, row, strict=True)), settings.org_predikat)
                  for row in out[list(COUNT_COLUMNS)].itertuples(index=False)]
        column[:] = checks
        out["breaches"] = column
        ok = np.empty(len(out), dtype=object)
        ok[:] = [None if scored == 0 else not check
                 for scored, check in zip(out["scored"], checks, strict=True)]
        out["distribution_ok"] = ok
    out["unit"] = out["unit"].astype(object).where(out["unit"].notna(), None)
    return out[list(SUMMARY_COLUMNS)]


PERIODS = ["2026-01", "2026-02", "2026-10", "2026-03"]
UNITS = ["Dinas B", "Dinas A", "dinas a", "Ünit Ç"]


def summary_inputs(seed: int, rows: int, ikm_rows: int, missing: bool):
    rng = np.random.default_rng(seed)
    holes = [None, np.nan] if missing else []
    results = pd.DataFrame({
        "period": pd.Series(pick(rng, PERIODS + holes[:1], rows), dtype="str"),
        "unit": pd.Series(pick(rng, UNITS + holes[:1], rows), dtype="str"),
        "predikat": pd.Series(pick(rng, [*PREDIKATS, *holes], rows), dtype="str"),
        "performance_score": np.where(rng.random(rows) < 0.2, np.nan, rng.random(rows) * 120),
    })
    text = object if seed % 2 else "str"  # as the unit and agency IKM frames come, or object columns
    ikm = pd.DataFrame({
        "period": pd.Series(pick(rng, PERIODS + ["2027-01"] + holes, ikm_rows), dtype=text),
        "unit": pd.Series(pick(rng, UNITS + ["Other"] + holes, ikm_rows), dtype=text),
        "ikm": np.round(rng.random(ikm_rows) * 100, 2),
        "ikm_quality": pd.Series(pick(rng, ["A", "B", "C", *holes], ikm_rows), dtype=text),
    })
    return results, ikm


@pytest.mark.parametrize("org_predikat", [None, "outstanding", "good", "very_poor"])
@pytest.mark.parametrize("by_unit", [True, False])
@pytest.mark.parametrize("seed", range(6))
def test_summarise_is_the_grouped_and_merged_summary(seed, by_unit, org_predikat):
    settings = Settings(org_predikat=org_predikat)
    for rows, ikm_rows, missing in [(0, 0, False), (0, 3, True), (1, 0, False), (40, 8, False),
                                    (300, 30, True), (300, 0, True)]:
        results, ikm = summary_inputs(seed * 100 + rows, rows, ikm_rows, missing)
        same(summarise(results, ikm, settings, by_unit), _summarise_before(results, ikm, settings, by_unit))


def test_summarise_with_an_empty_ikm_frame_of_object_columns():
    results, _ = summary_inputs(1, 50, 0, True)
    ikm = pd.DataFrame(columns=["period", "unit", "ikm", "ikm_quality"])
    for by_unit in (True, False):
        same(summarise(results, ikm, Settings(), by_unit),
             _summarise_before(results, ikm, Settings(), by_unit))


def test_summarise_with_only_missing_qualities():
    results, ikm = summary_inputs(2, 50, 10, False)
    ikm["ikm_quality"] = None
    same(summarise(results, ikm, Settings()), _summarise_before(results, ikm, Settings()))


# ---- pipeline._as_text, pipeline._rank_changes -------------------------------------------------

def _as_text_before(frame, columns):
    present = [column for column in columns if column in frame.columns and frame[column].dtype != "str"]
    return frame.astype(dict.fromkeys(present, "str"))


@pytest.mark.parametrize("seed", range(5))
def test_as_text_converts_what_astype_converted(seed):
    from scoring.pipeline import TEXT_COLUMNS, _as_text

    rng = np.random.default_rng(seed)
    for rows in (0, 1, 25):
        index = pd.RangeIndex(rows) + 5 * seed
        frame = pd.DataFrame({
            "period": pick(rng, PERIODS + [None], rows),
            "nip": pd.Series(pick(rng, ["1", "2", None], rows), index=index, dtype="str"),
            "unit": pd.Categorical(pick(rng, UNITS + [None], rows)),
            "score": rng.random(rows),
            "predikat": pick(rng, [*PREDIKATS, None, np.nan], rows),
            "reasons": pick(rng, [(), ("no_realisation",)], rows),
            "status": pd.Series(pick(rng, ["complete", None], rows), index=index, dtype=object),
        }, index=index)
        for columns in (TEXT_COLUMNS, ("nip",), ()):
            same(_as_text(frame, columns), _as_text_before(frame, columns))


def _rank_changes_before(out, grid, settings):
    from scoring.periods import previous_period
    from scoring.ranking import rank_change

    n = len(grid.nips)
    keys = out[["nip", "agency_rank"]]
    change = np.full(len(out), np.nan)
    for p, label in enumerate(grid.periods):
        before = previous_period(label, settings.year, settings.period_type)
        if before is None or before not in grid.periods:
            continue
        q = grid.periods.get_loc(before)
        current, previous = keys.iloc[p * n:(p + 1) * n], keys.iloc[q * n:(q + 1) * n]
        change[p * n:(p + 1) * n] = rank_change(current, previous).to_numpy(dtype="float64", na_value=np.nan)
    return pd.Series(pd.array(change, dtype="Int64"), index=out.index)


@pytest.mark.parametrize(("kind", "periods"), [
    ("monthly", ["2026-01", "2026-02", "2026-03", "2026-05", "2026-12"]), ("monthly", ["2026-04"]),
    ("monthly", []), ("quarterly", ["2026-T1", "2026-T2", "2026-T4"])])
@pytest.mark.parametrize("employees", [0, 1, 7])
def test_rank_changes_are_what_rank_change_gave_per_period(kind, periods, employees):
    from scoring.grid import Grid
    from scoring.pipeline import _rank_changes

    rng = np.random.default_rng(employees)
    staff = pd.DataFrame({"nip": [str(100 - i) for i in range(employees)],
                          "unit": pick(rng, UNITS, employees), "name": "x", "position": "y"})
    grid = Grid(staff, periods)
    out = grid.frame()
    ranks = rng.integers(1, employees + 2, len(out))
    out["agency_rank"] = pd.array(np.where(rng.random(len(out)) < 0.3, None, ranks), dtype="Int64")
    settings = Settings(period_type=kind)
    same(_rank_changes(out, grid, settings).to_frame(), _rank_changes_before(out, grid, settings).to_frame())


# ---- supervisor.supervisor_ratings_for ---------------------------------------------------------

def _supervisor_ratings_for_before(supervisor_ratings, column, settings):
    from scoring._groups import latest_by_key
    from scoring.bands import RATINGS
    from scoring.errors import ScoringError
    from scoring.periods import validate_period

    given = supervisor_ratings.loc[supervisor_ratings[column].notna(), ["period", "nip", column]]
    bad = ~given[column].isin(RATINGS)
    if bad.any():
        raise ScoringError(f"Supervisor {column} {given.loc[bad, column].iloc[0]!r} is not one of "
                           f"{', '.join(RATINGS)}")
    labels = {label: validate_period(label, settings.year, settings.period_type)
              for label in pd.unique(given["period"])}
    given = given.assign(period=given["period"].map(labels)).rename(columns={column: "rating"})
    return latest_by_key(given, ["period", "nip"])


def supervisor_ratings(seed: int, rows: int, dtype, bad: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ratings = ["above", "meets", "below", None, np.nan] + (["great"] if bad else [])
    frame = pd.DataFrame({
        "period": pick(rng, ["2026-01", "2026-02", "2026-12"] + (["2026-13"] if bad else []), rows),
        "nip": pick(rng, ["1", "2", "3", None], rows),
        "work_rating": pick(rng, ratings, rows),
        "behaviour_rating": pick(rng, ratings, rows),
    }, index=pd.RangeIndex(rows) * 2, dtype=object)  # object columns (a frame would infer "str")
    return frame.astype(dtype) if dtype is not None else frame


@pytest.mark.parametrize("dtype", [None, "str", "category"])
@pytest.mark.parametrize("bad", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_supervisor_ratings_are_the_filtered_mapped_latest_rows(seed, bad, dtype):
    from scoring.supervisor import supervisor_ratings_for

    for rows in (0, 1, 3, 40):
        frame = supervisor_ratings(seed * 50 + rows, rows, dtype, bad)
        for column in ("work_rating", "behaviour_rating"):
            same_outcome(outcome(lambda: supervisor_ratings_for(frame, column, Settings())),  # noqa: B023
                         outcome(lambda: _supervisor_ratings_for_before(frame, column, Settings())))  # noqa: B023


# ---- behaviour.behaviour_scores -----------------------------------------------------------------

def _behaviour_scores_before(behaviours, settings, periods):
    from scoring._groups import nested_group_ids
    from scoring.bands import round9
    from scoring.behaviour import ROLES, VALUE_SCORE_COLUMNS, _mean_rows, _sum_rows
    from scoring.errors import ScoringError
    from scoring.frames import VALUE_COLUMNS
    from scoring.periods import all_periods, month_to_period_index
    from scoring.settings import as_float

    bad = ~behaviours["role"].isin(ROLES)
    if bad.any():
        raise ScoringError(f"Behaviour rater role {behaviours.loc[bad, 'role'].iloc[0]!r} is not one of "
                           f"{', '.join(ROLES)}")
    labels = np.array(all_periods(settings.year, settings.period_type), dtype=object)
    period = labels[month_to_period_index(behaviours["month"], settings.period_type)]
    keep = np.isin(period, list(periods))
    rows = behaviours.loc[keep, ["nip", "rater_nip", "role"]].assign(period=period[keep])
    values = behaviours.loc[keep, list(VALUE_COLUMNS)].to_numpy(dtype="float64", na_value=np.nan)
    values = np.column_stack([values.mean(axis=1), values])
    _, (person_ids, person_first), (role_ids, role_first), (rater_ids, rater_first) = nested_group_ids(
        rows, ["period", "nip", "role", "rater_nip"])
    per_rater = _mean_rows(rater_ids, len(rater_first), values)
    per_role = _mean_rows(role_ids[rater_first], len(role_first), per_rater)
    role_keys = rows[["period", "nip", "role"]].iloc[role_first].reset_index(drop=True)
    ids = person_ids[role_first]
    keys = rows[["period", "nip"]].iloc[person_first].reset_index(drop=True)
    role = role_keys["role"].to_numpy(dtype=object)
    weight = np.select([role == "supervisor", role == "peer", role == "subordinate"],
                       [as_float(w) for w in (settings.rater_weight_supervisor, settings.rater_weight_peer,
                                              settings.rater_weight_subordinate)], default=0.0)
    n = len(keys)
    total = _sum_rows(ids, n, per_role * weight[:, None])
    weight_sum = np.bincount(ids, weights=weight, minlength=n)
    supervisor_rated = np.bincount(ids, weights=role == "supervisor", minlength=n) > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = total / weight_sum[:, None]
    scores[~(supervisor_rated & (weight_sum > 0))] = np.nan
    self_score = np.full(n, np.nan)
    is_self = role == "self"
    self_score[ids[is_self]] = per_role[is_self, 0]
    out = keys.assign(behaviour_score=round9(scores[:, 0]), self_score=round9(self_score),
                      supervisor_rated=supervisor_rated)
    for i, column in enumerate(VALUE_SCORE_COLUMNS, start=1):
        out[column] = round9(scores[:, i])
    return out


def behaviour_rows(seed: int, rows: int, nip_dtype, bad_role: bool) -> pd.DataFrame:
    from scoring.frames import VALUE_COLUMNS

    rng = np.random.default_rng(seed)
    roles = ["supervisor", "peer", "subordinate", "self"] + (["boss", None] if bad_role else [])
    index = pd.RangeIndex(rows) + 3
    frame = pd.DataFrame({
        "month": rng.integers(1, 13, rows),
        "nip": pd.Series(pick(rng, ["3", "1", "2", "10", None], rows), index=index, dtype=object),
        "rater_nip": pd.Series(pick(rng, ["9", "8", "7", "1", None], rows), index=index, dtype="str"),
        "role": pd.Series(pick(rng, roles, rows), index=index, dtype="str" if seed % 2 else object),
        **{v: rng.choice([1.0, 2.0, 3.0, 4.0, 5.0, np.nan], rows) for v in VALUE_COLUMNS},
    }, index=index)
    if nip_dtype == "category":  # as `Grid.own_rows` hands them over
        frame["nip"] = pd.Categorical(frame["nip"], categories=["1", "10", "2", "3", "4"])
    elif nip_dtype is not None:
        frame["nip"] = frame["nip"].astype(nip_dtype)
    return frame


@pytest.mark.parametrize("nip_dtype", [None, "str", "category"])
@pytest.mark.parametrize(("kind", "periods"), [
    ("monthly", ["2026-01", "2026-03", "2026-12"]), ("monthly", []), ("quarterly", ["2026-T2", "2026-T1"]),
    ("annual", ["2026"])])
@pytest.mark.parametrize("seed", range(3))
def test_behaviour_scores_are_what_the_frame_grouping_gave(seed, kind, periods, nip_dtype):
    from scoring.behaviour import behaviour_scores

    settings = Settings(period_type=kind)
    for rows, bad_role in [(0, False), (1, False), (60, False), (800, False), (60, True)]:
        frame = behaviour_rows(seed * 1000 + rows, rows, nip_dtype, bad_role)
        same_outcome(outcome(lambda: behaviour_scores(frame, settings, periods)),  # noqa: B023
                     outcome(lambda: _behaviour_scores_before(frame, settings, periods)))  # noqa: B023


# ---- grid.Grid.own_rows, grid.Grid.positions, ranking.best_employee ------------------------------

def _own_rows_before(grid, frame):
    kept = frame.loc[frame["nip"].isin(grid.nips)]
    return kept.assign(nip=kept["nip"].astype(str).astype(grid.nip_dtype))


def _positions_before(grid, frame):
    period = grid.periods.get_indexer(frame["period"].astype(object))
    nip = frame["nip"]
    if isinstance(nip.dtype, pd.CategoricalDtype):
        lookup = grid.nips.get_indexer(nip.cat.categories.astype(object))
        codes = nip.cat.codes.to_numpy()
        emp = np.where(codes >= 0, lookup[codes], -1)
    else:
        emp = grid.nips.get_indexer(nip.astype(object))
    return np.where((period >= 0) & (emp >= 0), period * len(grid.nips) + emp, -1)


def keyed_rows(seed: int, rows: int, dtype) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    index = pd.RangeIndex(rows) * 2 + 1
    frame = pd.DataFrame({
        "period": pick(rng, PERIODS + ["2026-11", None], rows),
        "nip": pick(rng, ["10", "2", "3", "77", None], rows),
        "value": rng.random(rows),
    }, index=index, dtype=object).astype({"value": "float64"})
    return frame.astype({"period": dtype, "nip": dtype}) if dtype is not None else frame


@pytest.mark.parametrize("dtype", [None, "str", "category"])
@pytest.mark.parametrize("seed", range(4))
def test_own_rows_and_positions_are_what_they_were(seed, dtype):
    from scoring.grid import Grid

    for employees, rows in [(0, 5), (3, 0), (3, 1), (3, 60), (5, 60)]:
        staff = pd.DataFrame({"nip": ["10", "2", "3", "4", "5"][:employees], "unit": "A"})
        grid = Grid(staff, PERIODS[: 1 + seed])
        frame = keyed_rows(seed * 10 + rows, rows, dtype)
        same(grid.own_rows(frame), _own_rows_before(grid, frame))
        if dtype == "category" and frame["nip"].cat.categories.empty:
            # the previous form failed here (IndexError: code -1 into no categories); now: not on the grid
            assert (grid.positions(frame) == -1).all()
        else:
            assert np.array_equal(grid.positions(frame), _positions_before(grid, frame))
        everyone = frame.loc[frame["nip"].isin(grid.nips)]  # every row kept: the frame as it is
        same(grid.own_rows(everyone), _own_rows_before(grid, everyone))


def _best_employee_before(results):
    rank = results["unit_rank"].to_numpy(dtype="float64", na_value=np.nan)
    eligible = ((results["status"].to_numpy(dtype=object) == "complete")
                & results["predikat"].isin(["very_good", "good"]).to_numpy() & ~np.isnan(rank))
    candidates = pd.DataFrame({"period": results["period"].to_numpy(dtype=object),
                               "unit": results["unit"].to_numpy(dtype=object), "rank": rank}).loc[eligible]
    best = candidates.groupby(["period", "unit"], sort=False, dropna=False)["rank"].idxmin()
    out = np.zeros(len(results), dtype=bool)
    out[best.to_numpy(dtype=np.int64)] = True
    return out


@pytest.mark.parametrize("categorical", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_best_employee_is_the_grouped_idxmin(seed, categorical):
    from scoring.ranking import best_employee

    rng = np.random.default_rng(seed)
    for rows in (0, 1, 30, 500):
        results = pd.DataFrame({
            "period": pick(rng, PERIODS[:2] + [None], rows),
            "unit": pick(rng, UNITS + [None], rows),
            # ties on purpose: the earliest row wins
            "unit_rank": pd.array(np.where(rng.random(rows) < 0.2, None, rng.integers(1, 6, rows)),
                                  dtype="Int64"),
            "status": pick(rng, ["complete", "incomplete", None], rows),
            "predikat": pick(rng, [*PREDIKATS, None], rows),
        }, index=pd.RangeIndex(rows) + 7)
        if categorical:
            results = results.astype({"period": "category", "unit": "category"})
        assert np.array_equal(best_employee(results), _best_employee_before(results.reset_index(drop=True)))


def _rank_employees_before(results):
    from scoring._groups import cumcount_sorted, ordered_codes
    from scoring.ranking import _ranks

    predikat_order = pd.Categorical(results["predikat"], categories=PREDIKATS).codes
    ranked = np.flatnonzero(predikat_order >= 0)
    period = ordered_codes(results["period"])[ranked]
    unit = ordered_codes(results["unit"])[ranked]
    sort = np.lexsort((ordered_codes(results["nip"])[ranked],
                       -results["work_achievement"].to_numpy(dtype="float64")[ranked],
                       -results["performance_score"].to_numpy(dtype="float64")[ranked],
                       predikat_order[ranked], period))
    rows = ranked[sort]
    agency = cumcount_sorted(period[sort]) + 1
    group = period[sort] * (unit.max(initial=0) + 1) + unit[sort]
    by_unit = np.argsort(group, kind="stable")
    unit_rank = np.empty(len(rows), dtype=np.int64)
    unit_rank[by_unit] = cumcount_sorted(group[by_unit]) + 1
    out = results.copy(deep=False)
    out["agency_rank"] = _ranks(len(results), rows, agency)
    out["unit_rank"] = _ranks(len(results), rows, unit_rank)
    return out


@pytest.mark.parametrize("dtype", [None, "str", "category"])
@pytest.mark.parametrize("seed", range(5))
def test_rank_employees_ranks_as_before(seed, dtype):
    from scoring.ranking import rank_employees

    rng = np.random.default_rng(seed)
    for rows in (0, 1, 40, 400):
        results = pd.DataFrame({
            "period": pick(rng, PERIODS[:3], rows),
            "nip": [str(i) for i in rng.permutation(rows)],
            "unit": pick(rng, UNITS + [None], rows),
            "predikat": pick(rng, [*PREDIKATS, None], rows),
            # few distinct scores: ties broken by work achievement, then nip
            "performance_score": np.where(rng.random(rows) < 0.2, np.nan, rng.integers(80, 84, rows)),
            "work_achievement": np.where(rng.random(rows) < 0.2, np.nan, rng.integers(90, 92, rows)),
        }, index=pd.RangeIndex(rows) + 11, dtype=object).astype(
            {"performance_score": "float64", "work_achievement": "float64"})
        if dtype is not None:
            results = results.astype({"period": dtype, "unit": dtype, "predikat": dtype})
        # (both fail alike on a categorical unit without categories: `ordered_codes` indexes code -1)
        same_outcome(outcome(lambda: rank_employees(results)),  # noqa: B023
                     outcome(lambda: _rank_employees_before(results)))  # noqa: B023


@pytest.mark.parametrize("seed", range(4))
def test_gaps_per_row_reads_categorical_periods_as_their_labels(seed):
    from scoring.gaps import gaps_per_row

    rng = np.random.default_rng(seed)
    rows = 120
    nips = pd.Series(pick(rng, ["1", "2", "3", "4"], rows))
    periods = pd.Series(pd.Categorical(pick(rng, ["2026-01", "2026-02", "2026-05", "2026-12"], rows),
                                       categories=["2026-01", "2026-02", "2026-05", "2026-12", "2026-07"]))
    rejected = pd.DataFrame({"nip": ["1", "3", "3"], "start": [1, 2, 5], "end": [12, 2, 5],
                             "cell": ["SKP!K1", "Perilaku!B2", "Perilaku!B9"]})
    missing = pd.DataFrame({"iki_code": ["K1", "K2", "K2"], "nip": ["2", "3", "3"], "month": [2, 3, 5],
                            "present": [0b10010, 0b100000, 0b100000]})
    cells, months = gaps_per_row(nips, periods, rejected, missing, 2026, "monthly")
    as_text = gaps_per_row(nips, periods.astype(str), rejected, missing, 2026, "monthly")
    assert cells.tolist() == as_text[0].tolist() and months.tolist() == as_text[1].tolist()
    assert any(cells) and any(months)
