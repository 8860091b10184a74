"""The state of the fake Sheets API: spreadsheets, sheets, cells, and A1 ranges on them.

Cells are `CellData` dicts keyed by (row, column), 0-based. A cell dict is
never changed in place (a new one replaces it), so copying a book before a
batchUpdate is cheap and a failed batch is undone by keeping the old copy.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

MAX_CELLS = 10_000_000  # Google Sheets' limit per spreadsheet
DEFAULT_GRID = (1000, 26)


class BadRequest(Exception):
    """A request Google would answer with 400 INVALID_ARGUMENT; `field` names the offending field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def column_index(letters: str) -> int:
    value = 0
    for ch in letters.upper():
        value = value * 26 + ord(ch) - 64
    return value - 1


def echo_title(title: str) -> str:
    """A sheet title as Google writes it in a range it returns: quoted unless plainly a name."""
    plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not re.fullmatch(
        r"[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*", title)
    return title if plain else "'" + title.replace("'", "''") + "'"


@dataclass
class Sheet:
    """One tab: its `SheetProperties`, cells, charts, protections, column/row sizes, merges, and
    conditional format rules (in order: index 0 first)."""

    props: dict
    cells: dict[tuple[int, int], dict] = field(default_factory=dict)
    charts: list[dict] = field(default_factory=list)
    protected: list[dict] = field(default_factory=list)
    widths: dict[int, int] = field(default_factory=dict)
    heights: dict[int, int] = field(default_factory=dict)
    merges: list[dict] = field(default_factory=list)
    conditional: list[dict] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.props["sheetId"]

    @property
    def title(self) -> str:
        return self.props["title"]

    @property
    def rows(self) -> int:
        return self.props["gridProperties"]["rowCount"]

    @property
    def columns(self) -> int:
        return self.props["gridProperties"]["columnCount"]

    def copy(self) -> Sheet:
        return Sheet(copy.deepcopy(self.props), dict(self.cells), copy.deepcopy(self.charts),
                     copy.deepcopy(self.protected), dict(self.widths), dict(self.heights),
                     copy.deepcopy(self.merges), copy.deepcopy(self.conditional))

    def resource(self) -> dict:
        """This sheet as a `Sheet` resource of spreadsheets.get (without grid data)."""
        out: dict[str, Any] = {"properties": copy.deepcopy(self.props)}
        grid = out["properties"]["gridProperties"]
        for key in [k for k, v in grid.items() if v in (0, False)]:
            del grid[key]  # protobuf leaves out default values, so Google's answers do too
        if self.charts:
            out["charts"] = copy.deepcopy(self.charts)
        if self.protected:
            out["protectedRanges"] = copy.deepcopy(self.protected)
        if self.merges:
            out["merges"] = copy.deepcopy(self.merges)
        if self.conditional:
            out["conditionalFormats"] = copy.deepcopy(self.conditional)
        return out

    def extent(self) -> tuple[int, int]:
        """(rows, columns) up to the last cell holding a value."""
        used = [key for key, cell in self.cells.items() if "userEnteredValue" in cell]
        if not used:
            return 0, 0
        return max(r for r, _ in used) + 1, max(c for _, c in used) + 1


@dataclass
class Book:
    """One spreadsheet; `shared_with` None means every caller may open it."""

    key: str
    title: str
    sheets: list[Sheet] = field(default_factory=list)
    shared_with: set[str] | None = None
    ids: int = 1_000_000  # the next id handed out for charts and protected ranges

    def copy(self) -> Book:
        return Book(self.key, self.title, [s.copy() for s in self.sheets],
                    None if self.shared_with is None else set(self.shared_with), self.ids)

    def next_id(self) -> int:
        self.ids += 7919  # ids look arbitrary, as Google's do
        return self.ids

    def by_id(self, sheet_id: int) -> Sheet:
        for sheet in self.sheets:
            if sheet.id == sheet_id:
                return sheet
        raise BadRequest(f"No grid with id: {sheet_id}")

    def by_title(self, title: str) -> Sheet | None:
        for sheet in self.sheets:
            if sheet.title.casefold() == title.casefold():
                return sheet
        return None

    def total_cells(self) -> int:
        return sum(s.rows * s.columns for s in self.sheets)

    def url(self) -> str:
        return f"https://docs.google.com/spreadsheets/d/{self.key}/edit"


# --- A1 ranges -------------------------------------------------------------------------------

_ENDPOINT = re.compile(r"(?P<col>[A-Za-z]{1,3})?(?P<row>[0-9]+)?$")


@dataclass(frozen=True)
class Span:
    """A range on one sheet, 0-based, end exclusive; None = to the grid's edge."""

    sheet: Sheet
    r0: int
    r1: int | None
    c0: int
    c1: int | None

    def bounded(self) -> tuple[int, int, int, int]:
        r1 = self.sheet.rows if self.r1 is None else min(self.r1, self.sheet.rows)
        c1 = self.sheet.columns if self.c1 is None else min(self.c1, self.sheet.columns)
        return self.r0, r1, self.c0, c1

    def a1(self) -> str:
        """The range as Google echoes it, clipped to the grid."""
        return self._a1(*self.bounded())

    def a1_unclipped(self) -> str:
        """The range as asked, for "exceeds grid limits" messages."""
        r1 = self.sheet.rows if self.r1 is None else self.r1
        c1 = self.sheet.columns if self.c1 is None else self.c1
        return self._a1(self.r0, r1, self.c0, c1)

    def _a1(self, r0: int, r1: int, c0: int, c1: int) -> str:
        start = f"{column_letters(c0)}{r0 + 1}"
        end = f"{column_letters(max(c1, c0 + 1) - 1)}{max(r1, r0 + 1)}"
        ref = start if (r1 - r0, c1 - c0) == (1, 1) else f"{start}:{end}"
        return f"{echo_title(self.sheet.title)}!{ref}"


def parse_range(book: Book, text: str) -> Span:
    """An A1 range ('Sheet'!A1:C2, Sheet!A:A, Sheet!1:2, Sheet) on `book`, or BadRequest."""
    title, ref = _split(text)
    sheet = book.by_title(title) if title is not None else None
    if title is not None and sheet is None:
        raise BadRequest(f"Unable to parse range: {text}")
    if title is None:
        sheet = book.by_title(ref)
        if sheet is not None:
            return Span(sheet, 0, None, 0, None)
        sheet, ref = book.sheets[0], ref
    if not ref:
        return Span(sheet, 0, None, 0, None)
    parts = ref.split(":")
    ends = [_ENDPOINT.match(p) for p in parts]
    if len(parts) > 2 or not all(m and (m["col"] or m["row"]) for m in ends):
        raise BadRequest(f"Unable to parse range: {text}")
    start, end = ends[0], ends[-1]
    if len(parts) == 1 and not (start["col"] and start["row"]):
        raise BadRequest(f"Unable to parse range: {text}")
    r0 = int(start["row"]) - 1 if start["row"] else 0
    c0 = column_index(start["col"]) if start["col"] else 0
    r1 = int(end["row"]) if end["row"] else None
    c1 = column_index(end["col"]) + 1 if end["col"] else None
    return Span(sheet, r0, r1, c0, c1)


def _split(text: str) -> tuple[str | None, str]:
    if text.startswith("'"):
        match = re.match(r"'((?:[^']|'')*)'(?:!(.*))?$", text)
        if not match:
            raise BadRequest(f"Unable to parse range: {text}")
        return match[1].replace("''", "'"), match[2] or ""
    if "!" in text:
        title, ref = text.rsplit("!", 1)
        return title, ref
    return None, text
