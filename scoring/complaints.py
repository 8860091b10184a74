"""Complaints (issue 16): which survey answers are complaints, and how they were handled.

A complaint is a survey answer with any item (unsur) at or below the threshold,
or one whose suggestion (Saran) the clerk marked by hand. Each has a deadline:
`deadline_days` working days after the day it was submitted. The submission
day itself never counts: day 1 is the first working day after it, so with 5
days an answer sent on a Monday is due the next Monday, and one sent on a
Friday, Saturday or Sunday is due the next Friday. Weekends (and the optional
`holidays`) are skipped.

The supervisor's handling comes in as a `handled` frame, one row per
response_id: `status` is one of STATUSES ("new", "in_progress", "done"; the
render layer shows Baru / Diproses / Selesai; missing means "new") and
`finished_on` the date it was finished (Tanggal Selesai). A complaint is
handled on time when it is "done" with a finish date on or before its
deadline. It is overdue (not handled by its deadline) when it was finished
after the deadline, or, not being "done" with a finish date, its deadline is
before `today` (the deadline day itself is still in time). A finish date
before the complaint's own day is a typing mistake and is read as missing.

Complaints are counted in the evaluation period of their timestamp's month;
complaints outside the evaluation year are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from .errors import ScoringError
from .frames import ITEM_COLUMNS, require_columns
from .ikm import unit_key
from .periods import all_periods, month_to_period

STATUSES = ("new", "in_progress", "done")
"""Supervisor status codes, in workflow order (Baru, Diproses, Selesai)."""

SURVEY_COLUMNS = ("response_id", "timestamp", "service_unit", "service_type", "officer_nip", *ITEM_COLUMNS)
"""Columns `detect_complaints` requires; `suggestion` is optional."""

COMPLAINT_COLUMNS = (
    "response_id",
    "timestamp",
    "service_unit",
    "service_type",
    "officer_nip",
    "problem_items",
    "suggestion",
    "deadline",
    "marked",
)
"""Columns of `detect_complaints`' result, in order."""

HANDLED_COLUMNS = ("response_id", "status", "finished_on")
"""Columns of the supervisor's `handled` frame."""

OFFICER_COLUMNS = ("period", "officer_nip", "complaints", "open", "overdue", "repeated")
"""Columns of `officer_complaints`' result, in order."""

UNIT_COLUMNS = (
    "period",
    "scope",
    "service_unit",
    "complaints",
    "open",
    "overdue",
    "open_overdue",
    "median_days_to_done",
)
"""Columns of `unit_complaint_summary`'s result, in order."""

THRESHOLD_RANGE = (1, 3)
DEADLINE_DAYS_RANGE = (1, 260)


@dataclass(frozen=True)
class ComplaintSettings:
    """The complaint knobs of `Pengaturan`, with their defaults.

    Attributes:
        threshold: Ambang Pengaduan; an answer at or below it is a complaint (1–3).
        deadline_days: Batas Hari Tindak Lanjut Pengaduan, in working days (1–260).
        repeat_threshold: complaints per officer per period that call for
            Pembinaan Pelayanan (at least 1).
        holidays: extra non-working days (datetime.date), skipped like weekends.

    Whole floats (2.0) are accepted and stored as int.

    Examples:
        >>> ComplaintSettings(threshold=2.0).threshold
        2
        >>> ComplaintSettings(threshold=4)
        Traceback (most recent call last):
        ...
        scoring.errors.ScoringError: threshold must be a whole number from 1 to 3, got 4
    """

    threshold: int = 1
    deadline_days: int = 5
    repeat_threshold: int = 3
    holidays: tuple[dt.date, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "threshold", _whole("threshold", self.threshold, *THRESHOLD_RANGE))
        object.__setattr__(
            self, "deadline_days", _whole("deadline_days", self.deadline_days, *DEADLINE_DAYS_RANGE))
        object.__setattr__(
            self, "repeat_threshold", _whole("repeat_threshold", self.repeat_threshold, 1, None))
        holidays = tuple(self.holidays)
        for day in holidays:
            if not isinstance(day, dt.date):
                raise ScoringError(f"holidays must be dates, got {day!r}")
        object.__setattr__(self, "holidays", holidays)


