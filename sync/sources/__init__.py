"""Where workbooks live: one small interface, one module per kind of source."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from sync.errors import SourceNotFound
from sync.outtabs import OutputTab
from sync.workbook import RawWorkbook


class Source(Protocol):
    """A workbook that can be read whole and written back atomically."""

    location: str

    def read(self, tab_names: set[str] | None = None) -> RawWorkbook:
        """Every tab (or only those whose normalised names are in `tab_names`) in one read."""

    def write(self, tabs: list[OutputTab]) -> None:
        """Replace the given output tabs in one atomic write; input tabs are untouched."""


def open_source(location: str, *, http_client=None, credentials_file: str | None = None) -> Source:
    """The source for a command-line SOURCE: a path to .xlsx, a Google Sheets URL or `gsheet:KEY`.

    Args:
        location: the SOURCE as typed.
        http_client: for Google Sheets, gspread's HTTP client factory, e.g. one that takes its
            requests from a run's shared rate limiter (`gsheets.rate_limit.limited`).
        credentials_file: the service-account key for Google Sheets.
    """
    from sync.sources.excel.source import ExcelSource
    from sync.sources.locations import looks_like_gsheet

    if looks_like_gsheet(location):
        from sync.sources.gsheets.source import (
            open_gsheet,  # imported only here: Excel runs never load gspread
        )

        return open_gsheet(location, credentials_file, http_client=http_client)
    path = Path(location)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise SourceNotFound(
            f"'{location}' bukan berkas .xlsx. Simpan workbook sebagai Excel Workbook (.xlsx) "
            "atau berikan alamat Google Sheet.")
    return ExcelSource(path)
