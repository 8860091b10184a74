"""Append rows to an input tab of an .xlsx by editing only that worksheet's part.

Used to flush webhook surveys into `Survei`. Only the tab's own sheet XML
changes; every other part (shared strings, styles, other sheets, drawings,
dropdowns) comes out byte-identical. Text goes in as inline strings, so it is
never a formula and `sharedStrings.xml` is untouched; numbers as numbers;
dates as serials when the column is formatted as a date, else as ISO text.
Columns are matched to the tab's header row ignoring case and spaces; a
header label the tab lacks is added after its last header cell; a missing tab
is created with the header (the only case where other parts change).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Any

from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import to_excel

from sync.errors import SyncError
from sync.outtabs import OutputColumn, OutputTab
from sync.parse import normalise_label
from sync.sources.excel.package import replace_sheets
from sync.sources.excel.parts import EXACT_INT, EXCEL_ESCAPE, ILLEGAL_XML, MAIN, MAX_TEXT, Book, Package

__all__ = ["TabWithoutHeader", "append_rows"]

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_HEADER_SCAN = 10
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
# Built-in number formats that show a date or time (ECMA-376 §18.8.30).
_DATE_FORMAT_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_NOT_DATE_PARTS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


class TabWithoutHeader(SyncError):
    """The tab has data but no row with the expected column labels."""


def append_rows(original: bytes, tab_label: str, header_labels: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> bytes:
    """Return `original` with `rows` appended below the last filled row of `tab_label`.

    Args:
        original: the bytes of the .xlsx as read.
        tab_label: the tab, matched ignoring case, spaces and punctuation.
        header_labels: the label of each value position in `rows`.
        rows: values (str, int, float, datetime, date or None) aligned to `header_labels`.

    Raises:
        WorkbookUnreadable: `original` is not a readable .xlsx package.
        TabWithoutHeader: the tab has data but none of `header_labels` in its first rows.
    """
    if not rows:
        return original
    pkg = Package(original)
    book = Book(pkg)
    name = next((s.get("name") for s in book.sheets.iterfind(f"{{{MAIN}}}sheet")
                 if normalise_label(s.get("name", "")) == normalise_label(tab_label)), None)
    if name is None:
        columns = [OutputColumn(label, width=max(12.0, len(label) + 4.0)) for label in header_labels]
        return replace_sheets(original, [OutputTab(tab_label, columns, [tuple(r) for r in rows])])
    sheet = book.find_sheet(name)
    _SheetEdit(pkg, book, sheet.part, name).append(header_labels, rows)
    pkg.changed(sheet.part)
    return pkg.to_bytes()


class _SheetEdit:
    """One worksheet part, parsed, with its rows indexed by number."""

    def __init__(self, pkg: Package, book: Book, part: str, name: str):
        self.pkg, self.book, self.name = pkg, book, name
        self.root = pkg.xml(part)
        self.data = self.root.find(f"{{{MAIN}}}sheetData")
        if self.data is None:
            self.data = etree.SubElement(self.root, f"{{{MAIN}}}sheetData")
        self.rows: dict[int, etree._Element] = {}
        number = 0
        for row in self.data.iterfind(f"{{{MAIN}}}row"):
            number = int(row.get("r") or number + 1)
            row.set("r", str(number))  # implicit numbers made explicit, so inserts stay ordered
            self.rows[number] = row
            _explicit_refs(row, number)
        self._shared: list[str] | None = None
        self._date_styles: dict[str, bool] = {}

    def append(self, labels: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        filled = [n for n, row in self.rows.items() if any(map(_has_value, row))]
        header_row, columns = self._header(labels)
        if header_row is None:
            if filled:
                raise TabWithoutHeader(
                    f'Tab "{self.name}" tidak memiliki baris judul ({", ".join(labels[:4])}, ...), '
                    "jadi Kinerja tidak tahu kolom mana yang diisi. Tambahkan baris judul di baris 1 "
                    "seperti pada templat, lalu jalankan lagi.")
            header_row, columns = 1, {}
        header_style = next((c.get("s") for c in self._row(header_row) if c.get("s")), None)
        next_col = max(columns.values(), default=0) + 1
        positions = []
        for label in labels:
            key = normalise_label(label)
            if key not in columns:  # a column the clerk's tab lacks: add its header
                columns[key] = next_col
                self._put(header_row, next_col, label, header_style)
                next_col += 1
            positions.append(columns[key])
        start = max([header_row, *filled]) + 1
        for i, values in enumerate(rows):
            for col, value in zip(positions, values, strict=False):
                if value is not None and value != "" and not (isinstance(value, float) and math.isnan(value)):
                    self._put(start + i, col, value)
        self._dimension(start + len(rows) - 1, next_col - 1)

    def _header(self, labels: Sequence[str]) -> tuple[int | None, dict[str, int]]:
        wanted = {normalise_label(label) for label in labels}
        best, best_hits, best_columns = None, 0, {}
        for number in sorted(n for n in self.rows if n <= _HEADER_SCAN):
            columns: dict[str, int] = {}
            for cell in self.rows[number].iterfind(f"{{{MAIN}}}c"):
                key = normalise_label(self._text(cell))
                if key and key not in columns:
                    columns[key] = _column(cell.get("r"))
            hits = len(wanted & set(columns))
            if hits > best_hits:
                best, best_hits, best_columns = number, hits, columns
        return best, best_columns

    def _row(self, number: int) -> etree._Element:
        row = self.rows.get(number)
        if row is None:
            row = etree.Element(f"{{{MAIN}}}row", r=str(number))
            later = [n for n in self.rows if n > number]
            if later:
                self.rows[min(later)].addprevious(row)
            else:
                self.data.append(row)
            self.rows[number] = row
        row.attrib.pop("spans", None)  # a hint Excel recomputes; stale once cells are added
        return row

    def _put(self, number: int, col: int, value: Any, style: str | None = None) -> None:
        row = self._row(number)
        ref = f"{get_column_letter(col)}{number}"
        old = next((c for c in row.iterfind(f"{{{MAIN}}}c") if c.get("r") == ref), None)
        style = style or (old.get("s") if old is not None else None) or self._column_style(col)
        cell = etree.Element(f"{{{MAIN}}}c", r=ref)
        if style and style != "0":
            cell.set("s", style)
        self._fill(cell, value, style)
        if old is not None:
            old.addnext(cell)
            row.remove(old)
            return
        later = [c for c in row.iterfind(f"{{{MAIN}}}c") if _column(c.get("r")) > col]
        if later:
            later[0].addprevious(cell)
        else:
            row.append(cell)

    def _fill(self, cell: etree._Element, value: Any, style: str | None) -> None:
        if isinstance(value, dt.date):
            if style and self._is_date_style(style):
                naive = value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value
                etree.SubElement(cell, f"{{{MAIN}}}v").text = repr(float(to_excel(naive, self.book.epoch)))
                return
            value = value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
        elif isinstance(value, int) and not isinstance(value, bool) and -EXACT_INT < value < EXACT_INT:
            etree.SubElement(cell, f"{{{MAIN}}}v").text = str(value)
            return
        elif isinstance(value, float) and math.isfinite(value):
            etree.SubElement(cell, f"{{{MAIN}}}v").text = repr(value)
            return
        text = _clean(str(value))
        cell.set("t", "inlineStr")
        t = etree.SubElement(etree.SubElement(cell, f"{{{MAIN}}}is"), f"{{{MAIN}}}t")
        t.text = text
        if text[:1].isspace() or text[-1:].isspace():
            t.set(XML_SPACE, "preserve")

    def _dimension(self, last_row: int, last_col: int) -> None:
        dim = self.root.find(f"{{{MAIN}}}dimension")
        if dim is None:
            return
        refs = [_REF.fullmatch(part) for part in dim.get("ref", "A1").split(":")]
        if not all(refs):
            return
        cols = [column_index_from_string(m[1]) for m in refs]
        numbers = [int(m[2]) for m in refs]
        dim.set("ref", f"{get_column_letter(min(cols))}{min(numbers)}:"
                       f"{get_column_letter(max(*cols, last_col))}{max(*numbers, last_row)}")

    def _column_style(self, col: int) -> str | None:
        for spec in self.root.iterfind(f"{{{MAIN}}}cols/{{{MAIN}}}col"):
            if int(spec.get("min", 0)) <= col <= int(spec.get("max", 0)):
                return spec.get("style")
        return None

    def _is_date_style(self, style: str) -> bool:
        if style not in self._date_styles:
            self._date_styles[style] = _date_style(self.pkg, self.book, int(style))
        return self._date_styles[style]

    def _text(self, cell: etree._Element) -> str:
        kind = cell.get("t")
        if kind == "inlineStr":
            return _string_item(cell.find(f"{{{MAIN}}}is"))
        value = cell.findtext(f"{{{MAIN}}}v") or ""
        if kind == "s":
            shared = self._shared_strings()
            return shared[int(value)] if value.isdigit() and int(value) < len(shared) else ""
        return value

    def _shared_strings(self) -> list[str]:
        if self._shared is None:
            part = self.book.target("sharedStrings")
            part = self.pkg.find(part) if part else None
            items = self.pkg.xml(part).iterfind(f"{{{MAIN}}}si") if part else ()
            self._shared = [_string_item(si) for si in items]
        return self._shared


def _string_item(item: etree._Element | None) -> str:
    """The text of an <si> or <is>: its runs' <t>, leaving out phonetic hints (<rPh>)."""
    if item is None:
        return ""
    return "".join(t.text or "" for t in item.iter(f"{{{MAIN}}}t")
                   if etree.QName(t.getparent()).localname != "rPh")