def _whole(name: str, value: object, low: int, high: int | None) -> int:
    ok = isinstance(value, Real) and not isinstance(value, bool) and float(value).is_integer()
    if ok and low <= value and (high is None or value <= high):
        return int(value)
    limits = f"from {low} to {high}" if high is not None else f"of at least {low}"
    raise ScoringError(f"{name} must be a whole number {limits}, got {value!r}")


def detect_complaints(
    surveys: pd.DataFrame,
    settings: ComplaintSettings | None = None,
    marked_ids=(),
) -> pd.DataFrame:
    """The complaints among the survey answers, newest first.

    Args:
        surveys: SURVEY_COLUMNS (u1…u9 numbers 1–4, NaN unanswered; timestamp a
            datetime), optionally `suggestion`. Other columns are ignored.
        settings: threshold, deadline_days, holidays (defaults when None).
        marked_ids: response ids whose Saran the clerk marked as a complaint;
            matched as text with surrounding spaces dropped.

    Returns:
        A new frame with COMPLAINT_COLUMNS, one row per complaint: `problem_items`
        a tuple of (item, answer) pairs at or below the threshold in u1…u9 order
        (answers as int; an empty tuple for a marked answer with none), `deadline`
        a datetime.date (None without a timestamp), `marked` True when the
        response id is in marked_ids. Sorted newest first, ties by response_id;
        rows without a timestamp last.

    Examples:
        >>> surveys = pd.DataFrame({
        ...     "response_id": ["r1", "r2"], "service_unit": ["Loket", "Loket"],
        ...     "timestamp": pd.to_datetime(["2026-03-13 09:00", "2026-03-16 10:00"]),
        ...     "service_type": ["KTP", "KK"], "officer_nip": [None, None],
        ...     **{item: [3.0, 3.0] for item in ITEM_COLUMNS}}).assign(u3=[1.0, 4.0])
        >>> found = detect_complaints(surveys)
        >>> found[["response_id", "problem_items", "deadline"]].values.tolist()
        [['r1', (('u3', 1),), datetime.date(2026, 3, 20)]]
    """
    settings = settings or ComplaintSettings()
    require_columns(surveys, "surveys", SURVEY_COLUMNS)
    answers = (np.column_stack([answer_floats(surveys[item]) for item in ITEM_COLUMNS]) if len(surveys)
               else np.empty((0, len(ITEM_COLUMNS))))
    low = answers <= settings.threshold  # NaN compares False
    marks = {_id_text(value) for value in marked_ids}
    raw_ids = surveys["response_id"].to_numpy(dtype=object)
    if marks:
        ids = _id_text_list(raw_ids)
        marked = np.array([rid in marks for rid in ids], dtype=bool)
        keep = np.flatnonzero(low.any(axis=1) | marked)
        ids = [ids[i] for i in keep]
    else:  # nothing marked: only the complaints' ids are worded (a few of 50,000 answers)
        marked = np.zeros(len(surveys), dtype=bool)
        keep = np.flatnonzero(low.any(axis=1))
        ids = _id_text_list(raw_ids[keep])
    timestamps = _timestamps_at(surveys["timestamp"], keep)
    # Sorted here, on the few complaints' positions, rather than by sort_values on the finished frame.
    order = sorted(range(len(keep)), key=lambda i: _newest_first(timestamps[i], ids[i]))
    order = np.array(order, dtype=np.intp)
    keep, timestamps, ids = keep[order], timestamps[order], [ids[i] for i in order]
    suggestion = (surveys["suggestion"].to_numpy(dtype=object)[keep] if "suggestion" in surveys.columns
                  else [None] * len(keep))
    index = pd.RangeIndex(len(keep))
    return pd.DataFrame({
        "response_id": _objects(ids, index),
        "timestamp": timestamps,
        "service_unit": _objects(surveys["service_unit"].to_numpy(dtype=object)[keep], index),
        "service_type": _objects(surveys["service_type"].to_numpy(dtype=object)[keep], index),
        "officer_nip": _objects(surveys["officer_nip"].to_numpy(dtype=object)[keep], index),
        "problem_items": _problem_items(answers[keep], low[keep]),
        "suggestion": _objects(suggestion, index),
        "deadline": _deadlines(timestamps, settings),
        "marked": marked[keep],
    }, index=index)


