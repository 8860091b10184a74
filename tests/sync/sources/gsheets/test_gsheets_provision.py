"""`kinerja provision` on the fake Google Sheet: the template appears, data stays, a rerun does nothing."""

from __future__ import annotations

from click.testing import CliRunner

from sheet_templates import gsheet, schema
from sync.cli.main import cli
from tests.fakes.gsheet_fixtures import KEY

NIP = "196711101992031001"


def run(*args: str):
    return CliRunner().invoke(cli, ["provision", *args])


def test_provision_twice_the_second_run_changes_nothing(fake):
    fake.create(KEY, {"Sheet1": []})
    first = run(f"gsheet:{KEY}", "--instansi", "Dinas Sosial", "--tahun", "2026")
    assert first.exit_code == 0, first.output
    assert "Tab Petunjuk ditambahkan." in first.output
    assert fake.calls["batchUpdate"] == 1 and fake.sheets_requests() <= 3
    titles = [s.title for s in fake.books[KEY].sheets]
    assert titles == ["Sheet1", *(t.label for t in gsheet.template_tabs())]
    state = fake.books[KEY]
    fake.calls.clear()
    second = run(f"https://docs.google.com/spreadsheets/d/{KEY}/edit")
    assert second.exit_code == 0, second.output
    assert "tidak ada yang diubah" in second.output
    assert "batchUpdate" not in fake.calls and fake.books[KEY] is state


def test_a_provisioned_sheet_checks_clean(fake):
    fake.create(KEY, {"Sheet1": []})
    assert run(f"gsheet:{KEY}", "--instansi", "Dinas Sosial", "--tahun", "2026").exit_code == 0
    result = CliRunner().invoke(cli, ["check", f"gsheet:{KEY}"])
    assert result.exit_code == 0, result.output
    assert "0 Galat, 0 Peringatan" in result.output


def test_a_provisioned_sheet_looks_like_the_template(fake):
    fake.create(KEY, {"Sheet1": []})
    run(f"gsheet:{KEY}")
    book = fake.books[KEY]
    pegawai = book.by_title("Pegawai")
    assert pegawai.props["gridProperties"]["frozenRowCount"] == 1
    assert fake.values(KEY, "Pegawai") == [[c.label for c in schema.EMPLOYEES.columns]]
    nip_cell = fake.cell(KEY, "Pegawai", "A2")
    assert nip_cell["userEnteredFormat"]["numberFormat"]["type"] == "TEXT"  # NIPs stay text
    asn = fake.cell(KEY, "Pegawai", "C500")["dataValidation"]
    assert [v["userEnteredValue"] for v in asn["condition"]["values"]] == ["PNS", "PPPK"]
    assert fake.cell(KEY, "Pegawai", "A1")["note"].startswith("18 angka")
    hasil = book.by_title("Hasil")
    assert hasil.protected and hasil.protected[0]["warningOnly"]
    assert fake.values(KEY, "Validasi")[0][0].startswith("Ditulis otomatis oleh Kinerja")


def test_provision_keeps_what_a_clerk_typed(fake):
    typed = {
        "Pegawai": [["Data 2026"], ["NIP", "Nama", "Unit Kerja"], [NIP, "Ani", "Dinas Sosial"]],
        "pengaturan": [["Kunci", "Nilai"], ["Nama Instansi", "Dinas Sosial"], ["Tahun Penilaian", 2026],
                       ["Periode Evaluasi", "Triwulanan"]],
        "Catatan": [["jangan diubah", 1]],
    }
    fake.create(KEY, typed)
    result = run(f"gsheet:{KEY}")
    assert result.exit_code == 0, result.output
    pegawai = fake.values(KEY, "Pegawai")
    assert pegawai[0] == ["Data 2026"]
    assert pegawai[1][:3] == ["NIP", "Nama", "Unit Kerja"] and "Jenis ASN" in pegawai[1][3:]
    assert pegawai[2] == [NIP, "Ani", "Dinas Sosial"]
    settings = fake.values(KEY, "pengaturan")
    assert settings[1:4] == [["Nama Instansi", "Dinas Sosial"], ["Tahun Penilaian", 2026],
                             ["Periode Evaluasi", "Triwulanan"]]
    assert len(settings) == 1 + len(schema.SETTINGS.columns)
    assert fake.values(KEY, "Catatan") == [["jangan diubah", 1]]
    assert [s.title for s in fake.books[KEY].sheets].count("Pengaturan") == 0  # matched, not duplicated
    fake.calls.clear()
    again = run(f"gsheet:{KEY}")
    assert "tidak ada yang diubah" in again.output and "batchUpdate" not in fake.calls


def test_provision_refuses_an_excel_file(tmp_path):
    result = run(str(tmp_path / "opd.xlsx"))
    assert result.exit_code == 1 and "kinerja template" in result.output


def test_provision_errors_are_one_line(fake):
    result = run("gsheet:NOPE")
    assert result.exit_code == 1 and "tidak ditemukan" in result.output
    assert "Traceback" not in result.output


def test_provision_has_help_with_an_example():
    result = CliRunner().invoke(cli, ["provision", "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "kinerja provision" in result.output
