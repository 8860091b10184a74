"""styles.xml: the few cell styles the output tabs need, added once and reused."""

from __future__ import annotations

import copy
import posixpath

from lxml import etree

from sync.sources.excel.parts import CT_STYLES, MAIN, Book, Package, int_attr, set_content_type

HEADER_FILL = "FFD9E1F2"
HIGHLIGHT_FILL = "FFC6EFCE"  # Excel's light green "Good"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2}


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
    "dxfs": "",
}


class Styles:
    """Cell formats in the styles part; an identical existing entry is reused, never doubled."""

    def __init__(self, pkg: Package, book: Book):
        self.pkg = pkg
        self.part = book.target("styles")
        if self.part is None:
            self.part = posixpath.join(posixpath.dirname(book.part), "styles.xml")
            book.add_rel("styles", self.part)
        created = pkg.find(self.part) is None
        if created:
            pkg.put_xml(self.part, etree.Element(f"{{{MAIN}}}styleSheet", nsmap={None: MAIN}))
        self.part = pkg.find(self.part)
        set_content_type(pkg, self.part, CT_STYLES)
        self.root = pkg.xml(self.part)
        for box in tuple(_EMPTY_BOXES)[1:] if created else ():  # all but numFmts
            self._box(box)
        self._cache: dict[tuple, int] = {}
        self._entries: dict[tuple[str, str], dict[tuple, int]] = {}  # `_known`

    def xf(self, fmt: str = "General", bold: bool = False, fill: str | None = None,
           border: bool = False, wrap: bool = False, center: bool = False, top: bool = False,
           locked: bool = True) -> int:
        """Index in cellXfs of a cell format with these properties (`center`/`top`: vertical).

        `locked=False`: the cell stays open to typing on a protected sheet (a tab both sides write).
        """
        key = (fmt, bold, fill, border, wrap, center, top) + (() if locked else (False,))
        if key == ("General", False, None, False, False, False, False):
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
                               (wrap or center or top, "applyAlignment"), (not locked, "applyProtection")):
                if flag:
                    xf.set(attr, "1")
            if wrap or center or top:
                align = etree.SubElement(xf, f"{{{MAIN}}}alignment")
                if center or top:
                    align.set("vertical", "center" if center else "top")
                if wrap:
                    align.set("wrapText", "1")
            if not locked:
                etree.SubElement(xf, f"{{{MAIN}}}protection", locked="0")
            self._cache[key] = self._add("cellXfs", xf)
        return self._cache[key]

    def dxf_fill(self, rgb: str) -> int:
        """Index in dxfs of a differential format that fills the cell with `rgb` (conditional formats)."""
        key = ("dxf", rgb)
        if key not in self._cache:
            # As Excel writes a solid dxf fill: the colour is the pattern's background.
            dxf = etree.fromstring(f'<dxf xmlns="{MAIN}"><fill><patternFill><bgColor rgb="{rgb}"/>'
                                   '</patternFill></fill></dxf>')
            self._cache[key] = self._add("dxfs", dxf)
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
        known = self._known(box, candidate.tag)
        wanted = _key(candidate)
        if wanted in known:
            return known[wanted]
        index = known[wanted] = len(box.findall(candidate.tag))
        box.append(candidate)
        box.set("count", str(index + 1))
        self.pkg.changed(self.part)
        return index

    def _known(self, box: etree._Element, tag: str) -> dict[tuple, int]:
        """Each `_key` of the box's `tag` entries and the index of its first, made once: only
        `_add` adds entries, and comparing every entry each time was most of a tab's styles."""
        if (box.tag, tag) not in self._entries:
            known: dict[tuple, int] = {}
            for index, entry in enumerate(box.findall(tag)):
                known.setdefault(_key(entry), index)
            self._entries[box.tag, tag] = known
        return self._entries[box.tag, tag]

    def _num_fmt(self, code: str) -> int:
        if code in _BUILTIN_FORMATS:
            return _BUILTIN_FORMATS[code]
        box = self.root.find(f"{{{MAIN}}}numFmts")
        formats = [] if box is None else box.findall(f"{{{MAIN}}}numFmt")
        for fmt in formats:
            if fmt.get("formatCode") == code:
                return int_attr(fmt.get("numFmtId"))
        new_id = max([163, *(int_attr(f.get("numFmtId")) for f in formats)]) + 1
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


