import pytest

from scoring import ScoringError
from scoring.periods import (
    all_periods,
    month_to_period,
    period_months,
    previous_period,
    sort_periods,
    validate_period,
)


@pytest.mark.parametrize(
    ("period_type", "labels"),
    [
        ("monthly", [f"2026-{m:02d}" for m in range(1, 13)]),
        ("quarterly", ["2026-T1", "2026-T2", "2026-T3", "2026-T4"]),
        ("semester", ["2026-S1", "2026-S2"]),
        ("annual", ["2026"]),
    ],
)
def test_all_periods(period_type, labels):
    assert all_periods(2026, period_type) == labels


@pytest.mark.parametrize(
    ("period_type", "months", "labels"),
    [
        ("monthly", [1, 3, 12], ["2026-01", "2026-03", "2026-12"]),
        ("quarterly", [1, 3, 4, 12], ["2026-T1", "2026-T1", "2026-T2", "2026-T4"]),
        ("semester", [6, 7], ["2026-S1", "2026-S2"]),
        ("annual", [1, 12], ["2026", "2026"]),
    ],
)
def test_month_to_period(period_type, months, labels):
    assert month_to_period(months, 2026, period_type).tolist() == labels


@pytest.mark.parametrize(
    ("label", "period_type", "months"),
    [
        ("2026-03", "monthly", (3, 3)),
        ("2026-T1", "quarterly", (1, 3)),
        ("2026-T4", "quarterly", (10, 12)),
        ("2026-S2", "semester", (7, 12)),
        ("2026", "annual", (1, 12)),
    ],
)
def test_period_months(label, period_type, months):
    assert period_months(label, 2026, period_type) == months


@pytest.mark.parametrize(
    ("label", "period_type", "message"),
    [
        ("2026-13", "monthly", "number runs from 1 to 12"),
        ("2026-00", "monthly", "does not exist"),
        ("2026-T5", "quarterly", "from 1 to 4"),
        ("2026-S3", "semester", "from 1 to 2"),
        ("2025-01", "monthly", "outside the evaluation year 2026"),
        ("2026-T1", "monthly", "not a monthly period label; write it like '2026-03'"),
        ("2026-03", "quarterly", "write it like '2026-T1'"),
        ("2026-01", "annual", "write it like '2026'"),
        ("maret", "monthly", "not a monthly period label"),
        (None, "monthly", "not a monthly period label"),
    ],
)
def test_bad_labels_raise_a_clear_error(label, period_type, message):
    with pytest.raises(ScoringError, match=message):
        period_months(label, 2026, period_type)


def test_unknown_period_type():
    with pytest.raises(ScoringError, match="Unknown period type 'weekly'"):
        all_periods(2026, "weekly")


def test_validate_strips_spaces():
    assert validate_period(" 2026-03 ", 2026, "monthly") == "2026-03"


@pytest.mark.parametrize(
    ("label", "period_type", "previous"),
    [("2026-01", "monthly", None), ("2026-03", "monthly", "2026-02"),
     ("2026-T3", "quarterly", "2026-T2"), ("2026", "annual", None)],
)
def test_previous_period(label, period_type, previous):
    assert previous_period(label, 2026, period_type) == previous


def test_sort_periods_dedupes_in_calendar_order():
    assert sort_periods(["2026-T3", "2026-T1", "2026-T3"], 2026, "quarterly") == [
        "2026-T1", "2026-T3"]


@pytest.mark.parametrize("month", [0, 13, 2.5, None, "x"])
def test_month_outside_the_year_raises(month):
    with pytest.raises(ScoringError, match="is not a month number 1–12"):
        month_to_period([1, month], 2026, "monthly")
