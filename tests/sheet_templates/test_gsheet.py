"""Provisioning a Google Sheet (pure): what is added, what is never touched, and nothing twice."""

from __future__ import annotations

import json

import pytest

from sheet_templates import gsheet, guide, results, schema
from sheet_templates import gsheet_format as fmt

SHEET1 = {"properties": {"sheetId": 0, "title": "Sheet1", "sheetType": "GRID",
                         "gridProperties": {"rowCount": 1000, "columnCount": 26}}}


def spreadsheet(*sheets: dict) -> dict:
    return {"spreadsheetId": "K", "sheets": list(sheets)}


def sheet(sheet_id: int, title: str, rows: int = 1000, columns: int = 26, frozen: int = 0,
          protected: bool = False) -> dict:
    grid = {"rowCount": rows, "columnCount": columns}
    if frozen:
        grid["frozenRowCount"] = frozen
    out = {"properties": {"sheetId": sheet_id, "title": title, "sheetType": "GRID", "gridProperties": grid}}
    if protected:
        out["protectedRanges"] = [{"protectedRangeId": 9, "range": {"sheetId": sheet_id},
                                   "warningOnly": True}]
    return out


def grid(sheet_id: int, title: str, rows: list[list], validated: dict[tuple[int, int], bool] | None = None):
    """A spreadsheets.get grid-data answer for one tab: texts/numbers and which cells have a dropdown."""
    validated = validated or {}
    height = max([len(rows), *(r + 1 for r, _ in validated)])
    row_data = []
    for r in range(height):
        row = rows[r] if r < len(rows) else []
        width = max([len(row), *(c + 1 for rr, c in validated if rr == r)])
        cells = []
        for c in range(width):
            value = row[c] if c < len(row) else None
            cell = {}
            if isinstance(value, str) and value:
                cell["userEnteredValue"] = {"stringValue": value}
            elif isinstance(value, int | float):
                cell["userEnteredValue"] = {"numberValue": value}
            if validated.get((r, c)):
                cell["dataValidation"] = {"condition": {"type": "ONE_OF_LIST"}}
            cells.append(cell)
        row_data.append({"values": cells})
    return {"properties": {"sheetId": sheet_id, "title": title}, "data": [{"rowData": row_data}]}


def kinds(plan: gsheet.Plan) -> list[str]:
    return [next(iter(r)) for r in plan.requests]


def test_an_empty_sheet_gets_every_template_tab():
    plan = gsheet.provision_requests(spreadsheet(SHEET1))
    added = [r["addSheet"]["properties"]["title"] for r in plan.requests if "addSheet" in r]
    assert added == [t.label for t in gsheet.template_tabs()]
    ids = [r["addSheet"]["properties"]["sheetId"] for r in plan.requests if "addSheet" in r]
    assert len(set(ids)) == len(ids) and 0 not in ids
    assert len(plan.changes) == len(added) and not plan.notes


def test_petunjuk_holds_the_guide_text():
    plan = gsheet.provision_requests(spreadsheet(SHEET1))
    guide_id = next(r["addSheet"]["properties"]["sheetId"] for r in plan.requests
                    if "addSheet" in r and r["addSheet"]["properties"]["title"] == "Petunjuk")
    rows = next(r["updateCells"]["rows"] for r in plan.requests
                if "updateCells" in r and r["updateCells"]["start"]["sheetId"] == guide_id)
    texts = [row["values"][0]["userEnteredValue"]["stringValue"] if row else "" for row in rows]
    assert texts == [text for _, text in guide.guide_lines()]


