"""TPP (issue 15): every expected rupiah computed by hand in the comment beside it."""

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from scoring import ScoringError
from scoring.discipline import COUNT_COLUMNS
from scoring.tpp import TPP_COLUMNS, TppSettings, employee_amounts, missing_amounts, tpp

A, B, C, D, E = ("198503142010031002", "199001012015032001", "198807072012121003",
                 "197912122005011004", "199505052020121005")
TABLE = pd.DataFrame({"job_class": [9, 7, 5], "amount": [5_532_975.0, 3_920_964.0, 2_841_561.0]})


def employees(**extra_rows):
    rows = [
        {"nip": A, "name": "Sri Lestari", "unit": "Dinkes", "job_class": 9, "tpp_amount": np.nan},
        # B's own amount overrides class 9's Rp 5.532.975.
        {"nip": B, "name": "Budi Santoso", "unit": "Dinkes", "job_class": 9,
         "tpp_amount": 4_000_000.0},
        {"nip": C, "name": "Citra Dewi", "unit": "Disdik", "job_class": 7, "tpp_amount": np.nan},
        {"nip": D, "name": "Dedi Kurnia", "unit": "Disdik", "job_class": 5, "tpp_amount": np.nan},
        # class 3 is not in the table and no own amount: no TPP row.
        {"nip": E, "name": "Eka Putri", "unit": "Disdik", "job_class": 3, "tpp_amount": np.nan},
    ]
    return pd.DataFrame(rows)


def attendance(rows):
    """Attendance rows from dicts; counts not given are 0, work_days 22."""
    return pd.DataFrame([{"month": 3, "work_days": 22, **dict.fromkeys(COUNT_COLUMNS, 0), **row}
                         for row in rows])


MARCH = attendance([
    {"nip": A, "tl1": 2, "tl3": 1, "absent_no_reason": 1},
    {"nip": B},
    {"nip": C, "psw2": 1, "no_apel": 1},
    # D has no Kehadiran row for March.
    {"nip": E, "tl4": 3},
])


def results(**columns):
    frame = pd.DataFrame({"period": ["2026-03"] * 5, "nip": [A, B, C, D, E],
                          "work_achievement": [87.5, 112.5, np.nan, 95.0, 100.0],
                          "predikat": ["good", "very_good", "needs_improvement", "poor", "good"]})
    return frame.assign(**columns)


DEFAULT = TppSettings()


def run(settings=DEFAULT, frame=None, att=MARCH, **kwargs):
    return tpp(employees(), att, results() if frame is None else frame, TABLE, settings,
               year=2026, period_type="monthly", **kwargs).set_index("nip")


def test_settings_defaults_and_tables():
    s = TppSettings()
    assert (s.performance_share, s.discipline_share, s.performance_basis) == (60, 40, "capaian")
    assert s.predikat_pct == {"very_good": 100, "good": 100, "needs_improvement": 80,
                              "poor": 60, "very_poor": 40}
    assert s.rates == {"tl1": Decimal("0.5"), "tl2": 1, "tl3": Decimal("1.25"),
                       "tl4": Decimal("1.5"), "psw1": Decimal("0.5"), "psw2": 1,
                       "psw3": Decimal("1.25"), "psw4": Decimal("1.5"),
                       "absent_no_reason": 3, "no_apel": 2}
    assert (s.deduction_base, s.deduction_cap) == ("discipline_part", 100)
    # A float typed 0.1 is read as exactly 0,1.
    assert TppSettings(rate_tl1=0.1).rates["tl1"] == Decimal("0.1")


@pytest.mark.parametrize("kwargs", [
    {"performance_share": 70},                       # 70 + 40 ≠ 100
    {"performance_share": 50.5, "discipline_share": 50},
    {"performance_basis": "nilai"},
    {"deduction_base": "gaji"},
    {"rate_tl1": -0.5},
    {"deduction_cap": 120},
    {"predikat_pct_good": 101},
    {"rate_no_apel": float("nan")},
    {"rate_tl2": "1"},
])
def test_settings_refused(kwargs):
    with pytest.raises(ScoringError):
        TppSettings(**kwargs)


def test_settings_decimal_shares():
    s = TppSettings(performance_share=Decimal("62.5"), discipline_share=37.5)
    assert s.performance_share + Decimal(str(s.discipline_share)) == 100


