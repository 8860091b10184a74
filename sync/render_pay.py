"""What the evaluation pays and what attendance says: TPP, Angka Kredit, discipline in `Hasil`. Pure.

Issue 15, on top of a scored workbook (`scoring.tpp`, `scoring.credit`,
`scoring.discipline` hold the rules; this module feeds them the validated
tabs and puts their results into words):

- `Hasil` gets `Kehadiran (%)` (from January to the period's end) and, once the
  year's days Tanpa Keterangan reach a rung of PP 94/2021, `Pembinaan Disiplin
  (N hari tanpa keterangan: <hukuman> menurut PP 94/2021)` in Tindak Lanjut: a
  proposal for the Pejabat Pembina, not a sanction.
- `TPP`: one row per employee with a TPP amount and month of the scored
  periods (a quarterly T1 pays January, February and March, each from the
  quarter's result so far).
- `Angka Kredit`: one row per employee with a Jenjang Jabatan Fungsional and
  scored period; the cumulative figure counts every period of the year so
  far, so with `--period 2026-03` the earlier periods are scored too (only
  when someone holds a functional position).
- `summary`: per scored period the agency's figures the run history keeps
  for the Pemda recap (employees with TPP, TPP Diterima of the period's
  latest month, mean Potongan Disiplin, employees at each PP 94/2021 level).

Decision: each of the two tabs is written only when the workbook has its data
(some active employee with a TPP amount; some active employee with a Jenjang),
so an agency that does not use them does not find empty tabs added to its
sheet. When the data later disappears, the tab last written is left as it was:
Kinerja writes tabs, it never deletes them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

import scoring
from scoring import periods as period_rules
from scoring.credit import angka_kredit
from scoring.discipline import SUMMARY_COLUMNS, discipline_summary
from scoring.tpp import employee_amounts, tpp
from sheet_templates import results as R
from sync import render
from sync.check.attendance import attendance_frame, rejected_months, tpp_settings
from sync.check.validate import Checked
from sync.outtabs import OutputTab

SUMMARY = ("period", "month", "tpp_employees", "tpp_total", "mean_deduction",
           "discipline_light", "discipline_moderate", "discipline_severe")
"""Columns of `Pay.summary` (see the run history's `period_pay`)."""

_CREDIT_DECIMALS = {"coefficient": 2, "credit": 3, "credit_cumulative": 3}


@dataclass(frozen=True)
class Pay:
    """The pay side of one scored workbook.

    results: the scoring results with `attendance_pct` (and the discipline
    follow-up) in `results.results`; tpp / credit: the frames of
    `scoring.tpp.tpp` / `scoring.credit.angka_kredit` for the scored periods,
    None when the workbook has no such data; summary: SUMMARY per period.
    """

    results: scoring.Results
    tpp: pd.DataFrame | None
    credit: pd.DataFrame | None
    summary: pd.DataFrame
    basis: str = "capaian"
    rejected: frozenset = frozenset()  # (nip, month) of Kehadiran rows left out by validation

    def tabs(self) -> list[OutputTab]:
        """The `TPP` and `Angka Kredit` tabs that have data, in workbook order."""
        out = []
        if self.tpp is not None:
            out.append(render_tpp(self.tpp, self.results.results, self.basis, self.rejected))
        if self.credit is not None:
            out.append(render_credit(self.credit))
        return out


def evaluate_pay(checked: Checked, frames: scoring.Frames, settings: scoring.Settings,
                 results: scoring.Results, requested: bool = False) -> Pay:
    """TPP, angka kredit and discipline for the periods in `results`.

    Args:
        checked: the validated workbook (Kehadiran, Tabel TPP, the TPP settings).
        frames, settings: what `results` was scored from (the employees, with
            job_class, tpp_amount and functional_grade).
        results: `scoring.score`'s results.
        requested: True when only some periods were asked for (`--period`): the
            cumulative angka kredit then scores the earlier periods of the year too.
    """
    year, period_type = settings.year, settings.period_type
    scored = period_rules.sort_periods(set(results.results["period"].astype(str)), year, period_type)
    attendance = attendance_frame(checked.frames["attendance"])
    employees = frames.employees
    discipline = (discipline_summary(attendance, year=year, period_type=period_type, periods=scored)
                  if len(attendance) and scored else None)
    table = checked.frames["tpp_table"][["job_class", "amount"]]
    pay_settings = tpp_settings(checked.settings)
    tpp_frame = None
    if scored and employee_amounts(employees, table)["amount"].notna().any():
        months = sorted({m for p in scored
                         for m in range(period_rules.period_months(p, year, period_type)[0],
                                        period_rules.period_months(p, year, period_type)[1] + 1)})
        tpp_frame = tpp(employees, attendance, results.results, table, pay_settings, year=year,
                        period_type=period_type, months=months)
    credit = None
    active = employees["active"].astype(object).where(employees["active"].notna(), True).astype(bool)
    if scored and "functional_grade" in employees and employees.loc[
            active.to_numpy(), "functional_grade"].notna().any():
        graded = _credit_results(frames, settings, results.results, scored, requested)
        credit = angka_kredit(employees, graded, year=year, period_type=period_type)
        credit = credit.loc[credit["period"].isin(scored)].reset_index(drop=True)
    return Pay(results=with_discipline(results, discipline), tpp=tpp_frame, credit=credit,
               summary=pay_summary(scored, tpp_frame, discipline),
               basis=pay_settings.performance_basis,
               rejected=frozenset(rejected_months(checked.frames["attendance"])))


def _credit_results(frames, settings, results: pd.DataFrame, scored: list[str],
                    requested: bool) -> pd.DataFrame:
    """period, nip, predikat of every period of the year up to the last scored one."""
    have = results[["period", "nip", "predikat"]].astype({"period": str})
    if not requested:
        return have  # every period with data was scored: the earlier ones have no predikat
    year, period_type = settings.year, settings.period_type
    last = period_rules.period_index(scored[-1], year, period_type)
    earlier = [p for p in period_rules.all_periods(year, period_type)[:last + 1] if p not in scored]
    if not earlier:
        return have
    more = scoring.score(frames, settings, earlier).results[["period", "nip", "predikat"]]
    return pd.concat([more.astype({"period": str}), have], ignore_index=True)


def with_discipline(results: scoring.Results, discipline: pd.DataFrame | None) -> scoring.Results:
    """`results` with attendance_pct and the PP 94/2021 follow-up code in `results.results`.

    The code is "discipline:<days>:<hukuman>" (days the Indonesian way: 10,5),
    appended to the row's follow_up tuple; `sync.render` words it.
    """
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


def pay_summary(scored: list[str], tpp_frame: pd.DataFrame | None,
                discipline: pd.DataFrame | None) -> pd.DataFrame:
    """Per scored period: SUMMARY (None where the workbook has no TPP or no Kehadiran)."""
    rows = []
    for period in scored:
        row = dict.fromkeys(SUMMARY)
        row["period"] = period
        if tpp_frame is not None:
            mine = tpp_frame.loc[tpp_frame["evaluation_period"].astype(str) == period]
            if len(mine):
                paid = mine.loc[mine["total_pay"].notna(), "period"]
                month = str(paid.max() if len(paid) else mine["period"].max())
                latest = mine.loc[mine["period"] == month]
                totals = latest["total_pay"].dropna()
                cuts = latest["deduction_pct"].dropna()
                row.update(month=month, tpp_employees=len(latest),
                           tpp_total=int(totals.sum()) if len(totals) else None,
                           mean_deduction=round(float(cuts.mean()), 4) if len(cuts) else None)
        if discipline is not None:
            levels = discipline.loc[discipline["period"].astype(str) == period, "discipline_level"]
            for level in ("light", "moderate", "severe"):
                row[f"discipline_{level}"] = int((levels == level).sum())
        if any(row[name] is not None for name in SUMMARY[1:]):
            rows.append(row)
    return pd.DataFrame(rows, columns=list(SUMMARY))


# --- the tabs --------------------------------------------------------------------------------

def render_tpp(frame: pd.DataFrame, results: pd.DataFrame, basis: str,
               rejected: frozenset = frozenset()) -> OutputTab:
    """The `TPP` tab from `scoring.tpp.tpp`'s frame.

    Args:
        frame: the TPP rows.
        results: the scoring results (for the reasons a result is missing).
        basis: Dasar TPP Kinerja ("capaian" | "predikat").
        rejected: (nip, month) of Kehadiran rows validation left out.
    """
    tab = R.TPP
    reasons = {(str(p), str(n)): r for p, n, r in
               results[["period", "nip", "reasons"]].itertuples(index=False)}
    out = frame.copy()
    out["performance_basis"] = [_basis_text(b, pct, basis) for b, pct in
                                zip(frame["performance_basis"], frame["performance_pct"], strict=True)]
    attended = frame["deduction_pct"].notna()
    out["deduction_detail"] = [(d or R.TPP_NO_DEDUCTION) if ok else None
                               for d, ok in zip(frame["deduction_detail"], attended, strict=True)]
    out["status"] = [_tpp_status(row, basis, reasons, rejected) for row in
                     frame[["period", "nip", "evaluation_period", "status"]].itertuples(index=False)]
    return OutputTab(tab.label, render.output_columns(tab), render.table_rows(out, tab), autofilter=True)


def _basis_text(value, pct, basis: str) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if basis == "predikat":
        return R.TPP_BASIS_PREDIKAT.format(predikat=R.PREDIKAT_LABELS.get(value, value),
                                           pct=_number(pct))
    capaian = _decimals(value)
    if round(float(value), 9) > round(float(pct), 9):
        return R.TPP_BASIS_CAPPED.format(capaian=capaian, paid=_number(pct))
    return R.TPP_BASIS_CAPAIAN.format(capaian=capaian)


def _tpp_status(row, basis: str, reasons: dict, rejected: frozenset) -> str:
    period, nip, evaluation, status = row
    if status == "complete":
        return R.STATUS_COMPLETE
    words = []
    if status.startswith("no_performance"):
        why = [R.REASON_LABELS.get(r, r) for r in reasons.get((str(evaluation), str(nip))) or ()
               if r in R.REASON_LABELS and r not in ("rows_rejected", "missing_month")]
        word = R.TPP_STATUS_LABELS["no_capaian" if basis == "capaian" else "no_predikat"]
        words.append(f"{word} ({', '.join(why)})" if why else word)
    if status.endswith("no_attendance"):
        month = int(str(period)[-2:])
        words.append(R.TPP_STATUS_LABELS["rejected_attendance" if (str(nip), month) in rejected
                                         else "no_attendance"])
    return f"{R.STATUS_INCOMPLETE}: {'; '.join(words)}"


def render_credit(frame: pd.DataFrame) -> OutputTab:
    """The `Angka Kredit` tab from `scoring.credit.angka_kredit`'s frame (three decimals)."""
    tab = R.ANGKA_KREDIT
    columns = []
    for column, spec in zip(render.output_columns(tab), tab.columns, strict=True):
        if spec.name == "percentage":
            column = dataclasses.replace(column, kind="percent", decimals=0)
        elif spec.name in _CREDIT_DECIMALS:
            column = dataclasses.replace(column, decimals=_CREDIT_DECIMALS[spec.name])
        columns.append(column)
    rows = []
    for row in frame.itertuples(index=False):
        rows.append((str(row.period), str(row.nip), row.name, R.GRADE_LABELS.get(row.grade, row.grade),
                     _float(row.coefficient), R.PREDIKAT_LABELS.get(row.predikat) if isinstance(
                         row.predikat, str) else None,
                     _float(row.percentage), _float(row.credit), _float(row.credit_cumulative)))
    return OutputTab(tab.label, columns, rows, autofilter=True)


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _number(value) -> str:
    """A number the Indonesian way without trailing zeros: 10.5 → "10,5", 100.0 → "100"."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.9g}".replace(".", ",")


def _decimals(value) -> str:
    """Two decimals the Indonesian way: 87.5 → "87,50"."""
    return f"{float(value):.2f}".replace(".", ",")
