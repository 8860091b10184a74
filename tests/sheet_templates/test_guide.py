"""The Petunjuk text is generated from the schema: every tab and column is explained."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sheet_templates import guide, results, schema
from sheet_templates.guide import describe_column, format_number, guide_lines, guide_text

DOCUMENTED_TABS = (schema.SETTINGS, *schema.INPUT_TABS)
ALL_COLUMNS = [pytest.param(tab, col, id=f"{tab.name}.{col.name}")
               for tab in DOCUMENTED_TABS for col in tab.columns]


@pytest.fixture(scope="module")
def lines():
    return guide_lines()


@pytest.fixture(scope="module")
def text():
    return guide_text()


@pytest.mark.parametrize(
    "tab", [guide.GUIDE, schema.SETTINGS, *schema.INPUT_TABS, *results.OUTPUT_TABS],
    ids=lambda tab: tab.name)
def test_every_tab_is_mentioned(text, tab):
    assert tab.label in text


@pytest.mark.parametrize("tab", [*DOCUMENTED_TABS, *results.OUTPUT_TABS], ids=lambda tab: tab.name)
def test_every_tab_has_a_section_with_its_description(lines, tab):
    headings = [text for style, text in lines if style == "heading"]
    assert any(h.startswith(f"Tab {tab.label}") for h in headings)
    assert ("text", tab.description) in lines


@pytest.mark.parametrize(("tab", "col"), ALL_COLUMNS)
def test_every_column_has_its_line(lines, tab, col):
    line = describe_column(col)
    assert ("item", line) in lines
    assert line.startswith(f"{col.label} — ")
    assert ("Wajib diisi" in line) == col.required
    assert col.note in line
    for label in col.labels:
        assert label in line


@pytest.mark.parametrize(
    ("tab", "col"),
    [p for p in ALL_COLUMNS if p.values[1].required])
def test_every_required_column_is_named(text, tab, col):
    assert f"{col.label} — Wajib diisi" in text


@pytest.mark.parametrize(
    ("tab", "name", "expected"),
    [
        (schema.EMPLOYEES, "active", "Bila kosong dianggap Ya."),
        (schema.INDICATORS, "rhk_type", "Bila kosong dianggap Utama."),
        (schema.SETTINGS, "ikm_item_weight", "Pilih salah satu: 1/9; 0,111."),
        (schema.SETTINGS, "ikm_item_weight", "Bila kosong dianggap 1/9."),
        (schema.SETTINGS, "behaviour_above", "Angka 1 sampai 5. Bila kosong dianggap 4,5."),
        (schema.INDICATORS, "target", "Angka lebih dari 0."),
        (schema.BEHAVIOURS, "service", "Bilangan bulat 1 sampai 5."),
        (schema.SETTINGS, "min_responses_per_officer", "Bilangan bulat paling sedikit 1."),
    ],
)
def test_allowed_values_and_defaults_are_spelled_for_a_clerk(tab, name, expected):
    assert expected in describe_column(tab.column(name))


def test_monthly_routine_in_order(lines):
    steps = [text for style, text in lines if style == "step"]
    assert [s[:2] for s in steps] == ["1.", "2.", "3.", "4.", "5."]
    assert schema.REALISATIONS.label in steps[0] and "tanggal 5" in steps[0]
    assert schema.BEHAVIOURS.label in steps[1]
    assert "Jalankan Kinerja" in steps[2]
    assert results.VALIDATION.label in steps[3] and results.LEVEL_ERROR in steps[3]
    for tab in (results.RESULTS, results.RANKINGS, results.UNIT_SUMMARY, results.IKM):
        assert tab.label in steps[4]


@pytest.mark.parametrize(
    "fragment", ["18 angka", "85,5", "85.5", "2026-03", "jangan", "ditulis ulang"])
def test_how_to_type(text, fragment):
    assert fragment.casefold() in text.casefold()


def test_output_tabs_are_marked_do_not_type(lines):
    warning = [text for style, text in lines if style == "warning" and "Tab keluaran" in text]
    assert len(warning) == 1  # (the other warning: Pengaduan's rows turn red past Batas Waktu)
    for tab in results.OUTPUT_TABS:
        assert tab.label in warning[0]


def test_lines_are_well_formed(lines):
    assert lines[0] == ("title", f"{guide.GUIDE.label} Pengisian Workbook Kinerja")
    assert lines[-1][0] != "blank"
    for style, text in lines:
        assert style in guide.STYLES
        assert bool(text) == (style != "blank")


def test_guide_is_deterministic():
    assert guide_lines() == guide_lines()


@pytest.mark.parametrize(
    ("value", "expected"),
    [(60, "60"), (4.5, "4,5"), (120.0, "120"), (Fraction(111, 1000), "0,111"), (0, "0")],
)
def test_format_number(value, expected):
    assert format_number(value) == expected
