"""Agencies and configs for the `kinerja run` tests (importable as tests.sync.run.helpers)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from python_calamine import CalamineWorkbook

from sheet_templates.xlsx import build_template
from sync.cli import cli
from sync.demo.build import demo_data, demo_settings

SIZES = {"months": 3, "surveys": 30}




def invoke(*args: str) -> Result:
    """Run `kinerja ARGS…` in-process; stderr (the progress lines) kept apart from stdout."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def agency_data(seed: int, units: int, per_unit: int) -> dict:
    """The demo's input tabs for one agency (small: three months)."""
    return demo_data(seed=seed, units=units, employees_per_unit=per_unit, **SIZES)


def write_agency(path: Path, seed: int, units: int = 2, per_unit: int = 5, name: str | None = None,
                 year: int | None = 2026) -> Path:
    """`write_demo_workbook` with its own Nama Instansi (and, with year=None, no Tahun Penilaian)."""
    settings = demo_settings(org_name=name or f"Dinas {path.stem.title()}") | {"year": year}
    build_template(path, settings=settings, data=agency_data(seed, units, per_unit))
    return path


def write_config(directory: Path, sources: dict[str, str], output: str | None = "rekap.xlsx") -> Path:
    """kinerja.toml naming `sources` (name → location, relative to `directory`) and the recap."""
    text = '[pemda]\nname = "Kabupaten Contoh"\n\n' + "".join(
        f'[[sources]]\nname = "{name}"\nlocation = "{location}"\n\n' for name, location in sources.items())
    if output:
        text += f'[output]\nlocation = "{output}"\n'
    path = directory / "kinerja.toml"
    path.write_text(text, encoding="utf-8")
    return path


def read_tab(path: Path, name: str) -> list[list]:
    """A tab of an .xlsx as python-calamine reads it."""
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python(skip_empty_area=False)


def records(rows: list[list], header_row: int = 0) -> list[dict]:
    """Rows under the header as dicts by header label; blanks dropped at the end."""
    header = rows[header_row]
    out = []
    for row in rows[header_row + 1:]:
        if any(v not in ("", None) for v in row):
            row = [*row, *[None] * (len(header) - len(row))]  # the fake Sheets API trims trailing blanks
            out.append({h: (None if v == "" else v) for h, v in zip(header, row, strict=False) if h})
    return out
