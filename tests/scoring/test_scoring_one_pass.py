"""Rules computed in one pass over every period (issue 17) give the frames the per-period form gives.

`ikm_table` and `discipline_summary` once built a frame per period and concatenated them; they now
group every period's rows at once, and fall back to the per-period frames where those would give
other dtypes (a period without rows, or without any IKM). `unit_complaint_summary` once filtered a
frame per unit and period. These tests pin the results to what the per-period form makes.
"""

import numpy as np
import pandas as pd
import pytest

from scoring import Settings
from scoring.complaints import complaint_outcomes, unit_complaint_summary, units_from_outcomes
from scoring.discipline import (
    COUNT_COLUMNS,
    _cumulated,
    _period_sums,
    attendance_by_month,
    discipline_summary,
)
from scoring.ikm_units import _table, _table_part, ikm_table
from scoring.periods import period_months

ITEMS = [f"u{i}" for i in range(1, 10)]


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal frames: dtypes, values, and None/NaN where each has them."""
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for column in a.columns:
        assert [repr(v) for v in a[column].tolist()] == [repr(v) for v in b[column].tolist()], column


def picks(rows: list[tuple]) -> list[tuple]:
    """`_table`'s picks from (scope, period, [(unit, respondents, population, answer)])."""
    out = []
    for scope, label, units in rows:
        answers = [[a] * 9 if a is not None else [0] * 9 for *_, a in units]
        counts = [[r] * 9 if a is not None else [0] * 9 for _, r, _, a in units]
        out.append((scope, label, np.array([u for u, *_ in units], dtype=object),
                    np.array([r for _, r, *_ in units], dtype="float64"),
                    np.array([p for _, _, p, _ in units], dtype="float64"),
                    np.array(answers, dtype="float64").reshape(-1, 9) * np.array(
                        [r for _, r, *_ in units], dtype="float64").reshape(-1, 1),
                    np.array(counts, dtype="float64").reshape(-1, 9)))
    return out


@pytest.mark.parametrize("rows", [
    # every pick with rows and an IKM: one frame
    [("period", "2026-01", [("Loket", 3, 100.0, 3), ("Gudang", 1, np.nan, 4)]),
     ("ytd", "2026-01", [("Loket", 3, 100.0, 3)])],
    # a pick without rows: the per-pick frames (object text columns)
    [("period", "2026-01", [("Loket", 3, 100.0, 3)]), ("period", "2026-02", [])],
    # a pick whose units have respondents but no answer at all: no IKM, no quality
    [("period", "2026-01", [("Loket", 3, 100.0, 3)]), ("period", "2026-02", [("Loket", 2, 100.0, None)])],
])
def test_the_ikm_rows_of_every_period_at_once_are_the_per_period_frames_concatenated(rows):
    settings = Settings()
    chosen = picks(rows)
    same(_table(chosen, settings),
         pd.concat([_table_part(*pick, settings) for pick in chosen], ignore_index=True))


def test_an_ikm_table_with_a_period_without_surveys_keeps_its_types():
    surveys = pd.DataFrame({"response_id": ["a", "b"], "month": [1, 1], "service_unit": ["Loket", "Gudang"],
                            **{item: [3.0, 4.0] for item in ITEMS}})
    units = pd.DataFrame(columns=["service_unit", "period", "population"])
    both = ikm_table(surveys, units, Settings(), ["2026-01", "2026-02"])
    alone = ikm_table(surveys, units, Settings(), ["2026-01"])
    assert both["service_unit"].dtype == object and alone["service_unit"].dtype == "str"
    # sorted by scope, period, unit: the period rows of January, the year-to-date rows of both months
    assert both["ikm"].tolist() == [100.0, 75.0] * 3
    assert both["service_unit"].tolist() == ["Gudang", "Loket"] * 3


def attendance(months: list[int]) -> pd.DataFrame:
    rng = np.random.default_rng(len(months))
    rows = [{"month": m, "nip": nip, "work_days": [20.0, np.nan][(m + int(nip)) % 7 == 0],
             **{c: float(rng.choice([0, 0, 1, 2.5, 0.1])) for c in COUNT_COLUMNS}}
            for m in months for nip in ("3", "1", "2")]
    return pd.DataFrame(rows)


