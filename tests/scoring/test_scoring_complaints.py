"""Complaints (issue 16): detection, deadlines, per-officer and per-unit counts."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from scoring.complaints import (
    COMPLAINT_COLUMNS,
    OFFICER_COLUMNS,
    UNIT_COLUMNS,
    ComplaintSettings,
    complaint_outcomes,
    detect_complaints,
    officer_complaints,
    unit_complaint_summary,
)
from scoring.errors import ScoringError
from scoring.frames import ITEM_COLUMNS

D = dt.date
OFFICER_A = "198503142010031002"
OFFICER_B = "199001012015042001"


def answer(rid, when, unit="Loket A", officer=None, low=(), value=1.0, others=4.0, suggestion=None):
    """One survey row: every item `others`, except the items in `low` answered `value`."""
    items = {item: (value if item in low else others) for item in ITEM_COLUMNS}
    return {"response_id": rid, "timestamp": pd.Timestamp(when), "service_unit": unit,
            "service_type": "KTP", "officer_nip": officer, "suggestion": suggestion, **items}


def surveys(*rows):
    return pd.DataFrame(list(rows))


# --- settings -------------------------------------------------------------------------------------

def test_settings_defaults():
    s = ComplaintSettings()
    assert (s.threshold, s.deadline_days, s.repeat_threshold, s.holidays) == (1, 5, 3, ())


@pytest.mark.parametrize(
    ("field", "value"),
    [("threshold", 0), ("threshold", 4), ("threshold", 1.5), ("threshold", True), ("threshold", "2"),
     ("deadline_days", 0), ("deadline_days", 2.5), ("repeat_threshold", 0), ("repeat_threshold", -1)],
)
def test_settings_reject(field, value):
    with pytest.raises(ScoringError, match=field):
        ComplaintSettings(**{field: value})


def test_settings_accept_whole_floats_and_reject_non_date_holidays():
    assert ComplaintSettings(threshold=3.0, deadline_days=10.0).deadline_days == 10
    with pytest.raises(ScoringError, match="holidays"):
        ComplaintSettings(holidays=("2026-03-19",))


# --- detection ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("when", "days", "due"),
    [
        ("2026-03-02 08:00", 5, D(2026, 3, 9)),    # Monday → next Monday
        ("2026-03-04 23:59", 5, D(2026, 3, 11)),   # Wednesday, late evening: still that day
        ("2026-03-06 16:30", 5, D(2026, 3, 13)),   # Friday → next Friday (weekend skipped)
        ("2026-03-07 10:00", 5, D(2026, 3, 13)),   # Saturday: day 1 is Monday
        ("2026-03-08 10:00", 5, D(2026, 3, 13)),   # Sunday
        ("2026-03-05 10:00", 1, D(2026, 3, 6)),    # Thursday + 1 → Friday
        ("2026-03-06 10:00", 1, D(2026, 3, 9)),    # Friday + 1 → Monday
        ("2026-03-02 10:00", 10, D(2026, 3, 16)),  # two full weeks
    ],
)
def test_deadline_counts_working_days_after_the_submission_day(when, days, due):
    found = detect_complaints(surveys(answer("r", when, low=("u1",))), ComplaintSettings(deadline_days=days))
    assert found["deadline"].tolist() == [due]


def test_deadline_skips_holidays():
    settings = ComplaintSettings(holidays=(D(2026, 3, 6), D(2026, 3, 19)))
    found = detect_complaints(surveys(answer("r", "2026-03-04 10:00", low=("u1",))), settings)
    assert found["deadline"].tolist() == [D(2026, 3, 12)]  # Thu 5, Mon 9, Tue 10, Wed 11, Thu 12


def test_threshold_one_versus_two():
    rows = surveys(
        answer("ones", "2026-03-02", low=("u3", "u7"), value=1.0),
        answer("twos", "2026-03-03", low=("u2", "u9"), value=2.0),
        answer("mixed", "2026-03-04", low=("u1",), value=1.0) | {"u5": 2.0, "u6": np.nan},
        answer("fine", "2026-03-05", others=3.0),
    )
    at_one = detect_complaints(rows, ComplaintSettings(threshold=1))
    assert at_one["response_id"].tolist() == ["mixed", "ones"]
    assert at_one["problem_items"].tolist() == [(("u1", 1),), (("u3", 1), ("u7", 1))]
    at_two = detect_complaints(rows, ComplaintSettings(threshold=2))
    assert at_two["response_id"].tolist() == ["mixed", "twos", "ones"]
    assert at_two["problem_items"].tolist() == [
        (("u1", 1), ("u5", 2)), (("u2", 2), ("u9", 2)), (("u3", 1), ("u7", 1))]
    at_three = detect_complaints(rows, ComplaintSettings(threshold=3))
    assert at_three["response_id"].tolist() == ["fine", "mixed", "twos", "ones"]


def test_unanswered_items_are_never_complaints():
    rows = surveys(answer("blank", "2026-03-02") | {item: np.nan for item in ITEM_COLUMNS})
    assert detect_complaints(rows, ComplaintSettings(threshold=3)).empty


def test_marked_suggestion_is_a_complaint_without_problem_items():
    rows = surveys(
        answer("r-1", "2026-03-02", suggestion="Petugas meminta uang"),
        answer(" 123 ", "2026-03-03", suggestion="Antre lama"),
        answer("r-3", "2026-03-04", suggestion="Terima kasih"),
        answer("r-4", "2026-03-05", low=("u4",)),
    )
    found = detect_complaints(rows, marked_ids=["r-1", 123, "r-4"])
    assert found["response_id"].tolist() == ["r-4", "123", "r-1"]
    assert found["marked"].tolist() == [True, True, True]
    assert found["problem_items"].tolist() == [(("u4", 1),), (), ()]
    assert found["suggestion"].tolist() == [None, "Antre lama", "Petugas meminta uang"]
    unmarked = detect_complaints(rows)
    assert unmarked["response_id"].tolist() == ["r-4"]
    assert unmarked["marked"].tolist() == [False]


def test_output_columns_values_and_order():
    rows = surveys(
        answer("b", "2026-03-02 09:00", officer=OFFICER_A, suggestion="Lambat", low=("u3",)),
        answer("a", "2026-03-02 09:00", unit="Loket B", low=("u7",)),
        answer("c", "2026-03-10 08:00", low=("u1",)),
        answer("old", "2026-01-15 08:00", low=("u1",)),
    )
    found = detect_complaints(rows)
    assert tuple(found.columns) == COMPLAINT_COLUMNS
    assert found["response_id"].tolist() == ["c", "a", "b", "old"]  # newest first, ties by id
    b = found.iloc[2].to_dict()
    assert b == {"response_id": "b", "timestamp": pd.Timestamp("2026-03-02 09:00"),
                 "service_unit": "Loket A", "service_type": "KTP", "officer_nip": OFFICER_A,
                 "problem_items": (("u3", 1),), "suggestion": "Lambat",
                 "deadline": D(2026, 3, 9), "marked": False}


def test_detect_needs_the_survey_columns():
    rows = surveys(answer("r", "2026-03-02", low=("u1",))).drop(columns="timestamp")
    with pytest.raises(ScoringError, match="timestamp"):
        detect_complaints(rows)


def test_detect_on_no_surveys():
    empty = pd.DataFrame({c: pd.Series([], dtype=object) for c in answer("r", "2026-03-02")})
    found = detect_complaints(empty)
    assert found.empty and tuple(found.columns) == COMPLAINT_COLUMNS


# --- outcomes per officer and unit ----------------------------------------------------------------
# today is Friday 2026-03-20. Deadlines (5 working days):
#   a1 Mon 03-02 → 03-09, done 03-05 (3 days)   on time
#   a2 Tue 03-03 → 03-10, done 03-12 (9 days)   finished late: overdue
#   a3 Wed 03-11 → 03-18, in progress           open, past deadline: overdue
#   a4 Mon 03-16 → 03-23, new (no handled row)  open, in time
#   a5 Thu 03-05 → 03-12, done without a date   overdue (not proven in time), not open
#   b1 Fri 03-13 → 03-20, new                   deadline is today: in time
#   b2 Mon 03-09 → 03-16, done 03-10 (1 day)    on time
#   n1 Wed 03-04 → 03-11, done 03-04 (0 days)   no officer
#   f1 Mon 02-02 → 02-09, done 02-09 (7 days)   on the deadline day: on time
#   y1 2025-12-01                               another year: left out
TODAY = D(2026, 3, 20)


@pytest.fixture
def complaints():
    rows = surveys(
        answer("a1", "2026-03-02 09:00", "Loket A", OFFICER_A, low=("u3",)),
        answer("a2", "2026-03-03 09:00", "Loket A", OFFICER_A, low=("u3",)),
        answer("a3", "2026-03-11 09:00", "Loket A", OFFICER_A, low=("u3",)),
        answer("a4", "2026-03-16 09:00", "Loket B", OFFICER_A, low=("u3",)),
        answer("a5", "2026-03-05 09:00", "loket  b", OFFICER_A, low=("u3",)),
        answer("b1", "2026-03-13 09:00", "Loket B", OFFICER_B, low=("u3",)),
        answer("b2", "2026-03-09 09:00", "Loket B", OFFICER_B, low=("u3",)),
        answer("n1", "2026-03-04 09:00", "Loket A", None, low=("u3",)),
        answer("f1", "2026-02-02 09:00", "Loket A", OFFICER_A, low=("u3",)),
        answer("y1", "2025-12-01 09:00", "Loket A", OFFICER_A, low=("u3",)),
    )
    return detect_complaints(rows)


@pytest.fixture
def handled():
    return pd.DataFrame({
        "response_id": ["a1", "a2", "a3", "a5", "b2", "n1", "f1", "b1"],
        "status": ["done", "done", "in_progress", "done", "done", "done", "done", "new"],
        "finished_on": [D(2026, 3, 5), pd.Timestamp("2026-03-12 15:00"), None, None,
                        D(2026, 3, 10), D(2026, 3, 4), D(2026, 2, 9), None],
    })


def test_outcomes_per_complaint(complaints, handled):
    out = complaint_outcomes(complaints, handled, year=2026, period_type="monthly", today=TODAY)
    out = out.set_index("response_id").sort_index()
    assert "y1" not in out.index
    assert out["period"].to_dict() == {
        "a1": "2026-03", "a2": "2026-03", "a3": "2026-03", "a4": "2026-03", "a5": "2026-03",
        "b1": "2026-03", "b2": "2026-03", "f1": "2026-02", "n1": "2026-03"}
    assert sorted(out.index[out["overdue"]]) == ["a2", "a3", "a5"]
    assert sorted(out.index[out["open"]]) == ["a3", "a4", "b1"]
    assert sorted(out.index[out["open_overdue"]]) == ["a3"]
    assert out["status"].to_dict()["a4"] == "new"
    days = out["days_to_done"].dropna().to_dict()
    assert days == {"a1": 3.0, "a2": 9.0, "b2": 1.0, "f1": 7.0, "n1": 0.0}


def test_officer_counts_monthly(complaints, handled):
    out = officer_complaints(complaints, handled, year=2026, period_type="monthly", today=TODAY)
    assert tuple(out.columns) == OFFICER_COLUMNS
    assert out.values.tolist() == [
        ["2026-02", OFFICER_A, 1, 0, 0, False],
        ["2026-03", OFFICER_A, 5, 2, 3, True],
        ["2026-03", OFFICER_B, 2, 1, 0, False],
    ]


def test_officer_counts_quarterly_and_repeat_threshold(complaints, handled):
    def counts(repeat):
        return officer_complaints(complaints, handled, year=2026, period_type="quarterly", today=TODAY,
                                  settings=ComplaintSettings(repeat_threshold=repeat)).values.tolist()

    assert counts(6) == [["2026-T1", OFFICER_A, 6, 2, 3, True], ["2026-T1", OFFICER_B, 2, 1, 0, False]]
    assert counts(7)[0][-1] is False
    assert counts(2)[1][-1] is True


def test_overdue_depends_on_today(complaints, handled):
    def overdue(today):
        out = officer_complaints(complaints, handled, year=2026, period_type="monthly", today=today)
        return out.set_index(["period", "officer_nip"])["overdue"].to_dict()

    # Before any deadline passed only the late finish (a2, finished 03-12 > 03-10) is overdue... on 03-12.
    assert overdue(D(2026, 3, 10)) == {("2026-02", OFFICER_A): 0, ("2026-03", OFFICER_A): 1,
                                       ("2026-03", OFFICER_B): 0}
    # A day after b1's deadline it is overdue too; a4 (due 03-23) becomes overdue on 03-24.
    assert overdue(dt.datetime(2026, 3, 23, 18, 0)) == {
        ("2026-02", OFFICER_A): 0, ("2026-03", OFFICER_A): 3, ("2026-03", OFFICER_B): 1}
    assert overdue(D(2026, 3, 24))[("2026-03", OFFICER_A)] == 4


def test_finish_date_before_the_complaint_is_ignored(complaints):
    handled = pd.DataFrame({"response_id": ["a1"], "status": ["done"], "finished_on": [D(2026, 2, 27)]})
    out = complaint_outcomes(complaints, handled, year=2026, period_type="monthly", today=TODAY)
    a1 = out.set_index("response_id").loc["a1"]
    assert bool(a1["overdue"]) is True and bool(a1["open"]) is False and np.isnan(a1["days_to_done"])


@pytest.mark.parametrize("finished", [D(3026, 3, 17), dt.datetime(3026, 3, 17, 10, 0), D(1500, 1, 2)])
def test_a_finish_date_no_datetime_can_hold_counts_as_no_date(complaints, finished):
    """A year typed wrong (3026 for 2026) lies outside pandas' nanosecond datetimes: the complaint is
    not proven finished, and the agency's evaluation goes on."""
    handled = pd.DataFrame({"response_id": ["a1"], "status": ["done"], "finished_on": [finished]})
    out = complaint_outcomes(complaints, handled, year=2026, period_type="monthly", today=TODAY)
    a1 = out.set_index("response_id").loc["a1"]
    assert bool(a1["overdue"]) is True and bool(a1["open"]) is False and np.isnan(a1["days_to_done"])


