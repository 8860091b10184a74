"""The .xlsx template: tabs, headers, Pengaturan, dropdowns, formats, protection and data."""

from __future__ import annotations

import math
import zipfile
from fractions import Fraction

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_to_tuple
from python_calamine import CalamineWorkbook

from sheet_templates import guide, results, schema, xlsx
from sheet_templates.xlsx import build_template

NIP = "198503142010031002"
NIP_2 = "199001012015032001"
INPUT_AND_SETTINGS = (schema.SETTINGS, *schema.INPUT_TABS)
CHOICE_COLUMNS = [pytest.param(tab, col, id=f"{tab.name}.{col.name}")
                  for tab in INPUT_AND_SETTINGS for col in tab.columns if col.choices]
BOUNDED_COLUMNS = [pytest.param(tab, col, id=f"{tab.name}.{col.name}")
                   for tab in INPUT_AND_SETTINGS for col in tab.columns
                   if col.type in ("int", "number") and (col.minimum, col.maximum) != (None, None)]
TEXT_COLUMNS = [pytest.param(tab, col, id=f"{tab.name}.{col.name}")
                for tab in schema.INPUT_TABS for col in tab.columns if col.type in xlsx.TEXT_TYPES]


def _sheets(path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("blank") / "template.xlsx"
    build_template(path)
    return path


@pytest.fixture(scope="module")
def blank_wb(blank):
    return openpyxl.load_workbook(blank)


@pytest.fixture(scope="module")
def blank_cells(blank):
    return _sheets(blank)


def _anchor(tab, col) -> str:
    """The first cell a clerk types into for `col`."""
    if tab is schema.SETTINGS:
        return f"B{tab.columns.index(col) + 2}"
    return f"{get_column_letter(tab.columns.index(col) + 1)}2"


def _validation(wb, tab, col):
    ws = wb[tab.label]
    found = [dv for dv in ws.data_validations.dataValidation if _anchor(tab, col) in dv.sqref]
    assert len(found) == 1, found
    return found[0]


def _list_values(wb, formula: str) -> list[str]:
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, (min_col, min_row, max_col, max_row) = range_to_tuple(formula.replace("$", ""))
    ws = wb[sheet.strip("'")]
    return [cell.value for row in ws.iter_rows(min_row, max_row, min_col, max_col) for cell in row]


# --- tabs and headers --------------------------------------------------------------


def test_tabs_in_order(blank_wb):
    expected = [guide.GUIDE.label, schema.SETTINGS.label,
                *(t.label for t in schema.INPUT_TABS), "Pengaduan", *(t.label for t in results.OUTPUT_TABS)]
    assert blank_wb.sheetnames == expected


@pytest.mark.parametrize("tab", [*schema.INPUT_TABS, *results.OUTPUT_TABS], ids=lambda t: t.name)
def test_headers_are_exactly_the_schema(blank_cells, tab):
    rows = blank_cells[tab.label]
    header_index = 1 if tab is results.VALIDATION else 0
    assert rows[header_index] == [col.label for col in tab.columns]
    assert len(rows) == header_index + 1  # no data rows in a blank template


@pytest.mark.parametrize("tab", [*schema.INPUT_TABS, *results.OUTPUT_TABS], ids=lambda t: t.name)
def test_header_frozen_and_widths(blank_wb, tab):
    ws = blank_wb[tab.label]
    assert ws.freeze_panes == ("A3" if tab is results.VALIDATION else "A2")
    for index, col in enumerate(tab.columns, start=1):
        assert ws.column_dimensions[get_column_letter(index)].width == col.width


@pytest.mark.parametrize("tab", schema.INPUT_TABS, ids=lambda t: t.name)
def test_input_header_styled_with_notes(blank_wb, tab):
    ws = blank_wb[tab.label]
    for index, col in enumerate(tab.columns, start=1):
        cell = ws.cell(1, index)
        assert cell.font.bold and cell.fill.fill_type == "solid"
        assert (cell.comment.text if cell.comment else "") == col.note


def test_validasi_title_line(blank_cells):
    title = blank_cells[results.VALIDATION.label][0][0]
    assert title.startswith(guide.OUTPUT_NOTE)


@pytest.mark.parametrize("tab", results.OUTPUT_TABS, ids=lambda t: t.name)
def test_output_tabs_protected_grey_and_marked(blank_wb, tab):
    ws = blank_wb[tab.label]
    assert ws.protection.sheet is True
    assert ws.protection.password is None
    assert ws.sheet_properties.tabColor is not None
    header = ws.cell(2 if tab is results.VALIDATION else 1, 1)
    assert header.fill.fgColor.rgb.endswith("D9D9D9")
    assert guide.OUTPUT_NOTE in header.comment.text


@pytest.mark.parametrize("tab", INPUT_AND_SETTINGS, ids=lambda t: t.name)
def test_input_tabs_not_protected(blank_wb, tab):
    assert not blank_wb[tab.label].protection.sheet


def test_petunjuk_holds_the_guide(blank_cells):
    rows = blank_cells[guide.GUIDE.label]
    texts = [text for _, text in guide.guide_lines()]
    assert [row[0] for row in rows][: len(texts)] == texts


# --- Pengaturan ----------------------------------------------------------------------


def _settings_rows(cells) -> dict[str, object]:
    rows = cells[schema.SETTINGS.label]
    return {row[0]: (None if row[1] == "" else row[1]) for row in rows[1:]}


def test_settings_header_and_keys(blank_cells):
    rows = blank_cells[schema.SETTINGS.label]
    assert rows[0] == [schema.SETTINGS_KEY_LABEL, schema.SETTINGS_VALUE_LABEL, xlsx.NOTE_LABEL]
    assert [row[0] for row in rows[1:]] == [col.label for col in schema.SETTINGS.columns]
    notes = [guide.describe_values(col) for col in schema.SETTINGS.columns]
    assert [row[2] for row in rows[1:]] == notes


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("org_name", None),
        ("year", None),
        ("period_type", "Bulanan"),
        ("org_predikat", None),
        ("weight_work", 60),
        ("weight_behaviour", 30),
        ("weight_satisfaction", 10),
        ("behaviour_above", 4.5),
        ("behaviour_meets", 3.5),
        ("capaian_cap", 120),
        ("work_rating_method", "Mayoritas Indikator"),
        ("min_responses_per_officer", 5),
        ("ikm_item_weight", "1/9"),
    ],
)
def test_settings_defaults_as_a_clerk_types_them(blank_cells, name, expected):
    assert _settings_rows(blank_cells)[schema.SETTINGS.column(name).label] == expected