@pytest.mark.parametrize(("months", "kind", "periods"), [
    (list(range(1, 13)), "monthly", None),
    ([2, 3, 5], "quarterly", None),
    ([5, 6], "monthly", ["2026-01", "2026-05", "2026-06"]),  # January has no rows: per-period frames
])
def test_the_discipline_sums_of_every_period_at_once_are_the_per_period_frames_concatenated(
        months, kind, periods):
    frame = attendance(months)
    rows = attendance_by_month(frame, 2026)
    rows = rows.assign(present_days=rows["work_days"] - rows["absent_no_reason"])
    labels = periods or sorted({label for label in discipline_summary(frame, year=2026, period_type=kind)[
        "period"]})
    month = rows["month"].to_numpy()
    so_far = [np.flatnonzero(month <= period_months(label, 2026, kind)[1]) for label in labels]
    per_period = pd.concat([_period_sums(rows.iloc[picked], label)
                            for label, picked in zip(labels, so_far, strict=True)], ignore_index=True)
    if all(len(picked) for picked in so_far):
        same(_cumulated(rows, labels, so_far), per_period)
    out = discipline_summary(frame, year=2026, period_type=kind, periods=periods)
    assert out["period"].tolist() == per_period["period"].tolist()
    assert out["nip"].tolist() == per_period["nip"].tolist()
    assert out["absent_days"].tolist() == per_period["absent_days"].tolist()
    # the checked rows handed in are used as they are, and not changed
    given = attendance_by_month(frame, 2026)
    same(discipline_summary(frame, year=2026, period_type=kind, periods=periods, rows=given), out)
    assert "present_days" not in given.columns


def test_the_unit_complaint_summary_counts_each_unit_and_period_as_a_filter_of_the_outcomes_does():
    stamps = pd.to_datetime(["2026-01-05", "2026-01-06", "2026-01-20", "2026-02-02", "2026-02-03"])
    complaints = pd.DataFrame({"response_id": ["r1", "r2", "r3", "r4", "r5"], "timestamp": stamps,
                               "service_unit": ["Loket", " loket ", None, "Gudang", "Loket"],
                               "officer_nip": [None] * 5,
                               "deadline": [d.date() + pd.Timedelta(days=5) for d in stamps]})
    handled = pd.DataFrame({"response_id": ["r1", "r2", "r4"], "status": ["done", "done", "in_progress"],
                            "finished_on": [pd.Timestamp("2026-01-07"), pd.Timestamp("2026-01-10"), None]})
    today = pd.Timestamp("2026-02-20").date()
    out = unit_complaint_summary(complaints, handled, year=2026, period_type="monthly", today=today,
                                 units=("Arsip",))
    outcomes = complaint_outcomes(complaints, handled, year=2026, period_type="monthly", today=today)
    same(units_from_outcomes(outcomes, year=2026, period_type="monthly", units=("Arsip",)), out)
    january = out.loc[out["period"] == "2026-01"]
    january = january.set_index(january["scope"] + ":" + january["service_unit"].fillna(""))
    figures = ["complaints", "open", "overdue", "open_overdue"]
    assert january.loc["unit:Loket", figures].tolist() == [2, 0, 0, 0]
    assert january.loc["unit:Loket", "median_days_to_done"] == 3.0  # 2 and 4 days
    assert january.loc["unit:Arsip", "complaints"] == 0
    assert np.isnan(january.loc["unit:Arsip", "median_days_to_done"])
    assert january.loc["agency:", ["complaints", "open"]].tolist() == [3, 1]
    february = out.loc[(out["period"] == "2026-02") & (out["scope"] == "agency")].iloc[0]
    assert february[figures].tolist() == [2, 2, 2, 2]


def _cumulated_by_text(rows: pd.DataFrame, labels: list[str], so_far: list[np.ndarray]) -> pd.DataFrame:
    """`_cumulated` as it was: every period's rows copied whole and grouped by (period, NIP text)."""
    period = np.repeat(np.arange(len(labels)), [len(picked) for picked in so_far])
    taken = rows.iloc[np.concatenate(so_far)].assign(_period=period)
    grouped = taken.groupby(["_period", "nip"], sort=True)
    out = pd.DataFrame({
        "months_reported": grouped["month"].count(),
        "work_days": grouped["work_days"].sum(min_count=1),
        "present_days": grouped["present_days"].sum(min_count=1),
        "absent_days": grouped["absent_no_reason"].sum(),
    }).reset_index()
    out.insert(0, "period", np.array(labels, dtype=object)[out.pop("_period").to_numpy()])
    return out


