"""Attendance (the `Kehadiran` tab) and the PP 94/2021 discipline ladder.

The attendance frame, one row per employee per month (design: issue 15):

==================  ======================================================
column              meaning
==================  ======================================================
month               month number 1–12 of the evaluation year (int); a
                    ``period`` column "2026-03" is accepted instead
nip                 the employee's NIP (text)
work_days           Hari Kerja: working days in the month (may be NaN)
tl1 … tl4           late arrivals by bracket (1–30, 31–60, 61–90, > 90
                    minutes or no scan in), counts
psw1 … psw4         early leavings, same brackets, counts
absent_no_reason    Tanpa Keterangan, days
no_apel             Tidak Apel, counts
leave_permit, sick, Izin, Sakit, Cuti, Dinas Luar: days, optional; kept for
leave,              the tab, not used by any rule here (Perkada decide)
official_travel
note                Keterangan, optional text
==================  ======================================================

Blank counts read as 0: a clerk leaves a cell empty when nothing happened.
The exact-number helpers `to_decimal` and `decimal_text` live here too; TPP
and angka kredit use them for percentages typed like 0,5 or 1,25.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from .errors import ScoringError
from .frames import require_columns
from .periods import month_to_period, period_index, period_months, sort_periods

COUNT_COLUMNS = ("tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4",
                 "absent_no_reason", "no_apel")
"""Columns that carry a TPP deduction, in the order of the breakdown text."""

DEDUCTION_LABELS = {"tl1": "TL1", "tl2": "TL2", "tl3": "TL3", "tl4": "TL4", "psw1": "PSW1",
                    "psw2": "PSW2", "psw3": "PSW3", "psw4": "PSW4", "absent_no_reason": "TK",
                    "no_apel": "Tidak Apel"}
"""Codes shown in the TPP deduction breakdown, the way Pemda recaps write them."""

OPTIONAL_COLUMNS = ("leave_permit", "sick", "leave", "official_travel", "note")

ATTENDANCE_COLUMNS = ("month", "nip", "work_days", *COUNT_COLUMNS, *OPTIONAL_COLUMNS)
"""Every column of the attendance frame (``period`` may replace ``month``)."""

LEVELS = ("light", "moderate", "severe")
"""PP 94/2021 levels: ringan, sedang, berat."""


@dataclass(frozen=True)
class DisciplineStep:
    """One rung of the PP 94/2021 ladder for days absent without a valid reason.

    `sanction` is the hukuman as the regulation words it (Indonesian on
    purpose: it is quoted, not translated, in `Tindak Lanjut`).
    """

    code: str
    min_days: int
    max_days: int | None
    level: str
    sanction: str


LADDER = (
    # PP 94/2021 Pasal 11(2)(d), days cumulated over one year (domain.md §6).
    DisciplineStep("verbal_reprimand", 3, 3, "light", "teguran lisan"),
    DisciplineStep("written_reprimand", 4, 6, "light", "teguran tertulis"),
    DisciplineStep("written_dissatisfaction", 7, 10, "light",
                   "pernyataan tidak puas secara tertulis"),
    DisciplineStep("allowance_cut_6m", 11, 13, "moderate",
                   "pemotongan tunjangan kinerja 25 % selama 6 bulan"),
    DisciplineStep("allowance_cut_9m", 14, 16, "moderate",
                   "pemotongan tunjangan kinerja 25 % selama 9 bulan"),
    DisciplineStep("allowance_cut_12m", 17, 20, "moderate",
                   "pemotongan tunjangan kinerja 25 % selama 12 bulan"),
    DisciplineStep("demotion_12m", 21, 24, "severe",
                   "penurunan jabatan setingkat lebih rendah selama 12 bulan"),
    DisciplineStep("release_to_executor_12m", 25, 27, "severe",
                   "pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan"),
    DisciplineStep("dismissal", 28, None, "severe",
                   "pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS"),
)

SUMMARY_COLUMNS = ("period", "nip", "months_reported", "work_days", "absent_days",
                   "attendance_pct", "discipline_step", "discipline_level", "sanction")


def attendance_by_month(attendance: pd.DataFrame, year: int) -> pd.DataFrame:
    """A checked copy of the attendance frame: int `month`, str `nip`, float counts.

    Args:
        attendance: the attendance frame (module docstring); ``period``
            ("2026-03") may stand in for ``month``.
        year: the evaluation year; a ``period`` of another year is an error.

    Returns:
        A new frame with ``month``, ``nip``, ``work_days`` (NaN kept), the
        COUNT_COLUMNS (NaN → 0) and any optional columns present.

    Raises:
        ScoringError: a missing column, a month outside 1–12, a negative
            count, or two rows for one NIP and month.

    Examples:
        >>> frame = pd.DataFrame({"period": ["2026-03"], "nip": ["1"], "work_days": [21],
        ...     **{c: [np.nan] for c in COUNT_COLUMNS}})
        >>> attendance_by_month(frame, 2026)[["month", "nip", "tl1"]].to_dict("records")
        [{'month': 3, 'nip': '1', 'tl1': 0.0}]
    """
    if "month" not in attendance.columns and "period" in attendance.columns:
        months = [period_index(p, year, "monthly") + 1 for p in attendance["period"]]
        attendance = attendance.assign(month=np.asarray(months, dtype=np.int64))
    require_columns(attendance, "attendance", ("month", "nip", "work_days", *COUNT_COLUMNS))
    # Column by column with numpy: a pandas call per column and check cost more than the work.
    out = attendance.reset_index(drop=True)  # copy-on-write: the caller's frame stays as it was
    month = float_values(attendance["month"])
    bad = np.isnan(month) | (month < 1) | (month > 12) | (month % 1 != 0)
    if bad.any():
        raise ScoringError(f"Attendance month {attendance['month'].iloc[np.argmax(bad)]!r} is not a "
                           "month number 1–12 of the evaluation year")
    out["month"] = month.astype(np.int64)
    out["nip"] = attendance["nip"].astype(str).array
    out["work_days"] = float_values(attendance["work_days"])
    for column in COUNT_COLUMNS:
        counts = float_values(attendance[column])
        counts[np.isnan(counts)] = 0.0
        if (counts < 0).any():
            raise ScoringError(f"Attendance column {column} has a negative count; "
                               "counts are 0 or more")
        out[column] = counts
    duplicated = _repeated_keys(out["nip"].to_numpy(), out["month"].to_numpy())
    if duplicated is not None:
        raise ScoringError(f"NIP {out['nip'].iat[duplicated]!r} has two attendance rows for month "
                           f"{out['month'].iat[duplicated]}; keep one row per employee and month")
    return out


def float_values(column: pd.Series) -> np.ndarray:
    """`pd.to_numeric(column, errors="coerce").astype("float64")` as a new numpy array; a column
    of numbers already is converted without those calls (most are: the parse typed them)."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "biuf":
        return column.to_numpy(dtype="float64", copy=True)
    return pd.to_numeric(column, errors="coerce").astype("float64").to_numpy(copy=True)