def test_settings_overrides(tmp_path):
    path = tmp_path / "t.xlsx"
    settings = {"org_name": "Dinas Kesehatan", "year": 2026, "period_type": "quarterly",
                "ikm_item_weight": Fraction(111, 1000), "org_predikat": "Baik", "weight_work": 55.5}
    build_template(path, settings=settings)
    values = _settings_rows(_sheets(path))
    label = schema.SETTINGS.column
    assert values[label("org_name").label] == "Dinas Kesehatan"
    assert values[label("year").label] == 2026
    assert values[label("period_type").label] == "Triwulanan"
    assert values[label("ikm_item_weight").label] == "0,111"
    assert values[label("org_predikat").label] == "Baik"
    assert values[label("weight_work").label] == 55.5


def test_unknown_setting_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown setting"):
        build_template(tmp_path / "t.xlsx", settings={"organisation": "x"})


@pytest.mark.parametrize("name", ["org_name", "period_type", "ikm_item_weight"])
def test_settings_text_values_are_text_formatted(blank_wb, name):
    col = schema.SETTINGS.column(name)
    cell = blank_wb[schema.SETTINGS.label][_anchor(schema.SETTINGS, col)]
    assert cell.number_format == "@"  # Excel must not turn 1/9 into a date


# --- validations and formats ------------------------------------------------------------


@pytest.mark.parametrize(("tab", "col"), CHOICE_COLUMNS)
def test_dropdown_has_exactly_the_choice_labels(blank_wb, tab, col):
    dv = _validation(blank_wb, tab, col)
    assert dv.type == "list"
    assert dv.showErrorMessage and dv.allow_blank
    assert _list_values(blank_wb, dv.formula1) == list(col.labels)


@pytest.mark.parametrize(("tab", "col"), CHOICE_COLUMNS)
def test_dropdown_covers_the_rows_clerks_fill(blank_wb, tab, col):
    dv = _validation(blank_wb, tab, col)
    if tab is not schema.SETTINGS:
        letter = _anchor(tab, col)[0]
        assert f"{letter}{xlsx.DEFAULT_ROWS + 1}" in dv.sqref


@pytest.mark.parametrize(("tab", "col"), BOUNDED_COLUMNS)
def test_number_validation_with_bounds(blank_wb, tab, col):
    dv = _validation(blank_wb, tab, col)
    assert dv.type == ("whole" if col.type == "int" else "decimal")
    bounds = [float(f) for f in (dv.formula1, dv.formula2) if f is not None]
    assert bounds == [b for b in (col.minimum, col.maximum) if b is not None]
    if col.exclusive_minimum and col.maximum is None:
        assert dv.operator == "greaterThan"


@pytest.mark.parametrize(("tab", "col"), TEXT_COLUMNS)
def test_identifier_and_month_columns_are_text_formatted(blank_wb, tab, col):
    letter = get_column_letter(tab.columns.index(col) + 1)
    assert blank_wb[tab.label].column_dimensions[letter].number_format == "@"


def test_comma_list_lives_in_hidden_petunjuk_column(blank_wb):
    dv = _validation(blank_wb, schema.SETTINGS, schema.SETTINGS.column("ikm_item_weight"))
    assert dv.formula1.startswith(f"'{guide.GUIDE.label}'!")
    assert blank_wb[guide.GUIDE.label].column_dimensions[
        get_column_letter(xlsx.LIST_COLUMN)].hidden


# --- data -------------------------------------------------------------------------------

EMPLOYEES = [
    {"nip": NIP, "name": "Siti Aminah", "asn_type": "PNS", "unit": "Sekretariat", "active": "Ya"},
    {"nip": NIP_2, "name": "Budi", "asn_type": "PPPK", "unit": "Sekretariat",
     "supervisor_nip": NIP, "position": None},
]