def answer_floats(values: pd.Series) -> np.ndarray:
    """`pd.to_numeric(values, errors="coerce")` as float64; a column of numbers needs no to_numeric."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "biuf":
        return values.to_numpy(dtype="float64")
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")


def _newest_first(timestamp: np.datetime64, rid: str) -> tuple:
    """What sort_values(["timestamp", "response_id"], ascending=[False, True], na_position="last")
    orders by: newest first, then id; a missing time or a blank id (None in the frame) last."""
    if np.isnat(timestamp):
        return (1, 0, rid == "", rid)
    return (0, -int(timestamp.astype("int64")), rid == "", rid)


def _problem_items(answers: np.ndarray, low: np.ndarray) -> np.ndarray:
    items = np.empty(len(answers), dtype=object)
    for i, (row, flags) in enumerate(zip(answers, low, strict=True)):
        items[i] = tuple((ITEM_COLUMNS[j], _answer(row[j])) for j in np.flatnonzero(flags))
    return items


def _answer(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _id_text(value) -> str:
    """An id as text: stripped, a whole float without its '.0'."""
    if _is_blank(value):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _id_text_list(values: np.ndarray) -> list[str]:
    """`[_id_text(v) for v in values]`, a plain str only stripped (blank: "") without the checks."""
    return [v.strip() if type(v) is str else _id_text(v) for v in values]


def _is_blank(value) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return isinstance(value, str) and not value.strip()


def _blank_to_none(value):
    return None if _is_blank(value) else value


def _objects(values, index: pd.Index | None = None) -> pd.Series:
    """An object Series (index 0…n-1, or `index`) with blanks (None, NaN, empty text) as None.

    Object, not str: a str column would turn None back into NaN. A frame built of Series that share
    its index aligns nothing: about half the cost of the constructor.
    """
    return pd.Series([_blank_to_none(v) for v in values], index=index, dtype=object)


def _timestamps(values: pd.Series) -> pd.Series:
    """Datetimes (wall-clock time kept when time-zoned); NaT where not a date."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind == "M":  # already plain datetimes
        return values
    if not pd.api.types.is_datetime64_any_dtype(values):
        values = pd.Series([_as_timestamp(v) for v in values], index=values.index, dtype="datetime64[ns]")
    elif values.dt.tz is not None:
        values = values.dt.tz_localize(None)
    return values


