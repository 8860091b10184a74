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
from scoring.discipline import LEVELS, attendance_by_month, discipline_summary, level_counts, matching_rows
from scoring.tpp import active_values, employee_amounts, latest_month_figures, tpp
from sheet_templates import results as R
from sync import render
from sync.check.attendance import attendance_frame, rejected_months, tpp_settings
from sync.check.validate import Checked
from sync.outtabs import OutputTab
from sync.render.columns import by_distinct, by_hundredths, lookup
from sync.table import ColumnTable

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
    labels = set(results.results["period"].astype(str).unique().tolist())
    scored = period_rules.sort_periods(labels, year, period_type)
    attendance = attendance_frame(checked.frames["attendance"])
    employees = frames.employees
    # Checked once for both the discipline summary and TPP (each would check it again).
    rows = attendance_by_month(attendance, year) if len(attendance) and scored else None
    discipline = (discipline_summary(attendance, year=year, period_type=period_type, periods=scored,
                                     rows=rows)
                  if rows is not None else None)
    table = checked.frames["tpp_table"][["job_class", "amount"]]
    pay_settings = tpp_settings(checked.settings)
    tpp_frame = None
    amounts = employee_amounts(employees, table) if scored else None
    if scored and amounts["amount"].notna().any():
        months = sorted({m for p in scored
                         for m in range(period_rules.period_months(p, year, period_type)[0],
                                        period_rules.period_months(p, year, period_type)[1] + 1)})
        tpp_frame = tpp(employees, attendance, results.results, table, pay_settings, year=year,
                        period_type=period_type, months=months, amounts=amounts, rows=rows)
    credit = None
    functional = employees.loc[active_values(employees["active"]) & employees.get(
        "functional_grade", pd.Series(None, index=employees.index)).notna().to_numpy()]
    if scored and len(functional):
        graded = _credit_results(frames, settings, results.results, scored, requested,
                                 set(functional["nip"].astype(str)))
        credit = angka_kredit(functional, graded, year=year, period_type=period_type)
        if requested:  # else every period graded is a scored one
            credit = credit.loc[credit["period"].isin(scored)].reset_index(drop=True)
    return Pay(results=with_discipline(results, discipline), tpp=tpp_frame, credit=credit,
               summary=pay_summary(scored, tpp_frame, discipline),
               basis=pay_settings.performance_basis,
               rejected=frozenset(rejected_months(checked.frames["attendance"])))


def _credit_results(frames, settings, results: pd.DataFrame, scored: list[str], requested: bool,
                    nips: set[str]) -> pd.DataFrame:
    """period (text), nip, predikat of the employees in `nips`, every period of the year up to the
    last scored one."""
    have = _graded(results, nips)
    if not requested:
        return have  # every period with data was scored: the earlier ones have no predikat
    year, period_type = settings.year, settings.period_type
    last = period_rules.period_index(scored[-1], year, period_type)
    earlier = [p for p in period_rules.all_periods(year, period_type)[:last + 1] if p not in scored]
    if not earlier:
        return have
    more = scoring.score(frames, settings, earlier).results
    return pd.concat([_graded(more, nips), have], ignore_index=True)


def _graded(results: pd.DataFrame, nips: set[str]) -> pd.DataFrame:
    """period (as text), nip, predikat of the rows of `results` whose NIP is in `nips`."""
    graded = results.loc[results["nip"].astype(str).isin(nips).to_numpy(), ["period", "nip", "predikat"]]
    return graded.assign(period=graded["period"].astype(str))


def with_discipline(results: scoring.Results, discipline: pd.DataFrame | None) -> scoring.Results:
    """`results` with attendance_pct and the PP 94/2021 follow-up code in `results.results`.

    The code is "discipline:<days>:<hukuman>" (days the Indonesian way: 10,5),
    appended to the row's follow_up tuple; `sync.render` words it.
    """
    if discipline is None or discipline.empty:
        return results
    frame = results.results
    keys = [[table[k].astype(str).to_numpy(dtype=object) for k in ("period", "nip")]
            for table in (frame, discipline)]
    at = matching_rows(*keys)  # per result row its discipline row; -1 (none) takes the value appended below
    if at is None:
        raise ValueError("The discipline summary holds two rows for one period and NIP")
    sanctions = np.append(discipline["sanction"].to_numpy(dtype=object), None)[at]
    days = np.append(discipline["absent_days"].to_numpy(dtype="float64"), np.nan)[at]
    follow_up = [tuple(old or ()) for old in frame["follow_up"].tolist()]
    for i in np.flatnonzero([isinstance(s, str) for s in sanctions]).tolist():  # worded there only
        follow_up[i] += (f"discipline:{_number(days[i])}:{sanctions[i]}",)
    pct = np.append(discipline["attendance_pct"].to_numpy(dtype="float64"), np.nan)[at]
    out = frame.assign(attendance_pct=pct)
    out["follow_up"] = pd.Series(follow_up, index=frame.index, dtype=object)
    return dataclasses.replace(results, results=out)