def _date_style(pkg: Package, book: Book, index: int) -> bool:
    part = book.target("styles")
    part = pkg.find(part) if part else None
    if part is None:
        return False
    root = pkg.xml(part)
    xfs = root.findall(f"{{{MAIN}}}cellXfs/{{{MAIN}}}xf")
    if index >= len(xfs):
        return False
    fmt_id = int(xfs[index].get("numFmtId", "0"))
    if fmt_id in _DATE_FORMAT_IDS:
        return True
    for fmt in root.iterfind(f"{{{MAIN}}}numFmts/{{{MAIN}}}numFmt"):
        if fmt.get("numFmtId") == str(fmt_id):
            code = _NOT_DATE_PARTS.sub("", fmt.get("formatCode", "")).lower()
            return any(ch in code for ch in "dmyhs") and "general" not in code
    return False


def _explicit_refs(row: etree._Element, number: int) -> None:
    col = 0
    for cell in row.iterfind(f"{{{MAIN}}}c"):
        col = _column(cell.get("r")) if cell.get("r") else col + 1
        cell.set("r", f"{get_column_letter(col)}{number}")


def _column(ref: str | None) -> int:
    match = _REF.fullmatch(ref or "")
    return column_index_from_string(match[1]) if match else 0


def _has_value(cell: etree._Element) -> bool:
    return any(etree.QName(child).localname in ("v", "is", "f") for child in cell
               if isinstance(child.tag, str))


def _clean(text: str) -> str:
    """Text Excel reads back as typed: illegal XML characters dropped, `_xHHHH_` guarded."""
    text = ILLEGAL_XML.sub("", text[:MAX_TEXT]).replace("\r\n", "\n").replace("\r", "\n")
    return EXCEL_ESCAPE.sub(r"_x005F\g<0>", text)
