"""Write output tabs into an .xlsx file by swapping parts inside its zip package.

Loading and re-saving a clerk's workbook with openpyxl drops what openpyxl does
not model (shapes, sparklines, slicers, x14 data validations). `replace_sheets`
replaces only the output tabs' parts; every other part comes out byte-identical
(design §7). Shared parts are edited with lxml, so their namespaces,
mc:Ignorable and extension lists survive. Only these parts may change:
[Content_Types].xml, the workbook part and its rels, the styles part, and each
output sheet's own parts (sheet xml, its rels, its drawing and charts).
"""

from __future__ import annotations

import copy
import decimal
import io
import numbers
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime
from typing import NamedTuple

from lxml import etree
from openpyxl.chart import BarChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, to_excel
from openpyxl.xml.functions import tostring as openpyxl_tostring

from sheet_templates.results import OUTPUT_TAB_COLOR
from sync.errors import SyncError, WorkbookUnreadable
from sync.outtabs import ChartSpec, OutputTab

__all__ = ["OutputTabBlocked", "replace_sheets"]

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CT_PART = "[Content_Types].xml"
_CT = "application/vnd.openxmlformats-officedocument."
CT_SHEET = _CT + "spreadsheetml.worksheet+xml"
CT_STYLES = _CT + "spreadsheetml.styles+xml"
CT_DRAWING = _CT + "drawing+xml"
CT_CHART = _CT + "drawingml.chart+xml"

_XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_NEW_PART_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so a rerun gives the same zip

_HEADER_FILL = "FFD9E1F2"
_HIGHLIGHT_FILL = "FFC6EFCE"  # Excel's light green "Good"
_DATE = "dd/mm/yyyy"
_DATETIME = "dd/mm/yyyy hh:mm"
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2}
_CHART_CM = (15.0, 7.5)
_CHART_ROWS = 16  # rows between two stacked charts
_EXACT_INT = 10**15  # Excel keeps 15 significant digits; longer ints go in as text
_MAX_TEXT = 32767  # Excel's cell limit; longer text makes Excel "repair" the file

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_ESCAPE = re.compile(
    "[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_"
)
_EXCEL_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_")
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


class OutputTabBlocked(SyncError):
    """An output tab's name is taken by a sheet that is not a plain worksheet."""


class _Sheet(NamedTuple):
    name: str  # as spelled in the workbook, which may differ in case from the tab
    part: str
    sheet_id: int
    selected: bool


def replace_sheets(original: bytes, tabs: list[OutputTab]) -> bytes:
    """Return `original` with each tab written as a worksheet, all else unchanged.

    A tab whose name (case-insensitively) matches an existing worksheet
    replaces that worksheet's part; any other tab is appended as a new sheet.
    Parts only the replaced sheets used (old drawings, charts, comments,
    tables) are removed. The result is deterministic: applying the same tabs to
    the output again yields byte-identical parts.

    Args:
        original: the bytes of the .xlsx file as read.
        tabs: the output tabs to write, in the order new sheets are appended.

    Returns:
        The bytes of the new .xlsx file.

    Raises:
        WorkbookUnreadable: `original` is not a readable .xlsx package.
        OutputTabBlocked: a tab's name belongs to a chart sheet or similar.
        ValueError: a tab is malformed (bad name, row longer than its columns).
    """
    _check_tabs(tabs)
    pkg = _Package(original)
    book = _Book(pkg)
    found = [book.find_sheet(tab.name) for tab in tabs]
    replaced = [sheet for sheet in found if sheet is not None]
    _drop_parts_only_used_by(pkg, {sheet.part for sheet in replaced})
    book.drop_calc_chain_for({sheet.sheet_id for sheet in replaced})
    styles = _Styles(pkg, book)
    # New sheets first, then drawings and charts: a rerun, which removes and re-adds
    # only the latter, then lists content types and parts in the same order.
    sheets = [sheet or book.add_sheet(tab.name) for tab, sheet in zip(tabs, found, strict=True)]
    for tab, sheet in zip(tabs, sheets, strict=True):
        _write_tab(pkg, styles, tab, sheet, book.epoch)
    return pkg.to_bytes()