def pay_summary(scored: list[str], tpp_frame: pd.DataFrame | None,
                discipline: pd.DataFrame | None) -> pd.DataFrame:
    """Per scored period: SUMMARY (None where the workbook has no TPP or no Kehadiran).

    The TPP figures are those of the period's latest month with any TPP Diterima (its last
    month when none has): employees with an amount, their total, the mean Potongan of those
    with a Kehadiran row.
    """
    rows = {period: dict.fromkeys(SUMMARY, None) | {"period": period} for period in scored}
    if tpp_frame is not None and len(tpp_frame):
        for period, figures in latest_month_figures(tpp_frame).items():
            if period in rows:
                rows[period].update(figures)
    if discipline is not None:
        for row, numbers in zip(rows.values(), level_counts(discipline, list(rows)).tolist(), strict=True):
            row.update({f"discipline_{level}": n for level, n in zip(LEVELS, numbers, strict=True)})
    kept = [row for row in rows.values() if any(row[name] is not None for name in SUMMARY[1:])]
    return pd.DataFrame(kept, columns=list(SUMMARY))


# --- the tabs --------------------------------------------------------------------------------

def render_tpp(frame: pd.DataFrame, results: pd.DataFrame, basis: str,
               rejected: frozenset = frozenset()) -> OutputTab:
    """The `TPP` tab from `scoring.tpp.tpp`'s frame.

    Column-wise (a 10,000-employee agency has 120,000 rows a year): the
    per-row work is only for the few rows that are not complete.

    Args:
        frame: the TPP rows.
        results: the scoring results (for the reasons a result is missing).
        basis: Dasar TPP Kinerja ("capaian" | "predikat").
        rejected: (nip, month) of Kehadiran rows validation left out.
    """
    tab = R.TPP
    attended = frame["deduction_pct"].notna().to_numpy()
    details = frame["deduction_detail"].to_numpy(dtype=object)
    falsy = ~details.astype(bool)  # Python truthiness, element by element: None and "" are no text
    columns = {
        "period": frame["period"].astype(str).to_numpy(dtype=object),
        "nip": frame["nip"].astype(str).to_numpy(dtype=object),
        "name": frame["name"].to_numpy(dtype=object),
        "unit": frame["unit"].to_numpy(dtype=object),
        "job_class": _ints(frame["job_class"]),
        "amount": _ints(frame["amount"]),
        "performance_basis": _basis_texts(frame["performance_basis"], frame["performance_pct"], basis),
        "performance_pay": _ints(frame["performance_pay"]),
        "deduction_pct": _floats(frame["deduction_pct"], 2),
        "deduction_detail": np.where(attended, np.where(falsy, R.TPP_NO_DEDUCTION, details), None),
        "discipline_pay": _ints(frame["discipline_pay"]),
        "total_pay": _ints(frame["total_pay"]),
        "status": _tpp_statuses(frame, results, basis, rejected),
    }
    table = ColumnTable([columns[c.name] for c in tab.columns], length=len(frame))
    return OutputTab(tab.label, render.output_columns(tab), table, autofilter=True)


_EXACT_INT = 2.0 ** 53  # below, a whole float64 and its int64 are the same number


def _ints(series: pd.Series) -> np.ndarray:
    """Whole numbers as ints, missing as None (amounts with sen keep them, as floats)."""
    values = pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
    missing = np.isnan(values)
    with np.errstate(invalid="ignore"):
        whole = ~missing & (values == np.floor(values)) & (np.abs(values) < _EXACT_INT)
    if whole.all():
        return values.astype(np.int64)
    out = np.full(len(values), None, dtype=object)
    out[whole] = values[whole].astype(np.int64)  # stored as Python ints
    rest = np.flatnonzero(~whole & ~missing)  # sen, or too big for int64: as Python would have them
    out[rest] = np.fromiter((int(v) if v.is_integer() else v for v in values[rest].tolist()),
                            dtype=object, count=len(rest))
    return out


