"""The checks rewritten to skip work when nothing is wrong give what their previous versions gave.

Each previous implementation is kept here as the oracle and compared with the current one on
randomised frames: rejected rows or none, blank cells (None and NaN), text and object columns,
NIPs that are not among the employees, and empty tabs.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from scoring import periods
from scoring.errors import ScoringError
from sheet_templates.schema import (
    BEHAVIOURS,
    EMPLOYEES,
    INDICATORS,
    REALISATIONS,
    SETTINGS,
    SUPERVISOR_RATINGS,
    SURVEYS,
)
from sync.check import checking, consistency, rejected
from sync.check.columnar import _TEXT_DTYPE, _take
from sync.check.rejected import _cells, _typed, nip_as_read
from sync.check.rows import TabRows, known_keys
from sync.check.validate import WARNING, Issue

SEEDS = range(150)
NIPS = ["111", "222", "333", "444", "5 55"]
BLANKS = [None, np.nan]


# --- the previous implementations (oracles) -----------------------------------------------------

def old_finish(frame: pd.DataFrame, kept: np.ndarray) -> pd.DataFrame:
    attrs = {k: v for k, v in frame.attrs.items() if k not in ("unparsed", "sheet_columns")}
    if kept.all():
        frame = frame.drop(columns="_ok").reset_index(drop=True)
    else:
        frame = frame.loc[kept].drop(columns="_ok").reset_index(drop=True)
    frame.attrs = attrs
    return frame


def old_rejected_nips(frames: dict[str, pd.DataFrame]) -> set[str]:
    nips: set[str] = set()
    code_to_nip = dict(zip(frames["indicators"]["iki_code"].tolist(), frames["indicators"]["nip"].tolist(),
                           strict=True))
    for name, column in (("employees", "nip"), ("indicators", "nip"), ("behaviours", "nip"),
                         ("supervisor_ratings", "nip")):
        bad = frames[name].loc[~frames[name]["_ok"].astype(bool), column]
        nips.update(bad.dropna())
    bad_codes = frames["realisations"].loc[~frames["realisations"]["_ok"].astype(bool), "iki_code"]
    nips.update(code_to_nip[c] for c in bad_codes.dropna() if c in code_to_nip)
    return {n for n in nips if isinstance(n, str)}


def _old_bad(frame: pd.DataFrame, *columns: str):
    bad = ~frame["_ok"].astype(bool)
    return zip(*(frame.loc[bad, c].tolist() for c in columns), strict=True)


def old_rejected_rows(frames, issues, year, period_type):
    cells = _cells(issues)
    rows: list[dict] = []

    def add(nip, start, end, tab, sheet_row, iki_code=None, month=None):
        if isinstance(nip, str) and nip:
            cell = cells.get((tab, int(sheet_row)), f"{tab}!{int(sheet_row)}")
            rows.append({"nip": nip, "start": start, "end": end, "cell": cell, "iki_code": iki_code,
                         "month": month})

    employees = frames["employees"]
    bad_employees = employees.loc[~employees["_ok"].astype(bool)]
    valid = set(employees.loc[employees["_ok"].astype(bool), "nip"].dropna().tolist())
    extra: list[dict] = []
    typed_nips = _typed(issues, EMPLOYEES.label, EMPLOYEES.column("nip").label) if len(bad_employees) else {}
    for _, row in bad_employees.iterrows():
        typed = typed_nips.get(int(row["_row"]))
        nip = nip_as_read(row["nip"], typed)
        add(nip, 1, 12, EMPLOYEES.label, row["_row"])
        if nip and nip not in valid and row.get("active") is not False:
            valid.add(nip)
            shown = {column: row.get(column) for column in employees.columns if not column.startswith("_")}
            extra.append(shown | {"nip": nip, "supervisor_nip": None, "active": True})
    indicators = frames["indicators"]
    for nip, sheet_row in _old_bad(indicators, "nip", "_row"):
        add(nip, 1, 12, INDICATORS.label, sheet_row)
    code_to_nip = dict(zip(indicators["iki_code"].tolist(), indicators["nip"].tolist(), strict=True))

    def month_of(value):
        return value[1] if isinstance(value, tuple) and len(value) == 2 else None

    for code, month, sheet_row in _old_bad(frames["realisations"], "iki_code", "month", "_row"):
        month = month_of(month)
        add(code_to_nip.get(code), month or 1, 12, REALISATIONS.label, sheet_row, code, month)
    for nip, month, sheet_row in _old_bad(frames["behaviours"], "nip", "month", "_row"):
        month = month_of(month)
        add(nip, month or 1, month or 12, BEHAVIOURS.label, sheet_row)
    for nip, period, sheet_row in _old_bad(frames["supervisor_ratings"], "nip", "period", "_row"):
        start, end = 1, 12
        if year is not None and period_type and isinstance(period, str):
            try:
                start, end = periods.period_months(period, year, period_type)
            except ScoringError:
                pass
        add(nip, start, end, SUPERVISOR_RATINGS.label, sheet_row)
    out = pd.DataFrame(rows, columns=["nip", "start", "end", "cell", "iki_code", "month"]).astype(
        {"start": "int64", "end": "int64"})
    extra_frame = pd.DataFrame(extra, columns=[c for c in employees.columns if not c.startswith("_")])
    return out, extra_frame


def old_check_raters(rows: TabRows, employees: pd.DataFrame) -> None:
    frame = rows.frame
    boss = dict(zip(employees["nip"].tolist(), employees["supervisor_nip"].tolist(), strict=True))
    ok = frame["_ok"].astype(bool)
    self_rated = ok & (frame["nip"] == frame["rater_nip"]) & (frame["role"] != "self")
    rows.flag(self_rated, "self_rating_role", "role", level=WARNING)
    frame.loc[self_rated, "role"] = "self"
    expected = frame["nip"].map(boss)
    wrong = ok & ~self_rated & (frame["role"] == "supervisor") & expected.notna() & (
        expected != frame["rater_nip"])
    rows.flag(wrong, "not_the_supervisor", "rater_nip", level=WARNING, expected=expected)


def old_check_indicator_weights(rows: TabRows) -> None:
    frame = rows.frame.loc[rows.frame["_ok"].astype(bool)]
    weighted = frame.loc[frame["weight"].notna()]
    grouped = weighted.groupby("nip")
    totals, firsts = grouped["weight"].sum(), grouped["_row"].min()
    off = {firsts[nip]: (nip, f"{total:g}".replace(".", ",")) for nip, total in totals.items()
           if abs(total - 100) > 1e-6}
    if off:
        at = {i: off[row] for i, row in enumerate(rows.frame["_row"].tolist()) if row in off}
        rows.flag(consistency._at(rows.frame, at), "indicator_weights", "weight", level=WARNING,
                  nip=consistency._each(rows.frame, at, lambda f: f[0]),
                  total=consistency._each(rows.frame, at, lambda f: f[1]))


def old_check_employees(rows: TabRows):
    frame = rows.frame
    rows.duplicates(EMPLOYEES.key)
    sup = frame["supervisor_nip"]
    self_sup = sup.notna() & (sup == frame["nip"])
    rows.flag(self_sup, "self_supervisor", "supervisor_nip", level=WARNING)
    unknown = rows.unknown("supervisor_nip", known_keys(rows, "nip"))
    rows.flag(unknown, "unknown_reference", "supervisor_nip", level=WARNING, target=EMPLOYEES.label)
    frame.loc[self_sup | unknown, "supervisor_nip"] = None


def old_check_surveys(rows: TabRows, nips, year):
    frame = rows.frame
    rows.duplicates(SURVEYS.key)
    unknown = rows.unknown("officer_nip", nips)
    rows.flag(unknown, "unknown_officer", "officer_nip", level=WARNING, target=EMPLOYEES.label)
    frame.loc[unknown, "officer_nip"] = None
    if year is not None:
        stamps = frame["timestamp"]
        known = stamps.notna()
        if pd.api.types.is_datetime64_any_dtype(stamps.dtype):
            outside = known & (stamps.dt.year != year)
        else:
            outside = known & stamps.map(lambda t: pd.notna(t) and t.year != year).astype(bool)
        values = pd.Series("", index=frame.index, dtype=object)
        values[outside] = stamps[outside].map(lambda t: t.strftime("%Y-%m-%d"))
        rows.flag(outside, "outside_year", "timestamp", year=year, values=values)


def old_check_periods(rows: TabRows, settings: dict):
    year, period_type = settings.get("year"), settings.get("period_type")
    frame = rows.frame
    if year is None or frame.empty:
        return
    labels, bad = [], []
    for value in frame["period"]:
        try:
            labels.append(None if value is None else checking.period_label(value, year, period_type))
            bad.append(False)
        except LookupError:
            labels.append(value)
            bad.append(value is not None)
    bad = pd.Series(bad, index=frame.index)
    type_label = next(c.label for c in SETTINGS.column("period_type").choices if c.code == period_type)
    rows.flag(bad, "bad_period", "period", year=year, period_type=type_label,
              example=periods.all_periods(year, period_type)[0])
    frame["period"] = labels


def old_take(values: list, codes: np.ndarray):
    table = np.empty(len(values), dtype=object)
    kinds = set(map(type, values))
    if tuple in kinds:
        for j, value in enumerate(values):
            table[j] = value
    else:
        table[:] = values
    if len(codes) and kinds == {bool}:
        return table.astype(bool)[codes]
    if not len(codes) or not kinds <= {str, tuple, type(None)} or len(kinds & {str, tuple}) != 1:
        return table[codes].tolist()
    if tuple in kinds:
        return pd.Series(table[codes], dtype=object)
    text = pd.Series(["x"]).dtype
    if isinstance(text, np.dtype):
        return table[codes]
    distinct = pd.array(table, dtype=text)
    if distinct.isna()[codes].all():
        return table[codes]
    return distinct.take(codes)


# --- random inputs ------------------------------------------------------------------------------

def _pick(rng, pool, n):
    return [pool[i] for i in rng.integers(0, len(pool), n)]


def _column(rng, values):
    """As the parse leaves a column: text (None read as NaN) or object."""
    return pd.Series(values, dtype="str" if rng.random() < 0.6 else object)


def _ok(rng, n):
    """All rows ok (the usual case) or some rejected."""
    return np.ones(n, dtype=bool) if rng.random() < 0.4 else rng.random(n) < 0.7


def _frame(rng, n, **columns):
    data = {"_row": np.arange(2, 2 + n, dtype=np.int64), **columns, "_ok": _ok(rng, n)}
    return pd.DataFrame(data)


def _months(rng, n):
    return pd.Series(_pick(rng, [(2026, 1), (2026, 7), (2025, 3), None, "x"], n), dtype=object)


def _frames(rng):
    sizes = {name: int(rng.integers(0, 12)) for name in
             ("employees", "indicators", "realisations", "behaviours", "supervisor_ratings")}
    n = sizes["employees"]
    employees = _frame(rng, n, nip=_column(rng, _pick(rng, [*NIPS, *BLANKS, 1.98e17], n)),
                       name=_column(rng, _pick(rng, ["Ani", "Budi", None], n)),
                       supervisor_nip=_column(rng, _pick(rng, [*NIPS, None], n)),
                       active=pd.Series(_pick(rng, [True, False], n), dtype=bool))
    n = sizes["indicators"]
    indicators = _frame(rng, n, iki_code=_column(rng, _pick(rng, ["A", "B", "C", *BLANKS], n)),
                        nip=_column(rng, _pick(rng, [*NIPS, *BLANKS], n)))
    n = sizes["realisations"]
    realisations = _frame(rng, n, iki_code=_column(rng, _pick(rng, ["A", "B", "D", *BLANKS], n)),
                          month=_months(rng, n))
    n = sizes["behaviours"]
    behaviours = _frame(rng, n, month=_months(rng, n), nip=_column(rng, _pick(rng, [*NIPS, *BLANKS], n)))
    n = sizes["supervisor_ratings"]
    ratings = _frame(rng, n, period=_column(rng, _pick(rng, ["2026-T1", "2026-T9", "x", None], n)),
                     nip=_column(rng, _pick(rng, [*NIPS, *BLANKS], n)))
    return {"employees": employees, "indicators": indicators, "realisations": realisations,
            "behaviours": behaviours, "supervisor_ratings": ratings}


def _issues(rng, frames):
    issues = []
    for tab, name in ((EMPLOYEES, "employees"), (INDICATORS, "indicators"), (BEHAVIOURS, "behaviours")):
        for row in frames[name]["_row"].tolist():
            if rng.random() < 0.3:
                issues.append(Issue(rng.choice(["error", "warning"]), tab.label, row,
                                    EMPLOYEES.column("nip").label, f"B{row}", "1,98E+17", "p", "f"))
    return issues


def _assert_frames(a: pd.DataFrame, b: pd.DataFrame):
    pd.testing.assert_frame_equal(a, b, check_exact=True, check_index_type=True, check_column_type=True)
    assert type(a.index) is type(b.index)
    assert a.attrs == b.attrs
    for column in a.columns:
        assert [type(v) for v in a[column].tolist()] == [type(v) for v in b[column].tolist()]


# --- the comparisons ----------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_rejected_rows_and_nips_as_before(seed):
    rng = np.random.default_rng(seed)
    frames = _frames(rng)
    issues = _issues(rng, frames)
    year, period_type = (2026, "quarterly") if rng.random() < 0.8 else (None, None)
    before = copy.deepcopy(frames)
    expected = old_rejected_rows(before, issues, year, period_type)
    got = rejected.rejected_rows(frames, issues, year, period_type)
    for a, b in zip(got, expected, strict=True):
        _assert_frames(a, b)
    assert checking._rejected_nips(frames) == old_rejected_nips(before)


@pytest.mark.parametrize("seed", SEEDS)
def test_finish_as_before(seed):
    rng = np.random.default_rng(seed)
    frame = _frames(rng)["behaviours"]
    frame.attrs = {"unparsed": {"nip": ["x"]}, "sheet_columns": {"nip": 1}, "other": 1}
    if rng.random() < 0.2:
        frame.index = frame.index + 3  # not 0..n-1: the index is made anew
    kept = frame["_ok"].to_numpy(dtype=bool).copy()
    expected = old_finish(frame.copy(deep=True), kept)
    _assert_frames(checking._finish(frame, kept), expected)


def _behaviours(rng):
    n = int(rng.integers(0, 30))
    pool = [*NIPS, *BLANKS] if rng.random() < 0.3 else NIPS
    frame = _frame(rng, n, nip=_column(rng, _pick(rng, pool, n)),
                   rater_nip=_column(rng, _pick(rng, pool, n)),
                   role=_column(rng, _pick(rng, ["self", "supervisor", "peer", None], n)))
    m = int(rng.integers(0, 6))
    # One kind of blank among the employees' NIPs: with both None and NaN pandas' map fails.
    blank = BLANKS[int(rng.integers(0, 2))]
    employees = pd.DataFrame({"nip": _column(rng, _pick(rng, [*NIPS, blank], m)),
                              "supervisor_nip": _column(rng, _pick(rng, [*NIPS, *BLANKS], m))})
    return frame, employees


@pytest.mark.parametrize("seed", SEEDS)
def test_check_raters_as_before(seed):
    rng = np.random.default_rng(seed)
    frame, employees = _behaviours(rng)
    old_issues, new_issues = [], []
    old_rows = TabRows(BEHAVIOURS, frame.copy(deep=True), old_issues)
    new_rows = TabRows(BEHAVIOURS, frame.copy(deep=True), new_issues)
    old_check_raters(old_rows, employees)
    consistency.check_raters(new_rows, employees)
    assert new_issues == old_issues
    _assert_frames(new_rows.frame, old_rows.frame)


@pytest.mark.parametrize("seed", SEEDS)
def test_indicator_weights_as_before(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 25))
    weights = _pick(rng, [50.0, 25.0, 33.3, 100.0, np.nan, np.nan], n)
    frame = _frame(rng, n, nip=_column(rng, _pick(rng, [*NIPS, *BLANKS], n)),
                   weight=pd.Series(weights, dtype=float if rng.random() < 0.8 else object))
    old_issues, new_issues = [], []
    old_rows = TabRows(INDICATORS, frame.copy(deep=True), old_issues)
    new_rows = TabRows(INDICATORS, frame.copy(deep=True), new_issues)
    old_check_indicator_weights(old_rows)
    consistency.check_indicator_weights(new_rows)
    assert new_issues == old_issues
    _assert_frames(new_rows.frame, old_rows.frame)


@pytest.mark.parametrize("seed", SEEDS)
def test_employee_and_survey_checks_as_before(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 15))
    employees = _frame(rng, n, nip=_column(rng, _pick(rng, [*NIPS, *BLANKS], n)),
                       supervisor_nip=_column(rng, _pick(rng, [*NIPS, "999", *BLANKS], n)))
    stamps = pd.Series(_pick(rng, [pd.Timestamp("2026-02-01"), pd.Timestamp("2025-05-01"), pd.NaT], n))
    surveys = _frame(rng, n, response_id=_column(rng, [f"R{i}" for i in rng.integers(0, 20, n)]),
                     timestamp=stamps if rng.random() < 0.7 else stamps.astype(object),
                     officer_nip=_column(rng, _pick(rng, [*NIPS, "999", *BLANKS], n)))
    year = 2026 if rng.random() < 0.9 else None
    results = []
    for employee_check, survey_check in ((old_check_employees, old_check_surveys),
                                         (checking._check_employees, checking._check_surveys)):
        issues = []
        staff = TabRows(EMPLOYEES, employees.copy(deep=True), issues)
        employee_check(staff)
        survey = TabRows(SURVEYS, surveys.copy(deep=True), issues)
        survey_check(survey, known_keys(staff, "nip"), year)
        results.append((issues, staff.frame, survey.frame))
    (old_issues, *old_frames), (new_issues, *new_frames) = results
    assert new_issues == old_issues
    for a, b in zip(new_frames, old_frames, strict=True):
        _assert_frames(a, b)


@pytest.mark.parametrize("seed", SEEDS)
def test_check_periods_as_before(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 20))
    pool = ["2026-T1", "2026-t2", " 2026-T3", "2026-03", "2025-T1", "2026-T9", "Maret 2026", 3.0, None,
            np.nan]
    frame = _frame(rng, n, period=pd.Series(_pick(rng, pool, n), dtype=object),
                   nip=_column(rng, _pick(rng, NIPS, n)))
    settings = {"year": 2026 if rng.random() < 0.9 else None,
                "period_type": ["monthly", "quarterly", "semester", "annual"][int(rng.integers(0, 4))]}
    old_issues, new_issues = [], []
    old_rows = TabRows(SUPERVISOR_RATINGS, frame.copy(deep=True), old_issues)
    new_rows = TabRows(SUPERVISOR_RATINGS, frame.copy(deep=True), new_issues)
    old_check_periods(old_rows, settings)
    checking._check_periods(new_rows, settings)
    assert new_issues == old_issues
    _assert_frames(new_rows.frame, old_rows.frame)


@pytest.mark.parametrize("seed", SEEDS)
def test_take_as_before(seed):
    rng = np.random.default_rng(seed)
    pool = [["a", " b", "c"], ["a", None], [None], [(2026, 1), None], [True, False], [True],
            [1.5, None], [], ["a", 3]][int(rng.integers(0, 9))]
    values = _pick(rng, pool, len(pool)) if pool else []
    codes = rng.integers(0, len(values), int(rng.integers(0, 20))) if values else np.array([], dtype=int)
    got, expected = _take(values, codes), old_take(values, codes)
    assert type(got) is type(expected)
    assert getattr(got, "dtype", None) == getattr(expected, "dtype", None)
    assert pd.Series(got, dtype=object).tolist() == pd.Series(expected, dtype=object).tolist()


def test_text_dtype_is_what_pandas_makes_of_text():
    assert _TEXT_DTYPE == pd.Series(["x"]).dtype