def test_pengaturan_has_defaults_and_the_given_settings():
    plan = gsheet.provision_requests(spreadsheet(SHEET1), settings={"org_name": "Dinas Sosial", "year": 2026})
    settings_id = fmt.free_sheet_id("Pengaturan", {0, fmt.free_sheet_id("Petunjuk", {0})})
    rows = [r["updateCells"]["rows"] for r in plan.requests
            if "updateCells" in r and r["updateCells"]["start"] == {"sheetId": settings_id, "rowIndex": 1,
                                                                    "columnIndex": 0}][0]
    table = {row["values"][0]["userEnteredValue"]["stringValue"]: row["values"][1].get("userEnteredValue")
             for row in rows}
    assert table["Nama Instansi"] == {"stringValue": "Dinas Sosial"}
    assert table["Tahun Penilaian"] == {"numberValue": 2026}
    assert table["Periode Evaluasi"] == {"stringValue": "Bulanan"}
    assert table["Bobot Unsur IKM"] == {"stringValue": "1/9"}
    assert table["Bobot Hasil Kerja (%)"] == {"numberValue": 60}


def test_dropdowns_use_the_schema_labels():
    plan = gsheet.provision_requests(spreadsheet(SHEET1))
    lists = [tuple(v["userEnteredValue"] for v in r["setDataValidation"]["rule"]["condition"]["values"])
             for r in plan.requests if "setDataValidation" in r
             and r["setDataValidation"]["rule"]["condition"]["type"] == "ONE_OF_LIST"]
    assert schema.EMPLOYEES.column("asn_type").labels in lists
    assert tuple(c.label for c in schema.RATING) in lists
    assert ("1/9", "0,111") in lists


def test_output_tabs_are_protected_with_a_warning_only():
    plan = gsheet.provision_requests(spreadsheet(SHEET1))
    protections = [r["addProtectedRange"]["protectedRange"] for r in plan.requests
                   if "addProtectedRange" in r]
    assert len(protections) == len(results.OUTPUT_TABS) + 1  # and Pengaduan's
    assert all(p["warningOnly"] and set(p["range"]) == {"sheetId"} for p in protections)
    shared = [p for p in protections if "unprotectedRanges" in p]
    assert len(shared) == 1  # only Pengaduan leaves the supervisor's columns open


def complete() -> tuple[dict, dict]:
    """Metadata and grid answer of a sheet that already follows the template."""
    sheets, data = [], []
    for i, tab in enumerate(gsheet.template_tabs(), start=1):
        head = 1 if tab is results.VALIDATION else 0
        head = 1 if tab.kind == "shared" else head  # Pengaduan: a line of counts above the header
        sheets.append(sheet(i, tab.label, frozen=head + 1 if tab.kind != "guide" else 0,
                            protected=tab.kind in ("output", "shared")))
        if tab.kind == "settings":
            rows = [["Kunci", "Nilai", "Keterangan"], *([c.label, "x", "y"] for c in tab.columns)]
            marks = {(r + 1, 1): True for r in range(len(tab.columns))}
            data.append(grid(i, tab.label, rows, marks))
        elif tab.kind == "input":
            marks = {(1, c): True for c in range(len(tab.columns))}
            data.append(grid(i, tab.label, [[c.label for c in tab.columns]], marks))
    return spreadsheet(*sheets), {"sheets": data}


def test_a_sheet_that_follows_the_template_needs_nothing():
    meta, answer = complete()
    plan = gsheet.provision_requests(meta, answer)
    assert plan.requests == [] and plan.changes == []


