import numpy as np
import pandas as pd
import pytest

from scoring import ScoringError, Settings
from scoring.capaian import INDICATOR_COLUMNS, capaian_values, indicator_scores

MONTHLY = Settings()
QUARTERLY = Settings(period_type="quarterly")
NAN = np.nan


def one(mk, realisations, period, settings=MONTHLY, **indicator):
    """The single result row of indicator K1 for `period`."""
    ind = mk.frame("indicators", [mk.indicator("K1", "1", **indicator)])
    real = mk.frame("realisations", [mk.realisation("K1", *r) for r in realisations])
    out = indicator_scores(ind, real, settings, [period])
    assert len(out) == 1
    return out.iloc[0]


@pytest.mark.parametrize(
    ("period", "realisation", "target", "capaian", "rating"),
    [
        # target 120 a year, sum: T = 120 × months elapsed / 12
        ("2026-01", 10.0, 10.0, 100.0, "meets"),
        ("2026-02", 20.0, 20.0, 100.0, "meets"),
        ("2026-03", 33.0, 30.0, 110.0, "above"),  # 33 / 30 × 100 = 110 exactly: above
    ],
)
def test_sum_accumulates_from_january_and_prorates(mk, period, realisation, target, capaian,
                                                   rating):
    row = one(mk, [(1, 10.0), (2, 10.0), (3, 13.0)], period, target=120.0)
    assert (row.realisation, row.target, row.capaian, row.rating) == (
        realisation, target, capaian, rating)


def test_quarterly_prorating_for_sum(mk):
    # T2 ends in June: T = 120 × 6 / 12 = 60; R = 6 months × 9 = 54 → 90 %: meets.
    row = one(mk, [(m, 9.0) for m in range(1, 7)], "2026-T2", QUARTERLY, target=120.0)
    assert (row.realisation, row.target, row.capaian, row.rating) == (54.0, 60.0, 90.0, "meets")


def test_float_trap_1_1_over_1_is_above(mk):
    # 0.7 + 0.4 = 1.0999999999999999 in floats; T = 4 × 3 / 12 = 1 → 110 %, above.
    row = one(mk, [(1, 0.7), (2, 0.4)], "2026-T1", QUARTERLY, target=4.0)
    assert row.capaian == 110.0
    assert row.rating == "above"


@pytest.mark.parametrize(
    ("value", "capaian", "rating"),
    [(110.0, 110.0, "above"), (109.99, 109.99, "meets"), (90.0, 90.0, "meets"),
     (89.99, 89.99, "below"), (1.1 * 100, 110.0, "above")],
)
def test_indicator_rating_edges(mk, value, capaian, rating):
    row = one(mk, [(1, value)], "2026-01", aggregation="last")  # T = 100, not prorated
    assert row.capaian == pytest.approx(capaian, abs=1e-9)
    assert row.rating == rating


def test_mean_uses_months_with_data_and_no_prorating(mk):
    # months 1 and 3 reported: R = (80 + 100) / 2 = 90; T = 90 (annual) → 100 %.
    row = one(mk, [(1, 80.0), (3, 100.0)], "2026-T1", QUARTERLY, target=90.0,
              aggregation="mean")
    assert (row.realisation, row.target, row.capaian) == (90.0, 90.0, 100.0)


def test_last_takes_the_latest_month_with_data(mk):
    # Terakhir: January 50, February 70, nothing in March → R = 70; T = 70 → 100 %.
    row = one(mk, [(1, 50.0), (2, 70.0)], "2026-03", target=70.0, aggregation="last")
    assert (row.realisation, row.capaian) == (70.0, 100.0)
    assert not row.reported  # nothing reported in March itself


@pytest.mark.parametrize(
    ("aggregation", "realisations", "target", "capaian"),
    [
        # sum: R = 8 + 6 + 8 = 22; T = period targets 10 + 12 = 22 (not 120 × 3/12 = 30)
        ("sum", [(1, 8.0, 10.0), (2, 6.0), (3, 8.0, 12.0)], 22.0, 100.0),
        # mean: R = (8 + 6 + 8) / 3 = 22/3; T = mean(10, 12) = 11 → 22/3 / 11 × 100 = 66.67
        ("mean", [(1, 8.0, 10.0), (2, 6.0), (3, 8.0, 12.0)], 11.0, 66.666666667),
        # last: R = 8 (March); T = the latest period target, 12 → 66.67
        ("last", [(1, 8.0, 10.0), (2, 6.0), (3, 8.0, 12.0)], 12.0, 66.666666667),
    ],
)
def test_period_target_replaces_the_prorated_target(mk, aggregation, realisations, target,
                                                    capaian):
    row = one(mk, realisations, "2026-T1", QUARTERLY, target=120.0, aggregation=aggregation)
    assert row.target == target
    assert row.capaian == pytest.approx(capaian, abs=1e-9)


@pytest.mark.parametrize(
    ("value", "capaian", "rating"),
    [
        (8.0, 120.0, "above"),  # (2 − 0.8) × 100 = 120
        (10.0, 100.0, "meets"),
        (12.0, 80.0, "below"),  # (2 − 1.2) × 100 = 80
        (0.0, 120.0, "above"),  # (2 − 0) × 100 = 200, capped at 120
        (25.0, 0.0, "below"),  # (2 − 2.5) × 100 = −50, not below 0
    ],
)
def test_down_direction(mk, value, capaian, rating):
    row = one(mk, [(1, value)], "2026-01", target=10.0, direction="down", aggregation="last")
    assert row.capaian == pytest.approx(capaian, abs=1e-9)
    assert row.rating == rating


