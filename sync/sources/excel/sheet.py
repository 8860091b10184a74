"""One output tab as SpreadsheetML: the sheet XML (streamed), its drawing and its charts."""

from __future__ import annotations

import decimal
import numbers
from collections.abc import Iterator
from datetime import date, datetime

from openpyxl.chart import BarChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.datetime import to_excel
from openpyxl.xml.functions import tostring as openpyxl_tostring

from sheet_templates.results import OUTPUT_TAB_COLOR
from sync.outtabs import ChartSpec, OutputTab
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

_CHART_CM = (15.0, 7.5)
_CHART_ROWS = 16  # rows between two stacked charts


# --- one output tab: sheet xml, drawing, charts ----------------------------------------


class Look:
    """The style attribute (` s="n"`) of each column, plain and highlighted."""

    def __init__(self, styles: Styles, tab: OutputTab):
        self.styles = styles
        self.columns = tab.columns
        self._dates: dict[tuple[int, bool, bool], str] = {}
        self.header = _s(styles.xf(bold=True, fill=HEADER_FILL, border=True, wrap=True,
                                   center=True))
        self.title = _s(styles.xf(bold=True)) if tab.title else ""
        self.plain = [self._attr(j, _column_format(col), None)
                      for j, col in enumerate(tab.columns)]
        self.marked = [self._attr(j, _column_format(col), HIGHLIGHT_FILL)
                       for j, col in enumerate(tab.columns)] if tab.highlight_rows else []

    def _attr(self, j: int, fmt: str, fill: str | None) -> str:
        return _s(self.styles.xf(fmt, fill=fill, wrap=self.columns[j].wrap))

    def date(self, j: int, marked: bool, with_time: bool) -> str:
        key = (j, marked, with_time)
        if key not in self._dates:
            self._dates[key] = self._attr(j, DATETIME_FORMAT if with_time else DATE_FORMAT,
                                          HIGHLIGHT_FILL if marked else None)
        return self._dates[key]


def _s(index: int) -> str:
    return f' s="{index}"' if index else ""


def _column_format(col) -> str:
    if col.kind == "int":
        return "0"
    if col.kind in ("number", "percent"):  # percent values are already 0-100
        return "0." + "0" * col.decimals if col.decimals > 0 else "0"
    return DATE_FORMAT if col.kind == "date" else "General"


def write_tab(pkg: Package, styles: Styles, tab: OutputTab, sheet: SheetRef,
               epoch: datetime) -> None:
    set_content_type(pkg, sheet.part, CT_SHEET)
    look = Look(styles, tab)
    drawn = [(spec, xml) for spec in tab.charts if (xml := _chart_xml(spec, tab, sheet.name))]
    drawing_rid = None
    if drawn:
        drawing = pkg.free_name("xl/drawings/drawing{}.xml")
        chart_rels, anchors = [], []
        for k, (spec, xml) in enumerate(drawn):
            part = pkg.free_name("xl/charts/chart{}.xml")
            pkg.put(part, xml)
            set_content_type(pkg, part, CT_CHART)
            chart_rels.append((f"rId{k + 1}", "chart", relative_target(drawing, part)))
            column = len(tab.columns) + 1 if spec.anchor_column is None else spec.anchor_column
            anchors.append((column, tab.header_row - 1 + k * _CHART_ROWS))
        pkg.put(drawing, _drawing_xml(anchors))
        pkg.put(rels_name(drawing), rels_xml(chart_rels))
        set_content_type(pkg, drawing, CT_DRAWING)
        drawing_rid = "rId1"
        pkg.put(rels_name(sheet.part),
                rels_xml([(drawing_rid, "drawing", relative_target(sheet.part, drawing))]))
    pkg.put(sheet.part, _sheet_xml(tab, look, sheet.selected, drawing_rid, epoch))


def _sheet_xml(tab: OutputTab, look: Look, selected: bool, drawing_rid: str | None,
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
    body = [XML_DECL, "".join(out).encode()]
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


def _data_rows(tab: OutputTab, look: Look, epoch: datetime) -> Iterator[str]:
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
            elif t is int and -EXACT_INT < v < EXACT_INT:
                add(f'<c r="{letters[j]}{r}"{styles[j]}><v>{v}</v></c>')
            elif t is date and v.toordinal() - day_zero > 60:  # past Excel's 1900 leap bug
                add(f'<c r="{letters[j]}{r}"{look.date(j, i in marked, False)}>'
                    f"<v>{v.toordinal() - day_zero}</v></c>")
            elif v is not None:
                add(_other_cell(letters[j] + r, v, look, j, i in marked, epoch))
        yield f'<row r="{r}">{"".join(cells)}</row>'


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
    return XML_DECL + openpyxl_tostring(chart._write())


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
    return XML_DECL + (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"'
        ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
        f' xmlns:r="{R_NS}">{body}</xdr:wsDr>').encode()