def _check_tabs(tabs: list[OutputTab]) -> None:
    seen = set()
    for tab in tabs:
        name = tab.name
        if not _valid_sheet_name(name):
            raise ValueError(f"invalid Excel sheet name: {name!r}")
        if name.casefold() in seen:
            raise ValueError(f"duplicate output tab: {name!r}")
        seen.add(name.casefold())
        for spec in tab.charts:
            if not all(0 <= c < len(tab.columns) for c in (spec.category_column,
                                                           *spec.series_columns)):
                raise ValueError(f"chart {spec.title!r} refers to a column {name!r} lacks")


def _valid_sheet_name(name: str) -> bool:
    return (0 < len(name) <= 31 and not _BAD_SHEET_NAME.search(name)
            and not name.startswith("'") and not name.endswith("'")
            and name.casefold() != "history")  # Excel reserves "History"


# --- the zip package -------------------------------------------------------------------


class _Package:
    """The parts of an .xlsx zip, with parsed XML kept until written back."""

    def __init__(self, data: bytes):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = [info for info in zf.infolist() if not info.is_dir()]
                self.parts = {info.filename: zf.read(info) for info in infos}
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError,
                NotImplementedError, ValueError) as ex:
            raise WorkbookUnreadable(_unreadable_message(data, ex)) from ex
        self.infos = {info.filename: info for info in infos}
        self._lower = {name.lower(): name for name in self.parts}
        self._trees: dict[str, etree._Element] = {}
        self._dirty: set[str] = set()
        if self.find(CT_PART) is None:
            raise WorkbookUnreadable(_missing_part_message(CT_PART))

    def find(self, name: str) -> str | None:
        """The stored name of a part; part names are case-insensitive in OPC."""
        return self._lower.get(name.lower())

    def xml(self, name: str) -> etree._Element:
        if name not in self._trees:
            try:
                self._trees[name] = etree.fromstring(self.parts[name], _PARSER)
            except etree.XMLSyntaxError as ex:
                raise WorkbookUnreadable(
                    f"Bagian {name} di dalam workbook rusak ({ex}). "
                    "Buka berkas di Excel lalu simpan ulang sebagai .xlsx."
                ) from ex
        return self._trees[name]

    def changed(self, name: str) -> None:
        self._dirty.add(name)

    def put(self, name: str, data: bytes) -> None:
        self.remove(name)
        self.parts[name] = data
        self._lower[name.lower()] = name

    def put_xml(self, name: str, root: etree._Element) -> None:
        self.put(name, b"")
        self._trees[name] = root
        self._dirty.add(name)

    def remove(self, name: str) -> None:
        stored = self.find(name)
        if stored is not None:
            del self.parts[stored], self._lower[stored.lower()]
            self._trees.pop(stored, None)
            self._dirty.discard(stored)

    def free_name(self, pattern: str) -> str:
        """The first unused `pattern.format(n)` for n = 1, 2, ..."""
        n = 1
        while self.find(pattern.format(n)) is not None:
            n += 1
        return pattern.format(n)

    def rel_targets(self, source: str) -> list[tuple[etree._Element, str | None]]:
        """Relationships of `source` ("" is the package) with resolved internal targets."""
        rels = self.find(_rels_name(source))
        if rels is None:
            return []
        out = []
        for rel in self.xml(rels).iter(f"{{{PKG_RELS}}}Relationship"):
            target = None
            if rel.get("TargetMode") != "External":
                target = _resolve(source, rel.get("Target", ""))
                target = self.find(target) or target
            out.append((rel, target))
        return out

    def to_bytes(self) -> bytes:
        for name in self._dirty:
            tree = self._trees[name].getroottree()
            self.parts[name] = _XML_DECL + etree.tostring(
                tree, encoding="UTF-8", xml_declaration=False
            )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for name, data in self.parts.items():
                old = self.infos.get(name)
                info = zipfile.ZipInfo(name, old.date_time if old else _NEW_PART_TIME)
                info.compress_type = old.compress_type if old else zipfile.ZIP_DEFLATED
                info.external_attr = old.external_attr if old else 0o600 << 16
                # level 1 on big parts: a 120,000-row Hasil zips ~0.5 s faster, ~25% larger
                zf.writestr(info, data, compresslevel=1 if len(data) > 1 << 20 else None)
        return out.getvalue()


