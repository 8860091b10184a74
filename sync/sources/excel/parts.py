"""The .xlsx zip package: its parts, relationships, content types and workbook.xml.

Shared by the output-tab writer (`xlsx_package`) and the row appender
(`xlsx_append`). Parts are edited with lxml so that namespaces, mc:Ignorable
and extension lists survive byte for byte where nothing changed.

The zip itself (parts, relationships, content types) is `sync.sources.excel.opc`,
re-exported here so that its users import from one place; this module owns the
SpreadsheetML side: its namespaces and content types, the limits of cell text, and
workbook.xml (`Book`).
"""

from __future__ import annotations

import posixpath
import re
from typing import NamedTuple

from lxml import etree
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from sync.errors import SyncError, WorkbookUnreadable
from sync.sources.excel.opc import (  # noqa: F401 - part of this module's face
    PKG_RELS,
    R_NS,
    XML_DECL,
    Package,
    _drop_content_type,
    _missing_part_message,
    drop_parts_only_used_by,
    relative_target,
    rels_name,
    rels_xml,
    set_content_type,
    unreadable_message,
)
from sync.sources.excel.zipwrite import Deflated, deflate  # noqa: F401 - part of this module's face

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_CT = "application/vnd.openxmlformats-officedocument."
CT_SHEET = _CT + "spreadsheetml.worksheet+xml"
CT_STYLES = _CT + "spreadsheetml.styles+xml"
CT_DRAWING = _CT + "drawing+xml"
CT_CHART = _CT + "drawingml.chart+xml"

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
        self.pkg.put(part, b"")  # reserve the name; written by sheet.begin_tab
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
