"""Absurd numbers, formulas without results, doubled tabs and domain slips (issues 11 and 12)."""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile

import openpyxl
import pytest

from sync import pipeline
from sync.check.checking import check_workbook
from sync.errors import WorkbookInvalid, WorkbookUnreadable
from sync.sources.excel.source import ExcelSource
from tests.sync.check.test_checking import HEAD, STAFF, base

NOW = dt.datetime(2026, 4, 2, 8, 30)
ENGLISH = re.compile(r"\b(Cannot|detect|file format|error|invalid|failed|not a|zip file)\b",
                     re.IGNORECASE)


def _check(make_workbook, tabs):
    return check_workbook(ExcelSource(make_workbook(tabs)).read())


def _found(checked):
    return [(i.level, i.tab, i.cell, i.value) for i in checked.issues]


# --- numbers that would overflow ----------------------------------------------------------------


@pytest.mark.parametrize(("tab", "row", "col", "value", "cell", "words"), [
    ("SKP", 2, 8, 1e308, "I2", "terlalu besar"),
    ("SKP", 2, 8, "1e308", "I2", "terlalu besar"),
    ("SKP", 2, 8, "1,5e300", "I2", "terlalu besar"),
    ("SKP", 2, 8, 1e-300, "I2", "terlalu kecil"),
    ("Realisasi", 2, 2, 1e300, "C2", "terlalu besar"),
    ("Realisasi", 2, 3, 1e-310, "D2", "terlalu kecil"),
    ("Perilaku", 2, 4, 1e308, "E2", "terlalu besar"),
])
def test_numbers_that_would_overflow_are_a_galat_and_scoring_stays_quiet(make_workbook, tab, row, col,
                                                                         value, cell, words):
    tabs = base()
    tabs[tab][row - 1][col] = value
    path = make_workbook(tabs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's "overflow encountered" would fail the test
        report = pipeline.score(ExcelSource(path), now=NOW)
    found = [(i.level, i.tab, i.cell) for i in report.checked.issues]
    assert ("error", tab, cell) in found
    issue = next(i for i in report.checked.issues if i.cell == cell)
    assert words in issue.problem
    assert issue.value and issue.value != "0"


def test_ordinary_large_and_small_numbers_still_read(make_workbook):
    tabs = base()
    tabs["SKP"][1][8] = 999_999_999_999_999
    tabs["Realisasi"][1][2] = 5.551115123125783e-17  # 0.1 + 0.2 - 0.3 from a clerk's formula
    checked = _check(make_workbook, tabs)
    assert _found(checked) == []


# --- Pengaturan ------------------------------------------------------------------------------


def test_a_year_out_of_range_is_called_out_of_range_not_empty(make_workbook):
    tabs = base()
    tabs["Pengaturan"][2][1] = 99999
    checked = _check(make_workbook, tabs)
    assert checked.fatal
    assert _found(checked) == [("error", "Pengaturan", "B3", "99999")]
    assert "di luar rentang" in checked.issues[0].problem
    assert "2000" in checked.issues[0].problem and "2100" in checked.issues[0].problem
    assert not any("kosong" in i.problem for i in checked.issues)
    with pytest.raises(WorkbookInvalid, match="di luar rentang"):
        pipeline.score(ExcelSource(make_workbook(tabs, name="s.xlsx")), now=NOW)


@pytest.mark.parametrize(("label", "typed", "words"), [
    ("Ambang Perilaku Di Atas Ekspektasi", "banyak", "nilai bawaan 4,5."),
    ("Potongan TL1 (%)", "x", "nilai bawaan 0,5."),
    ("Bobot Hasil Kerja (%)", 59.5, "berjumlah 99,5,"),  # + the defaults 30 and 10
    ("Bobot Hasil Kerja (%)", 59.999999, "berjumlah 99,999999,"),  # not rounded to "100"
    ("Ambang Perilaku Di Atas Ekspektasi", 5.5, "5,5 di luar rentang yang sah (1–5)"),  # typed as a number
])
def test_settings_messages_write_numbers_with_a_decimal_comma(make_workbook, label, typed, words):
    tabs = base()
    rows = tabs["Pengaturan"]
    found = [row for row in rows if row and row[0] == label]
    if found:
        found[0][1] = typed
    else:
        rows.append([label, typed])
    checked = _check(make_workbook, tabs)
    shown = " ".join(f"{i.problem} {i.fix} {i.value}" for i in checked.issues if i.tab == "Pengaturan")
    assert words in shown, shown
    assert not re.search(r"\d\.\d", shown), shown  # no decimal point anywhere in Pengaturan's messages


# --- formulas without a stored result --------------------------------------------------------------


def _with_formulas(path, cells):
    wb = openpyxl.load_workbook(path)
    for tab, ref, formula in cells:
        wb[tab][ref] = formula
    wb.save(path)  # openpyxl stores formulas without their results, like a script would
    return path


def test_a_formula_without_a_stored_result_is_named_not_called_empty(make_workbook):
    path = _with_formulas(make_workbook(base()), [
        ("SKP", "I2", "=100+20"),  # Target (required)
        ("Realisasi", "D2", "=C2*2"),  # Target Periode (optional, still a Galat: its value matters)
        ("Realisasi", "E2", '=IF(C2>5,"ok","")'),  # Kendala (free text)
    ])
    checked = check_workbook(ExcelSource(path).read())
    by_cell = {(i.tab, i.cell): i for i in checked.issues}
    for key in (("SKP", "I2"), ("Realisasi", "D2")):
        assert key in by_cell, _found(checked)
        assert "rumus tanpa nilai tersimpan" in by_cell[key].problem
        assert by_cell[key].level == "error"
    assert not any("kosong" in i.problem for i in checked.issues)


def test_a_row_of_formulas_only_is_not_skipped_as_blank(make_workbook):
    tabs = base()
    tabs["Realisasi"].append([None] * 7)
    path = _with_formulas(make_workbook(tabs), [("Realisasi", "C3", "=1+1")])
    checked = check_workbook(ExcelSource(path).read())
    row3 = {i.cell: i.problem for i in checked.issues if i.tab == "Realisasi" and i.row == 3}
    assert "rumus tanpa nilai tersimpan" in row3["C3"]
    assert "kosong" in row3["A3"]  # the Kode IKI next to it really is empty


def test_a_formula_setting_without_a_stored_result_is_named(make_workbook):
    path = _with_formulas(make_workbook(base()), [("Pengaturan", "B3", "=YEAR(TODAY())")])
    checked = check_workbook(ExcelSource(path).read())
    assert checked.fatal
    assert _found(checked) == [("error", "Pengaturan", "B3", "")]
    assert "rumus tanpa nilai tersimpan" in checked.issues[0].problem


def _sheet_with(cells_xml: str) -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
                    f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                    '<sheet name="SKP" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{pkg}"><Relationship '
                    f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        zf.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{main}"><sheetData><row r="2">'
                    f"{cells_xml}</row></sheetData><extLst><ext><x14:dataValidations "
                    'xmlns:x14="x" xmlns:xm="m"><xm:f>Pengaturan!$A$1</xm:f></x14:dataValidations>'
                    "</ext></extLst></worksheet>")
    return buffer.getvalue()