def _rels_name(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def _relative(source: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


def _rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{rid}" Type="{R_NS}/{kind}" Target="{target}"/>'
                   for rid, kind, target in rels)
    return _XML_DECL + f'<Relationships xmlns="{PKG_RELS}">{body}</Relationships>'.encode()


def _reachable(pkg: _Package, starts: set[str], stop: frozenset[str] = frozenset()) -> set[str]:
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        part = todo.pop()
        if part in seen:
            continue
        seen.add(part)
        if part not in stop:
            todo.extend(target for _, target in pkg.rel_targets(part) if target)
    return seen


def _drop_parts_only_used_by(pkg: _Package, sheets: set[str]) -> None:
    """Remove old drawings, charts, comments... that nothing but the replaced sheets use."""
    if not sheets:
        return
    owned = _reachable(pkg, sheets) - sheets
    kept = _reachable(pkg, {""}, stop=frozenset(sheets))
    for part in sorted(owned - kept):
        pkg.remove(_rels_name(part))
        pkg.remove(part)
        _drop_content_type(pkg, part)
    for sheet in sheets:
        pkg.remove(_rels_name(sheet))


def _set_content_type(pkg: _Package, part: str, content_type: str) -> None:
    types = pkg.xml(pkg.find(CT_PART))
    for override in types.iter(f"{{{CT_NS}}}Override"):
        if override.get("PartName", "").lower() == "/" + part.lower():
            if override.get("ContentType") != content_type:
                override.set("ContentType", content_type)
                pkg.changed(pkg.find(CT_PART))
            return
    ext = part.rpartition(".")[2].lower()
    for default in types.iter(f"{{{CT_NS}}}Default"):
        if (default.get("Extension", "").lower(), default.get("ContentType")) == (ext,
                                                                                  content_type):
            return
    etree.SubElement(types, f"{{{CT_NS}}}Override", PartName="/" + part,
                     ContentType=content_type)
    pkg.changed(pkg.find(CT_PART))


def _drop_content_type(pkg: _Package, part: str) -> None:
    types = pkg.xml(pkg.find(CT_PART))
    for override in types.findall(f"{{{CT_NS}}}Override"):
        if override.get("PartName", "").lower() == "/" + part.lower():
            types.remove(override)
            pkg.changed(pkg.find(CT_PART))


def _unreadable_message(data: bytes, ex: Exception) -> str:
    if data[:4] == b"\xd0\xcf\x11\xe0":
        return ("Berkas ini berformat Excel lama (.xls) atau dilindungi kata sandi, bukan .xlsx "
                "biasa. Buka di Excel, hapus kata sandinya bila ada, lalu simpan ulang sebagai "
                "Excel Workbook (.xlsx).")
    reason = ("isinya bukan arsip .xlsx atau berkas terpotong"
              if isinstance(ex, zipfile.BadZipFile) else f"isi berkas rusak ({ex})")
    return (f"Berkas bukan workbook Excel (.xlsx) yang valid: {reason}. "
            "Simpan ulang berkas dari Excel sebagai .xlsx.")


def _missing_part_message(part: str) -> str:
    return (f"Berkas bukan workbook Excel (.xlsx) yang valid: bagian {part} tidak ada "
            "(mungkin .xlsb, .ods atau berkas lain yang diberi nama .xlsx). "
            "Simpan ulang berkas dari Excel sebagai .xlsx.")


# --- workbook.xml and its rels ---------------------------------------------------------


class _Book:
    """The workbook part: its sheet list, its relationships, its date system."""

    def __init__(self, pkg: _Package):
        self.pkg = pkg
        main = [t for rel, t in pkg.rel_targets("") if rel.get("Type", "").endswith(
            "/officeDocument") and t and pkg.find(t)]
        self.part = main[0] if main else pkg.find("xl/workbook.xml")
        if self.part is None:
            raise WorkbookUnreadable(_missing_part_message("xl/workbook.xml"))
        self.root = pkg.xml(self.part)
        namespace = etree.QName(self.root).namespace
        if namespace == STRICT_MAIN:
            raise WorkbookUnreadable(
                "Berkas disimpan dalam format Strict Open XML yang tidak didukung. "
                "Simpan ulang dari Excel sebagai 'Excel Workbook (.xlsx)'.")
        self.sheets = self.root.find(f"{{{MAIN}}}sheets")
        if namespace != MAIN or self.sheets is None:
            raise WorkbookUnreadable(_missing_part_message(f"{self.part} (daftar sheet)"))
        self.rels_part = pkg.find(_rels_name(self.part)) or _rels_name(self.part)
        if pkg.find(self.rels_part) is None:
            pkg.put_xml(self.rels_part, etree.Element(f"{{{PKG_RELS}}}Relationships",
                                                      nsmap={None: PKG_RELS}))
        pr = self.root.find(f"{{{MAIN}}}workbookPr")
        self.epoch = MAC_EPOCH if pr is not None and pr.get("date1904") in ("1", "true") \
            else WINDOWS_EPOCH
        view = self.root.find(f"{{{MAIN}}}bookViews/{{{MAIN}}}workbookView")
        self.active_tab = _int(view.get("activeTab") if view is not None else None)

    def rels(self) -> list[tuple[etree._Element, str | None]]:
        return self.pkg.rel_targets(self.part)

    def target(self, kind: str) -> str | None:
        """The part behind the first relationship of type `kind` (e.g. "styles")."""
        return next((t for rel, t in self.rels() if rel.get("Type") == f"{R_NS}/{kind}"), None)

    def find_sheet(self, name: str) -> _Sheet | None:
        for position, sheet in enumerate(self.sheets.iterfind(f"{{{MAIN}}}sheet")):
            if sheet.get("name", "").casefold() != name.casefold():
                continue
            rid = sheet.get(f"{{{R_NS}}}id")
            rel, target = next(((r, t) for r, t in self.rels() if r.get("Id") == rid),
                               (None, None))
            if rel is None or target is None:
                raise WorkbookUnreadable(_missing_part_message(f"sheet {name}"))
            if rel.get("Type") != f"{R_NS}/worksheet":
                raise OutputTabBlocked(
                    f'Tab "{sheet.get("name")}" bukan lembar kerja biasa (misalnya chart sheet), '
                    "jadi hasil tidak bisa ditulis ke sana. Ganti nama atau hapus tab itu di "
                    "Excel, lalu jalankan lagi.")
            return _Sheet(sheet.get("name"), target, _int(sheet.get("sheetId")),
                          position == self.active_tab)
        return None

    def add_sheet(self, name: str) -> _Sheet:
        folder = posixpath.dirname(self.part)
        part = self.pkg.free_name(posixpath.join(folder, "worksheets/sheet{}.xml"))
        rid = self.add_rel("worksheet", part)
        existing = list(self.sheets.iterfind(f"{{{MAIN}}}sheet"))
        sheet_id = max((_int(s.get("sheetId")) for s in existing), default=0) + 1
        sheet = etree.SubElement(self.sheets, f"{{{MAIN}}}sheet", name=name,
                                 sheetId=str(sheet_id))
        sheet.set(f"{{{R_NS}}}id", rid)
        self.pkg.changed(self.part)
        self.pkg.put(part, b"")  # reserve the name; written by _write_tab
        _set_content_type(self.pkg, part, CT_SHEET)
        return _Sheet(name, part, sheet_id, len(existing) == self.active_tab)

    def add_rel(self, kind: str, part: str) -> str:
        root = self.pkg.xml(self.rels_part)
        ids = {rel.get("Id") for rel in root}
        rid = next(f"rId{n}" for n in range(1, len(ids) + 2) if f"rId{n}" not in ids)
        etree.SubElement(root, f"{{{PKG_RELS}}}Relationship", Id=rid, Type=f"{R_NS}/{kind}",
                         Target=_relative(self.part, part))
        self.pkg.changed(self.rels_part)
        return rid

    def drop_calc_chain_for(self, sheet_ids: set[int]) -> None:
        """Drop calcChain.xml when it lists a replaced sheet; Excel rebuilds it on open."""
        if not sheet_ids:
            return
        for rel, target in self.rels():
            if rel.get("Type") != f"{R_NS}/calcChain" or not target:
                continue
            if self.pkg.find(target) is not None and not _chain_uses(
                    self.pkg.xml(self.pkg.find(target)), sheet_ids):
                continue
            self.pkg.remove(target)
            _drop_content_type(self.pkg, target)
            rel.getparent().remove(rel)
            self.pkg.changed(self.rels_part)


def _chain_uses(chain: etree._Element, sheet_ids: set[int]) -> bool:
    current = None  # a cell without i belongs to the previous cell's sheet
    for cell in chain.iterfind(f"{{{MAIN}}}c"):
        if cell.get("i") is not None:
            current = _int(cell.get("i"))
        if current is None or current in sheet_ids:
            return True
    return False


def _int(text: str | None) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


# --- styles.xml ------------------------------------------------------------------------

_STYLE_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs",
                "cellStyles", "dxfs", "tableStyles", "colors", "extLst")