def _timestamps_at(values: pd.Series, rows: np.ndarray) -> np.ndarray:
    """`_timestamps(values.iloc[rows]).to_numpy()`; plain datetimes are taken without the iloc."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind == "M":
        return values.to_numpy()[rows]
    return _timestamps(values.iloc[rows]).to_numpy()


def _as_timestamp(value):
    if isinstance(value, dt.datetime):
        value = pd.Timestamp(value.replace(tzinfo=None))
    elif isinstance(value, dt.date | np.datetime64):
        value = pd.Timestamp(value)
    else:
        return pd.NaT
    # Outside the years 1677-2262 (a typed 3026 for 2026) a date has no nanosecond datetime: it is
    # no date the rules can count with, and must not stop the agency's whole evaluation.
    return value if _EARLIEST <= value <= _LATEST else pd.NaT


_EARLIEST, _LATEST = pd.Timestamp.min, pd.Timestamp.max


def _days(values) -> np.ndarray:
    """Dates/datetimes (or missing) → datetime64[D]; anything else is NaT."""
    series = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    return _timestamps(series).to_numpy(dtype="datetime64[D]")


def _deadlines(timestamps: np.ndarray, settings: ComplaintSettings) -> np.ndarray:
    days = timestamps.astype("datetime64[D]")
    holidays = np.array(settings.holidays, dtype="datetime64[D]")
    # roll="backward": a weekend submission counts from the Friday before, so
    # day 1 is still the first working day after it.
    due = np.busday_offset(days, settings.deadline_days, roll="backward", holidays=holidays)
    return np.array([None if np.isnat(d) else d.astype(dt.date) for d in due], dtype=object)


def complaint_outcomes(
    complaints: pd.DataFrame,
    handled: pd.DataFrame,
    *,
    year: int,
    period_type: str,
    today,
) -> pd.DataFrame:
    """Each complaint of `year` with its period and how it was handled as of `today`.

    Args:
        complaints: response_id, timestamp, service_unit, officer_nip, deadline
            (as from `detect_complaints`).
        handled: HANDLED_COLUMNS, at most one row per response_id (the first
            counts); complaints without a row are "new".
        year, period_type: the evaluation year and period type ("monthly" …).
        today: the date the overdue check is made on (date or datetime).

    Returns:
        A new frame: response_id, period, service_unit, officer_nip, status,
        done, open, overdue, open_overdue (open and past its deadline),
        days_to_done (calendar days from the complaint's day to its finish
        date; NaN unless done with a finish date). Row order as in `complaints`.

    Raises:
        ScoringError: a status outside STATUSES, or a missing column.
    """
    require_columns(complaints, "complaints",
                    ("response_id", "timestamp", "service_unit", "officer_nip", "deadline"))
    require_columns(handled, "handled", HANDLED_COLUMNS)
    today = np.datetime64(pd.Timestamp(today).date(), "D")
    timestamps = _timestamps(complaints["timestamp"]).to_numpy()
    # Year and month from the datetime64 values (floored to months), not through the .dt accessor.
    months = timestamps.astype("datetime64[M]")
    since_1970 = months.astype(np.int64)
    rows = np.flatnonzero(~np.isnat(months) & (since_1970 // 12 + 1970 == int(year)))
    periods = month_to_period(since_1970[rows] % 12 + 1, year, period_type)

    ids = _id_text_list(complaints["response_id"].to_numpy(dtype=object)[rows])
    # The handled row of each complaint (the first with its id; -1 for none), as Series.map would find it.
    first: dict[str, int] = {}
    for position, rid in enumerate(_id_text_list(handled["response_id"].to_numpy(dtype=object))):
        first.setdefault(rid, position)
    at = np.array([first.get(rid, -1) for rid in ids], dtype=np.intp)
    status = [_blank_to_none(s) for s in _take(handled["status"], at)]
    status = np.array(["new" if s is None else s for s in status], dtype=object)
    unknown = sorted({str(s) for s in status if s not in STATUSES})
    if unknown:
        raise ScoringError(f"Unknown complaint status {', '.join(unknown)}; use one of {', '.join(STATUSES)}")
    day = timestamps[rows].astype("datetime64[D]")
    deadline = _days(complaints["deadline"].iloc[rows])
    finished = _days(_take(handled["finished_on"], at))
    finished[finished < day] = np.datetime64("NaT")  # before the complaint itself: a typo

    done = status == "done"
    dated = done & ~np.isnat(finished)
    past_deadline = ~np.isnat(deadline) & (deadline < today)
    overdue = np.where(dated, finished > deadline, past_deadline)
    days_to_done = np.where(dated, (finished - day).astype("timedelta64[D]").astype("float64"), np.nan)
    index = pd.RangeIndex(len(rows))
    return pd.DataFrame({
        "response_id": _objects(ids, index),
        "period": pd.Series(periods, index=index, dtype=object),
        "service_unit": _objects(complaints["service_unit"].to_numpy(dtype=object)[rows], index),
        "officer_nip": _objects(complaints["officer_nip"].to_numpy(dtype=object)[rows], index),
        "status": pd.Series(status, index=index, dtype=object),
        "done": done,
        "open": ~done,
        "overdue": overdue.astype(bool),
        "open_overdue": ~done & past_deadline,
        "days_to_done": days_to_done,
    }, index=index)


def _take(column: pd.Series, at: np.ndarray) -> list:
    """The values of `column` at positions `at`, NaN where -1: what `ids.map(lookup[column])` held."""
    return list(pd.api.extensions.take(column.to_numpy(), at, allow_fill=True))


def officer_complaints(
    complaints: pd.DataFrame,
    handled: pd.DataFrame,
    *,
    year: int,
    period_type: str,
    today,
    settings: ComplaintSettings | None = None,
) -> pd.DataFrame:
    """Complaints per officer and period, with those not handled by their deadline.

    Args:
        complaints, handled, year, period_type, today: as for `complaint_outcomes`.
        settings: repeat_threshold (defaults when None).

    Returns:
        A new frame with OFFICER_COLUMNS, one row per (period, officer_nip) with
        at least one complaint naming the officer (complaints without an
        officer are left out): `complaints`, `open` (not done), `overdue` (not
        handled by the deadline as of today, finished late included) and
        `repeated` (complaints ≥ repeat_threshold: Pembinaan Pelayanan).
        Sorted by period in calendar order, then officer_nip.

    Examples:
        >>> complaints = pd.DataFrame({
        ...     "response_id": ["a", "b"], "service_unit": ["Loket", "Loket"],
        ...     "timestamp": pd.to_datetime(["2026-03-02", "2026-03-03"]),
        ...     "officer_nip": ["198503142010031002"] * 2,
        ...     "deadline": [dt.date(2026, 3, 9), dt.date(2026, 3, 10)]})
        >>> handled = pd.DataFrame({"response_id": ["a"], "status": ["done"],
        ...                         "finished_on": [dt.date(2026, 3, 4)]})
        >>> officer_complaints(complaints, handled, year=2026, period_type="monthly",
        ...                    today=dt.date(2026, 3, 31)).values.tolist()
        [['2026-03', '198503142010031002', 2, 1, 1, False]]
    """
    outcomes = complaint_outcomes(complaints, handled, year=year, period_type=period_type, today=today)
    return officers_from_outcomes(outcomes, year=year, period_type=period_type, settings=settings)


def officers_from_outcomes(outcomes: pd.DataFrame, *, year: int, period_type: str,
                     settings: ComplaintSettings | None = None) -> pd.DataFrame:
    """`officer_complaints` of `complaint_outcomes`' frame."""
    settings = settings or ComplaintSettings()
    # Counted in a dict over the few complaints: groupby, concat, astype and sort cost ~20 pandas calls.
    counts: dict[tuple, list[int]] = {}  # (period, officer) → [complaints, open, overdue], first seen first
    named = (outcomes["officer_nip"].notna() & outcomes["period"].notna()).to_numpy()
    columns = [outcomes[c].to_numpy()[named] for c in ("period", "officer_nip", "open", "overdue")]
    for period, officer, open_, overdue in zip(*columns, strict=True):
        count = counts.setdefault((period, officer), [0, 0, 0])
        count[0] += 1
        count[1] += int(open_)
        count[2] += int(overdue)
    order = {label: i for i, label in enumerate(all_periods(year, period_type))}
    # Calendar order, then officer; a period of another year last (the old sort's NaN).
    keys = sorted(counts, key=lambda key: (order.get(key[0], len(order)), key[1]))
    figures = np.array([counts[key] for key in keys], dtype=np.int64).reshape(-1, 3)
    index = pd.RangeIndex(len(keys))
    return pd.DataFrame({
        # Types left to pandas, as for groupby's keys: str for text, object when there are none.
        "period": pd.Series([period for period, _ in keys], index=index),
        "officer_nip": pd.Series([officer for _, officer in keys], index=index),
        "complaints": figures[:, 0],
        "open": figures[:, 1],
        "overdue": figures[:, 2],
        "repeated": figures[:, 0] >= settings.repeat_threshold,
    }, index=index)