def test_first_handled_row_counts_and_ids_match_as_text(complaints):
    handled = pd.DataFrame({"response_id": [" a3 ", "a3"], "status": ["done", "new"],
                            "finished_on": [D(2026, 3, 12), None]})
    out = complaint_outcomes(complaints, handled, year=2026, period_type="monthly", today=TODAY)
    a3 = out.set_index("response_id").loc["a3"]
    assert (a3["status"], bool(a3["overdue"]), a3["days_to_done"]) == ("done", False, 1.0)


def test_unknown_status_code_is_an_error(complaints):
    handled = pd.DataFrame({"response_id": ["a1"], "status": ["Selesai"], "finished_on": [None]})
    with pytest.raises(ScoringError, match="Selesai"):
        complaint_outcomes(complaints, handled, year=2026, period_type="monthly", today=TODAY)


def test_unit_summary(complaints, handled):
    out = unit_complaint_summary(complaints, handled, year=2026, period_type="monthly", today=TODAY,
                                 units=["Loket C"])
    assert tuple(out.columns) == UNIT_COLUMNS
    assert len(out) == 12 * 4  # Loket A, Loket B, Loket C and the agency, every month
    march = out.loc[out["period"] == "2026-03"]
    rows = [list(r) for r in march.itertuples(index=False)]
    # Loket A: a1 a2 a3 n1; Loket B ("loket  b" is the same unit): a4 a5 b1 b2.
    assert rows[0][:7] == ["2026-03", "unit", "Loket A", 4, 1, 2, 1]
    assert rows[0][7] == 3.0  # median of 3, 9, 0
    assert rows[1][:7] == ["2026-03", "unit", "Loket B", 4, 2, 1, 0]
    assert rows[1][7] == 1.0
    assert rows[2][:7] == ["2026-03", "unit", "Loket C", 0, 0, 0, 0] and np.isnan(rows[2][7])
    assert rows[3][:7] == ["2026-03", "agency", None, 8, 3, 3, 1]
    assert rows[3][7] == 2.0  # median of 0, 1, 3, 9
    february = out.loc[(out["period"] == "2026-02") & (out["scope"] == "agency")].iloc[0]
    assert (february["complaints"], february["median_days_to_done"]) == (1, 7.0)
    april = out.loc[out["period"] == "2026-04"]
    assert april["complaints"].tolist() == [0, 0, 0, 0]
    assert april["median_days_to_done"].isna().all()