_EMPTY_BOXES = {
    "numFmts": "",
    "fonts": '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    "fills": '<fill><patternFill patternType="none"/></fill>'
             '<fill><patternFill patternType="gray125"/></fill>',
    "borders": "<border><left/><right/><top/><bottom/><diagonal/></border>",
    "cellStyleXfs": '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>',
    "cellXfs": '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    "cellStyles": '<cellStyle name="Normal" xfId="0" builtinId="0"/>',
}


class _Styles:
    """Cell formats in the styles part; an identical existing entry is reused, never doubled."""

    def __init__(self, pkg: _Package, book: _Book):
        self.pkg = pkg
        self.part = book.target("styles")
        if self.part is None:
            self.part = posixpath.join(posixpath.dirname(book.part), "styles.xml")
            book.add_rel("styles", self.part)
        created = pkg.find(self.part) is None
        if created:
            pkg.put_xml(self.part, etree.Element(f"{{{MAIN}}}styleSheet", nsmap={None: MAIN}))
        self.part = pkg.find(self.part)
        _set_content_type(pkg, self.part, CT_STYLES)
        self.root = pkg.xml(self.part)
        for box in tuple(_EMPTY_BOXES)[1:] if created else ():  # all but numFmts
            self._box(box)
        self._cache: dict[tuple, int] = {}

    def xf(self, fmt: str = "General", bold: bool = False, fill: str | None = None,
           border: bool = False, wrap: bool = False, center: bool = False) -> int:
        """Index in cellXfs of a cell format with these properties."""
        key = (fmt, bold, fill, border, wrap, center)
        if key == ("General", False, None, False, False, False):
            return 0  # the workbook's own default look
        if key not in self._cache:
            self._box("cellStyleXfs")  # xfId="0" must exist
            xf = etree.Element(f"{{{MAIN}}}xf", numFmtId=str(self._num_fmt(fmt)),
                               fontId=str(self._add("fonts", self._bold_font()) if bold else 0),
                               fillId=str(self._add("fills", _fill(fill)) if fill else 0),
                               borderId=str(self._add("borders", _thin_border()) if border
                                            else 0),
                               xfId="0")
            for flag, attr in ((fmt != "General", "applyNumberFormat"), (bold, "applyFont"),
                               (fill, "applyFill"), (border, "applyBorder"),
                               (wrap or center, "applyAlignment")):
                if flag:
                    xf.set(attr, "1")
            if wrap or center:
                align = etree.SubElement(xf, f"{{{MAIN}}}alignment")
                if center:
                    align.set("vertical", "center")
                if wrap:
                    align.set("wrapText", "1")
            self._cache[key] = self._add("cellXfs", xf)
        return self._cache[key]

    def _box(self, tag: str) -> etree._Element:
        box = self.root.find(f"{{{MAIN}}}{tag}")
        if box is None:
            box = etree.fromstring(f'<{tag} xmlns="{MAIN}">{_EMPTY_BOXES[tag]}</{tag}>')
            box.set("count", str(len(box)))
            later = [c for c in self.root if isinstance(c.tag, str) and etree.QName(c).localname
                     in _STYLE_ORDER[_STYLE_ORDER.index(tag) + 1:]]
            if later:
                later[0].addprevious(box)
            else:
                self.root.append(box)
            self.pkg.changed(self.part)
        return box

    def _add(self, tag: str, candidate: etree._Element) -> int:
        box = self._box(tag)
        entries = box.findall(candidate.tag)
        wanted = _key(candidate)
        for index, entry in enumerate(entries):
            if _key(entry) == wanted:
                return index
        box.append(candidate)
        box.set("count", str(len(entries) + 1))
        self.pkg.changed(self.part)
        return len(entries)

    def _num_fmt(self, code: str) -> int:
        if code in _BUILTIN_FORMATS:
            return _BUILTIN_FORMATS[code]
        box = self.root.find(f"{{{MAIN}}}numFmts")
        formats = [] if box is None else box.findall(f"{{{MAIN}}}numFmt")
        for fmt in formats:
            if fmt.get("formatCode") == code:
                return _int(fmt.get("numFmtId"))
        new_id = max([163, *(_int(f.get("numFmtId")) for f in formats)]) + 1
        self._add("numFmts", etree.Element(f"{{{MAIN}}}numFmt", numFmtId=str(new_id),
                                           formatCode=code))
        return new_id

    def _bold_font(self) -> etree._Element:
        base = self._box("fonts").find(f"{{{MAIN}}}font")
        font = copy.deepcopy(base) if base is not None else etree.Element(f"{{{MAIN}}}font")
        font.tail = None
        for old in font.findall(f"{{{MAIN}}}b"):
            font.remove(old)
        font.insert(0, etree.Element(f"{{{MAIN}}}b"))
        return font


