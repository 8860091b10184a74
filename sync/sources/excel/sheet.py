"""One output tab as SpreadsheetML: the sheet XML (streamed), its drawing and its charts."""

from __future__ import annotations

import decimal
import numbers
from collections.abc import Iterator
from datetime import date, datetime

from lxml import etree
from openpyxl.chart import BarChart, LineChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.legend import Legend
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.xml.functions import tostring as openpyxl_tostring

from sheet_templates.complaints import overdue_formula
from sheet_templates.guide import choice_prompt
from sheet_templates.results import OUTPUT_TAB_COLOR, PRINT_FOOTER, print_header
from sync.outtabs import (
    CHART_CM,
    ChartSpec,
    OutputColumn,
    OutputTab,
    chart_anchors,
    chart_cells,
    column_pixels,
    number_pattern,
    wrapped_lines,
)
from sync.sources.excel.parts import (
    CT_CHART,
    CT_DRAWING,
    CT_SHEET,
    EXACT_INT,
    EXCEL_ESCAPE,
    ILLEGAL_XML,
    MAIN,
    MAX_TEXT,
    NEEDS_ESCAPE,
    R_NS,
    XML_DECL,
    Package,
    SheetRef,
    relative_target,
    rels_name,
    rels_xml,
    set_content_type,
)
from sync.sources.excel.styles import DATE_FORMAT, DATETIME_FORMAT, HEADER_FILL, HIGHLIGHT_FILL, Styles

_LINE_PT = 15.0  # height of one line of Calibri 11 in a row (Excel's default row height)
_PORTRAIT_PX = 720  # a tab wider than this (at 100 %) prints landscape


# --- one output tab: sheet xml, drawing, charts ----------------------------------------


class Look:
    """The style attribute (` s="n"`) of each column, plain and highlighted."""

    def __init__(self, styles: Styles, tab: OutputTab):
        self.styles = styles
        self.columns = tab.columns
        self.open = frozenset(tab.editable_columns)  # unlocked: the person types there
        self._dates: dict[tuple[int, bool, bool], str] = {}
        self.header = _s(styles.xf(bold=True, fill=HEADER_FILL, border=True, wrap=True,
                                   center=True))
        self.title = _s(styles.xf(bold=True)) if tab.title else ""
        self.plain = [self._attr(j, _column_format(col), None)
                      for j, col in enumerate(tab.columns)]
        self.marked = [self._attr(j, _column_format(col), HIGHLIGHT_FILL)
                       for j, col in enumerate(tab.columns)] if tab.highlight_rows else []

    def _attr(self, j: int, fmt: str, fill: str | None) -> str:
        return _s(self.styles.xf(fmt, fill=fill, wrap=self.columns[j].wrap, top=True,
                                 locked=j not in self.open))

    def spare(self) -> str:
        """The style of the empty rows below a shared tab's data: open to typing."""
        return _s(self.styles.xf(locked=False))

    def date(self, j: int, marked: bool, with_time: bool) -> str:
        key = (j, marked, with_time)
        if key not in self._dates:
            self._dates[key] = self._attr(j, DATETIME_FORMAT if with_time else DATE_FORMAT,
                                          HIGHLIGHT_FILL if marked else None)
        return self._dates[key]


def _s(index: int) -> str:
    return f' s="{index}"' if index else ""


def _column_format(col) -> str:
    """The number format of a column (`number_pattern`), dates, or General."""
    return number_pattern(col) or (DATE_FORMAT if col.kind == "date" else "General")


def write_tab(pkg: Package, styles: Styles, tab: OutputTab, sheet: SheetRef,
               epoch: datetime) -> None:
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
    pkg.put(sheet.part, _sheet_xml(tab, look, sheet.selected, drawing_rid, epoch, anchors))
    set_defined_names(pkg, sheet.name, print_names(tab, sheet.name))


