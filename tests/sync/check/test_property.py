"""Property: no workbook, however filled, makes `check` or `score` crash or touch input cells."""

import datetime as dt

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheet_templates import INPUT_TABS, SETTINGS
from sync import pipeline
from sync.demo.sample import write_demo_workbook
from sync.errors import SyncError, WorkbookInvalid
from sync.sources.excel.source import ExcelSource
from tests.helpers import write_workbook

NIPS = ["196711101992031001", "198503142010031002", "199412202022212003"]
PLAUSIBLE = {
    "nip": st.sampled_from(NIPS), "code": st.sampled_from(["A-1", "A-2", "R-1"]),
    "month": st.sampled_from(["2026-01", "2026-02", "Maret 2026", "2026-13", "2025-12"]),
    "period": st.sampled_from(["2026-01", "2026-T1", "2026"]),
    "int": st.integers(-2, 6), "number": st.floats(-10, 500, allow_nan=False),
    "datetime": st.datetimes(dt.datetime(2025, 12, 1), dt.datetime(2027, 1, 31)),
}
# Characters XML 1.0 cannot hold are refused by openpyxl itself, so a clerk cannot type them either.
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
JUNK = st.one_of(
    st.none(), TEXT, st.text(min_size=300, max_size=400, alphabet="abc ,.=-"),
    st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    st.sampled_from(["=1/0", "=SUM(A1:A3)", "+62", "-", "@x", "85,5", "1.234,5", "90%", " 12 ", "Naek",
                     "Atasan", "PNS", "Di Atas Ekspektasi", "١٢٣", "ⅻ", "🙂"]),
)


def cell(column):
    if column.choices:
        plausible = st.sampled_from(column.labels)
    else:
        plausible = PLAUSIBLE.get(column.type, TEXT)
    return st.one_of(plausible, JUNK)


@st.composite
def workbooks(draw):
    tabs = {SETTINGS.label: [["Kunci", "Nilai"], ["Nama Instansi", draw(TEXT)],
                             ["Tahun Penilaian", draw(st.sampled_from([2026, "2026", "dua ribu", None]))],
                             *[[c.label, draw(cell(c))] for c in draw(st.lists(
                                 st.sampled_from(SETTINGS.columns), max_size=4))]]}
    for tab in INPUT_TABS:
        if draw(st.integers(0, 9)) == 0:
            continue  # a missing tab
        columns = [c for c in tab.columns if draw(st.integers(0, 14))]  # now and then a column goes
        rows = [[c.label for c in columns]]
        for _ in range(draw(st.integers(0, 3))):
            rows.append([draw(cell(c)) for c in columns])
        tabs[tab.label] = rows
    return tabs


def input_cells(path):
    names = {t.label for t in (SETTINGS, *INPUT_TABS)}
    raw = ExcelSource(path).read()  # calamine, with openpyxl where calamine panics
    return {name: tab.rows for name, tab in raw.tabs.items() if name in names}


@settings(deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(tabs=workbooks())
def test_check_and_score_never_crash_and_never_touch_inputs(tmp_path_factory, tabs):
    path = tmp_path_factory.mktemp("prop") / "w.xlsx"
    write_workbook(path, tabs)
    before = input_cells(path)
    report = pipeline.check(ExcelSource(path))
    assert report.checked.errors + report.checked.warnings == len(report.checked.issues)
    try:
        pipeline.score(ExcelSource(path))
    except SyncError as exc:  # a workbook that cannot be scored at all says so in plain words
        assert str(exc)
    assert input_cells(path) == before


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "small.xlsx"
    return write_demo_workbook(path, seed=3, units=2, employees_per_unit=4, months=3, surveys=12)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edits=st.lists(st.tuples(st.sampled_from([t.label for t in INPUT_TABS]), st.integers(1, 40),
                                st.integers(1, 20), JUNK), min_size=1, max_size=12))
def test_a_real_workbook_with_junk_typed_into_it_still_scores(small_demo, tmp_path_factory, edits):
    path = tmp_path_factory.mktemp("junk") / "w.xlsx"
    wb = openpyxl.load_workbook(small_demo)
    for tab, row, col, value in edits:
        wb[tab].cell(row=row, column=col, value=value)
    wb.save(path)
    before = input_cells(path)
    try:
        report = pipeline.score(ExcelSource(path))
    except WorkbookInvalid as exc:  # junk over a Pegawai header: nothing can be scored, exit 1
        assert "Pegawai" in str(exc)
        assert input_cells(path) == before
        return
    hasil = report.results.results
    # Every active employee appears for every scored period, those whose row was rejected too.
    employees = report.checked.frames["employees"]
    active = set(employees.loc[employees["active"].fillna(True).astype(bool), "nip"])
    extra = report.checked.extra_employees
    if extra is not None:
        active |= set(extra["nip"])
    assert len(hasil) == len(active) * len(report.periods)
    assert input_cells(path) == before
