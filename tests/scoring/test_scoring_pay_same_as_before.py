"""TPP, attendance and angka kredit functions rewritten for CPU (issue 17) give what they gave.

Each previous implementation is kept here as the oracle (docstrings left out) and run beside the
current one on seeded random inputs: empty frames, missing values (None and NaN), keys with no
match, repeated keys, values that are no number, and the inputs that raise.
"""

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from scoring import ScoringError
from scoring.credit import (
    _FLOATS,
    CREDIT_COLUMNS,
    DEFAULT_COEFFICIENTS,
    DEFAULT_PREDIKAT_PCT,
    GRADES,
    _code_positions,
    _found_codes,
    _inferred,
    _round3_floats,
    _table,
    angka_kredit,
    exact_credit,
)
from scoring.credit import STATUSES as CREDIT_STATUSES
from scoring.discipline import (
    COUNT_COLUMNS,
    DEDUCTION_LABELS,
    LADDER,
    SUMMARY_COLUMNS,
    attendance_by_month,
    decimal_text,
    discipline_summary,
    step_index,
    to_decimal,
)
from scoring.frames import require_columns
from scoring.periods import (
    MONTHS_PER_PERIOD,
    all_periods,
    month_to_period,
    period_index,
    period_months,
    sort_periods,
)
from scoring.predikat import PREDIKATS
from scoring.tpp import (
    _K,
    _SEN,
    STATUSES,
    TPP_COLUMNS,
    TppSettings,
    _pays,
    _scaled,
    employee_amounts,
    missing_amounts,
    tpp,
)
from tests.same import outcome, pick, same, same_outcome

YEAR = 2026
NIPS = ["198501012010011001", "198602022011011002", "10", "2", "3", "7"]  # "10" sorts before "2"
UNITS = ["Bidang B", "Bidang A", "bidang a", "Ünit Ç"]


def numbers(rng: np.random.Generator, choices: list, size: int, holes: bool):
    """A numeric column as a parse or a caller may give it: int64, float64 with NaN, or objects with
    None (and a text that is no number)."""
    kind = rng.integers(0, 3) if holes else 0
    if kind == 0:
        return np.array([c for c in pick(rng, choices, size)], dtype="float64" if any(
            isinstance(c, float) for c in choices) else np.int64)
    if kind == 1:
        return np.where(rng.random(size) < 0.2, np.nan, pick(rng, choices, size).astype("float64"))
    return pick(rng, [*choices, None, np.nan, "x"], size)


def attendance_input(rng, rows: int, holes: bool = True, *, extra_nips=("99",)) -> pd.DataFrame:
    """A Kehadiran frame with one row per (nip, month) drawn at random, in random order."""
    cells = [(nip, month) for nip in [*NIPS, *extra_nips] for month in range(1, 13)]
    chosen = rng.permutation(len(cells))[:rows]
    nips = [cells[i][0] for i in chosen]
    if holes and rows and rng.random() < 0.3:
        nips[0] = None
    frame = pd.DataFrame({
        "month": np.array([cells[i][1] for i in chosen], dtype=np.int64),
        "nip": pd.Series(nips, dtype=object if rng.random() < 0.5 else "str"),
        "work_days": numbers(rng, [20, 21, 22, 0], rows, holes),
        **{column: numbers(rng, [0, 0, 0, 1, 2, 3, 0.5, 0.1, 1.3, 12.0], rows, holes)
           for column in COUNT_COLUMNS},
    })
    if rng.random() < 0.3:
        frame["note"] = pick(rng, ["izin", None], rows)
    if rng.random() < 0.3:
        frame["month"] = frame["month"].astype("float64")
    if rng.random() < 0.2:
        frame.index = frame.index + 7
    if rng.random() < 0.2:
        frame.attrs["rejected_months"] = {("1", 2)}
    return frame


# ---- discipline.attendance_by_month ------------------------------------------------------------