def test_formula_scan_tells_stored_results_from_missing_ones():
    from sync.sources.excel.formulas import uncached_formulas

    data = _sheet_with(
        '<c r="A2"><f>1+1</f><v>2</v></c>'  # stored result
        '<c r="B2" t="str"><f>IF(1,"","")</f><v></v></c>'  # stored empty text: a real result
        '<c r="C2"><f>1+1</f></c>'  # no result
        '<c r="D2"><f>1+1</f><v></v></c>'  # what openpyxl writes: no result
        '<c r="E2" s="3"><f t="shared" si="0"/></c>'  # a shared formula's cell, no result
        '<c r="F2"><v>7</v></c>')
    assert uncached_formulas(data) == {"SKP": {(2, 2), (2, 3), (2, 4)}}
    assert uncached_formulas(data, {"pegawai"}) == {}
    assert uncached_formulas(b"not a zip") == {}


# --- messages without English ------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"hello, this is not a workbook", b"", b"PK\x03\x04broken",
                                     b"\xd0\xcf\x11\xe0" + bytes(600)])
def test_an_unreadable_file_is_explained_in_indonesian_only(tmp_path, content):
    path = tmp_path / "w.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookUnreadable) as caught:
        ExcelSource(path).read()
    message = str(caught.value)
    assert not ENGLISH.search(message), message
    assert "simpan ulang" in message.lower()


