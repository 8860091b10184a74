import numpy as np
import pandas as pd
import pytest

from scoring import Settings
from scoring.bands import rate
from scoring.work import WORK_COLUMNS, majority_rating, work_summary

NAN = np.nan


def scores(*rows, settings=None):
    """Indicator scores for employee "1" in 2026-01 from (rhk_type, weight, capaian)."""
    settings = settings or Settings()
    capaian = [r[2] for r in rows]
    return pd.DataFrame({
        "period": "2026-01",
        "nip": "1",
        "rhk_type": [r[0] for r in rows],
        "weight": [r[1] for r in rows],
        "capaian": capaian,
        "rating": rate(capaian, settings.work_above, settings.work_meets),
        "reported": True,
    })


def summary(*rows, settings=None):
    settings = settings or Settings()
    out = work_summary(scores(*rows, settings=settings), settings)
    assert len(out) == 1
    return out.iloc[0]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # weighted: (75 × 120 + 25 × 80) / 100 = 110
        ([("main", 75.0, 120.0), ("main", 25.0, 80.0)], 110.0),
        # no weights: equal, (100 + 80) / 2 = 90
        ([("main", NAN, 100.0), ("main", NAN, 80.0)], 90.0),
        # an unweighted additional indicator does not count
        ([("main", NAN, 100.0), ("additional", NAN, 50.0)], 100.0),
        # a weighted additional counts; the lone main weighs 100 / 1:
        # (100 × 100 + 25 × 60) / 125 = 92
        ([("main", NAN, 100.0), ("additional", 25.0, 60.0)], 92.0),
        # an unweighted main gets the mean given main weight (60): (60×100 + 60×70) / 120 = 85
        ([("main", 60.0, 100.0), ("main", NAN, 70.0)], 85.0),
        # only indicators with a capaian: 100
        ([("main", 50.0, 100.0), ("main", 50.0, NAN)], 100.0),
    ],
)
def test_work_achievement(rows, expected):
    assert summary(*rows).work_achievement == pytest.approx(expected, abs=1e-9)


def test_no_capaian_no_achievement_no_rating():
    row = summary(("main", NAN, NAN))
    assert np.isnan(row.work_achievement)
    assert pd.isna(row.work_rating)
    assert row.main_missing


@pytest.mark.parametrize(
    ("capaian", "rhk", "rating"),
    [
        ([120, 115, 100], ["main"] * 3, "above"),  # 2 of 3 above, no main below
        ([120, 115, 80], ["main"] * 3, "meets"),  # a main indicator is below
        ([120, 115, 80], ["main", "main", "additional"], "above"),  # only an additional below
        ([80, 85, 120], ["main"] * 3, "below"),  # 2 of 3 below
        ([120, 100], ["main"] * 2, "meets"),  # 1 of 2 above is not more than half
        ([120, 110], ["main"] * 2, "above"),
        ([80, 100], ["main"] * 2, "meets"),  # 1 of 2 below is not more than half
        ([100, 100, 100], ["main"] * 3, "meets"),
    ],
)
def test_majority_method(capaian, rhk, rating):
    rows = [(kind, NAN, float(c)) for kind, c in zip(rhk, capaian, strict=True)]
    assert summary(*rows).work_rating == rating


def test_majority_ignores_weights():
    # the weighted mean would be 118, but only 1 of 2 indicators is above → meets
    assert summary(("main", 90.0, 120.0), ("main", 10.0, 100.0)).work_rating == "meets"


@pytest.mark.parametrize(
    ("capaian", "rating"), [(110.0, "above"), (109.99, "meets"), (90.0, "meets"), (89.99, "below")]
)
def test_mean_method_uses_the_thresholds(capaian, rating):
    settings = Settings(work_rating_method="mean")
    # (c + c) / 2 = c, rated on the employee's achievement
    row = summary(("main", NAN, capaian), ("main", NAN, capaian), settings=settings)
    assert row.work_rating == rating


def test_columns_counts_and_groups():
    frame = pd.concat([scores(("main", NAN, 100.0), ("additional", NAN, NAN)),
                       scores(("main", NAN, 80.0)).assign(nip="2", reported=False)],
                      ignore_index=True)
    out = work_summary(frame, Settings())
    assert tuple(out.columns) == WORK_COLUMNS
    assert out["nip"].tolist() == ["1", "2"]
    assert out["indicator_count"].tolist() == [2, 1]
    assert out["reported"].tolist() == [True, False]
    assert out["main_missing"].tolist() == [False, False]  # the missing one is additional


@pytest.mark.parametrize(
    ("n_rated", "n_above", "n_below", "main_below", "rating"),
    [(3, 2, 0, False, "above"), (3, 2, 1, True, "meets"), (3, 2, 1, False, "above"),
     (4, 2, 2, False, "meets"), (4, 1, 3, False, "below"), (0, 0, 0, False, None)],
)
def test_majority_rating(n_rated, n_above, n_below, main_below, rating):
    assert majority_rating([n_rated], [n_above], [n_below], [main_below]).tolist() == [rating]
