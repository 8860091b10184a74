"""End to end: a small agency whose every number is worked out by hand below."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import Frames, Results, ScoringError, Settings, score
from scoring.capaian import INDICATOR_COLUMNS
from scoring.ikm_units import IKM_COLUMNS
from scoring.pipeline import RESULT_COLUMNS
from scoring.summary import SUMMARY_COLUMNS

SETTINGS = Settings(org_predikat="good")


@pytest.fixture(scope="module")
def agency(mk):
    """Unit "Bidang Pelayanan": A and B; "Sekretariat": C and the inactive D.

    January
      A: K1 sum, target 12 → T = 1, R = 1.2 → 120 % (above); supervisor 5 (above)
         → very_good; IKM of the unit (one answer sheet of 4s) = 100
         → score (60 × 120 + 30 × 100 + 10 × 100) / 100 = 112.
      B: K2 last, target 100, R = 95 → 95 % (meets); supervisor 4 (meets) → good;
         own IKM from 5 sheets of 2s = 50 (D) → (60 × 95 + 30 × 80 + 10 × 50) / 100 = 86.
      C: no SKP; only a peer rated; the supervisor set work "above", behaviour "meets"
         → good, no numeric part → no score.
    February
      A: R = 1.8, T = 2 → 90 % (meets); supervisor 4 → good; no surveys
         → (60 × 90 + 30 × 80) / 90 = 86.67.
      B: nothing reported; last = 95 (meets); supervisor 5 (above) → good
         → (60 × 95 + 30 × 100) / 90 = 96.67; incomplete (no_realisation).
      C: nothing → no predikat.
    """
    return mk.frames(
        employees=[mk.employee("A", "Bidang Pelayanan"), mk.employee("B", "Bidang Pelayanan"),
                   mk.employee("C", "Sekretariat"),
                   mk.employee("D", "Sekretariat", active=False)],
        indicators=[mk.indicator("K1", "A", 12.0), mk.indicator("K2", "B", 100.0,
                                                                 aggregation="last"),
                    mk.indicator("K3", "D", 12.0)],
        realisations=[mk.realisation("K1", 1, 1.2), mk.realisation("K1", 2, 0.6),
                      mk.realisation("K2", 1, 95.0), mk.realisation("K3", 1, 5.0)],
        behaviours=[mk.behaviour("A", "S", "supervisor", 1, 5),
                    mk.behaviour("B", "S", "supervisor", 1, 4),
                    mk.behaviour("C", "P", "peer", 1, 5),
                    mk.behaviour("D", "S", "supervisor", 1, 5),
                    mk.behaviour("A", "S", "supervisor", 2, 4),
                    mk.behaviour("B", "S", "supervisor", 2, 5)],
        supervisor_ratings=[{"period": "2026-01", "nip": "C", "work_rating": "above",
                             "behaviour_rating": "meets"}],
        surveys=[mk.survey(1, "bidang  pelayanan", 4, rid="u1")]
        + [mk.survey(1, "Loket", 2, officer="B", rid=f"o{i}") for i in range(5)],
        service_units=[{"service_unit": "Bidang Pelayanan", "period": "2026-01",
                        "population": 10}],
    )


@pytest.fixture(scope="module")
def results(agency):
    return score(agency, SETTINGS)


def row(results, period, nip):
    frame = results.results
    (found,) = frame.loc[(frame["period"] == period) & (frame["nip"] == nip)].to_dict("records")
    return found


def test_frames_and_columns(results):
    for frame in (results.results, results.indicators, results.units, results.ikm):
        for column in ("period", "unit", "service_unit", "predikat", "rating", "ikm_quality"):
            if column in frame.columns:
                assert str(frame[column].dtype) == "str", column
    assert isinstance(results, Results)
    assert tuple(results.results.columns) == RESULT_COLUMNS
    assert tuple(results.indicators.columns) == INDICATOR_COLUMNS
    assert tuple(results.units.columns) == SUMMARY_COLUMNS
    assert tuple(results.agency.columns) == SUMMARY_COLUMNS
    assert tuple(results.ikm.columns) == IKM_COLUMNS
    for column in ("unit_rank", "agency_rank", "rank_change"):
        assert str(results.results[column].dtype) == "Int64"


def test_every_active_employee_every_period_sorted(results):
    got = results.results[["period", "unit", "nip", "unit_rank"]].astype(object)
    assert got.values.tolist() == [
        ["2026-01", "Bidang Pelayanan", "A", 1],
        ["2026-01", "Bidang Pelayanan", "B", 2],
        ["2026-01", "Sekretariat", "C", 1],
        ["2026-02", "Bidang Pelayanan", "B", 1],
        ["2026-02", "Bidang Pelayanan", "A", 2],
        ["2026-02", "Sekretariat", "C", pd.NA],
    ]
    assert "K3" not in set(results.indicators["iki_code"])  # D is inactive


def test_january(results):
    a, b, c = (row(results, "2026-01", nip) for nip in "ABC")
    assert (a["work_achievement"], a["work_rating"], a["behaviour_score"]) == (120.0, "above", 5.0)
    assert (a["ikm"], a["ikm_quality"], a["ikm_source"]) == (100.0, "A", "unit")
    assert (a["performance_score"], a["predikat"], a["rating_source"]) == (112.0, "very_good",
                                                                           "auto")
    assert (a["status"], a["reasons"], a["best_employee"]) == ("complete", (), True)
    assert a["follow_up"] == ("award",)
    assert (b["work_achievement"], b["work_rating"], b["behaviour_rating"]) == (95.0, "meets",
                                                                                "meets")
    assert (b["ikm"], b["ikm_quality"], b["ikm_source"]) == (50.0, "D", "officer")
    assert (b["performance_score"], b["predikat"], b["follow_up"]) == (86.0, "good",
                                                                       ("service_coaching",))
    assert (c["predikat"], c["rating_source"], c["agency_rank"]) == ("good", "supervisor", 3)
    assert np.isnan(c["performance_score"]) and np.isnan(c["behaviour_score"])
    assert (c["status"], c["reasons"], c["best_employee"]) == ("incomplete", ("no_indicators",),
                                                               False)
    assert [a["agency_rank"], b["agency_rank"]] == [1, 2]
    assert pd.isna(a["rank_change"])  # January has no previous period


def test_february(results):
    a, b, c = (row(results, "2026-02", nip) for nip in "ABC")
    assert (a["work_achievement"], a["predikat"]) == (90.0, "good")
    assert a["performance_score"] == pytest.approx(7800 / 90)
    assert b["performance_score"] == pytest.approx(8700 / 90)
    assert np.isnan(a["ikm"]) and pd.isna(a["ikm_source"])
    assert (b["status"], b["reasons"]) == ("incomplete", ("no_realisation",))
    assert (b["agency_rank"], a["agency_rank"]) == (1, 2)
    assert (b["rank_change"], a["rank_change"]) == (1, -1)  # B 2 → 1, A 1 → 2
    assert (b["best_employee"], a["best_employee"]) == (False, True)  # B is incomplete
    assert pd.isna(c["predikat"]) and pd.isna(c["rating_source"]) and pd.isna(c["agency_rank"])
    assert c["reasons"] == ("no_indicators", "no_supervisor_rating")


def test_units_and_agency(results):
    units = results.units.loc[results.units["period"] == "2026-01"].to_dict("records")
    bidang, sekretariat = units
    assert (bidang["employees"], bidang["scored"], bidang["mean_score"]) == (2, 2, 99.0)
    assert (bidang["count_very_good"], bidang["count_good"]) == (1, 1)
    assert (bidang["ikm"], bidang["ikm_quality"]) == (100.0, "A")
    assert [b["rule"] for b in bidang["breaches"]] == ["must_have"]
    assert sekretariat["employees"] == 1  # D is inactive
    assert [b["rule"] for b in sekretariat["breaches"]] == ["max", "must_have"]
    january = results.agency.iloc[0]
    assert pd.isna(january["unit"])
    assert (january["employees"], january["scored"]) == (3, 3)
    # all 6 January sheets pooled: ΣS = 36 + 5 × 18 = 126 → 2500 × 126 / 54 = 5833.3 → 58.33
    assert (january["ikm"], january["ikm_quality"]) == (58.33, "D")
    assert january["distribution_ok"] is False


def test_ikm_frame(results):
    ikm = results.ikm
    got = ikm[["scope", "period", "service_unit", "respondents", "ikm"]].values.tolist()
    assert got == [
        ["period", "2026-01", "Loket", 5, 50.0],
        ["period", "2026-01", "bidang  pelayanan", 1, 100.0],
        ["ytd", "2026-01", "Loket", 5, 50.0],
        ["ytd", "2026-01", "bidang  pelayanan", 1, 100.0],
        ["ytd", "2026-02", "Loket", 5, 50.0],
        ["ytd", "2026-02", "bidang  pelayanan", 1, 100.0],
    ]
    bidang = ikm.iloc[1]
    assert (bidang["population"], bidang["min_sample"], bidang["adequate"]) == (10, 10, False)
    assert pd.isna(ikm.iloc[5]["population"])  # February's population is unknown


def test_one_requested_period_still_gets_rank_change(agency):
    out = score(agency, SETTINGS, ["2026-02"])
    assert set(out.results["period"]) == {"2026-02"}
    assert out.results.set_index("nip")["rank_change"].tolist() == [1, -1, pd.NA]
    assert set(out.indicators["period"].astype(str)) == {"2026-02"}
    assert set(out.units["period"]) == {"2026-02"}


def test_inputs_are_not_mutated(agency):
    before = {name: getattr(agency, name).copy(deep=True) for name in vars(agency)}
    score(agency, SETTINGS)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(getattr(agency, name), frame)


def test_quarterly(agency, mk):
    # supervisor ratings and populations carry monthly labels: a quarterly run rejects them
    frames = dataclasses.replace(agency, supervisor_ratings=mk.frame("supervisor_ratings"),
                                 service_units=mk.frame("service_units"))
    out = score(frames, Settings(period_type="quarterly"))
    a = out.results.set_index("nip").loc["A"]
    # T1: R = 1.8, T = 12 × 3 / 12 = 3 → 60 % (below); behaviour mean of 5 and 4 = 4.5 (above)
    assert (a["period"], a["work_achievement"], a["behaviour_score"]) == ("2026-T1", 60.0, 4.5)
    assert a["predikat"] == "needs_improvement"


def test_empty_inputs():
    out = score(Frames.empty(), Settings())
    assert out.results.empty and tuple(out.results.columns) == RESULT_COLUMNS
    assert out.units.empty and out.agency.empty and out.ikm.empty and out.indicators.empty


def test_employees_without_data_for_a_requested_period(mk):
    frames = mk.frames(employees=[mk.employee("A")])
    out = score(frames, Settings(), ["2026-05"])
    (only,) = out.results.to_dict("records")
    assert (only["status"], only["reasons"]) == ("incomplete",
                                                 ("no_indicators", "no_supervisor_rating"))


def test_bad_period_label(agency):
    with pytest.raises(ScoringError, match="not a monthly period label"):
        score(agency, SETTINGS, ["2026-T1"])


def test_missing_column(mk):
    frames = mk.frames()
    broken = Frames(employees=frames.employees.drop(columns=["unit"]))
    with pytest.raises(ScoringError, match="employees frame lacks column"):
        score(broken, Settings())


def test_duplicate_nip(mk):
    frames = mk.frames(employees=[mk.employee("A"), mk.employee("A")])
    with pytest.raises(ScoringError, match="NIP 'A' appears more than once"):
        score(frames, Settings())


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_same_results_whatever_the_row_order(agency, results, seed):
    shuffled = Frames(**{
        name: getattr(agency, name).sample(frac=1, random_state=seed).reset_index(drop=True)
        for name in vars(agency)
    })
    again = score(shuffled, SETTINGS)
    for name in ("results", "units", "agency", "ikm"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(results, name))


def test_service_coaching_only_for_the_officers_own_ikm(mk):
    """The unit's IKM (one sheet of 2s → 50, mutu D) counts in A's score but is not A's service."""
    frames = mk.frames(
        employees=[mk.employee("A", "Loket")],
        indicators=[mk.indicator("K1", "A", 12.0)],
        realisations=[mk.realisation("K1", 1, 1.0)],
        behaviours=[mk.behaviour("A", "S", "supervisor", 1, 4)],
        surveys=[mk.survey(1, "Loket", 2, rid="u1")],
    )
    a = row(score(frames, SETTINGS), "2026-01", "A")
    assert (a["ikm"], a["ikm_quality"], a["ikm_source"]) == (50.0, "D", "unit")
    assert "service_coaching" not in a["follow_up"]
