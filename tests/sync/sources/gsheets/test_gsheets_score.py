"""`kinerja score` on a Google Sheet: three requests, the same result tabs as Excel, robust to 429/503."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from sheet_templates import results
from sync import pipeline
from sync.cli.main import cli
from sync.demo.build import demo_data, demo_settings
from sync.demo.sample import write_demo_workbook
from sync.errors import GSheetUnavailable
from sync.sources import open_source
from sync.sources.excel.source import ExcelSource
from sync.sources.gsheets.staging import STAGING_PREFIX, body_size
from tests.fakes.gsheet_fixtures import KEY, workbook_rows

NOW = dt.datetime(2026, 12, 31, 16, 45)
OUTPUT_TABS = [tab.label for tab in results.OUTPUT_TABS]
SMALL = {"units": 2, "employees_per_unit": 6, "months": 3, "surveys": 40}


@pytest.fixture
def demo_sheet(fake):
    """The demo workbook (small) typed into the fake Google Sheet."""
    fake.create(KEY, workbook_rows(demo_data(**SMALL), demo_settings()))
    return fake


@pytest.fixture
def excel_results(tmp_path):
    """Output tabs of the Excel run over the same data, as python-calamine reads them."""
    path = write_demo_workbook(tmp_path / "demo.xlsx", **SMALL)
    pipeline.score(ExcelSource(path), now=NOW)
    book = CalamineWorkbook.from_path(str(path))
    return {name: _normal(book.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in OUTPUT_TABS}


def sheet_results(fake) -> dict[str, list[list]]:
    return {name: _normal(fake.values(KEY, name)) for name in OUTPUT_TABS}


def _normal(rows: list[list]) -> list[list]:
    """Cells compared across sources: numbers as floats, blanks as None, no trailing blanks."""
    out = []
    for row in rows:
        cells = [None if v in ("", None) else float(v) if isinstance(v, int | float) and not isinstance(
            v, bool) else v for v in row]
        while cells and cells[-1] is None:
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


def test_score_from_the_command_line_uses_at_most_three_requests(demo_sheet):
    result = CliRunner().invoke(cli, ["score", f"gsheet:{KEY}"])
    assert result.exit_code == 0, result.output
    assert demo_sheet.sheets_requests() <= 3
    assert dict(demo_sheet.calls) == {"token": 1, "get": 1, "values.batchGet": 1, "batchUpdate": 1}
    assert "Pegawai Terbaik" in result.output or "Hasil" in result.output


def test_a_url_works_like_gsheet_key(demo_sheet):
    url = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
    result = CliRunner().invoke(cli, ["score", url])
    assert result.exit_code == 0, result.output
    assert demo_sheet.values(KEY, results.RESULTS.label)[0][0] == "Periode"


def test_result_tabs_are_identical_to_the_excel_run(demo_sheet, excel_results):
    report = pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    assert report.ok
    got = sheet_results(demo_sheet)
    for name in OUTPUT_TABS:
        assert got[name] == excel_results[name], name
    assert len(got[results.RESULTS.label]) > 10


def test_look_of_the_result_tabs(demo_sheet):
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    book = demo_sheet.books[KEY]
    hasil, validasi = book.by_title("Hasil"), book.by_title("Validasi")
    assert hasil.props["gridProperties"]["frozenRowCount"] == 1
    assert validasi.props["gridProperties"]["frozenRowCount"] == 2  # title line above the header
    header = demo_sheet.cell(KEY, "Hasil", "A1")["userEnteredFormat"]
    assert header["textFormat"]["bold"] and header["backgroundColor"]
    assert demo_sheet.cell(KEY, "Hasil", "F2")["userEnteredFormat"]["numberFormat"]["pattern"] == '0.00"%"'
    assert hasil.widths[2] == 22 * 7 + 5  # Nama: fitted to the names, Excel width 22
    assert book.by_title("Rekap Unit").charts and book.by_title("IKM").charts
    chart = book.by_title("Rekap Unit").charts[0]["spec"]["basicChart"]
    assert chart["chartType"] == "BAR" and chart["stackedType"] == "STACKED"
    assert all(p.get("warningOnly") for p in hasil.protected)
    peringkat = book.by_title("Peringkat")
    marked = [r for (r, c), cell in peringkat.cells.items()
              if r > 0 and c == 0 and "backgroundColor" in cell.get("userEnteredFormat", {})]
    best = [i for i, row in enumerate(demo_sheet.values(KEY, "Peringkat"))
            if i > 0 and len(row) == 10 and row[9].startswith("★")]
    assert sorted(marked) == best and best


def test_a_second_run_replaces_the_charts_and_keeps_one_protection(demo_sheet):
    source = open_source(f"gsheet:{KEY}")
    pipeline.score(source, now=NOW)
    first = demo_sheet.values(KEY, "Hasil")
    pipeline.score(source, now=NOW)
    book = demo_sheet.books[KEY]
    assert demo_sheet.values(KEY, "Hasil") == first
    assert len(book.by_title("Rekap Unit").charts) == 2  # predikat per unit, and the trend
    assert len(book.by_title("Hasil").protected) == 1
    assert [s.title for s in book.sheets].count("Hasil") == 1


def test_thirty_percent_of_requests_failing_still_gives_identical_results(demo_sheet, excel_results,
                                                                          clock):
    demo_sheet.fail_randomly(0.3, statuses=(429, 503), seed=45)  # 4 failures, both kinds
    demo_sheet.retry_after = 2
    pipeline.score(open_source(f"gsheet:{KEY}"), now=NOW)
    assert sorted(status for _, status in demo_sheet.log if status != 200) == [429, 429, 503, 503]
    assert sheet_results(demo_sheet) == excel_results
    waits_after_429 = [w for w in clock.sleeps if w >= 2]
    assert waits_after_429 and clock.now < 60  # Retry-After honoured, within the time budget


def test_every_request_failing_ends_with_one_clear_line_and_the_sheet_unchanged(demo_sheet):
    before = {name: demo_sheet.values(KEY, name) for name in ("Pegawai", "Pengaturan")}
    tabs_before = [s.title for s in demo_sheet.books[KEY].sheets]
    demo_sheet.fail_randomly(1.0, statuses=(503,))
    result = CliRunner().invoke(cli, ["score", f"gsheet:{KEY}"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    message = result.output.strip()
    assert message.count("\n") == 0 and message.startswith("Galat: ")
    assert "tidak tersedia (HTTP 503)" in message and "6 kali" in message and "tidak diubah" in message
    assert [s.title for s in demo_sheet.books[KEY].sheets] == tabs_before
    assert {name: demo_sheet.values(KEY, name) for name in before} == before
    assert demo_sheet.sheets_requests() == 6  # the metadata request, tried 6 times


def test_a_write_that_keeps_failing_leaves_every_tab_as_it_was(demo_sheet):
    source = open_source(f"gsheet:{KEY}")
    pipeline.score(source, now=NOW)
    book = demo_sheet.books[KEY]
    before = {s.title: dict(s.cells) for s in book.sheets}
    demo_sheet.fail_randomly(1.0, statuses=(429,), endpoints={"batchUpdate"})
    with pytest.raises(GSheetUnavailable, match="kuota Google Sheets habis"):
        pipeline.score(source, now=NOW + dt.timedelta(days=1))
    assert demo_sheet.books[KEY] is book  # no failed attempt was committed
    assert {s.title: s.cells for s in book.sheets} == before


@pytest.mark.parametrize("value", ["198503142010031002", '=IMPORTXML("http://x","//a")', "+62 811", "@a"])
def test_text_round_trips_as_text(fake, value):
    from sync.outtabs import OutputColumn, OutputTab

    fake.create(KEY, {"Sheet1": []})
    source = open_source(f"gsheet:{KEY}")
    source.write([OutputTab("Hasil", [OutputColumn("Teks")], [(value,), (198503142010031002,)])])
    cell = fake.cell(KEY, "Hasil", "A2")
    assert cell["userEnteredValue"] == {"stringValue": value}
    assert fake.values(KEY, "Hasil")[1:] == [[value], ["198503142010031002"]]  # too long for a double
    raw = source.read({"hasil"})
    assert raw.tabs["Hasil"].rows[1][0] == value


def test_an_18_digit_nip_typed_as_text_is_read_as_text(fake):
    nip = "198503142010031002"
    fake.create(KEY, {"Pegawai": [["NIP", "Nama"], [nip, "Ani"]]})
    raw = open_source(f"gsheet:{KEY}").read({"pegawai"})
    assert raw.tabs["Pegawai"].rows[1] == [nip, "Ani"]


def test_a_result_too_big_for_one_request_is_uploaded_in_parts_then_switched_at_once(demo_sheet,
                                                                                      excel_results):
    source = open_source(f"gsheet:{KEY}")
    source.max_payload = 20_000
    pipeline.score(source, now=NOW)
    *uploads, switch = demo_sheet.batches
    assert len(uploads) > 3 and all(body_size(b["requests"]) <= 20_000 for b in uploads)
    assert any("copyPaste" in r for r in switch["requests"])
    assert sheet_results(demo_sheet) == excel_results
    book = demo_sheet.books[KEY]
    assert not [s.title for s in book.sheets if s.title.startswith(STAGING_PREFIX)]
    assert book.by_title("Hasil").props["gridProperties"]["frozenRowCount"] == 1
    assert book.by_title("Rekap Unit").charts and book.by_title("Hasil").protected
    assert demo_sheet.cell(KEY, "Hasil", "A1")["userEnteredFormat"]["textFormat"]["bold"]


def test_a_failed_upload_leaves_the_visible_tabs_and_the_next_write_cleans_up(demo_sheet, excel_results):
    source = open_source(f"gsheet:{KEY}")
    pipeline.score(source, now=NOW - dt.timedelta(days=1))
    book = demo_sheet.books[KEY]
    visible = {s.title: dict(s.cells) for s in book.sheets}
    source.max_payload = 20_000
    failing = demo_sheet._failure
    demo_sheet._failure = lambda endpoint: 503 if (
        endpoint == "batchUpdate" and demo_sheet.calls["batchUpdate"] >= 3) else failing(endpoint)
    with pytest.raises(GSheetUnavailable):
        pipeline.score(source, now=NOW)
    book = demo_sheet.books[KEY]
    leftovers = [s for s in book.sheets if s.title.startswith(STAGING_PREFIX)]
    assert leftovers and all(s.props.get("hidden") for s in leftovers)  # the upload got that far
    assert {s.title: s.cells for s in book.sheets if s not in leftovers} == visible
    demo_sheet._failure = failing
    pipeline.score(source, now=NOW)
    book = demo_sheet.books[KEY]
    assert not [s for s in book.sheets if s.title.startswith(STAGING_PREFIX)]
    assert sheet_results(demo_sheet) == excel_results