def _key(el: etree._Element) -> tuple:
    """Compare style entries by content, ignoring prefixes, attribute order and whitespace."""
    return (el.tag, tuple(sorted(el.attrib.items())),
            tuple(_key(child) for child in el if isinstance(child.tag, str)))


def _fill(rgb: str) -> etree._Element:
    return etree.fromstring(f'<fill xmlns="{MAIN}"><patternFill patternType="solid">'
                            f'<fgColor rgb="{rgb}"/><bgColor indexed="64"/></patternFill></fill>')


def _thin_border() -> etree._Element:
    sides = "".join(f'<{side} style="thin"><color indexed="64"/></{side}>'
                    for side in ("left", "right", "top", "bottom"))
    return etree.fromstring(f'<border xmlns="{MAIN}">{sides}<diagonal/></border>')


# --- one output tab: sheet xml, drawing, charts ----------------------------------------


class _Look:
    """The style attribute (` s="n"`) of each column, plain and highlighted."""

    def __init__(self, styles: _Styles, tab: OutputTab):
        self.styles = styles
        self.columns = tab.columns
        self._dates: dict[tuple[int, bool, bool], str] = {}
        self.header = _s(styles.xf(bold=True, fill=_HEADER_FILL, border=True, wrap=True,
                                   center=True))
        self.title = _s(styles.xf(bold=True)) if tab.title else ""
        self.plain = [self._attr(j, _column_format(col), None)
                      for j, col in enumerate(tab.columns)]
        self.marked = [self._attr(j, _column_format(col), _HIGHLIGHT_FILL)
                       for j, col in enumerate(tab.columns)] if tab.highlight_rows else []

    def _attr(self, j: int, fmt: str, fill: str | None) -> str:
        return _s(self.styles.xf(fmt, fill=fill, wrap=self.columns[j].wrap))

    def date(self, j: int, marked: bool, with_time: bool) -> str:
        key = (j, marked, with_time)
        if key not in self._dates:
            self._dates[key] = self._attr(j, _DATETIME if with_time else _DATE,
                                          _HIGHLIGHT_FILL if marked else None)
        return self._dates[key]


