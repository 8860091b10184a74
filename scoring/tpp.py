"""TPP (Tambahan Penghasilan Pegawai): the monthly pay from performance and discipline.

Rules of issue 15 and domain.md §5, with B the amount (Besaran TPP), Pk/Pd the
shares, f the capaian (capped at 100) or the predikat's %:

- TPP Kinerja = B × Pk × f.   Potongan = min(cap, Σ count × rate).
- Base "discipline_part": TPP Disiplin = B × Pd × (1 − Potongan); the total
  is the sum of the two rounded parts, so every row adds up.
- Base "total": total = max(0, B × (Pk × f + Pd) − B × Potongan) and TPP
  Disiplin = total − TPP Kinerja, negative when the deduction reaches into
  the performance part.
- No f: no performance part. No attendance row: no discipline part in either
  base, since it cannot be checked; the total is what is left.

Exact integer arithmetic (amounts in sen, percentages in 10⁻⁹ %, counts in
thousandths, rates in 10⁻⁶ %); each amount is rounded to whole rupiah half up
once, at the end. Before taxes and BPJS, which payroll applies afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from ._groups import sort_codes
from .discipline import (
    COUNT_COLUMNS,
    DEDUCTION_LABELS,
    attendance_by_month,
    decimal_text,
    matching_rows,
    to_decimal,
)
from .errors import ScoringError
from .frames import require_columns
from .periods import month_to_period, period_months
from .predikat import PREDIKATS
from .settings import Number

PERFORMANCE_BASES = ("capaian", "predikat")
DEDUCTION_BASES = ("discipline_part", "total")
STATUSES = ("complete", "no_attendance", "no_performance", "no_performance_no_attendance")

TPP_COLUMNS = ("period", "nip", "name", "unit", "job_class", "amount", "evaluation_period",
               "performance_basis", "performance_pct", "performance_pay", "deduction_pct",
               "deduction_detail", "discipline_pay", "total_pay", "status")


@dataclass(frozen=True)
class TppSettings:
    """The TPP keys of `Pengaturan`, one field per key, with the defaults of issue 15.

    Percentages in percent (0,5 is 0.5 %): int, float (read as the decimal it
    prints as) or Decimal. Shares add up to 100; every value is within 0–100
    (a predikat never pays more than its share, as capaian is capped at 100).
    """

    performance_share: Number = 60          # Porsi TPP Kinerja (%)
    discipline_share: Number = 40           # Porsi TPP Disiplin (%)
    performance_basis: str = "capaian"      # Dasar TPP Kinerja: capaian | predikat
    predikat_pct_very_good: Number = 100    # TPP Kinerja Sangat Baik (%)
    predikat_pct_good: Number = 100
    predikat_pct_needs_improvement: Number = 80
    predikat_pct_poor: Number = 60
    predikat_pct_very_poor: Number = 40
    rate_tl1: Number = Decimal("0.5")       # Potongan TL1 (%) …
    rate_tl2: Number = 1
    rate_tl3: Number = Decimal("1.25")
    rate_tl4: Number = Decimal("1.5")
    rate_psw1: Number = Decimal("0.5")
    rate_psw2: Number = 1
    rate_psw3: Number = Decimal("1.25")
    rate_psw4: Number = Decimal("1.5")
    rate_absent_no_reason: Number = 3       # Potongan Tanpa Keterangan per Hari (%)
    rate_no_apel: Number = 2                # Potongan Tidak Apel (%)
    deduction_base: str = "discipline_part"  # Potongan Dihitung dari: discipline_part | total
    deduction_cap: Number = 100             # Batas Potongan Disiplin (%)

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name not in ("performance_basis", "deduction_base"):
                value = to_decimal(getattr(self, f.name), f.name)
                if not 0 <= value <= 100:
                    raise ScoringError(f"{f.name} must be between 0 and 100 %, got {value}")
        for name, choices in (("performance_basis", PERFORMANCE_BASES),
                              ("deduction_base", DEDUCTION_BASES)):
            if getattr(self, name) not in choices:
                raise ScoringError(f"{name} must be one of {', '.join(choices)}; "
                                   f"got {getattr(self, name)!r}")
        shares = to_decimal(self.performance_share) + to_decimal(self.discipline_share)
        if shares != 100:
            raise ScoringError(f"performance_share + discipline_share must be 100 %, got {shares}; "
                               "change one of them so they add up to 100")

    @property
    def predikat_pct(self) -> dict[str, Decimal]:
        """TPP Kinerja % per predikat code."""
        return {code: to_decimal(getattr(self, f"predikat_pct_{code}")) for code in PREDIKATS}

    @property
    def rates(self) -> dict[str, Decimal]:
        """Deduction % per attendance count column (COUNT_COLUMNS order)."""
        return {column: to_decimal(getattr(self, f"rate_{column}")) for column in COUNT_COLUMNS}


_K = 10**9   # percentages travel as Python ints of 10⁻⁹ %, amounts as ints of sen,
_SEN = 100   # so every product is exact and each amount is rounded once, at the end
_DEN = _SEN * (100 * _K) ** 2


def _pays(amount, pct, cut, settings: TppSettings):
    """(performance, discipline, total) pay, object arrays of int or None (module docstring);
    `amount` in sen, `pct` and `cut` in 10⁻⁹ % (None where missing)."""
    has_f, has_cut = pd.notna(pct), pd.notna(cut)
    f, c = np.where(has_f, pct, 0), np.where(has_cut, cut, 0)
    pk = _scaled(to_decimal(settings.performance_share), _K)
    pd_ = _scaled(to_decimal(settings.discipline_share), _K)
    perf = _rupiah(amount * pk * f)
    if settings.deduction_base == "discipline_part":
        disc = _rupiah(amount * pd_ * (100 * _K - c))
        total = np.where(has_f, perf, 0) + np.where(has_cut, disc, 0)
    else:
        exact = amount * (pk * f + (pd_ - c) * (100 * _K))
        total = _rupiah(np.where(exact > 0, exact, 0))
        disc = total - np.where(has_f, perf, 0)
        total = np.where(has_cut, total, perf)
    return (np.where(has_f, perf, None), np.where(has_cut, disc, None),
            np.where(has_f | has_cut, total, None))


def _rupiah(numerators):
    """Whole rupiah from numerators over _DEN, half up (the values are never negative)."""
    return (2 * numerators + _DEN) // (2 * _DEN)


def _scaled(value: Decimal, scale: int) -> int:
    """value × scale as an int, half up: 1,25 % at 10⁹ → 1_250_000_000."""
    return int((value * scale).to_integral_value(rounding=ROUND_HALF_UP))


def tpp(employees: pd.DataFrame, attendance: pd.DataFrame, results: pd.DataFrame,
        tpp_table: pd.DataFrame, settings: TppSettings, *, year: int, period_type: str,
        months=None, amounts: pd.DataFrame | None = None,
        rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """TPP per employee with an amount and month (formulas in the module docstring).

    TPP is paid monthly whatever the evaluation period: a month takes the
    result of the evaluation period containing it (2026-03 → 2026-T1 when
    quarterly) as scored so far. Capaian is rounded to 9 decimals (as for
    bands) and capped at 0–100. No capaian/predikat (or no results row):
    status "no_performance"; no attendance row: "no_attendance".

    Args:
        employees: see `employee_amounts`.
        attendance: the attendance frame (scoring.discipline).
        results: period (evaluation labels), nip, work_achievement (capaian %,
            may be NaN), predikat (code, may be missing), e.g. scoring's results.
        tpp_table: job_class, amount.
        settings: the TPP settings.
        year, period_type: the evaluation year and period type of `results`.
        months: month numbers to pay; by default every month with an
            attendance row or inside a period of `results`.
        amounts, rows: `employee_amounts(employees, tpp_table)` and
            `attendance_by_month(attendance, year)` when the caller has them
            already (neither is changed here).

    Returns:
        A new frame with TPP_COLUMNS sorted by period, unit, nip: period
        ("2026-03"), job_class (Int64), amount (float, Rp), evaluation_period,
        performance_basis (the capaian, or the predikat code), performance_pct
        (the % applied, float), performance_pay / discipline_pay / total_pay
        (Int64 whole rupiah), deduction_pct (float, capped),
        deduction_detail (text, NaN without attendance), status (STATUSES).
    """
    require_columns(results, "results", ("period", "nip", "work_achievement", "predikat"))
    if amounts is None:
        amounts = employee_amounts(employees, tpp_table)
    paid = np.flatnonzero(amounts["amount"].notna().to_numpy())
    # The staff with an amount sorted by unit and NIP: each month's rows in this order are the
    # result sorted by period, unit and NIP (one period label per month, in month order).
    staff = paid[np.lexsort((sort_codes(amounts["nip"])[paid], sort_codes(amounts["unit"])[paid]))]
    if rows is None:
        rows = attendance_by_month(attendance, year)
    if months is None:
        months = set(rows["month"].tolist())
        for label in results["period"].dropna().unique():
            first, last = period_months(label, year, period_type)
            months.update(range(first, last + 1))
    months = np.array(sorted({int(m) for m in months}), dtype=np.int64)
    # Row r is staff member r % len(staff) in month r // len(staff): numpy takes, no merges.
    member = np.tile(np.arange(len(staff)), len(months))
    of_month = np.repeat(np.arange(len(months)), len(staff))
    evaluation = month_to_period(months, year, period_type)
    nips = amounts["nip"].to_numpy(dtype=object)[staff]
    at_result = _cell_rows(nips, evaluation, results["nip"].astype(str).to_numpy(dtype=object),
                           results["period"].astype(str).to_numpy(dtype=object))
    if at_result is None:
        raise ScoringError("The results hold two rows for one period and NIP")
    at_row = _cell_rows(nips, months, rows["nip"].to_numpy(dtype=object), rows["month"].to_numpy())
    amount = amounts["amount"].to_numpy(dtype=object)[staff].tolist()
    basis, pct = _performance(results, at_result, settings)
    attended = at_row >= 0
    counts = np.vstack([rows[list(COUNT_COLUMNS)].to_numpy(dtype="float64"),
                        np.full((1, len(COUNT_COLUMNS)), np.nan)])[at_row]  # -1: no row, NaN
    cut, detail = _deductions(np.nan_to_num(counts), attended, settings)
    # Python ints (object dtype), so the products below never overflow.
    sen = np.array([_scaled(a, _SEN) for a in amount], dtype=object)[member]
    perf, disc, total = _pays(sen, pct, cut, settings)
    return pd.DataFrame({
        "period": month_to_period(months, year, "monthly")[of_month],
        **{column: _repeated(amounts[column], staff[member])
           for column in ("nip", "name", "unit", "job_class")},
        "amount": np.array([float(a) for a in amount], dtype="float64")[member],
        "evaluation_period": evaluation[of_month],
        "performance_basis": basis,
        "performance_pct": np.where(pd.notna(pct), pct, np.nan).astype("float64") / _K,
        "performance_pay": _int64(perf),
        "deduction_pct": np.where(attended, cut, np.nan).astype("float64") / _K,
        "deduction_detail": detail,
        "discipline_pay": _int64(disc),
        "total_pay": _int64(total),
        "status": np.array(STATUSES)[pd.isna(pct) * 2 + ~attended],
    })


def _int64(values: np.ndarray) -> pd.arrays.IntegerArray:
    """An object array of ints and None as an Int64 array (None: missing)."""
    missing = pd.isna(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype(np.int64), missing)


def _cell_rows(nips: np.ndarray, labels: np.ndarray, row_nips: np.ndarray, row_labels: np.ndarray):
    """Per cell (staff member i in month j, cell j * len(nips) + i) the position of the row with
    that NIP and the month's label (`labels[j]`), -1 without one; None when two rows share them."""
    cells = [np.tile(nips, len(labels)), np.repeat(labels, len(nips))]
    return matching_rows(cells, [row_nips, row_labels])