def print_names(tab: OutputTab, sheet_name: str) -> dict[str, tuple[str, bool]]:
    """The sheet's defined names Kinerja keeps: the rows repeated on every printed page.

    (The filter's hidden `_xlnm._FilterDatabase` is left to Excel, which rebuilds it from the
    sheet's own `autoFilter`; writing it would change workbook.xml whenever the row count does.)
    """
    return {"_xlnm.Print_Titles": (f"{quote_sheetname(sheet_name)}!$1:${tab.header_row}", False)}


def _filter_ref(tab: OutputTab) -> str:
    last = get_column_letter(len(tab.columns))
    return f"A{tab.header_row}:{last}{tab.header_row + len(tab.rows)}"


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


def _sheet_xml(tab: OutputTab, look: Look, selected: bool, drawing_rid: str | None,
               epoch: datetime, anchors: list[tuple[int, int]] = ()) -> bytes:
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
    body = [XML_DECL, "".join(out).encode()]
    heights: list[float] = []  # each data row's height in points, for the page breaks
    body.extend(row.encode() for row in _data_rows(tab, look, epoch, heights))  # one copy, not 3
    body.extend(row.encode() for row in _chart_data_rows(tab))
    body.extend(_spare_rows(tab, look))
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
    body.append("".join(out).encode())
    return b"".join(body)


def _spare_rows(tab: OutputTab, look: Look) -> Iterator[bytes]:
    """The empty rows below a shared tab's data, open to typing (a row style, no cells)."""
    if not tab.spare_rows:
        return
    style = look.spare()
    first = tab.header_row + len(tab.rows) + 1
    for r in range(first, first + tab.spare_rows):
        yield f'<row r="{r}"{style} customFormat="1"/>'.encode()


def _shared_tab_rules(tab: OutputTab, styles: Styles) -> list[str]:
    """The conditional fills and the dropdowns of a tab both sides write, over data and spare rows."""
    if not (tab.conditional_fills or tab.dropdowns):
        return []
    first = tab.header_row + 1
    last = tab.header_row + len(tab.rows) + max(tab.spare_rows, 1)
    out = []
    for priority, fill in enumerate(tab.conditional_fills, start=1):
        formula = overdue_formula(first, get_column_letter(fill.formula_column + 1),
                                  get_column_letter(fill.status_column + 1), fill.done_text)
        out.append(f'<conditionalFormatting sqref="A{first}:{get_column_letter(len(tab.columns))}{last}">'
                   f'<cfRule type="expression" dxfId="{styles.dxf_fill("FF" + fill.color)}" '
                   f'priority="{priority}"><formula>{_xml(formula)}</formula></cfRule>'
                   "</conditionalFormatting>")
    if tab.dropdowns:
        out.append(f'<dataValidations count="{len(tab.dropdowns)}">')
        for column, choices in sorted(tab.dropdowns.items()):
            letter = get_column_letter(column + 1)
            listed = '"' + ",".join(c.replace('"', '""') for c in choices) + '"'
            title = tab.columns[column].header[:32]
            out.append(f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" '
                       f'errorTitle="{_xml_attr(title)}" error="{_xml_attr(choice_prompt(choices)[:255])}" '
                       f'sqref="{letter}{first}:{letter}{last}"><formula1>{_xml(listed)}</formula1>'
                       "</dataValidation>")
        out.append("</dataValidations>")
    return out


def _xml_attr(text: str) -> str:
    return _xml(text).replace('"', "&quot;")


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


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def header_lines(columns: list[OutputColumn]) -> int:
    """Lines the tallest header label takes (headers always wrap)."""
    return max((wrapped_lines(col.header, col.width, bold=True) for col in columns if col.header),
               default=1)


def _height(lines: int) -> str:
    """The row attributes for a row of `lines` lines (none for one line: the default height)."""
    if lines <= 1:
        return ""
    return f' ht="{_number(lines * _LINE_PT)}" customHeight="1"'