# --- two tabs for one contract tab -------------------------------------------------------------------


def test_two_tabs_that_both_match_a_contract_tab_are_a_galat_naming_both(make_workbook):
    tabs = base()
    tabs["SKP "] = [list(tabs["SKP"][0]), ["B-1", HEAD, "Utama", "", "x", "Kuantitas", "y", "dok", 5,
                                           None, "Naik", None, None]]
    checked = _check(make_workbook, tabs)
    skp = [i for i in checked.issues if i.tab == "SKP"]
    assert [(i.level, i.cell) for i in skp] == [("error", None)]
    assert "'SKP'" in skp[0].problem and "'SKP '" in skp[0].problem
    assert checked.frames["indicators"].empty  # neither is read: reading one could be the wrong one


def test_two_pegawai_tabs_stop_the_score(make_workbook):
    tabs = base()
    tabs["PEGAWAI "] = [list(r) for r in tabs["Pegawai"]]  # Excel refuses names differing in case only
    path = make_workbook(tabs)
    with pytest.raises(WorkbookInvalid, match="'Pegawai' dan 'PEGAWAI '"):
        pipeline.score(ExcelSource(path), now=NOW)


def test_two_pengaturan_tabs_are_fatal(make_workbook):
    tabs = base()
    tabs["Pengaturan."] = [list(r) for r in tabs["Pengaturan"]]
    checked = _check(make_workbook, tabs)
    assert checked.fatal
    assert any("'Pengaturan.'" in i.problem for i in checked.issues)


# --- nothing to score ----------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["renamed", "no NIP column"])
def test_a_workbook_without_a_usable_pegawai_tab_cannot_be_scored(make_workbook, how):
    tabs = base()
    if how == "renamed":
        tabs["Pegawai lama"] = tabs.pop("Pegawai")
    else:
        tabs["Pegawai"][0][0] = "Nomor"
    path = make_workbook(tabs)
    with pytest.raises(WorkbookInvalid, match="Pegawai"):
        pipeline.score(ExcelSource(path), now=NOW)
    checked = check_workbook(ExcelSource(path).read())
    assert checked.fatal
    # One Galat about Pegawai, not one per NIP that now "is not in Pegawai".
    assert not any("tidak ada di tab Pegawai" in i.problem for i in checked.issues)


# --- domain slips --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "level"), [
    ("III/e", "error"), ("II/e", "error"), ("I/e", "error"), ("3e", "error"),
    ("Penata Muda Tk. I (III/e)", "error"), ("IV/e", None), ("III/d", None),
])
def test_a_golongan_that_does_not_exist_is_a_galat(make_workbook, typed, level):
    tabs = base()
    tabs["Pegawai"][2][3] = typed
    checked = _check(make_workbook, tabs)
    found = [(i.level, i.cell) for i in checked.issues]
    assert found == ([(level, "D3")] if level else [])
    if level:
        assert "III/a–III/d" in checked.issues[0].fix
        assert STAFF not in set(checked.frames["employees"]["nip"])


def test_validasi_shows_the_label_the_clerk_picked_not_its_code(make_workbook):
    tabs = base()
    tabs["Perilaku"][1][2] = STAFF  # rates himself ...
    tabs["Perilaku"][1][3] = "Rekan Kerja"  # ... as a peer
    checked = _check(make_workbook, tabs)
    assert _found(checked) == [("warning", "Perilaku", "D2", "Rekan Kerja")]


def test_validasi_shows_a_rounded_nip_as_excel_shows_it(make_workbook):
    tabs = base()
    tabs["Pegawai"][2][0] = 1.98503142010031e17  # 198503142010031002 typed into a number cell
    checked = _check(make_workbook, tabs)
    issue = next(i for i in checked.issues if i.cell == "A3")
    assert issue.value == "198503142010031000"  # Excel's 15 digits, not the float's ...008


def test_a_month_outside_the_year_is_shown_as_typed(make_workbook):
    tabs = base()
    tabs["Realisasi"][1][1] = "Desember 2025"
    checked = _check(make_workbook, tabs)
    assert _found(checked) == [("error", "Realisasi", "B2", "Desember 2025")]