def one(amount, capaian=100.0, settings=DEFAULT, **counts):
    """The TPP row of one employee with `amount`, `capaian` and these March counts."""
    staff = pd.DataFrame({"nip": [A], "name": ["Sri"], "unit": ["U"], "tpp_amount": [amount]})
    frame = pd.DataFrame({"period": ["2026-03"], "nip": [A], "work_achievement": [capaian],
                          "predikat": ["good"]})
    out = tpp(staff, attendance([{"nip": A, **counts}]), frame, TABLE.iloc[:0], settings,
              year=2026, period_type="monthly")
    assert len(out) == 1
    return out.iloc[0]


def test_deduction_text_and_cap():
    # 2 × 0,5 + 1 × 1,25 + 1 × 3 = 5,25 %
    row = one(1_000_000, tl1=2, tl3=1.0, absent_no_reason=1)
    assert (row["deduction_pct"], row["deduction_detail"]) == (
        5.25, "TL1 2×0,5% + TL3 1×1,25% + TK 1×3%")
    row = one(1_000_000, tl1=0.0, psw4=np.nan)
    assert (row["deduction_pct"], row["deduction_detail"]) == (0.0, "")
    # 35 days × 3 % = 105 % → capped at 100 %
    row = one(1_000_000, absent_no_reason=35)
    assert (row["deduction_pct"], row["deduction_detail"]) == (100.0, "TK 35×3% (dibatasi 100%)")
    # a lower cap: 4 × 1,5 + 2 × 2 = 10 % → 7,5 %
    row = one(1_000_000, settings=TppSettings(deduction_cap=Decimal("7.5")), psw4=4, no_apel=2)
    assert (row["deduction_pct"], row["deduction_detail"]) == (
        7.5, "PSW4 4×1,5% + Tidak Apel 2×2% (dibatasi 7,5%)")
    # half a day and a rate typed 0.1: 0,5 × 3 + 3 × 0,1 = 1,8 % exactly
    row = one(1_000_000, settings=TppSettings(rate_tl1=0.1), absent_no_reason=0.5, tl1=3)
    assert (row["deduction_pct"], row["deduction_detail"]) == (1.8, "TL1 3×0,1% + TK 0,5×3%")
    # 1.000.000 × 40 % × 98,2 % = 392.800
    assert row["discipline_pay"] == 392_800


def test_rounding_half_up_at_the_end_only():
    # 910.340 × 60 % × 87,5 % = 477.928,5 → 477.929 (banker's rounding would give 477.928)
    assert one(910_340, 87.5)["performance_pay"] == 477_929
    # 1.092.275 × 60 % × 70 % = 458.755,5 exactly → 458.756; in floats it is
    # 458755.49999999994, which would round down.
    assert 1_092_275 * (60 / 100) * (70 / 100) < 458_755.5
    assert one(1_092_275, 70.0)["performance_pay"] == 458_756
    # 1.092.275 × 40 % × (100 − 0,5) % = 436.910 × 0,995 = 434.725,45 → 434.725 (down below ,5)
    assert one(1_092_275, 70.0, tl1=1)["discipline_pay"] == 434_725


def test_discipline_part_base_capaian():
    out = run()
    assert set(out.columns) | {"nip"} == set(TPP_COLUMNS)
    a = out.loc[A]
    # 5.532.975 × 60 % × 87,5 % = 2.904.811,875 → 2.904.812
    assert a["performance_pay"] == 2_904_812
    assert a["deduction_pct"] == 5.25 and a["deduction_detail"] == (
        "TL1 2×0,5% + TL3 1×1,25% + TK 1×3%")
    # 5.532.975 × 40 % × (100 − 5,25) % = 2.213.190 × 0,9475 = 2.096.997,525 → 2.096.998
    assert a["discipline_pay"] == 2_096_998
    # 2.904.812 + 2.096.998
    assert a["total_pay"] == 5_001_810
    assert (a["period"], a["evaluation_period"], a["status"]) == ("2026-03", "2026-03", "complete")
    assert (a["amount"], a["job_class"], a["performance_basis"]) == (5_532_975.0, 9, 87.5)


