"""The .xlsx zip package: its parts, relationships, content types and workbook.xml.

Shared by the output-tab writer (`xlsx_package`) and the row appender
(`xlsx_append`). Parts are edited with lxml so that namespaces, mc:Ignorable
and extension lists survive byte for byte where nothing changed.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from typing import NamedTuple

from lxml import etree
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from sync.errors import SyncError, WorkbookUnreadable

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

XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_NEW_PART_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so a rerun gives the same zip

EXACT_INT = 10**15  # Excel keeps 15 significant digits; longer ints go in as text
MAX_TEXT = 32767  # Excel's cell limit; longer text makes Excel "repair" the file

ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
NEEDS_ESCAPE = re.compile(
    "[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_x[0-9A-Fa-f]{4}_"
)
EXCEL_ESCAPE = re.compile("_x[0-9A-Fa-f]{4}_")


class OutputTabBlocked(SyncError):
    """An output tab's name is taken by a sheet that is not a plain worksheet."""


class SheetRef(NamedTuple):
    name: str  # as spelled in the workbook, which may differ in case from the tab
    part: str
    sheet_id: int
    selected: bool


# --- the zip package -------------------------------------------------------------------


class Package:
    """The parts of an .xlsx zip, with parsed XML kept until written back."""

    def __init__(self, data: bytes):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = [info for info in zf.infolist() if not info.is_dir()]
                self.parts = {info.filename: zf.read(info) for info in infos}
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError,
                NotImplementedError, ValueError) as ex:
            raise WorkbookUnreadable(unreadable_message(data)) from ex
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
                    f"Bagian {name} di dalam workbook rusak (isinya bukan XML yang utuh). "
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
        rels = self.find(rels_name(source))
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
            self.parts[name] = XML_DECL + etree.tostring(
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


def rels_name(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def relative_target(source: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


def rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{rid}" Type="{R_NS}/{kind}" Target="{target}"/>'
                   for rid, kind, target in rels)
    return XML_DECL + f'<Relationships xmlns="{PKG_RELS}">{body}</Relationships>'.encode()


def _reachable(pkg: Package, starts: set[str], stop: frozenset[str] = frozenset()) -> set[str]:
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


def drop_parts_only_used_by(pkg: Package, sheets: set[str]) -> None:
    """Remove old drawings, charts, comments... that nothing but the replaced sheets use."""
    if not sheets:
        return
    owned = _reachable(pkg, sheets) - sheets
    kept = _reachable(pkg, {""}, stop=frozenset(sheets))
    for part in sorted(owned - kept):
        pkg.remove(rels_name(part))
        pkg.remove(part)
        _drop_content_type(pkg, part)
    for sheet in sheets:
        pkg.remove(rels_name(sheet))


def set_content_type(pkg: Package, part: str, content_type: str) -> None:
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


def _drop_content_type(pkg: Package, part: str) -> None:
    types = pkg.xml(pkg.find(CT_PART))
    for override in types.findall(f"{{{CT_NS}}}Override"):
        if override.get("PartName", "").lower() == "/" + part.lower():
            types.remove(override)
            pkg.changed(pkg.find(CT_PART))


def unreadable_message(data: bytes, name: str | None = None) -> str:
    """Why bytes are not an .xlsx, in Indonesian only (a library's English error is left out)."""
    subject = f"'{name}'" if name else "Berkas"
    fix = "Buka berkas di Excel lalu simpan ulang sebagai Excel Workbook (.xlsx)."
    if data[:4] == b"\xd0\xcf\x11\xe0":
        return (f"{subject} berformat Excel lama (.xls) atau dilindungi kata sandi, bukan .xlsx "
                "biasa. Buka di Excel, hapus kata sandinya bila ada, lalu simpan ulang sebagai "
                "Excel Workbook (.xlsx).")
    if not data:
        return f"{subject} kosong (0 byte), bukan arsip .xlsx. {fix}"
    if data[:2] == b"PK":
        return (f"{subject} bukan workbook Excel (.xlsx) yang valid: arsipnya rusak, terpotong, "
                f"atau bukan berisi workbook Excel. {fix}")
    return (f"{subject} bukan workbook Excel: isinya bukan arsip .xlsx (mungkin CSV, PDF atau "
            f"dokumen lain yang diberi nama .xlsx). {fix}")


def _missing_part_message(part: str) -> str:
    return (f"Berkas bukan workbook Excel (.xlsx) yang valid: bagian {part} tidak ada "
            "(mungkin .xlsb, .ods atau berkas lain yang diberi nama .xlsx). "
            "Simpan ulang berkas dari Excel sebagai .xlsx.")


# --- workbook.xml and its rels ---------------------------------------------------------


class Book:
    """The workbook part: its sheet list, its relationships, its date system."""

    def __init__(self, pkg: Package):
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
        self.rels_part = pkg.find(rels_name(self.part)) or rels_name(self.part)
        if pkg.find(self.rels_part) is None:
            pkg.put_xml(self.rels_part, etree.Element(f"{{{PKG_RELS}}}Relationships",
                                                      nsmap={None: PKG_RELS}))
        pr = self.root.find(f"{{{MAIN}}}workbookPr")
        self.epoch = MAC_EPOCH if pr is not None and pr.get("date1904") in ("1", "true") \
            else WINDOWS_EPOCH
        view = self.root.find(f"{{{MAIN}}}bookViews/{{{MAIN}}}workbookView")
        self.active_tab = int_attr(view.get("activeTab") if view is not None else None)

    def rels(self) -> list[tuple[etree._Element, str | None]]:
        return self.pkg.rel_targets(self.part)

    def target(self, kind: str) -> str | None:
        """The part behind the first relationship of type `kind` (e.g. "styles")."""
        return next((t for rel, t in self.rels() if rel.get("Type") == f"{R_NS}/{kind}"), None)

    def find_sheet(self, name: str) -> SheetRef | None:
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
            return SheetRef(sheet.get("name"), target, int_attr(sheet.get("sheetId")),
                          position == self.active_tab)
        return None

    def add_sheet(self, name: str) -> SheetRef:
        folder = posixpath.dirname(self.part)
        part = self.pkg.free_name(posixpath.join(folder, "worksheets/sheet{}.xml"))
        rid = self.add_rel("worksheet", part)
        existing = list(self.sheets.iterfind(f"{{{MAIN}}}sheet"))
        sheet_id = max((int_attr(s.get("sheetId")) for s in existing), default=0) + 1
        sheet = etree.SubElement(self.sheets, f"{{{MAIN}}}sheet", name=name,
                                 sheetId=str(sheet_id))
        sheet.set(f"{{{R_NS}}}id", rid)
        self.pkg.changed(self.part)
        self.pkg.put(part, b"")  # reserve the name; written by write_tab
        set_content_type(self.pkg, part, CT_SHEET)
        return SheetRef(name, part, sheet_id, len(existing) == self.active_tab)

    def add_rel(self, kind: str, part: str) -> str:
        root = self.pkg.xml(self.rels_part)
        ids = {rel.get("Id") for rel in root}
        rid = next(f"rId{n}" for n in range(1, len(ids) + 2) if f"rId{n}" not in ids)
        etree.SubElement(root, f"{{{PKG_RELS}}}Relationship", Id=rid, Type=f"{R_NS}/{kind}",
                         Target=relative_target(self.part, part))
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
            current = int_attr(cell.get("i"))
        if current is None or current in sheet_ids:
            return True
    return False


def int_attr(text: str | None) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0

