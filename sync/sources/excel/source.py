"""Excel workbooks on disk: read with python-calamine, write by replacing zip parts.

The file's bytes are read once; they are both what calamine parses and what
the writer later edits, so the write is based on exactly the content that was
validated and scored. Before replacing the file we check that nobody saved it
in between, because the replacement would silently discard their edits.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

import python_calamine

from sync.errors import SourceChanged, SourceNotFound, WorkbookUnreadable
from sync.outtabs import OutputTab
from sync.parse import normalise_label
from sync.workbook import RawTab, RawWorkbook


class ExcelSource:
    """An .xlsx file; `read()` then `write()` rewrites only the output tabs."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.location = str(self.path)
        self._original: bytes | None = None
        self._revision: str | None = None

    def _load_bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise SourceNotFound(
                f"Berkas '{self.path}' tidak ditemukan. Periksa nama dan foldernya.") from None
        except IsADirectoryError:
            raise SourceNotFound(f"'{self.path}' adalah folder, bukan berkas .xlsx.") from None
        except PermissionError:
            raise SourceNotFound(
                f"Tidak ada izin membaca '{self.path}'. Tutup berkas di Excel atau periksa izin foldernya."
            ) from None

    def read(self, tab_names: set[str] | None = None) -> RawWorkbook:
        """Every tab (or those whose normalised name is in `tab_names`) in one pass."""
        data = self._load_bytes()
        try:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception as exc:  # calamine raises several unrelated types for bad files
            raise WorkbookUnreadable(
                f"'{self.path}' tidak dapat dibaca sebagai workbook Excel ({exc}). Jika berkas "
                "dilindungi kata sandi, buka proteksinya; jika bukan .xlsx, simpan ulang sebagai "
                "Excel Workbook (.xlsx).") from None
        tabs = {}
        for name in book.sheet_names:
            if tab_names is not None and normalise_label(name) not in tab_names:
                continue
            tabs[name] = _read_sheet(book, name, data)
        self._original = data
        self._revision = hashlib.sha256(data).hexdigest()
        return RawWorkbook(tabs, revision=self._revision, location=self.location,
                           meta={"sheet_names": list(book.sheet_names)})

    def write(self, tabs: list[OutputTab]) -> None:
        """Replace `tabs` in the file atomically, refusing if the file changed since `read()`."""
        if self._original is None:
            self.read(set())
        current = self._load_bytes()
        if hashlib.sha256(current).hexdigest() != self._revision:
            raise SourceChanged(
                f"'{self.path}' berubah setelah dibaca (mungkin disimpan dari Excel). Hasil tidak "
                "ditulis agar perubahan itu tidak hilang. Simpan dan tutup berkas, lalu jalankan lagi.")
        from sync.sources.excel.package import replace_sheets

        new_bytes = replace_sheets(self._original, tabs)
        self._replace_file(new_bytes)
        self._original = new_bytes
        self._revision = hashlib.sha256(new_bytes).hexdigest()

    def append_rows(self, tab_label: str, header_labels: list[str], rows: list[list]) -> None:
        """Append `rows` (aligned to `header_labels`) to input tab `tab_label` atomically.

        Only that tab's sheet part changes (see `xlsx_append`); refuses, like
        `write`, when the file changed since `read()`.
        """
        if self._original is None:
            self.read(set())
        if hashlib.sha256(self._load_bytes()).hexdigest() != self._revision:
            raise SourceChanged(
                f"'{self.path}' berubah setelah dibaca (mungkin disimpan dari Excel). Jawaban survei "
                "tidak ditambahkan agar perubahan itu tidak hilang; jawaban tetap tersimpan dan akan "
                "dicoba lagi. Simpan dan tutup berkas, lalu jalankan lagi.")
        from sync.sources.excel.append import append_rows

        new_bytes = append_rows(self._original, tab_label, header_labels, rows)
        self._replace_file(new_bytes)
        self._original = new_bytes
        self._revision = hashlib.sha256(new_bytes).hexdigest()

    def _replace_file(self, data: bytes) -> None:
        # Same directory, so os.replace is an atomic rename on the same filesystem.
        fd, tmp = tempfile.mkstemp(prefix=".kinerja-", suffix=".xlsx", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.chmod(tmp, self.path.stat().st_mode & 0o777)
            except OSError:
                pass
            os.replace(tmp, self.path)
        except PermissionError:
            raise SourceNotFound(
                f"Tidak dapat menulis '{self.path}'. Tutup berkas di Excel lalu jalankan lagi.") from None
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _read_sheet(book, name: str, data: bytes) -> RawTab:
    """One sheet with calamine; openpyxl when calamine cannot (it panics on some date cells)."""
    sheet = book.get_sheet_by_name(name)
    try:
        rows = sheet.to_python(skip_empty_area=True)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: B036 - pyo3's PanicException is a BaseException
        # A large negative number in a date-formatted cell makes calamine panic; openpyxl
        # reads the same sheet (slower) and turns such a cell into an error value instead.
        return _read_sheet_openpyxl(name, data)
    first_row, first_col = sheet.start or (0, 0)
    return RawTab(name, rows, first_row, first_col)


def _read_sheet_openpyxl(name: str, data: bytes) -> RawTab:
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = [["" if v is None else v for v in row]
                    for row in book[name].iter_rows(values_only=True)]
        finally:
            book.close()
    return RawTab(name, rows, 0, 0)
