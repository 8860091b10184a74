"""The column-wise Excel read (fastexcel) gives the cells python-calamine gives, or leaves the tab to it."""

import datetime as dt
import io

import openpyxl
import pytest
import python_calamine

from sync.check.checking import check_workbook
from sync.demo.sample import write_demo_workbook
from sync.pipeline import INPUT_TAB_KEYS
from sync.sources.excel import columns
from sync.sources.excel.source import ExcelSource, _read_sheet
from sync.workbook import ColumnarTab
from tests.sync.check.test_columnar import assert_same

pytestmark = pytest.mark.skipif(not columns.AVAILABLE, reason="fastexcel, arro3 or nanoarrow not installed")


def rowwise(path):
    data = path.read_bytes()
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: _read_sheet(book, name, data) for name in book.sheet_names}


def read_both(path, monkeypatch):
    fast = ExcelSource(path).read(INPUT_TAB_KEYS)
    with monkeypatch.context() as patch:
        patch.setattr(columns, "AVAILABLE", False)
        slow = ExcelSource(path).read(INPUT_TAB_KEYS)
    return fast, slow


def test_the_demo_is_read_column_wise_with_the_same_cells(tmp_path, monkeypatch):
    path = write_demo_workbook(tmp_path / "demo.xlsx", units=2, employees_per_unit=6, months=3, surveys=40)
    fast, slow = read_both(path, monkeypatch)
    reference = rowwise(path)
    held = [name for name, tab in fast.tabs.items() if isinstance(tab, ColumnarTab)]
    assert {"Pegawai", "SKP", "Realisasi", "Perilaku", "Survei"} <= set(held)
    for name, tab in fast.tabs.items():
        ref = reference[name]
        assert (tab.rows, tab.first_row, tab.first_column) == (
            ref.rows, ref.first_row, ref.first_column), name
    assert fast.meta == slow.meta
    assert_same(check_workbook(fast), check_workbook(slow))


