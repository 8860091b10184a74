"""Result tabs a supervisor can read, explain and print (issue 13): Excel and Google Sheets.

The demo workbook is scored once into an .xlsx and once into the fake Google
Sheets API; the tests read what each one holds: the Capaian IKI figures behind
every Rating Hasil Kerja, fixed predikat colours, the IKM axis and its mutu band
edges, the trend chart, filters, print settings and number formats.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import defaultdict

import pytest
from python_calamine import CalamineWorkbook

from sheet_templates import results as R
from sheet_templates.gsheet_format import rgb
from sync import pipeline
from sync.demo.build import demo_data, demo_settings
from sync.demo.sample import write_demo_workbook
from sync.sources import open_source
from sync.sources.excel.source import ExcelSource
from tests.fakes.gsheet_fixtures import KEY, workbook_rows

NOW = dt.datetime(2026, 12, 31, 16, 45)
SIZES = {"units": 3, "employees_per_unit": 6, "months": 4, "surveys": 400}
C_NS = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
PREDIKAT_HEX = [R.PREDIKAT_COLORS[code] for code, _ in R.PREDIKAT]


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    path = write_demo_workbook(tmp_path_factory.mktemp("print") / "demo.xlsx", **SIZES)
    report = pipeline.score(ExcelSource(path), now=NOW)
    return path, report


def tab_rows(path, name: str) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def records(rows: list[list]) -> list[dict]:
    header = rows[0]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(v != "" for v in row)]


def parts(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()
                if n.endswith((".xml", ".rels"))}


def sheet_part(path, name: str) -> str:
    xml = parts(path)
    book = xml["xl/workbook.xml"]
    rid = re.search(rf'<sheet [^>]*name="{re.escape(name)}"[^>]*r:id="(rId\d+)"', book).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"',
                       xml["xl/_rels/workbook.xml.rels"])
    return xml["xl/" + (target.group(1) or target.group(2)).lstrip("/").removeprefix("xl/")]


# --- Capaian IKI explains Hasil ----------------------------------------------------------------


def test_every_rating_hasil_kerja_follows_from_the_capaian_iki_rows(scored):
    path, report = scored
    above, meets = 110.0, 90.0  # the demo keeps the default thresholds and the majority rule
    indicators = records(tab_rows(path, R.CAPAIAN_IKI.label))
    by_employee = defaultdict(list)
    for row in indicators:
        by_employee[(row["Periode"], row["NIP"])].append(row)
    hasil = records(tab_rows(path, R.RESULTS.label))
    rating_label = {code: label for code, label in R.RATING_LABELS.items()}
    checked = 0
    for row in hasil:
        rows = by_employee.get((row["Periode"], row["NIP"]), [])
        assert all(r["Nama"] == row["Nama"] and r["Unit Kerja"] == row["Unit Kerja"] for r in rows)
        if row["Sumber Rating"] != "Otomatis":
            continue  # the supervisor's own word (Penilaian Atasan)
        rated = [r for r in rows if isinstance(r["Capaian (%)"], float)]
        n_above = sum(r["Capaian (%)"] >= above for r in rated)
        n_below = sum(r["Capaian (%)"] < meets for r in rated)
        main_below = any(r["Capaian (%)"] < meets and r["Jenis RHK"] == "Utama" for r in rated)
        if not rated:
            expected = ""
        elif 2 * n_below > len(rated):
            expected = rating_label["below"]
        elif 2 * n_above > len(rated) and not main_below:
            expected = rating_label["above"]
        else:
            expected = rating_label["meets"]
        assert row["Rating Hasil Kerja"] == expected, (row["Periode"], row["NIP"], rated)
        checked += 1
    assert checked > len(hasil) / 2
    assert len(indicators) == len(report.results.indicators)


def test_capaian_iki_columns_and_cumulative_figures(scored):
    path, report = scored
    rows = tab_rows(path, R.CAPAIAN_IKI.label)
    assert rows[0] == [c.label for c in R.CAPAIAN_IKI.columns]
    data = records(rows)
    assert {r["Jenis RHK"] for r in data} <= {"Utama", "Tambahan"}
    assert {r["Arah"] for r in data} <= {"Naik", "Turun"}
    assert {r["Aspek"] for r in data} <= {"Kuantitas", "Kualitas", "Waktu", "Biaya"}
    assert all(r["Status"] for r in data)
    # A Jumlah indicator's target grows with the months elapsed: cumulative from January.
    one = [r for r in data if r["Kode IKI"] == data[0]["Kode IKI"]]
    assert [r["Periode"] for r in one] == sorted(r["Periode"] for r in one)
    header = tab_rows(path, R.RESULTS.label)[0]
    assert "Capaian Hasil Kerja s.d. Periode (%)" in header and "Komponen Nilai" in header


def test_komponen_nilai_names_the_parts_of_nilai_kinerja(scored):
    path, _ = scored
    hasil = records(tab_rows(path, R.RESULTS.label))
    allowed = {"Hasil Kerja, Perilaku, IKM", "Hasil Kerja, Perilaku", "Hasil Kerja, IKM", "Hasil Kerja",
               "Perilaku, IKM", "Perilaku", "IKM", ""}
    assert {r["Komponen Nilai"] for r in hasil} <= allowed
    for r in hasil:
        assert ("IKM" in r["Komponen Nilai"].split(", ")) == isinstance(r["IKM"], float)


# --- Excel: charts ----------------------------------------------------------------------------


def charts_of(path, name: str) -> list[str]:
    xml = parts(path)
    sheet = sheet_part(path, name)
    if "<drawing " not in sheet:
        return []
    found = []
    for part, text in xml.items():
        if part.startswith("xl/charts/") and f"'{name}'!" in text:
            found.append(text)
    return found


def test_excel_predikat_chart_has_one_fixed_colour_per_predikat(scored):
    path, _ = scored
    (predikat,) = [c for c in charts_of(path, R.UNIT_SUMMARY.label) if "<barChart>" in c]
    colours = re.findall(r'<ser>.*?<a:srgbClr val="([0-9A-F]{6})"/>', predikat, re.S)
    assert colours == PREDIKAT_HEX
    assert PREDIKAT_HEX == ["1B5E20", "66BB6A", "FBC02D", "FB8C00", "D32F2F"]


def test_excel_ikm_axis_is_fixed_and_the_band_edges_are_drawn(scored):
    path, _ = scored
    (ikm,) = charts_of(path, R.IKM.label)
    assert '<max val="100"/><min val="25"/>' in ikm
    assert "<lineChart>" in ikm and ikm.count('<a:prstDash val="dash"/>') == 3
    assert '<plotVisOnly val="0"/>' in ikm  # the chart's own rows are hidden
    # the dashed lines read the three band edges from the hidden rows below the table
    rows = tab_rows(path, R.IKM.label)
    edges = [row for row in rows if row and row[0] == R.IKM.column("service_unit").label][-1]
    assert edges[2:5] == [label for label, _, _ in R.IKM_BAND_EDGES]
    values = [row[2:5] for row in rows[rows.index(edges) + 1:] if row and row[0]]
    assert values and all(v == [65.0, 76.61, 88.31] for v in values)
    hidden = re.findall(r'<row r="(\d+)" hidden="1">', sheet_part(path, R.IKM.label))
    assert len(hidden) == len(values) + 1


def test_excel_trend_chart_draws_a_line_per_unit_over_the_periods(scored):
    path, report = scored
    (trend,) = [c for c in charts_of(path, R.UNIT_SUMMARY.label) if "<lineChart>" in c]
    series = trend.count("<ser>")
    assert series == 3 + 1  # three units and the whole agency
    periods = len(report.periods)
    assert re.search(rf"<cat><strRef><f>'Rekap Unit'!\$B\$\d+:\${chr(ord('A') + periods)}\$\d+</f>", trend)
    assert '<max val="120"/><min val="50"/>' in trend


# --- Excel: print settings, filters, formats ---------------------------------------------------


@pytest.mark.parametrize("tab", [R.RESULTS, R.CAPAIAN_IKI, R.RANKINGS, R.UNIT_SUMMARY, R.IKM, R.VALIDATION],
                         ids=lambda t: t.name)
def test_excel_tabs_print_one_page_wide_with_the_header_on_every_page(scored, tab):
    path, _ = scored
    xml = sheet_part(path, tab.label)
    assert '<pageSetUpPr fitToPage="1"/>' in xml
    assert 'paperSize="9"' in xml and 'fitToWidth="1" fitToHeight="0"' in xml
    assert 'orientation="landscape"' in xml
    header = re.search(r"<oddHeader>(.*?)</oddHeader>", xml).group(1)
    assert demo_settings()["org_name"].replace("&", "&amp;&amp;") in header
    assert "&amp;A" in header and "Periode 2026-01 s.d. 2026-04" in header
    assert "Halaman &amp;P dari &amp;N" in re.search(r"<oddFooter>(.*?)</oddFooter>", xml).group(1)
    book = parts(path)["xl/workbook.xml"]
    names = re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">([^<]+)<', book)
    head = 2 if tab is R.VALIDATION else 1
    assert (f"'{tab.label}'!$1:${head}") in [value for _, value in names]
    filtered = tab.name in R.FILTERED_TABS
    assert ("<autoFilter " in xml) == filtered


def test_excel_header_and_wrapped_rows_are_tall_enough(scored):
    path, _ = scored
    xml = sheet_part(path, R.RESULTS.label)
    first = re.search(r'<row r="1"([^>]*)>', xml).group(1)
    assert 'customHeight="1"' in first  # "Capaian Hasil Kerja s.d. Periode (%)" wraps
    assert re.search(r'<row r="\d+" ht="30" customHeight="1">', xml)


def test_excel_number_formats_read_right_in_an_indonesian_excel(scored):
    path, _ = scored
    styles = parts(path)["xl/styles.xml"]
    assert 'formatCode="0.00&quot;%&quot;"' in styles
    assert 'formatCode="#,##0"' in styles


def test_a_rerun_changes_no_byte(scored, tmp_path):
    path, _ = scored
    copy = tmp_path / "again.xlsx"
    copy.write_bytes(path.read_bytes())
    pipeline.score(ExcelSource(copy), now=NOW)
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(copy) as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}


# --- Google Sheets (fake API): the same look in three requests -----------------------------------


@pytest.fixture
def sheet_book(fake):
    fake.create(KEY, workbook_rows(demo_data(**SIZES), demo_settings()))
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    assert fake.sheets_requests() <= 3
    return fake, fake.books[KEY]


def basic_charts(book, title: str) -> list[dict]:
    return [c["spec"] for c in book.by_title(title).charts]


def test_sheets_charts_have_the_same_colours_and_axis_bounds(sheet_book):
    fake, book = sheet_book
    rekap = basic_charts(book, R.UNIT_SUMMARY.label)
    predikat = next(c["basicChart"] for c in rekap if c["basicChart"]["chartType"] == "BAR")
    got = [s["colorStyle"]["rgbColor"] for s in predikat["series"]]
    assert got == [rgb(h) for h in PREDIKAT_HEX]
    trend = next(c["basicChart"] for c in rekap if c["basicChart"]["chartType"] == "LINE")
    assert len(trend["series"]) == 4
    (ikm,) = basic_charts(book, R.IKM.label)
    basic = ikm["basicChart"]
    assert basic["chartType"] == "COMBO"
    assert [s["type"] for s in basic["series"]] == ["COLUMN", "LINE", "LINE", "LINE"]
    (axis,) = [a for a in basic["axis"] if a["position"] == "LEFT_AXIS"]
    assert axis["viewWindowOptions"] == {"viewWindowMode": "EXPLICIT", "viewWindowMin": 25,
                                         "viewWindowMax": 100}
    assert ikm["hiddenDimensionStrategy"] == "SHOW_ALL"


def test_sheets_filters_formats_and_hidden_chart_rows(sheet_book):
    fake, book = sheet_book
    for tab in (R.RESULTS, R.CAPAIAN_IKI, R.RANKINGS, R.VALIDATION):
        assert book.by_title(tab.label).__dict__.get("basic_filter"), tab.label
    assert not book.by_title(R.IKM.label).__dict__.get("basic_filter")
    assert fake.cell(KEY, R.RESULTS.label, "F2")["userEnteredFormat"]["numberFormat"]["pattern"] == '0.00"%"'
    ikm = book.by_title(R.IKM.label)
    assert ikm.__dict__.get("hidden") and all(dim == "ROWS" for dim, _ in ikm.hidden)


def test_sheets_and_excel_hold_the_same_capaian_iki(sheet_book, tmp_path):
    fake, _ = sheet_book
    path = write_demo_workbook(tmp_path / "same.xlsx", **SIZES)
    pipeline.score(ExcelSource(path), now=NOW)

    def normal(rows):
        return [[None if v in ("", None) else float(v) if isinstance(v, int | float) else v for v in row]
                for row in rows if any(v not in ("", None) for v in row)]

    assert normal(fake.values(KEY, R.CAPAIAN_IKI.label)) == normal(tab_rows(path, R.CAPAIAN_IKI.label))