def _attendance_by_month_before(attendance: pd.DataFrame, year: int) -> pd.DataFrame:
    if "month" not in attendance.columns and "period" in attendance.columns:
        months = [period_index(p, year, "monthly") + 1 for p in attendance["period"]]
        attendance = attendance.assign(month=np.asarray(months, dtype=np.int64))
    require_columns(attendance, "attendance", ("month", "nip", "work_days", *COUNT_COLUMNS))
    out = attendance.copy()
    out["month"] = pd.to_numeric(out["month"], errors="coerce")
    bad = out["month"].isna() | ~out["month"].between(1, 12) | (out["month"] % 1 != 0)
    if bad.any():
        raise ScoringError(f"Attendance month {attendance['month'][bad].iloc[0]!r} is not a "
                           "month number 1–12 of the evaluation year")
    out["month"] = out["month"].astype(np.int64)
    out["nip"] = out["nip"].astype(str)
    out["work_days"] = pd.to_numeric(out["work_days"], errors="coerce").astype("float64")
    for column in COUNT_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").fillna(0.0).astype("float64")
        if (out[column] < 0).any():
            raise ScoringError(f"Attendance column {column} has a negative count; "
                               "counts are 0 or more")
    duplicated = out.duplicated(["nip", "month"])
    if duplicated.any():
        row = out.loc[duplicated].iloc[0]
        raise ScoringError(f"NIP {row['nip']!r} has two attendance rows for month "
                           f"{row['month']}; keep one row per employee and month")
    return out.reset_index(drop=True)


