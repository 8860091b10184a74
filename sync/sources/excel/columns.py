"""The fast read of an .xlsx: whole columns as arrays (fastexcel, Arrow), not one Python object per cell.

fastexcel parses the sheet with the same calamine as python-calamine, but hands
each column over as one Arrow array. A tab is read this way only when nothing
about it can differ from the row-wise read (`ExcelSource` falls back to
python-calamine for that tab otherwise):

- every column holds one kind of cell (fastexcel's strict typing refuses a column
  whose cells do not all fit the type its first 1,000 rows suggest): numbers, text
  or date-times, plus empty cells. A date typed into a number
  column, a number in a NIP column, TRUE/FALSE anywhere: the tab is read row-wise,
  so validation sees each cell as typed and names it;
- the first row of the sheet holds the header (so cell references stay right) and
  every header cell is text, distinct and filled;
- date-times only between 3 October 1954 and 10 January 2119 (Excel serials 20,000 to
  80,000). fastexcel turns a plain number in a date-time column into a date too; in
  that range validation reads such a number as the same date (`parse_datetime`, to the
  millisecond), outside it the tab is read row-wise. A date-time column read for a
  schema column that is not a date (a number, a NIP…) is validated from the row-wise
  read (`ColumnarTab.exact_rows`), where each cell keeps its own type.

Text columns come dictionary-encoded (each distinct string once, then positions),
so validation parses each distinct value once and never builds a string per cell.

Needs `fastexcel`, `arro3-core`, `arro3-compute` and `nanoarrow`; without them, or with
KINERJA_EXCEL_READER=calamine in the environment (`AVAILABLE` is False), every tab is
read row-wise with python-calamine.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import zipfile
import zlib

import numpy as np

from sync.sources.excel.formulas import _sheet_parts
from sync.sources.excel.zipwrite import Original
from sync.workbook import ColumnarTab, RawColumn

try:
    import arro3.compute as arrow_compute
    import arro3.core as arrow
    import fastexcel
    import nanoarrow
except ImportError:  # pragma: no cover - the row-wise read still works
    AVAILABLE = False
else:
    AVAILABLE = os.environ.get("KINERJA_EXCEL_READER", "").strip().lower() != "calamine"
    # fastexcel logs a warning for every all-empty column ("falling back to string"): not the clerk's concern.
    logging.getLogger("fastexcel").setLevel(logging.ERROR)

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
EARLIEST = EXCEL_EPOCH + dt.timedelta(days=20000)  # the serials `parse_datetime` reads as dates
LATEST = EXCEL_EPOCH + dt.timedelta(days=80000)
_NUMBER_LIKE = re.compile(r"\s*[-+]?(\d|\.\d)|\s*(true|false)\s*$", re.IGNORECASE)
_FIRST_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b([^>]*)>(.*?)</(?:[A-Za-z_][\w.-]*:)?row>", re.DOTALL)
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_HAS_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?[vt](?:\s[^>]*)?>[^<]")  # <v>…</v>, or <is><t>…</t>


def open_reader(data: bytes):
    """A fastexcel reader of the file's bytes, or None (not installed, or it cannot read them)."""
    if not AVAILABLE:
        return None
    try:
        return fastexcel.read_excel(data)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: B036 - a panic or any error: the row-wise read judges the file
        return None


def read_columns(reader, data: bytes, name: str, exact_rows=None,
                 sheets: SheetParts | None = None) -> ColumnarTab | None:
    """The sheet as a `ColumnarTab`, or None when it must be read row-wise (see the module).

    `exact_rows()` reads the same sheet row-wise (see `ColumnarTab`); `sheets`: the workbook's
    `SheetParts` when the caller reads several tabs."""
    try:
        sheet = reader.load_sheet(name, header_row=0, dtype_coercion="strict")
        infos = sheet.available_columns()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: B036 - mixed cells, an empty sheet, a panic: read it row-wise
        return None
    if not infos or any(info.dtype not in ("float", "string", "datetime") for info in infos):
        return None
    header = [info.name for info in infos]
    if (any(info.column_name_from != "looked_up" for info in infos) or _suspect_header(header)
            or [info.absolute_index for info in infos] != list(range(infos[0].absolute_index,
                                                                     infos[0].absolute_index + len(infos)))):
        return None
    if not (sheets or SheetParts(data)).first_row_filled(name):
        return None
    try:
        batch = nanoarrow.Array(sheet)
        columns = [_column(batch.child(i), info.dtype) for i, info in enumerate(infos)]
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: B036
        return None
    if any(c is None for c in columns):
        return None
    return ColumnarTab(name, header, columns, 0, infos[0].absolute_index, exact_rows)


