"""The thin CLI: exit codes, plain messages, help texts documented in the README."""

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sync.cli.main import cli

README = Path(__file__).resolve().parents[3] / "README.md"


@pytest.fixture
def runner():
    return CliRunner()


def test_template_then_check_is_clean(runner, tmp_path):
    out = tmp_path / "t.xlsx"
    result = runner.invoke(cli, ["template", str(out), "--instansi", "Dinas Sosial", "--tahun", "2026"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["check", str(out)])
    assert result.exit_code == 0, result.output
    assert "0 Galat, 0 Peringatan" in result.output


def test_template_refuses_to_overwrite(runner, tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"precious")
    result = runner.invoke(cli, ["template", str(out)])
    assert result.exit_code == 1
    assert "sudah ada" in result.output and "--force" in result.output
    assert out.read_bytes() == b"precious"


def test_check_exits_1_on_galat_and_lists_the_cell(runner, make_workbook):
    path = make_workbook({
        "Pengaturan": [["Kunci", "Nilai"], ["Nama Instansi", "Dinas X"], ["Tahun Penilaian", 2026]],
        "Pegawai": [["NIP", "Nama", "Jenis ASN", "Unit Kerja"], ["196711101992031001", "Ani", "PNSS", "U"]],
    })
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert "Pegawai!C2" in result.output and "'PNSS' bukan pilihan Jenis ASN" in result.output


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("missing.xlsx", None, "tidak ditemukan"),
    ("data.csv", b"a,b\n", "bukan berkas .xlsx"),
    ("corrupt.xlsx", b"PK\x03\x04 not really a zip", "simpan ulang sebagai Excel Workbook"),
])
def test_bad_files_end_with_one_plain_line(runner, tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    for command in ("check", "score"):
        result = runner.invoke(cli, [command, str(path)])
        assert result.exit_code == 1
        assert expected in result.output
        assert "Traceback" not in result.output
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_demo_writes_and_scores(runner, tmp_path):
    result = runner.invoke(cli, ["demo", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d" / "kinerja-demo.xlsx").exists()
    assert "Pegawai Terbaik" in result.output


@pytest.mark.parametrize("name", cli.list_commands(click.Context(cli)))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(runner, name):
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "\\b" not in result.output  # click's no-rewrap mark is the \b character, not backslash-b
    assert f"kinerja {name}" in README.read_text()