@pytest.mark.parametrize("seed", range(40))
def test_attendance_by_month_is_the_checked_copy_of_before(seed):
    rng = np.random.default_rng(seed)
    for rows in (0, 1, 9, 60):
        frame = attendance_input(rng, rows, holes=seed % 4 != 0)
        mistake = rng.integers(0, 8) if rows else 0
        if mistake == 1:  # a repeated (nip, month)
            frame = pd.concat([frame, frame.iloc[[rows // 2]]])
        elif mistake == 2:  # a month that is none
            frame["month"] = frame["month"].astype(object)
            frame.iloc[rows // 2, 0] = rng.choice([13, 0, 2.5, None, "Maret"])
        elif mistake == 3:
            frame.iloc[rows // 3, 4] = -1
        elif mistake == 4:  # the period labels instead of month numbers
            labels = [f"{YEAR}-{int(m):02d}" for m in frame["month"]]
            frame = frame.assign(period=labels).drop(columns="month")
        before = frame.copy()
        same_outcome(outcome(attendance_by_month, frame, YEAR),
                     outcome(_attendance_by_month_before, frame, YEAR))
        same(frame, before)  # the input is left as it was


# ---- discipline.discipline_summary -------------------------------------------------------------

def _discipline_summary_before(attendance, *, year, period_type, periods=None, rows=None):
    if rows is None:
        rows = _attendance_by_month_before(attendance, year)
    if periods is None:
        labels = sort_periods(set(month_to_period(rows["month"], year, period_type)),
                              year, period_type) if len(rows) else []
    else:
        labels = sort_periods(periods, year, period_type)
    rows = rows.assign(present_days=rows["work_days"] - rows["absent_no_reason"])
    if not labels:
        return pd.DataFrame({column: pd.Series([], dtype=object) for column in SUMMARY_COLUMNS})
    month = rows["month"].to_numpy()
    so_far = [np.flatnonzero(month <= period_months(label, year, period_type)[1]) for label in labels]
    if all(len(picked) for picked in so_far):
        out = _cumulated_before(rows, labels, so_far)
    else:
        out = pd.concat([_period_sums_before(rows.iloc[picked], label)
                         for label, picked in zip(labels, so_far, strict=True)], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = out["present_days"] / out["work_days"].where(out["work_days"] > 0) * 100
    out["attendance_pct"] = pct.astype("float64")
    index = step_index(out["absent_days"])
    found = index >= 0
    for column, attribute in (("discipline_step", "code"), ("discipline_level", "level"),
                              ("sanction", "sanction")):
        values = np.array([getattr(step, attribute) for step in LADDER] + [None], dtype=object)
        out[column] = values[np.where(found, index, len(LADDER))]
    out["months_reported"] = out["months_reported"].astype(np.int64)
    return out[list(SUMMARY_COLUMNS)]


def _cumulated_before(rows, labels, so_far):
    period = np.repeat(np.arange(len(labels)), [len(picked) for picked in so_far])
    picked = np.concatenate(so_far)
    codes, nips = pd.factorize(rows["nip"], sort=True)
    if nips.dtype == object:
        nips = pd.Index(nips.tolist())
    size = max(len(nips), 1)
    taken = rows[["month", "work_days", "present_days", "absent_no_reason"]].iloc[picked].assign(
        _key=period * size + codes[picked])
    if (codes < 0).any():
        taken = taken.loc[codes[picked] >= 0]
    out = _sums_before(taken.groupby("_key", sort=True))
    key = out.index.to_numpy()
    out = out.reset_index(drop=True)
    out.insert(0, "period", np.array(labels, dtype=object)[key // size])
    out.insert(1, "nip", nips.take(key % size))
    return out


def _period_sums_before(so_far, label):
    part = _sums_before(so_far.groupby("nip", sort=True)).reset_index()
    part.insert(0, "period", label)
    return part


def _sums_before(grouped):
    return pd.DataFrame({
        "months_reported": grouped["month"].count(),
        "work_days": grouped["work_days"].sum(min_count=1),
        "present_days": grouped["present_days"].sum(min_count=1),
        "absent_days": grouped["absent_no_reason"].sum(),
    })


@pytest.mark.parametrize("period_type", ["monthly", "quarterly", "semester", "annual"])
@pytest.mark.parametrize("seed", range(8))
def test_discipline_summary_is_the_grouped_summary_of_before(seed, period_type):
    rng = np.random.default_rng(seed)
    labels = all_periods(YEAR, period_type)
    for rows in (0, 1, 7, 80):
        frame = attendance_input(rng, rows, holes=seed % 3 != 0)
        if seed % 2:  # absences in large and odd amounts: sums that depend on how they are added
            frame["absent_no_reason"] = rng.random(rows) * 7
        frame = frame.loc[frame["nip"].notna()] if seed % 5 == 0 else frame
        checked = attendance_by_month(frame, YEAR)
        some = list(rng.choice(labels, min(2, len(labels)), replace=False))
        for periods, given in ((None, None), (None, checked), (labels, checked), (some, checked),
                               ([labels[0]], checked)):
            same_outcome(
                outcome(discipline_summary, frame, year=YEAR, period_type=period_type, periods=periods,
                        rows=given),
                outcome(_discipline_summary_before, frame, year=YEAR, period_type=period_type,
                        periods=periods, rows=given))


# ---- tpp.employee_amounts, tpp.missing_amounts -------------------------------------------------

def _employee_amounts_before(employees, tpp_table):
    require_columns(employees, "employees", ("nip", "name", "unit"))
    require_columns(tpp_table, "TPP table", ("job_class", "amount"))
    staff = employees
    if "active" in staff.columns:
        staff = staff.loc[staff["active"].astype(object).where(staff["active"].notna(), True)
                          .astype(bool).to_numpy()]
    out = staff[["nip", "name", "unit"]].reset_index(drop=True).astype({"nip": str})
    blank = pd.Series(np.nan, index=staff.index)
    job_class = _classes_before(staff.get("job_class", blank), "employees")
    table = dict(zip(_classes_before(tpp_table["job_class"], "TPP table"),
                     (to_decimal(a, "TPP table amount") for a in tpp_table["amount"]), strict=True))
    if pd.isna(list(table)).any() or len(table) != len(tpp_table):
        raise ScoringError("The TPP table needs one row per job class, each with its class")
    pairs = list(zip(staff.get("tpp_amount", blank), job_class, strict=True))
    amounts = [table.get(c) if pd.isna(v) else to_decimal(v, "tpp_amount") for v, c in pairs]
    sources = [("class" if c in table else None) if pd.isna(v) else "employee" for v, c in pairs]
    if any(a is not None and a < 0 for a in amounts):
        raise ScoringError("A TPP amount is negative; amounts are 0 or more rupiah")
    out["job_class"] = pd.array(job_class, dtype="Int64")
    out["amount"] = pd.Series(amounts, dtype=object)
    out["amount_source"] = pd.Series(sources, dtype=object)
    return out


def _missing_amounts_before(employees, tpp_table):
    amounts = _employee_amounts_before(employees, tpp_table)
    missing = amounts["amount"].isna() & amounts["amount"].notna().any()
    return amounts.loc[missing, ["nip", "name", "unit", "job_class"]].reset_index(drop=True)


def _classes_before(values, where):
    numbers = pd.to_numeric(pd.Series(values), errors="coerce")
    if ((numbers % 1 != 0) & numbers.notna() | numbers.isna() & pd.Series(values).notna()).any():
        raise ScoringError(f"A job class in the {where} is not a whole number 1–17")
    return [None if pd.isna(n) else int(n) for n in numbers]


CLASSES = [15, 12, 9, 7, 5]


def staff_input(rng, size: int, holes: bool = True) -> pd.DataFrame:
    """Pegawai as scoring takes them, the optional columns present or not, in several dtypes."""
    frame = pd.DataFrame({
        "nip": pick(rng, NIPS + ["99", "100"], size),
        "name": pick(rng, ["Ani", "Budi", "Citra"], size),
        "unit": pd.Series(pick(rng, UNITS + ([None] if holes else []), size),
                          dtype=object if rng.random() < 0.3 else "str"),
    })
    kind = rng.integers(0, 5)
    classes = [*CLASSES, 1, 17]  # 1 and 17 are in no table
    if kind == 0:
        frame["job_class"] = pick(rng, classes, size).astype(np.int64)
    elif kind == 1:
        frame["job_class"] = np.where(rng.random(size) < 0.3, np.nan, pick(rng, classes, size).astype(float))
    elif kind == 2:
        frame["job_class"] = pd.array(np.where(rng.random(size) < 0.3, None, pick(rng, classes, size)),
                                      dtype="Int64")
    elif kind == 3:
        frame["job_class"] = pick(rng, ["12", "9", None, 7], size)
    amounts = rng.integers(0, 3)
    if amounts == 1:
        given = rng.choice([4_500_000.0, 1234.5], size)
        frame["tpp_amount"] = np.where(rng.random(size) < 0.8, np.nan, given)
    elif amounts == 2:
        frame["tpp_amount"] = pick(rng, [None, None, 4_500_000, Decimal("100.25")], size)
    active = rng.integers(0, 3)
    if active == 1:
        frame["active"] = rng.random(size) < 0.85
    elif active == 2:
        frame["active"] = pick(rng, [True, True, False, None], size)
    if rng.random() < 0.3:
        frame.index = frame.index * 2 + 1
    return frame


def table_input(rng) -> pd.DataFrame:
    classes = list(rng.permutation(CLASSES))[:rng.integers(0, len(CLASSES) + 1)]
    amounts = rng.choice([17_311_827.0, 5_532_975.0, 910_340.5, 0.0], len(classes))
    table = pd.DataFrame({"job_class": np.array(classes, dtype=np.int64), "amount": amounts})
    return table.astype({"job_class": "float64"}) if rng.random() < 0.3 else table


@pytest.mark.parametrize("seed", range(60))
def test_employee_and_missing_amounts_are_those_of_before(seed):
    rng = np.random.default_rng(seed)
    for size in (0, 1, 12, 40):
        staff, table = staff_input(rng, size), table_input(rng)
        if seed % 10 == 9 and size:  # a class that is no whole number, or a negative amount
            if "job_class" in staff.columns:
                staff["job_class"] = staff["job_class"].astype(object)
                staff.iloc[0, staff.columns.get_loc("job_class")] = 2.5
            table["amount"] = -table["amount"]
        same_outcome(outcome(employee_amounts, staff, table), outcome(_employee_amounts_before, staff, table))
        same_outcome(outcome(missing_amounts, staff, table), outcome(_missing_amounts_before, staff, table))


# ---- tpp.tpp ------------------------------------------------------------------------------------

def _tpp_before(employees, attendance, results, tpp_table, settings, *, year, period_type, months=None,
                amounts=None, rows=None):
    require_columns(results, "results", ("period", "nip", "work_achievement", "predikat"))
    if amounts is None:
        amounts = _employee_amounts_before(employees, tpp_table)
    staff = amounts.dropna(subset=["amount"])
    if rows is None:
        rows = _attendance_by_month_before(attendance, year)
    if months is None:
        months = set(rows["month"].tolist())
        for label in results["period"].dropna().unique():
            first, last = period_months(label, year, period_type)
            months.update(range(first, last + 1))
    months = sorted({int(m) for m in months})
    grid = staff.merge(pd.DataFrame({"month": np.array(months, dtype=np.int64)}), how="cross")
    grid["period"] = month_to_period(grid["month"].to_numpy(), year, "monthly")
    grid["evaluation_period"] = month_to_period(grid["month"].to_numpy(), year, period_type)
    scored = results[["period", "nip", "work_achievement", "predikat"]].rename(
        columns={"period": "evaluation_period"}).astype({"nip": str, "evaluation_period": str})
    if scored.duplicated(["evaluation_period", "nip"]).any():
        raise ScoringError("The results hold two rows for one period and NIP")
    grid = grid.merge(scored, on=["evaluation_period", "nip"], how="left")
    grid = grid.merge(rows[["month", "nip", *COUNT_COLUMNS]].assign(attended=True),
                      on=["month", "nip"], how="left")
    out = grid[["period", "nip", "name", "unit", "job_class", "evaluation_period"]].copy()
    out["amount"] = grid["amount"].map({a: float(a) for a in staff["amount"]}).astype(float)
    sen = grid["amount"].map({a: _scaled(a, _SEN) for a in staff["amount"]})
    basis, pct = _performance_before(grid, settings)
    attended = grid["attended"].notna().to_numpy()
    cut, detail = _deductions_before(grid, attended, settings)
    perf, disc, total = _pays(sen.to_numpy(dtype=object), pct, cut, settings)
    out["performance_basis"] = basis
    out["performance_pct"] = np.where(pd.notna(pct), pct, np.nan).astype("float64") / _K
    out["performance_pay"] = pd.array(perf, dtype="Int64")
    out["deduction_pct"] = np.where(attended, cut, np.nan).astype("float64") / _K
    out["deduction_detail"] = detail
    out["discipline_pay"] = pd.array(disc, dtype="Int64")
    out["total_pay"] = pd.array(total, dtype="Int64")
    out["status"] = np.array(STATUSES)[pd.isna(pct) * 2 + ~attended]
    out = out.sort_values(["period", "unit", "nip"], kind="stable", na_position="last")
    return out[list(TPP_COLUMNS)].reset_index(drop=True)


def _performance_before(grid, settings):
    if settings.performance_basis == "capaian":
        basis = grid["work_achievement"].to_numpy(dtype="float64")
        ints = np.rint(np.clip(np.round(np.nan_to_num(basis), 9), 0, 100) * _K).astype(np.int64)
        return basis, np.where(np.isnan(basis), None, ints.astype(object))
    basis = grid["predikat"].astype(object).where(grid["predikat"].notna(), None).to_numpy()
    unknown = sorted({code for code in basis if code is not None} - set(PREDIKATS))
    if unknown:
        raise ScoringError(f"Unknown predikat code {unknown[0]!r}; use one of "
                           f"{', '.join(PREDIKATS)}")
    table = {code: _scaled(pct, _K) for code, pct in settings.predikat_pct.items()}
    return basis, np.array([None if code is None else table[code] for code in basis], object)


def _deductions_before(grid, attended, settings):
    counts = np.nan_to_num(grid[list(COUNT_COLUMNS)].to_numpy(dtype="float64"))
    milli = np.rint(counts * 1000).astype(np.int64)
    rates = settings.rates
    total = milli @ np.array([_scaled(rate, 10**6) for rate in rates.values()], dtype=np.int64)
    cap = to_decimal(settings.deduction_cap)
    capped = total > _scaled(cap, _K)
    detail = np.full(len(grid), None, dtype=object)
    if len(grid):
        group = pd.DataFrame(milli).groupby(list(range(len(rates))), sort=False).ngroup()
        first = group.drop_duplicates().index.to_numpy()
        parts = [(f"{DEDUCTION_LABELS[column]} ", f"×{decimal_text(rate)}%")
                 for column, rate in rates.items()]
        shown = {m: decimal_text(Decimal(int(m)).scaleb(-3)) for m in np.unique(milli[first])}
        texts = [" + ".join(head + shown[m] + tail
                            for (head, tail), m in zip(parts, milli[i].tolist(), strict=True) if m)
                 + (f" (dibatasi {decimal_text(cap)}%)" if capped[i] else "") for i in first]
        detail = np.array(texts, dtype=object)[group.to_numpy()]
    total = np.minimum(total, _scaled(cap, _K))
    return (np.where(attended, total.astype(object), None),
            np.where(attended, detail, None))


def results_input(rng, size: int, period_type: str, holes: bool = True) -> pd.DataFrame:
    """Scoring results: one row per (period, nip) drawn at random, some with no capaian or predikat."""
    cells = [(period, nip) for period in all_periods(YEAR, period_type) for nip in [*NIPS, "99", "55"]]
    chosen = rng.permutation(len(cells))[:size]
    size = len(chosen)
    codes = [*PREDIKATS, *([None, np.nan] if holes else [])]
    periods, nips = [cells[i][0] for i in chosen], [cells[i][1] for i in chosen]
    if holes and size and rng.random() < 0.3:  # a row without a period or NIP
        periods[-1 if rng.random() < 0.5 else 0], nips[-1] = None, None
    return pd.DataFrame({
        "period": pd.Series(periods, dtype="str"),
        "nip": pd.Series(nips, dtype=object if rng.random() < 0.3 else "str"),
        "work_achievement": np.where(rng.random(size) < (0.2 if holes else 0), np.nan,
                                     rng.choice([100.0, 87.456, 120.5, 99.99999999999999, -3.0, 0.0], size)),
        "predikat": pd.Series(pick(rng, codes, size), dtype=object if rng.random() < 0.3 else "str"),
    })


def settings_input(rng) -> TppSettings:
    share = rng.choice([60, 70, Decimal("62.5")])
    return TppSettings(
        performance_share=share, discipline_share=100 - share,
        performance_basis=rng.choice(["capaian", "predikat"]),
        deduction_base=rng.choice(["discipline_part", "total"]),
        deduction_cap=rng.choice([100, 5, Decimal("2.5"), 0]),
        rate_tl1=rng.choice([Decimal("0.5"), 0.3, 1]), rate_no_apel=rng.choice([2, Decimal("12.25")]),
        predikat_pct_poor=rng.choice([60, Decimal("33.3")]))


@pytest.mark.parametrize("period_type", ["monthly", "quarterly", "annual"])
@pytest.mark.parametrize("seed", range(20))
def test_tpp_is_the_merged_and_sorted_tpp_of_before(seed, period_type):
    rng = np.random.default_rng(seed)
    sizes = ((0, 0, 0), (1, 3, 2), (12, 40, 30), (30, 80, 60), (8, 0, 10), (8, 30, 0))
    for staff_size, rows, scored in sizes:
        holes = seed % 4 != 0
        staff, table = staff_input(rng, staff_size, holes), table_input(rng)
        attendance = attendance_input(rng, rows, holes)
        results = results_input(rng, scored, period_type, holes)
        if seed % 7 == 6 and scored:  # two rows for one period and NIP
            results = pd.concat([results, results.iloc[[0]]], ignore_index=True)
        if seed % 11 == 10 and scored:  # a predikat that is no code
            results.loc[0, "predikat"] = "bogus"
        settings = settings_input(rng)
        months = None if rng.random() < 0.5 else sorted(rng.choice(range(1, 13), 4, replace=False).tolist())
        amounts = outcome(employee_amounts, staff, table)
        if isinstance(amounts, str):
            continue
        checked = outcome(attendance_by_month, attendance, YEAR)
        given = {}
        if rng.random() < 0.5 and not isinstance(checked, str):  # what the caller had already
            given = {"amounts": amounts, "rows": checked}
        same_outcome(
            outcome(tpp, staff, attendance, results, table, settings, year=YEAR, period_type=period_type,
                    months=months, **given),
            outcome(_tpp_before, staff, attendance, results, table, settings, year=YEAR,
                    period_type=period_type, months=months, **given))


# ---- credit.angka_kredit -----------------------------------------------------------------------

def _angka_kredit_before(employees, results, *, year, period_type, coefficients=None, predikat_pct=None):
    require_columns(employees, "employees", ("nip", "name", "unit", "functional_grade"))
    require_columns(results, "results", ("period", "nip", "predikat"))
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
    if staff.empty or not periods:
        out = pd.DataFrame([], columns=list(CREDIT_COLUMNS)).astype(_FLOATS)
        return out.sort_values(["period", "unit", "nip"], kind="stable").reset_index(drop=True)
    months = MONTHS_PER_PERIOD[period_type]
    nips = [str(nip) for nip in staff["nip"].tolist()]
    unique_nips = pd.Index(nips, dtype=object).unique()
    cells = _found_codes(results, periods, unique_nips)
    n_staff, n_periods = len(nips), len(periods)
    of_staff = np.repeat(np.arange(n_staff), n_periods)
    in_period = np.tile(np.arange(n_periods), n_staff)
    cell = unique_nips.get_indexer(nips)[of_staff] * n_periods + in_period
    codes = cells.ravel()[cell]
    missing = pd.isna(codes)
    known, pct_code = _code_positions(codes, missing, pct_of)
    if not known.all():
        code = codes[np.argmin(known)]
        raise ScoringError(f"Unknown predikat code {code!r}; use one of {', '.join(PREDIKATS)}")
    grades = staff["functional_grade"].tolist()
    grade_code = np.array([GRADES.index(g) for g in grades], dtype=np.intp)[of_staff]
    pct_codes = list(pct_of)
    numerators, denominator = _scaled_credits_before(months, [pct_of[c] for c in pct_codes],
                                                     [coefficient_of[g] for g in GRADES])
    credit = numerators[grade_code, pct_code]
    credit[missing] = 0
    total = credit.reshape(n_staff, n_periods).cumsum(axis=1).ravel()
    coefficient = np.array([float(coefficient_of[g]) for g in GRADES])[grade_code]
    percentage = np.array([float(pct_of[c]) for c in pct_codes])[pct_code]
    out = pd.DataFrame({
        "period": _inferred(periods, in_period),
        "nip": _inferred(nips, of_staff),
        "name": _inferred(staff["name"].tolist(), of_staff),
        "unit": _inferred(staff["unit"].tolist(), of_staff),
        "grade": _inferred(grades, of_staff),
        "coefficient": coefficient,
        "predikat": _inferred(np.where(missing, None, codes).tolist(), None),
        "percentage": np.where(missing, np.nan, percentage),
        "credit": np.where(missing, np.nan, _round3_floats(credit, denominator)),
        "credit_cumulative": _round3_floats(total, denominator),
        "status": _inferred(list(CREDIT_STATUSES), missing.astype(np.intp)),
    })
    out = out.sort_values(["period", "unit", "nip"], kind="stable", na_position="last")
    return out.reset_index(drop=True)


def _scaled_credits_before(months, percentages, coefficients):
    import math

    table = [[exact_credit(months, pct, coef) for pct in percentages] for coef in coefficients]
    denominator = math.lcm(*(value.denominator for row in table for value in row))
    scaled = [[value.numerator * (denominator // value.denominator) for value in row] for row in table]
    largest = max((value for row in scaled for value in row), default=0)
    fits = 2 * 1000 * 12 * largest + denominator < 2**62 and 12 * largest * 1000 // denominator < 2**53
    return np.array(scaled, dtype=np.int64 if fits else object), denominator


@pytest.mark.parametrize("period_type", ["monthly", "quarterly", "semester", "annual"])
@pytest.mark.parametrize("seed", range(15))
def test_angka_kredit_is_the_sorted_credit_of_before(seed, period_type):
    rng = np.random.default_rng(seed)
    for staff_size, scored in ((0, 0), (1, 1), (3, 0), (12, 30), (40, 90)):
        staff = staff_input(rng, staff_size, holes=seed % 3 != 0)
        staff["functional_grade"] = pick(rng, [*GRADES, None], staff_size)
        results = results_input(rng, scored, period_type, holes=seed % 3 != 0)
        if seed % 4 == 3 and scored:  # a repeated (period, nip): the later row counts
            results = pd.concat([results, results.iloc[[0]].assign(predikat="poor")], ignore_index=True)
        if seed % 6 == 5 and scored:
            results.loc[0, "predikat"] = "bogus"
        overrides = {}
        if seed % 5 == 4:
            overrides = {"coefficients": {"ahli_muda": Decimal("33.3")}, "predikat_pct": {"poor": 55}}
        same_outcome(
            outcome(angka_kredit, staff, results, year=YEAR, period_type=period_type, **overrides),
            outcome(_angka_kredit_before, staff, results, year=YEAR, period_type=period_type, **overrides))
