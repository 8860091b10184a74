"""kinerja.toml: parsed into dataclasses; each mistake named with its section, line and key."""

from __future__ import annotations

import pytest

from sync.config import ConfigError, FormConfig, load_config, parse_config

FULL = '''\
[pemda]
name = "Pemerintah Kabupaten Contoh"

[[sources]]
name = "dinkes"
location = "dinkes-2026.xlsx"
forms = ["FORM-A"]

[[sources]]
name = "disdukcapil"
location = "gsheet:1AbCdEf"
[[sources.forms]]
id = "FORM-B"
questions = { "Apakah persyaratannya jelas?" = "U1", "Kebersihan ruang tunggu" = "u8 Sarana" }
answers = { "Puas" = 3, U8 = { "Bersih" = 4 } }

[output]
location = "/data/rekap.xlsx"
'''


def test_a_full_config(tmp_path):
    path = tmp_path / "kinerja.toml"
    path.write_text(FULL, encoding="utf-8")
    config = load_config(path)
    assert config.pemda_name == "Pemerintah Kabupaten Contoh" and config.timezone == "Asia/Jakarta"
    dinkes, dukcapil = config.sources
    assert dinkes.location == str(tmp_path / "dinkes-2026.xlsx")  # relative to the config file
    assert dinkes.forms == (FormConfig("FORM-A"),)
    assert dukcapil.location == "gsheet:1AbCdEf"
    assert dukcapil.forms[0].questions == {"Apakah persyaratannya jelas?": "u1",
                                           "Kebersihan ruang tunggu": "u8"}
    assert dukcapil.forms[0].answers == {"*": {"Puas": 3}, "u8": {"Bersih": 4}}
    assert config.output_location == "/data/rekap.xlsx"
    assert config.form("FORM-B") == (dukcapil, dukcapil.forms[0]) and config.form("X") is None
    with pytest.raises(ConfigError, match="Sumber 'dinas' tidak ada di kinerja.toml. Sumber yang ada: "
                                          "dinkes, disdukcapil"):
        config.source("dinas")


PEMDA = '[pemda]\nname = "Kab"\n'
ONE = PEMDA + '[[sources]]\nname = "a"\nlocation = "a.xlsx"\n'


@pytest.mark.parametrize(("text", "message"), [
    ("[pemda\nname = 1", "bukan TOML yang sah: "),
    ('[[sources]]\nname = "a"\nlocation = "a.xlsx"\n', "[pemda]: bagian [pemda] wajib ada"),
    ("[pemda]\n", "[pemda] (baris 1): kunci 'name' wajib diisi"),
    ('[pemda]\nname = ""\n', "'name' harus berupa teks yang tidak kosong"),
    ('[pemda]\nname = "K"\ntimezone = "WIB"\n', "timezone = 'WIB' bukan zona waktu"),
    ('[pemda]\nname = "K"\n[serve]\nport = 1\n', "bagian 'serve' tidak dikenal"),
    (PEMDA + '[[sources]]\nname = "a"\nlocation = "a.xlsx"\n\n[[sources]]\nname = "b"\n',
     '[[sources]] ke-2 (baris 7) (name = "b"): kunci \'location\' wajib diisi'),
    (PEMDA + '[[sources]]\nname = "dinas kesehatan"\nlocation = "a.xlsx"\n', "tanpa spasi"),
    (PEMDA + '[[sources]]\nname = "a"\nlokasi = "a.xlsx"\n', "kunci 'lokasi' tidak dikenal"),
    (PEMDA + '[[sources]]\nname = "a"\nlocation = "a.xlsx"\nforms = "F"\n', "forms harus berupa daftar"),
    (ONE + 'forms = [{ id = "F", questions = { "Q" = "U10" } }]\n',
     "forms[1], questions.\"Q\": 'U10' bukan butir SKM"),
    (ONE + 'forms = [{ id = "F", answers = { "Puas" = 5 } }]\n',
     'answers."Puas": nilai 5 harus bilangan bulat 1 sampai 4'),
    (PEMDA + '[[sources]]\nname = "a"\nlocation = "a.xlsx"\nforms = [{ answers = {} }]\n',
     "kunci 'id' wajib diisi"),
    (PEMDA + '[[sources]]\nname = "a"\nlocation = "a.xlsx"\n[[sources]]\nname = "a"\nlocation = "b.xlsx"\n',
     'name "a" dipakai dua kali'),
    (PEMDA + '[[sources]]\nname = "a"\nlocation = "a.xlsx"\nforms = ["F"]\n'
             '[[sources]]\nname = "b"\nlocation = "b.xlsx"\nforms = ["F"]\n',
     'formulir F tercantum pada sumber "a" dan "b"'),
    (PEMDA + '[output]\n', "[output] (baris 3): kunci 'location' wajib diisi"),
])
def test_mistakes_are_named(text, message):
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    assert message in str(caught.value)
    assert str(caught.value).startswith("konfigurasi")


def test_a_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="tidak ditemukan"):
        load_config(tmp_path / "kinerja.toml")
