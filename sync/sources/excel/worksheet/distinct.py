"""The distinct values of a column slice, and each one's cell, formatted once (issue 17).

`factorise` splits a column into codes and distinct plain Python values; `CellTails` formats
each distinct value by the very rules of the row-wise writer (`cells._data_rows`), as a cell
without reference: `<c s="3"><v>1.5</v></c>`; `line_counts` tells the lines a
wrapped text takes. The columnar writer (`columnar`) gathers them with numpy `take`.
"""

from __future__ import annotations

import ctypes
import functools
import math
import sys
from datetime import date, datetime

import numpy as np
import pandas as pd

from sheet_templates.textfit import _PADDING_PX, text_units, wrapped_lines
from sync.sources.excel.parts import EXACT_INT, EXCEL_ESCAPE, MAX_TEXT
from sync.sources.excel.worksheet.cells import Look, _other_tail, _t

try:  # the measure of many texts at once, where textfit has it
    from sheet_templates.textfit import texts_units
except ImportError:  # pragma: no cover - the same numbers, one text at a time

    def texts_units(texts: list[str]) -> np.ndarray:
        return np.array([text_units(text) for text in texts])


_CPYTHON = (sys.implementation.name == "cpython"
            and ctypes.sizeof(ctypes.c_ssize_t) == np.dtype(np.intp).itemsize)

# Factorising by value would merge 1, 1.0 and True: only these mixes are safe.
_SAFE_MIXES = ({str}, {int}, {float}, {str, int}, {str, float})


def factorise(column: np.ndarray, open_column: bool) -> tuple[np.ndarray, list, str]:
    """(codes, distinct plain Python values, their kind): `uniques[codes]` is the column.

    The kind is "f" (floats, None for NaN), "i" (ints), "s" (str, None) or "" (anything).
    Numbers are told apart by their bits, so -0.0 keeps its sign. An object column of other
    types (dates, bools, 1 beside 1.0) keeps every value, unfactorised."""
    kind = column.dtype.kind
    if kind in "fiub" and column.dtype.itemsize in (1, 2, 4, 8):
        bits = np.ascontiguousarray(column).view(f"i{column.dtype.itemsize}")
        codes, distinct = pd.factorize(bits, use_na_sentinel=False)
        uniques = distinct.view(column.dtype).tolist()
        if kind == "f":
            uniques = [None if v != v else v for v in uniques]  # NaN: an empty cell, like None
        return codes, uniques, kind if kind in "fi" else ""
    if kind != "O":
        values = column.tolist()
        return np.arange(len(values)), values, ""
    shared = _shared_objects(column)
    if shared is not None:  # the distinct objects only, by value; their codes spread to the rows
        same, first = shared
        objects = column[first]
        codes, uniques, kind = _by_value(objects, objects.tolist(), open_column)
        return codes[same], uniques, kind
    return _by_value(column, column.tolist(), open_column)


