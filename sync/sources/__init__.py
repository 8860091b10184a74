"""Where workbooks live: one small interface, one module per kind of source."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..errors import SourceNotFound
from ..outtabs import OutputTab
from ..workbook import RawWorkbook


class Source(Protocol):
    """A workbook that can be read whole and written back atomically."""

    location: str

    def read(self, tab_names: set[str] | None = None) -> RawWorkbook:
        """Every tab (or only those whose normalised names are in `tab_names`) in one read."""

    def write(self, tabs: list[OutputTab]) -> None:
        """Replace the given output tabs in one atomic write; input tabs are untouched."""


def open_source(location: str) -> Source:
    """The source for a command-line SOURCE: a path to .xlsx (Google Sheets: see sync.sources.gsheets)."""
    from .excel import ExcelSource

    if location.startswith(("gsheet:", "https://docs.google.com/spreadsheets/")):
        raise SourceNotFound(
            f"Sumber '{location}' adalah Google Sheet; dukungan Google Sheets belum tersedia di versi ini. "
            "Unduh sebagai .xlsx (File > Download > Microsoft Excel) dan jalankan pada berkas itu.")
    path = Path(location)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SourceNotFound(
            f"'{location}' bukan berkas .xlsx. Simpan workbook sebagai Excel Workbook (.xlsx) "
            "atau berikan alamat Google Sheet.")
    return ExcelSource(path)
