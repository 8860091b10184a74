"""The complaints rules rewritten for fewer pandas calls (issue 17) give the frames they gave before.

`detect_complaints`, `complaint_outcomes` and `officers_from_outcomes` once filtered, mapped, grouped
and sorted whole frames; they now work on arrays and dicts. The previous implementations are kept
below as oracles and both are run on random inputs: blanks of every kind (None, NaN, NaT, pd.NA,
spaces), ids as numbers, duplicate ids, complaints without a handled row, several timestamp dtypes,
empty frames.
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from scoring.complaints import (
    STATUSES,
    ComplaintSettings,
    _blank_to_none,
    _days,
    _id_text,
    _objects,
    _problem_items,
    _timestamps,
    complaint_outcomes,
    detect_complaints,
    officers_from_outcomes,
    units_from_outcomes,
)
from scoring.errors import ScoringError
from scoring.frames import ITEM_COLUMNS
from scoring.ikm import unit_key
from scoring.periods import all_periods, month_to_period

# --- the previous implementations ---------------------------------------------------------------


def _old_id_texts(values: pd.Series) -> pd.Series:
    return pd.Series([v.strip() if type(v) is str else _id_text(v) for v in values.to_numpy(dtype=object)],
                     index=values.index, dtype=object)


def _old_deadlines(timestamps: pd.Series, settings: ComplaintSettings) -> np.ndarray:
    days = timestamps.to_numpy(dtype="datetime64[D]")
    holidays = np.array(settings.holidays, dtype="datetime64[D]")
    due = np.busday_offset(days, settings.deadline_days, roll="backward", holidays=holidays)
    return np.array([None if np.isnat(d) else d.astype(dt.date) for d in due], dtype=object)


def old_detect_complaints(surveys, settings=None, marked_ids=()):
    settings = settings or ComplaintSettings()
    answers = np.column_stack(
        [pd.to_numeric(surveys[item], errors="coerce").to_numpy(dtype="float64") for item in ITEM_COLUMNS]
    ) if len(surveys) else np.empty((0, len(ITEM_COLUMNS)))
    low = answers <= settings.threshold
    marks = {_id_text(value) for value in marked_ids}
    if marks:
        ids = _old_id_texts(surveys["response_id"])
        marked = ids.isin(marks).to_numpy(dtype=bool)
        keep = low.any(axis=1) | marked
        ids = ids[keep]
    else:
        marked = np.zeros(len(surveys), dtype=bool)
        keep = low.any(axis=1)
        ids = _old_id_texts(surveys["response_id"][keep])
    rows = surveys.loc[keep]
    timestamps = _timestamps(rows["timestamp"])
    suggestion = rows["suggestion"] if "suggestion" in rows.columns else pd.Series(None, index=rows.index)
    out = pd.DataFrame({
        "response_id": _objects(ids),
        "timestamp": timestamps.to_numpy(),
        "service_unit": _objects(rows["service_unit"]),
        "service_type": _objects(rows["service_type"]),
        "officer_nip": _objects(rows["officer_nip"]),
        "problem_items": _problem_items(answers[keep], low[keep]),
        "suggestion": _objects(suggestion),
        "deadline": _old_deadlines(timestamps, settings),
        "marked": marked[keep],
    })
    out = out.sort_values(["timestamp", "response_id"], ascending=[False, True], na_position="last",
                          kind="stable")
    return out.reset_index(drop=True)


def old_complaint_outcomes(complaints, handled, *, year, period_type, today):
    today = np.datetime64(pd.Timestamp(today).date(), "D")
    timestamps = _timestamps(complaints["timestamp"])
    in_year = (timestamps.dt.year == int(year)).to_numpy(dtype=bool)
    rows = complaints.loc[in_year]
    timestamps = timestamps[in_year]
    periods = month_to_period(timestamps.dt.month.to_numpy(dtype=np.int64), year, period_type)
    ids = rows["response_id"].map(_id_text)
    lookup = handled.assign(response_id=handled["response_id"].map(_id_text))
    lookup = lookup.drop_duplicates("response_id", keep="first").set_index("response_id")
    status = ids.map(lookup["status"]).map(_blank_to_none).fillna("new")
    unknown = sorted({str(s) for s in status if s not in STATUSES})
    if unknown:
        raise ScoringError(f"Unknown complaint status {', '.join(unknown)}; use one of {', '.join(STATUSES)}")
    status = status.to_numpy(dtype=object)
    day = timestamps.to_numpy(dtype="datetime64[D]")
    deadline = _days(rows["deadline"].reset_index(drop=True))
    finished = _days(ids.map(lookup["finished_on"]).reset_index(drop=True))
    finished[finished < day] = np.datetime64("NaT")
    done = status == "done"
    dated = done & ~np.isnat(finished)
    past_deadline = ~np.isnat(deadline) & (deadline < today)
    overdue = np.where(dated, finished > deadline, past_deadline)
    days_to_done = np.where(dated, (finished - day).astype("timedelta64[D]").astype("float64"), np.nan)
    return pd.DataFrame({
        "response_id": _objects(ids),
        "period": pd.Series(periods, dtype=object),
        "service_unit": _objects(rows["service_unit"]),
        "officer_nip": _objects(rows["officer_nip"]),
        "status": pd.Series(status, dtype=object),
        "done": done,
        "open": ~done,
        "overdue": overdue.astype(bool),
        "open_overdue": ~done & past_deadline,
        "days_to_done": days_to_done,
    })


def old_officers_from_outcomes(outcomes, *, year, period_type, settings=None):
    settings = settings or ComplaintSettings()
    outcomes = outcomes.loc[outcomes["officer_nip"].notna()]
    grouped = outcomes.groupby(["period", "officer_nip"], sort=False)
    grouped = pd.concat([grouped.size().rename("complaints"), grouped[["open", "overdue"]].sum()], axis=1)
    out = grouped.reset_index().astype({"complaints": "int64", "open": "int64", "overdue": "int64"})
    out["repeated"] = out["complaints"] >= settings.repeat_threshold
    order = {label: i for i, label in enumerate(all_periods(year, period_type))}
    out = out.assign(_order=out["period"].map(order)).sort_values(["_order", "officer_nip"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)[
        ["period", "officer_nip", "complaints", "open", "overdue", "repeated"]]


def old_units_from_outcomes(outcomes, *, year, period_type, units=()):
    names = pd.Series([*units, *outcomes["service_unit"]], dtype=object)
    keys = unit_key(names)
    shown = {}
    for key, name in zip(keys, names, strict=True):
        if key is not None:
            shown.setdefault(key, " ".join(str(name).split()))
    unit = unit_key(outcomes["service_unit"]).to_numpy(dtype=object)
    unit_order = sorted(shown, key=lambda k: (shown[k].casefold(), shown[k]))
    period = outcomes["period"].to_numpy(dtype=object)
    flags = [outcomes[c].to_numpy(dtype=bool) for c in ("open", "overdue", "open_overdue")]
    days = outcomes["days_to_done"].to_numpy(dtype="float64")
    rows = []
    for label in all_periods(year, period_type):
        in_period = period == label
        for key in unit_order:
            rows.append(_old_summary_row(label, "unit", shown[key], in_period & (unit == key), flags, days))
        rows.append(_old_summary_row(label, "agency", None, in_period, flags, days))
    columns = list(zip(*rows, strict=True))
    dtypes = ("object", "object", "object", "int64", "int64", "int64", "int64", "float64")
    names = ("period", "scope", "service_unit", "complaints", "open", "overdue", "open_overdue",
             "median_days_to_done")
    return pd.DataFrame({name: pd.Series(values, dtype=dtype)
                         for name, values, dtype in zip(names, columns, dtypes, strict=True)})


def _old_summary_row(period, scope, unit, rows, flags, days):
    open_, overdue, open_overdue = (int(np.count_nonzero(flag & rows)) for flag in flags)
    done_days = days[rows]
    done_days = done_days[~np.isnan(done_days)]
    return (period, scope, unit, int(np.count_nonzero(rows)), open_, overdue, open_overdue,
            float(np.median(done_days)) if len(done_days) else np.nan)


# --- random inputs ------------------------------------------------------------------------------

IDS = ["r-1", " r-1 ", "r-2", "00123", "123", 123.0, 7, 7.5, "", "  ", None, np.nan, pd.NA, "r-3", "r-4"]
TEXTS = ["Loket A", "loket  a", "Loket B", "", " ", None, np.nan, "Kantor"]
NIPS = ["198503142010031002", "199001012015042001", "200001012020011001", None, np.nan, ""]
SEEDS = range(60)


def pick(rng, pool, n):
    return [pool[i] for i in rng.integers(0, len(pool), n)]


def random_timestamps(rng, n, kind):
    base = np.datetime64("2025-11-20T00:00", "m")
    values = base + rng.integers(0, 60 * 24 * 500, n).astype("timedelta64[m]")
    values[rng.random(n) < 0.1] = np.datetime64("NaT")
    values[rng.random(n) < 0.2] = values[0] if n else values[:0]  # equal times: ties by id
    if kind == "ns":
        return pd.Series(values.astype("datetime64[ns]"))
    if kind == "us":
        return pd.Series(values.astype("datetime64[us]"))
    if kind == "tz":
        return pd.Series(values.astype("datetime64[ns]")).dt.tz_localize("Asia/Jakarta")
    mixed = [pd.Timestamp(v).to_pydatetime() if not np.isnat(v) else None for v in values]
    return pd.Series([v.date() if v is not None and i % 3 == 0 else v for i, v in enumerate(mixed)],
                     dtype=object)


def random_surveys(rng) -> pd.DataFrame:
    n = int(rng.choice([0, 1, 3, 12, 40]))
    frame = pd.DataFrame({
        "response_id": pd.Series(pick(rng, IDS, n), dtype=object),
        "timestamp": random_timestamps(rng, n, rng.choice(["ns", "us", "tz", "object"])),
        "service_unit": pd.Series(pick(rng, TEXTS, n), dtype=object),
        "service_type": pd.Series(pick(rng, TEXTS, n), dtype=rng.choice(["object", "str"])),
        "officer_nip": pd.Series(pick(rng, NIPS, n), dtype=rng.choice(["object", "str"])),
    })
    if rng.random() < 0.7:
        frame["suggestion"] = pd.Series(pick(rng, TEXTS, n), dtype=rng.choice(["object", "str"]))
    answers = rng.choice([1.0, 2.0, 3.0, 4.0, 4.0, 4.0, np.nan], size=(n, len(ITEM_COLUMNS)))
    kind = rng.choice(["float64", "int64", "Int64", "object"])
    for j, item in enumerate(ITEM_COLUMNS):
        column = answers[:, j]
        if kind == "int64":
            frame[item] = np.nan_to_num(column, nan=4.0).astype("int64")
        elif kind == "Int64":
            frame[item] = pd.array(column, dtype="Float64").astype("Int64")
        elif kind == "object":
            frame[item] = pd.Series([str(int(v)) if v == v and v < 3 else v for v in column], dtype=object)
        else:
            frame[item] = column
    if rng.random() < 0.3:  # an index that is no longer 0…n-1
        frame.index = rng.permutation(n) * 3
    if n and rng.random() < 0.5 and frame["response_id"].notna().all():
        frame["response_id"] = frame["response_id"].astype(str)
    return frame


def random_settings(rng) -> ComplaintSettings:
    holidays = (dt.date(2026, 3, 19), dt.date(2026, 5, 1)) if rng.random() < 0.3 else ()
    return ComplaintSettings(threshold=int(rng.integers(1, 4)), deadline_days=int(rng.integers(1, 12)),
                             repeat_threshold=int(rng.integers(1, 4)), holidays=holidays)


def random_handled(rng, complaints: pd.DataFrame) -> pd.DataFrame:
    ids = [*complaints["response_id"].tolist(), *IDS]
    n = int(rng.integers(0, len(ids) + 3))
    statuses = [*STATUSES, None, np.nan, "", " "]
    finished = [dt.date(2026, 3, 5), dt.date(2025, 1, 1), pd.Timestamp("2026-07-02 15:00"),
                dt.datetime(2026, 12, 30, 8), None, np.nan, pd.NaT, "kemarin"]
    frame = pd.DataFrame({"response_id": pd.Series(pick(rng, ids, n), dtype=object),
                          "status": pd.Series(pick(rng, statuses, n), dtype=object),
                          "finished_on": pd.Series(pick(rng, finished, n), dtype=object)})
    if n and rng.random() < 0.3:
        days = ["2026-03-05 00:00", None, "2027-01-02 00:00", "2026-06-30 23:00"] * n
        days = pd.Series(pd.to_datetime(days))
        frame["finished_on"] = days[:n].dt.tz_localize("Asia/Jakarta") if rng.random() < 0.5 else days[:n]
    if n and rng.random() < 0.2:
        frame["status"] = frame["status"].astype("str")
    return frame


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal frames: dtypes, index, values, and None/NaN where each has them."""
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert list(a.dtypes) == list(b.dtypes)
    for column in a.columns:
        assert [repr(v) for v in a[column].tolist()] == [repr(v) for v in b[column].tolist()], column


