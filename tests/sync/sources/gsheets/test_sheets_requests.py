"""The batchUpdate requests that write output tabs (pure): ids, values, look, charts, API schema."""

from __future__ import annotations

import datetime as dt

import pytest

from sheet_templates.gsheet_format import rgb
from sync.errors import GSheetOutputBlocked
from sync.outtabs import ChartSpec, OutputColumn, OutputTab, chart_anchors
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
    chart = chart_request(spec, TAB, 5, (6, 0))["addChart"]["chart"]
    basic = chart["spec"]["basicChart"]
    assert basic["chartType"] == "BAR" and basic["series"][0]["targetAxis"] == "BOTTOM_AXIS"
    sources = basic["domains"][0]["domain"]["sourceRange"]["sources"]
    assert sources == [{"sheetId": 5, "startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0,
                        "endColumnIndex": 1},
                       {"sheetId": 5, "startRowIndex": 2, "endRowIndex": 4, "startColumnIndex": 0,
                        "endColumnIndex": 1}]
    assert basic["axis"] == [{"position": "BOTTOM_AXIS", "title": "Jumlah"}]
    anchor = chart["position"]["overlayPosition"]["anchorCell"]
    assert anchor == {"sheetId": 5, "rowIndex": 6, "columnIndex": 0}


def test_charts_go_below_the_table_where_excel_puts_them():
    requests = write_requests([TAB], EMPTY)
    (chart,) = [r["addChart"]["chart"] for r in requests if "addChart" in r]
    anchor = chart["position"]["overlayPosition"]["anchorCell"]
    assert anchor["rowIndex"] == TAB.last_row + 1 and anchor["columnIndex"] == 0
    assert anchor["rowIndex"] == chart_anchors(TAB, TAB.charts)[0][0]
    rows, _ = grid_size(TAB)
    assert rows >= anchor["rowIndex"] + 16


def test_chart_colours_axis_bounds_and_band_lines():
    data = [("Unit", "IKM", "Batas C", "Batas B"), ("A", 80.5, 65.0, 76.61), ("B", 70.0, 65.0, 76.61)]
    spec = ChartSpec("IKM", 0, (1, 2, 3), kind="column", value_min=25, value_max=100, line_series=(1, 2),
                     source="chart_data", colors=("4472C4", "D32F2F", "FB8C00"), y_title="IKM")
    tab = OutputTab("IKM", COLUMNS, [("x", 1, 2.0)], charts=[spec], chart_data=data)
    requests = write_requests([tab], EMPTY)
    chart = next(r["addChart"]["chart"] for r in requests if "addChart" in r)
    basic = chart["spec"]["basicChart"]
    assert basic["chartType"] == "COMBO"
    assert [s.get("type") for s in basic["series"]] == ["COLUMN", "LINE", "LINE"]
    assert [s["colorStyle"]["rgbColor"] for s in basic["series"]] == [
        rgb("4472C4"), rgb("D32F2F"), rgb("FB8C00")]
    (axis,) = [a for a in basic["axis"] if a["position"] == "LEFT_AXIS"]
    assert axis["viewWindowOptions"] == {"viewWindowMode": "EXPLICIT", "viewWindowMin": 25,
                                         "viewWindowMax": 100}
    assert chart["spec"]["hiddenDimensionStrategy"] == "SHOW_ALL"
    # the chart reads the hidden rows one empty row below the table
    first = tab.chart_data_row - 1
    domain = basic["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert (domain["startRowIndex"], domain["endRowIndex"]) == (first, first + len(data))
    hidden = [r["updateDimensionProperties"] for r in requests if "updateDimensionProperties" in r
              and r["updateDimensionProperties"]["range"]["dimension"] == "ROWS"]
    assert hidden == [{"range": {"sheetId": hidden[0]["range"]["sheetId"], "dimension": "ROWS",
                                 "startIndex": first, "endIndex": first + len(data)},
                       "properties": {"hiddenByUser": True}, "fields": "hiddenByUser"}]
    values = next(r["updateCells"]["rows"] for r in requests
                  if "updateCells" in r and "rows" in r["updateCells"])
    assert values[first]["values"][0]["userEnteredValue"] == {"stringValue": "Unit"}


def test_a_trend_line_per_row_over_the_header_periods():
    data = [("Unit", "2026-01", "2026-02"), ("A", 90.0, 91.0), ("B", 80.0, None)]
    spec = ChartSpec("Tren", 0, (1, 2), kind="line", source="chart_data", by_row=True, value_min=50,
                     value_max=120)
    tab = OutputTab("Rekap Unit", COLUMNS, [("x", 1, 2.0)], charts=[spec], chart_data=data)
    chart = next(r["addChart"]["chart"] for r in write_requests([tab], EMPTY) if "addChart" in r)
    basic = chart["spec"]["basicChart"]
    assert basic["chartType"] == "LINE" and "stackedType" not in basic
    first = tab.chart_data_row - 1
    horizontal = {"startColumnIndex": 0, "endColumnIndex": 3}
    assert basic["domains"][0]["domain"]["sourceRange"]["sources"][0] == {
        "sheetId": basic["domains"][0]["domain"]["sourceRange"]["sources"][0]["sheetId"],
        "startRowIndex": first, "endRowIndex": first + 1, **horizontal}
    rows = [s["series"]["sourceRange"]["sources"][0]["startRowIndex"] for s in basic["series"]]
    assert rows == [first + 1, first + 2]


def test_a_filter_on_the_header_and_data_rows():
    tab = OutputTab("Hasil", COLUMNS, [("A", 1, 2.0, "x"), ("B", 2, 3.0, "y")], autofilter=True)
    requests = write_requests([tab], EMPTY)
    (flt,) = [r["setBasicFilter"]["filter"] for r in requests if "setBasicFilter" in r]
    assert {k: v for k, v in flt["range"].items() if k != "sheetId"} == {
        "startRowIndex": 0, "endRowIndex": 3, "startColumnIndex": 0, "endColumnIndex": 4}
    assert "setBasicFilter" not in kinds(write_requests([TAB], EMPTY))


def test_percent_and_grouped_number_formats():
    columns = [OutputColumn("Capaian (%)", "percent"), OutputColumn("Populasi", "int", grouped=True)]
    tab = OutputTab("Hasil", columns, [(85.5, 32404)])
    repeats = [r["repeatCell"] for r in write_requests([tab], EMPTY) if "repeatCell" in r]
    patterns = [r["cell"]["userEnteredFormat"]["numberFormat"]["pattern"] for r in repeats
                if "numberFormat" in r["cell"]["userEnteredFormat"]]
    assert patterns == ['0.00"%"', "#,##0"]


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
    combo = ChartSpec("IKM", 0, (1, 2), kind="column", value_min=25, value_max=100, line_series=(1,),
                      source="chart_data", colors=("4472C4", "D32F2F"))
    trend = ChartSpec("Tren", 0, (1, 2), kind="line", source="chart_data", by_row=True)
    tabs = [TAB, OutputTab("Validasi", COLUMNS, [("A", 1, 2.0, dt.datetime(2026, 1, 2, 8, 30))], title="t",
                           autofilter=True),
            OutputTab("IKM", COLUMNS, [("A", 1, 2.0)], charts=[combo, trend], autofilter=True,
                      chart_data=[("U", "a", "b"), ("A", 80.0, 65.0)])]
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
