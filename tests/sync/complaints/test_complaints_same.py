"""The complaints loop rewritten for fewer pandas calls (issue 17) gives what it gave before.

`_surveys`, `service_rows`, `merge_complaints`, `supervisor_status`, `complaint_tab` (hence
`evaluate_complaints`), `with_complaints` and `unit_figures` now build their frames in one
constructor and look values up in dicts instead of reindexing. The previous implementations are
kept below as oracles (the scoring rules' oracles live in tests/scoring/test_scoring_complaints_same.py)
and both are run on random workbooks: blank and duplicate ids, ids as numbers, a tab the supervisor
typed into (or none), missing survey columns, answers as text, empty frames.
"""

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from scoring.ikm import unit_key
from scoring.periods import all_periods
from sheet_templates import complaints as contract
from sheet_templates.results import COMPLAINT_COUNT, COMPLAINT_COUNT_LOW_IKM
from sync.complaints.cells import (
    COLUMNS,
    ID,
    NEW_STATUS,
    STATUS,
    SUPERVISOR_LABELS,
    TIME,
    _read_rows,
    id_text,
    parse_date,
    parse_datetime,
    status_code,
)
from sync.complaints.evaluation import (
    SURVEY_COLUMNS,
    ComplaintOutcome,
    _surveys,
    complaint_settings,
    evaluate_complaints,
)
from sync.complaints.merge import (
    _extras,
    _filled,
    _resolve,
    _service_records,
    _sort_key,
    complaint_problems,
    merge_complaints,
    status_counts,
    supervisor_status,
)
from sync.complaints.results import UNIT_FIGURES, unit_figures, with_complaints
from sync.complaints.tab import (
    ITEM_LABELS,
    KINDS,
    OVERDUE_FILL,
    TAB,
    WIDTHS,
    _kind,
    _plain,
    complaint_tab,
    existing_rows,
    service_rows,
)
from sync.outtabs import ConditionalFill, OutputColumn, OutputTab
from sync.parse import normalise_label
from sync.workbook import RawTab, RawWorkbook
from tests.scoring.test_scoring_complaints_same import (
    IDS,
    NIPS,
    old_complaint_outcomes,
    old_detect_complaints,
    old_officers_from_outcomes,
    old_units_from_outcomes,
    pick,
    random_surveys,
    same,
)

# --- the previous implementations ---------------------------------------------------------------


def old_surveys(frame):
    out = frame.reindex(columns=list(SURVEY_COLUMNS)).copy()
    for i in range(1, 10):
        out[f"u{i}"] = pd.to_numeric(out[f"u{i}"], errors="coerce").astype("float64")
    return out


def old_existing_rows(raw):
    tab = next((t for name, t in raw.tabs.items() if normalise_label(name) == normalise_label(TAB)), None)
    if tab is None:
        return None
    key = normalise_label(COLUMNS[0])
    at = next((i for i, row in enumerate(tab.rows[:5]) if row and normalise_label(str(row[0] or "")) == key),
              None)
    if at is None:
        return None
    header = [str(c) if c is not None else "" for c in tab.rows[at]]
    body = [list(row) + [None] * (len(header) - len(row)) for row in tab.rows[at + 1:]]
    frame = pd.DataFrame([row[:len(header)] for row in body], columns=range(len(header)), dtype=object)
    frame.columns = header
    frame.attrs["first_row"] = tab.first_row + at + 2
    return frame


def old_service_rows(surveys, employees, settings, existing):
    marked = set()
    if existing is not None and COLUMNS[0] in existing:
        marked = {id_text(v) for v in existing[COLUMNS[0]]} - {""}
    complaints = old_detect_complaints(surveys, settings, marked_ids=marked)
    names = dict(zip(employees["nip"], employees["name"], strict=True))
    return complaints.assign(officer_name=complaints["officer_nip"].map(names))


