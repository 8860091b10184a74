"""The cells and rows of an output tab's sheet XML: the style of each column (`Look`), the
streamed data rows, the hidden rows charts read, the open spare rows below a shared tab, row
heights, and the escaping of text and numbers.
"""

from __future__ import annotations

import decimal
import numbers
from collections.abc import Iterator
from datetime import date, datetime

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

from sync.outtabs import OutputColumn, OutputTab, number_pattern, wrapped_lines
from sync.sources.excel.parts import EXACT_INT, EXCEL_ESCAPE, ILLEGAL_XML, MAX_TEXT, NEEDS_ESCAPE
from sync.sources.excel.styles import DATE_FORMAT, DATETIME_FORMAT, HEADER_FILL, HIGHLIGHT_FILL, Styles

_LINE_PT = 15.0  # height of one line of Calibri 11 in a row (Excel's default row height)


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


def _spare_rows(tab: OutputTab, look: Look) -> Iterator[bytes]:
    """The empty rows below a shared tab's data, open to typing (a row style, no cells)."""
    if not tab.spare_rows:
        return
    style = look.spare()
    first = tab.header_row + len(tab.rows) + 1
    for r in range(first, first + tab.spare_rows):
        yield f'<row r="{r}"{style} customFormat="1"/>'.encode()


def _xml_attr(text: str) -> str:
    return _xml(text).replace('"', "&quot;")


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
        last = -2  # the column of the row's previous cell: a cell right after it needs no r=
        for j, v in enumerate(row):
            t = type(v)
            if t is str:
                if v:
                    text = texts.get(v)
                    if text is None:
                        text = texts[v] = _t(v)
                    tail = f'{styles[j]} t="inlineStr"><is>{text}</is></c>'
                elif j in open_cells:
                    tail = f"{styles[j]}/>"
                else:
                    continue
            elif t is float:
                if v - v != 0:  # NaN and infinities have no Excel value
                    continue
                tail = f"{styles[j]}><v>{v!r}</v></c>"
            elif t is int and -EXACT_INT < v < EXACT_INT:
                tail = f"{styles[j]}><v>{v}</v></c>"
            elif t is date and v.toordinal() - day_zero > 60:  # past Excel's 1900 leap bug
                tail = f"{look.date(j, i in marked, False)}><v>{v.toordinal() - day_zero}</v></c>"
            elif v is not None:
                tail = _other_tail(v, look, j, marked=i in marked, epoch=epoch)[1:]
                if not tail:
                    continue
            elif j in open_cells:
                tail = f"{styles[j]}/>"
            else:
                continue
            # A cell's reference is optional where it directly follows the previous one (ECMA-376
            # 18.3.1.4): leaving it out makes a big tab's XML ~20% smaller (issue 17).
            add(f"<c{tail}" if last == j - 1 else f'<c r="{letters[j]}{r}"{tail}')
            last = j
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


def _other_tail(v, look: Look, j: int, marked: bool, epoch: datetime) -> str:
    """A cell of a rarer type from just after its reference (`"` onwards), or "" for no cell.

    The columnar writer puts its own reference in front, so both paths share this."""
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
            return f'"{style}><v>{_number(serial)}</v></c>'
        v = v.isoformat()  # before the epoch: Excel has no such date
    elif isinstance(v, numbers.Integral) and -EXACT_INT < v < EXACT_INT:
        return f'"{style}><v>{int(v)}</v></c>'
    elif isinstance(v, numbers.Integral):
        v = str(int(v))
    elif isinstance(v, numbers.Real | decimal.Decimal):
        v = float(v)
        return f'"{style}><v>{v!r}</v></c>' if v - v == 0 else ""
    v = str(v)
    return f'"{style} t="inlineStr"><is>{_t(v)}</is></c>' if v else ""


def _number(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(float(x))


def _t(text: str) -> str:
    """`<t>` for an inline string: escaped, Excel's _xHHHH_ guarded, illegal chars dropped,
    anything beyond ASCII as a character reference."""
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
    if NEEDS_ESCAPE.search(text):
        text = ILLEGAL_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
        text = EXCEL_ESCAPE.sub(r"_x005F\g<0>", text)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not text.isascii():
        # As character references (&#9660;): a big tab's XML stays ASCII, which Python joins
        # and encodes several times faster than text with one ▲ in it (issue 17).
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    if text and (text[0] in " \t\n" or text[-1] in " \t\n"):
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"
