"""Every tab of the template prints: A4, one page wide, header row repeated, agency and pages named."""

from __future__ import annotations

import openpyxl
import pytest

from sheet_templates import guide, results, schema
from sheet_templates.textfit import wrapped_lines
from sheet_templates.xlsx import GUIDE_WIDTH, build_template


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "t.xlsx"
    build_template(path, settings={"org_name": "Dinas A & B", "year": 2026})
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize("label", [schema.SETTINGS.label, *(t.label for t in schema.INPUT_TABS),
                                   *(t.label for t in results.OUTPUT_TABS)])
def test_every_tab_prints_one_page_wide_with_its_header_on_every_page(book, label):
    ws = book[label]
    assert ws.page_setup.paperSize in ("9", 9) and ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
    head = 2 if label == results.VALIDATION.label else 1
    assert ws.print_title_rows == f"$1:${head}"
    assert ws.oddHeader.left.text == "Dinas A && B" and ws.oddHeader.center.text == "&A"
    assert ws.oddHeader.right.text == "Tahun 2026"
    assert ws.oddFooter.right.text == "Halaman &P dari &N" and "&D" in ws.oddFooter.left.text


def test_wide_tabs_print_landscape_and_filtered_tabs_have_a_filter(book):
    assert book[results.RESULTS.label].page_setup.orientation == "landscape"
    for tab in results.OUTPUT_TABS:
        assert bool(book[tab.label].auto_filter.ref) == (tab.name in results.FILTERED_TABS)


def test_petunjuk_wraps_inside_a_portrait_page_with_rows_tall_enough(book):
    ws = book[guide.GUIDE.label]
    assert ws.page_setup.orientation == "portrait" and ws.column_dimensions["A"].width == GUIDE_WIDTH
    for row, (style, text) in enumerate(guide.guide_lines(), start=1):
        cell = ws.cell(row, 1)
        if text:
            assert cell.alignment.wrap_text
        if style in ("text", "item", "step") and wrapped_lines(text, GUIDE_WIDTH - 2) > 1:
            assert ws.row_dimensions[row].height >= 15 * wrapped_lines(text, GUIDE_WIDTH - 2) - 0.01


def test_petunjuk_says_capaian_is_cumulative_and_how_missing_months_count():
    text = guide.guide_text()
    assert "Capaian Hasil Kerja s.d. Periode (%) adalah capaian kumulatif" in text
    assert "Bulan yang belum ada realisasinya dihitung begini" in text
    assert "Komponen Nilai" in text and "Tab Capaian IKI" in text and "Mencetak" in text
