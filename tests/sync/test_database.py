"""Opening the database: one message for every kind of wrong URL, and never a password in it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from sync import database
from sync.cli import cli


@pytest.mark.parametrize("url", [
    "kinerja:S3cretPW@127.0.0.1/kin",  # typed without its scheme
    "postgresql://kinerja:S3cretPW@127.0.0.1:54x/kin",  # a port that is not a number
    "postgresql://kinerja:S3cretPW@127.0.0.1/kin",
])
def test_a_password_is_never_shown(url):
    assert "S3cretPW" not in database.shown_url(url)
    assert "***" in database.shown_url(url)


@pytest.mark.parametrize(("url", "words"), [
    ("kinerja:S3cretPW@127.0.0.1/kin", "tidak memuat skema"),
    ("notaurl://::", "tidak"),
    ("postgresql://u:S3cretPW@127.0.0.1:54x/kin", "tidak dapat dibaca"),
    ("mysql://u:S3cretPW@host/db", "tidak didukung"),
])
def test_a_malformed_url_is_one_sentence(url, words):
    with pytest.raises(database.DatabaseUnavailable) as caught:
        database.make_engine(url)
    message = str(caught.value)
    assert words in message and "S3cretPW" not in message and "KINERJA_DATABASE_URL" in message


def test_postgresql_without_its_driver_says_what_to_install(monkeypatch):
    real = database.importlib.util.find_spec
    monkeypatch.setattr(database.importlib.util, "find_spec",
                        lambda name: None if name == "psycopg" else real(name))
    with pytest.raises(database.DatabaseUnavailable, match=r"kinerja\[postgres\]"):
        database.make_engine("postgresql://u:p@127.0.0.1/db")


@pytest.mark.parametrize("command", [["history"], ["run", "--config", "{config}"]])
def test_commands_print_one_line_without_the_password(command, tmp_path, monkeypatch):
    config = tmp_path / "kinerja.toml"
    config.write_text('[pemda]\nname = "Kab"\n[[sources]]\nname = "a"\nlocation = "a.xlsx"\n')
    monkeypatch.setenv("KINERJA_DATABASE_URL", "kinerja:S3cretPW@127.0.0.1/kin")
    result = CliRunner().invoke(cli, [c.format(config=config) for c in command])
    assert result.exit_code == 1
    assert "S3cretPW" not in result.output and "Traceback" not in result.output
    assert result.output.startswith("Galat: Alamat basis data")
