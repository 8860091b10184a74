"""Angka kredit (domain.md §7): AK = months ÷ 12 × predikat % × coefficient, 3 decimals."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from scoring import ScoringError
from scoring.credit import (
    CREDIT_COLUMNS,
    DEFAULT_COEFFICIENTS,
    angka_kredit,
    period_credit,
    round3,
)


def staff(*grades):
    return pd.DataFrame({"nip": [str(i) for i in range(1, len(grades) + 1)],
                         "name": [f"Pegawai {i}" for i in range(1, len(grades) + 1)],
                         "unit": "Dinkes", "functional_grade": list(grades)})


def results(periods, predikats, nip="1"):
    return pd.DataFrame({"period": periods, "nip": nip, "predikat": predikats})


@pytest.mark.parametrize(("months", "pct", "coefficient", "expected"), [
    (3, 100, Decimal("37.5"), "9.375"),    # Ahli Madya, Baik, one triwulan: 3/12 × 37,5
    (12, 150, Decimal("12.5"), "18.75"),   # Ahli Pertama, Sangat Baik, a year: 1,5 × 12,5
    (2, 100, 12.5, "2.083"),               # 2/12 × 12,5 = 2,08333…
    (6, 75, Decimal("37.5"), "14.063"),    # 6/12 × 0,75 × 37,5 = 14,0625 → half up (not 14.062)
    (1, 25, Decimal("3.75"), "0.078"),     # 1/12 × 0,25 × 3,75 = 0,078125
])
def test_period_credit(months, pct, coefficient, expected):
    assert period_credit(months, pct, coefficient) == Decimal(expected)


def test_round3_half_up_in_integers():
    assert round3(Fraction(1, 2000)) == Decimal("0.001")     # 0,0005 → 0,001
    assert round3(Fraction(1999, 4000000)) == Decimal("0.000")  # 0,00049975 → 0,000


def test_quarter_ahli_madya_baik():
    out = angka_kredit(staff("ahli_madya"), results(["2026-T1"], ["good"]), year=2026,
                       period_type="quarterly")
    assert list(out.columns) == list(CREDIT_COLUMNS)
    row = out.iloc[0]
    assert (row["grade"], row["coefficient"], row["percentage"]) == ("ahli_madya", 37.5, 100.0)
    assert (row["credit"], row["credit_cumulative"], row["status"]) == (9.375, 9.375, "complete")


def test_annual_ahli_pertama_sangat_baik():
    out = angka_kredit(staff("ahli_pertama"), results(["2026"], ["very_good"]), year=2026,
                       period_type="annual")
    assert out["credit"].tolist() == [18.75]


def test_monthly_cumulation():
    periods = [f"2026-{m:02d}" for m in range(1, 13)]
    out = angka_kredit(staff("ahli_pertama"), results(periods, ["good"] * 12), year=2026,
                       period_type="monthly")
    # each month 1/12 × 12,5 = 1,041666… → 1,042; the year so far is the exact sum, rounded:
    # 2,08333 → 2,083; 3,125; … 12 months → 12,5 (not 12 × 1,042 = 12,504)
    assert out["credit"].tolist() == [1.042] * 12
    assert out["credit_cumulative"].tolist()[:3] == [1.042, 2.083, 3.125]
    assert out["credit_cumulative"].iloc[-1] == 12.5


def test_quarterly_cumulation_with_changing_predikat_and_a_gap():
    out = angka_kredit(staff("ahli_muda"),
                       results(["2026-T2", "2026-T1", "2026-T3"],
                               ["needs_improvement", "good", None]),
                       year=2026, period_type="quarterly")
    # T1 Baik: 3/12 × 100 % × 25 = 6,25; T2 Butuh Perbaikan: 3/12 × 75 % × 25 = 4,6875 → 4,688;
    # year so far 6,25 + 4,6875 = 10,9375 → 10,938; T3 no predikat: earns nothing
    assert out["period"].tolist() == ["2026-T1", "2026-T2", "2026-T3"]
    assert out["credit"].tolist()[:2] == [6.25, 4.688]
    assert np.isnan(out["credit"].iloc[2]) and np.isnan(out["percentage"].iloc[2])
    assert out["credit_cumulative"].tolist() == [6.25, 10.938, 10.938]
    assert out["status"].tolist() == ["complete", "complete", "no_predikat"]


def test_only_functional_positions_and_active_ones():
    employees = staff("ahli_madya", None, "terampil").assign(active=[True, True, False])
    frame = pd.concat([results(["2026-T1"], ["good"], nip=n) for n in ("1", "2", "3")])
    out = angka_kredit(employees, frame, year=2026, period_type="quarterly")
    assert out["nip"].tolist() == ["1"]


def test_overrides():
    frame = results(["2026-T1"], ["very_good"])
    out = angka_kredit(staff("ahli_madya"), frame, year=2026, period_type="quarterly",
                       coefficients={"ahli_madya": 40}, predikat_pct={"very_good": 120})
    # 3/12 × 120 % × 40 = 12
    assert (out["coefficient"].iloc[0], out["credit"].iloc[0]) == (40.0, 12.0)
    assert DEFAULT_COEFFICIENTS["ahli_madya"] == Decimal("37.5")  # defaults untouched


@pytest.mark.parametrize(("kwargs", "grade", "predikat", "message"), [
    ({}, "Ahli Madya", "good", "Unknown functional grade"),
    ({}, "ahli_madya", "Baik", "Unknown predikat"),
    ({"coefficients": {"ahli_super": 60}}, "ahli_madya", "good", "Unknown grade code"),
    ({"predikat_pct": {"good": -1}}, "ahli_madya", "good", "negative"),
])
def test_refused(kwargs, grade, predikat, message):
    with pytest.raises(ScoringError, match=message):
        angka_kredit(staff(grade), results(["2026-T1"], [predikat]), year=2026,
                     period_type="quarterly", **kwargs)
