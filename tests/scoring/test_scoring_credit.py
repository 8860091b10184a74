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


# --- the vectorised angka_kredit against the exact Fraction definition -------------------------

def reference_angka_kredit(employees, results, *, year, period_type, coefficients=None,
                           predikat_pct=None):
    """The row-by-row Fraction version angka_kredit replaced (issue 17), kept as the definition."""
    from scoring.credit import DEFAULT_PREDIKAT_PCT, GRADES, STATUSES, _table, exact_credit
    from scoring.periods import MONTHS_PER_PERIOD, sort_periods
    from scoring.predikat import PREDIKATS

    coefficient_of = _table({**DEFAULT_COEFFICIENTS, **(coefficients or {})}, GRADES, "grade")
    pct_of = _table({**DEFAULT_PREDIKAT_PCT, **(predikat_pct or {})}, PREDIKATS, "predikat")
    staff = employees
    if "active" in staff.columns:
        staff = staff.loc[staff["active"].astype(object).where(staff["active"].notna(), True)
                          .astype(bool).to_numpy()]
    staff = staff.loc[staff["functional_grade"].notna()]
    unknown = sorted(set(staff["functional_grade"]) - set(GRADES))
    if unknown:
        raise ScoringError(f"Unknown functional grade {unknown[0]!r}; use one of {', '.join(GRADES)}")
    periods = sort_periods(results["period"].dropna().unique(), year, period_type)
    months = MONTHS_PER_PERIOD[period_type]
    found = {(str(p), str(n)): code for p, n, code in
             results[["period", "nip", "predikat"]].itertuples(index=False)}
    rows = []
    for nip, name, unit, grade in staff[["nip", "name", "unit", "functional_grade"]].itertuples(
            index=False):
        total = Fraction(0)
        for period in periods:
            code = found.get((period, str(nip)))
            code = None if code is None or pd.isna(code) else code
            if code is not None and code not in pct_of:
                raise ScoringError(f"Unknown predikat code {code!r}; use one of "
                                   f"{', '.join(PREDIKATS)}")
            credit = None if code is None else exact_credit(months, pct_of[code],
                                                            coefficient_of[grade])
            total += credit or 0
            rows.append((period, str(nip), name, unit, grade, float(coefficient_of[grade]), code,
                         np.nan if code is None else float(pct_of[code]),
                         np.nan if credit is None else float(round3(credit)),
                         float(round3(total)), STATUSES[code is None]))
    out = pd.DataFrame(rows, columns=list(CREDIT_COLUMNS)).astype(
        {"coefficient": "float64", "percentage": "float64", "credit": "float64",
         "credit_cumulative": "float64"})
    out = out.sort_values(["period", "unit", "nip"], kind="stable", na_position="last")
    return out.reset_index(drop=True)


def both(employees, frame, **kwargs):
    """Both versions' frames (identical, dtypes included) or both errors (same message)."""
    try:
        expected = reference_angka_kredit(employees, frame, **kwargs)
    except ScoringError as error:
        with pytest.raises(ScoringError) as raised:
            angka_kredit(employees, frame, **kwargs)
        assert str(raised.value) == str(error)
        return None
    out = angka_kredit(employees, frame, **kwargs)
    pd.testing.assert_frame_equal(out, expected, check_exact=True)
    # assert_frame_equal takes NaN == None in object columns; the missing predikat must match too
    assert [type(v) for v in out["predikat"]] == [type(v) for v in expected["predikat"]]
    return out


PERIOD_LABELS = {
    "monthly": [f"2026-{m:02d}" for m in range(1, 13)],
    "quarterly": [f"2026-T{q}" for q in range(1, 5)],
    "semester": ["2026-S1", "2026-S2"],
    "annual": ["2026"],
}
GRADE_CODES = list(DEFAULT_COEFFICIENTS)
PREDIKAT_CODES = ["very_good", "good", "needs_improvement", "poor", "very_poor"]


def random_case(rng, period_type, n_staff=40):
    """Staff with repeated NIPs, blanks, inactive rows; results with repeats, gaps, outsiders."""
    nips = [str(1000 + int(i)) for i in rng.integers(0, n_staff, n_staff)]  # some repeated
    employees = pd.DataFrame({
        "nip": nips,
        "name": [f"Pegawai {i}" for i in range(n_staff)],
        "unit": rng.choice(["Dinkes", "Bappeda", "dinkes", None], n_staff).tolist(),
        "functional_grade": rng.choice([*GRADE_CODES, None], n_staff).tolist(),
        "active": rng.choice([True, False, None], n_staff, p=[0.8, 0.1, 0.1]).tolist(),
    })
    labels = PERIOD_LABELS[period_type]
    n = 4 * n_staff
    frame = pd.DataFrame({
        "period": rng.choice([*labels, None], n).tolist(),
        "nip": [str(1000 + int(i)) for i in rng.integers(0, n_staff + 5, n)],  # a few outsiders
        "predikat": rng.choice([*PREDIKAT_CODES, None], n).tolist(),
    })
    return employees, frame


