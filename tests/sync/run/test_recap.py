"""The master recap as pure functions: ranking across agencies, latest periods, best employees, trend."""

from __future__ import annotations

import doctest
import importlib

import numpy as np
import pandas as pd
import pytest

from sheet_templates import recap as T
from sync.run import recap, recap_tabs
from sync.run.history import AGENCY_UNIT


@pytest.mark.parametrize("name", ["sync.run.recap", "sync.run.recap_tabs"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0


def summary(source, period, unit=AGENCY_UNIT, mean=80.0, employees=10, scored=10, **counts):
    row = {"source": source, "period": period, "unit": unit, "employees": employees, "scored": scored,
           "mean_score": mean, "ikm": 85.0, "ikm_quality": "B", "distribution_ok": None, "breaches": []}
    row.update({f"count_{c}": counts.get(c, 0) for c in ("very_good", "good", "needs_improvement", "poor",
                                                         "very_poor")})
    return row


AGENCIES = pd.DataFrame({"source": ["a", "b", "c", "d"],
                         "agency": ["Dinas A", "Dinas B", "Dinas C", "Dinas D"], "order": [0, 1, 2, 3],
                         "scored_at": ["2026-04-01 07:00"] * 3 + [None],
                         "last_run": ["Berhasil"] * 3 + [T.NEVER_SCORED]})


def test_agencies_are_ranked_by_mean_score_then_share_scored_then_name():
    frame = pd.DataFrame([
        summary("a", "2026-03", mean=85.0, scored=8), summary("b", "2026-03", mean=85.004, scored=10),
        summary("c", "2026-03", mean=90.0, scored=2),
    ])
    out = recap.agency_recap(AGENCIES, frame)
    assert out["source"].tolist() == ["c", "b", "a", "d"]
    assert out["rank"].tolist() == [1, 2, 3, pd.NA]  # 85.004 shows as 85.00: b scored everyone


def test_rank_change_compares_each_agency_with_its_previous_period():
    frame = pd.DataFrame([
        summary("a", "2026-01", mean=90.0), summary("a", "2026-02", mean=80.0),
        summary("b", "2026-01", mean=85.0), summary("b", "2026-02", mean=88.0),
        summary("c", "2026-T1", mean=70.0),  # another period type, no previous period
    ])
    out = recap.agency_recap(AGENCIES, frame).set_index("source")
    assert out.loc["b", "rank"] == 1 and out.loc["b", "rank_change"] == 1  # was 2nd
    assert out.loc["a", "rank_change"] == -1
    assert pd.isna(out.loc["c", "rank_change"])


def test_latest_period_orders_labels_by_calendar_not_by_text():
    frame = pd.DataFrame([summary("a", p) for p in ("2026-09", "2026-10", "2026-T3", "2025-12")])
    assert recap.latest_periods(frame).to_dict("records") == [
        {"source": "a", "period": "2026-10", "previous": "2026-T3"}]


def test_unit_recap_puts_each_agency_row_after_its_units():
    frame = pd.DataFrame([summary("b", "2026-02"), summary("b", "2026-02", "Bidang Z"),
                          summary("a", "2026-02"), summary("a", "2026-02", "Bidang Y"),
                          summary("a", "2026-01", "Bidang Old")])
    tab = recap_tabs.unit_tab(recap.unit_recap(AGENCIES, frame))
    assert [(r[0], r[2]) for r in tab.rows] == [("Dinas A", "Bidang Y"), ("Dinas A", "Seluruh Instansi"),
                                                ("Dinas B", "Bidang Z"), ("Dinas B", "Seluruh Instansi")]
    assert tab.highlight_rows == {1, 3}


def test_best_employees_of_the_latest_period_with_the_agency_best_marked():
    best = pd.DataFrame([
        {"source": "a", "period": "2026-02", "unit": "U1", "nip": "1", "name": "Ani", "position": "Staf",
         "predikat": "good", "performance_score": 95.0, "unit_rank": 1, "agency_rank": 3, "rank_change": 1},
        {"source": "a", "period": "2026-02", "unit": "U2", "nip": "2", "name": "Budi", "position": "Staf",
         "predikat": "very_good", "performance_score": 101.0, "unit_rank": 2, "agency_rank": 1,
         "rank_change": 0},
        {"source": "a", "period": "2026-01", "unit": "U1", "nip": "3", "name": "Citra", "position": "Staf",
         "predikat": "good", "performance_score": 99.0, "unit_rank": 1, "agency_rank": 1,
         "rank_change": None},
    ])
    frame = pd.DataFrame([summary("a", "2026-01"), summary("a", "2026-02")])
    tab = recap_tabs.best_tab(recap.best_recap(AGENCIES, best, frame))
    assert [(r[4], r[6], r[-2], r[-1]) for r in tab.rows] == [("Budi", "Sangat Baik", "=", "★"),
                                                              ("Ani", "Baik", "▲ 1", "")]
    assert tab.highlight_rows == {0}


def test_trend_shows_the_last_periods_of_the_pemda_and_the_last_change():
    frame = pd.DataFrame([summary("a", f"2026-{m:02d}", mean=80.0 + m) for m in range(1, 9)]
                         + [summary("b", "2026-08", mean=70.0)])
    wide, periods = recap.trend(AGENCIES, frame, count=3)
    assert periods == ["2026-06", "2026-07", "2026-08"]
    assert wide["source"].tolist() == ["a", "b"]
    assert wide.loc[0, "change"] == pytest.approx(1.0) and np.isnan(wide.loc[1, "change"])
    tab = recap_tabs.trend_tab(wide, periods)
    assert [c.header for c in tab.columns] == ["Instansi", "Sumber", "2026-06", "2026-07", "2026-08",
                                               "Perubahan"]
    assert tab.rows[1] == ("Dinas B", "b", None, None, 70.0, None)
    assert tab.charts[0].series_columns == (2, 3, 4) and tab.charts[0].kind == "bar"


def test_the_recap_of_a_pemda_with_no_results_yet_is_still_four_tabs():
    empty = pd.DataFrame(columns=list(summary("a", "2026-01")))
    best = pd.DataFrame(columns=["source", "period", "unit", "nip", "name", "position", "predikat",
                                 "performance_score", "unit_rank", "agency_rank", "rank_change"])
    tabs = recap_tabs.build_recap(AGENCIES, empty, best)
    assert [t.name for t in tabs] == [t.label for t in T.RECAP_TABS]
    assert [r[2] for r in tabs[0].rows] == ["Dinas A", "Dinas B", "Dinas C", "Dinas D"]
    assert not tabs[0].charts and not tabs[1].rows and not tabs[2].rows and not tabs[3].rows
