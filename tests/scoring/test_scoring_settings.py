from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from scoring import ScoringError, Settings
from scoring.bands import rate
from scoring.settings import band_threshold, item_weight


def test_defaults_follow_the_design():
    s = Settings()
    assert (s.year, s.period_type, s.org_predikat) == (2026, "monthly", None)
    assert (s.weight_work, s.weight_behaviour, s.weight_satisfaction) == (60, 30, 10)
    assert (s.work_above, s.work_meets, s.behaviour_above, s.behaviour_meets) == (110, 90, 4.5, 3.5)
    assert (s.capaian_cap, s.work_rating_method, s.min_responses_per_officer) == (120, "majority", 5)
    assert (s.rater_weight_supervisor, s.rater_weight_peer, s.rater_weight_subordinate) == (50, 30, 20)
    assert s.ikm_item_weight == Fraction(1, 9)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("period_type", "weekly", "period_type must be one of monthly, quarterly"),
        ("org_predikat", "great", "org_predikat must be one of outstanding"),
        ("work_rating_method", "median", "work_rating_method must be one of majority, mean"),
        ("year", 26, "four-digit year"),
        ("ikm_item_weight", 0, "ikm_item_weight must be positive"),
    ],
)
def test_bad_settings_raise(field, value, message):
    with pytest.raises(ScoringError, match=message):
        Settings(**{field: value})


@pytest.mark.parametrize(
    ("weight", "fraction"),
    [(Fraction(1, 9), Fraction(1, 9)), (0.111, Fraction(111, 1000)),
     (Decimal("0.111"), Fraction(111, 1000)), (Fraction(111, 1000), Fraction(111, 1000))],
)
def test_item_weight_is_exact(weight, fraction):
    assert item_weight(Settings(ikm_item_weight=weight)) == fraction


@pytest.mark.parametrize(
    ("value", "expected"),
    [(110, 110.0), (Decimal("4.5"), 4.5), (0.1 + 0.2, 0.3), (Decimal("90.0000000004"), 90.0)],
)
def test_band_threshold_rounds_to_9_decimals(value, expected):
    assert band_threshold(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (110.0, "above"),
        (110.00000000000001, "above"),  # 1.1 / 1 × 100 in floats
        (109.99999999999999, "above"),  # 1.0999999999999999 / 1 × 100: float noise only
        (109.99, "meets"),
        (109.999999999, "meets"),  # a real difference at the 9th decimal counts
        (90.0, "meets"),
        (89.999999999, "below"),
        (0.0, "below"),
        (np.nan, None),
    ],
)
def test_rate_edges(value, expected):
    assert rate([value], 110, 90).tolist() == [expected]


def test_rate_with_decimal_thresholds():
    assert rate([90.5, 90.49], Decimal("110"), Decimal("90.5")).tolist() == ["meets", "below"]
