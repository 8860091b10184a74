"""The `Pengaduan` tab in the .xlsx template and on a provisioned Google Sheet, and its contract."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from click.testing import CliRunner

from sheet_templates import complaints, guide
from sheet_templates.xlsx import build_template
from sync.cli.main import cli
from sync.complaints import cells
from tests.fakes.gsheet_fixtures import KEY
from tests.sync.complaints.test_complaints_pipeline import BAD, _survey, _tabs

LABELS = ["ID Respons", "Waktu", "Unit Layanan", "Jenis Layanan", "NIP Petugas", "Nama Petugas",
          "Unsur Bermasalah", "Saran", "Batas Waktu",
          "Status", "Tindakan", "Tanggal Selesai", "Ditangani Oleh"]
LAST = 2 + complaints.SPARE_ROWS


def test_the_contract_names_thirteen_columns_and_who_owns_them():
    assert [c.label for c in complaints.COMPLAINTS.columns] == LABELS
    assert [c.label for c in complaints.SERVICE_COLUMNS] == LABELS[:9]
    assert [c.label for c in complaints.SUPERVISOR_COLUMNS] == LABELS[9:]
    assert complaints.COMPLAINTS.column("status").labels == ("Baru", "Diproses", "Selesai")
    # the tab's reader and writer spell nothing themselves
    assert cells.COLUMNS == tuple(LABELS) and cells.SUPERVISOR_LABELS == tuple(LABELS[9:])
    assert cells.STATUS_LABELS == {"new": "Baru", "in_progress": "Diproses", "done": "Selesai"}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "template.xlsx"
    build_template(path)
    return openpyxl.load_workbook(path)


def test_the_template_has_the_tab_between_the_input_and_the_output_tabs(template):
    names = template.sheetnames
    assert names.index("Kehadiran") < names.index("Pengaduan") < names.index("Hasil")
    sheet = template["Pengaduan"]
    assert [c.value for c in sheet[2]] == LABELS
    assert sheet["A1"].value.startswith("Pengaduan: belum ada pengaduan")
    assert sheet.freeze_panes == "A3"


def test_the_template_protects_the_services_columns_and_opens_the_supervisors(template):
    sheet = template["Pengaduan"]
    assert sheet.protection.sheet and sheet.protection.password is None
    for j, label in enumerate(LABELS, start=1):
        letter = openpyxl.utils.get_column_letter(j)
        assert sheet.column_dimensions[letter].protection.locked is (label not in LABELS[9:]), label
    assert all(sheet[2][j].protection.locked for j in range(13))  # the header is not typed over
    assert not sheet.row_dimensions[3].protection.locked  # rows below: a complaint typed by hand
    assert not sheet.row_dimensions[LAST].protection.locked


def test_the_template_has_the_status_dropdown_and_the_red_rule(template):
    sheet = template["Pengaduan"]
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == '"Baru,Diproses,Selesai"' and str(validation.sqref) == f"J3:J{LAST}"
    [area] = list(sheet.conditional_formatting)
    assert str(area.sqref) == f"A3:M{LAST}"
    assert area.rules[0].formula == ['AND($I3<>"",$I3<TODAY(),$J3<>"Selesai")']
    assert area.rules[0].dxf.fill.bgColor.rgb == "FF" + complaints.OVERDUE_FILL


def test_a_template_scored_gets_its_complaints(tmp_path):
    from sync import pipeline
    from sync.sources.excel.source import ExcelSource

    path = tmp_path / "t.xlsx"
    build_template(path, settings={"org_name": "Dinas Contoh", "year": 2026})
    book = openpyxl.load_workbook(path)
    for row in _tabs(_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD))["Pegawai"][1:]:
        book["Pegawai"].append(row)
    book["Survei"].append(_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD))
    book.save(path)
    pipeline.score(ExcelSource(path), now=dt.datetime(2026, 3, 20, 9))
    sheet = openpyxl.load_workbook(path)["Pengaduan"]
    assert sheet["A3"].value == "R-1" and sheet["J3"].value == "Baru"


# --- the Petunjuk -------------------------------------------------------------------------------


def test_the_guide_tells_the_supervisor_what_to_fill_and_what_a_late_row_means():
    text = guide.guide_text()
    start = text.index("Tab Pengaduan (ditulis bersama")
    section = text[start:text.index("\n\n", start)]
    for label in LABELS[9:]:
        assert label in section
    assert "merah" in section and "Terlambat" in section and "Rekap Unit" in section and "Hasil" in section
    assert "Baru, Diproses, Selesai" in section and "Ambang Pengaduan" in section
    assert "Pengaduan" in text[:text.index("Rutinitas")]  # named among the tabs at the top


# --- Google Sheets: kinerja provision -------------------------------------------------------------


def test_provision_lays_the_shared_tab_and_a_second_run_changes_nothing(fake):
    fake.create(KEY, {"Sheet1": []})
    first = CliRunner().invoke(cli, ["provision", f"gsheet:{KEY}", "--instansi", "Dinas Sosial",
                                     "--tahun", "2026"])
    assert first.exit_code == 0, first.output
    sheet = fake.books[KEY].by_title("Pengaduan")
    assert fake.values(KEY, "Pengaduan")[1] == LABELS
    [protection] = sheet.protected
    assert protection["warningOnly"]
    opened = sorted((r.get("startRowIndex"), r.get("startColumnIndex", -1), r.get("endColumnIndex", -1))
                    for r in protection["unprotectedRanges"])
    assert opened == [(2, -1, -1), (2, 9, 13)]  # every row below the header, J:M too
    rule = fake.cell(KEY, "Pengaduan", f"J{LAST}")["dataValidation"]
    assert [v["userEnteredValue"] for v in rule["condition"]["values"]] == ["Baru", "Diproses", "Selesai"]
    [conditional] = sheet.conditional
    assert conditional["booleanRule"]["condition"]["values"][0]["userEnteredValue"] == (
        '=AND($I3<>"",$I3<TODAY(),$J3<>"Selesai")')
    fake.calls.clear()
    second = CliRunner().invoke(cli, ["provision", f"gsheet:{KEY}"])
    assert second.exit_code == 0 and "batchUpdate" not in fake.calls


def test_a_provisioned_sheet_scored_keeps_one_rule_and_three_requests(fake):
    fake.create(KEY, {"Sheet1": []})
    assert CliRunner().invoke(cli, ["provision", f"gsheet:{KEY}", "--instansi", "Dinas Sosial",
                                    "--tahun", "2026"]).exit_code == 0
    book = fake.books[KEY]
    for title, rows in _tabs(_survey("R-1", dt.datetime(2026, 3, 13, 10, 0), BAD)).items():
        if title == "Pengaturan":
            continue
        sheet = book.by_title(title)
        fresh = fake.sheet(title, rows, grid=(sheet.rows, sheet.columns))
        sheet.cells = fresh.cells
    fake.calls.clear()
    result = CliRunner().invoke(cli, ["score", f"gsheet:{KEY}"])
    assert result.exit_code in (0, 1), result.output
    assert fake.sheets_requests() <= 3
    sheet = book.by_title("Pengaduan") if fake.books[KEY] is book else fake.books[KEY].by_title("Pengaduan")
    assert fake.values(KEY, "Pengaduan")[2][0] == "R-1"
    assert len(sheet.conditional) == 1 and len(sheet.protected) == 1