def _repeated(column: pd.Series, take: np.ndarray) -> pd.Series:
    """The values of `column` at positions `take`, with its dtype (object stays object)."""
    return pd.Series(column.array.take(take), dtype=column.dtype)


def _performance(results: pd.DataFrame, at: np.ndarray, settings: TppSettings):
    """(basis shown, f as ints of 10⁻⁹ % or None) per cell, from the results row at `at` (-1:
    none): capped capaian or predikat %."""
    if settings.performance_basis == "capaian":
        basis = np.append(results["work_achievement"].to_numpy(dtype="float64"), np.nan)[at]
        # 9 decimals, as for bands, so 99.99999999999999 pays as 100.
        ints = np.rint(np.clip(np.round(np.nan_to_num(basis), 9), 0, 100) * _K).astype(np.int64)
        return basis, np.where(np.isnan(basis), None, ints.astype(object))
    codes = results["predikat"]
    basis = np.append(codes.astype(object).where(codes.notna(), None).to_numpy(), None)[at]
    unknown = sorted({code for code in basis if code is not None} - set(PREDIKATS))
    if unknown:
        raise ScoringError(f"Unknown predikat code {unknown[0]!r}; use one of "
                           f"{', '.join(PREDIKATS)}")
    table = {code: _scaled(pct, _K) for code, pct in settings.predikat_pct.items()}
    return basis, np.array([None if code is None else table[code] for code in basis], object)


