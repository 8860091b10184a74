"""Property: validating a tab held column-wise (the fast Excel read) gives exactly what the row-wise
path gives.

`ColumnarTab.from_rows` holds the same cells as arrays; `check_workbook` must produce the same issues
(order included) and the same frames (values and dtypes) either way.
"""

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheet_templates import INPUT_TABS, SETTINGS
from sync.check.checking import check_workbook
from sync.workbook import ColumnarTab, RawTab, RawWorkbook

NIPS = ["196711101992031001", "198503142010031002", "199412202022212003", "19941220202221200"]
TEXTS = ["", " ", "  x ", "abc", "85,5", "1.234,5", "90%", " 12 ", "0", "-3", "4,5", "1e20", "Naek", "PNS",
         "pppk", "Utama", "Naik", "Atasan", "Rekan Kerja", "Ya", "Tidak", "Di Atas Ekspektasi", "2026-01",
         "2026-03", "Maret 2026", "2025-12", "2026-13", "03/2026", "2026-T1", "2026", "A-1", "A 2", "R-1",
         "https://contoh.go.id/bukti", "ftp://x", "2026-03-14 09:21", "14/03/2026", "III/b", "IV/e", "IX",
         *NIPS]
NUMBERS = [0.0, -0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 3.7, -5.0, 100.0, 101.0, 250.0, 2026.0, 46023.0, 1e20,
           1e-200, 17.0, 18.0, 0.5, 120.0, 31.0]
DATES = [dt.datetime(2026, 3, 14, 9, 21), dt.datetime(2025, 12, 31, 23, 0), dt.date(2026, 1, 1),
         dt.datetime(2027, 1, 2, 8, 0)]


@st.composite
def column(draw, rows: int):
    kind = draw(st.sampled_from(["float", "text", "text", "datetime", "empty"]))
    pool = {"float": NUMBERS, "text": TEXTS, "datetime": DATES, "empty": [""]}[kind]
    return [draw(st.sampled_from(pool)) if draw(st.integers(0, 4)) else "" for _ in range(rows)]


@st.composite
def workbooks(draw):
    tabs = {SETTINGS.label: RawTab(SETTINGS.label, [["Kunci", "Nilai"], ["Nama Instansi", "Dinas"],
                                                    ["Tahun Penilaian", 2026.0]])}
    formulas = {}
    for tab in INPUT_TABS:
        rows = draw(st.integers(0, 8))
        columns = [c for c in tab.columns if draw(st.integers(0, 12))]  # now and then a column goes
        header = [c.label for c in columns] + (["Catatan Lain"] if draw(st.booleans()) else [])
        cells = [draw(column(rows)) for _ in header]
        body = [list(r) for r in zip(*cells, strict=True)] if header else []
        tabs[tab.label] = RawTab(tab.label, [header, *body])
        if rows and header and draw(st.integers(0, 3)) == 0:
            formulas[tab.label] = {(draw(st.integers(2, rows + 1)), draw(st.integers(0, len(header) - 1)))}
    return RawWorkbook(tabs, meta={"uncached_formulas": formulas})


def columnwise(raw: RawWorkbook) -> tuple[RawWorkbook, int]:
    tabs, held = {}, 0
    for name, tab in raw.tabs.items():
        columnar = ColumnarTab.from_rows(name, tab.rows, tab.first_row, tab.first_column)
        held += columnar is not None
        tabs[name] = columnar if columnar is not None else tab
    return RawWorkbook(tabs, meta=raw.meta), held


def assert_same(a, b):
    assert a.issues == b.issues
    assert a.frames.keys() == b.frames.keys()
    for name in a.frames:
        pd.testing.assert_frame_equal(a.frames[name], b.frames[name], check_exact=True)
        assert a.frames[name].attrs.get("unparsed") == b.frames[name].attrs.get("unparsed")
    assert (a.settings, a.rejected_nips, a.fatal) == (b.settings, b.rejected_nips, b.fatal)
    pd.testing.assert_frame_equal(a.rejected_rows, b.rejected_rows, check_exact=True)
    if a.extra_employees is None or b.extra_employees is None:
        assert a.extra_employees is b.extra_employees is None
    else:
        pd.testing.assert_frame_equal(a.extra_employees, b.extra_employees, check_exact=True)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.data_too_large])
@given(raw=workbooks())
def test_columnwise_validation_is_the_rowwise_validation(raw):
    columnar, held = columnwise(raw)
    assert held  # at least Pengaturan's neighbours are held column-wise
    assert_same(check_workbook(columnar), check_workbook(raw))


def test_columnar_tab_gives_back_its_rows():
    rows = [["NIP", "Nilai", "Waktu"], ["198503142010031002", 85.5, dt.datetime(2026, 3, 14, 9, 21)],
            ["", "", ""], [" ", 0.0, dt.date(2026, 3, 1)]]
    tab = ColumnarTab.from_rows("Survei", rows)
    assert tab.rows == rows
    assert tab.head(2) == rows[:2]
    assert ColumnarTab.from_rows("Survei", [["NIP"], ["1"], [2.0]]) is None  # text and a number