def unit_complaint_summary(
    complaints: pd.DataFrame,
    handled: pd.DataFrame,
    *,
    year: int,
    period_type: str,
    today,
    units=(),
) -> pd.DataFrame:
    """Complaints per service unit and for the whole agency, in every period of the year.

    Service units are matched case- and space-insensitively (as for IKM); the
    name shown is the first spelling met (`units` first, then complaints).

    Args:
        complaints, handled, year, period_type, today: as for `complaint_outcomes`.
        units: service units to show even without complaints.

    Returns:
        A new frame with UNIT_COLUMNS: for each period of the year (calendar
        order) one row per unit (scope "unit", units by name) and then the
        agency total (scope "agency", service_unit None). `complaints`, `open`
        (not done), `overdue` (not handled by the deadline as of today),
        `open_overdue` (open and past the deadline: the rows the tab
        highlights), `median_days_to_done` (calendar days from the complaint's
        day to Tanggal Selesai over the done ones with a date; NaN when none).
        Units without complaints in a period show zeros. A complaint without a
        service unit counts for the agency only.
    """
    outcomes = complaint_outcomes(complaints, handled, year=year, period_type=period_type, today=today)
    return units_from_outcomes(outcomes, year=year, period_type=period_type, units=units)


def units_from_outcomes(outcomes: pd.DataFrame, *, year: int, period_type: str, units=()) -> pd.DataFrame:
    """`unit_complaint_summary` of `complaint_outcomes`' frame."""
    names = pd.Series([*units, *outcomes["service_unit"]], dtype=object)
    keys = unit_key(names)
    shown = {}
    for key, name in zip(keys, names, strict=True):
        if key is not None:
            shown.setdefault(key, " ".join(str(name).split()))
    unit = unit_key(outcomes["service_unit"]).to_numpy(dtype=object)
    unit_order = sorted(shown, key=lambda k: (shown[k].casefold(), shown[k]))
    # One pass over the outcomes (a few dozen a year) into tallies per (period, unit key), the agency's
    # under key None; masking the arrays per (period, unit) cost ~10 numpy calls per row of the result.
    tallies: dict[tuple, list] = {}
    flags = [outcomes[c].to_numpy(dtype=bool) for c in ("open", "overdue", "open_overdue")]
    for label, key, *counts, day in zip(outcomes["period"].to_numpy(dtype=object), unit, *flags,
                                        outcomes["days_to_done"].to_numpy(dtype="float64"), strict=True):
        for group in ((label, None),) if key is None else ((label, None), (label, key)):
            _count(tallies.setdefault(group, [0, 0, 0, 0, []]), counts, day)
    rows, none = [], (0, 0, 0, 0, ())
    for label in all_periods(year, period_type):
        for key in unit_order:
            rows.append(_summary_row(label, "unit", shown[key], tallies.get((label, key), none)))
        rows.append(_summary_row(label, "agency", None, tallies.get((label, None), none)))
    columns = list(zip(*rows, strict=True))
    dtypes = (object, object, object, np.int64, np.int64, np.int64, np.int64, np.float64)
    index = pd.RangeIndex(len(rows))
    # Series only for the text columns (an object array would be read as str); arrays for the numbers.
    return pd.DataFrame({name: pd.Series(values, index=index, dtype=object) if dtype is object
                         else np.array(values, dtype=dtype)
                         for name, values, dtype in zip(UNIT_COLUMNS, columns, dtypes, strict=True)},
                        index=index)


def _count(tally: list, flags: list, day: float) -> None:
    """Add one outcome to a tally [complaints, open, overdue, open_overdue, days to done]."""
    tally[0] += 1
    for i, flag in enumerate(flags, start=1):
        tally[i] += int(flag)
    if not np.isnan(day):
        tally[4].append(day)


def _summary_row(period: str, scope: str, unit: str | None, tally: list) -> tuple:
    """One row of `unit_complaint_summary` from the tally of its outcomes."""
    complaints, open_, overdue, open_overdue, days = tally
    # np.median of the NaN-free days: what Series.median() computes (nanmedian), without the Series.
    return (period, scope, unit, complaints, open_, overdue, open_overdue,
            float(np.median(days)) if days else np.nan)
