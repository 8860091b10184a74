import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.ranking import best_employee, rank_change, rank_employees

NAN = np.nan


def frame(rows):
    """rows: (nip, unit, predikat, performance_score, work_achievement[, period])."""
    return pd.DataFrame({
        "period": [r[5] if len(r) > 5 else "2026-01" for r in rows],
        "nip": [r[0] for r in rows],
        "unit": [r[1] for r in rows],
        "predikat": [r[2] for r in rows],
        "performance_score": [r[3] for r in rows],
        "work_achievement": [r[4] for r in rows],
    })


def ranks(rows):
    out = rank_employees(frame(rows))
    return dict(zip(out["nip"], zip(out["agency_rank"], out["unit_rank"], strict=True),
                    strict=True))


def test_predikat_first_then_score_then_work_then_nip():
    got = ranks([
        ("1", "A", "good", 99.0, 100.0),
        ("2", "A", "very_good", 80.0, 100.0),  # very_good beats a higher score
        ("3", "B", "good", 99.0, 101.0),  # same score, more work → above nip 1
        ("4", "B", "good", 99.0, 100.0),  # full tie with nip 1 → nip order
        ("5", "A", "needs_improvement", 120.0, 120.0),
        ("6", "A", "poor", 120.0, 120.0),
        ("7", "A", "very_poor", 120.0, 120.0),
        ("8", "B", None, 120.0, 120.0),  # no predikat: not ranked
    ])
    assert got == {"2": (1, 1), "3": (2, 1), "1": (3, 2), "4": (4, 2), "5": (5, 3), "6": (6, 4),
                   "7": (7, 5), "8": (pd.NA, pd.NA)}


def test_missing_scores_rank_last_within_predikat():
    got = ranks([("1", "A", "good", NAN, 100.0), ("2", "A", "good", 50.0, NAN),
                 ("3", "A", "good", 50.0, 90.0)])
    assert got == {"3": (1, 1), "2": (2, 2), "1": (3, 3)}


def test_periods_rank_separately():
    got = rank_employees(frame([("1", "A", "good", 90.0, 90.0, "2026-01"),
                                ("1", "A", "good", 90.0, 90.0, "2026-02"),
                                ("2", "A", "very_good", 90.0, 90.0, "2026-02")]))
    assert got["agency_rank"].tolist() == [1, 2, 1]
    assert str(got["agency_rank"].dtype) == "Int64"


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from(["very_good", "good", "needs_improvement", "poor", "very_poor", None]),
        st.sampled_from([NAN, 80.0, 90.0, 90.000000001]),
        st.sampled_from([NAN, 100.0, 110.0]),
    ),
    min_size=1, max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(rows=rows_strategy, seed=st.integers(0, 2**32 - 1))
def test_ranks_ignore_row_order(rows, seed):
    data = frame([(f"{i:03d}", *r) for i, r in enumerate(rows)])
    first = rank_employees(data).set_index("nip")
    shuffled = data.sample(frac=1, random_state=seed % (2**32 - 1))
    second = rank_employees(shuffled).set_index("nip").loc[first.index]
    pd.testing.assert_frame_equal(first, second)
    ranked = first["agency_rank"].dropna()
    assert sorted(ranked) == list(range(1, len(ranked) + 1))
    for _, unit in first.groupby("unit"):
        unit_ranks = unit["unit_rank"].dropna()
        assert sorted(unit_ranks) == list(range(1, len(unit_ranks) + 1))


def test_rank_change():
    current = pd.DataFrame({"nip": ["1", "2", "3", "4"],
                            "agency_rank": pd.array([1, 2, pd.NA, 3], dtype="Int64")})
    previous = pd.DataFrame({"nip": ["2", "1", "3"],
                             "agency_rank": pd.array([1, 3, 2], dtype="Int64")})
    # 1: 3 → 1 = +2 (moved up); 2: 1 → 2 = −1; 3: not ranked now; 4: not ranked before
    got = rank_change(current, previous)
    assert got.tolist() == [2, -1, pd.NA, pd.NA]
    assert str(got.dtype) == "Int64"


def test_rank_change_same_order_fast_path():
    current = pd.DataFrame({"nip": ["1", "2"], "agency_rank": pd.array([2, 1], dtype="Int64")})
    previous = pd.DataFrame({"nip": ["1", "2"], "agency_rank": pd.array([1, pd.NA], dtype="Int64")})
    assert rank_change(current, previous).tolist() == [-1, pd.NA]


def best(rows):
    data = pd.DataFrame(rows, columns=["period", "unit", "unit_rank", "status", "predikat"])
    data["unit_rank"] = pd.array(data["unit_rank"], dtype="Int64")
    return best_employee(data).tolist()


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # the top-ranked one is incomplete: the next complete good one wins
        ([("P", "A", 1, "incomplete", "very_good"), ("P", "A", 2, "complete", "good"),
          ("P", "A", 3, "complete", "good")], [False, True, False]),
        # needs_improvement never wins, even when complete and first
        ([("P", "A", 1, "complete", "needs_improvement")], [False]),
        # one per unit and period
        ([("P", "A", 1, "complete", "good"), ("P", "B", 1, "complete", "very_good"),
          ("Q", "A", 1, "complete", "good")], [True, True, True]),
        # unranked rows never win
        ([("P", "A", None, "complete", None)], [False]),
    ],
)
def test_best_employee(rows, expected):
    assert best(rows) == expected