def old_merge_complaints(service_rows, existing_rows, item_labels=None):
    rows, extra_headers = _read_rows(existing_rows)
    extra_labels = [h.label for h in extra_headers]
    service = _service_records(service_rows, item_labels)
    by_digits = {}
    for rid in service:
        if rid.isdigit():
            by_digits.setdefault(int(rid), []).append(rid)
    groups, loose = {}, []
    for row in rows:
        key = _resolve(id_text(row.cells[ID]), service, by_digits)
        if key:
            groups.setdefault(key, []).append(row)
        else:
            loose.append(row)
    ordered = []
    for rid, record in service.items():
        group = groups.pop(rid, [])
        primary = max(group, key=_filled, default=None)
        when = record[TIME]
        supervisor = dict.fromkeys(SUPERVISOR_LABELS) | {STATUS: NEW_STATUS}
        if primary is not None:
            supervisor = {label: primary.cells[label] for label in SUPERVISOR_LABELS}
        ordered.append((_sort_key(when, rid, 0, -1), record | supervisor | _extras(primary, extra_labels)))
        for row in group:
            if row is not primary:
                own = {label: row.cells[label] for label in SUPERVISOR_LABELS}
                key = _sort_key(when, rid, 1, row.position)
                ordered.append((key, record | own | _extras(row, extra_labels)))
    kept = [row for group in groups.values() for row in group] + loose
    for row in kept:
        key = _sort_key(parse_datetime(row.cells[TIME]), id_text(row.cells[ID]), 0, row.position)
        ordered.append((key, dict(row.cells) | _extras(row, extra_labels)))
    ordered.sort(key=lambda item: item[0])
    columns = [*COLUMNS, *extra_labels]
    return pd.DataFrame({c: pd.Series([rec.get(c) for _, rec in ordered], dtype=object) for c in columns})


def old_supervisor_status(rows, today=None):
    # The previous implementation, with the later rule that a Tanggal Selesai in a year after `today`'s
    # is no date.
    records, seen = [], set()
    for row in _read_rows(rows)[0]:
        rid = id_text(row.cells[ID])
        if rid and rid not in seen:
            seen.add(rid)
            finished = parse_date(row.cells["Tanggal Selesai"])
            if today is not None and finished is not None and finished.year > today.year:
                finished = None
            records.append((rid, status_code(row.cells[STATUS]), finished))
    columns = ("response_id", "status", "finished_on")
    return pd.DataFrame({c: pd.Series([r[i] for r in records], dtype=object) for i, c in enumerate(columns)})


def old_complaint_tab(surveys, employees, existing, settings, today):
    service = old_service_rows(surveys, employees, settings, existing)
    merged = old_merge_complaints(service, existing, ITEM_LABELS)
    merged = merged[list(COLUMNS)]
    counts = status_counts(merged, today)
    title = contract.title_line(counts, today)
    columns = [OutputColumn(label, _kind(kind), width=width, wrap=kind == "text" and width >= 24)
               for label, kind, width in zip(COLUMNS, KINDS, WIDTHS, strict=True)]
    rows = [tuple(_plain(v) for v in row) for row in merged.itertuples(index=False)]
    status_col = COLUMNS.index(SUPERVISOR_LABELS[0])
    deadline_col = COLUMNS.index(contract.COMPLAINTS.column("deadline").label)
    tab = OutputTab(
        TAB, columns, rows, title=title, autofilter=True,
        editable_columns=tuple(COLUMNS.index(label) for label in SUPERVISOR_LABELS),
        dropdowns={status_col: tuple(contract.STATUS_LABELS.values())},
        conditional_fills=(ConditionalFill(
            formula_column=deadline_col, status_column=status_col, done_text=contract.STATUS_LABELS["done"],
            color=OVERDUE_FILL),),
    )
    problems = complaint_problems(merged, first_row=tab.header_row + 1, today=today)
    return tab, merged, problems