def test_override_and_capaian_cap():
    b = run().loc[B]
    # own amount 4.000.000 (not class 9's); capaian 112,5 capped at 100:
    # 4.000.000 × 60 % × 100 % = 2.400.000; no deduction: 4.000.000 × 40 % = 1.600.000
    assert b["amount"] == 4_000_000.0
    assert (b["performance_basis"], b["performance_pct"]) == (112.5, 100.0)
    assert (b["performance_pay"], b["discipline_pay"], b["total_pay"]) == (
        2_400_000, 1_600_000, 4_000_000)
    assert (b["deduction_pct"], b["deduction_detail"]) == (0.0, "")


def test_missing_capaian_and_missing_attendance():
    out = run()
    c = out.loc[C]
    # no capaian: no performance part. PSW2 1 × 1 + Tidak Apel 1 × 2 = 3 %;
    # 3.920.964 × 40 % × 97 % = 1.521.334,032 → 1.521.334
    assert pd.isna(c["performance_pay"]) and c["status"] == "no_performance"
    assert c["deduction_detail"] == "PSW2 1×1% + Tidak Apel 1×2%"
    assert (c["discipline_pay"], c["total_pay"]) == (1_521_334, 1_521_334)
    d = out.loc[D]
    # no Kehadiran row: 2.841.561 × 60 % × 95 % = 1.619.689,77 → 1.619.690, nothing else
    assert d["status"] == "no_attendance"
    assert pd.isna(d["discipline_pay"]) and np.isnan(d["deduction_pct"])
    assert pd.isna(d["deduction_detail"])
    assert (d["performance_pay"], d["total_pay"]) == (1_619_690, 1_619_690)
    # E has no amount (class 3 not in the table): no row at all.
    assert E not in out.index and len(out) == 4


def test_total_base():
    out = run(TppSettings(deduction_base="total"))
    a = out.loc[A]
    # max(0, 5.532.975 × (60 % × 87,5 % + 40 %) − 5.532.975 × 5,25 %)
    # = 5.532.975 × 0,8725 = 4.827.520,6875 → 4.827.521; disiplin = 4.827.521 − 2.904.812
    assert (a["performance_pay"], a["discipline_pay"], a["total_pay"]) == (
        2_904_812, 1_922_709, 4_827_521)
    c = out.loc[C]
    # no capaian: 3.920.964 × 40 % − 3.920.964 × 3 % = 3.920.964 × 0,37 = 1.450.756,68 → 1.450.757
    assert (c["discipline_pay"], c["total_pay"]) == (1_450_757, 1_450_757)
    # no attendance: the discipline part is not paid in this base either
    assert out.loc[D, "total_pay"] == 1_619_690


def test_deduction_cap_in_both_bases():
    att = attendance([{"nip": C, "absent_no_reason": 35}])
    frame = results(work_achievement=[np.nan, np.nan, 100.0, np.nan, np.nan])
    c = run(frame=frame, att=att).loc[C]
    # 35 × 3 % = 105 % → 100 %: 3.920.964 × 60 % = 2.352.578,4 → 2.352.578; disiplin 0
    assert (c["deduction_pct"], c["discipline_pay"], c["total_pay"]) == (100.0, 0, 2_352_578)
    assert c["deduction_detail"] == "TK 35×3% (dibatasi 100%)"
    c = run(TppSettings(deduction_base="total"), frame=frame, att=att).loc[C]
    # max(0, B × (60 % + 40 %) − B × 100 %) = 0: the deduction takes the performance part too
    assert (c["performance_pay"], c["discipline_pay"], c["total_pay"]) == (
        2_352_578, -2_352_578, 0)
    c = run(TppSettings(deduction_cap=50), frame=frame, att=att).loc[C]
    # cap 50 %: 3.920.964 × 40 % × 50 % = 784.192,8 → 784.193
    assert (c["deduction_pct"], c["discipline_pay"]) == (50.0, 784_193)