def _suspect_header(header: list[str]) -> bool:
    """Header cells fastexcel may have renamed (duplicates get "_1") or turned into text (numbers, dates)."""
    if len(set(header)) != len(header) or any(not h.strip() or _NUMBER_LIKE.match(h) for h in header):
        return True
    plain = {re.sub(r"_\d+$", "", h) for h in header}
    return len(plain) != len(header)


class SheetParts:
    """Where each sheet of one workbook's bytes is, read once for all its tabs: each tab's read
    used to open the archive and parse the workbook's parts again, then inflate up to 1 MB of the
    sheet to look at its first row (4 % of an agency's `kinerja run`). Nothing is kept but the part
    names: safe to share between reading threads."""

    def __init__(self, data: bytes):
        self.data = data
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                self.parts = _sheet_parts(zf)
                self.infos = {info.filename: info for info in zf.infolist()}
        except Exception:  # noqa: BLE001 - unreadable: every tab is then read row-wise, which judges it
            self.parts, self.infos = {}, {}

    def sizes(self) -> dict[str, int]:
        """Each sheet's uncompressed XML size by tab name (to read the biggest first)."""
        return {name: getattr(self.infos.get(part), "file_size", 0) for name, part in self.parts.items()}

    def first_row_filled(self, name: str) -> bool:
        """Whether row 1 of the sheet has a cell with a value (then the read starts at row 1)."""
        part = self.parts.get(name)
        if part is None or part not in self.infos:
            return False
        try:
            head = self._head(self.infos[part])
        except Exception:  # noqa: BLE001 - unreadable: let the row-wise read decide
            return False
        return _row_one_filled(head)

    def _head(self, info: zipfile.ZipInfo) -> bytes:
        """The first _HEAD bytes of the part's XML, inflated only as far as its first row's end."""
        if info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x1:
            with zipfile.ZipFile(io.BytesIO(self.data)) as zf, zf.open(info) as handle:
                return handle.read(_HEAD)
        raw, inflater, head = Original(info).raw(self.data), zlib.decompressobj(-15), b""
        for start in range(0, len(raw), _HEAD_STEP):
            seen = max(0, len(head) - 16)  # a row's end tag may straddle two steps
            head += inflater.decompress(raw[start:start + _HEAD_STEP], _HEAD - len(head))
            # A first row matched in what is inflated is the one the whole _HEAD would give: no
            # earlier row start can end later. Matched only once a new row end has come in.
            ended = _ROW_END.search(head, seen) is not None
            if len(head) >= _HEAD or inflater.eof or (ended and _FIRST_ROW.search(head)):
                break
        return head


_HEAD = 1 << 20  # bytes of a sheet's XML its first row must end within
_HEAD_STEP = 1 << 12  # compressed bytes inflated at a time while looking for it
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row>")


def sheet_sizes(data: bytes) -> dict[str, int]:
    """Each sheet's uncompressed XML size by tab name (to read the biggest first); {} when
    the package cannot be read this way (the readers then judge it)."""
    return SheetParts(data).sizes()


def _first_row_filled(data: bytes, name: str) -> bool:
    """Whether row 1 of the sheet has a cell with a value (then the read starts at row 1)."""
    return SheetParts(data).first_row_filled(name)


def _row_one_filled(head: bytes) -> bool:
    row = _FIRST_ROW.search(head)
    if row is None:
        return False
    number = _ROW_NUMBER.search(row.group(1))
    return (number is None or number.group(1) == b"1") and _HAS_VALUE.search(row.group(2)) is not None


def _valid(array, length: int) -> np.ndarray:
    """True where the Arrow array has a value."""
    bitmap = array.buffer(0)
    if len(bitmap) == 0:
        return np.ones(length, dtype=bool)
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
    return bits[array.offset:array.offset + length].astype(bool)


def _column(array, dtype: str) -> RawColumn | None:
    length = len(array)
    empty = ~_valid(array, length)
    if dtype == "float":
        values = np.frombuffer(array.buffer(1), dtype=np.float64)[array.offset:array.offset + length].copy()
        values[empty] = np.nan
        return RawColumn("float", values, empty)
    if dtype == "string":
        encoded = arrow_compute.dictionary_encode(arrow.Array.from_arrow(array))
        labels = arrow.dictionary_dictionary(encoded).to_pylist()
        codes = nanoarrow.Array(arrow.dictionary_indices(encoded))
        positions = np.frombuffer(codes.buffer(1), dtype=np.int32)[codes.offset:codes.offset + length]
        return RawColumn("text", np.where(empty, 0, positions).astype(np.intp), empty, labels)
    values = array.to_pylist()
    if any(v is not None and not EARLIEST < v < LATEST for v in values):
        return None
    return RawColumn("datetime", values, empty)
