"""The sample workbook behind `kinerja demo`: demo data laid into the template."""

from __future__ import annotations

from pathlib import Path

from sheet_templates.xlsx import build_template
from sync.demo.build import demo_complaints, demo_data, demo_settings


def write_demo_workbook(path: Path, seed: int = 2026, year: int = 2026, **sizes) -> Path:
    """Write a filled, not yet scored workbook to `path` (see `demo_data` for `sizes`), with the
    supervisors' handling of the complaints already typed into Pengaduan."""
    data = demo_data(seed=seed, year=year, **sizes)
    data["complaints"] = demo_complaints(data["surveys"], seed=seed, year=year,
                                         months=sizes.get("months", 12))
    build_template(path, settings=demo_settings(year=year), data=data)
    return path