def test_predikat_basis():
    out = run(TppSettings(performance_basis="predikat"))
    # good 100 %: 5.532.975 × 60 % = 3.319.785
    assert (out.loc[A, "performance_basis"], out.loc[A, "performance_pay"]) == ("good", 3_319_785)
    # very_good 100 %: 4.000.000 × 60 % = 2.400.000
    assert out.loc[B, "performance_pay"] == 2_400_000
    # needs_improvement 80 %: 3.920.964 × 48 % = 1.882.062,72 → 1.882.063 (+ 1.521.334)
    assert (out.loc[C, "performance_pay"], out.loc[C, "total_pay"]) == (1_882_063, 3_403_397)
    assert out.loc[C, "status"] == "complete"
    # poor 60 %: 2.841.561 × 36 % = 1.022.961,96 → 1.022.962
    assert out.loc[D, "performance_pay"] == 1_022_962
    # a custom table: needs_improvement 90 % → 3.920.964 × 54 % = 2.117.320,56 → 2.117.321
    custom = run(TppSettings(performance_basis="predikat", predikat_pct_needs_improvement=90))
    assert custom.loc[C, "performance_pay"] == 2_117_321


def test_predikat_missing_or_unknown():
    out = run(TppSettings(performance_basis="predikat"),
              frame=results(predikat=[None, "good", "good", "good", "good"]))
    assert out.loc[A, "status"] == "no_performance" and pd.isna(out.loc[A, "performance_pay"])
    with pytest.raises(ScoringError, match="predikat"):
        run(TppSettings(performance_basis="predikat"),
            frame=results(predikat=["Baik", "good", "good", "good", "good"]))


def test_quarterly_results_apply_to_each_month_of_the_quarter():
    frame = pd.DataFrame({"period": ["2026-T1"], "nip": [A], "work_achievement": [90.0],
                          "predikat": ["good"]})
    att = attendance([{"nip": A, "month": 1}, {"nip": A, "month": 2, "absent_no_reason": 2}])
    out = tpp(employees().iloc[:1], att, frame, TABLE, TppSettings(), year=2026,
              period_type="quarterly")
    assert out["period"].tolist() == ["2026-01", "2026-02", "2026-03"]
    assert out["evaluation_period"].tolist() == ["2026-T1"] * 3
    # 5.532.975 × 60 % × 90 % = 2.987.806,5 → 2.987.807 every month
    assert out["performance_pay"].tolist() == [2_987_807] * 3
    # Jan: 5.532.975 × 40 % = 2.213.190; Feb: 2.213.190 × 94 % = 2.080.398,6 → 2.080.399;
    # Mar: no Kehadiran row yet
    assert out["discipline_pay"].tolist() == [2_213_190, 2_080_399, pd.NA]
    assert out["status"].tolist() == ["complete", "complete", "no_attendance"]
    only = tpp(employees().iloc[:1], att, frame, TABLE, TppSettings(), year=2026,
               period_type="quarterly", months=[2])
    assert only["period"].tolist() == ["2026-02"]


def test_period_labels_in_attendance_and_dtypes():
    att = MARCH.drop(columns="month").assign(period="2026-03")
    out = run(att=att)
    assert out.loc[A, "total_pay"] == 5_001_810
    assert str(out["total_pay"].dtype) == "Int64" and str(out["job_class"].dtype) == "Int64"


def test_inactive_employee_and_amounts():
    staff = employees().assign(active=[True, True, True, False, True])
    amounts = employee_amounts(staff, TABLE).set_index("nip")
    assert D not in amounts.index
    assert amounts.loc[A, "amount"] == Decimal("5532975")
    assert amounts.loc[B, "amount_source"] == "employee"
    assert amounts.loc[E, "amount"] is None


def test_missing_amounts_only_when_others_have_one():
    assert missing_amounts(employees(), TABLE)["nip"].tolist() == [E]
    nobody = employees().drop(columns="tpp_amount")
    assert missing_amounts(nobody, TABLE.iloc[:0]).empty
    assert missing_amounts(employees().iloc[:4], TABLE).empty


def test_bad_tables_refused():
    with pytest.raises(ScoringError, match="one row per job class"):
        employee_amounts(employees(), pd.concat([TABLE, TABLE.iloc[:1]]))
    with pytest.raises(ScoringError, match="whole number"):
        employee_amounts(employees().assign(job_class=[9.5, 9, 7, 5, 3]), TABLE)
    with pytest.raises(ScoringError, match="negative"):
        employee_amounts(employees().assign(tpp_amount=-1.0), TABLE)
    with pytest.raises(ScoringError, match="two rows"):
        run(frame=pd.concat([results(), results()]))