def old_evaluate_complaints(frames, settings, raw, today):
    rules = complaint_settings(settings)
    surveys = old_surveys(frames["surveys"])
    existing = old_existing_rows(raw)
    tab, merged, problems = old_complaint_tab(surveys, frames["employees"], existing, rules, today)
    marked = {str(v) for v in merged["ID Respons"].dropna()}
    complaints = old_detect_complaints(surveys, rules, marked_ids=marked)
    handled = old_supervisor_status(merged, today)
    year, kind = settings["year"], settings["period_type"]
    outcomes = old_complaint_outcomes(complaints, handled, year=year, period_type=kind, today=today)
    officers = old_officers_from_outcomes(outcomes, year=year, period_type=kind, settings=rules)
    units = old_units_from_outcomes(outcomes, year=year, period_type=kind,
                                    units=tuple(pd.unique(surveys["service_unit"].dropna())))
    return ComplaintOutcome(tab, problems, officers, units)


def old_with_complaints(results, outcome):
    frame = results.results
    officers = outcome.officers.rename(columns={"officer_nip": "nip"})
    keyed = officers.set_index(["period", "nip"])
    index = pd.MultiIndex.from_arrays([frame["period"].astype(str), frame["nip"].astype(str)])
    count = keyed["complaints"].reindex(index).fillna(0).astype("int64").to_numpy()
    overdue = keyed["overdue"].reindex(index).fillna(0).astype("int64").to_numpy()
    repeated = keyed["repeated"].reindex(index).fillna(False).astype(bool).to_numpy()
    follow = [_old_follow_up(tuple(codes), n) if again else tuple(codes)
              for codes, n, again in zip(frame["follow_up"], count, repeated, strict=True)]
    out = frame.assign(complaints=count, complaints_overdue=overdue, follow_up=follow)
    return dataclasses.replace(results, results=out, units=old_unit_figures(results.units, outcome.units),
                               agency=old_unit_figures(results.agency, outcome.units, agency=True))


def old_unit_figures(summary, complaints, agency=False):
    scope = complaints.loc[complaints["scope"] == ("agency" if agency else "unit")]
    keys = pd.MultiIndex.from_arrays([scope["period"].astype(str).to_numpy(),
                                      _old_keys(scope["service_unit"], agency)])
    figures = scope.set_index(keys)[list(UNIT_FIGURES)]
    figures = figures.loc[~figures.index.duplicated()]
    wanted = pd.MultiIndex.from_arrays([summary["period"].astype(str).to_numpy(),
                                        _old_keys(summary["unit"], agency)])
    found = figures.reindex(wanted)
    out = {}
    for name, column in UNIT_FIGURES.items():
        values = found[name].to_numpy()
        out[column] = (pd.array(values, dtype="Float64").round(1) if name == "median_days_to_done"
                       else pd.array(values, dtype="Float64").astype("Int64"))
    return summary.assign(**out)


def _old_keys(names, agency):
    if agency:
        return np.array([""] * len(names), dtype=object)
    return unit_key(names.reset_index(drop=True)).fillna("").to_numpy(dtype=object)


def _old_follow_up(codes, count):
    if "service_coaching" in codes:
        detail = COMPLAINT_COUNT_LOW_IKM.format(count=count)
        return tuple(c for c in codes if c != "service_coaching") + (f"complaints:{detail}",)
    return codes + (f"complaints:{COMPLAINT_COUNT.format(count=count)}",)


# --- random inputs ------------------------------------------------------------------------------

SEEDS = range(40)
STATUS_CELLS = ["Selesai", "Diproses", "Baru", " selesai ", "Beres", None, ""]
FINISHED_CELLS = [dt.date(2026, 3, 14), "14/03/2026", dt.datetime(2026, 7, 1, 9), dt.date(2025, 1, 2), "x",
                  None]
EMPLOYEES = pd.DataFrame({"nip": [n for n in NIPS if isinstance(n, str) and n] + ["197001011990011001"],
                          "name": ["Ani", "Budi", "Citra", "Dewi"]})


