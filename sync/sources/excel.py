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

from ..errors import SourceChanged, SourceNotFound, WorkbookUnreadable
from ..outtabs import OutputTab
from ..parse import normalise_label
from ..workbook import RawTab, RawWorkbook


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
            sheet = book.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=True)
            first_row, first_col = sheet.start or (0, 0)
            tabs[name] = RawTab(name, rows, first_row, first_col)
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
        from .xlsx_package import replace_sheets

        new_bytes = replace_sheets(self._original, tabs)
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
