"""Command-line mistakes (click's usage errors) told in Indonesian, with the usage line, exit 2."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from sync.cli import cli
from sync.cli.usage import UsageFailure, indonesian

# click's own English words, none of which may reach the clerk
ENGLISH = re.compile(r"\b(Usage|Error|Missing|Try|invalid|Invalid|No such|requires|is not|does not|Got|"
                     r"unexpected|Did you mean|for help)\b")


@pytest.mark.parametrize(("args", "said", "usage"), [
    (["score"], "Galat: Argumen 'SOURCE' belum diisi.", "kinerja score [OPTIONS] SOURCE"),
    (["score", "--tidak-ada", "a.xlsx"], "Galat: Opsi '--tidak-ada' tidak dikenal.", "kinerja score"),
    (["scor", "a.xlsx"], "Galat: Perintah 'scor' tidak dikenal. Mungkin maksudnya: score?",
     "kinerja [OPTIONS] COMMAND [ARGS]..."),
    (["score", "a.xlsx", "b.xlsx"], "Galat: Ada argumen yang tidak diharapkan: b.xlsx.", "kinerja score"),
    (["run", "--config", "x.toml", "--jobs", "99"],
     "Galat: Nilai '--jobs' tidak sah: 99 di luar rentang 1<=x<=32.", "kinerja run [OPTIONS]"),
    (["run", "--config", "x.toml", "--jobs", "dua"],
     "Galat: Nilai '--jobs' tidak sah: 'dua' bukan bilangan bulat.", "kinerja run [OPTIONS]"),
    (["run", "--config"], "Galat: Opsi '--config' perlu nilai sesudahnya.", "kinerja run [OPTIONS]"),
    (["kehadiran", "import"], "Galat: Argumen 'SOURCE' belum diisi.", "kinerja kehadiran import"),
    (["surveys", "flush", "--tidak-ada"], "Galat: Opsi '--tidak-ada' tidak dikenal.",
     "kinerja surveys flush"),
    (["--tidak-ada"], "Galat: Opsi '--tidak-ada' tidak dikenal.", "kinerja [OPTIONS] COMMAND"),
    # a command not imported yet is still suggested (KinerjaGroup.lazy_commands)
    (["dokumn", "a.xlsx"], "Galat: Perintah 'dokumn' tidak dikenal. Mungkin maksudnya: dokumen?", "kinerja"),
    (["surveys", "flush", "--config"], "Galat: Opsi '--config' perlu nilai sesudahnya.",
     "kinerja surveys flush [OPTIONS]"),
    (["template", "x.xlsx", "--force=ya"], "Galat: Opsi '--force' tidak memakai nilai; tulis '--force' saja.",
     "kinerja template [OPTIONS] OUT"),
    (["--version=1"], "Galat: Opsi '--version' tidak memakai nilai; tulis '--version' saja.",
     "kinerja [OPTIONS] COMMAND"),
    # NaN passes every range check: refused by a check of ours, in Indonesian from the start
    (["surveys", "flush", "--config", "x.toml", "--wait", "nan"],
     "Galat: Nilai '--wait' tidak sah: bukan angka.", "kinerja surveys flush [OPTIONS]"),
])
def test_a_command_line_mistake_is_told_in_indonesian(args, said, usage):
    result = CliRunner().invoke(cli, args, prog_name="kinerja")
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert lines[0] == said, result.output
    assert lines[1].startswith(f"Cara pakai: {usage}"), result.output
    assert lines[2].startswith("Bantuan: kinerja"), result.output
    assert not ENGLISH.search(result.output), result.output


def test_click_before_8_2_without_its_help_screen_error_is_still_translated(monkeypatch):
    monkeypatch.delattr(click.exceptions, "NoArgsIsHelpError", raising=False)
    result = CliRunner().invoke(cli, ["score"], prog_name="kinerja")
    assert result.exit_code == 2
    assert result.output.startswith("Galat: Argumen 'SOURCE' belum diisi."), result.output


def test_a_group_without_its_command_still_shows_its_help():
    result = CliRunner().invoke(cli, ["kehadiran"])
    assert "import" in result.output and "Galat" not in result.output


def test_a_reason_click_words_in_a_way_not_known_here_is_not_passed_on_in_english():
    exc = click.BadParameter("is something new entirely.", param_hint="'--x'")
    failure = indonesian(exc)
    assert isinstance(failure, UsageFailure) and failure.exit_code == 2
    assert failure.format_message() == "Nilai '--x' tidak sah: nilainya tidak sah."


@pytest.mark.parametrize(("message", "said"), [
    ("File 'a.toml' does not exist.", "berkas 'a.toml' tidak ada"),
    ("Directory 'out' is a file.", "'out' adalah berkas, bukan folder"),
    ("Path 'x' is not writable.", "jalur 'x' tidak dapat ditulis"),
    ("'q' is not one of 'a', 'b'.", "'q' bukan salah satu dari 'a', 'b'"),
    ("'1,5' is not a valid float.", "'1,5' bukan angka"),
])
def test_the_reasons_of_clicks_parameter_types(message, said):
    failure = indonesian(click.BadParameter(message, param_hint="'X'"))
    assert failure.format_message() == f"Nilai 'X' tidak sah: {said}."
