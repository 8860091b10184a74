"""The fake Sheets API kept honest: replaying Google's recorded exchanges, and its schema checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from tests.fakes.fake_sheets import BASE, FakeSheets
from tests.fakes.gsheet_fixtures import KEY, discovery

AUTH = {"Authorization": "Bearer test", "Content-Type": "application/json"}


def shape(value):
    """Keys and nesting of a JSON value; scalars are all alike, lists merge their items' shapes."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        merged = None
        for item in value:
            merged = _merge(merged, shape(item))
        return ["list", merged]
    return "scalar"


def _merge(a, b):
    if a is None:
        return b
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: _merge(a.get(k), b.get(k)) for k in a.keys() | b.keys()}
    if isinstance(a, list) and isinstance(b, list):
        return ["list", _merge(a[1], b[1])]
    return a


def recordings(shared: Path) -> list[Path]:
    folder = shared / "fixtures" / "sheets-api-recordings"
    return sorted(p for p in folder.glob("*.json"))


def replay(shared: Path, name: str) -> list[tuple[dict, dict, requests.Response]]:
    """Send a cassette's Sheets API requests to a fake mirroring its Drive calls: (request, recorded, got)."""
    cassette = json.loads((shared / "fixtures" / "sheets-api-recordings" / name).read_text())
    api = FakeSheets(discovery(shared))
    out = []
    ids: dict[int, int] = {}
    with api.serving():
        for interaction in cassette["interactions"]:
            request, recorded = interaction["request"], interaction["response"]
            uri = request["uri"]
            if "/drive/v3/files" in uri:
                if request["method"] == "POST":  # Drive creates the spreadsheet: so does the fake
                    created = json.loads(recorded["body"]["string"])
                    api.create(created["id"], {"Sheet1": []}, title=created["name"])
                continue
            body = request["body"]
            if body:  # ids Google chose in the recording → the ids the fake chose
                body = json.dumps(_renumber(json.loads(body), ids)).encode()
            got = requests.request(request["method"], uri, data=body, headers=AUTH)
            if got.ok and recorded["body"]["string"]:
                _learn_ids(json.loads(recorded["body"]["string"]), got.json(), ids)
            out.append((request, recorded, got))
    return out


ID_KEYS = ("sheetId", "protectedRangeId", "chartId")


def _learn_ids(recorded, got, ids: dict[int, int]) -> None:
    if isinstance(recorded, dict) and isinstance(got, dict):
        for key, value in recorded.items():
            if key in ID_KEYS and key in got:
                ids[value] = got[key]
            elif key in got:
                _learn_ids(value, got[key], ids)
    elif isinstance(recorded, list) and isinstance(got, list):
        for a, b in zip(recorded, got, strict=False):
            _learn_ids(a, b, ids)