def _repeated_keys(nips: np.ndarray, months: np.ndarray) -> int | None:
    """Position of the first row repeating an earlier row's (nip, month), None when none does."""
    codes, _ = pd.factorize(nips, use_na_sentinel=False)  # NaN equals NaN, as in `duplicated`
    keys = codes * 13 + months  # months are 1–12
    if not len(keys) or np.bincount(keys).max() <= 1:
        return None
    return int(np.argmax(pd.Series(keys).duplicated().to_numpy()))


def discipline_step(days: float) -> DisciplineStep | None:
    """The ladder rung reached by `days` absent without reason, or None below 3.

    Examples:
        >>> discipline_step(2) is None, discipline_step(3).code, discipline_step(28).level
        (True, 'verbal_reprimand', 'severe')
    """
    index = int(step_index([days])[0])
    return LADDER[index] if index >= 0 else None


def step_index(days) -> np.ndarray:
    """Position in LADDER per value (the highest rung whose minimum is reached); -1 below it.

    Half days count as what they are: 10.5 days has not reached 11.
    """
    values = np.asarray(days, dtype="float64")
    mins = np.array([step.min_days for step in LADDER], dtype="float64")
    index = np.searchsorted(mins, np.nan_to_num(values, nan=-1.0), side="right") - 1
    return index.astype(np.int64)


