"""Appending rows to an input tab at the zip-part level: only that sheet's part changes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from openpyxl.styles import Font
from python_calamine import CalamineWorkbook

from sync.errors import SourceChanged
from sync.sources.excel.append import TabWithoutHeader, append_rows
from sync.sources.excel.source import ExcelSource
from tests.sync.xlsx_fixtures import CAPAIAN_PART, NIP, clerk_workbook


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def changed(before: bytes, after: bytes) -> set[str]:
    old, new = parts(before), parts(after)
    return {n for n in old.keys() | new.keys() if old.get(n) != new.get(n)}


def sheet(data: bytes, name: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).to_python()


def test_only_the_tab_part_changes_in_a_workbook_excel_saved():
    """x14 dropdowns, sparklines, a shape, a table, customXml, shared strings: all byte-identical."""
    before = clerk_workbook()
    after = append_rows(before, "capaian", ["NIP", "Realisasi", "Predikat", "Target"],
                        [["198702152011012002", 88.5, "=HYPERLINK(\"http://x\")", 100]])
    assert changed(before, after) == {CAPAIAN_PART}
    assert sheet(after, "Capaian")[-1] == ["198702152011012002", 100.0, 88.5, "", '=HYPERLINK("http://x")']
    xml = parts(after)[CAPAIAN_PART].decode()
    assert "x14:sparklineGroups" in xml and "x14:dataValidations" in xml  # the sheet's own extLst kept
    assert "<f>" not in xml and "<f " not in xml


def test_rows_go_below_the_last_filled_row_into_styled_empty_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Survei"
    ws.append(["Formulir SKM 2026"])  # a title line above the header
    ws.append(["Waktu", "ID Respons", "Saran"])  # shared strings, another column order
    ws.append([dt.datetime(2026, 1, 2, 8, 0), "KERTAS-1", "baik"])
    for col in "ABC":  # formatted but empty rows a clerk prepared
        ws[f"{col}4"].font = Font(bold=True)
        ws[f"{col}5"].font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    before = buf.getvalue()
    after = append_rows(before, "SURVEI", ["ID Respons", "Waktu", "Saran", "Sumber"],
                        [["r1", dt.datetime(2026, 3, 14, 16, 21, 5), " spasi ", "Formulir"],
                         ["r2", None, "_x0041_ & <b>", "Formulir"]])
    assert changed(before, after) == {"xl/worksheets/sheet1.xml"}
    rows = sheet(after, "Survei")
    assert rows[1] == ["Waktu", "ID Respons", "Saran", "Sumber"]  # the missing header added at the end
    assert rows[3][1:] == ["r1", " spasi ", "Formulir"]
    assert rows[4][1:] == ["r2", "_x0041_ & <b>", "Formulir"]
    # the column has no date format, so the time is ISO text rather than an unreadable serial
    assert rows[3][0] == "2026-03-14 16:21:05"
    reloaded = openpyxl.load_workbook(io.BytesIO(after))["Survei"]
    assert reloaded["B4"].font.bold and reloaded["B4"].value == "r1"  # the prepared style kept


def test_a_date_formatted_column_gets_a_real_date(tmp_path):
    from tests.webhook.helpers import write_agency_workbook

    before = write_agency_workbook(tmp_path / "w.xlsx").read_bytes()
    when = dt.datetime(2026, 3, 14, 16, 21, 5)
    after = append_rows(before, "Survei", ["ID Respons", "Waktu"], [["r1", when]])
    assert sheet(after, "Survei")[1][:2] == ["r1", when]
    assert len(changed(before, after)) == 1


def test_a_missing_tab_is_created_with_its_header(tmp_path):
    before = clerk_workbook()
    after = append_rows(before, "Survei", ["ID Respons", "Saran"], [["r1", "=1+1"]])
    assert sheet(after, "Survei") == [["ID Respons", "Saran"], ["r1", "=1+1"]]
    assert sheet(after, "Capaian") == sheet(before, "Capaian")


def test_a_tab_with_data_but_no_header_is_refused():
    wb = openpyxl.Workbook()
    wb.active.title = "Survei"
    wb.active.append(["apa", "ini"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(TabWithoutHeader, match="baris judul"):
        append_rows(buf.getvalue(), "Survei", ["ID Respons", "Waktu"], [["r1", "x"]])


def test_long_numbers_and_illegal_characters_stay_text():
    before = clerk_workbook()
    after = append_rows(before, "Capaian", ["NIP", "Predikat"], [[NIP, "a\x00b\x1fc"], [10**17, "ok"]])
    rows = sheet(after, "Capaian")
    assert rows[-2][0] == NIP and rows[-2][4] == "abc"
    assert rows[-1][0] == str(10**17)


def test_excel_source_refuses_when_the_file_changed_since_read(tmp_path):
    from tests.webhook.helpers import write_agency_workbook

    path = write_agency_workbook(tmp_path / "w.xlsx")
    source = ExcelSource(path)
    source.read(set())
    path.write_bytes(path.read_bytes() + b"")  # same bytes: fine
    source.append_rows("Survei", ["ID Respons"], [["r1"]])
    saved = path.read_bytes()
    source2 = ExcelSource(path)
    source2.read(set())
    wb = openpyxl.load_workbook(path)
    wb["Survei"]["A3"] = "diketik di Excel"
    wb.save(path)
    with pytest.raises(SourceChanged, match="berubah setelah dibaca"):
        source2.append_rows("Survei", ["ID Respons"], [["r2"]])
    assert path.read_bytes() != saved  # the clerk's save is what stays
    assert [r[0] for r in sheet(path.read_bytes(), "Survei")] == ["ID Respons", "r1", "diketik di Excel"]
