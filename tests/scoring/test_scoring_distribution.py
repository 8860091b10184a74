import pytest

from scoring.distribution import check_distribution


def counts(**kw):
    return kw


@pytest.mark.parametrize(
    ("org", "group", "expected"),
    [
        # Istimewa: at most 70 % very_good
        ("outstanding", counts(very_good=7, good=3), ()),
        ("outstanding", counts(very_good=33, good=7),
         ({"rule": "max", "predikat": ("very_good",), "limit": 70, "actual": 82.5},)),
        # Baik: at most 70 % good, and some needs_improvement or poor
        ("good", counts(good=7, needs_improvement=1, very_good=2), ()),
        ("good", counts(good=7, poor=3), ()),
        ("good", counts(good=8, poor=2),
         ({"rule": "max", "predikat": ("good",), "limit": 70, "actual": 80.0},)),
        ("good", counts(good=5, very_good=5),
         ({"rule": "must_have", "predikat": ("needs_improvement", "poor"), "limit": None,
           "actual": 0.0},)),
        # Butuh Perbaikan: at least 60 % needs_improvement, at most 10 % very_good
        ("needs_improvement", counts(needs_improvement=6, very_good=1, good=3), ()),
        ("needs_improvement", counts(needs_improvement=5, very_good=2, good=3),
         ({"rule": "min", "predikat": ("needs_improvement",), "limit": 60, "actual": 50.0},
          {"rule": "max", "predikat": ("very_good",), "limit": 10, "actual": 20.0})),
        # Kurang: ≥ 60 % poor, ≥ 10 % needs_improvement, ≤ 10 % very_good
        ("poor", counts(poor=6, needs_improvement=1, very_good=1, good=2), ()),
        ("poor", counts(poor=5, good=5),
         ({"rule": "min", "predikat": ("poor",), "limit": 60, "actual": 50.0},
          {"rule": "min", "predikat": ("needs_improvement",), "limit": 10, "actual": 0.0})),
        # Sangat Kurang: ≥ 60 % very_poor, ≥ 10 % poor and/or needs_improvement, no very_good
        ("very_poor", counts(very_poor=6, poor=1, good=3), ()),
        ("very_poor", counts(very_poor=6, needs_improvement=1, good=3), ()),
        ("very_poor", counts(very_poor=6, very_good=1, good=3),
         ({"rule": "min", "predikat": ("poor", "needs_improvement"), "limit": 10, "actual": 0.0},
          {"rule": "none", "predikat": ("very_good",), "limit": 0, "actual": 10.0})),
        # nobody with a predikat: nothing to check
        ("good", counts(), ()),
    ],
)
def test_rules(org, group, expected):
    assert check_distribution(group, org) == expected
