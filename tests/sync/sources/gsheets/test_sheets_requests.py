"""The batchUpdate requests that write output tabs (pure): ids, values, look, charts, API schema."""

from __future__ import annotations

import datetime as dt

import pytest

from sync.errors import GSheetOutputBlocked
from sync.outtabs import ChartSpec, OutputColumn, OutputTab
from sync.sources.gsheets.batch import chart_request, grid_size, write_requests
from sync.sources.gsheets.staging import STAGING_PREFIX, body_size, staged_requests
from tests.fakes.fake_sheets_schema import Discovery
from tests.fakes.gsheet_fixtures import discovery

COLUMNS = [OutputColumn("Unit", width=30), OutputColumn("Jumlah", "int"), OutputColumn("Nilai", "number"),
           OutputColumn("Catatan", wrap=True, width=40)]
TAB = OutputTab("Rekap Unit", COLUMNS, [("A", 3, 81.25, None), ("B", 4, float("nan"), "x"), ("C", 1, 70.0)],
                highlight_rows=frozenset({0, 1}),
                charts=[ChartSpec("Per unit", 0, (1, 2), kind="bar", stacked=True, x_title="Jumlah")])
EMPTY = {"spreadsheetId": "K", "sheets": [{"properties": {"sheetId": 0, "title": "Pegawai",
                                                          "gridProperties": {"rowCount": 1000,
                                                                             "columnCount": 26}}}]}


def existing(title: str = "Rekap Unit", charts=(11, 12), protected=False) -> dict:
    sheet = {"properties": {"sheetId": 77, "title": title, "sheetType": "GRID",
                            "gridProperties": {"rowCount": 1000, "columnCount": 26}},
             "charts": [{"chartId": c} for c in charts]}
    if protected:
        sheet["protectedRanges"] = [{"protectedRangeId": 1, "range": {"sheetId": 77}, "warningOnly": True}]
    return {"spreadsheetId": "K", "sheets": [*EMPTY["sheets"], sheet]}


def kinds(requests: list[dict]) -> list[str]:
    return [next(iter(r)) for r in requests]


def test_a_new_tab_is_added_with_an_id_the_rest_of_the_batch_uses():
    requests = write_requests([TAB], EMPTY)
    add = requests[0]["addSheet"]["properties"]
    assert add["title"] == "Rekap Unit" and add["sheetId"] not in (0, None)
    assert add["gridProperties"]["frozenRowCount"] == 1
    ids = {r["sheetId"] for r in _walk(requests[1:], "sheetId")}
    assert ids == {add["sheetId"]}
    assert kinds(requests)[-1] == "addProtectedRange"
    assert write_requests([TAB], EMPTY) == requests  # the same tab always gives the same batch


def test_an_existing_tab_loses_its_charts_is_resized_and_cleared_first():
    requests = write_requests([TAB], existing())
    assert kinds(requests)[:4] == ["deleteEmbeddedObject", "deleteEmbeddedObject", "updateSheetProperties",
                                   "updateCells"]
    assert requests[3]["updateCells"] == {"range": {"sheetId": 77}, "fields": "*"}
    grid = requests[2]["updateSheetProperties"]["properties"]["gridProperties"]
    assert (grid["rowCount"], grid["columnCount"]) == grid_size(TAB)
    assert "addProtectedRange" in kinds(requests)
    assert "addProtectedRange" not in kinds(write_requests([TAB], existing(protected=True)))


def test_existing_tabs_are_found_ignoring_case():
    requests = write_requests([TAB], existing("rekap unit"))
    assert "addSheet" not in kinds(requests)


def test_values_are_typed_and_text_is_never_a_formula():
    tab = OutputTab("Hasil", [OutputColumn("X")] * 1, [
        ("=IMPORTXML(\"http://x\",\"//a\")",), ("198503142010031002",), (198503142010031002,), (True,),
        (float("nan"),), (None,), ("",), (12,), (2.5,), (dt.date(2026, 3, 14),)])
    rows = write_requests([tab], EMPTY)[1]["updateCells"]["rows"]
    values = [r.get("values", [{}])[0].get("userEnteredValue") for r in rows[1:]]
    assert values == [{"stringValue": "=IMPORTXML(\"http://x\",\"//a\")"},
                      {"stringValue": "198503142010031002"}, {"stringValue": "198503142010031002"},
                      {"stringValue": "Ya"}, None, None, None,
                      {"numberValue": 12}, {"numberValue": 2.5}, {"numberValue": 46095}]


def test_title_line_puts_the_header_on_row_two():
    tab = OutputTab("Validasi", COLUMNS, [("A", 1)], title="Diperiksa 2026-12-31 16:45")
    requests = write_requests([tab], EMPTY)
    assert requests[0]["addSheet"]["properties"]["gridProperties"]["frozenRowCount"] == 2
    rows = requests[1]["updateCells"]["rows"]
    assert rows[0]["values"][0]["userEnteredValue"]["stringValue"].startswith("Diperiksa")
    assert rows[1]["values"][0]["userEnteredValue"]["stringValue"] == "Unit"