def _deductions(counts: np.ndarray, attended, settings: TppSettings):
    """(Potongan in 10⁻⁹ % or None, breakdown text or None) per row of `counts` (COUNT_COLUMNS);
    the text is built once per distinct combination of counts, which repeat a lot."""
    milli = np.rint(counts * 1000).astype(np.int64)  # thousandths of a count: half days too
    rates = settings.rates
    total = milli @ np.array([_scaled(rate, 10**6) for rate in rates.values()], dtype=np.int64)
    cap = to_decimal(settings.deduction_cap)
    capped = total > _scaled(cap, _K)
    detail = np.full(len(counts), None, dtype=object)
    if len(counts):
        # Each row's counts as one opaque value (its bytes), so one sort finds the distinct rows.
        whole = np.ascontiguousarray(milli).view(np.dtype((np.void, milli.itemsize * len(rates))))
        _, first, group = np.unique(whole.ravel(), return_index=True, return_inverse=True)
        shown = {m: decimal_text(Decimal(m).scaleb(-3)) for m in np.unique(milli[first]).tolist()}
        # Per count column, its text for each count met ("TL1 2×0,5%"), joined per distinct row.
        pieces = [{m: f"{DEDUCTION_LABELS[column]} {text}×{decimal_text(rate)}%" for m, text in shown.items()}
                  for column, rate in rates.items()]
        limit = f" (dibatasi {decimal_text(cap)}%)"
        texts = []
        for row, over in zip(milli[first].tolist(), capped[first].tolist(), strict=True):
            text = " + ".join([piece[m] for piece, m in zip(pieces, row, strict=True) if m])
            texts.append(text + limit if over else text)
        detail = np.array(texts, dtype=object)[group.ravel()]
    total = np.minimum(total, _scaled(cap, _K))
    return (np.where(attended, total.astype(object), None),
            np.where(attended, detail, None))


