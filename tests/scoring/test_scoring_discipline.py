"""Attendance % and the PP 94/2021 ladder (domain.md §6), hand-computed."""

import numpy as np
import pandas as pd
import pytest

from scoring import ScoringError
from scoring.discipline import (
    COUNT_COLUMNS,
    LADDER,
    SUMMARY_COLUMNS,
    attendance_by_month,
    discipline_step,
    discipline_summary,
    step_index,
)


def attendance(rows):
    """Rows from (nip, month, work_days, absent_no_reason) tuples; other counts 0."""
    return pd.DataFrame([{"nip": nip, "month": month, "work_days": work, **dict.fromkeys(
        COUNT_COLUMNS, 0), "absent_no_reason": absent} for nip, month, work, absent in rows])


def test_ladder_is_the_nine_rows_of_pp_94_2021():
    assert [(s.min_days, s.max_days, s.level) for s in LADDER] == [
        (3, 3, "light"), (4, 6, "light"), (7, 10, "light"),
        (11, 13, "moderate"), (14, 16, "moderate"), (17, 20, "moderate"),
        (21, 24, "severe"), (25, 27, "severe"), (28, None, "severe")]
    assert LADDER[0].sanction == "teguran lisan"
    assert LADDER[3].sanction == "pemotongan tunjangan kinerja 25 % selama 6 bulan"
    assert LADDER[-1].sanction == ("pemberhentian dengan hormat tidak atas permintaan sendiri "
                                   "sebagai PNS")
    # contiguous: each rung starts the day after the previous one ends
    for lower, upper in zip(LADDER, LADDER[1:], strict=False):
        assert upper.min_days == lower.max_days + 1


@pytest.mark.parametrize(("days", "code", "level"), [
    (0, None, None),
    (2, None, None),
    (3, "verbal_reprimand", "light"),
    (4, "written_reprimand", "light"),
    (6, "written_reprimand", "light"),
    (7, "written_dissatisfaction", "light"),
    (10, "written_dissatisfaction", "light"),
    (10.5, "written_dissatisfaction", "light"),   # half a day more has not reached 11
    (11, "allowance_cut_6m", "moderate"),
    (13, "allowance_cut_6m", "moderate"),
    (14, "allowance_cut_9m", "moderate"),
    (17, "allowance_cut_12m", "moderate"),
    (20, "allowance_cut_12m", "moderate"),
    (21, "demotion_12m", "severe"),
    (25, "release_to_executor_12m", "severe"),
    (27, "release_to_executor_12m", "severe"),
    (28, "dismissal", "severe"),
    (60, "dismissal", "severe"),
])
def test_ladder_edges(days, code, level):
    step = discipline_step(days)
    assert (step.code if step else None, step.level if step else None) == (code, level)


def test_step_index_vectorised_with_nan():
    assert step_index([np.nan, 2, 3, 28]).tolist() == [-1, -1, 0, 8]


def test_monthly_cumulation_from_january():
    rows = attendance([("A", 1, 21, 1), ("A", 2, 20, 1), ("A", 3, 22, 1), ("B", 3, 22, 0)])
    out = discipline_summary(rows, year=2026, period_type="monthly")
    assert list(out.columns) == list(SUMMARY_COLUMNS)
    a = out.loc[out["nip"] == "A"].reset_index(drop=True)
    assert a["period"].tolist() == ["2026-01", "2026-02", "2026-03"]
    assert a["absent_days"].tolist() == [1, 2, 3]
    assert a["work_days"].tolist() == [21, 41, 63]
    # Jan 20/21; Feb (20 + 19)/(21 + 20) = 39/41; Mar (20 + 19 + 21)/63 = 60/63
    assert a["attendance_pct"].tolist() == pytest.approx([2000 / 21, 3900 / 41, 6000 / 63])
    # 2 days: nothing; the third day (March) reaches teguran lisan
    assert a["discipline_step"].fillna("-").tolist() == ["-", "-", "verbal_reprimand"]
    assert a["sanction"].fillna("-").tolist() == ["-", "-", "teguran lisan"]
    b = out.loc[out["nip"] == "B"].iloc[0]
    assert (b["period"], b["attendance_pct"], b["months_reported"]) == ("2026-03", 100.0, 1)


def test_quarterly_edge_10_11():
    rows = attendance([("A", 1, 20, 5), ("A", 2, 20, 5), ("A", 4, 22, 1)])
    out = discipline_summary(rows, year=2026, period_type="quarterly")
    # T1: 5 + 5 = 10 days → pernyataan tidak puas (ringan); T2: 10 + 1 = 11 → sedang
    assert out["period"].tolist() == ["2026-T1", "2026-T2"]
    assert out["absent_days"].tolist() == [10, 11]
    assert out["discipline_level"].tolist() == ["light", "moderate"]
    assert out["sanction"].tolist() == [
        "pernyataan tidak puas secara tertulis",
        "pemotongan tunjangan kinerja 25 % selama 6 bulan"]
    # T2: (15 + 15 + 21) / (20 + 20 + 22) = 51/62
    assert out["attendance_pct"].iloc[1] == pytest.approx(5100 / 62)
    assert out["months_reported"].tolist() == [2, 3]


def test_semester_edge_27_28():
    rows = attendance([("A", 1, 20, 20), ("A", 5, 20, 7), ("A", 7, 20, 1)])
    out = discipline_summary(rows, year=2026, period_type="semester")
    # S1: 20 + 7 = 27 → pembebasan dari jabatan; S2: 28 → pemberhentian
    assert out["absent_days"].tolist() == [27, 28]
    assert out["discipline_step"].tolist() == ["release_to_executor_12m", "dismissal"]


def test_requested_periods_and_period_labels():
    rows = attendance([("A", 1, 20, 2)]).drop(columns="month").assign(period="2026-01")
    out = discipline_summary(rows, year=2026, period_type="quarterly", periods=["2026-T2"])
    # T2 asked: January still counts, cumulated from January
    assert out[["period", "absent_days", "attendance_pct"]].to_dict("records") == [
        {"period": "2026-T2", "absent_days": 2.0, "attendance_pct": 90.0}]


def test_missing_work_days_and_blank_counts():
    rows = attendance([("A", 1, np.nan, 1), ("A", 2, 20, np.nan)])
    out = discipline_summary(rows, year=2026, period_type="monthly")
    # January has no Hari Kerja: no percentage, but its day still counts for the ladder;
    # February's blank Tanpa Keterangan reads as 0: 20/20
    assert np.isnan(out["attendance_pct"].iloc[0])
    assert out["attendance_pct"].iloc[1] == 100.0
    assert out["absent_days"].tolist() == [1.0, 1.0]


def test_empty_attendance():
    out = discipline_summary(attendance([]).reindex(columns=["nip", "month", "work_days",
                                                            *COUNT_COLUMNS]),
                             year=2026, period_type="monthly")
    assert out.empty and list(out.columns) == list(SUMMARY_COLUMNS)


@pytest.mark.parametrize(("rows", "message"), [
    ([("A", 1, 20, 1), ("A", 1, 20, 0)], "two attendance rows"),
    ([("A", 13, 20, 1)], "month number"),
    ([("A", 1, 20, -1)], "negative"),
])
def test_bad_attendance_refused(rows, message):
    with pytest.raises(ScoringError, match=message):
        attendance_by_month(attendance(rows), 2026)


def test_other_year_refused():
    rows = attendance([("A", 1, 20, 1)]).drop(columns="month").assign(period="2025-01")
    with pytest.raises(ScoringError, match="outside the evaluation year"):
        attendance_by_month(rows, 2026)
