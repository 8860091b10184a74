"""Whole-workbook validation: each tab on its own, then the rules that span tabs.

Reference checks look up the *whole* referenced tab (valid or rejected rows
alike): a realisation whose indicator row was itself rejected is not reported
again, so each mistake in the workbook gets exactly one message. Such rows are
still left out of scoring, and their employee's status says why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring import periods
from scoring.errors import ScoringError
from sheet_templates.schema import (
    BEHAVIOURS,
    EMPLOYEES,
    INDICATORS,
    INPUT_TABS,
    REALISATIONS,
    SERVICE_UNITS,
    SETTINGS,
    SUPERVISOR_RATINGS,
    SURVEYS,
)
from sync.check import attendance, consistency
from sync.check.rejected import rejected_rows
from sync.check.rows import TabRows, known_keys, show_value
from sync.check.settings import read_settings
from sync.check.validate import (
    ERROR,
    WARNING,
    Checked,
    Issue,
    check_tab,
    empty_frame,
    is_unusable,
)
from sync.parse import CellError, parse_month
from sync.workbook import RawWorkbook

DEFAULT_AGGREGATION = {"quantity": "sum"}  # every other aspect: "mean"


def check_workbook(raw: RawWorkbook) -> Checked:
    """Validate every tab of `raw`; returns settings, clean frames and all issues, sorted."""
    settings, issues, fatal = read_settings(raw)
    issues.extend(consistency.threshold_issues(settings, SETTINGS))
    year = settings.get("year")
    parsed: dict[str, TabRows] = {}
    no_employees = False
    for tab in INPUT_TABS:
        frame = check_tab(tab, raw, issues, year)
        if tab.name == EMPLOYEES.name and is_unusable(frame):
            # Missing, ambiguous or headless Pegawai: nothing can be scored (exit 1, not 0), and
            # every NIP elsewhere would be "not in Pegawai": the one Galat on Pegawai says it all.
            no_employees = fatal = True
        if frame is None:
            frame = empty_frame(tab)
        parsed[tab.name] = TabRows(tab, frame, issues)
    employees = parsed[EMPLOYEES.name]
    consistency.check_nip_layouts(employees)
    consistency.normalise_ranks(employees)
    _check_employees(employees)
    consistency.check_supervisor_loops(employees)
    for name in (INDICATORS.name, REALISATIONS.name):
        consistency.check_code_spaces(parsed[name], "iki_code")
    nips = _anything if no_employees else known_keys(parsed[EMPLOYEES.name], "nip")
    _check_indicators(parsed[INDICATORS.name], nips)
    codes = known_keys(parsed[INDICATORS.name], "iki_code")
    _check_realisations(parsed[REALISATIONS.name], codes)
    _check_behaviours(parsed[BEHAVIOURS.name], nips)
    consistency.check_raters(parsed[BEHAVIOURS.name], employees.frame)
    consistency.check_indicator_weights(parsed[INDICATORS.name])
    for name in (SUPERVISOR_RATINGS.name, SERVICE_UNITS.name):
        _check_periods(parsed[name], settings)
    ratings = parsed[SUPERVISOR_RATINGS.name]
    ratings.flag(ratings.unknown("nip", nips), "unknown_reference", "nip", target=EMPLOYEES.label)
    ratings.duplicates(SUPERVISOR_RATINGS.key)
    _check_surveys(parsed[SURVEYS.name], nips, year)
    consistency.check_service_units(parsed[SURVEYS.name], parsed[SERVICE_UNITS.name].frame,
                                    employees.frame)
    parsed[SERVICE_UNITS.name].duplicates(SERVICE_UNITS.key)
    attendance.check_pay_inputs(parsed, nips, settings, issues)  # Kehadiran, Tabel TPP (issue 15)

    frames = {name: rows.frame for name, rows in parsed.items()}
    rejected = _rejected_nips(frames)
    rejected_frame, extra_employees = rejected_rows(frames, issues, year, settings.get("period_type"))
    kept = _kept_rows(parsed)
    clean = {name: _finish(frame, kept[name]) for name, frame in frames.items()}
    issues.sort(key=Issue.sort_key)
    return Checked(settings, clean, issues, rejected, fatal, rejected_frame, extra_employees)


def _anything(values: pd.Series) -> pd.Series:
    return pd.Series(True, index=values.index, dtype=bool)


def period_label(value, year: int, period_type: str) -> str:
    """A canonical period label from a label or any month form (a month maps to its period)."""
    try:
        return periods.validate_period(str(value).strip().upper(), year, period_type)
    except ScoringError:
        pass
    try:
        y, m = parse_month(value)
    except CellError:
        raise LookupError(value) from None
    if y != year:
        raise LookupError(value)
    return str(periods.month_to_period([m], year, period_type)[0])


def _check_periods(rows: TabRows, settings: dict):
    year, period_type = settings.get("year"), settings.get("period_type")
    frame = rows.frame
    if year is None or frame.empty:
        return
    labels, bad = [], []
    known: dict[tuple, str | None] = {}  # each distinct value looked up once: its label, None if bad
    for value in frame["period"]:
        if value is None:
            labels.append(None)
            bad.append(False)
            continue
        key = (value.__class__, value)
        if key not in known:
            try:
                known[key] = period_label(value, year, period_type)
            except LookupError:
                known[key] = None
        label = known[key]
        labels.append(value if label is None else label)
        bad.append(label is None)
    bad = pd.Series(bad, index=frame.index)
    type_label = next(c.label for c in SETTINGS.column("period_type").choices if c.code == period_type)
    rows.flag(bad, "bad_period", "period", year=year, period_type=type_label,
              example=periods.all_periods(year, period_type)[0])
    frame["period"] = labels


def _check_employees(rows: TabRows):
    frame = rows.frame
    rows.duplicates(EMPLOYEES.key)
    sup = frame["supervisor_nip"]
    self_sup = sup.notna() & (sup == frame["nip"])
    rows.flag(self_sup, "self_supervisor", "supervisor_nip", level=WARNING)
    unknown = rows.unknown("supervisor_nip", known_keys(rows, "nip"))
    rows.flag(unknown, "unknown_reference", "supervisor_nip", level=WARNING, target=EMPLOYEES.label)
    cleared = self_sup.to_numpy() | unknown
    if cleared.any():  # usually none: no write (and no copy of the column)
        frame.loc[cleared, "supervisor_nip"] = None


def _check_indicators(rows: TabRows, nips):
    frame = rows.frame
    rows.duplicates(INDICATORS.key)
    rows.flag(rows.unknown("nip", nips), "unknown_reference", "nip", target=EMPLOYEES.label)
    both = frame["target"].notna() & frame["target_max"].notna()
    below = both & (pd.to_numeric(frame["target_max"], errors="coerce")
                    < pd.to_numeric(frame["target"], errors="coerce"))
    if below.any():
        targets = frame["target"].array  # `.array[i]`: each value as `frame.at` gives it
        shown = pd.Series([show_value(targets[i]) if hit else "" for i, hit in enumerate(below.tolist())],
                          index=frame.index, dtype=object)
        rows.flag(below, "target_max_below", "target_max", target=shown)
    missing = frame["aggregation"].isna()
    if missing.any():  # a write only where a default is due
        frame.loc[missing, "aggregation"] = frame.loc[missing, "aspect"].map(
            lambda a: DEFAULT_AGGREGATION.get(a, "mean"))


def _check_realisations(rows: TabRows, codes):
    rows.flag(rows.unknown("iki_code", codes), "unknown_reference", "iki_code", target=INDICATORS.label)
    rows.duplicates(REALISATIONS.key)


def _check_behaviours(rows: TabRows, nips):
    for column in ("nip", "rater_nip"):
        rows.flag(rows.unknown(column, nips), "unknown_reference", column, target=EMPLOYEES.label)
    rows.duplicates(BEHAVIOURS.key)


def _check_surveys(rows: TabRows, nips, year):
    frame = rows.frame
    rows.duplicates(SURVEYS.key)
    unknown = rows.unknown("officer_nip", nips)
    rows.flag(unknown, "unknown_officer", "officer_nip", level=WARNING, target=EMPLOYEES.label)
    if unknown.any():  # usually none: no write (and no copy of the column)
        frame.loc[unknown, "officer_nip"] = None
    if year is not None:
        stamps = frame["timestamp"]
        known = stamps.notna()
        if pd.api.types.is_datetime64_any_dtype(stamps.dtype):
            outside = known & (stamps.dt.year != year)
        else:
            outside = known & stamps.map(lambda t: pd.notna(t) and t.year != year).astype(bool)
        values = pd.Series("", index=frame.index, dtype=object)  # only the flagged rows are shown
        values[outside] = stamps[outside].map(lambda t: t.strftime("%Y-%m-%d"))
        rows.flag(outside, "outside_year", "timestamp", year=year, values=values)


def _finish(frame: pd.DataFrame, kept: np.ndarray) -> pd.DataFrame:
    """Only the rows kept, with their sheet row kept for reference.

    Validation's own notes (`unparsed`, `sheet_columns`) stay behind: pandas deep-copies `attrs`
    into every frame derived from this one, all through scoring and rendering.
    When every row is kept, `frame` itself (validation's own frame, not used after this) loses
    `_ok` in place: no copy of the tab, and no new index where it already is 0..n-1."""
    attrs = {k: v for k, v in frame.attrs.items() if k not in ("unparsed", "sheet_columns")}
    if kept.all():
        del frame["_ok"]
        index = frame.index
        if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
                and index.name is None):
            frame = frame.reset_index(drop=True)
    else:
        frame = frame.loc[kept].drop(columns="_ok").reset_index(drop=True)
    frame.attrs = attrs
    return frame


def _bad_positions(frame: pd.DataFrame) -> np.ndarray:
    """The positions of the rows validation rejected (usually none)."""
    return np.flatnonzero(~frame["_ok"].to_numpy(dtype=bool))


def _rejected_nips(frames: dict[str, pd.DataFrame]) -> set[str]:
    """Employees that have at least one rejected row about them (for the Status text)."""
    nips: set[str] = set()
    for name, column in (("employees", "nip"), ("indicators", "nip"), ("behaviours", "nip"),
                         ("supervisor_ratings", "nip")):
        bad = _bad_positions(frames[name])
        if len(bad):
            nips.update(frames[name][column].iloc[bad].dropna())
    bad = _bad_positions(frames["realisations"])
    if len(bad):  # the look-up of codes is made only when a realisation was rejected
        indicators = frames["indicators"]
        code_to_nip = dict(zip(indicators["iki_code"].tolist(), indicators["nip"].tolist(), strict=True))
        bad_codes = frames["realisations"]["iki_code"].iloc[bad]
        nips.update(code_to_nip[c] for c in bad_codes.dropna() if c in code_to_nip)
    return {n for n in nips if isinstance(n, str)}


def _kept_rows(parsed: dict[str, TabRows]) -> dict[str, np.ndarray]:
    """Per tab, the rows scoring gets: those that passed, less those that point at a rejected row
    (left out silently: the root cause is reported). Look-ups go once per distinct value."""
    kept = {name: np.array(rows.frame["_ok"], dtype=bool) for name, rows in parsed.items()}
    employees = parsed["employees"].frame
    nips = set(employees["nip"][kept["employees"]].tolist())
    kept["indicators"] &= parsed["indicators"].isin("nip", nips)
    codes = set(parsed["indicators"].frame["iki_code"][kept["indicators"]].tolist())
    kept["realisations"] &= parsed["realisations"].isin("iki_code", codes)
    behaviours = parsed["behaviours"]
    kept["behaviours"] &= behaviours.isin("nip", nips) & behaviours.isin("rater_nip", nips)
    kept["supervisor_ratings"] &= parsed["supervisor_ratings"].isin("nip", nips)
    return kept


__all__ = ["check_workbook", "Checked", "Issue", "ERROR", "WARNING", "INPUT_TABS"]
