from decimal import Decimal

import numpy as np
import pytest

from scoring import Settings
from scoring.performance import performance_score

NAN = np.nan


@pytest.mark.parametrize(
    ("work", "behaviour", "ikm", "expected"),
    [
        (100.0, 4.0, 80.0, 92.0),  # (60 × 100 + 30 × 80 + 10 × 80) / 100
        (130.0, 4.0, 80.0, 104.0),  # work capped at 120: (7200 + 2400 + 800) / 100
        (100.0, 4.0, NAN, 8400 / 90),  # no IKM: (6000 + 2400) / 90
        (NAN, 4.0, NAN, 80.0),  # only behaviour: 4 × 20
        (NAN, NAN, 70.0, 70.0),
        (NAN, NAN, NAN, NAN),
    ],
)
def test_performance_score(work, behaviour, ikm, expected):
    got = performance_score([work], [behaviour], [ikm], Settings())[0]
    assert got == pytest.approx(expected, abs=1e-9, nan_ok=True)


def test_decimal_weights_and_zero_weight_part():
    settings = Settings(weight_work=Decimal("70"), weight_behaviour=Decimal("30"),
                        weight_satisfaction=0)
    # (70 × 100 + 30 × 60 + 0 × 10) / 100 = 88
    assert performance_score([100.0], [3.0], [10.0], settings).tolist() == [88.0]
    # only a zero-weight part: nothing to average
    assert np.isnan(performance_score([NAN], [NAN], [10.0], settings)[0])