def random_checked_surveys(rng) -> pd.DataFrame:
    """A Survei frame as the checks give it (plus the odd missing column and answers as text)."""
    frame = random_surveys(rng)
    frame.insert(0, "_row", np.arange(len(frame)) + 2)
    frame["source"] = "form"
    drop = [c for c in ("suggestion", "service_type", "u9") if c in frame.columns and rng.random() < 0.15]
    return frame.drop(columns=drop)


def random_tab(rng, surveys: pd.DataFrame) -> RawWorkbook:
    """The Pengaduan tab as a supervisor left it: typed rows for some answers, typos, extras."""
    if rng.random() < 0.15:
        return RawWorkbook({})
    header = ["ID Respons", "Status", "Tindakan", "Tanggal Selesai", "Ditangani Oleh"]
    if rng.random() < 0.5:
        header = list(COLUMNS)
    if rng.random() < 0.3:
        header.append("Catatan")
    ids = [*surveys["response_id"].tolist(), *IDS, 123, 7.0, "KERTAS-9"]
    rows = []
    for _ in range(int(rng.integers(0, 12))):
        cells = {"ID Respons": pick(rng, ids, 1)[0], "Status": pick(rng, STATUS_CELLS, 1)[0],
                 "Tanggal Selesai": pick(rng, FINISHED_CELLS, 1)[0], "Tindakan": "Ditegur",
                 "Waktu": pick(rng, [dt.datetime(2026, 2, 3, 10), "01/03/2026 08:00", None], 1)[0],
                 "Catatan": pick(rng, ["cek", None], 1)[0]}
        row = [cells.get(label) for label in header]
        rows.append(row[:int(rng.integers(1, len(row) + 1))] if rng.random() < 0.2 else [*row, "lebih"])
    if rng.random() < 0.2:
        header = [*header, "Status"]  # a second Status column, kept renamed
    return RawWorkbook({TAB: RawTab(TAB, [["Pengaduan: …"], header, *rows])})


def random_settings(rng) -> dict:
    return {"year": int(rng.choice([2025, 2026])), "period_type": str(rng.choice(["monthly", "quarterly"])),
            "complaint_threshold": int(rng.integers(1, 4)),
            "complaint_deadline_days": int(rng.integers(1, 9)),
            "complaint_repeat_threshold": int(rng.choice([1, 2, 3])) if rng.random() < 0.7 else None}


@dataclasses.dataclass(frozen=True)
class Results:
    """What `with_complaints` reads of scoring.Results (and replaces)."""

    results: pd.DataFrame
    units: pd.DataFrame
    agency: pd.DataFrame


def random_results(rng, year: int, period_type: str, officers: pd.DataFrame) -> Results:
    """Results rows of employees with and without complaints (some rows twice), units by name."""
    periods = [*all_periods(year, period_type), "2024-01"]
    nips = list(EMPLOYEES["nip"]) + ["199912312020121001"]
    n = int(rng.choice([0, 5, 30]))
    codes = [(), ("award",), ("service_coaching",), ("award", "service_coaching")]
    pairs = [*zip(pick(rng, periods, n), pick(rng, [*nips, None], n), strict=True),
             *zip(officers["period"], officers["officer_nip"], strict=True)] if n else []
    pairs = [pairs[i] for i in rng.permutation(len(pairs))]
    n = len(pairs)
    results = pd.DataFrame({"period": pd.Series([p for p, _ in pairs], dtype="str"),
                            "nip": pd.Series([nip for _, nip in pairs], dtype="str"),
                            "follow_up": pd.Series(pick(rng, codes, n) if n else [], dtype=object),
                            "score": rng.random(n)})
    units = ["Loket A", "loket  A", "Loket B", "Sekretariat", None]
    m = int(rng.choice([0, 4, 12]))
    summary = pd.DataFrame({"period": pd.Series(pick(rng, periods, m), dtype="str"),
                            "unit": pd.Series(pick(rng, units, m), dtype="str"), "employees": np.arange(m)})
    return Results(results, summary, summary.drop_duplicates("period").reset_index(drop=True))