def outcome_args(rng):
    return {"year": int(rng.choice([2025, 2026])), "period_type": str(rng.choice(["monthly", "quarterly"])),
            "today": dt.date(2026, int(rng.integers(1, 13)), 15)}


# --- the comparisons ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_detect_complaints_as_before(seed):
    rng = np.random.default_rng(seed)
    surveys, settings = random_surveys(rng), random_settings(rng)
    marks = pick(rng, [*IDS, "no such answer", 123], int(rng.integers(0, 4)))
    same(detect_complaints(surveys, settings, marked_ids=marks),
         old_detect_complaints(surveys, settings, marked_ids=marks))


@pytest.mark.parametrize("seed", SEEDS)
def test_complaint_outcomes_as_before(seed):
    rng = np.random.default_rng(seed)
    complaints = old_detect_complaints(random_surveys(rng), random_settings(rng), marked_ids=IDS[:4])
    handled, args = random_handled(rng, complaints), outcome_args(rng)
    same(complaint_outcomes(complaints, handled, **args), old_complaint_outcomes(complaints, handled, **args))


@pytest.mark.parametrize("seed", range(10))
def test_complaint_outcomes_fail_on_the_same_statuses(seed):
    rng = np.random.default_rng(seed)
    complaints = old_detect_complaints(random_surveys(rng), marked_ids=IDS)
    handled, args = random_handled(rng, complaints), outcome_args(rng)
    handled["status"] = handled["status"].astype(object)
    handled.loc[handled.index[: len(handled) // 2], "status"] = pick(rng, ["Beres", 1.5, "done"],
                                                                     len(handled) // 2)
    try:
        want = old_complaint_outcomes(complaints, handled, **args)
    except ScoringError as error:
        with pytest.raises(ScoringError) as got:
            complaint_outcomes(complaints, handled, **args)
        assert str(got.value) == str(error)
    else:
        same(complaint_outcomes(complaints, handled, **args), want)


@pytest.mark.parametrize("seed", SEEDS)
def test_officers_from_outcomes_as_before(seed):
    rng = np.random.default_rng(seed)
    complaints = old_detect_complaints(random_surveys(rng), marked_ids=IDS)
    handled, args = random_handled(rng, complaints), outcome_args(rng)
    outcomes = old_complaint_outcomes(complaints, handled, **args)
    settings = random_settings(rng)
    kind = {"year": args["year"], "period_type": args["period_type"]}
    same(officers_from_outcomes(outcomes, **kind, settings=settings),
         old_officers_from_outcomes(outcomes, **kind, settings=settings))


@pytest.mark.parametrize("seed", SEEDS)
def test_units_from_outcomes_as_before(seed):
    rng = np.random.default_rng(seed)
    complaints = old_detect_complaints(random_surveys(rng), marked_ids=IDS)
    handled, args = random_handled(rng, complaints), outcome_args(rng)
    handled["status"] = np.where(rng.random(len(handled)) < 0.6, "done", handled["status"].astype(object))
    outcomes = old_complaint_outcomes(complaints, handled, **args)
    kind = {"year": args["year"], "period_type": args["period_type"]}
    units = tuple(pick(rng, ["Loket A", "Arsip", " loket B ", "Kantor"], int(rng.integers(0, 3))))
    same(units_from_outcomes(outcomes, **kind, units=units),
         old_units_from_outcomes(outcomes, **kind, units=units))