@pytest.mark.parametrize("as_frame", [True, False], ids=["dataframe", "list-of-dicts"])
def test_data_rows_written_as_given(tmp_path, as_frame):
    rows = pd.DataFrame(EMPLOYEES) if as_frame else EMPLOYEES
    path = tmp_path / "t.xlsx"
    build_template(path, data={"employees": rows})
    sheet = _sheets(path)[schema.EMPLOYEES.label]
    names = schema.EMPLOYEES.column_names
    expected = [[row.get(name) or "" for name in names] for row in EMPLOYEES]
    assert sheet[1:] == expected
    assert sheet[1][0] == NIP and isinstance(sheet[1][0], str)


def test_nan_numbers_and_missing_columns(tmp_path):
    frame = pd.DataFrame({"iki_code": ["A-1", "A-2"], "month": ["2026-01", "2026-02"],
                          "value": [85.5, math.nan]})
    path = tmp_path / "t.xlsx"
    build_template(path, data={"realisations": frame})
    sheet = _sheets(path)[schema.REALISATIONS.label]
    assert sheet[1][:4] == ["A-1", "2026-01", 85.5, ""]
    assert sheet[2][:3] == ["A-2", "2026-02", ""]


def test_pandas_blanks_in_list_of_dicts(tmp_path):
    rows = [{"iki_code": "A-1", "month": "2026-01", "value": pd.NA, "period_target": math.nan,
             "obstacle": pd.NaT}]
    path = tmp_path / "t.xlsx"
    build_template(path, data={"realisations": rows})
    assert _sheets(path)[schema.REALISATIONS.label][1] == ["A-1", "2026-01", "", "", "", "", ""]


@pytest.mark.parametrize("as_frame", [True, False], ids=["dataframe", "list-of-dicts"])
def test_formula_looking_text_stays_text(tmp_path, as_frame):
    rows = [{"nip": NIP, "name": "=HYPERLINK(\"x\")", "asn_type": "PNS", "unit": "+U"}]
    path = tmp_path / "t.xlsx"
    build_template(path, data={"employees": pd.DataFrame(rows) if as_frame else rows})
    cell = openpyxl.load_workbook(path)[schema.EMPLOYEES.label]["B2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"x\")"


def test_small_data_text_cells_carry_text_format(tmp_path):
    path = tmp_path / "t.xlsx"
    build_template(path, data={"employees": EMPLOYEES})
    ws = openpyxl.load_workbook(path)[schema.EMPLOYEES.label]
    assert ws["A2"].number_format == "@"
    assert ws["G2"].number_format == "@"  # NIP Atasan, blank: ready for typing
    assert ws["B2"].number_format == "General"


def test_large_data_relies_on_the_column_format(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "STYLED_CELLS_LIMIT", 1)
    monkeypatch.setattr(xlsx, "DEFAULT_ROWS", 3)
    monkeypatch.setattr(xlsx, "SPARE_ROWS", 2)
    path = tmp_path / "t.xlsx"
    build_template(path, data={"employees": EMPLOYEES})
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.EMPLOYEES.label]
    assert ws["A2"].value == NIP and ws["A2"].data_type == "s"
    assert ws["A2"].number_format == "General"
    assert ws.column_dimensions["A"].number_format == "@"
    dv = _validation(wb, schema.EMPLOYEES, schema.EMPLOYEES.column("asn_type"))
    assert "C5" in dv.sqref and "C6" not in dv.sqref  # 2 rows + 2 spare, after the header


def test_validations_extend_past_long_data(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx, "DEFAULT_ROWS", 10)
    rows = [{"iki_code": f"K-{i}", "month": "2026-01", "value": i} for i in range(50)]
    path = tmp_path / "t.xlsx"
    build_template(path, data={"realisations": rows})
    wb = openpyxl.load_workbook(path)
    dv = _validation(wb, schema.REALISATIONS, schema.REALISATIONS.column("value"))
    assert f"C{50 + xlsx.SPARE_ROWS + 1}" in dv.sqref


@pytest.mark.parametrize(
    ("data", "match"),
    [({"employes": []}, "unknown input tab"), ({"results": []}, "unknown input tab"),
     ({"employees": [{"nip": NIP, "nama": "x"}]}, "unknown column"),
     ({"employees": pd.DataFrame({"nama": ["x"]})}, "unknown column")],
)
def test_unknown_names_are_refused(tmp_path, data, match):
    with pytest.raises(ValueError, match=match):
        build_template(tmp_path / "t.xlsx", data=data)


def test_deterministic(tmp_path):
    paths = [tmp_path / "a.xlsx", tmp_path / "b.xlsx"]
    for path in paths:
        build_template(path, settings={"org_name": "Dinas", "year": 2026},
                       data={"employees": pd.DataFrame(EMPLOYEES)})
    assert _sheets(paths[0]) == _sheets(paths[1])
    parts = []
    for path in paths:
        with zipfile.ZipFile(path) as z:
            parts.append({n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"})
    assert parts[0] == parts[1]