def _data_rows(tab: OutputTab, look: Look, epoch: datetime, heights: list[float]) -> Iterator[str]:
    # The hot loop (2.3 M cells for a big Hasil): common types are matched inline.
    letters = [get_column_letter(j) for j in range(1, len(tab.columns) + 1)]
    width, marked = len(letters), tab.highlight_rows
    texts: dict[str, str] = {}  # output tabs repeat units, grades, names
    day_zero = epoch.toordinal()
    wrapped = [(j, col.width) for j, col in enumerate(tab.columns) if col.wrap]
    lines: dict[tuple[int, str], int] = {}  # output tabs repeat statuses and follow-ups
    open_cells = look.open  # empty cells there are written, unlocked, so every program sees them open
    for i, row in enumerate(tab.rows):
        if len(row) > width:
            raise ValueError(f"tab {tab.name!r} row {i} has {len(row)} values for {width} columns")
        r = str(tab.header_row + 1 + i)
        styles = look.marked if i in marked else look.plain
        tallest = 1
        for j, col_width in wrapped:
            v = row[j] if j < len(row) else None
            if type(v) is str and v:
                key = (j, v)
                count = lines.get(key)
                if count is None:
                    count = lines[key] = wrapped_lines(v, col_width)
                if count > tallest:
                    tallest = count
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
                elif j in open_cells:
                    add(f'<c r="{letters[j]}{r}"{styles[j]}/>')
            elif t is float:
                if v - v == 0:  # NaN and infinities have no Excel value
                    add(f'<c r="{letters[j]}{r}"{styles[j]}><v>{v!r}</v></c>')
            elif t is int and -EXACT_INT < v < EXACT_INT:
                add(f'<c r="{letters[j]}{r}"{styles[j]}><v>{v}</v></c>')
            elif t is date and v.toordinal() - day_zero > 60:  # past Excel's 1900 leap bug
                add(f'<c r="{letters[j]}{r}"{look.date(j, i in marked, False)}>'
                    f"<v>{v.toordinal() - day_zero}</v></c>")
            elif v is not None:
                add(_other_cell(letters[j] + r, v, look, j, i in marked, epoch))
            elif j in open_cells:
                add(f'<c r="{letters[j]}{r}"{styles[j]}/>')
        heights.append(tallest * _LINE_PT)
        yield f'<row r="{r}"{_height(tallest)}>{"".join(cells)}</row>'


def _chart_data_rows(tab: OutputTab) -> Iterator[str]:
    """The hidden rows charts read, one empty row below the table: plain values, no styles."""
    for i, row in enumerate(tab.chart_data):
        r = tab.chart_data_row + i
        cells = []
        for j, v in enumerate(row):
            ref = f"{get_column_letter(j + 1)}{r}"
            if isinstance(v, str) and v:
                cells.append(f'<c r="{ref}" t="inlineStr"><is>{_t(v)}</is></c>')
            elif isinstance(v, int | float) and not isinstance(v, bool) and v - v == 0:
                cells.append(f'<c r="{ref}"><v>{_number(float(v))}</v></c>')
        yield f'<row r="{r}" hidden="1">{"".join(cells)}</row>'


def _other_cell(ref: str, v, look: Look, j: int, marked: bool, epoch: datetime) -> str:
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
    elif isinstance(v, numbers.Integral) and -EXACT_INT < v < EXACT_INT:
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
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
    if NEEDS_ESCAPE.search(text):
        text = ILLEGAL_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
        text = EXCEL_ESCAPE.sub(r"_x005F\g<0>", text)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if text and (text[0] in " \t\n" or text[-1] in " \t\n"):
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


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


def major_unit(low: float, high: float) -> float:
    """A gridline step that divides the axis evenly into 4–8 parts (IKM 25–100: 15)."""
    span = high - low
    for step in (10.0, 15.0, 20.0, 25.0, 5.0, 50.0):
        if float(span / step).is_integer() and 4 <= span / step <= 8:
            return step
    return span / 5