def inputs(seed):
    rng = np.random.default_rng(seed)
    surveys = random_checked_surveys(rng)
    frames = {"surveys": surveys, "employees": EMPLOYEES}
    today = dt.date(2026, int(rng.integers(1, 13)), 3)
    return rng, frames, random_settings(rng), random_tab(rng, surveys), today


def same_outcome(a: ComplaintOutcome, b: ComplaintOutcome) -> None:
    assert a.tab == b.tab
    assert [repr(v) for v in a.tab.rows] == [repr(v) for v in b.tab.rows]
    assert a.problems == b.problems
    same(a.officers, b.officers)
    same(a.units, b.units)


# --- the comparisons ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_surveys_as_before(seed):
    _, frames, *_ = inputs(seed)
    same(_surveys(frames["surveys"]), old_surveys(frames["surveys"]))
    assert _surveys(frames["surveys"]).index.equals(frames["surveys"].index)


def test_surveys_of_a_tab_without_rows_or_columns():
    for frame in (pd.DataFrame(), pd.DataFrame(columns=["response_id", "u1"]),
                  pd.DataFrame({"u1": ["2", "x", None]}, index=[5, 5, 7])):
        same(_surveys(frame), old_surveys(frame))


@pytest.mark.parametrize("seed", SEEDS)
def test_existing_rows_as_before(seed):
    _, _, _, raw, _ = inputs(seed)
    new, old = existing_rows(raw), old_existing_rows(raw)
    assert (new is None) == (old is None)
    if new is not None:  # headers may repeat: compared cell by cell, not column by column
        pd.testing.assert_frame_equal(new, old, check_exact=True)
        assert [repr(row) for row in new.to_numpy().tolist()] == [repr(r) for r in old.to_numpy().tolist()]
        assert new.attrs == old.attrs


@pytest.mark.parametrize("seed", SEEDS)
def test_service_rows_merge_and_status_as_before(seed):
    rng, frames, settings, raw, _ = inputs(seed)
    surveys, rules = old_surveys(frames["surveys"]), complaint_settings(settings)
    existing = existing_rows(raw)
    service = service_rows(surveys, EMPLOYEES, rules, existing)
    same(service, old_service_rows(surveys, EMPLOYEES, rules, existing))
    merged = merge_complaints(service, existing, ITEM_LABELS)
    same(merged, old_merge_complaints(service, existing, ITEM_LABELS))
    same(supervisor_status(merged), old_supervisor_status(merged))


@pytest.mark.parametrize("seed", SEEDS)
def test_complaint_tab_as_before(seed):
    rng, frames, settings, raw, today = inputs(seed)
    surveys, rules = old_surveys(frames["surveys"]), complaint_settings(settings)
    existing = existing_rows(raw)
    tab, merged, problems = complaint_tab(surveys, EMPLOYEES, existing, rules, today)
    old_tab, old_merged, old_problems = old_complaint_tab(surveys, EMPLOYEES, existing, rules, today)
    assert tab == old_tab and [repr(v) for v in tab.rows] == [repr(v) for v in old_tab.rows]
    same(merged, old_merged)
    assert problems == old_problems


@pytest.mark.parametrize("seed", SEEDS)
def test_evaluate_complaints_as_before(seed):
    _, frames, settings, raw, today = inputs(seed)
    same_outcome(evaluate_complaints(frames, settings, raw, today),
                 old_evaluate_complaints(frames, settings, raw, today))


@pytest.mark.parametrize("seed", SEEDS)
def test_with_complaints_and_unit_figures_as_before(seed):
    rng, frames, settings, raw, today = inputs(seed)
    outcome = old_evaluate_complaints(frames, settings, raw, today)
    results = random_results(rng, settings["year"], settings["period_type"], outcome.officers)
    new, old = with_complaints(results, outcome), old_with_complaints(results, outcome)
    for name in ("results", "units", "agency"):
        same(getattr(new, name), getattr(old, name))
    for agency in (False, True):
        same(unit_figures(results.units, outcome.units, agency=agency),
             old_unit_figures(results.units, outcome.units, agency=agency))

