from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from scoring import ScoringError, Settings
from scoring.ikm import group_ikm, ikm_hundredths, krejcie_morgan, quality, unit_key
from scoring.ikm_units import IKM_COLUMNS, ikm_table


@pytest.mark.parametrize(
    ("population", "sample"),
    # domain.md §3.5
    [(10, 10), (15, 14), (20, 19), (30, 28), (50, 44), (75, 63), (100, 80), (150, 108),
     (200, 132), (300, 169), (400, 196), (500, 217), (750, 254), (1000, 278), (1500, 306),
     (2000, 322), (3000, 341), (5000, 357), (10000, 370), (20000, 377), (50000, 381),
     (1000000, 384)],
)
def test_krejcie_morgan_table(population, sample):
    assert krejcie_morgan([population]).tolist() == [sample]


def test_krejcie_morgan_unknown_population():
    assert np.isnan(krejcie_morgan([np.nan])[0])


def uniform(n, total):
    """Sums/counts for n respondents answering all 9 items, answers summing to `total`."""
    base, extra = divmod(total, 9)
    sums = [base + (1 if i < extra else 0) for i in range(9)]
    return [sums], [[n] * 9]


@pytest.mark.parametrize(
    ("n", "total", "hundredths", "band"),
    [
        # w = 1/9, equal counts: IKM × 100 = 2500 · ΣS / (9n), rounded half-up
        (38, 889, 6499, "D"),  # 2222500 / 342 = 6498.54 → 64.99
        (5, 117, 6500, "C"),  # 292500 / 45 = 6500 → 65.00
        (26, 717, 7660, "C"),  # 1792500 / 234 = 7660.26 → 76.60
        (19, 524, 7661, "B"),  # 1310000 / 171 = 7660.82 → 76.61
        (19, 604, 8830, "B"),  # 1510000 / 171 = 8830.41 → 88.30
        (24, 763, 8831, "A"),  # 1907500 / 216 = 8831.02 → 88.31
        (1000, 23373, 6493, "D"),  # 58432500 / 9000 = 6492.5 exactly → half-up 6493
        (1, 36, 10000, "A"),  # all 4s → 100
        (1, 9, 2500, "D"),  # all 1s → 25
    ],
)
def test_ikm_band_edges(n, total, hundredths, band):
    sums, counts = uniform(n, total)
    got = ikm_hundredths(sums, counts, Fraction(1, 9))
    assert got.tolist() == [hundredths]
    assert quality(got).tolist() == [band]


def test_weight_0_111_rounds_half_up_exactly():
    # w = 111/1000: IKM × 100 = 277.5 · ΣS / n = 277.5 × 2597 / 111 = 6492.5 → 6493 (half-up)
    sums, counts = uniform(111, 2597)
    assert ikm_hundredths(sums, counts, Fraction(111, 1000)).tolist() == [6493]


def test_unequal_counts():
    # U1 answered by 2 (4 + 3: NRR 3.5); U2…U9 by 3, all 3s (NRR 3): Σ NRR = 27.5
    # IKM = 27.5 / 9 × 25 = 76.388… → 76.39
    sums = [[7] + [9] * 8]
    counts = [[2] + [3] * 8]
    assert ikm_hundredths(sums, counts, Fraction(1, 9)).tolist() == [7639]


def test_unequal_counts_on_an_exact_tie():
    # U1: 2 answers summing 5 (NRR 2.5); U2…U9: 10 answers each, 209 in all (Σ NRR 20.9)
    # Σ NRR = 23.4; w = 111/1000: 277.5 × 23.4 = 6493.5 → half-up 6494
    sums = [[5, 27, 26, 26, 26, 26, 26, 26, 26]]
    counts = [[2] + [10] * 8]
    assert ikm_hundredths(sums, counts, Fraction(111, 1000)).tolist() == [6494]


def test_unanswered_item_is_left_out():
    # U9 never answered; U1…U8 all 3 → the mean NRR of the answered items is 3 → 75.00
    sums = [[9] * 8 + [0]]
    counts = [[3] * 8 + [0]]
    assert ikm_hundredths(sums, counts, Fraction(1, 9)).tolist() == [7500]
    assert ikm_hundredths([[0] * 9], [[0] * 9], Fraction(1, 9)).tolist() == [-1]


@pytest.mark.parametrize(
    ("hundredths", "band"),
    [(10000, "A"), (8831, "A"), (8830, "B"), (7661, "B"), (7660, "C"), (6500, "C"), (6499, "D"),
     (2500, "D"), (-1, None)],
)
def test_quality(hundredths, band):
    assert quality([hundredths]).tolist() == [band]


