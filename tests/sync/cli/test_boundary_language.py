"""What a clerk reads when a command fails is Indonesian from its first word."""

from click.testing import CliRunner

from sync.cli import cli


def test_a_failure_starts_with_galat_not_clicks_english_error(tmp_path):
    result = CliRunner().invoke(cli, ["score", str(tmp_path / "tidak-ada.xlsx")])
    assert result.exit_code == 1
    assert result.output.startswith("Galat: Berkas "), result.output
    assert "Error" not in result.output


def test_a_command_line_mistake_still_shows_the_usage_line():
    result = CliRunner().invoke(cli, ["score"], prog_name="kinerja")
    assert result.exit_code == 2 and "Cara pakai: kinerja score [OPTIONS] SOURCE" in result.output