@pytest.mark.parametrize("period_type", list(PERIOD_LABELS))
@pytest.mark.parametrize("seed", range(6))
def test_vectorised_equals_the_fraction_definition_on_random_inputs(period_type, seed):
    rng = np.random.default_rng(seed)
    employees, frame = random_case(rng, period_type)
    both(employees, frame, year=2026, period_type=period_type)
    # Overrides with awkward decimals (floats as typed, Decimals, ints, zero): the exact sums
    # must still round half up where float arithmetic would not.
    coefficients = {g: rng.choice([0, 7, 0.1, 12.345, Decimal("3.3333"), 1e-7, 37.5])
                    for g in rng.choice(GRADE_CODES, 3, replace=False)}
    pct = {p: rng.choice([0, 1, 33.3, 150, Decimal("66.667"), 0.5])
           for p in rng.choice(PREDIKAT_CODES, 2, replace=False)}
    both(employees, frame, year=2026, period_type=period_type, coefficients=coefficients,
         predikat_pct=pct)


@pytest.mark.parametrize(("coefficient", "pct"), [
    (Decimal("37.5"), 75),           # 6/12 × 0,75 × 37,5 = 14,0625: a tie at the 4th decimal
    (Decimal("0.002"), 25),          # 1/12 × 0,25 × 0,002: ties and sub-thousandths
    (0.006, 100),                    # 0,0005 per month: exactly half a thousandth
    (10**15, 150),                   # huge: past int64 once scaled (object arrays)
    (Decimal("1e-12"), 150),         # tiny, with a huge common denominator
    (0, 100),
])
def test_vectorised_equals_the_fraction_definition_on_edge_values(coefficient, pct):
    employees = staff("ahli_madya", "ahli_pertama", "ahli_madya")
    for period_type, labels in PERIOD_LABELS.items():
        frame = pd.concat([results(labels, ["good"] * len(labels), nip=n) for n in ("1", "2")]
                          + [results(labels[::2], ["very_good"] * len(labels[::2]), nip="3")])
        both(employees, frame, year=2026, period_type=period_type,
             coefficients={"ahli_madya": coefficient}, predikat_pct={"good": pct})


def test_vectorised_keeps_the_row_loop_quirks():
    # Repeated (period, nip): the later row wins; NIPs compare as text; missing codes (None,
    # NaN) earn nothing; an unknown code of someone outside the staff is not looked at.
    employees = pd.DataFrame({"nip": [1, 2, 2], "name": ["A", "B", "B2"], "unit": ["U", "U", "V"],
                              "functional_grade": ["ahli_muda", "mahir", "mahir"]})
    frame = pd.DataFrame({"period": ["2026-T1", "2026-T1", "2026-T2", "2026-T1", "2026-T3"],
                          "nip": ["1", "1", "2", "9", 2],
                          "predikat": ["good", "poor", np.nan, "bogus", None]})
    out = both(employees, frame, year=2026, period_type="quarterly")
    assert out.loc[out["nip"] == "1", "predikat"].iloc[0] == "poor"
    both(employees.iloc[:0], frame, year=2026, period_type="quarterly")
    both(employees, frame.iloc[:0], year=2026, period_type="quarterly")
    # The first unknown code met (staff order, then period order) is the one named.
    bad = frame.assign(predikat=["good", "Baik", "Kurang", "good", None])
    both(employees, bad, year=2026, period_type="quarterly")


def test_vectorised_names_and_units_keep_their_types():
    # The frame of before was built from rows: its columns' dtypes came from pandas' inference.
    for name, unit in (([1, 2], [10, 20]), ([1.5, None], ["U", None]), ([None, None], [None, None]),
                       (["A", 3], [True, False])):
        employees = pd.DataFrame({"nip": ["1", "2"], "name": name, "unit": unit,
                                  "functional_grade": ["ahli_muda", "penyelia"]})
        frame = results(["2026-T1", "2026-T2"], ["good", "very_poor"], nip="2")
        both(employees, frame, year=2026, period_type="quarterly")
