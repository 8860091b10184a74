"""Excel workbooks on disk: read with fastexcel or python-calamine, write by replacing zip parts.

Tabs are read column-wise with fastexcel where that cannot differ from
python-calamine's row-wise read (`columns`), row-wise otherwise.

The file's bytes are read once; they are both what calamine parses and what
the writer later edits, so the write is based on exactly the content that was
validated and scored. The replacement itself (`replace.replace_workbook`) checks,
in its very last moments, that nobody saved the file in between, because it
would silently discard their edits; it also refuses a workbook open in Excel or
LibreOffice, writes through symlinks and keeps the file's permissions and group.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import queue
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import python_calamine

from sync.errors import SourceChanged, SourceNotFound, WorkbookUnreadable
from sync.outtabs import OutputTab
from sync.parse import normalise_label
from sync.sources.excel import columns
from sync.sources.excel import replace as disk
from sync.sources.excel.formulas import uncached_formulas
from sync.sources.excel.parts import unreadable_message
from sync.workbook import RawTab, RawWorkbook

CHANGED_RESULTS = ("'{path}' berubah setelah dibaca (mungkin disimpan dari Excel). Hasil tidak "
                   "ditulis agar perubahan itu tidak hilang. Simpan dan tutup berkas, lalu jalankan lagi.")
CHANGED_SURVEYS = ("'{path}' berubah setelah dibaca (mungkin disimpan dari Excel). Jawaban survei "
                   "tidak ditambahkan agar perubahan itu tidak hilang; jawaban tetap tersimpan dan akan "
                   "dicoba lagi. Simpan dan tutup berkas, lalu jalankan lagi.")
# Tabs read at once (column-wise): the cores, at most 4 (the biggest tabs dominate).
READ_THREADS = max(1, min(4, os.cpu_count() or 1))


class ExcelSource:
    """An .xlsx file; `read()` then `write()` rewrites only the output tabs."""

    def __init__(self, path: str | os.PathLike, read_threads: int = READ_THREADS):
        self.path = Path(path)
        self.location = str(self.path)
        # Tabs read at once. 1 where other processes already use every core (`kinerja run`'s workers):
        # each further thread opens a reader of its own, which parses the workbook again.
        self.read_threads = read_threads
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
        except OSError as ex:
            raise SourceNotFound(
                f"'{self.path}' tidak dapat dibaca ({disk.os_reason(ex)}). Periksa disk dan foldernya, "
                "lalu jalankan lagi.") from None

    def read(self, tab_names: set[str] | None = None) -> RawWorkbook:
        """Every tab (or those whose normalised name is in `tab_names`) in one pass.

        `meta["uncached_formulas"]` maps a tab to its formula cells that have no stored
        result (1-based row, 0-based column): calamine reads those as empty.
        """
        data = self._load_bytes()
        fast = columns.open_reader(data)
        book = None
        if fast is None:
            book = _open_book(data, self.path)
        sheet_names = list(fast.sheet_names if fast is not None else book.sheet_names)
        wanted = [n for n in sheet_names if tab_names is None or normalise_label(n) in tab_names]
        # Formula cells without a value, and the file's hash, meanwhile on the other core: both
        # decompress or hash without the GIL, and so do fastexcel and calamine.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinerja-read") as aside:
            keys = {normalise_label(n) for n in wanted}
            formulas = aside.submit(uncached_formulas, data, keys) if wanted else None
            revision = aside.submit(lambda: hashlib.sha256(data).hexdigest())
            found = {} if fast is None else _read_columnar(fast, data, self.path, wanted, self.read_threads)
            tabs = {}
            for name in wanted:
                tab = found.get(name)
                if tab is None:
                    if book is None:
                        book = _open_book(data, self.path)
                    tab = _read_sheet(book, name, data)
                tabs[name] = tab
            formulas = formulas.result() if formulas is not None else {}
            self._revision = revision.result()
        self._original = data
        return RawWorkbook(tabs, revision=self._revision, location=self.location,
                           meta={"sheet_names": sheet_names, "uncached_formulas": formulas})

    def check_writable(self) -> None:
        """Raise WorkbookLocked when Excel or LibreOffice has the file open (their lock file).

        `write` checks this itself; a caller may ask first to skip the work.
        """
        disk.refuse_if_open(self.path, disk.resolve_target(self.path))

    def write(self, tabs: list[OutputTab]) -> None:
        """Replace `tabs` in the file atomically, refusing if the file changed since `read()`."""
        from sync.sources.excel.package import replace_sheets

        self._before_write(CHANGED_RESULTS)
        self._replace_file(replace_sheets(self._original, tabs), CHANGED_RESULTS)

    def aside(self, shape: OutputTab, make_tab: Callable[[], OutputTab]) -> OutputTab | None:
        """`shape` (a result tab without its rows) to be rendered by `make_tab` and made into its
        sheet XML in a forked child while this process goes on, for the next `write`
        (`forked.AsideTab`); None where no child can be forked here: render it as usual."""
        from sync.sources.excel.package import made_first
        from sync.sources.excel.worksheet import forked

        original = self._original
        if original is None or not forked.can_fork():
            return None
        child = forked.Aside(lambda: made_first(original, make_tab()), None)
        return forked.AsideTab.of(shape, make_tab, child)

    @property
    def size(self) -> int | None:
        """Bytes of the file as last read or written (None before)."""
        return None if self._original is None else len(self._original)

    def build(self, tabs: list[OutputTab]) -> bytes:
        """The file's bytes with `tabs` replaced, not written: for `write_built` in another process
        (`kinerja run` builds workbooks side by side)."""
        from sync.sources.excel.package import replace_sheets

        if self._original is None:
            self.read(set())
        return replace_sheets(self._original, tabs)

    def write_built(self, data: bytes, revision: str, size: int) -> None:
        """Write `data`, which `build` made from this file as read at `revision` (`size` bytes long);
        refuses, like `write`, when the file changed since."""
        self._original, self._revision = None, revision
        self.check_writable()
        if hashlib.sha256(self._load_bytes()).hexdigest() != revision:
            raise SourceChanged(CHANGED_RESULTS.format(path=self.path))
        disk.checkpoint("built")
        disk.replace_workbook(self.path, data, revision, size, CHANGED_RESULTS.format(path=self.path))
        self._original = data
        self._revision = hashlib.sha256(data).hexdigest()

    def append_rows(self, tab_label: str, header_labels: list[str], rows: list[list]) -> None:
        """Append `rows` (aligned to `header_labels`) to input tab `tab_label` atomically.

        Only that tab's sheet part changes (see `xlsx_append`); refuses, like
        `write`, when the file changed since `read()`.
        """
        from sync.sources.excel.append import append_rows

        self._before_write(CHANGED_SURVEYS)
        self._replace_file(append_rows(self._original, tab_label, header_labels, rows),
                           CHANGED_SURVEYS)

    def _before_write(self, changed: str) -> None:
        """Early refusals, before the new package is built (the same checks run again last)."""
        if self._original is None:
            self.read(set())
        self.check_writable()
        if hashlib.sha256(self._load_bytes()).hexdigest() != self._revision:
            raise SourceChanged(changed.format(path=self.path))

    def _replace_file(self, data: bytes, changed: str) -> None:
        disk.checkpoint("built")
        # The new bytes' hash (the next write's change check) meanwhile on the other core, while
        # the file is checked and written: hashlib lets go of the GIL (issue 17).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinerja-hash") as aside:
            revision = aside.submit(lambda: hashlib.sha256(data).hexdigest())
            disk.replace_workbook(self.path, data, self._revision, len(self._original),
                                  changed.format(path=self.path))
        self._original = data
        self._revision = revision.result()


def _read_columnar(fast, data: bytes, path: Path, wanted: list[str], threads: int = READ_THREADS
                   ) -> dict[str, object]:
    """The tabs that can be read column-wise (`sources.excel.columns`), read on up to
    `threads` threads, biggest first: fastexcel parses a sheet without the GIL, so two
    big tabs take about the time of one on two cores (issue 17). A fastexcel reader is used
    by one thread at a time (it refuses to be shared: "Already borrowed"); `fast` is the first,
    the others are opened as needed. A tab that cannot be read so maps to None."""
    readers: queue.SimpleQueue = queue.SimpleQueue()
    readers.put(fast)

    def one(name: str):
        try:
            reader = readers.get_nowait()
        except queue.Empty:
            reader = columns.open_reader(data)
        if reader is None:
            return None
        try:
            return columns.read_columns(reader, data, name, functools.partial(_exact_rows, data, path, name),
                                        sheets)
        finally:
            readers.put(reader)

    sheets = columns.SheetParts(data)
    sizes = sheets.sizes()
    order = sorted(wanted, key=lambda n: -sizes.get(n, 0))
    threads = max(1, min(threads, len(order)))
    if threads == 1:
        return {name: one(name) for name in order}
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kinerja-tab") as pool:
        return dict(zip(order, pool.map(one, order), strict=True))


def _exact_rows(data: bytes, path: Path, name: str) -> list[list]:
    """The rows of sheet `name` read row-wise (`ColumnarTab.exact_rows`)."""
    return _read_sheet(_open_book(data, path), name, data).rows


def _open_book(data: bytes, path: Path):
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # calamine raises several unrelated types, with English messages
        raise WorkbookUnreadable(unreadable_message(data, str(path))) from None


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