def latest_month_figures(frame: pd.DataFrame) -> dict[str, dict]:
    """Per evaluation period of `tpp`'s rows, the figures of its latest month with any TPP Diterima
    (its last month when none has): month, tpp_employees (rows of that month), tpp_total (their
    total_pay, NA when none is paid) and mean_deduction (their mean deduction_pct, 4 decimals, None
    when none has one). Rows without an evaluation period are left out.
    """
    codes, periods = pd.factorize(frame["evaluation_period"].astype(str).to_numpy(dtype=object))
    month, months = pd.factorize(frame["period"].astype(str).to_numpy(dtype=object), sort=True)
    # Month codes sort as the months: a period's latest month is its largest code.
    grouped, paid = codes >= 0, frame["total_pay"].notna().to_numpy()
    latest, latest_paid = np.full(len(periods), -1), np.full(len(periods), -1)
    np.maximum.at(latest, codes[grouped], month[grouped])
    np.maximum.at(latest_paid, codes[grouped & paid], month[grouped & paid])
    chosen_month = np.where(latest_paid >= 0, latest_paid, latest)
    chosen = grouped & (month == np.append(chosen_month, -1)[codes])  # code -1 (no period): the -1 added
    totals = np.zeros(len(periods), dtype=np.int64)
    pays = frame["total_pay"].to_numpy(dtype=np.int64, na_value=0)
    np.add.at(totals, codes[chosen & paid], pays[chosen & paid])
    has_total = np.bincount(codes[chosen & paid], minlength=len(periods)) > 0
    counts = np.bincount(codes[chosen], minlength=len(periods))
    # pandas' grouped mean (compensated summation) rather than numpy's: the same float to the last bit.
    cuts = frame["deduction_pct"].loc[chosen].groupby(codes[chosen]).mean()
    return {period: {"month": months[chosen_month[k]], "tpp_employees": int(counts[k]),
                     "tpp_total": totals[k] if has_total[k] else pd.NA,
                     "mean_deduction": None if pd.isna(cuts[k]) else round(float(cuts[k]), 4)}
            for k, period in enumerate(periods)}


