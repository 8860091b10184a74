"""The charts of an output tab: each `ChartSpec` as a chart part (built with openpyxl) over the
tab's own cells, its value axis' gridline step, and the drawing part that anchors the charts.
"""

from __future__ import annotations

import functools

from openpyxl.chart import BarChart, LineChart
from openpyxl.chart.data_source import AxDataSource, NumDataSource, NumRef, StrRef
from openpyxl.chart.legend import Legend
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.xml.functions import tostring as openpyxl_tostring

from sync.outtabs import CHART_CM, ChartSpec, OutputTab, chart_cells
from sync.sources.excel.parts import R_NS, XML_DECL


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
    try:
        return _chart_part(spec, cells, sheet_name)
    except TypeError:  # a spec built with a list somewhere cannot be a cache key: made uncached
        return _chart_part.__wrapped__(spec, cells, sheet_name)


# The part depends on the spec, the cells it reads and the tab's name only: agencies of one
# `kinerja run` (units and periods alike) have the same charts, made once per worker with openpyxl
# (1.6 % of an agency's time). Bytes: shared safely.
@functools.lru_cache(maxsize=64)
def _chart_part(spec: ChartSpec, cells: tuple[int, int, int], sheet_name: str) -> bytes:
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
