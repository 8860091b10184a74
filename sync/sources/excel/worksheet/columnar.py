"""The data rows of a tab whose rows are a `ColumnTable`, a column at a time (issue 17).

The row-wise writer (`cells._data_rows`) formats every cell with its own f-string; for a
600,000-row Capaian IKI that was most of the write. Here each column of a block of rows is
factorised, each distinct value is formatted once (`distinct`), and the cells are gathered
with numpy `take`. A row is then joined from pieces that need no new string per cell:
`<c r="` + the column's letter, the row number, and the value's tail (`"{style}><v>1.5</v></c>`).

The output is the row-wise writer's, byte for byte, for the same rows (`ColumnTable.rows()`):
a NaN in a float column is an empty cell (None), an infinity has no cell. Only the order in
which date styles are first added to styles.xml may differ (row by row there, column by
column here), so a cell's style index may too, never its look.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import chain, repeat

import numpy as np
from openpyxl.utils import get_column_letter

from sync.outtabs import OutputTab
from sync.sources.excel.worksheet.cells import _LINE_PT, Look, _height
from sync.sources.excel.worksheet.distinct import CellTails, factorise, line_counts
from sync.table import ColumnTable

_BLOCK_CELLS = 1 << 19  # cells per block: a few MB of XML, so a big tab is never whole in memory


def column_rows(tab: OutputTab, look: Look, epoch: datetime, heights: list[float]) -> Iterator[bytes]:
    """The `<row>` elements of `tab.rows` (a ColumnTable), in blocks of encoded XML; appends each
    row's height in points to `heights` (for the page breaks)."""
    table: ColumnTable = tab.rows
    width, count = len(tab.columns), len(table)
    if len(table.columns) > width and count:
        raise ValueError(f"tab {tab.name!r} row 0 has {len(table.columns)} values for {width} columns")
    cells_of = CellTails(look, epoch)
    prefixes = [f'<c r="{get_column_letter(j + 1)}' for j in range(len(table.columns))]
    wrapped = {j: col.width for j, col in enumerate(tab.columns) if col.wrap and j < len(table.columns)}
    marked = np.array(sorted(i for i in tab.highlight_rows if 0 <= i < count), dtype=np.int64)
    step = max(1, _BLOCK_CELLS // max(len(table.columns), 1))
    for start in range(0, count, step):
        stop = min(start + step, count)
        first = tab.header_row + 1 + start
        numbers = list(map(str, range(first, first + stop - start)))
        rows_marked = (marked[(marked >= start) & (marked < stop)] - start).tolist()
        tallest = np.ones(stop - start, dtype=np.int64)
        columns = []
        for j, column in enumerate(table.columns):
            codes, uniques, kind = factorise(column[start:stop], j in look.open)
            if j in wrapped:
                np.maximum(tallest, line_counts(uniques, wrapped[j])[codes], out=tallest)
            tails = cells_of.tails(uniques, j, kind)
            # highlighted rows are few: one by one
            own = {i: cells_of.tail(uniques[codes[i]], j, True) for i in rows_marked}
            columns.append(_Column(prefixes[j], codes, tails, own))
        heights.extend((tallest * _LINE_PT).tolist())
        # One str join then one encode: bytes.join of so many small pieces is several times slower.
        rows = zip(*_pieces(numbers, tallest, columns), strict=False)  # repeat() pieces never end
        yield "".join(chain.from_iterable(rows)).encode()


class _Column:
    """One column of a block: each distinct value's cell (`tails[codes]`), highlighted rows' own."""

    def __init__(self, prefix: str, codes: np.ndarray, tails: list[str], own: dict[int, str]):
        self.prefix, self.codes, self.tails, self.own = prefix, codes, tails, own
        self.present = np.array([t != "" for t in tails], dtype=bool)[codes]
        for i, tail in own.items():
            self.present[i] = tail != ""
        self.full = bool(self.present.all())

    def cells(self, then: str) -> list[str]:
        """The cells, each followed by `then`."""
        tails = np.array([t + then for t in self.tails], dtype=object)[self.codes]
        for i, tail in self.own.items():
            tails[i] = tail + then
        return tails.tolist()


def _pieces(numbers: list[str], tallest: np.ndarray, columns: list[_Column]) -> list:
    """The pieces each row is joined from: `<row r="`, n, `">`, then per column `<c r="B`, n and
    the rest of the cell. The `<c r="B` of a column with a cell in every row goes at the end of
    the piece before it, so such a column adds two pieces per row, not three."""
    pieces: list = [repeat('<row r="'), numbers]
    head = columns[0].prefix if columns and columns[0].full else ""
    pieces.append(_row_attrs(tallest, head))
    for j, column in enumerate(columns):
        then = columns[j + 1].prefix if j + 1 < len(columns) and columns[j + 1].full else ""
        if column.full:
            pieces += [numbers, column.cells(then)]
        elif column.present.any() or then:
            heads = np.array(["", column.prefix], dtype=object)[column.present.view(np.int8)]
            refs = np.where(column.present, np.array(numbers, dtype=object), "")
            pieces += [heads.tolist(), refs.tolist(), column.cells(then)]
    pieces.append(repeat("</row>"))
    return pieces


def _row_attrs(tallest: np.ndarray, then: str) -> list[str] | repeat:
    """`">` closing each `<row r="n"`, with the height of rows of wrapped text, then `then`."""
    if (tallest <= 1).all():
        return repeat('">' + then)  # the same for every row
    distinct, codes = np.unique(tallest, return_inverse=True)
    attrs = np.array([f'"{_height(int(n))}>{then}' for n in distinct], dtype=object)
    return attrs[codes.reshape(-1)].tolist()