def test_unit_summary_semester(complaints, handled):
    out = unit_complaint_summary(complaints, handled, year=2026, period_type="semester", today=TODAY)
    agency = out.loc[out["scope"] == "agency"]
    assert agency["period"].tolist() == ["2026-S1", "2026-S2"]
    assert agency["complaints"].tolist() == [9, 0]
    assert agency["median_days_to_done"].iloc[0] == 3.0  # 0, 1, 3, 7, 9


def test_summaries_without_complaints():
    empty = detect_complaints(surveys(answer("r", "2026-03-02")))
    handled = pd.DataFrame({c: pd.Series([], dtype=object) for c in ("response_id", "status", "finished_on")})
    officers = officer_complaints(empty, handled, year=2026, period_type="annual", today=TODAY)
    assert officers.empty and tuple(officers.columns) == OFFICER_COLUMNS
    units = unit_complaint_summary(empty, handled, year=2026, period_type="annual", today=TODAY)
    assert units.values.tolist()[0][:7] == ["2026", "agency", None, 0, 0, 0, 0]


def _same_frames(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for column in a.columns:
        assert [repr(v) for v in a[column].tolist()] == [repr(v) for v in b[column].tolist()], column


@pytest.mark.parametrize("id_dtype", [object, str])
@pytest.mark.parametrize("ids", [
    ["r-1", " r-2 ", "r-3", "r-4"],
    [12.0, 7.5, None, np.nan],  # whole floats lose their '.0'; missing ids are empty
    ["   ", "", "x", None],  # blank ids
    [],  # no answers at all
])
def test_only_the_complaints_ids_are_worded_when_nothing_is_marked_as_all_of_them_were(ids, id_dtype):
    """Without marked ids only the complaints' ids are worded; a mark matching no answer words every
    id, the way it was always done: both give the same frame."""
    rows = surveys(*[answer(rid, f"2026-03-0{i + 2}", low=("u2",) if i % 2 == 0 else ())
                     for i, rid in enumerate(ids)])
    if not ids:
        rows = pd.DataFrame(columns=["response_id", "timestamp", "service_unit", "service_type",
                                     "officer_nip", "suggestion", *ITEM_COLUMNS])
    rows["response_id"] = rows["response_id"].astype(id_dtype)
    _same_frames(detect_complaints(rows), detect_complaints(rows, marked_ids=["no such answer"]))


class _Text(str):
    pass


@pytest.mark.parametrize("dtype", [object, str])
def test_the_ids_as_text_are_those_worded_one_by_one(dtype):
    from scoring.complaints import _id_text, _id_text_list

    values = [" r-1 ", "r-2", "", "   ", "\t", None, np.nan, 12.0, 7.5, np.float64(3.0), np.float64(np.nan),
              5, np.int64(9), True, _Text(" sub "), np.str_(" np "), pd.NA, pd.NaT, -0.0, 1e20, "ä "]
    if dtype is str:
        values = [v for v in values if v is None or isinstance(v, str) or v is np.nan]
    series = pd.Series(values, dtype=dtype, index=range(10, 10 + len(values)))
    got = _id_text_list(series.to_numpy(dtype=object))
    want = series.map(_id_text)
    assert [repr(v) for v in got] == [repr(v) for v in want.tolist()]
    assert [v in {"r-2", "12", "sub"} for v in got] == want.isin({"r-2", "12", "sub"}).tolist()
    assert _id_text_list(series.iloc[:0].to_numpy(dtype=object)) == []
