import io
import math
import re
import time
import warnings
import zipfile
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from lxml import etree
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from sync.errors import SyncError, WorkbookUnreadable
from sync.outtabs import ChartSpec, OutputColumn, OutputTab
from sync.sources.excel.package import OutputTabBlocked, replace_sheets
from tests.sync.xlsx_fixtures import (
    CAPAIAN_PART,
    HASIL_OWNED,
    HASIL_PART,
    NIP,
    SHAPE_DRAWING,
    clerk_workbook,
    repack,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"}
OUTPUT_PART = re.compile(r"xl/(worksheets|drawings|charts)/(_rels/)?(sheet|drawing|chart)\d+\.xml"
                         r"(\.rels)?$")
FORMULA_LIKE = ['=IMPORTXML("http://x","//a")', "+6281234", "-5", "@SUM(A1:A2)"]


def hasil_tab(**changes) -> OutputTab:
    fields = dict(
        name="Hasil",
        columns=[OutputColumn("NIP", width=22), OutputColumn("Nama", width=30, wrap=True),
                 OutputColumn("Nilai", "number", decimals=2), OutputColumn("Urutan", "int"),
                 OutputColumn("Capaian (%)", "percent", decimals=1),
                 OutputColumn("Tanggal", "date")],
        rows=[(NIP, "Ani Lestari", 91.254, 1, 87.5, date(2024, 12, 31)),
              ("198702152011012002", FORMULA_LIKE[0], 88.0, 2, None, None),
              ("198905052012013003", "Citra", float("nan"), 3, 70.0, date(2025, 1, 2))],
        highlight_rows=frozenset({0}),
        charts=[ChartSpec("Nilai pegawai", category_column=1, series_columns=(2, 4),
                          y_title="Nilai", x_title="Pegawai")],
    )
    fields.update(changes)
    return OutputTab(**fields)


def rekap_tab() -> OutputTab:
    units = ["Bagian Umum", "Bagian Keuangan", "Bidang Pelayanan", "Sekretariat"]
    return OutputTab(
        name="Rekap Unit",
        columns=[OutputColumn("Unit", width=28), OutputColumn("Rata-rata", "number"),
                 OutputColumn("Jumlah", "int")],
        rows=[(unit, 80.0 + k, 10 + k) for k, unit in enumerate(units)],
        title="Rekap nilai per unit kerja, tahun 2024",
        charts=[ChartSpec("Rata-rata per unit", 0, (1,), kind="bar", first_row=1, last_row=3),
                ChartSpec("Jumlah pegawai", 0, (2,), stacked=True)],
    )


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def calamine_rows(data: bytes, sheet: str) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(sheet).to_python()


def openpyxl_book(data: bytes):
    with warnings.catch_warnings():
        # openpyxl announces it drops the input tabs' x14 extensions: the reason this module exists
        warnings.simplefilter("ignore", UserWarning)
        return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def source() -> bytes:
    return clerk_workbook()


@pytest.fixture(scope="module")
def result(source) -> bytes:
    return replace_sheets(source, [hasil_tab(), rekap_tab()])


def test_every_other_part_is_byte_identical(source, result):
    before, after = parts(source), parts(result)
    replaced = {HASIL_PART, *HASIL_OWNED}
    for name, data in before.items():
        if name not in SHARED | replaced:
            assert after.get(name) == data, name
    assert all(name in before or OUTPUT_PART.match(name) for name in after)


def test_input_sheet_extensions_survive(source, result):
    capaian = etree.fromstring(parts(result)[CAPAIAN_PART])
    uris = [ext.get("uri") for ext in capaian.find(f"{{{MAIN}}}extLst")]
    assert uris == ["{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}",
                    "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}"]
    assert b"<xm:f>Pengaturan!$A$2:$A$6</xm:f>" in parts(result)[CAPAIAN_PART]
    assert b"<xdr:sp " in parts(result)[SHAPE_DRAWING]


@pytest.mark.parametrize("name", ["xl/workbook.xml", "xl/styles.xml"])
def test_shared_parts_keep_namespaces_and_extensions(source, result, name):
    old, new = etree.fromstring(parts(source)[name]), etree.fromstring(parts(result)[name])
    mc_ignorable = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"
    assert new.get(mc_ignorable) == old.get(mc_ignorable)
    assert new.nsmap == old.nsmap
    assert etree.tostring(new.find(f"{{{MAIN}}}extLst")) == etree.tostring(
        old.find(f"{{{MAIN}}}extLst"))
    if name == "xl/styles.xml":
        fonts = new.find(f"{{{MAIN}}}fonts")
        assert fonts.get("{http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac}knownFonts")
        assert fonts.get("count") == str(len(fonts))


def test_values_read_back_with_calamine(result):
    rows = calamine_rows(result, "Hasil")
    assert rows[0] == ["NIP", "Nama", "Nilai", "Urutan", "Capaian (%)", "Tanggal"]
    assert rows[1] == [NIP, "Ani Lestari", 91.254, 1.0, 87.5, date(2024, 12, 31)]
    assert rows[2] == ["198702152011012002", FORMULA_LIKE[0], 88.0, 2.0, "", ""]
    assert rows[3][2] == ""  # NaN leaves the cell empty
    rekap = calamine_rows(result, "Rekap Unit")
    assert rekap[0][0] == "Rekap nilai per unit kerja, tahun 2024"
    assert rekap[1] == ["Unit", "Rata-rata", "Jumlah"]
    assert rekap[2] == ["Bagian Umum", 80.0, 10.0]
    assert len(rekap) == 6


def test_layout_and_formats_read_back_with_openpyxl(result):
    book = openpyxl_book(result)
    hasil, rekap = book["Hasil"], book["Rekap Unit"]
    assert (hasil.freeze_panes, rekap.freeze_panes) == ("A2", "A3")
    assert [hasil.column_dimensions[c].width for c in "ABC"] == [22, 30, 14]
    assert hasil["B2"].alignment.wrap_text and not hasil["A2"].alignment.wrap_text
    assert hasil["A1"].font.b and hasil["A1"].fill.fgColor.rgb == "FFD9E1F2"
    assert hasil["A1"].border.bottom.style == "thin"
    assert hasil["A2"].fill.fgColor.rgb == "FFC6EFCE"  # highlighted row 0
    assert hasil["A3"].fill.fill_type is None
    assert [hasil[c].number_format for c in ("C3", "D3", "E2", "F2")] == [
        "0.00", "0", '0.0"%"', "dd/mm/yyyy"]  # a percent column shows its % sign
    assert rekap["A1"].font.b and "A1:C1" in rekap.merged_cells
    assert rekap["A2"].value == "Unit"


def test_charts_point_at_their_own_sheet(result):
    book = openpyxl_book(result)
    (hasil_chart,) = book["Hasil"]._charts
    assert hasil_chart.type == "col" and hasil_chart.grouping == "clustered"
    assert [s.tx.strRef.f for s in hasil_chart.series] == ["'Hasil'!$C$1", "'Hasil'!$E$1"]
    assert hasil_chart.series[0].val.numRef.f == "'Hasil'!$C$2:$C$4"
    assert hasil_chart.series[1].cat.strRef.f == "'Hasil'!$B$2:$B$4"
    ranking, counts = book["Rekap Unit"]._charts
    assert ranking.type == "bar"
    assert ranking.series[0].cat.strRef.f == "'Rekap Unit'!$A$4:$A$6"
    assert ranking.series[0].val.numRef.f == "'Rekap Unit'!$B$4:$B$6"
    assert counts.grouping == "stacked" and counts.overlap == 100
    # below the table (and its hidden chart rows), so a tab printed one page wide keeps it readable
    assert (ranking.anchor._from.col, ranking.anchor._from.row) == (0, 7)
    assert counts.anchor._from.row > ranking.anchor._from.row


@pytest.mark.parametrize("text", [*FORMULA_LIKE, NIP, "  spasi di tepi ", "A & <B>", "_x0041_",
                                  "baris\r\nbaru"])
def test_text_stays_the_exact_string(source, text):
    tab = OutputTab("Hasil", [OutputColumn("Teks")], rows=[(text,)])
    data = replace_sheets(source, [tab])
    expected = text.replace("\r\n", "\n")
    assert calamine_rows(data, "Hasil")[1] == [expected]
    cell = openpyxl_book(data)["Hasil"]["A2"]
    assert cell.data_type == "s"
    if "_x" not in text:  # openpyxl, unlike Excel and calamine, does not decode _xHHHH_
        assert cell.value == expected


@pytest.mark.parametrize(("value", "expected"), [
    (True, "Ya"), (False, "Tidak"), (None, ""), (math.inf, ""), ("", ""),
    (123456789012345678, "123456789012345678"),  # too long for a double: kept as text
    (7, 7.0), (2.5, 2.5), (datetime(2024, 3, 1, 8, 30), datetime(2024, 3, 1, 8, 30)),
    ("bel\x07l\x00", "bell"),  # characters XML 1.0 forbids are dropped
])
def test_cell_values(source, value, expected):
    tab = OutputTab("Hasil", [OutputColumn("Nilai"), OutputColumn("Akhir")], rows=[(value, "x")])
    assert calamine_rows(replace_sheets(source, [tab]), "Hasil")[1] == [expected, "x"]


@pytest.mark.parametrize(("value", "expected"), [
    (np.int64(42), 42.0), (np.float64(1.25), 1.25), (np.float64("nan"), ""), (np.bool_(True), "Ya"),
    (pd.Timestamp("2024-05-06 07:08"), datetime(2024, 5, 6, 7, 8)), (pd.NaT, ""), (pd.NA, ""),
    (Decimal("85.5"), 85.5),
])
def test_values_pandas_hands_over(source, value, expected):
    tab = OutputTab("Hasil", [OutputColumn("Nilai"), OutputColumn("Akhir")], rows=[(value, "x")])
    assert calamine_rows(replace_sheets(source, [tab]), "Hasil")[1] == [expected, "x"]


def test_dates_follow_the_1904_date_system():
    source = repack(clerk_workbook(), "xl/workbook.xml",
                    lambda xml: xml.replace(b"<workbookPr/>", b'<workbookPr date1904="1"/>'))
    tab = OutputTab("Hasil", [OutputColumn("Tanggal", "date")],
                    rows=[(date(2024, 12, 31),), (datetime(2024, 1, 2, 3, 4),)])
    rows = calamine_rows(replace_sheets(source, [tab]), "Hasil")
    assert rows[1:] == [[date(2024, 12, 31)], [datetime(2024, 1, 2, 3, 4)]]


def test_active_output_tab_stays_selected():
    source = repack(clerk_workbook(), "xl/workbook.xml",
                    lambda xml: xml.replace(b'activeTab="0"', b'activeTab="3"'))
    data = replace_sheets(source, [hasil_tab()])
    assert b'<sheetView tabSelected="1"' in parts(data)[HASIL_PART]


@pytest.mark.parametrize(("tabs", "message"), [
    ([OutputTab("Hasil/2024", [])], "invalid Excel sheet name"),
    ([OutputTab("x" * 32, [])], "invalid Excel sheet name"),
    ([OutputTab("Hasil", []), OutputTab("HASIL", [])], "duplicate output tab"),
    ([OutputTab("Hasil", [OutputColumn("A")], rows=[(1, 2)])], "row 0 has 2 values"),
    ([OutputTab("Hasil", [OutputColumn("A")], charts=[ChartSpec("G", 0, (1,))])],
     "refers to a column"),
])
def test_malformed_tabs_are_programming_errors(source, tabs, message):
    with pytest.raises(ValueError, match=message):
        replace_sheets(source, tabs)


def test_empty_tab(source):
    data = replace_sheets(source, [hasil_tab(rows=[], highlight_rows=frozenset())])
    assert calamine_rows(data, "Hasil") == [["NIP", "Nama", "Nilai", "Urutan", "Capaian (%)",
                                             "Tanggal"]]
    assert "xl/charts/chart1.xml" not in parts(data)  # a chart over no rows is left out


def test_second_run_changes_nothing(result):
    tabs = [hasil_tab(), rekap_tab()]
    again = replace_sheets(result, tabs)
    assert parts(again) == parts(result)
    assert again == result


def test_replacing_existing_tab_keeps_workbook_xml_and_drops_old_parts(source):
    data = replace_sheets(source, [hasil_tab(charts=[])])
    before, after = parts(source), parts(data)
    # workbook.xml only gains the output tab's print titles (the header row repeated on every page)
    sheets = rb"<sheets>.*</sheets>"
    assert re.search(sheets, after["xl/workbook.xml"])[0] == re.search(sheets, before["xl/workbook.xml"])[0]
    assert b"_xlnm.Print_Titles" in after["xl/workbook.xml"]
    assert parts(replace_sheets(data, [hasil_tab(charts=[])]))["xl/workbook.xml"] == after["xl/workbook.xml"]
    assert after["xl/_rels/workbook.xml.rels"] == before["xl/_rels/workbook.xml.rels"]
    assert not any(name in after for name in HASIL_OWNED)
    assert b"/xl/charts/chart1.xml" not in after["[Content_Types].xml"]
    assert b"<drawing" not in after[HASIL_PART]
    assert calamine_rows(data, "Hasil")[1][0] == NIP


def test_new_chart_replaces_old_one(source, result):
    old_chart = parts(source)["xl/charts/chart1.xml"]
    new_chart = parts(result)["xl/charts/chart1.xml"]
    assert b"'Hasil'!$C$2:$C$4" in new_chart and new_chart != old_chart
    assert "xl/comments/comment1.xml" not in parts(result)


def test_new_tab_is_appended(source, result):
    sheets = etree.fromstring(parts(result)["xl/workbook.xml"]).find(f"{{{MAIN}}}sheets")
    last = sheets[-1]
    assert [s.get("name") for s in sheets] == ["Pengaturan", "Pegawai", "Capaian", "Hasil",
                                               "Rekap Unit"]
    assert last.get("sheetId") == "5"
    rid = last.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    rels = etree.fromstring(parts(result)["xl/_rels/workbook.xml.rels"])
    (rel,) = [r for r in rels if r.get("Id") == rid]
    assert rel.get("Target") == "worksheets/sheet5.xml"
    assert b'PartName="/xl/worksheets/sheet5.xml"' in parts(result)["[Content_Types].xml"]


def test_package_is_consistent(result):
    """Every relationship target exists and every part has a content type."""
    found = parts(result)
    types = etree.fromstring(found["[Content_Types].xml"])
    overrides = {el.get("PartName")[1:] for el in types if el.get("PartName")}
    defaults = {el.get("Extension") for el in types if el.get("Extension")}
    assert overrides <= set(found)
    assert all(name in overrides or name.rsplit(".", 1)[-1] in defaults for name in found)
    for name in found:
        if name.endswith(".rels"):
            source = name.replace("_rels/", "")[: -len(".rels")]
            for rel in etree.fromstring(found[name]):
                target = rel.get("Target")
                if rel.get("TargetMode") != "External":
                    path = target[1:] if target.startswith("/") else _join(source, target)
                    assert path in found, (name, target)


def _join(source: str, target: str) -> str:
    import posixpath

    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def test_sheet_name_matches_case_insensitively():
    source = clerk_workbook(hasil_title="hasil")
    data = replace_sheets(source, [hasil_tab()])
    names = CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names
    assert names == ["Pengaturan", "Pegawai", "Capaian", "hasil"]
    assert b"'hasil'!$C$2:$C$4" in parts(data)["xl/charts/chart1.xml"]


def test_calc_chain_listing_output_sheet_is_dropped():
    data = replace_sheets(clerk_workbook(calc_chain_sheet_ids=(3, 4)), [hasil_tab()])
    found = parts(data)
    assert "xl/calcChain.xml" not in found
    assert b"calcChain" not in found["xl/_rels/workbook.xml.rels"]
    assert b"calcChain" not in found["[Content_Types].xml"]


def test_calc_chain_of_input_sheets_is_kept():
    source = clerk_workbook(calc_chain_sheet_ids=(2, 3))
    data = replace_sheets(source, [hasil_tab()])
    assert parts(data)["xl/calcChain.xml"] == parts(source)["xl/calcChain.xml"]


def test_missing_styles_part_is_created():
    data = replace_sheets(clerk_workbook(styles=False), [hasil_tab()])
    assert b"/styles" in parts(data)["xl/_rels/workbook.xml.rels"]
    assert openpyxl_book(data)["Hasil"]["A1"].font.b


def test_chart_sheet_with_output_name_is_refused():
    source = clerk_workbook(chart_sheet="Peringkat")
    with pytest.raises(OutputTabBlocked, match='Tab "Peringkat" bukan lembar kerja biasa'):
        replace_sheets(source, [OutputTab("Peringkat", [OutputColumn("Nama")])])


def _zip_without_workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    return buf.getvalue()


@pytest.mark.parametrize(("data", "message"), [
    (b"bukan zip sama sekali", "bukan arsip .xlsx"),
    (b"", "bukan arsip .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "dilindungi kata sandi"),
    (_zip_without_workbook(), "xl/workbook.xml tidak ada"),
])
def test_unreadable_bytes(data, message):
    with pytest.raises(WorkbookUnreadable, match=message) as caught:
        replace_sheets(data, [hasil_tab()])
    assert isinstance(caught.value, SyncError)
    assert "simpan ulang" in str(caught.value).lower()


def test_truncated_file(source):
    with pytest.raises(WorkbookUnreadable):
        replace_sheets(source[: len(source) // 2], [hasil_tab()])


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_damaged_part_read_from_the_original_is_refused(source, compression):
    """A part the write reads (here xl/workbook.xml) is decompressed straight from the original's bytes:
    a damaged one is refused as `ZipFile.read` would, with the size and CRC checked."""
    with zipfile.ZipFile(io.BytesIO(source)) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data, compress_type=compression)
    damaged = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(damaged))) as zf:
        info = zf.getinfo("xl/workbook.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    if compression == zipfile.ZIP_STORED:  # still well-formed XML: only the CRC tells
        at = bytes(damaged).index(b' name="', start) + len(b' name="')
        damaged[at] = ord("Q")
    else:
        damaged[start + info.compress_size // 2] ^= 0x55
    assert replace_sheets(buf.getvalue(), [hasil_tab()])  # undamaged, it is written
    with pytest.raises(WorkbookUnreadable, match="simpan ulang"):
        replace_sheets(bytes(damaged), [hasil_tab()])


def test_a_part_whose_local_header_names_another_part_is_refused(source):
    """As `ZipFile.read` refuses it ("File name in directory … and header … differ")."""
    with zipfile.ZipFile(io.BytesIO(source)) as zf:
        info = zf.getinfo("xl/workbook.xml")
    damaged = bytearray(source)
    at = info.header_offset + 30
    assert damaged[at:at + len("xl/workbook.xml")] == b"xl/workbook.xml"
    damaged[at + 3] = ord("W")  # xl/Workbook.xml: the same length, another name
    with pytest.raises(WorkbookUnreadable, match="simpan ulang"):
        replace_sheets(bytes(damaged), [hasil_tab()])


def test_a_chart_spec_holding_a_list_makes_the_chart_a_tuple_makes(source):
    """Chart parts are kept per spec once made; a spec with a list (no cache key) is made all the same."""
    import dataclasses

    tab = rekap_tab()
    listed = dataclasses.replace(tab, charts=[dataclasses.replace(c, series_columns=list(c.series_columns))
                                              for c in tab.charts])
    made, again = parts(replace_sheets(source, [tab])), parts(replace_sheets(source, [listed]))
    charts = sorted(name for name in made if name.startswith("xl/charts/"))
    assert charts and [made[n] for n in charts] == [again[n] for n in charts]


def test_big_tab_timing(source):
    """120,000 x 19 cells (the largest Hasil we expect); prints the time, asserts none."""
    columns = [OutputColumn(f"Kolom {j}", "number" if j % 2 else "text") for j in range(19)]
    rows = [tuple(f"{NIP[:-6]}{i:06d}" if j == 0 else (i * 0.5 if j % 2 else f"Unit {i % 40}")
                  for j in range(19)) for i in range(120_000)]
    start = time.perf_counter()
    data = replace_sheets(source, [OutputTab("Hasil", columns, rows)])
    print(f"\n120,000 x 19 cells: {time.perf_counter() - start:.2f} s, {len(data) / 1e6:.1f} MB")
    assert b'<dimension ref="A1:S120001"/>' in parts(data)[HASIL_PART]


@pytest.mark.parametrize(("kind", "category_title", "value_title"), [
    ("bar", "Unit", "Jumlah pegawai"),  # horizontal bars: values run along the bottom
    ("column", "Jumlah pegawai", "Unit"),
])
def test_axis_titles_follow_where_the_axis_is_drawn(source, kind, category_title, value_title):
    tab = OutputTab("Hasil", [OutputColumn("Unit"), OutputColumn("Jumlah", "int")], [("A", 1), ("B", 2)],
                    charts=[ChartSpec("G", 0, (1,), kind=kind, x_title="Jumlah pegawai", y_title="Unit")])
    (chart,) = openpyxl_book(replace_sheets(source, [tab]))["Hasil"]._charts
    # openpyxl: x_axis is the category axis, y_axis the value axis.
    assert chart.x_axis.title.tx.rich.p[0].r[0].t == category_title
    assert chart.y_axis.title.tx.rich.p[0].r[0].t == value_title