def _floats(series: pd.Series, digits: int) -> np.ndarray:
    """Rounded as numpy rounds (NaN: an empty cell)."""
    return np.round(pd.to_numeric(series, errors="coerce").astype("float64").to_numpy(), digits)


def _basis_texts(values: pd.Series, paid: pd.Series, basis: str) -> np.ndarray:
    """`Dasar Kinerja`: "Capaian 87,50%", "Capaian 112,30% (dibayar 100%)" or "Baik (100%)".

    Worded once per distinct figure: 120,000 rows a year repeat a few thousand of them.
    """
    pct = paid.to_numpy(dtype="float64")
    if basis == "predikat":
        return by_distinct(_predikat_text, values, pct)
    capaian = values.to_numpy(dtype="float64")
    capped = np.round(capaian, 9) > np.round(pct, 9)
    plain = ~np.isnan(capaian) & ~capped
    out = np.full(len(capaian), None, dtype=object)
    out[plain] = by_hundredths(lambda value: R.TPP_BASIS_CAPAIAN.format(capaian=_decimals(value)),
                                capaian[plain])
    out[capped] = by_hundredths(lambda value, share: R.TPP_BASIS_CAPPED.format(
        capaian=_decimals(value), paid=_number(share)), capaian[capped], pct[capped])
    return out


def _predikat_text(code, value: float) -> str | None:
    if not isinstance(code, str):
        return None
    return R.TPP_BASIS_PREDIKAT.format(predikat=R.PREDIKAT_LABELS.get(code, code), pct=_number(value))


def _tpp_statuses(frame: pd.DataFrame, results: pd.DataFrame, basis: str,
                  rejected: frozenset) -> np.ndarray:
    """`Status` per TPP row: Lengkap, or Belum Lengkap with what is missing and why."""
    statuses = frame["status"].to_numpy(dtype=object)
    out = np.full(len(frame), R.STATUS_COMPLETE, dtype=object)
    todo = np.flatnonzero(statuses != "complete")
    if not len(todo):
        return out
    wanted = set(zip(frame["evaluation_period"].astype(str).to_numpy()[todo],
                     frame["nip"].astype(str).to_numpy()[todo], strict=True))
    keys = zip(results["period"].astype(str), results["nip"].astype(str), results["reasons"], strict=True)
    reasons = {(p, n): r for p, n, r in keys if (p, n) in wanted}
    word = R.TPP_STATUS_LABELS["no_capaian" if basis == "capaian" else "no_predikat"]
    for i in todo:
        period, nip, evaluation, status = (str(frame["period"].iat[i]), str(frame["nip"].iat[i]),
                                           str(frame["evaluation_period"].iat[i]), statuses[i])
        words = []
        if status.startswith("no_performance"):
            why = [R.REASON_LABELS[r] for r in reasons.get((evaluation, nip)) or ()
                   if r in R.REASON_LABELS and r not in ("rows_rejected", "missing_month")]
            words.append(f"{word} ({', '.join(why)})" if why else word)
        if status.endswith("no_attendance"):
            words.append(R.TPP_STATUS_LABELS["rejected_attendance" if (nip, int(period[-2:])) in rejected
                                             else "no_attendance"])
        out[i] = f"{R.STATUS_INCOMPLETE}: {'; '.join(words)}"
    return out


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
    values = {
        "period": frame["period"].astype(str).to_numpy(dtype=object),
        "nip": frame["nip"].astype(str).to_numpy(dtype=object),
        "name": frame["name"].to_numpy(dtype=object),
        "grade": frame["grade"].map(R.GRADE_LABELS).to_numpy(dtype=object),
        "predikat": lookup(frame["predikat"], R.PREDIKAT_LABELS),
        **{name: _floats(frame[name], 3) for name in ("coefficient", "percentage", "credit",
                                                       "credit_cumulative")},
    }
    table = ColumnTable([values[c.name] for c in tab.columns], length=len(frame))
    return OutputTab(tab.label, columns, table, autofilter=True)


def _number(value) -> str:
    """A number the Indonesian way without trailing zeros: 10.5 → "10,5", 100.0 → "100"."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.9g}".replace(".", ",")


def _decimals(value) -> str:
    """Two decimals the Indonesian way: 87.5 → "87,50"."""
    return f"{float(value):.2f}".replace(".", ",")
