"""Printing an output tab: the A4 page setup with its header and footer, the rows repeated on
every printed page (a defined name in workbook.xml), and the page breaks that keep each line of
charts whole on one page.
"""

from __future__ import annotations

from lxml import etree
from openpyxl.utils import quote_sheetname

from sheet_templates.results import PRINT_FOOTER, print_header
from sync.outtabs import CHART_CM, OutputColumn, OutputTab, column_pixels
from sync.sources.excel.parts import MAIN, Package
from sync.sources.excel.worksheet.cells import _LINE_PT, _xml

_PORTRAIT_PX = 720  # a tab wider than this (at 100 %) prints landscape


def print_names(tab: OutputTab, sheet_name: str) -> dict[str, tuple[str, bool]]:
    """The sheet's defined names Kinerja keeps: the rows repeated on every printed page.

    (The filter's hidden `_xlnm._FilterDatabase` is left to Excel, which rebuilds it from the
    sheet's own `autoFilter`; writing it would change workbook.xml whenever the row count does.)
    """
    return {"_xlnm.Print_Titles": (f"{quote_sheetname(sheet_name)}!$1:${tab.header_row}", False)}


_WORKBOOK_ORDER = ("fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews",
                   "sheets", "functionGroups", "externalReferences")


def set_defined_names(pkg: Package, sheet_name: str, wanted: dict[str, tuple[str, bool]]) -> None:
    """Make the sheet-level defined names `wanted` (name → (formula, hidden)) exactly so.

    Only the names Kinerja manages (print titles, filter range) of this one sheet
    are touched, and workbook.xml changes only when they differ, so a rerun
    leaves it byte-identical.
    """
    main = [t for rel, t in pkg.rel_targets("") if rel.get("Type", "").endswith("/officeDocument")
            and t and pkg.find(t)]
    part = main[0] if main else pkg.find("xl/workbook.xml")
    if part is None:
        return
    root = pkg.xml(part)
    sheets = root.find(f"{{{MAIN}}}sheets")
    if sheets is None:
        return
    names = [s.get("name", "").casefold() for s in sheets.iterfind(f"{{{MAIN}}}sheet")]
    if sheet_name.casefold() not in names:
        return
    local = str(names.index(sheet_name.casefold()))
    box = root.find(f"{{{MAIN}}}definedNames")
    managed = tuple(wanted)
    current = {} if box is None else {
        d.get("name"): (d.text or "", d.get("hidden") in ("1", "true"))
        for d in box.iterfind(f"{{{MAIN}}}definedName")
        if d.get("localSheetId") == local and d.get("name") in managed}
    if current == wanted:
        return
    if box is None:
        box = etree.Element(f"{{{MAIN}}}definedNames")
        anchor = [c for c in root if isinstance(c.tag, str)
                  and etree.QName(c).localname in _WORKBOOK_ORDER]
        anchor[-1].addnext(box)
    for old in list(box.iterfind(f"{{{MAIN}}}definedName")):
        if old.get("localSheetId") == local and old.get("name") in managed:
            box.remove(old)
    for name, (formula, hidden) in sorted(wanted.items()):
        entry = etree.SubElement(box, f"{{{MAIN}}}definedName", name=name, localSheetId=local)
        if hidden:
            entry.set("hidden", "1")
        entry.text = formula
    if not len(box):
        root.remove(box)
    pkg.changed(part)


def page_setup_xml(columns: list[OutputColumn], org_name: str = "", period: str = "") -> str:
    """Margins, A4 fitted to one page wide (landscape when wide), and the page header and footer.

    The header names the agency, the tab (&A) and the period; the footer the
    print date and "Halaman X dari Y". Shared with the template builder.
    """
    wide = sum(column_pixels(c.width) for c in columns) > _PORTRAIT_PX
    return ('<pageMargins left="0.4" right="0.4" top="0.75" bottom="0.6" header="0.3" footer="0.3"/>'
            f'<pageSetup paperSize="9" orientation="{"landscape" if wide else "portrait"}" '
            'fitToWidth="1" fitToHeight="0" firstPageNumber="1" useFirstPageNumber="1"/>'
            f'<headerFooter><oddHeader>{_xml(print_header(org_name, period))}</oddHeader>'
            f'<oddFooter>{_xml(PRINT_FOOTER)}</oddFooter></headerFooter>')


_A4_PT = (595.0, 842.0)  # portrait width, height
_MARGINS_IN = (0.4, 0.4, 0.75, 0.6)  # left, right, top, bottom, as in page_setup_xml


def chart_breaks(tab: OutputTab, heights: list[float], header_pt: float,
                 anchors: list[tuple[int, int]]) -> list[int]:
    """Rows after which a page break keeps each line of charts whole on one printed page.

    Estimates the pages as printing does: the tab fitted to one page wide
    (so scaled by page width ÷ table width), the header rows repeated on
    every page. A line of charts that would straddle a page starts the next one.
    """
    if not anchors:
        return []
    wide = sum(column_pixels(c.width) for c in tab.columns) > _PORTRAIT_PX
    paper_w, paper_h = (_A4_PT[1], _A4_PT[0]) if wide else _A4_PT
    left, right, top, bottom = (m * 72 for m in _MARGINS_IN)
    table_pt = sum(column_pixels(c.width) for c in tab.columns) * 0.75
    scale = min(1.0, (paper_w - left - right) / max(table_pt, 1.0))
    room = (paper_h - top - bottom) / scale - header_pt
    chart_pt = CHART_CM[1] / 2.54 * 72
    row_pt = [*heights, *([0.0] * (len(tab.chart_data) + 1 if tab.chart_data else 0))]
    used = 0.0
    for height in row_pt:  # the table (and hidden chart data) fill pages from the top
        used = height if used + height > room else used + height
    breaks, done = [], set()
    first = tab.header_row + len(tab.rows)  # 0-based index of the first row after the table
    for row, _ in sorted(anchors):
        if row in done:
            continue
        done.add(row)
        gap = (row - first - (len(tab.chart_data) + 1 if tab.chart_data else 0)) * _LINE_PT
        if used + gap + chart_pt > room and used > 0:
            breaks.append(row)  # break after sheet row `row` (1-based): the chart line starts a page
            used = chart_pt
        else:
            used += gap + chart_pt
    return breaks
