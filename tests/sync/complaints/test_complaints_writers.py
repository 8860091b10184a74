"""The Pengaduan tab as both writers lay it: the supervisor's columns open, Status a dropdown, late rows red.

Excel: read back with openpyxl (protection per cell, the list validation, the
conditional format with its fill in styles.xml) and a rerun changes no byte.
Google Sheets: the fake API, which checks every request against Google's
discovery document, holds the unprotected ranges, the validation and one
conditional format rule after any number of writes, within three requests.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl

from sheet_templates.complaints import COMPLAINTS, OVERDUE_FILL, SPARE_ROWS
from sync import pipeline
from sync.sources import open_source
from sync.sources.excel.source import ExcelSource
from tests.fakes.gsheet_fixtures import KEY
from tests.helpers import write_workbook
from tests.sync.complaints.test_complaints_pipeline import BAD, GOOD, NOW, _survey, _tabs

LABELS = [c.label for c in COMPLAINTS.columns]
STATUS = LABELS.index("Status")  # 0-based: J
DEADLINE = LABELS.index("Batas Waktu")  # I
OPEN = [LABELS.index(label) for label in ("Status", "Tindakan", "Tanggal Selesai", "Ditangani Oleh")]
FORMULA = 'AND($I3<>"",$I3<TODAY(),$J3<>"Selesai")'


def _workbook(tmp_path):
    surveys = (_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD, "Antrian lama"),
               _survey("R-2", dt.datetime(2026, 3, 18, 9, 0), BAD),
               _survey("R-0", dt.datetime(2026, 3, 2), GOOD))
    return write_workbook(tmp_path / "opd.xlsx", _tabs(*surveys))


# --- Excel -----------------------------------------------------------------------------------------


def test_excel_the_supervisors_cells_are_open_and_the_services_locked(tmp_path):
    path = _workbook(tmp_path)
    pipeline.score(ExcelSource(path), now=NOW)
    sheet = openpyxl.load_workbook(path)["Pengaduan"]
    assert sheet.protection.sheet
    assert [c.value for c in sheet[2]] == LABELS
    for row in (3, 4):  # the two complaints
        for j in range(len(LABELS)):
            assert sheet.cell(row, j + 1).protection.locked is (j not in OPEN), (row, LABELS[j])
    assert all(sheet.cell(r, j + 1).protection.locked for r in (1, 2) for j in range(len(LABELS)))
    raw = zipfile.ZipFile(path).read(_part(path, "Pengaduan")).decode()
    # whole columns are open: a cell typed further down takes the column's unlocked style
    styled = {int(m) - 1 for m in re.findall(r'<col min="(\d+)"[^>]* style="', raw)}
    assert styled == set(OPEN)
    # the empty rows below are open to typing (a new complaint typed by hand), in every column
    assert raw.count('customFormat="1"') == SPARE_ROWS
    assert f'<row r="{2 + 2 + SPARE_ROWS}"' in raw and f'<row r="{2 + 2 + SPARE_ROWS + 1}"' not in raw


def test_excel_status_is_a_dropdown_and_late_rows_turn_red(tmp_path):
    path = _workbook(tmp_path)
    pipeline.score(ExcelSource(path), now=NOW)
    sheet = openpyxl.load_workbook(path)["Pengaduan"]
    last = 2 + 2 + SPARE_ROWS
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"Baru,Diproses,Selesai"'
    assert str(validation.sqref) == f"J3:J{last}" and validation.showErrorMessage
    ranges = list(sheet.conditional_formatting)
    assert [str(r.sqref) for r in ranges] == [f"A3:M{last}"]
    [rule] = ranges[0].rules
    assert rule.type == "expression" and rule.formula == [FORMULA]
    assert rule.dxf.fill.bgColor.rgb == "FF" + OVERDUE_FILL


def test_excel_a_rerun_changes_no_byte(tmp_path):
    path = _workbook(tmp_path)
    pipeline.score(ExcelSource(path), now=NOW)
    before = _parts(path)
    pipeline.score(ExcelSource(path), now=NOW)
    after = _parts(path)
    assert after == before  # styles.xml included: the unlocked styles and the fill are not added twice
    assert before["xl/styles.xml"].count(b"<dxf>") == 1


def test_excel_other_output_tabs_have_no_open_cells_rules_or_spare_rows(tmp_path):
    path = _workbook(tmp_path)
    pipeline.score(ExcelSource(path), now=NOW)
    for name in ("Hasil", "Rekap Unit", "IKM", "Validasi"):
        raw = zipfile.ZipFile(path).read(_part(path, name)).decode()
        assert "conditionalFormatting" not in raw and "dataValidation" not in raw
        assert "customFormat" not in raw and " style=" not in raw


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _part(path, name: str) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    index = book.sheetnames.index(name)
    book.close()
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.findall(r'<sheet [^>]*r:id="([^"]+)"', workbook)[index]
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    target = target.group(1) or target.group(2)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


# --- Google Sheets -----------------------------------------------------------------------------------


def _sheet(fake):
    return fake.books[KEY].by_title("Pengaduan")


def test_sheets_open_ranges_dropdown_and_red_rule_within_three_requests(fake):
    fake.create(KEY, _tabs(_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD),
                           _survey("R-2", dt.datetime(2026, 3, 18, 9, 0), BAD)))
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    assert fake.sheets_requests() <= 3
    sheet = _sheet(fake)
    [protection] = sheet.protected
    assert protection["warningOnly"] and set(protection["range"]) <= {"sheetId"}
    opened = sorted((r.get("startRowIndex"), r.get("endRowIndex", -1), r.get("startColumnIndex", -1),
                     r.get("endColumnIndex", -1)) for r in protection["unprotectedRanges"])
    assert opened == [(2, -1, STATUS, STATUS + 4),  # J:M from the first complaint down
                      (4, -1, -1, -1)]  # and every column of the empty rows below
    assert sheet.rows >= 2 + 2 + SPARE_ROWS
    for row in (2, 3, 2 + 2 + SPARE_ROWS - 1):
        rule = fake.cell(KEY, "Pengaduan", f"J{row + 1}")["dataValidation"]
        assert rule["condition"]["type"] == "ONE_OF_LIST" and rule["strict"]
        assert [v["userEnteredValue"] for v in rule["condition"]["values"]] == ["Baru", "Diproses", "Selesai"]
    assert "dataValidation" not in fake.cell(KEY, "Pengaduan", "I3")
    [rule] = sheet.conditional
    assert rule["booleanRule"]["condition"] == {"type": "CUSTOM_FORMULA",
                                                "values": [{"userEnteredValue": "=" + FORMULA}]}
    [grid] = rule["ranges"]
    assert (grid["startRowIndex"], grid["startColumnIndex"], grid["endColumnIndex"]) == (2, 0, 13)
    assert grid["endRowIndex"] == 2 + 2 + SPARE_ROWS


def test_sheets_a_second_write_replaces_the_rule_and_updates_the_open_rows(fake):
    fake.create(KEY, _tabs(_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD)))
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    first = _sheet(fake).protected[0]["protectedRangeId"]
    book = fake.books[KEY]
    # a second complaint arrives in Survei (the webhook appends it), then score again
    survei = book.by_title("Survei")
    for c, value in enumerate(_survey("R-2", dt.datetime(2026, 3, 18, 9, 0), BAD)):
        from tests.fakes.fake_sheets_cells import typed_cell
        cell = typed_cell(value)
        if cell:
            survei.cells[(2, c)] = cell
    calls = fake.sheets_requests()
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    assert fake.sheets_requests() - calls <= 3
    sheet = _sheet(fake)
    assert len(sheet.conditional) == 1  # the earlier rule was deleted, not doubled
    [protection] = sheet.protected
    assert protection["protectedRangeId"] == first  # updated in place
    assert sorted(r.get("startRowIndex") for r in protection["unprotectedRanges"]) == [2, 4]
    kinds = [next(iter(r)) for r in fake.batches[-1]["requests"]]
    assert "deleteConditionalFormatRule" in kinds and "updateProtectedRange" in kinds
    calls = fake.sheets_requests()
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)  # nothing new: the protection is left alone
    kinds = [next(iter(r)) for r in fake.batches[-1]["requests"]]
    assert "updateProtectedRange" not in kinds and "addProtectedRange" not in kinds
    assert len(_sheet(fake).conditional) == 1 and fake.sheets_requests() - calls <= 3


def test_sheets_a_supervisors_own_conditional_format_is_kept(fake):
    fake.create(KEY, _tabs(_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD)))
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    sheet = _sheet(fake)
    own = {"ranges": [{"sheetId": sheet.id, "startColumnIndex": 9, "endColumnIndex": 10}],
           "booleanRule": {"condition": {"type": "TEXT_EQ", "values": [{"userEnteredValue": "Diproses"}]},
                           "format": {"backgroundColor": {"red": 1.0, "green": 1.0, "blue": 0.6}}}}
    sheet.conditional.append(own)
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    rules = _sheet(fake).conditional
    assert len(rules) == 2 and rules[1]["booleanRule"]["condition"]["type"] == "TEXT_EQ"


def test_sheets_other_output_tabs_are_written_as_before(fake):
    fake.create(KEY, _tabs(_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD)))
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    book = fake.books[KEY]
    for name in ("Hasil", "Rekap Unit", "IKM", "Validasi"):
        sheet = book.by_title(name)
        assert not sheet.conditional
        [protection] = sheet.protected
        assert "unprotectedRanges" not in protection
        assert not any("dataValidation" in cell for cell in sheet.cells.values())


def test_sheets_a_write_in_parts_lays_the_same_rules(fake):
    """A write too big for one request (staging tabs, then one switch) keeps the shared tab's rules."""
    fake.create(KEY, _tabs(_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD)))
    for _ in range(2):
        source = open_source(f"gsheet:{KEY}")
        source.max_payload = 4000
        pipeline.score(source, now=NOW)
    assert len(fake.batches) > 2  # it was uploaded in parts
    sheet = _sheet(fake)
    assert fake.values(KEY, "Pengaduan")[2][0] == "R-1"
    assert len(sheet.conditional) == 1 and len(sheet.protected) == 1
    assert sheet.protected[0]["unprotectedRanges"]
    assert fake.cell(KEY, "Pengaduan", "J3")["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"
    assert not any(s.title.startswith("Kinerja sementara") for s in fake.books[KEY].sheets)
