"""One output tab as SpreadsheetML: the sheet XML (streamed), its drawing and its charts.

This module puts the tab's parts together; the pieces are in `sync.sources.excel.worksheet`:
the cells and rows (`cells`, or `columnar` for rows kept as a `ColumnTable`), print setup
(`printing`), a shared tab's conditional fills and dropdowns (`rules`), and the charts with the
drawing that anchors them (`charts`). The sheet XML is compressed chunk by chunk as it is made
(`zipwrite.deflate`), so a big tab's XML is never whole in memory.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import datetime

from openpyxl.utils import get_column_letter

from sheet_templates.results import OUTPUT_TAB_COLOR
from sync.outtabs import OutputTab, chart_anchors
from sync.sources.excel.parts import (
    CT_CHART,
    CT_DRAWING,
    CT_SHEET,
    MAIN,
    R_NS,
    XML_DECL,
    Deflated,
    Package,
    SheetRef,
    deflate,
    relative_target,
    rels_name,
    rels_xml,
    set_content_type,
)
from sync.sources.excel.styles import Styles
from sync.sources.excel.worksheet.cells import (
    _LINE_PT,
    Look,
    _chart_data_rows,
    _data_rows,
    _height,
    _number,
    _spare_rows,
    _t,
    header_lines,
)
from sync.sources.excel.worksheet.charts import _chart_xml, _drawing_xml
from sync.sources.excel.worksheet.columnar import column_rows
from sync.sources.excel.worksheet.printing import chart_breaks, page_setup_xml, print_names, set_defined_names
from sync.sources.excel.worksheet.rules import _shared_tab_rules
from sync.table import ColumnTable

# --- one output tab: sheet xml, drawing, charts ----------------------------------------


def begin_tab(pkg: Package, styles: Styles, tab: OutputTab, sheet: SheetRef,
              epoch: datetime) -> Callable[[], Deflated]:
    """Every part of the tab but its sheet XML, which gets its place among the parts (empty);
    returns the function that makes that XML, to be put at `pkg.parts[sheet.part]`."""
    set_content_type(pkg, sheet.part, CT_SHEET)
    look = Look(styles, tab)
    drawn = [(spec, xml) for spec in tab.charts if (xml := _chart_xml(spec, tab, sheet.name))]
    drawing_rid = None
    anchors: list[tuple[int, int]] = []
    if drawn:
        drawing = pkg.free_name("xl/drawings/drawing{}.xml")
        chart_rels = []
        for k, (_, xml) in enumerate(drawn):
            part = pkg.free_name("xl/charts/chart{}.xml")
            pkg.put(part, xml)
            set_content_type(pkg, part, CT_CHART)
            chart_rels.append((f"rId{k + 1}", "chart", relative_target(drawing, part)))
        anchors = chart_anchors(tab, [spec for spec, _ in drawn])
        pkg.put(drawing, _drawing_xml(anchors))
        pkg.put(rels_name(drawing), rels_xml(chart_rels))
        set_content_type(pkg, drawing, CT_DRAWING)
        drawing_rid = "rId1"
        pkg.put(rels_name(sheet.part),
                rels_xml([(drawing_rid, "drawing", relative_target(sheet.part, drawing))]))
    pkg.put(sheet.part, b"")
    set_defined_names(pkg, sheet.name, print_names(tab, sheet.name))
    # Compressed as it is made: a 600,000-row tab's XML is never whole in memory (issue 17).
    return functools.partial(_deflated, tab, look, sheet.selected, drawing_rid, epoch, anchors)


def _deflated(tab: OutputTab, look: Look, selected: bool, drawing_rid: str | None, epoch: datetime,
              anchors: list[tuple[int, int]]) -> Deflated:
    return deflate(_sheet_chunks(tab, look, selected, drawing_rid, epoch, anchors))


def _filter_ref(tab: OutputTab) -> str:
    last = get_column_letter(len(tab.columns))
    return f"A{tab.header_row}:{last}{tab.header_row + len(tab.rows)}"


def _sheet_chunks(tab: OutputTab, look: Look, selected: bool, drawing_rid: str | None,
                  epoch: datetime, anchors: list[tuple[int, int]] = ()) -> Iterator[bytes]:
    n, head = len(tab.columns), tab.header_row
    last_col = get_column_letter(max(n, 1))
    top = f"A{head + 1}"
    tab_selected = ' tabSelected="1"' if selected else ""
    out = [f'<worksheet xmlns="{MAIN}" xmlns:r="{R_NS}">',
           f'<sheetPr><tabColor rgb="FF{OUTPUT_TAB_COLOR}"/><pageSetUpPr fitToPage="1"/></sheetPr>',
           f'<dimension ref="A1:{last_col}{tab.last_row}"/>',
           f'<sheetViews><sheetView{tab_selected} workbookViewId="0">'
           f'<pane ySplit="{head}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
           f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/></sheetView>'
           '</sheetViews><sheetFormatPr defaultRowHeight="15"/>']
    if n:
        # A column the person types in is unlocked as a whole, rows below the data included.
        out.append("<cols>" + "".join(
            f'<col min="{j}" max="{j}" width="{_number(col.width)}"'
            f'{look.plain[j - 1].replace(" s=", " style=") if j - 1 in look.open else ""} customWidth="1"/>'
            for j, col in enumerate(tab.columns, start=1)) + "</cols>")
    out.append("<sheetData>")
    if tab.title:
        out.append(f'<row r="1"><c r="A1"{look.title} t="inlineStr"><is>{_t(tab.title)}</is>'
                   "</c></row>")
    head_lines = header_lines(tab.columns)
    out.append(f'<row r="{head}"{_height(head_lines)}>' + "".join(
        f'<c r="{get_column_letter(j)}{head}"{look.header} t="inlineStr"><is>{_t(col.header)}'
        "</is></c>" for j, col in enumerate(tab.columns, start=1) if col.header) + "</row>")
    yield XML_DECL + "".join(out).encode()
    heights: list[float] = []  # each data row's height in points, for the page breaks
    if isinstance(tab.rows, ColumnTable):
        yield from column_rows(tab, look, epoch, heights)
    else:
        yield from _batches(row.encode() for row in _data_rows(tab, look, epoch, heights))
    yield from _batches(row.encode() for row in _chart_data_rows(tab))
    yield from _batches(_spare_rows(tab, look))
    # Like the template: protected without a password so nobody types into a tab that the
    # next run rewrites, while sorting, filtering and resizing stay allowed.
    out = ["</sheetData>", '<sheetProtection sheet="1" objects="1" scenarios="1" formatColumns="0" '
           'formatRows="0" sort="0" autoFilter="0"/>']
    if tab.autofilter and n:
        out.append(f'<autoFilter ref="{_filter_ref(tab)}"/>')
    if tab.title and n > 1:
        out.append(f'<mergeCells count="1"><mergeCell ref="A1:{last_col}1"/></mergeCells>')
    out.extend(_shared_tab_rules(tab, look.styles))
    out.append(page_setup_xml(tab.columns, tab.print_info.org_name, tab.print_info.period))
    breaks = chart_breaks(tab, heights, head_lines * _LINE_PT + (_LINE_PT if tab.title else 0), anchors)
    if breaks:
        out.append(f'<rowBreaks count="{len(breaks)}" manualBreakCount="{len(breaks)}">' + "".join(
            f'<brk id="{row}" max="16383" man="1"/>' for row in breaks) + "</rowBreaks>")
    if drawing_rid:
        out.append(f'<drawing r:id="{drawing_rid}"/>')
    out.append("</worksheet>")
    yield "".join(out).encode()


def _batches(rows: Iterator[bytes], size: int = 4096) -> Iterator[bytes]:
    """Rows joined a few thousand at a time: one compressor call per row would be slow."""
    batch: list[bytes] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield b"".join(batch)
            batch = []
    if batch:
        yield b"".join(batch)