def employee_amounts(employees: pd.DataFrame, tpp_table: pd.DataFrame) -> pd.DataFrame:
    """Besaran TPP per active employee: their own `tpp_amount`, else their class's.

    Args:
        employees: nip, name, unit; optional active (False → left out),
            job_class (Kelas Jabatan 1–17) and tpp_amount (override, Rp).
        tpp_table: job_class, amount (Tabel TPP); one row per class.

    Returns:
        A new frame: nip, name, unit, job_class (Int64), amount (Decimal or
        None), amount_source ("employee" | "class" | None).
    """
    require_columns(employees, "employees", ("nip", "name", "unit"))
    require_columns(tpp_table, "TPP table", ("job_class", "amount"))
    staff = employees
    if "active" in staff.columns:
        staff = staff.loc[active_values(staff["active"])]
    out = staff[["nip", "name", "unit"]].reset_index(drop=True)
    out["nip"] = out["nip"].astype(str)  # a frame's astype({"nip": str}) costs several times this
    job_class = (_classes(staff["job_class"], "employees") if "job_class" in staff.columns
                 else [None] * len(staff))
    table = dict(zip(_classes(tpp_table["job_class"], "TPP table"),
                     (to_decimal(a, "TPP table amount") for a in tpp_table["amount"]), strict=True))
    if pd.isna(list(table)).any() or len(table) != len(tpp_table):
        raise ScoringError("The TPP table needs one row per job class, each with its class")
    own = staff["tpp_amount"] if "tpp_amount" in staff.columns else pd.Series(np.nan, index=staff.index)
    pairs = list(zip(own.tolist(), own.notna().tolist(), job_class, strict=True))
    amounts = [to_decimal(v, "tpp_amount") if given else table.get(c) for v, given, c in pairs]
    sources = ["employee" if given else ("class" if c in table else None) for _, given, c in pairs]
    if any(a is not None and a < 0 for a in amounts):
        raise ScoringError("A TPP amount is negative; amounts are 0 or more rupiah")
    out["job_class"] = pd.array(job_class, dtype="Int64")
    out["amount"] = pd.Series(amounts, dtype=object)
    out["amount_source"] = pd.Series(sources, dtype=object)
    return out


def active_values(column: pd.Series) -> np.ndarray:
    """The `active` column as booleans, an empty cell counting as active."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind == "b":
        return column.to_numpy()  # booleans already: no cell is empty
    return column.astype(object).where(column.notna(), True).astype(bool).to_numpy()


def missing_amounts(employees: pd.DataFrame, tpp_table: pd.DataFrame) -> pd.DataFrame:
    """Active employees without a TPP amount while others have one (for a Peringatan).

    Returns:
        nip, name, unit, job_class of those employees; empty when nobody or
        everybody has an amount (TPP not used, or complete).
    """
    amounts = employee_amounts(employees, tpp_table)
    missing = amounts["amount"].isna() & amounts["amount"].notna().any()
    return amounts.loc[missing, ["nip", "name", "unit", "job_class"]].reset_index(drop=True)


def _classes(values: pd.Series, where: str) -> list:
    """Kelas jabatan as int (NaN → None); a non-whole class is an error."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce")
    if numbers.dtype.kind in "iu" and not numbers.hasnans:
        return numbers.tolist()  # whole numbers, none missing (the usual case): nothing to check
    if ((numbers % 1 != 0) & numbers.notna() | numbers.isna() & pd.Series(values).notna()).any():
        raise ScoringError(f"A job class in the {where} is not a whole number 1–17")
    return [None if pd.isna(n) else int(n) for n in numbers]
