from decimal import Decimal

import numpy as np
import pytest

from scoring import ScoringError, Settings
from scoring.behaviour import BEHAVIOUR_COLUMNS, behaviour_rating, behaviour_scores


def scored(mk, rows, periods=("2026-01",), settings=None):
    settings = settings or Settings()
    return behaviour_scores(mk.frame("behaviours", rows), settings, list(periods))


def test_supervisor_only(mk):
    out = scored(mk, [mk.behaviour("1", "9", "supervisor", score=4)])
    assert tuple(out.columns) == BEHAVIOUR_COLUMNS
    assert out.loc[0, "behaviour_score"] == 4.0
    assert out.loc[0, "supervisor_rated"]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # (5 × 50 + 3 × 30) / 80 = 4.25: weights renormalised over the roles that rated
        ([("9", "supervisor", 5), ("8", "peer", 3)], 4.25),
        # (5 × 50 + 3 × 30 + 1 × 20) / 100 = 3.6
        ([("9", "supervisor", 5), ("8", "peer", 3), ("7", "subordinate", 1)], 3.6),
        # self ratings are never counted: 4
        ([("9", "supervisor", 4), ("1", "self", 1)], 4.0),
    ],
)
def test_role_weights(mk, rows, expected):
    out = scored(mk, [mk.behaviour("1", r, role, score=s) for r, role, s in rows])
    assert out.loc[0, "behaviour_score"] == pytest.approx(expected, abs=1e-9)


def test_mean_per_rater_then_per_role(mk):
    rows = [
        mk.behaviour("1", "9", "supervisor", month=1, score=4),
        mk.behaviour("1", "A", "peer", month=1, score=2),
        mk.behaviour("1", "A", "peer", month=2, score=4),  # peer A: (2 + 4) / 2 = 3
        mk.behaviour("1", "B", "peer", month=3, score=5),  # peer role: (3 + 5) / 2 = 4
    ]
    out = scored(mk, rows, ["2026-T1"], Settings(period_type="quarterly"))
    # (4 × 50 + 4 × 30) / 80 = 4 (pooling the rows would give 3.67)
    assert out.loc[0, "behaviour_score"] == pytest.approx(4.0, abs=1e-9)


def test_self_score_is_reported_separately(mk):
    out = scored(mk, [mk.behaviour("1", "9", "supervisor", score=3),
                      mk.behaviour("1", "1", "self", score=5)])
    assert (out.loc[0, "behaviour_score"], out.loc[0, "self_score"]) == (3.0, 5.0)


def test_no_supervisor_no_score(mk):
    out = scored(mk, [mk.behaviour("1", "8", "peer", score=5)])
    assert not out.loc[0, "supervisor_rated"]
    assert np.isnan(out.loc[0, "behaviour_score"])
    assert np.isnan(out.loc[0, "value_service"])


def test_per_value_scores(mk):
    rows = [mk.behaviour("1", "9", "supervisor", score=3, service=5, accountable=1),
            mk.behaviour("1", "8", "peer", score=3)]
    out = scored(mk, rows).iloc[0]
    assert out.value_service == pytest.approx((5 * 50 + 3 * 30) / 80)  # 4.25
    assert out.value_accountable == pytest.approx((1 * 50 + 3 * 30) / 80)  # 1.75
    assert out.value_loyal == 3.0
    # supervisor's row mean (5 + 1 + 5 × 3) / 7 = 3; peer 3 → 3
    assert out.behaviour_score == 3.0


def test_only_the_period_months_count(mk):
    rows = [mk.behaviour("1", "9", "supervisor", month=1, score=5),
            mk.behaviour("1", "9", "supervisor", month=2, score=1)]
    out = scored(mk, rows, ["2026-02"])
    assert out["period"].tolist() == ["2026-02"]
    assert out.loc[0, "behaviour_score"] == 1.0


def test_decimal_role_weights(mk):
    settings = Settings(rater_weight_supervisor=Decimal("60"), rater_weight_peer=Decimal("40"))
    out = scored(mk, [mk.behaviour("1", "9", "supervisor", score=5),
                      mk.behaviour("1", "8", "peer", score=1)], settings=settings)
    assert out.loc[0, "behaviour_score"] == pytest.approx(3.4)  # (5 × 60 + 1 × 40) / 100


def test_unknown_role_raises(mk):
    with pytest.raises(ScoringError, match="role 'boss'"):
        scored(mk, [mk.behaviour("1", "9", "boss")])


def test_empty(mk):
    out = scored(mk, [])
    assert out.empty and tuple(out.columns) == BEHAVIOUR_COLUMNS


@pytest.mark.parametrize(
    ("score", "rating"),
    [(4.5, "above"), (4.499999999999999, "above"), (4.49, "meets"), (3.5, "meets"),
     (3.4999999, "below"), (1.0, "below"), (np.nan, None)],
)
def test_behaviour_rating_edges(score, rating):
    assert behaviour_rating([score], Settings()).tolist() == [rating]