def _renumber(value, ids: dict[int, int]):
    if isinstance(value, dict):
        return {k: ids.get(v, v) if k in ID_KEYS else _renumber(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_renumber(v, ids) for v in value]
    return value


def test_the_recordings_are_there(shared_dir):
    assert len(recordings(shared_dir)) == 20


@pytest.mark.parametrize("index", range(20))
def test_fake_answers_have_the_recorded_shapes(shared_dir, index):
    cassette = recordings(shared_dir)[index].name
    exchanges = replay(shared_dir, cassette)
    assert exchanges or "bad_json" in cassette
    for request, recorded, got in exchanges:
        where = f"{cassette}: {request['method']} {request['uri']}"
        assert got.status_code == recorded["status"]["code"], f"{where}: {got.text}"
        expected = json.loads(recorded["body"]["string"] or "null")
        assert shape(got.json()) == shape(expected), where


@pytest.mark.parametrize("cassette", [
    "WorksheetTest.test_batch_get.json", "WorksheetTest.test_batch_update.json",
    "SpreadsheetTest.test_values_get.json", "SpreadsheetTest.test_values_batch_get.json",
    "WorksheetTest.test_get_all_records_numericise_unformatted.json",
    "WorksheetTest.test_get_all_values_date_time_render_options.json",
    "WorksheetTest.test_append_row.json", "WorksheetTest.test_batch_clear.json",
])
def test_values_answers_are_exactly_the_recorded_ones(shared_dir, cassette):
    """Range echoes, trailing blanks trimmed, [] for an empty row inside, typed unformatted values."""
    for request, recorded, got in replay(shared_dir, cassette):
        if "/values" in request["uri"] and request["method"] == "GET":
            assert got.json() == json.loads(recorded["body"]["string"]), request["uri"]


def test_error_bodies_match_the_recorded_ones(shared_dir):
    exchanges = replay(shared_dir, "WorksheetTest.test_add_validation.json")
    bad = [(recorded, got) for _, recorded, got in exchanges if got.status_code == 400]
    assert bad
    for recorded, got in bad:
        assert got.json() == json.loads(recorded["body"]["string"])


@pytest.fixture
def api(shared_dir):
    fake = FakeSheets(discovery(shared_dir))
    fake.create(KEY, {"Hasil": [["a"]]})
    with fake.serving():
        yield fake


def batch(requests_: list[dict]) -> requests.Response:
    return requests.post(f"{BASE}/{KEY}:batchUpdate", json={"requests": requests_}, headers=AUTH)


@pytest.mark.parametrize(("request_", "message"), [
    ({"updateCells": {"range": {"sheetId": 0}, "fields": "*", "colour": 1}},
     'Unknown name "colour" at \'requests[0].update_cells\': Cannot find field.'),
    ({"repeatCell": {"range": {"sheetId": "0"}, "fields": "*"}},
     "Invalid value at 'requests[0].repeat_cell.range.sheet_id' (TYPE_INT32), \"0\""),
    ({"addChart": {"chart": {"spec": {"basicChart": {"chartType": "PIE"}}}}},
     "Invalid value at 'requests[0].add_chart.chart.spec.basic_chart.chart_type' (enum), \"PIE\""),
    ({"updateCells": {"rows": [{"values": [{"userEnteredValue": {"stringValue": 5}}]}], "fields": "*"}},
     "(TYPE_STRING), 5"),
    ({}, "No request set."),
    ({"repeatCell": {"range": {"sheetId": 0}, "fields": "userEnteredFormat.colour",
                     "cell": {"userEnteredFormat": {}}}},
     "Invalid field selection userEnteredFormat.colour"),
    ({"deleteEmbeddedObject": {"objectId": 99}}, "No object with id: 99"),
    ({"addSheet": {"properties": {"title": "hasil"}}}, 'A sheet with the name "hasil" already exists'),
])
def test_invalid_requests_are_rejected_like_google_does(api, request_, message):
    got = batch([request_])
    assert got.status_code == 400
    error = got.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT" and message in error["message"]


def test_unknown_query_parameters_and_masks_are_rejected(api):
    got = requests.get(f"{BASE}/{KEY}", params={"includeGridData": "false", "colour": "x"}, headers=AUTH)
    assert got.status_code == 400 and "Cannot bind query parameter" in got.json()["error"]["message"]
    got = requests.get(f"{BASE}/{KEY}", params={"fields": "sheets(properties(colour))"}, headers=AUTH)
    assert got.status_code == 400
    params = {"ranges": "Hasil", "valueRenderOption": "RAW"}
    got = requests.get(f"{BASE}/{KEY}/values:batchGet", params=params, headers=AUTH)
    assert got.status_code == 400


def test_a_failed_batch_changes_nothing(api):
    book = api.books[KEY]
    got = batch([{"addSheet": {"properties": {"title": "Baru"}}},
                 {"updateCells": {"start": {"sheetId": 0, "rowIndex": 5000}, "fields": "userEnteredValue",
                                  "rows": [{"values": [{"userEnteredValue": {"stringValue": "x"}}]}]}}])
    assert got.status_code == 400 and "exceeds grid limits" in got.json()["error"]["message"]
    assert api.books[KEY] is book and [s.title for s in book.sheets] == ["Hasil"]


def test_fields_mask_and_ranges_select_what_comes_back(api):
    got = requests.get(f"{BASE}/{KEY}", params={"fields": "sheets(properties(sheetId,title))"},
                       headers=AUTH).json()
    assert got == {"sheets": [{"properties": {"sheetId": 0, "title": "Hasil"}}]}
    got = requests.get(f"{BASE}/{KEY}", params={"ranges": "'Hasil'!A1:B2",
                                                "fields": "sheets.data.rowData.values.userEnteredValue"},
                       headers=AUTH).json()
    cell = {"userEnteredValue": {"stringValue": "a"}}
    assert got == {"sheets": [{"data": [{"rowData": [{"values": [cell]}]}]}]}


def test_failures_are_injected_and_counted(api):
    api.fail_next(429, 503)
    api.retry_after = 3
    first = requests.get(f"{BASE}/{KEY}", headers=AUTH)
    second = requests.get(f"{BASE}/{KEY}", headers=AUTH)
    third = requests.get(f"{BASE}/{KEY}", headers=AUTH)
    assert (first.status_code, second.status_code, third.status_code) == (429, 503, 200)
    assert first.headers["Retry-After"] == "3" and first.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert api.calls["get"] == 3 and api.sheets_requests() == 3


def test_user_entered_text_in_a_text_formatted_cell_stays_text(api):
    batch([{"repeatCell": {"range": {"sheetId": 0, "startColumnIndex": 1, "endColumnIndex": 2},
                           "cell": {"userEnteredFormat": {"numberFormat": {"type": "TEXT"}}},
                           "fields": "userEnteredFormat.numberFormat"}}])
    requests.put(f"{BASE}/{KEY}/values/Hasil!A2:B2", params={"valueInputOption": "USER_ENTERED"},
                 json={"values": [["2026-03", "2026-03"]]}, headers=AUTH)
    assert api.values(KEY, "Hasil")[1] == [46082, "2026-03"]  # Sheets turns 2026-03 into a date
