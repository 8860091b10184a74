import numpy as np
import pandas as pd
import pytest

from scoring.follow_up import follow_up
from scoring.frames import VALUE_COLUMNS


def codes(predikat, ikm_quality=None, **values):
    scores = pd.DataFrame({f"value_{v}": [values.get(v, 4.0)] for v in VALUE_COLUMNS})
    return follow_up([predikat], scores, [ikm_quality])[0]


@pytest.mark.parametrize(
    ("predikat", "expected"),
    [("very_good", ("award",)), ("good", ()), ("needs_improvement", ("coaching",)),
     ("poor", ("intensive_coaching",)), ("very_poor", ("intensive_coaching",)), (None, ())],
)
def test_predikat_codes(predikat, expected):
    assert codes(predikat) == expected


@pytest.mark.parametrize(
    ("value", "score", "expected"),
    [("accountable", 2.99, ("training:accountable",)), ("loyal", 3.0, ()),
     ("service", 2.9999999999999996, ()),  # float noise around 3 is not below 3
     ("collaborative", np.nan, ())],
)
def test_training_codes(value, score, expected):
    assert codes("good", **{value: score}) == expected


@pytest.mark.parametrize(
    ("quality", "expected"),
    [("A", ()), ("B", ()), ("C", ("service_coaching",)), ("D", ("service_coaching",)), (None, ())],
)
def test_service_coaching(quality, expected):
    assert codes("good", quality) == expected


def test_order_and_tuple_type():
    got = codes("very_poor", "D", collaborative=1.0, service=2.0)
    assert got == ("intensive_coaching", "training:service", "training:collaborative",
                   "service_coaching")