def test_number_formats_wrapping_widths_and_highlights():
    requests = write_requests([TAB], EMPTY)
    repeats = [r["repeatCell"] for r in requests if "repeatCell" in r]
    patterns = {r["range"]["startColumnIndex"]: r["cell"]["userEnteredFormat"].get("numberFormat", {}).get(
        "pattern") for r in repeats if r["range"].get("startRowIndex") == 1 and "numberFormat" in r["fields"]}
    assert patterns == {1: "0", 2: "0.00"}
    assert [r for r in repeats if "wrapStrategy" in r["fields"] and r["range"].get("startColumnIndex") == 3]
    highlight = [r for r in repeats if r["fields"] == "userEnteredFormat.backgroundColor"]
    assert [(h["range"]["startRowIndex"], h["range"]["endRowIndex"]) for h in highlight] == [(1, 3)]
    widths = [r["updateDimensionProperties"] for r in requests if "updateDimensionProperties" in r]
    assert widths[0]["properties"]["pixelSize"] == 30 * 7 + 5


def test_bar_chart_over_a_slice_names_series_from_the_header():
    spec = ChartSpec("Terakhir", 0, (1,), kind="bar", first_row=1, last_row=2, x_title="Jumlah")
    chart = chart_request(spec, TAB, 5, 1)["addChart"]["chart"]
    basic = chart["spec"]["basicChart"]
    assert basic["chartType"] == "BAR" and basic["series"][0]["targetAxis"] == "BOTTOM_AXIS"
    sources = basic["domains"][0]["domain"]["sourceRange"]["sources"]
    assert sources == [{"sheetId": 5, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0,
                        "endColumnIndex": 1},
                       {"sheetId": 5, "startRowIndex": 2, "endRowIndex": 4, "startColumnIndex": 0,
                        "endColumnIndex": 1}]
    assert basic["axis"] == [{"position": "BOTTOM_AXIS", "title": "Jumlah"}]
    anchor = chart["position"]["overlayPosition"]["anchorCell"]
    assert anchor == {"sheetId": 5, "rowIndex": 16, "columnIndex": 5}  # second chart, right of the data
    rows, columns = grid_size(TAB)
    assert rows >= 16 and columns >= 5 + 7


def test_a_chart_without_rows_is_left_out():
    tab = OutputTab("IKM", COLUMNS, [], charts=[ChartSpec("Kosong", 0, (1,))])
    assert "addChart" not in kinds(write_requests([tab], EMPTY))


@pytest.mark.parametrize("tab", [
    OutputTab("", COLUMNS),
    OutputTab("Hasil", COLUMNS, [("a", 1, 2, 3, 4)]),
    OutputTab("Hasil", COLUMNS, charts=[ChartSpec("x", 0, (9,))]),
])
def test_malformed_tabs_are_a_bug(tab):
    with pytest.raises(ValueError):
        write_requests([tab], EMPTY)


def test_duplicate_tabs_are_a_bug():
    with pytest.raises(ValueError, match="duplicate"):
        write_requests([TAB, OutputTab("REKAP UNIT", COLUMNS)], EMPTY)


def test_a_tab_locked_against_the_writer_is_refused():
    meta = existing()
    meta["sheets"][1]["protectedRanges"] = [{"range": {"sheetId": 77, "endRowIndex": 3},
                                             "requestingUserCanEdit": False}]
    with pytest.raises(GSheetOutputBlocked):
        write_requests([TAB], meta)


BIG = OutputTab("Hasil", COLUMNS, [(f"unit {i}", i, i / 3, "x" * 50) for i in range(400)], title="t")


def test_a_staged_upload_fits_the_limit_and_keeps_the_rows_in_order():
    uploads, switch = staged_requests([BIG], existing("Hasil"), 20_000)
    assert len(uploads) > 1 and all(body_size(batch) <= 20_000 for batch in uploads)
    parts = [r["updateCells"] for batch in uploads for r in batch
             if "updateCells" in r and "start" in r["updateCells"]]
    rows: list = []
    for part in parts:
        assert part["start"]["rowIndex"] == len(rows)
        rows.extend(part["rows"])
    whole = next(r for r in write_requests([BIG], existing("Hasil"))
                 if "updateCells" in r and "rows" in r["updateCells"])
    assert rows == whole["updateCells"]["rows"]
    assert uploads[0][0]["addSheet"]["properties"]["hidden"] is True
    assert kinds(switch)[:5] == ["deleteEmbeddedObject", "deleteEmbeddedObject", "updateSheetProperties",
                                 "updateCells", "copyPaste"]
    assert kinds(switch)[-1] == "deleteSheet"


def test_staging_tabs_left_by_a_failed_upload_are_removed_first():
    meta = existing("Hasil")
    meta["sheets"].append({"properties": {"sheetId": 999, "title": STAGING_PREFIX + "Hasil"}})
    uploads, _ = staged_requests([BIG], meta, 20_000)
    assert uploads[0][0] == {"deleteSheet": {"sheetId": 999}}
    assert uploads[0][1]["addSheet"]["properties"]["sheetId"] != 999


def test_every_request_uses_only_fields_the_api_has(shared_dir):
    api = Discovery(discovery(shared_dir))
    tabs = [TAB, OutputTab("Validasi", COLUMNS, [("A", 1, 2.0, dt.datetime(2026, 1, 2, 8, 30))], title="t")]
    for meta in (EMPTY, existing()):
        api.check_body({"requests": write_requests(tabs, meta)}, "BatchUpdateSpreadsheetRequest")
        uploads, switch = staged_requests([*tabs, BIG], meta, 20_000)
        for batch in [*uploads, switch]:
            api.check_body({"requests": batch}, "BatchUpdateSpreadsheetRequest")


def _walk(value, key):
    """Every dict inside `value` that has `key`."""
    found = []

    def visit(node):
        if isinstance(node, dict):
            if key in node:
                found.append(node)
            for item in node.values():
                visit(item)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(value)
    return found