def test_a_partly_filled_tab_keeps_its_cells_and_gets_the_missing_headers_to_the_right():
    meta = spreadsheet(sheet(3, "pegawai", columns=4))
    rows = [["Data pegawai 2026"], ["NIP", "Nama", "", "Unit Kerja"],
            ["196711101992031001", "Ani", "", "Dinkes"]]
    plan = gsheet.provision_requests(meta, {"sheets": [grid(3, "pegawai", rows)]})
    writes = [r["updateCells"] for r in plan.requests
              if "updateCells" in r and r["updateCells"]["start"]["sheetId"] == 3]
    assert len(writes) == 1 and writes[0]["start"] == {"sheetId": 3, "rowIndex": 1, "columnIndex": 4}
    labels = [c["userEnteredValue"]["stringValue"] for c in writes[0]["rows"][0]["values"]]
    assert labels == ["Jenis ASN", "Pangkat/Golongan", "Jabatan", "NIP Atasan", "Aktif", "Kelas Jabatan",
                      "Besaran TPP (Rp)", "Jenjang Jabatan Fungsional"]
    grow = [r["updateSheetProperties"] for r in plan.requests if "updateSheetProperties" in r
            and r["updateSheetProperties"]["properties"]["sheetId"] == 3]
    assert {"columnCount": 12} in [g["properties"]["gridProperties"] for g in grow]
    assert {"frozenRowCount": 2} in [g["properties"]["gridProperties"] for g in grow]
    dropdowns = [r["setDataValidation"]["range"] for r in plan.requests if "setDataValidation" in r
                 and r["setDataValidation"]["range"]["sheetId"] == 3]
    assert all(d["startRowIndex"] == 2 for d in dropdowns)  # below the header, which is on row 2
    # Jenis ASN, Aktif and Jenjang Jabatan Fungsional; the number checks of Kelas Jabatan and Besaran TPP
    assert {d["startColumnIndex"] for d in dropdowns} == {4, 8, 9, 10, 11}


def test_missing_pengaturan_keys_go_below_the_last_row():
    meta = spreadsheet(sheet(4, "Pengaturan", rows=5, frozen=1))
    rows = [["Kunci", "Nilai"], ["Nama Instansi", "Dinas X"], ["Tahun Penilaian", 2026]]
    plan = gsheet.provision_requests(meta, {"sheets": [grid(4, "Pengaturan", rows)]})
    start = [r["updateCells"]["start"] for r in plan.requests if "updateCells" in r
             and r["updateCells"]["start"]["sheetId"] == 4]
    assert {"sheetId": 4, "rowIndex": 0, "columnIndex": 2} in start  # only the missing Keterangan header
    assert {"sheetId": 4, "rowIndex": 3, "columnIndex": 0} in start
    assert any("Pengaturan: kunci Periode Evaluasi" in line for line in plan.changes)
    assert any(r.get("updateSheetProperties", {}).get("properties", {}).get("gridProperties") ==
               {"rowCount": 3 + len(schema.SETTINGS.columns) - 2} for r in plan.requests)


def test_a_tab_without_a_recognisable_header_is_left_alone():
    meta = spreadsheet(sheet(5, "SKP"))
    plan = gsheet.provision_requests(meta, {"sheets": [grid(5, "SKP", [["sesuatu", "lain"], [1, 2]])]})
    assert not [r for r in plan.requests if json.dumps(r).count('"sheetId": 5')]
    assert plan.notes and "SKP" in plan.notes[0]


def test_probe_ranges_cover_headers_and_pengaturan():
    meta = spreadsheet(sheet(1, "Pengaturan"), sheet(2, "Rekap Unit"), sheet(3, "Penilaian Atasan"))
    assert gsheet.probe_ranges(meta) == ["'Pengaturan'!A:C", "'Penilaian Atasan'!1:11"]


def test_requests_use_only_fields_the_api_has(shared_dir):
    from tests.fakes.fake_sheets_schema import Discovery
    from tests.fakes.gsheet_fixtures import discovery

    api = Discovery(discovery(shared_dir))
    meta = spreadsheet(sheet(3, "Pegawai", columns=4), sheet(4, "Pengaturan", rows=5))
    answer = {"sheets": [grid(3, "Pegawai", [["NIP", "Nama"]]), grid(4, "Pengaturan", [["Kunci", "Nilai"]])]}
    for plan in (gsheet.provision_requests(spreadsheet(SHEET1)), gsheet.provision_requests(meta, answer)):
        api.check_body({"requests": plan.requests}, "BatchUpdateSpreadsheetRequest")


@pytest.mark.parametrize("label", [t.label for t in gsheet.template_tabs()])
def test_tab_titles_match_the_reader(label):
    from sync.parse import normalise_label

    for variant in (label, label.upper(), f" {label} ", label.replace(" ", "  ")):
        assert gsheet.normalise(variant) == normalise_label(variant)
