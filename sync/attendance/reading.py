"""Reading a machine export file into its header and rows (.csv, .xlsx, .xls).

Exports often start with title lines ("LAPORAN ABSENSI BULAN MARET 2026")
above the header, so the header is the first row (of the first sheet that
has one) naming a date column and a PIN/NIP column.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .config import TIME_FIELDS, MachineColumns
from .errors import MachineImportError

HEADER_SEARCH_ROWS = 30
"""How far down a sheet the header row is looked for."""


@dataclass(frozen=True)
class ExportTable:
    """An export's header row, its data rows (with 1-based file row numbers) and fields.

    `fields` maps field names of MachineColumns (nip, pin, name, date, scan_in,
    scan_out, late_minutes, early_minutes, absence) to header positions.
    """

    source: str
    headers: list[str]
    rows: list[tuple[int, list]]
    fields: dict[str, int]

    @classmethod
    def from_rows(cls, source: str, rows: list[list], columns: MachineColumns) -> ExportTable:
        """Find the header among `rows` and check the fields; MachineImportError if unusable."""
        header = _find_header(rows, columns)
        if header is None:
            first = next((r for r in rows if any(c not in (None, "") for c in r)), [])
            shown = ", ".join(f"'{c}'" for c in first if c not in (None, "")) or "(kosong)"
            raise MachineImportError(
                f"{source}: baris judul kolom tidak ditemukan; perlu kolom tanggal (mis. "
                f"'Tanggal' atau 'Date') dan kolom PIN/NIP (mis. 'PIN', 'NIP' atau "
                f"'Employee ID'). Baris pertama berisi: {shown}. Ganti judul kolomnya atau "
                "tambahkan judul itu ke pemetaan kolom mesin absensi.")
        index, headers, found = header
        if not any(name in found for name in TIME_FIELDS):
            raise MachineImportError(
                f"{source}: tidak ada kolom jam scan atau menit terlambat (mis. 'Scan Masuk', "
                f"'Scan Pulang', 'Terlambat (menit)', 'Late (min)'). Kolom yang ada: "
                f"{', '.join(repr(h) for h in headers if h)}. Ekspor laporan harian yang memuat "
                "jam scan, atau tambahkan judul kolomnya ke pemetaan kolom.")
        data = [(index + 2 + i, list(row)) for i, row in enumerate(rows[index + 1:])]
        return cls(source, headers, data, found)


def _find_header(rows: list[list], columns: MachineColumns):
    """(position, headers, fields) of the first row naming a date and an id column, or None."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = ["" if cell is None else str(cell).strip() for cell in row]
        found = columns.find(headers)
        if "date" in found and ("nip" in found or "pin" in found):
            return index, headers, found
    return None


def read_export(path: Path, columns: MachineColumns | None = None) -> ExportTable:
    """The export at `path` as an ExportTable; MachineImportError when it cannot be read.

    CSV: UTF-8 (with or without BOM) or Windows-1252, separator , ; tab or |
    detected. XLSX/XLSM with openpyxl, XLS with python-calamine; the first
    sheet that has a header row is used.
    """
    columns = columns or MachineColumns()
    name = path.name
    if not path.is_file():
        raise MachineImportError(f"Berkas mesin absensi '{path}' tidak ditemukan. Periksa nama "
                                 "dan foldernya.")
    suffix = path.suffix.casefold()
    try:
        if suffix in (".csv", ".txt"):
            sheets = [_csv_rows(path.read_bytes())]
        elif suffix in (".xlsx", ".xlsm"):
            sheets = _xlsx_sheets(path)
        elif suffix == ".xls":
            sheets = _xls_sheets(path, name)
        else:
            raise MachineImportError(
                f"{name}: jenis berkas '{path.suffix}' tidak didukung. Simpan ekspor mesin "
                "absensi sebagai .xlsx atau .csv lalu ulangi.")
    except MachineImportError:
        raise
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, csv.Error) as error:
        raise MachineImportError(
            f"{name} tidak dapat dibaca ({type(error).__name__}). Buka di Excel, simpan ulang "
            "sebagai .xlsx atau .csv, lalu ulangi.") from None
    problem = None
    for rows in sheets:
        try:
            return ExportTable.from_rows(name, rows, columns)
        except MachineImportError as error:
            problem = problem or error
    raise problem or MachineImportError(f"{name} kosong. Ekspor ulang laporan dari mesin.")


def _csv_rows(raw: bytes) -> list[list]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx_sheets(path: Path) -> list[list[list]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        return [[list(row) for row in sheet.iter_rows(values_only=True)]
                for sheet in workbook.worksheets]
    finally:
        workbook.close()


def _xls_sheets(path: Path, name: str) -> list[list[list]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return [workbook.get_sheet_by_index(i).to_python()
                for i in range(len(workbook.sheet_names))]
    except CalamineError as error:
        # calamine's errors are not ValueError/OSError: word them here.
        raise MachineImportError(
            f"{name} tidak dapat dibaca ({type(error).__name__}). Buka di Excel, simpan ulang "
            "sebagai .xlsx atau .csv, lalu ulangi.") from None