def test_table_from_hand_built_answers(mk):
    rows = mk.surveys_with_total(1, "Loket KTP", 5, 117)  # 65.00, C
    rows += mk.surveys_with_total(1, "loket  ktp ", 1, 9)  # same unit, other spelling
    units = mk.frame("service_units", [{"service_unit": "LOKET KTP", "period": "2026-01",
                                        "population": 10}])
    out = ikm_table(mk.frame("surveys", rows), units, Settings(), ["2026-01"])
    assert tuple(out.columns) == IKM_COLUMNS
    assert out["scope"].tolist() == ["period", "ytd"]
    row = out.iloc[0]
    # 6 respondents, ΣS = 117 + 9 = 126: 2500 × 126 / 54 = 5833.33 → 58.33, D
    assert (row.service_unit, row.respondents, row.ikm, row.quality) == (
        "Loket KTP", 6, 58.33, "D")
    assert row.unit_performance == "poor"
    assert (row.population, row.min_sample, row.adequate) == (10, 10, False)
    # equal counts: the mean NRR over the 9 items is ΣS / (9 × 6)
    nrr = [getattr(row, f"nrr_u{i}") for i in range(1, 10)]
    assert sum(nrr) / 9 == pytest.approx(126 / 54)


def test_ytd_and_population(mk):
    rows = [mk.survey(1, "A", 4, rid="a"), mk.survey(2, "A", 2, rid="b"),
            mk.survey(3, "A", 3, rid="c")]
    units = mk.frame("service_units", [
        {"service_unit": "A", "period": "2026-01", "population": 1},
        {"service_unit": "A", "period": "2026-02", "population": 1},
    ])
    out = ikm_table(mk.frame("surveys", rows), units, Settings(), ["2026-02", "2026-03"])
    by = {(r.scope, r.period): r for r in out.itertuples()}
    assert by["period", "2026-02"].ikm == 50.0
    assert by["period", "2026-02"].population == 1
    assert by["period", "2026-02"].adequate is True  # 1 respondent, min sample 1
    # year to date to February: answers 4 and 2 → NRR 3 → 75.00; population 1 + 1 = 2
    assert (by["ytd", "2026-02"].ikm, by["ytd", "2026-02"].respondents) == (75.0, 2)
    assert (by["ytd", "2026-02"].population, by["ytd", "2026-02"].min_sample) == (2, 2)
    # March has no population: unknown for the period and for the year to date
    assert pd.isna(by["period", "2026-03"].population)
    assert by["ytd", "2026-03"].adequate is None
    assert by["ytd", "2026-03"].ikm == 75.0  # (4 + 2 + 3) / 3 = 3 → 75
    assert set(out["period"]) == {"2026-02", "2026-03"}


def test_item_weight_0_111(mk):
    rows = [mk.survey(1, "A", 4)]
    out = ikm_table(mk.frame("surveys", rows), mk.frame("service_units"),
                    Settings(ikm_item_weight=0.111), ["2026-01"])
    assert out.loc[0, "ikm"] == 99.9  # 9 × 4 × 0.111 × 25


def test_bad_answer_raises(mk):
    rows = [mk.survey(1, "A", [4, 4, 4, 4, 5, 4, 4, 4, 4], rid="x1")]
    with pytest.raises(ScoringError, match="'x1' answers U5 with 5; answers must be 1, 2, 3 or 4"):
        ikm_table(mk.frame("surveys", rows), mk.frame("service_units"), Settings(), ["2026-01"])


def test_empty(mk):
    out = ikm_table(mk.frame("surveys"), mk.frame("service_units"), Settings(), ["2026-01"])
    assert out.empty and tuple(out.columns) == IKM_COLUMNS


def test_group_ikm_per_officer(mk):
    rows = mk.surveys_with_total(1, "A", 5, 117, officer="7") + [mk.survey(1, "A", 4)]
    out = group_ikm(mk.frame("surveys", rows), ["officer_nip"], Settings())
    assert out.to_dict("records") == [
        {"officer_nip": "7", "respondents": 5, "ikm": 65.0, "quality": "C"}]


def test_unit_key_ignores_case_and_spaces():
    assert unit_key([" Dinas  Kesehatan", "DINAS KESEHATAN ", None]).tolist() == [
        "dinas kesehatan", "dinas kesehatan", None]