def _s(index: int) -> str:
    return f' s="{index}"' if index else ""


def _column_format(col) -> str:
    if col.kind == "int":
        return "0"
    if col.kind in ("number", "percent"):  # percent values are already 0-100
        return "0." + "0" * col.decimals if col.decimals > 0 else "0"
    return _DATE if col.kind == "date" else "General"


def _write_tab(pkg: _Package, styles: _Styles, tab: OutputTab, sheet: _Sheet,
               epoch: datetime) -> None:
    _set_content_type(pkg, sheet.part, CT_SHEET)
    look = _Look(styles, tab)
    drawn = [(spec, xml) for spec in tab.charts if (xml := _chart_xml(spec, tab, sheet.name))]
    drawing_rid = None
    if drawn:
        drawing = pkg.free_name("xl/drawings/drawing{}.xml")
        chart_rels, anchors = [], []
        for k, (spec, xml) in enumerate(drawn):
            part = pkg.free_name("xl/charts/chart{}.xml")
            pkg.put(part, xml)
            _set_content_type(pkg, part, CT_CHART)
            chart_rels.append((f"rId{k + 1}", "chart", _relative(drawing, part)))
            column = len(tab.columns) + 1 if spec.anchor_column is None else spec.anchor_column
            anchors.append((column, tab.header_row - 1 + k * _CHART_ROWS))
        pkg.put(drawing, _drawing_xml(anchors))
        pkg.put(_rels_name(drawing), _rels_xml(chart_rels))
        _set_content_type(pkg, drawing, CT_DRAWING)
        drawing_rid = "rId1"
        pkg.put(_rels_name(sheet.part),
                _rels_xml([(drawing_rid, "drawing", _relative(sheet.part, drawing))]))
    pkg.put(sheet.part, _sheet_xml(tab, look, sheet.selected, drawing_rid, epoch))


