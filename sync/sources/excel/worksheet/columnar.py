"""The data rows of a tab whose rows are a `ColumnTable`, a column at a time (issue 17).

The row-wise writer (`cells._data_rows`) formats every cell with its own f-string; for a
600,000-row Capaian IKI that was most of the write. Here each column of a block of rows is
factorised, each distinct value is formatted once (`distinct`), and the cells are gathered
with numpy `take`. A row is then joined from pieces that need no new string per cell: a cell right after the
row's previous one is its value's cell without reference (`<c s="3"><v>1.5</v></c>`), any other
`<c r="` + the column's letter, the row number, and the value's tail (`"{style}><v>1.5</v></c>`).

The output is the row-wise writer's, byte for byte, for the same rows (`ColumnTable.rows()`):
a NaN in a float column is an empty cell (None), an infinity has no cell. Only the order in
which date styles are first added to styles.xml may differ (row by row there, column by
column here), so a cell's style index may too, never its look.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import numpy as np
import pandas as pd
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
    # Each column factorised and each distinct value formatted and measured once for the whole
    # tab, not per block: a column of 50,000 distinct values spans some twenty blocks (issue 17).
    whole, tallest = [], np.ones(count, dtype=np.int64)
    for j, column in enumerate(table.columns):
        codes, uniques, kind = factorise(column, j in look.open)
        if j in wrapped:
            np.maximum(tallest, line_counts(uniques, wrapped[j])[codes], out=tallest)
        whole.append((codes, uniques, _Cells(cells_of.tails(uniques, j, kind))))
    heights.extend((tallest * _LINE_PT).tolist())
    step = max(1, _BLOCK_CELLS // max(len(table.columns), 1))
    for start in range(0, count, step):
        stop = min(start + step, count)
        first = tab.header_row + 1 + start
        numbers = list(map(str, range(first, first + stop - start)))
        rows_marked = (marked[(marked >= start) & (marked < stop)] - start).tolist()
        columns = []
        for j, (codes, uniques, cells) in enumerate(whole):
            codes = codes[start:stop]
            # highlighted rows are few: one by one
            own = {i: cells_of.tail(uniques[codes[i]], j, True) for i in rows_marked}
            columns.append(_Column(prefixes[j], codes, cells, own))
        # One str join then one encode: bytes.join of so many small pieces is several times slower.
        yield "".join(_interleaved(_pieces(numbers, tallest[start:stop], columns), stop - start)).encode()


def _interleaved(pieces: list, count: int) -> list[str]:
    """Row by row, the rows' pieces (a str: the same in every row) as one list, filled by slice
    assignment in C: almost twice as fast as zip and chain (issue 17)."""
    out: list = [None] * (count * len(pieces))
    for k, piece in enumerate(pieces):
        out[k::len(pieces)] = [piece] * count if type(piece) is str else piece
    return out


class _Cells:
    """Each distinct value's cell of a column, without reference (`CellTails.tails`), as object
    arrays to gather from; the form that follows a reference is made on first use."""

    def __init__(self, bare: list[str]):
        self.bare = np.array(bare, dtype=object)
        self.present = np.fromiter(map(bool, bare), dtype=bool, count=len(bare))  # not ""
        self._after_ref = None

    def after_ref(self) -> np.ndarray:
        if self._after_ref is None:
            self._after_ref = np.array([_after_ref(cell) for cell in self.bare.tolist()], dtype=object)
        return self._after_ref


def _after_ref(cell: str) -> str:
    """`<c s="3">…` as it goes after `<c r="B7`: `" s="3">…`."""
    return '"' + cell[2:] if cell else cell


class _Column:
    """One column of a block: each distinct value's cell (`cells[codes]`), highlighted rows' own."""

    def __init__(self, prefix: str, codes: np.ndarray, cells: _Cells, own: dict[int, str]):
        self.prefix, self.codes, self.distinct, self.own = prefix, codes, cells, own
        self.present = cells.present[codes]
        for i, cell in own.items():
            self.present[i] = cell != ""
        self.full = bool(self.present.all())

    def cells(self, bare: bool) -> np.ndarray:
        """The cells whole without a reference (`bare`: `<c s="3">…`), or from just after the
        reference (`"{style}>…`), "" where the row has none."""
        cells = (self.distinct.bare if bare else self.distinct.after_ref())[self.codes]
        for i, cell in self.own.items():
            cells[i] = cell if bare else _after_ref(cell)
        return cells


def _pieces(numbers: list[str], tallest: np.ndarray, columns: list[_Column]) -> list:
    """The pieces each row is joined from: `<row r="`, n, `">`, then the cells. Like the row-wise
    writer, a cell right after the row's previous cell has no reference (`<c s="3">…`): a column
    next to a full one is one piece per row. Else a cell is `<c r="B`, n and the rest; column A's
    `<c r="A` goes at the end of the `">` piece when it has a cell in every row."""
    pieces: list = ['<row r="', numbers]
    head = columns[0].prefix if columns and columns[0].full else ""
    pieces.append(_row_attrs(tallest, head))
    run: list[_Column] = []  # full columns each right after a full one: no references
    for j, column in enumerate(columns):
        if j and column.full and columns[j - 1].full:
            run.append(column)
            continue
        pieces += _joined(run)
        run = []
        if j == 0 and column.full:
            pieces += [numbers, column.cells(False).tolist()]
        elif column.present.any():
            follows = columns[j - 1].present if j else np.zeros(len(numbers), dtype=bool)
            referenced = column.present & ~follows
            heads = np.array(["", column.prefix], dtype=object)[referenced.view(np.int8)]
            refs = np.where(referenced, np.array(numbers, dtype=object), "")
            cells = np.where(follows, column.cells(True), column.cells(False))
            pieces += [heads.tolist(), refs.tolist(), cells.tolist()]
    pieces += _joined(run)
    pieces.append("</row>")
    return pieces


def _joined(run: list[_Column]) -> list[list[str]]:
    """The cells of consecutive columns without references, as few pieces per row as pays.

    Neighbouring columns often go together (a NIP, its name, its unit): their distinct
    combinations are few, so each combination's cells are joined once and gathered, and the
    row's join has one piece for them, not one per column. A column that would make the
    combinations many (a column of measured values) starts a new piece."""
    out: list[list[str]] = []
    group: list[_Column] = []
    codes = cells = None
    for column in run:
        if group:
            width = len(column.distinct.bare)
            if len(cells) * width < 1 << 62:
                keys = codes.astype(np.int64) * width + column.codes
                pairs, combos = _combinations(keys, len(cells) * width)
                if len(combos) <= len(codes) // 8:  # a combination repeats in several rows
                    cells = cells[combos // width] + column.distinct.bare[combos % width]
                    codes = pairs
                    group.append(column)
                    continue
            out.append(_gathered(group, codes, cells))
        group, codes, cells = [column], column.codes, column.distinct.bare
    if group:
        out.append(_gathered(group, codes, cells))
    return out


def _combinations(keys: np.ndarray, span: int) -> tuple[np.ndarray, np.ndarray]:
    """(each row's combination, the distinct `keys`), keys being below `span`. Where the span is
    small, a table over it numbers them without hashing, some 2-3x faster than `pd.factorize`;
    their order differs, which only changes how the same cells are gathered."""
    if span > 8 * len(keys) + 4096:
        return pd.factorize(keys)
    seen = np.zeros(span, dtype=bool)
    seen[keys] = True
    combos = np.flatnonzero(seen)
    number = np.empty(span, dtype=np.intp)
    number[combos] = np.arange(len(combos))
    return number[keys], combos


def _gathered(group: list[_Column], codes: np.ndarray, cells: np.ndarray) -> list[str]:
    """`cells[codes]`, with highlighted rows' own cells put in."""
    if len(group) == 1:
        return group[0].cells(True).tolist()
    rows = cells[codes]
    for i in sorted(set().union(*(column.own for column in group))):
        rows[i] = "".join(c.own.get(i, c.distinct.bare[c.codes[i]]) for c in group)
    return rows.tolist()


def _row_attrs(tallest: np.ndarray, then: str) -> list[str] | str:
    """`">` closing each `<row r="n"`, with the height of rows of wrapped text, then `then`."""
    if (tallest <= 1).all():
        return '">' + then  # the same for every row
    # line counts are small ints: a table indexed by them, no sort (np.unique)
    present = np.flatnonzero(np.bincount(tallest))
    attrs = np.empty(present[-1] + 1, dtype=object)
    attrs[present] = [f'"{_height(n)}>{then}' for n in present.tolist()]
    return attrs[tallest].tolist()