def _chart_xml(spec: ChartSpec, tab: OutputTab, sheet_name: str) -> bytes | None:
    cells = chart_cells(spec, tab)
    if cells is None:
        return None
    head, first, last = cells
    sheet = quote_sheetname(sheet_name)

    def ref(col: int, top: int, bottom: int) -> str:
        letter = get_column_letter(col + 1)
        return f"{sheet}!${letter}${top}" + (f":${letter}${bottom}" if bottom != top else "")

    def row_ref(row: int, cols: tuple[int, ...]) -> str:
        a, b = get_column_letter(min(cols) + 1), get_column_letter(max(cols) + 1)
        return f"{sheet}!${a}${row}" + (f":${b}${row}" if a != b else "")

    if spec.by_row:  # one series per row; the header cells of the value columns are the categories
        categories = AxDataSource(strRef=StrRef(f=row_ref(head, spec.series_columns)))
        series = [Series(idx=k, order=k, cat=categories,
                         tx=SeriesLabel(strRef=StrRef(f=ref(spec.category_column, r, r))),
                         val=NumDataSource(numRef=NumRef(f=row_ref(r, spec.series_columns))))
                  for k, r in enumerate(range(first, last + 1))]
    else:
        categories = AxDataSource(strRef=StrRef(f=ref(spec.category_column, first, last)))
        series = [Series(idx=k, order=k, cat=categories,
                         tx=SeriesLabel(strRef=StrRef(f=ref(col, head, head))),
                         val=NumDataSource(numRef=NumRef(f=ref(col, first, last))))
                  for k, col in enumerate(spec.series_columns)]
    for k, one in enumerate(series):
        colour = spec.colors[k] if k < len(spec.colors) else None
        if spec.kind == "line" or k in spec.line_series:
            one.graphicalProperties = GraphicalProperties(ln=LineProperties(
                solidFill=colour, w=28575 if k in spec.line_series else 22225,
                prstDash="dash" if k in spec.line_series else "solid"))
            one.marker.symbol = "none" if k in spec.line_series else "circle"
            one.smooth = False
        elif colour:
            one.graphicalProperties = GraphicalProperties(solidFill=colour)

    if spec.kind == "line":
        chart = LineChart()
        chart.series = series
    else:
        chart = BarChart()
        chart.type = "bar" if spec.kind == "bar" else "col"
        chart.grouping = "stacked" if spec.stacked else "clustered"
        if spec.stacked:
            chart.overlap = 100
        chart.series = [one for k, one in enumerate(series) if k not in spec.line_series]
        lines = [one for k, one in enumerate(series) if k in spec.line_series]
        if lines:
            overlay = LineChart()
            overlay.series = lines
            chart += overlay  # shares the bar chart's axes (ids 10 and 100)
    chart.title = spec.title
    # openpyxl's x_axis is the category axis, which a horizontal bar chart draws vertically;
    # ChartSpec names axes by where they are drawn, as Google Sheets does.
    horizontal, vertical = (chart.y_axis, chart.x_axis) if spec.kind == "bar" else (chart.x_axis,
                                                                                       chart.y_axis)
    horizontal.title, vertical.title = spec.x_title, spec.y_title
    chart.x_axis.axPos, chart.y_axis.axPos = ("l", "b") if spec.kind == "bar" else ("b", "l")
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 leaves them hidden
    if spec.value_min is not None:
        chart.y_axis.scaling.min = spec.value_min
    if spec.value_max is not None:
        chart.y_axis.scaling.max = spec.value_max
    if spec.value_min is not None and spec.value_max is not None:
        chart.y_axis.majorUnit = major_unit(spec.value_min, spec.value_max)
    chart.legend = Legend(legendPos="b")
    chart.roundedCorners = False
    chart.visible_cells_only = False  # the chart data rows are hidden
    chart.width, chart.height = CHART_CM
    return XML_DECL + openpyxl_tostring(chart._write())


def _drawing_xml(anchors: list[tuple[int, int]]) -> bytes:
    cx, cy = (int(cm * 360000) for cm in CHART_CM)
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
        for k, (row, col) in enumerate(anchors, start=1))
    return XML_DECL + (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        f' xmlns:r="{R_NS}">{body}</xdr:wsDr>').encode()