def test_cap_setting_applies(mk):
    row = one(mk, [(1, 0.0)], "2026-01", Settings(capaian_cap=150), target=10.0,
              direction="down", aggregation="last")
    assert row.capaian == 150.0  # 200 capped at 150


@pytest.mark.parametrize(
    ("direction", "value", "capaian"),
    [
        ("up", 100.0, 100.0),  # inside [90, 110]
        ("up", 90.0, 100.0),  # on the lower bound: inside
        ("up", 110.0, 100.0),  # on the upper bound: inside
        ("up", 121.0, 110.0),  # above: 121 / 110 × 100
        ("up", 45.0, 50.0),  # below: 45 / 90 × 100
        ("down", 121.0, 90.0),  # above: (2 − 121/110) × 100
        ("down", 45.0, 120.0),  # below: (2 − 0.5) × 100 = 150, capped
    ],
)
def test_range_target(mk, direction, value, capaian):
    row = one(mk, [(1, value)], "2026-01", target=90.0, target_max=110.0,
              direction=direction, aggregation="last")
    assert row.capaian == pytest.approx(capaian, abs=1e-9)


@pytest.mark.parametrize(("value", "capaian"), [(15.0, 100.0), (5.0, 50.0), (30.0, 120.0)])
def test_range_target_prorated_for_sum(mk, value, capaian):
    # annual 40–80, quarter 1 → 10–20: 15 inside; 5 → 5/10; 30 → 30/20 = 150 → cap 120
    row = one(mk, [(1, value)], "2026-T1", QUARTERLY, target=40.0, target_max=80.0)
    assert (row.target, row.target_max) == (10.0, 20.0)
    assert row.capaian == capaian


def test_no_realisation_has_no_capaian_but_a_target(mk):
    row = one(mk, [], "2026-03", target=120.0)
    assert np.isnan(row.realisation) and np.isnan(row.capaian)
    assert pd.isna(row.rating)
    assert row.flag == "no_realisation"
    assert row.target == 30.0
    assert not row.reported


def test_earlier_realisation_still_gives_capaian(mk):
    # Only January reported; March: R = 12, T = 120 × 3/12 = 30 → 40 %; not reported in March.
    row = one(mk, [(1, 12.0)], "2026-03", target=120.0)
    assert (row.capaian, row.reported) == (40.0, False)
    assert pd.isna(row.flag)


def test_zero_period_target_is_flagged(mk):
    row = one(mk, [(1, 5.0, 0.0)], "2026-01")
    assert np.isnan(row.capaian)
    assert row.flag == "invalid_target"


def test_repeated_month_keeps_the_later_row_and_unknown_codes_are_ignored(mk):
    ind = mk.frame("indicators", [mk.indicator("K1", "1", aggregation="last")])
    real = mk.frame("realisations", [mk.realisation("K1", 1, 50.0), mk.realisation("K1", 1, 80.0),
                                     mk.realisation("ZZ", 1, 999.0)])
    out = indicator_scores(ind, real, MONTHLY, ["2026-01"])
    assert out["realisation"].tolist() == [80.0]


def test_shape_columns_and_order(mk):
    ind = mk.frame("indicators", [mk.indicator("K1", "1"), mk.indicator("K2", "2")])
    real = mk.frame("realisations", [mk.realisation("K1", 1, 5.0)])
    out = indicator_scores(ind, real, MONTHLY, ["2026-01", "2026-02"])
    assert tuple(out.columns) == INDICATOR_COLUMNS
    assert out[["period", "iki_code"]].astype(str).values.tolist() == [
        ["2026-01", "K1"], ["2026-01", "K2"], ["2026-02", "K1"], ["2026-02", "K2"]]
    assert out["reported"].tolist() == [True, False, False, False]


def test_inputs_are_not_mutated(mk):
    ind = mk.frame("indicators", [mk.indicator("K1", "1")])
    real = mk.frame("realisations", [mk.realisation("K1", 1, 5.0)])
    before = ind.copy(), real.copy()
    indicator_scores(ind, real, MONTHLY, ["2026-01"])
    pd.testing.assert_frame_equal(ind, before[0])
    pd.testing.assert_frame_equal(real, before[1])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("aggregation", "median", "aggregation 'median'"), ("direction", "sideways", "direction"),
     ("rhk_type", "other", "rhk_type")],
)
def test_bad_codes_raise(mk, field, value, message):
    ind = mk.frame("indicators", [mk.indicator("K1", "1", **{field: value})])
    with pytest.raises(ScoringError, match=message):
        indicator_scores(ind, mk.frame("realisations"), MONTHLY, ["2026-01"])


def test_duplicate_codes_raise(mk):
    ind = mk.frame("indicators", [mk.indicator("K1", "1"), mk.indicator("K1", "2")])
    with pytest.raises(ScoringError, match="'K1' appears more than once"):
        indicator_scores(ind, mk.frame("realisations"), MONTHLY, ["2026-01"])


@pytest.mark.parametrize(
    ("r", "lower", "upper", "direction", "expected"),
    [
        (50.0, 100.0, NAN, "up", 50.0),
        (150.0, 100.0, NAN, "up", 120.0),
        (0.0, 100.0, NAN, "down", 120.0),
        (NAN, 100.0, NAN, "up", NAN),
        (5.0, 0.0, NAN, "up", NAN),
    ],
)
def test_capaian_values(r, lower, upper, direction, expected):
    got = capaian_values([r], [lower], [upper], [direction], MONTHLY)[0]
    assert got == expected or (np.isnan(got) and np.isnan(expected))
