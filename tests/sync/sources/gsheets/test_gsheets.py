"""GSheetSource: reading like Excel, writing safely, opening with a service account, clear errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sync.cli.main import cli
from sync.errors import (
    GSheetCredentialsInvalid,
    GSheetNotFound,
    GSheetOutputBlocked,
    GSheetRequestRejected,
    GSheetTabMissing,
    SourceNotFound,
)
from sync.outtabs import OutputColumn, OutputTab
from sync.sources import open_source
from sync.sources.gsheets.errors import translate
from sync.sources.gsheets.source import GSheetSource, gsheet_key, open_any, open_gsheet, raw_tab
from tests.fakes.fake_sheets import make_service_account
from tests.fakes.gsheet_fixtures import EMAIL, KEY

TAB = OutputTab("Hasil", [OutputColumn("A"), OutputColumn("N", "int")], [("x", 1)])


@pytest.mark.parametrize(("location", "key"), [
    ("gsheet:1AbC-d_9", "1AbC-d_9"),
    ("https://docs.google.com/spreadsheets/d/1AbC-d_9/edit#gid=0", "1AbC-d_9"),
    ("https://docs.google.com/spreadsheets/d/1AbC-d_9", "1AbC-d_9"),
    ("https://docs.google.com/spreadsheets/u/1/d/1AbC-d_9/edit?usp=sharing", "1AbC-d_9"),
    ("docs.google.com/spreadsheets/d/1AbC-d_9/", "1AbC-d_9"),
    ("https://docs.google.com/spreadsheets/d/e/2PACX-1v/pubhtml", None),
    ("gsheet:", None),
    ("opd.xlsx", None),
    ("https://example.com/spreadsheets/d/1AbC/edit", None),
])
def test_gsheet_key(location, key):
    assert gsheet_key(location) == key


def test_raw_tab_is_what_calamine_would_deliver():
    values = [[], ["", "", ""], ["", "NIP", "Nama"], ["", "196711101992031001", "Ani", 5], [], ["", "", True]]
    tab = raw_tab("Pegawai", values)
    assert (tab.first_row, tab.first_column) == (2, 1)
    assert tab.rows == [["NIP", "Nama", ""], ["196711101992031001", "Ani", 5.0], ["", "", ""], ["", True, ""]]
    assert type(tab.rows[1][2]) is float
    assert raw_tab("Kosong", []).rows == []


def test_read_asks_only_for_the_wanted_tabs_unformatted(fake):
    fake.create(KEY, {"Pegawai": [["NIP"], ["196711101992031001"]], "Catatan": [["x"]],
                      "Survei": [["Waktu"], [__import__("datetime").datetime(2026, 3, 14, 9, 21)]]})
    raw = open_source(f"gsheet:{KEY}").read({"pegawai", "survei"})
    assert set(raw.tabs) == {"Pegawai", "Survei"}
    assert raw.meta["sheet_names"] == ["Pegawai", "Catatan", "Survei"]
    serial = raw.tabs["Survei"].rows[1][0]
    assert isinstance(serial, float) and 46095 < serial < 46096  # a serial number, read as a date later
    assert fake.calls["values.batchGet"] == 1 and fake.calls["get"] == 1


def test_read_of_a_sheet_without_the_tabs_sends_no_batch_get(fake):
    fake.create(KEY, {"Sheet1": []})
    raw = open_source(f"gsheet:{KEY}").read({"pegawai"})
    assert raw.tabs == {} and "values.batchGet" not in fake.calls


def test_check_on_an_empty_sheet_names_the_missing_tab(fake):
    fake.create(KEY, {"Sheet1": []})
    result = CliRunner().invoke(cli, ["check", f"gsheet:{KEY}"])
    assert result.exit_code == 1, result.output
    assert "Pengaturan" in result.output
    assert fake.values(KEY, "Validasi")[1][0] == "Tingkat"


def test_write_touches_only_output_tabs(fake):
    fake.create(KEY, {"Pegawai": [["NIP"], ["196711101992031001"]], "Hasil": [["lama"], ["lama"]]})
    source = open_source(f"gsheet:{KEY}")
    source.write([TAB])
    body = fake.batches[-1]
    touched = {json.dumps(r) for r in body["requests"]}
    pegawai_id = fake.books[KEY].by_title("Pegawai").id
    assert not any(f'"sheetId": {pegawai_id},' in r or f'"sheetId": {pegawai_id}}}' in r for r in touched)
    assert fake.values(KEY, "Hasil") == [["A", "N"], ["x", 1]]
    assert fake.values(KEY, "Pegawai") == [["NIP"], ["196711101992031001"]]


def test_write_rebuilds_once_when_an_output_tab_changed_meanwhile(fake):
    fake.create(KEY, {"Hasil": [["lama"]]})
    source = open_source(f"gsheet:{KEY}")
    source.read()
    book = fake.books[KEY]
    book.sheets.remove(book.by_title("Hasil"))  # a clerk deletes Hasil between read and write
    book.sheets.append(fake.sheet("Catatan", [["x"]], 1))
    source.write([TAB])
    assert [status for _, status in fake.log[-3:]] == [400, 200, 200]
    assert fake.values(KEY, "Hasil") == [["A", "N"], ["x", 1]]


def test_a_chart_sheet_with_an_output_name_is_refused_before_writing(fake):
    fake.create(KEY, {"Hasil": []})
    fake.books[KEY].sheets[0].props["sheetType"] = "OBJECT"
    with pytest.raises(GSheetOutputBlocked, match="lembar grafik"):
        open_source(f"gsheet:{KEY}").write([TAB])
    assert "batchUpdate" not in fake.calls


def test_an_output_tab_locked_against_the_account_is_refused(fake):
    fake.create(KEY, {"Hasil": []})
    fake.books[KEY].sheets[0].protected.append(
        {"protectedRangeId": 5, "range": {}, "requestingUserCanEdit": False})
    with pytest.raises(GSheetOutputBlocked, match="Tampilkan peringatan"):
        open_source(f"gsheet:{KEY}").write([TAB])


def test_403_names_the_service_account_to_share_with(fake):
    fake.create(KEY, {"Sheet1": []}, shared_with={"someone@example.com"})
    result = CliRunner().invoke(cli, ["score", f"gsheet:{KEY}"])
    assert result.exit_code == 1
    assert f"belum dibagikan ke {EMAIL}" in result.output and "Editor" in result.output
    assert "Traceback" not in result.output


def test_404_asks_to_check_the_url(fake):
    result = CliRunner().invoke(cli, ["check", "https://docs.google.com/spreadsheets/d/NOPE/edit"])
    assert result.exit_code == 1
    assert "'NOPE' tidak ditemukan" in result.output and "/d/ dan /edit" in result.output
    with pytest.raises(GSheetNotFound):
        open_gsheet("gsheet:NOPE").read()


def test_a_tab_renamed_between_the_two_reads_is_named(fake):
    fake.create(KEY, {"Pegawai": [["NIP"]]})
    source = open_source(f"gsheet:{KEY}")
    source.metadata()
    original = source.metadata

    def stale(refresh=False):  # the metadata read saw "Pegawai"; a clerk renames it just after
        meta = original(refresh)
        fake.books[KEY].sheets[0].props["title"] = "Pegawai Lama"
        return meta

    source.metadata = stale
    with pytest.raises(GSheetTabMissing, match="'Pegawai'"):
        source.read({"pegawai"})


def test_400_is_an_internal_error_with_googles_message(fake):
    fake.create(KEY, {"Sheet1": []})
    source = open_source(f"gsheet:{KEY}")
    with pytest.raises(GSheetRequestRejected, match='Unknown name "bogus".*kesalahan di Kinerja'):
        source.batch_update([{"updateCells": {"bogus": 1, "fields": "*"}}])


def test_missing_credentials_say_how_to_fix(monkeypatch):
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    result = CliRunner().invoke(cli, ["score", "gsheet:KEY"])
    assert result.exit_code == 1
    assert "GOOGLE_APPLICATION_CREDENTIALS" in result.output and "docs/google-sheets.md" in result.output


@pytest.mark.parametrize(("content", "expected"), [
    (None, "tidak ditemukan"),
    ("not json", "tidak dapat dibaca"),
    (json.dumps({"installed": {"client_id": "x"}}), "bukan kunci akun layanan"),
    (json.dumps({"type": "service_account", "client_email": "a@b"}), "rusak atau tidak lengkap"),
])
def test_bad_key_files_say_what_is_wrong(tmp_path, content, expected):
    path = tmp_path / "key.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(GSheetCredentialsInvalid, match=expected):
        open_gsheet("gsheet:KEY", credentials_file=path)


def test_a_key_google_does_not_know_is_a_credentials_error(fake, tmp_path):
    fake.create(KEY, {"Sheet1": []})
    stranger = make_service_account(tmp_path / "other.json", "stranger@x.iam.gserviceaccount.com")
    with pytest.raises(GSheetCredentialsInvalid, match="menolak kunci akun layanan stranger@.*not found"):
        open_gsheet(f"gsheet:{KEY}", credentials_file=stranger).read()


def test_a_published_url_is_refused_with_advice():
    with pytest.raises(SourceNotFound, match="Publikasikan ke web"):
        open_any("https://docs.google.com/spreadsheets/d/e/2PACX-1vX/pubhtml")


def test_open_any_still_opens_excel(tmp_path):
    with pytest.raises(SourceNotFound, match="tidak ditemukan"):
        open_any(str(tmp_path / "missing.xlsx")).read()


def test_translate_leaves_other_errors_alone():
    assert translate(KeyError("x"), key="K", email=None, action="membaca") is None


def test_source_takes_a_client_that_is_passed_in(fake):
    import gspread
    from google.oauth2.credentials import Credentials

    fake.create(KEY, {"Pegawai": [["NIP"]]})
    source = GSheetSource(KEY, gspread.Client(Credentials(token="dummy")))
    assert source.location == f"gsheet:{KEY}"
    assert "Pegawai" in source.read().tabs