def discipline_summary(attendance: pd.DataFrame, *, year: int, period_type: str,
                       periods: list[str] | None = None, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attendance % and the PP 94/2021 rung per employee and evaluation period.

    Both are cumulated from January to the period's last month, because the
    regulation counts absences over the year and `Kehadiran (%)` is read as
    "so far this year": attendance_pct = Σ (work_days − absent_no_reason) ÷
    Σ work_days × 100 over the months with a `work_days`; absent_days =
    Σ absent_no_reason over every month. The "10 working days in a row" rule
    of PP 94/2021 cannot be seen in monthly counts and is not checked.

    Args:
        attendance: the attendance frame (module docstring).
        year: the evaluation year.
        period_type: "monthly" | "quarterly" | "semester" | "annual".
        periods: labels to report; by default every period containing a month
            with attendance rows.
        rows: `attendance_by_month(attendance, year)` when the caller has it
            already (not changed here).

    Returns:
        A new frame with SUMMARY_COLUMNS, one row per period and NIP that has
        an attendance row in January … the period's last month, sorted by
        period then nip. months_reported counts those months; attendance_pct
        is NaN without work days; discipline_step (LADDER code),
        discipline_level (LEVELS) and sanction are missing below 3 days.

    Examples:
        >>> frame = pd.DataFrame({"month": [1, 2], "nip": ["1", "1"], "work_days": [20, 20],
        ...     **{c: [0, 0] for c in COUNT_COLUMNS}}).assign(absent_no_reason=[1, 2])
        >>> summary = discipline_summary(frame, year=2026, period_type="quarterly")
        >>> summary[["period", "attendance_pct", "absent_days", "sanction"]].to_dict("records")
        [{'period': '2026-T1', 'attendance_pct': 92.5, 'absent_days': 3.0, 'sanction': 'teguran lisan'}]
    """
    if rows is None:
        rows = attendance_by_month(attendance, year)
    if periods is None:
        labels = sort_periods(set(month_to_period(rows["month"], year, period_type)),
                              year, period_type) if len(rows) else []
    else:
        labels = sort_periods(periods, year, period_type)
    present = (rows["work_days"] - rows["absent_no_reason"]).to_numpy()
    if not labels:
        return pd.DataFrame({column: pd.Series([], dtype=object) for column in SUMMARY_COLUMNS})
    month = rows["month"].to_numpy()
    so_far = [np.flatnonzero(month <= period_months(label, year, period_type)[1]) for label in labels]
    if all(len(picked) for picked in so_far):
        out = _cumulated(rows, labels, so_far, present)
    else:  # a period without rows: a frame per period, concatenated (the dtypes its empty part gives)
        rows = rows.assign(present_days=present)
        out = pd.concat([_period_sums(rows.iloc[picked], label) for label, picked in zip(labels, so_far,
                                                                                        strict=True)],
                        ignore_index=True)
    work, present = (out[column].to_numpy(dtype="float64") for column in ("work_days", "present_days"))
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = present / np.where(work > 0, work, np.nan) * 100
    index = step_index(out["absent_days"])
    rung = np.where(index >= 0, index, len(LADDER))  # len(LADDER): below the first rung, None
    return pd.DataFrame({
        "period": out["period"], "nip": out["nip"],
        "months_reported": out["months_reported"].astype(np.int64), "work_days": out["work_days"],
        "absent_days": out["absent_days"], "attendance_pct": pct,
        **{column: np.array([getattr(step, attribute) for step in LADDER] + [None], dtype=object)[rung]
           for column, attribute in (("discipline_step", "code"), ("discipline_level", "level"),
                                     ("sanction", "sanction"))},
    })


def _cumulated(rows: pd.DataFrame, labels: list[str], so_far: list[np.ndarray],
               present: np.ndarray | None = None) -> pd.DataFrame:
    """Per period of `labels` and NIP (sorted by period, then NIP) the sums over the rows of that
    period's `so_far` (positions in `rows`): one grouping over every period's rows at once, each
    group summed in row order as grouping each period's rows alone sums it. `present` holds the
    rows' present days (by default their `present_days` column)."""
    if present is None:
        present = rows["present_days"].to_numpy()
    period = np.repeat(np.arange(len(labels)), [len(picked) for picked in so_far])
    picked = np.concatenate(so_far)
    # NIPs as their sorted codes, made once over `rows` (not over every period's copy of them): the
    # groups, their order and the NIPs they name are those of grouping by the NIP text (NaN left out)
    codes, nips = pd.factorize(rows["nip"], sort=True)
    if nips.dtype == object:  # the NIPs' own type, as a grouping's index infers it (str, int)
        nips = pd.Index(nips.tolist())
    size = max(len(nips), 1)  # one whole-number key per (period, NIP), in that order
    named = codes[picked] >= 0
    period, picked = period[named], picked[named]
    # The columns summed, taken as numpy arrays: one frame, one grouping, no copy of `rows`.
    taken = pd.DataFrame({"month": rows["month"].to_numpy()[picked],
                          "work_days": rows["work_days"].to_numpy()[picked],
                          "present_days": present[picked],
                          "absent_no_reason": rows["absent_no_reason"].to_numpy()[picked]})
    sums = _sums(taken.groupby(period * size + codes[picked], sort=True))
    key = sums.index.to_numpy()
    return pd.DataFrame({"period": np.array(labels, dtype=object)[key // size], "nip": nips.take(key % size),
                         **{column: sums[column].to_numpy() for column in sums.columns}})


def _period_sums(so_far: pd.DataFrame, label: str) -> pd.DataFrame:
    """`_cumulated` of one period: its rows so far grouped alone."""
    part = _sums(so_far.groupby("nip", sort=True)).reset_index()
    part.insert(0, "period", label)
    return part


def _sums(grouped) -> pd.DataFrame:
    """Per group of Kehadiran rows: the months reported and the days summed."""
    return pd.DataFrame({
        "months_reported": grouped["month"].count(),
        # min_count=1 keeps NaN when no month carried work days.
        "work_days": grouped["work_days"].sum(min_count=1),
        "present_days": grouped["present_days"].sum(min_count=1),
        "absent_days": grouped["absent_no_reason"].sum(),
    })


def level_counts(summary: pd.DataFrame, periods: list[str]) -> np.ndarray:
    """Employees at each of LEVELS per period of `periods` in `discipline_summary`'s frame: one
    row per period, one column per level."""
    period = pd.Index(periods, dtype=object).get_indexer(summary["period"].astype(str).to_numpy(dtype=object))
    level = pd.Index(LEVELS, dtype=object).get_indexer(summary["discipline_level"].to_numpy(dtype=object))
    known = (period >= 0) & (level >= 0)
    counts = np.bincount(period[known] * len(LEVELS) + level[known], minlength=len(periods) * len(LEVELS))
    return counts.reshape(len(periods), len(LEVELS))


def matching_rows(keys: list, among: list) -> np.ndarray | None:
    """Per row of `keys` (key arrays of one length), the position of the row of `among` (arrays of
    the same keys) with equal keys, -1 without one; None when two rows of `among` share their keys.

    What a left merge on those keys matches (NaN equal to NaN), with one number per key.
    """
    size = len(keys[0])
    combined = np.zeros(size + len(among[0]), dtype=np.int64)
    for key, other in zip(keys, among, strict=True):
        codes, uniques = pd.factorize(np.concatenate([key, other]), use_na_sentinel=False)
        combined = combined * max(len(uniques), 1) + codes
    found = pd.Index(combined[size:])
    return found.get_indexer(combined[:size]) if found.is_unique else None


def to_decimal(value, name: str = "value") -> Decimal:
    """An exact Decimal from int, Decimal or float (a float as the decimal it prints as).

    Examples:
        >>> to_decimal(1.25), to_decimal(0.1) * 3, to_decimal(4e6)
        (Decimal('1.25'), Decimal('0.3'), Decimal('4000000'))
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | np.number):
        raise ScoringError(f"{name} must be a number, got {value!r}")
    if isinstance(value, float | np.floating):
        value = float(value)
        # repr is the shortest text that reads back to the float: what the clerk typed.
        value = int(value) if value.is_integer() else Decimal(repr(value))
    result = Decimal(int(value)) if isinstance(value, int | np.integer) else value
    if not result.is_finite():
        raise ScoringError(f"{name} must be a finite number, got {value!r}")
    return result


def decimal_text(value: Decimal) -> str:
    """A Decimal the Indonesian way, without trailing zeros: 1.250 → "1,25".

    Examples:
        >>> decimal_text(Decimal("1.250")), decimal_text(Decimal("100"))
        ('1,25', '100')
    """
    return format(value.normalize(), "f").replace(".", ",")