def _shared_objects(column: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(codes, a row of each) of the distinct objects of an object column by identity, or None
    when most rows hold an object of their own. A renderer words each distinct value once and
    repeats that very str object, so this finds a column's few values without hashing and
    comparing a text per row, several times faster (issue 17); the same object is always the
    same cell."""
    if len(column) < 64:
        return None
    same, addresses = pd.factorize(_addresses(column))
    if len(addresses) > len(column) // 4:
        return None
    first = np.empty(len(addresses), dtype=np.intp)
    first[same] = np.arange(len(same))  # any row of an object will do: they hold the same one
    return same, first


def _addresses(column: np.ndarray) -> np.ndarray:
    """Each row's object identity (`id`) as integers. In CPython an object array's buffer holds
    exactly those addresses, read here in place (a view, no copy): some 20x faster than `id` per
    row, which was a fifth of writing the 10,000-employee result tabs (issue 17). Elsewhere, or
    for a strided array, `id` row by row."""
    if _CPYTHON and column.flags.c_contiguous:
        buffer = (ctypes.c_ssize_t * len(column)).from_address(column.ctypes.data)
        return np.frombuffer(buffer, dtype=np.intp)  # alive as long as `column`, which the caller holds
    return np.fromiter(map(id, column.tolist()), dtype=np.intp, count=len(column))


def _by_value(column: np.ndarray, values: list, open_column: bool) -> tuple[np.ndarray, list, str]:
    """`factorise` of an object column by value where that merges nothing that differs."""
    types = set(map(type, values))
    present = types - {type(None)}
    if present in _SAFE_MIXES and not _merges_floats(values, present, open_column):
        codes, distinct = pd.factorize(column, use_na_sentinel=True)
        missing = None if type(None) in types else math.nan
        return codes, [*distinct.tolist(), missing], "s" if present <= {str} else ""
    return np.arange(len(values)), values, ""


def _merges_floats(values: list, present: set, open_column: bool) -> bool:
    """Whether factorising would merge floats that are written differently: -0.0 and 0.0, or
    NaN and None in an open column (pandas counts both as missing; only None is an empty cell)."""
    if float not in present:
        return False
    if open_column and None in values:
        return True
    if 0.0 not in values:  # `in` compares in C: no zero, no -0.0 either
        return False
    return any(math.copysign(1.0, v) < 0 for v in values if type(v) is float and v == 0)


class CellTails:
    """Cells of one tab without their reference (`<c s="3">…`), as `cells._data_rows` writes a
    cell right after another; the columnar writer puts a reference in where one is needed."""

    def __init__(self, look: Look, epoch: datetime):
        self.look, self.epoch = look, epoch
        self.day_zero = epoch.toordinal()

    def tail(self, v, j: int, marked: bool) -> str:
        """The cell of value `v` in column `j`, or "" when the value has no cell."""
        look = self.look
        style = (look.marked if marked else look.plain)[j]
        t = type(v)
        if t is str:
            if v:
                return f'<c{style} t="inlineStr"><is>{_t(v)}</is></c>'
        elif t is float:
            return f"<c{style}><v>{v!r}</v></c>" if v - v == 0 else ""
        elif t is int and -EXACT_INT < v < EXACT_INT:
            return f"<c{style}><v>{v}</v></c>"
        elif t is date and v.toordinal() - self.day_zero > 60:  # past Excel's 1900 leap bug
            return f"<c{look.date(j, marked, False)}><v>{v.toordinal() - self.day_zero}</v></c>"
        elif v is not None:
            tail = _other_tail(v, look, j, marked, self.epoch)  # `"{style}>…`, after a reference
            return "<c" + tail[1:] if tail else ""
        return f"<c{style}/>" if j in look.open else ""  # open to typing: written empty, unlocked

    def tails(self, uniques: list, j: int, kind: str) -> list[str]:
        """`tail` of each distinct value of column `j` in plain rows; for the kinds of `factorise`
        all at once (`_framed`), then the few values of another form one by one."""
        style = self.look.plain[j]
        if kind == "f":  # mostly distinct numbers: NaN (None) is an empty cell, an infinity none
            out = _framed(list(map(repr, uniques)), f"<c{style}><v>", "</v></c>")
            for k in np.flatnonzero(~np.isfinite(np.array(uniques, dtype=np.float64))).tolist():
                out[k] = self.tail(uniques[k], j, False)
            return out
        if kind == "i":  # ints beyond 15 digits go in as text
            out = _framed(list(map(repr, uniques)), f"<c{style}><v>", "</v></c>")
            ints = np.array(uniques, dtype=np.int64)
            for k in np.flatnonzero((ints <= -EXACT_INT) | (ints >= EXACT_INT)).tolist():
                out[k] = self.tail(uniques[k], j, False)
            return out
        if kind == "s" and _plain_texts(uniques[:-1]):
            out = _framed(uniques[:-1], f'<c{style} t="inlineStr"><is><t>', "</t></is></c>")
            out.append(self.tail(uniques[-1], j, False))
            if "" in uniques:
                out[uniques.index("")] = self.tail("", j, False)
            return out
        return [self.tail(v, j, False) for v in uniques]


def _framed(texts: list[str], head: str, tail: str) -> list[str]:
    """`head + text + tail` for each text (none holding a newline), beyond ASCII as character
    references (as `_t` writes them): one join, encode and split, about twice as fast as
    formatting each (issue 17)."""
    if not texts:
        return []
    framed = head + f"{tail}\n{head}".join(texts) + tail
    if not framed.isascii():
        framed = framed.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return framed.split("\n")


def _plain_texts(texts: list[str]) -> bool:
    """Whether every text goes into `<t>` as it is, or with characters beyond ASCII as character
    references (what `_t` does to a text it has nothing else to do with), checked on all texts
    joined by "|", which can neither hide nor make a match. `isprintable` is False for newlines and
    every character NEEDS_ESCAPE's class holds but &, < and > (and for a few harmless ones too:
    those texts just take the careful way)."""
    if not texts or max(map(len, texts)) > MAX_TEXT:
        return False
    joined = "|".join(texts)
    if not joined.isprintable() or "&" in joined or "<" in joined or ">" in joined:
        return False
    if "_x" in joined and EXCEL_ESCAPE.search(joined):
        return False
    # no space at either end of a text (tabs and newlines are not printable)
    return not (joined.startswith(" ") or joined.endswith(" ") or "| " in joined or " |" in joined)


def line_counts(uniques: list, width: float) -> np.ndarray:
    """Lines each distinct value takes in a wrapped column `width` wide (text only; others 1).

    A text narrower than the cell, without a newline, is one line: measured for all texts at
    once (`texts_units`, the same sums `wrapped_lines` makes piece by piece), with a margin
    for rounding; the rest go through `wrapped_lines`, cached across tabs (names repeat)."""
    counts = np.ones(len(uniques), dtype=np.int64)
    where = [k for k, v in enumerate(uniques) if type(v) is str and v]
    if not where:
        return counts
    texts = [uniques[k] for k in where]
    room = max(width - _PADDING_PX / 7, 1.0)  # wrapped_lines' room
    fits = texts_units(texts) < room * (1 - 1e-9)
    if "\n" in "".join(texts):  # rare: which texts, one by one
        fits &= np.fromiter(("\n" not in text for text in texts), dtype=bool, count=len(texts))
    for i in np.flatnonzero(~fits).tolist():  # only the texts that may take more than a line
        counts[where[i]] = _wrapped_lines(texts[i], width)
    return counts


@functools.lru_cache(maxsize=1 << 16)
def _wrapped_lines(text: str, width: float) -> int:
    return wrapped_lines(text, width)