def _sheet_xml(tab: OutputTab, look: _Look, selected: bool, drawing_rid: str | None,
               epoch: datetime) -> bytes:
    n, head = len(tab.columns), tab.header_row
    last_col = get_column_letter(max(n, 1))
    top = f"A{head + 1}"
    tab_selected = ' tabSelected="1"' if selected else ""
    out = [f'<worksheet xmlns="{MAIN}" xmlns:r="{R_NS}">',
           f'<sheetPr><tabColor rgb="FF{OUTPUT_TAB_COLOR}"/></sheetPr>',
           f'<dimension ref="A1:{last_col}{head + len(tab.rows)}"/>',
           f'<sheetViews><sheetView{tab_selected} workbookViewId="0">'
           f'<pane ySplit="{head}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
           f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView>'
           '</sheetViews><sheetFormatPr defaultRowHeight="15"/>']
    if n:
        out.append("<cols>" + "".join(
            f'<col min="{j}" max="{j}" width="{_number(col.width)}" customWidth="1"/>'
            for j, col in enumerate(tab.columns, start=1)) + "</cols>")
    out.append("<sheetData>")
    if tab.title:
        out.append(f'<row r="1"><c r="A1"{look.title} t="inlineStr"><is>{_t(tab.title)}</is>'
                   "</c></row>")
    out.append(f'<row r="{head}">' + "".join(
        f'<c r="{get_column_letter(j)}{head}"{look.header} t="inlineStr"><is>{_t(col.header)}'
        "</is></c>" for j, col in enumerate(tab.columns, start=1) if col.header) + "</row>")
    body = [_XML_DECL, "".join(out).encode()]
    body.extend(row.encode() for row in _data_rows(tab, look, epoch))  # one copy of 100 MB, not 3
    # Like the template: protected without a password so nobody types into a tab that the
    # next run rewrites, while sorting, filtering and resizing stay allowed.
    out = ["</sheetData>", '<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" '
           'formatRows="0" sort="0" autoFilter="0"/>']
    if tab.title and n > 1:
        out.append(f'<mergeCells count="1"><mergeCell ref="A1:{last_col}1"/></mergeCells>')
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
               'footer="0.3"/>')
    if drawing_rid:
        out.append(f'<drawing r:id="{drawing_rid}"/>')
    out.append("</worksheet>")
    body.append("".join(out).encode())
    return b"".join(body)


def _data_rows(tab: OutputTab, look: _Look, epoch: datetime) -> Iterator[str]:
    # The hot loop (2.3 M cells for a big Hasil): common types are matched inline.
    letters = [get_column_letter(j) for j in range(1, len(tab.columns) + 1)]
    width, marked = len(letters), tab.highlight_rows
    texts: dict[str, str] = {}  # output tabs repeat units, grades, names
    day_zero = epoch.toordinal()
    for i, row in enumerate(tab.rows):
        if len(row) > width:
            raise ValueError(f"tab {tab.name!r} row {i} has {len(row)} values for {width} columns")
        r = str(tab.header_row + 1 + i)
        styles = look.marked if i in marked else look.plain
        cells = []
        add = cells.append
        for j, v in enumerate(row):
            t = type(v)
            if t is str:
                if v:
                    text = texts.get(v)
                    if text is None:
                        text = texts[v] = _t(v)
                    add(f'<c r="{letters[j]}{r}"{styles[j]} t="inlineStr"><is>{text}</is></c>')
            elif t is float:
                if v - v == 0:  # NaN and infinities have no Excel value
                    add(f'<c r="{letters[j]}{r}"{styles[j]}><v>{v!r}</v></c>')
            elif t is int and -_EXACT_INT < v < _EXACT_INT:
                add(f'<c r="{letters[j]}{r}"{styles[j]}><v>{v}</v></c>')
            elif t is date and v.toordinal() - day_zero > 60:  # past Excel's 1900 leap bug
                add(f'<c r="{letters[j]}{r}"{look.date(j, i in marked, False)}>'
                    f"<v>{v.toordinal() - day_zero}</v></c>")
            elif v is not None:
                add(_other_cell(letters[j] + r, v, look, j, i in marked, epoch))
        yield f'<row r="{r}">{"".join(cells)}</row>'