@pytest.mark.parametrize("nips", [
    ["3", "1", "2"],  # unsorted
    ["10", "9", "1"],  # text order, not number order
    ["2", np.nan, "1"],  # a missing NIP is in no group
    [np.nan, np.nan, np.nan],  # no group at all
    ["1", "1", "1"],  # one NIP, repeated months summed in row order
    [3, 1, 2],  # numbers (an object column keeps them)
    ["2", 1.5, np.nan],  # mixed
])
@pytest.mark.parametrize("as_object", [False, True])
def test_the_discipline_sums_grouped_by_nip_codes_are_those_grouped_by_the_nip_text(nips, as_object):
    rng = np.random.default_rng(7)
    rows = pd.DataFrame([{"month": m, "nip": nip, "work_days": [20.0, np.nan][(m + i) % 5 == 0],
                          **{c: float(rng.choice([0, 1, 2.5, 0.1])) for c in COUNT_COLUMNS},
                          "note": f"n{m}{i}"}
                         for m in (1, 2, 3, 4) for i, nip in enumerate(nips)])
    rows["nip"] = rows["nip"].astype(object) if as_object else rows["nip"].astype(str)
    rows = rows.assign(present_days=rows["work_days"] - rows["absent_no_reason"])
    labels = ["2026-01", "2026-02", "2026-04"]
    month = rows["month"].to_numpy()
    so_far = [np.flatnonzero(month <= period_months(label, 2026, "monthly")[1]) for label in labels]
    same(_cumulated(rows, labels, so_far), _cumulated_by_text(rows, labels, so_far))


# --- behaviour: the three groupings from one coding of the keys ---------------------------------------

def _behaviour_scores_regrouped(behaviours: pd.DataFrame, settings: Settings, periods: list[str]):
    """`behaviour_scores` as it was: each grouping made again from the key frame of the one before."""
    from scoring._groups import group_ids
    from scoring.bands import round9
    from scoring.behaviour import VALUE_SCORE_COLUMNS, _sum_rows
    from scoring.frames import VALUE_COLUMNS
    from scoring.periods import all_periods, month_to_period_index
    from scoring.settings import as_float

    def group_mean(frame, keys, values):
        ids, key_frame = group_ids(frame, keys)
        n = len(key_frame)
        return _sum_rows(ids, n, values) / np.bincount(ids, minlength=n)[:, None], key_frame

    labels = np.array(all_periods(settings.year, settings.period_type), dtype=object)
    period = labels[month_to_period_index(behaviours["month"], settings.period_type)]
    keep = np.isin(period, list(periods))
    rows = behaviours.loc[keep, ["nip", "rater_nip", "role"]].assign(period=period[keep])
    values = behaviours.loc[keep, list(VALUE_COLUMNS)].to_numpy(dtype="float64", na_value=np.nan)
    values = np.column_stack([values.mean(axis=1), values])
    per_rater, rater_keys = group_mean(rows, ["period", "nip", "role", "rater_nip"], values)
    per_role, role_keys = group_mean(rater_keys, ["period", "nip", "role"], per_rater)
    ids, keys = group_ids(role_keys, ["period", "nip"])
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


def behaviours(rows: int, seed: int, categorical: bool = False) -> pd.DataFrame:
    from scoring.frames import VALUE_COLUMNS

    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "month": rng.integers(1, 13, rows),
        "nip": rng.choice(["3", "1", "2", "10", None], rows),
        "rater_nip": rng.choice(["9", "8", "7", "1", np.nan], rows),
        "role": rng.choice(["supervisor", "peer", "subordinate", "self"], rows),
        **{v: rng.choice([1.0, 2.0, 3.0, 4.0, 5.0, np.nan], rows) for v in VALUE_COLUMNS},
    })
    frame["nip"] = frame["nip"].astype(str) if seed % 2 else frame["nip"].astype(object)
    if categorical:
        frame["role"] = frame["role"].astype("category")
    return frame


@pytest.mark.parametrize(("rows", "seed", "categorical"), [
    (0, 0, False), (1, 1, False), (40, 2, False), (600, 3, False), (600, 4, True), (3000, 5, False)])
@pytest.mark.parametrize(("kind", "periods"), [
    ("monthly", ["2026-01", "2026-03", "2026-12"]), ("quarterly", ["2026-T1", "2026-T3"]),
    ("annual", ["2026"])])
def test_the_behaviour_groups_from_one_coding_are_those_grouped_again(rows, seed, categorical, kind,
                                                                      periods):
    from scoring.behaviour import behaviour_scores

    settings = Settings(period_type=kind)
    frame = behaviours(rows, seed, categorical)
    labels = [p for p in periods if kind != "annual" or p == "2026"]
    same(behaviour_scores(frame, settings, labels), _behaviour_scores_regrouped(frame, settings, labels))
