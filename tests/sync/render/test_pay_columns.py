"""The pay rendering made column-wise (issue 17) equals the row-by-row way it was made before."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from scoring.discipline import SUMMARY_COLUMNS
from scoring.pipeline import Results
from sync.render.pay import _number, with_discipline


def _with_discipline_by_row(results: Results, discipline: pd.DataFrame | None) -> Results:
    """`with_discipline` as it was: a code worded for every row."""
    if discipline is None or discipline.empty:
        return results
    frame = results.results
    keys = frame[["period", "nip"]].astype(str)
    found = keys.merge(discipline[list(SUMMARY_COLUMNS)].astype({"period": str, "nip": str}),
                       on=["period", "nip"], how="left")
    codes = [f"discipline:{_number(days)}:{sanction}" if isinstance(sanction, str) else None
             for days, sanction in zip(found["absent_days"], found["sanction"], strict=True)]
    follow_up = [tuple(old or ()) + ((code,) if code else ()) for old, code in
                 zip(frame["follow_up"], codes, strict=True)]
    out = frame.assign(attendance_pct=found["attendance_pct"].to_numpy(dtype="float64"))
    out["follow_up"] = pd.Series(follow_up, index=frame.index, dtype=object)
    return dataclasses.replace(results, results=out)


def _results(nips: list, follow_up: list) -> Results:
    frame = pd.DataFrame({"period": pd.Series(["2026-01"] * len(nips), dtype=str),
                          "nip": pd.Series(nips, dtype=object).astype(str),
                          "follow_up": pd.Series(follow_up, dtype=object)})
    empty = pd.DataFrame()
    return Results(results=frame, indicators=empty, units=empty, agency=empty, ikm=empty)


def _discipline(rows: list[tuple], sanction_dtype) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["nip", "absent_days", "attendance_pct", "sanction"])
    return frame.assign(period="2026-01", months_reported=1, work_days=20.0, discipline_step=None,
                        discipline_level=None,
                        sanction=frame["sanction"].astype(sanction_dtype))[list(SUMMARY_COLUMNS)]


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for column in a.columns:
        assert [repr(v) for v in a[column].tolist()] == [repr(v) for v in b[column].tolist()], column


@pytest.mark.parametrize("sanction_dtype", [object, str])
@pytest.mark.parametrize("rows", [
    [("1", 3.0, 90.0, "teguran lisan"), ("2", 10.5, np.nan, "teguran tertulis"), ("3", 0.0, 100.0, None)],
    [("1", 1.0, 95.0, None), ("2", np.nan, np.nan, np.nan)],  # no sanction anywhere
    [("2", 7.25, 80.0, "pernyataan tidak puas"), ("1", 2.0, 81.0, "teguran lisan")],  # out of order
    [("9", 4.0, 50.0, "teguran lisan")],  # no result row matches
    [("1", np.float64(28.0), 1.0, "")],  # an empty text is a sanction too
])
def test_the_discipline_follow_up_is_the_one_worded_row_by_row(rows, sanction_dtype):
    results = _results(["1", "2", "3", None], [(), None, ("low_ikm",), ["x"]])
    discipline = _discipline(rows, sanction_dtype)
    same(with_discipline(results, discipline).results,
         _with_discipline_by_row(results, discipline).results)


def test_the_discipline_follow_up_of_no_results_or_no_discipline():
    empty = _results([], [])
    discipline = _discipline([("1", 3.0, 90.0, "teguran lisan")], object)
    same(with_discipline(empty, discipline).results, _with_discipline_by_row(empty, discipline).results)
    results = _results(["1"], [()])
    assert with_discipline(results, discipline.iloc[:0]) is results
    assert with_discipline(results, None) is results


def _basis_texts_by_float(values: pd.Series, paid: pd.Series, basis: str) -> np.ndarray:
    """`_basis_texts` as it was: worded once per distinct float."""
    from sheet_templates import results as R
    from sync.render.columns import by_distinct
    from sync.render.pay import _decimals, _predikat_text

    pct = paid.to_numpy(dtype="float64")
    if basis == "predikat":
        return by_distinct(_predikat_text, values, pct)
    capaian = values.to_numpy(dtype="float64")
    capped = np.round(capaian, 9) > np.round(pct, 9)
    plain = ~np.isnan(capaian) & ~capped
    out = np.full(len(capaian), None, dtype=object)
    out[plain] = by_distinct(lambda value: R.TPP_BASIS_CAPAIAN.format(capaian=_decimals(value)),
                             capaian[plain])
    out[capped] = by_distinct(lambda value, share: R.TPP_BASIS_CAPPED.format(
        capaian=_decimals(value), paid=_number(share)), capaian[capped], pct[capped])
    return out


_EDGES = [1.005, 2.675, 0.125, 0.375, 1.115, 0.0, -0.0, -0.001, 0.004, 0.005, 0.015, -0.005, -0.004,
          np.nan, 1e13, -1e13, 1e13 - 0.005, 1e15 + 0.5, 7e13 + 0.125, np.inf, -np.inf, 99.995, 99.994999,
          100.0, 100.004, 100.005, 109.995, 110.0, 112.3, 87.5, 1e-300, 5e-324]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_tpp_basis_worded_per_hundredth_is_the_one_worded_per_float(seed):
    from sync.render.pay import _basis_texts

    rng = np.random.default_rng(seed)
    randoms = [round(v, d) for v, d in zip(rng.uniform(-1, 160, 3000).tolist(),
                                           rng.integers(0, 6, 3000).tolist(), strict=True)]
    halves = (rng.integers(0, 20000, 2000) + 0.5) / 100  # hundredths and a half: the rounding edge
    capaian = np.concatenate([_EDGES, randoms, halves, _EDGES])
    rng.shuffle(capaian)
    paid = np.where(rng.random(len(capaian)) < 0.3, 100.0, capaian)
    paid = np.where(rng.random(len(capaian)) < 0.1, np.nan, paid)
    paid = np.where(rng.random(len(capaian)) < 0.1, rng.choice([0.0, -0.0, 99.5, 1 / 3], len(capaian)), paid)
    values, shares = pd.Series(capaian), pd.Series(paid)
    got, want = _basis_texts(values, shares, "capaian"), _basis_texts_by_float(values, shares, "capaian")
    assert [repr(v) for v in got] == [repr(v) for v in want]


@pytest.mark.parametrize("capaian", [[], [np.nan, np.nan], [0.0, -0.0, 0.0], [-0.0, 0.0, -0.001]])
def test_the_tpp_basis_of_no_rows_missing_and_zero_capaian(capaian):
    from sync.render.pay import _basis_texts

    values = pd.Series(capaian, dtype="float64")
    paid = pd.Series([100.0] * len(capaian), dtype="float64")
    got, want = _basis_texts(values, paid, "capaian"), _basis_texts_by_float(values, paid, "capaian")
    assert [repr(v) for v in got] == [repr(v) for v in want]


def _pay_totals_as_before(frame: pd.DataFrame) -> pd.Series:
    """The totals as `pay_summary` made them before: a Python aggregation per period."""
    chosen = frame.assign(evaluation_period=frame["evaluation_period"].astype(str))
    return chosen.groupby("evaluation_period")["total_pay"].agg(
        lambda s: int(s.dropna().sum()) if s.notna().any() else None)


def test_pay_summary_takes_the_latest_paid_month_and_totals_only_what_was_paid():
    from sync.render.pay import pay_summary

    frame = pd.DataFrame({
        "period": ["2026-01", "2026-01", "2026-02", "2026-02", "2026-03", "2026-04"],
        "evaluation_period": ["2026-T1"] * 5 + ["2026-T2"],
        "total_pay": pd.array([100, 250, None, None, None, None], dtype="Int64"),
        "deduction_pct": [1.0, np.nan, 2.0, 3.0, np.nan, np.nan]})
    rows = {row["period"]: row for row in pay_summary(["2026-T1", "2026-T2"], frame, None).to_dict("records")}
    # T1: 2026-01 is its latest month with TPP Diterima; T2: nothing paid, so its last month, no total
    assert (rows["2026-T1"]["month"], rows["2026-T1"]["tpp_total"], rows["2026-T1"]["tpp_employees"]) == (
        "2026-01", 350, 2)
    assert rows["2026-T1"]["mean_deduction"] == 1.0
    assert (rows["2026-T2"]["month"], rows["2026-T2"]["tpp_employees"]) == ("2026-04", 1)
    assert pd.isna(rows["2026-T2"]["tpp_total"])
    # the same values and types as the Python aggregation gave (the store takes them as they are)
    summary = pay_summary(["2026-T1", "2026-T2"], frame, None)
    chosen = frame.iloc[[0, 1, 5]]  # each period's chosen month
    before = _pay_totals_as_before(chosen)
    assert summary["tpp_total"].tolist() == [before["2026-T1"], before["2026-T2"]] or (
        summary["tpp_total"].iloc[0] == before["2026-T1"] and pd.isna(before["2026-T2"]))
    assert [type(v) for v in summary["tpp_total"]] == [type(before["2026-T1"]), type(before["2026-T2"])]
