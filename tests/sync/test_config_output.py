"""`[output] location` may not be a source's own workbook: the recap would replace the clerks' tabs."""

from __future__ import annotations

import pytest

from sync.config import ConfigError, load_config


@pytest.mark.parametrize("output", ["dinkes.xlsx", "./sub/../dinkes.xlsx", "gsheet:KEY1",
                                    "https://docs.google.com/spreadsheets/d/KEY1/edit"])
def test_the_recap_cannot_go_to_a_source(tmp_path, output):
    (tmp_path / "sub").mkdir()
    config = tmp_path / "kinerja.toml"
    config.write_text('[pemda]\nname = "Kab"\n'
                      '[[sources]]\nname = "dinkes"\nlocation = "dinkes.xlsx"\n'
                      '[[sources]]\nname = "disdik"\nlocation = "gsheet:KEY1"\n'
                      f'[output]\nlocation = "{output}"\n')
    with pytest.raises(ConfigError, match="sama dengan workbook sumber"):
        load_config(config)


def test_a_separate_recap_is_fine(tmp_path):
    config = tmp_path / "kinerja.toml"
    config.write_text('[pemda]\nname = "Kab"\n[[sources]]\nname = "dinkes"\nlocation = "dinkes.xlsx"\n'
                      '[output]\nlocation = "rekap.xlsx"\n')
    assert load_config(config).output_location.endswith("rekap.xlsx")
