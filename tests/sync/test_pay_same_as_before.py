"""The pay side of `sync` rewritten for CPU (issue 17) gives what it gave: `sync.render.pay` and the
Kehadiran checks of `sync.check.attendance`.

Each previous implementation is kept here as the oracle (docstrings left out) and run beside the
current one on seeded random inputs: empty frames, missing values (None and NaN), keys with no
match, cells that are no number, rows that break each rule.
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pandas as pd
import pytest

from scoring.discipline import COUNT_COLUMNS, SUMMARY_COLUMNS, attendance_by_month, discipline_summary
from scoring.periods import all_periods
from sheet_templates.schema import ATTENDANCE, EMPLOYEES
from sync.check import attendance as checks
from sync.check.rows import TabRows, show_value
from sync.render import pay
from sync.render.pay import SUMMARY, _number
from tests.same import pick, same

YEAR = 2026
NIPS = ["198501012010011001", "198602022011011002", "10", "2", "3"]
LABELS = all_periods(YEAR, "monthly")


def numbers(rng, choices: list, size: int):
    """A parsed number column: int64, float64 with NaN (a blank cell), or objects."""
    kind = rng.integers(0, 3)
    if kind == 0 and all(isinstance(c, int) for c in choices):
        return pick(rng, choices, size).astype(np.int64)
    if kind < 2:
        return np.where(rng.random(size) < 0.2, np.nan, pick(rng, choices, size).astype("float64"))
    return pick(rng, [*choices, None, "3"], size)


def kehadiran(rng, size: int) -> pd.DataFrame:
    """Validated Kehadiran rows as the check and `attendance_frame` get them."""
    frame = pd.DataFrame({
        "_row": np.arange(size, dtype=np.int64) + 2,
        "_ok": rng.random(size) < 0.9,
        "month": pick(rng, [(YEAR, 1), (YEAR, 2), (YEAR, 3), None] if rng.random() < 0.5 else [1, 2, 3],
                      size),
        "nip": pd.Series(pick(rng, [*NIPS, "999", None], size),
                         dtype=object if rng.random() < 0.4 else "str"),
        "work_days": numbers(rng, [20, 21, 3, 1], size),
        **{name: numbers(rng, [0, 0, 1, 2, 5, 9], size)
           for name in COUNT_COLUMNS if name != "absent_no_reason"},
        "absent_no_reason": numbers(rng, [0.0, 0.0, 1.0, 2.5, 0.1, 0.7, 18.0], size),
        **{name: numbers(rng, [0.0, 0.0, 1.0, 0.1, 0.7, 4.5, 12.0], size)
           for name in ("leave_permit", "sick", "leave", "official_travel")},
        "note": pick(rng, ["dinas", None], size),
    })
    frame.attrs["rejected_months"] = {("10", 1)} if rng.random() < 0.3 else set()
    return frame


# ---- check.attendance.attendance_frame --------------------------------------------------------

def _attendance_frame_before(attendance):
    out = attendance.drop(columns=["_row"], errors="ignore").copy()
    out["month"] = np.array([m[1] if isinstance(m, tuple) else m for m in out["month"]], dtype=np.int64)
    numeric = [c.name for c in ATTENDANCE.columns if c.type in ("int", "number")]
    for column in numeric:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["nip"] = out["nip"].astype(str)
    return out


@pytest.mark.parametrize("seed", range(40))
def test_attendance_frame_is_the_converted_copy_of_before(seed):
    rng = np.random.default_rng(seed)
    for size in (0, 1, 30):
        frame = kehadiran(rng, size)
        frame["month"] = pick(rng, [(YEAR, 1), (YEAR, 12), 3], size)  # every row parsed a month
        if seed % 3 == 0:
            frame = frame.drop(columns="_row")
        if seed % 4 == 1:
            frame.index = frame.index * 3 + 1
        before = frame.copy()
        same(checks.attendance_frame(frame), _attendance_frame_before(frame))
        same(frame, before)  # the input is left as it was


# ---- check.attendance._check_attendance --------------------------------------------------------

def _check_attendance_before(rows, nips):
    frame = rows.frame
    if frame.empty:
        return
    rows.flag(rows.unknown("nip", nips), "unknown_reference", "nip", target=EMPLOYEES.label)
    rows.duplicates(ATTENDANCE.key)
    work_days = pd.to_numeric(frame["work_days"], errors="coerce")
    days = frame[list(checks.DAY_COLUMNS)].apply(pd.to_numeric, errors="coerce")
    over_one = pd.Series(False, index=frame.index)
    for column in checks.DAY_COLUMNS:
        over = days[column] > work_days
        if over.any():
            rows.flag(over, "attendance_day_over", column,
                      work_days=_per_row_before(frame["work_days"], over, show_value))
        over_one |= over
    total = days.fillna(0).sum(axis=1)
    over_sum = ~over_one & (total > work_days)
    if over_sum.any():
        rows.flag(over_sum, "attendance_days_sum", "work_days",
                  total=_per_row_before(total, over_sum, checks._number))
    for group in checks.COUNT_GROUPS:
        counts = frame[list(group)].apply(pd.to_numeric, errors="coerce").fillna(0).sum(axis=1)
        over = counts > work_days
        labels = "–".join(ATTENDANCE.column(c).label for c in (group[0], group[-1]))
        if len(group) == 1:
            labels = ATTENDANCE.column(group[0]).label
        if over.any():
            rows.flag(over, "attendance_count_over", group[0], columns=labels,
                      total=_per_row_before(counts, over, checks._number),
                      work_days=_per_row_before(frame["work_days"], over, show_value))
    rejected = frame.loc[~frame["_ok"].astype(bool) & frame["nip"].notna()]
    frame.attrs[checks.REJECTED_MONTHS] = {(nip, month[1]) for nip, month in zip(
        rejected["nip"], rejected["month"], strict=True) if isinstance(month, tuple)}


def _per_row_before(values, mask, show):
    cells, out = values.array, np.full(len(values), "", dtype=object)
    for i in np.flatnonzero(mask.to_numpy(dtype=bool)).tolist():
        out[i] = show(cells[i])
    return pd.Series(out, index=values.index, dtype=object)


@pytest.mark.parametrize("seed", range(40))
def test_kehadiran_checks_flag_what_they_flagged(seed):
    rng = np.random.default_rng(seed)
    for size in (0, 1, 8, 60):
        frame = kehadiran(rng, size)
        if seed % 2:  # days in odd amounts: sums that depend on the order they are added in
            frame["sick"] = rng.random(size) * 9
        results = []
        for check in (checks._check_attendance, _check_attendance_before):
            rows = TabRows(ATTENDANCE, frame.copy(), [])
            check(rows, lambda values: values.isin(NIPS))
            results.append(rows)
        new, old = results
        assert [repr(i) for i in new.issues] == [repr(i) for i in old.issues]
        same(new.frame, old.frame)


# ---- render.pay.with_discipline ----------------------------------------------------------------

def _with_discipline_before(results, discipline):
    if discipline is None or discipline.empty:
        return results
    frame = results.results
    keys = frame[["period", "nip"]].astype(str)
    found = keys.merge(discipline[list(SUMMARY_COLUMNS)].astype({"period": str, "nip": str}),
                       on=["period", "nip"], how="left")
    sanctions = found["sanction"].to_numpy(dtype=object)
    rows = np.flatnonzero([isinstance(s, str) for s in sanctions])
    follow_up = [tuple(old or ()) for old in frame["follow_up"]]
    for i, days, s in zip(rows.tolist(), found["absent_days"].iloc[rows], sanctions[rows], strict=True):
        follow_up[i] += (f"discipline:{_number(days)}:{s}",)
    out = frame.assign(attendance_pct=found["attendance_pct"].to_numpy(dtype="float64"))
    out["follow_up"] = pd.Series(follow_up, index=frame.index, dtype=object)
    return dataclasses.replace(results, results=out)


@dataclasses.dataclass(frozen=True)
class Results:
    results: pd.DataFrame


def attendance_rows(rng, size: int) -> pd.DataFrame:
    """A checked attendance frame, one row per (nip, month), absences high enough for sanctions."""
    cells = [(nip, month) for nip in [*NIPS, "77"] for month in range(1, 13)]
    chosen = rng.permutation(len(cells))[:size]
    frame = pd.DataFrame({
        "month": np.array([cells[i][1] for i in chosen], dtype=np.int64),
        "nip": [cells[i][0] for i in chosen],
        "work_days": np.where(rng.random(len(chosen)) < 0.1, np.nan, 21.0),
        **{c: np.zeros(len(chosen)) for c in COUNT_COLUMNS},
    })
    frame["absent_no_reason"] = rng.choice([0.0, 0.0, 1.0, 2.5, 4.0, 7.3], len(chosen))
    return attendance_by_month(frame, YEAR)


def results_frame(rng, size: int) -> pd.DataFrame:
    cells = [(period, nip) for period in LABELS for nip in [*NIPS, "66"]]
    chosen = rng.permutation(len(cells))[:size]
    frame = pd.DataFrame({
        "period": pd.Series([cells[i][0] for i in chosen], dtype="str"),
        "nip": pd.Series([cells[i][1] for i in chosen], dtype=object if rng.random() < 0.3 else "str"),
        "score": rng.random(len(chosen)),
        "follow_up": pick(rng, [(), ("award",), None, ["coaching"]], len(chosen)),
    })
    frame.index = frame.index + 5
    return frame


@pytest.mark.parametrize("seed", range(30))
def test_with_discipline_words_what_it_worded(seed):
    rng = np.random.default_rng(seed)
    for size, rows in ((0, 0), (3, 5), (40, 50), (72, 84)):
        results = Results(results_frame(rng, size))
        periods = [LABELS[i] for i in sorted(rng.choice(12, 4, replace=False))]
        discipline = discipline_summary(None, year=YEAR, period_type="monthly", periods=periods,
                                        rows=attendance_rows(rng, rows))
        for given in (discipline, None, discipline.iloc[:0]):
            new, old = pay.with_discipline(results, given), _with_discipline_before(results, given)
            same(new.results, old.results)


# ---- render.pay.pay_summary ----------------------------------------------------------------------

def _pay_summary_before(scored, tpp_frame, discipline):
    rows = {period: dict.fromkeys(SUMMARY, None) | {"period": period} for period in scored}
    if tpp_frame is not None and len(tpp_frame):
        frame = tpp_frame.assign(_paid=tpp_frame["total_pay"].notna(),
                                 evaluation_period=tpp_frame["evaluation_period"].astype(str),
                                 period=tpp_frame["period"].astype(str))
        latest = frame.groupby("evaluation_period")["period"].max()
        paid = frame.loc[frame["_paid"]].groupby("evaluation_period")["period"].max()
        months = paid.reindex(latest.index).fillna(latest)
        chosen = frame.loc[frame["period"].to_numpy() == frame["evaluation_period"].map(months).to_numpy()]
        grouped = chosen.groupby("evaluation_period")
        totals = grouped["total_pay"].sum(min_count=1)
        cuts = grouped["deduction_pct"].mean()
        counts = grouped.size()
        for period in rows.keys() & set(months.index):
            cut = cuts[period]
            rows[period].update(month=months[period], tpp_employees=int(counts[period]),
                                tpp_total=totals[period],
                                mean_deduction=None if pd.isna(cut) else round(float(cut), 4))
    if discipline is not None:
        levels = discipline.assign(period=discipline["period"].astype(str)).groupby(
            ["period", "discipline_level"]).size()
        for period, row in rows.items():
            for level in ("light", "moderate", "severe"):
                row[f"discipline_{level}"] = int(levels.get((period, level), 0))
    kept = [row for row in rows.values() if any(row[name] is not None for name in SUMMARY[1:])]
    return pd.DataFrame(kept, columns=list(SUMMARY))


def tpp_rows(rng, size: int, period_type: str) -> pd.DataFrame:
    """TPP rows: months, their evaluation period, some without a payment or a deduction."""
    months = rng.integers(1, 13, size)
    evaluation = [all_periods(YEAR, period_type)[(m - 1) * len(all_periods(YEAR, period_type)) // 12]
                  for m in months.tolist()]
    if size and rng.random() < 0.3:
        evaluation[0] = None
    return pd.DataFrame({
        "period": pd.Series([f"{YEAR}-{m:02d}" for m in months.tolist()], dtype="str"),
        "evaluation_period": pd.Series(evaluation, dtype="str"),
        "total_pay": pd.array(np.where(rng.random(size) < 0.3, None, rng.integers(0, 10**7, size)),
                              dtype="Int64"),
        "deduction_pct": np.where(rng.random(size) < 0.3, np.nan, rng.random(size) * 9),
    })


@pytest.mark.parametrize("period_type", ["monthly", "quarterly", "annual"])
@pytest.mark.parametrize("seed", range(20))
def test_pay_summary_is_the_grouped_summary_of_before(seed, period_type):
    rng = np.random.default_rng(seed)
    labels = all_periods(YEAR, period_type)
    for size in (0, 1, 5, 200):
        tpp_frame = tpp_rows(rng, size, period_type)
        scored = sorted(rng.choice(labels, min(3, len(labels)), replace=False).tolist())
        discipline = pd.DataFrame({
            "period": pd.Series(pick(rng, [*labels, "2026-99", None], size), dtype="str"),
            "discipline_level": pd.Series(pick(rng, ["light", "moderate", "severe", None], size),
                                          dtype="str"),
        })
        for frame in (tpp_frame, None, tpp_frame.iloc[:0]):
            for levels in (discipline, None):
                same(pay.pay_summary(scored, frame, levels), _pay_summary_before(scored, frame, levels))


# ---- render.pay._credit_results ------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(10))
def test_graded_results_are_those_picked_before(seed):
    rng = np.random.default_rng(seed)
    for size in (0, 1, 50):
        results = pd.DataFrame({
            "period": pd.Series(pick(rng, [*LABELS, None], size), dtype="str"),
            "nip": pd.Series(pick(rng, [*NIPS, None], size), dtype=object if seed % 2 else "str"),
            "predikat": pick(rng, ["good", None, np.nan], size),
            "other": rng.random(size),
        }, index=np.arange(size) * 2)
        nips = set(copy.copy(NIPS[:3]))
        have = results[["period", "nip", "predikat"]].astype({"period": str})
        before = have.loc[have["nip"].astype(str).isin(nips)]
        same(pay._credit_results(None, None, results, LABELS, False, nips), before)
