"""Helpers shared by tests (importable as tests.helpers)."""

from __future__ import annotations

from pathlib import Path

import openpyxl


def write_workbook(path: Path, tabs: dict[str, list[list]]) -> Path:
    """An .xlsx with one sheet per entry (label → rows, first row the header)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tabs.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path