def _other_cell(ref: str, v, look: _Look, j: int, marked: bool, epoch: datetime) -> str:
    style = (look.marked if marked else look.plain)[j]
    if type(v).__name__ in ("bool", "bool_"):  # Python's and numpy's
        v = "Ya" if v else "Tidak"
    elif type(v).__name__ in ("NaTType", "NAType"):  # pandas' missing values
        return ""
    elif isinstance(v, date):
        if isinstance(v, datetime):
            v = v.replace(tzinfo=None)
            style = look.date(j, marked, with_time=v.time() != datetime.min.time())
        else:
            style = look.date(j, marked, with_time=False)
        serial = to_excel(v, epoch)
        if serial is not None and serial >= 1:
            return f'<c r="{ref}"{style}><v>{_number(serial)}</v></c>'
        v = v.isoformat()  # before the epoch: Excel has no such date
    elif isinstance(v, numbers.Integral) and -_EXACT_INT < v < _EXACT_INT:
        return f'<c r="{ref}"{style}><v>{int(v)}</v></c>'
    elif isinstance(v, numbers.Integral):
        v = str(int(v))
    elif isinstance(v, numbers.Real | decimal.Decimal):
        v = float(v)
        return f'<c r="{ref}"{style}><v>{v!r}</v></c>' if v - v == 0 else ""
    v = str(v)
    return f'<c r="{ref}"{style} t="inlineStr"><is>{_t(v)}</is></c>' if v else ""


def _number(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(float(x))


def _t(text: str) -> str:
    """`<t>` for an inline string: escaped, Excel's _xHHHH_ guarded, illegal chars dropped."""
    if len(text) > _MAX_TEXT:
        text = text[:_MAX_TEXT]
    if _NEEDS_ESCAPE.search(text):
        text = _ILLEGAL_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
        text = _EXCEL_ESCAPE.sub(r"_x005F\g<0>", text)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if text and (text[0] in " \t\n" or text[-1] in " \t\n"):
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def _chart_rows(spec: ChartSpec, tab: OutputTab) -> tuple[int, int] | None:
    """First and last sheet row of the chart's data, or None when it has no rows."""
    first = max(spec.first_row or 0, 0)
    last = len(tab.rows) - 1 if spec.last_row is None else min(spec.last_row, len(tab.rows) - 1)
    if first > last:
        return None
    return tab.header_row + 1 + first, tab.header_row + 1 + last


def _chart_xml(spec: ChartSpec, tab: OutputTab, sheet_name: str) -> bytes | None:
    rows = _chart_rows(spec, tab)
    if rows is None:
        return None
    sheet = quote_sheetname(sheet_name)

    def ref(col: int, first: int, last: int) -> str:
        letter = get_column_letter(col + 1)
        return f"{sheet}!${letter}${first}" + (f":${letter}${last}" if last != first else "")

    chart = BarChart()
    chart.type = "bar" if spec.kind == "bar" else "col"
    chart.grouping = "stacked" if spec.stacked else "clustered"
    if spec.stacked:
        chart.overlap = 100
    chart.title = spec.title
    # openpyxl's x_axis is the category axis, which a horizontal bar chart draws vertically;
    # ChartSpec names axes by where they are drawn, as Google Sheets does.
    horizontal, vertical = (chart.y_axis, chart.x_axis) if spec.kind == "bar" else (chart.x_axis,
                                                                                       chart.y_axis)
    horizontal.title, vertical.title = spec.x_title, spec.y_title
    chart.x_axis.axPos, chart.y_axis.axPos = ("l", "b") if spec.kind == "bar" else ("b", "l")
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 leaves them hidden
    chart.roundedCorners = False
    categories = AxDataSource(strRef=StrRef(f=ref(spec.category_column, *rows)))
    for k, col in enumerate(spec.series_columns):
        chart.series.append(Series(
            idx=k, order=k, cat=categories,
            tx=SeriesLabel(strRef=StrRef(f=ref(col, tab.header_row, tab.header_row))),
            val=NumDataSource(numRef=NumRef(f=ref(col, *rows)))))
    return _XML_DECL + openpyxl_tostring(chart._write())


def _drawing_xml(anchors: list[tuple[int, int]]) -> bytes:
    cx, cy = (int(cm * 360000) for cm in _CHART_CM)
    body = "".join(
        f"<xdr:oneCellAnchor><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff>"
        f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        f'<xdr:ext cx="{cx}" cy="{cy}"/><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
        f'<xdr:cNvPr id="{k + 1}" name="Grafik {k}"/><xdr:cNvGraphicFramePr/>'
        '</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'r:id="rId{k}"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>'
        "</xdr:oneCellAnchor>"
        for k, (col, row) in enumerate(anchors, start=1))
    return _XML_DECL + (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        f' xmlns:r="{R_NS}">{body}</xdr:wsDr>').encode()
