"""The charts of an output tab as Sheets requests: an `addChart` per `ChartSpec` over the tab's
own cells, the same size as in Excel, and the grid rows and columns the charts take below the table.
"""

from __future__ import annotations

from sheet_templates import gsheet_format as fmt
from sync.outtabs import CHART_CM, ChartSpec, OutputTab, chart_anchors, chart_cells

CHART_PIXELS = tuple(round(cm / 2.54 * 96) for cm in CHART_CM)  # the Excel writer's size
CHART_ROWS = 17  # grid rows (21 px) a chart covers, with a little room
CHART_COLUMNS = 7  # grid columns a chart spans at the default 100 px width


def grid_size(tab: OutputTab) -> tuple[int, int]:
    """(rows, columns) of the grid: the data, the chart data, room for the charts, one row below."""
    rows = max(tab.last_row + tab.spare_rows, tab.header_row + 1)
    columns = max(len(tab.columns), 1, *(len(row) for row in tab.chart_data))
    drawn = [spec for spec in tab.charts if chart_cells(spec, tab) is not None]
    for (row, column) in chart_anchors(tab, drawn):
        rows = max(rows, row + CHART_ROWS)
        columns = max(columns, column + CHART_COLUMNS)
    return rows, columns


def chart_request(spec: ChartSpec, tab: OutputTab, sheet_id: int, anchor: tuple[int, int]) -> dict | None:
    """`addChart` for one `ChartSpec` over the tab's own cells at `anchor` (0-based row, column),
    or None when it has no rows."""
    cells = chart_cells(spec, tab)
    if cells is None:
        return None
    head, first, last = (r - 1 for r in cells)  # 0-based grid rows

    def column_sources(col: int) -> dict:
        # The header cell names the series; a slice of rows further down is a second source.
        if first == head + 1:
            ranges = [fmt.grid_range(sheet_id, (head, last + 1), (col, col + 1))]
        else:
            ranges = [fmt.grid_range(sheet_id, (head, head + 1), (col, col + 1)),
                      fmt.grid_range(sheet_id, (first, last + 1), (col, col + 1))]
        return {"sourceRange": {"sources": ranges}}

    def row_sources(row: int) -> dict:
        # The name cell, then the values: one horizontal range whose first cell is the header.
        left, right = spec.category_column, max(spec.series_columns) + 1
        return {"sourceRange": {"sources": [fmt.grid_range(sheet_id, (row, row + 1), (left, right))]}}

    bar = spec.kind == "bar"
    values_axis = "BOTTOM_AXIS" if bar else "LEFT_AXIS"
    if spec.by_row:
        domain = row_sources(head)
        series_sources = [row_sources(r) for r in range(first, last + 1)]
    else:
        domain = column_sources(spec.category_column)
        series_sources = [column_sources(col) for col in spec.series_columns]
    series = []
    for k, source in enumerate(series_sources):
        one: dict = {"series": source, "targetAxis": values_axis}
        if spec.line_series:
            one["type"] = "LINE" if k in spec.line_series else "COLUMN"
        colour = spec.colors[k] if k < len(spec.colors) else None
        if colour:
            one["colorStyle"] = {"rgbColor": fmt.rgb(colour)}
        if k in spec.line_series:
            one["lineStyle"] = {"type": "MEDIUM_DASHED", "width": 2}
        series.append(one)
    # x_title names the horizontal axis and y_title the vertical one, whichever holds the values.
    axes = {position: {"position": position, "title": title}
            for position, title in (("BOTTOM_AXIS", spec.x_title), ("LEFT_AXIS", spec.y_title)) if title}
    if spec.value_min is not None or spec.value_max is not None:
        window = {"viewWindowMode": "EXPLICIT"}
        if spec.value_min is not None:
            window["viewWindowMin"] = spec.value_min
        if spec.value_max is not None:
            window["viewWindowMax"] = spec.value_max
        axes.setdefault(values_axis, {"position": values_axis})["viewWindowOptions"] = window
    chart_type = ("COMBO" if spec.line_series else "LINE" if spec.kind == "line"
                  else "BAR" if bar else "COLUMN")
    basic = {
        "chartType": chart_type, "legendPosition": "BOTTOM_LEGEND", "headerCount": 1,
        "domains": [{"domain": domain}],
        "series": series,
    }
    if spec.kind != "line":
        basic["stackedType"] = "STACKED" if spec.stacked else "NOT_STACKED"
    if axes:
        basic["axis"] = [axes[p] for p in ("BOTTOM_AXIS", "LEFT_AXIS") if p in axes]
    row, column = anchor
    width, height = CHART_PIXELS
    chart_spec = {"title": spec.title, "basicChart": basic}
    if tab.chart_data and spec.source == "chart_data":
        chart_spec["hiddenDimensionStrategy"] = "SHOW_ALL"  # its data rows are hidden
    return {"addChart": {"chart": {
        "spec": chart_spec,
        "position": {"overlayPosition": {"anchorCell": {"sheetId": sheet_id, "rowIndex": row,
                                                        "columnIndex": column},
                                         "widthPixels": width, "heightPixels": height}}}}}