def test_tabs_that_could_read_differently_are_read_row_wise(tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    book.active.title = "Pengaturan"
    book["Pengaturan"].append(["Kunci", "Nilai"])
    book["Pengaturan"].append(["Tahun Penilaian", 2026])
    cases = {
        # header below a title row: cell references must stay right
        "Pegawai": [["Daftar pegawai"], ["NIP", "Nama", "Jenis ASN", "Unit Kerja"],
                    ["198503142010031002", "Ani", "PNS", "Dinas"]],
        # a date typed into a number column, among numbers
        "SKP": [["Kode IKI", "NIP", "Target"], ["A-1", "198503142010031002", 5.0],
                ["A-2", "198503142010031002", dt.datetime(2026, 3, 1)]],
        # the same header twice
        "Realisasi": [["Kode IKI", "Periode", "Realisasi", "Realisasi"], ["A-1", "2026-01", 3.0, 4.0]],
        # a number where the dates are (fastexcel would turn 3 into 2 January 1900)
        "Survei": [["ID Respons", "Waktu", "Unit Layanan"], ["r1", dt.datetime(2026, 3, 1, 9), "Dinas"],
                   ["r2", 3.0, "Dinas"]],
        # dates in a column the schema reads as numbers: validated from the row-wise cells
        "Perilaku": [["Periode", "NIP Dinilai", "NIP Penilai", "Peran Penilai", "Akuntabel"],
                     ["2026-01", "198503142010031002", "198503142010031002", "Diri Sendiri",
                      dt.datetime(2026, 1, 2)]],
        # plain, but with blanks and spaces: read column-wise
        "Unit Layanan": [["Unit Layanan", "Periode", "Jumlah Penerima Layanan"], ["Dinas", "2026-01", 120.0],
                         ["  ", None, None], ["Dinas", "2026-02", 7.5]],
    }
    for name, rows in cases.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path = tmp_path / "odd.xlsx"
    book.save(path)
    fast, slow = read_both(path, monkeypatch)
    reference = rowwise(path)
    kinds = {name: isinstance(tab, ColumnarTab) for name, tab in fast.tabs.items()}
    assert kinds == {"Pengaturan": True, "Pegawai": False, "SKP": False, "Realisasi": False,
                     "Survei": False, "Perilaku": True, "Unit Layanan": True}
    for name, tab in fast.tabs.items():
        ref = reference[name]
        assert (tab.rows, tab.first_row, tab.first_column) == (
            ref.rows, ref.first_row, ref.first_column), name
    assert_same(check_workbook(fast), check_workbook(slow))


def test_tabs_read_on_several_threads_are_the_tabs_read_one_by_one(tmp_path, monkeypatch):
    """Issue 17: the column-wise tabs are read on threads, biggest first; each thread needs a
    reader of its own (fastexcel refuses one shared: "Already borrowed"), and a tab that must be
    read row-wise still is."""
    from sync.sources.excel import source as excel_source

    path = write_demo_workbook(tmp_path / "demo.xlsx", units=2, employees_per_unit=6, months=3, surveys=40)
    monkeypatch.setattr(excel_source, "READ_THREADS", 1)
    serial = ExcelSource(path).read(INPUT_TAB_KEYS)
    monkeypatch.setattr(excel_source, "READ_THREADS", 4)
    parallel = ExcelSource(path).read(INPUT_TAB_KEYS)
    assert list(parallel.tabs) == list(serial.tabs)  # the file's tab order, whatever finished first
    for name, tab in parallel.tabs.items():
        # A reader shared by two threads fails ("Already borrowed") and its tab would come back row-wise.
        assert type(tab) is type(serial.tabs[name]), name
        assert (tab.rows, tab.first_row, tab.first_column) == (
            serial.tabs[name].rows, serial.tabs[name].first_row, serial.tabs[name].first_column), name
    assert parallel.meta == serial.meta


def test_sheet_sizes_order_the_biggest_tab_first(tmp_path):
    path = write_demo_workbook(tmp_path / "demo.xlsx", units=2, employees_per_unit=6, months=3, surveys=40)
    sizes = columns.sheet_sizes(path.read_bytes())
    assert sizes["Realisasi"] > sizes["Pegawai"] > 0
    assert columns.sheet_sizes(b"not a zip") == {}


def _first_row_filled_as_before(data: bytes, name: str) -> bool:
    """The check as it was: the archive opened and 1 MB of the sheet inflated for each tab."""
    import zipfile

    from sync.sources.excel.formulas import _sheet_parts

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        part = _sheet_parts(zf).get(name)
        if part is None:
            return False
        with zf.open(part) as handle:
            head = handle.read(1 << 20)
    return columns._row_one_filled(head)


def _noise(n: int, seed: int) -> str:
    import random

    rng = random.Random(seed)  # incompressible text: the row spans many inflate steps
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 ") for _ in range(n))


_SHEET = ('<?xml version="1.0" encoding="UTF-8"?><{p}worksheet xmlns{colon}{prefix}='
          '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><{p}sheetData>{rows}'
          '</{p}sheetData></{p}worksheet>')


@pytest.mark.parametrize(("rows", "prefix", "expected"), [
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>NIP</t></is></c></row>', "", True),
    ('<row r="2"><c r="A2" t="inlineStr"><is><t>NIP</t></is></c></row>', "", False),
    ('<row r="1"><c r="A1" s="3"/></row><row r="2"><c r="A2"><v>1</v></c></row>', "", False),
    ('<row><c><v>7</v></c></row>', "", True),  # no row number: the first row
    ('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>', "x", True),
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>{big}</t></is></c></row>', "", True),
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>{huge}</t></is></c></row>', "", False),  # ends past 1 MB
    ("", "", False),
])
@pytest.mark.parametrize("before", ["", "<!-- no </row> here -->"])
def test_the_first_row_is_found_as_by_inflating_the_whole_head(tmp_path, rows, prefix, expected, before):
    """`SheetParts` inflates a sheet only as far as its first row's end, and answers as the whole
    first megabyte would."""
    import zipfile

    path = write_demo_workbook(tmp_path / "demo.xlsx", units=1, employees_per_unit=3, months=1, surveys=5)
    data = path.read_bytes()
    part = columns.SheetParts(data).parts["Pegawai"]
    rows = rows.format(big=_noise(40_000, 1), huge=_noise((1 << 20) + 10, 2))
    xml = _SHEET.format(p=f"{prefix}:" if prefix else "", colon=":" if prefix else "", prefix=prefix,
                        rows=rows).encode()
    xml = xml.replace(b"?>", b"?>" + before.encode(), 1)  # a row end before any row: a comment's
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    parts[part] = xml
    for compression in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression) as zf:
            for name, body in parts.items():
                zf.writestr(name, body)
        changed = buf.getvalue()
        sheets = columns.SheetParts(changed)
        assert sheets.first_row_filled("Pegawai") is expected
        assert _first_row_filled_as_before(changed, "Pegawai") is expected
        assert sheets.first_row_filled("Pegawai") == columns._first_row_filled(changed, "Pegawai")
    assert columns.SheetParts(b"not a zip").first_row_filled("Pegawai") is False
    assert columns.SheetParts(data).first_row_filled("Tidak Ada") is False


def test_a_read_locates_the_sheets_once_for_every_tab(tmp_path, monkeypatch):
    path = write_demo_workbook(tmp_path / "demo.xlsx", units=1, employees_per_unit=3, months=1, surveys=5)
    calls = []
    real = columns._sheet_parts
    monkeypatch.setattr(columns, "_sheet_parts", lambda zf: calls.append(1) or real(zf))
    raw = ExcelSource(path).read(INPUT_TAB_KEYS)
    assert sum(isinstance(tab, ColumnarTab) for tab in raw.tabs.values()) >= 5
    assert len(calls) == 1
