"""How much room text takes in a cell of Calibri 11, the default font of every Kinerja sheet.

Estimates, a little generous, so that column widths fit their values and
wrapped rows get a height that shows every line: Excel does not grow a row
for wrapped text by itself when a file is written, and LibreOffice prints
what the file says.
"""

from __future__ import annotations

import itertools
import re

import numpy as np

# Advance widths of Calibri in 1/2048 em; what is not listed is taken as a lowercase letter.
_ADVANCE = {
    **dict.fromkeys("0123456789", 1038), " ": 463, ".": 517, ",": 511, ":": 548, ";": 548,
    "/": 792, "-": 627, "(": 621, ")": 621, "%": 1465, "'": 452, '"': 821, "!": 595, "?": 941,
    "&": 1396, "+": 1038, "=": 1038, "_": 1024, "▲": 1500, "▼": 1500, "★": 1800, "°": 700,
    "a": 981, "b": 1076, "c": 866, "d": 1076, "e": 1019, "f": 625, "g": 964, "h": 1076, "i": 470,
    "j": 490, "k": 931, "l": 470, "m": 1636, "n": 1076, "o": 1080, "p": 1076, "q": 1076, "r": 714,
    "s": 801, "t": 686, "u": 1076, "v": 925, "w": 1464, "x": 887, "y": 927, "z": 809,
    "A": 1185, "B": 1114, "C": 1092, "D": 1260, "E": 1000, "F": 941, "G": 1292, "H": 1276,
    "I": 516, "J": 653, "K": 1064, "L": 861, "M": 1751, "N": 1322, "O": 1356, "P": 1058,
    "Q": 1378, "R": 1112, "S": 941, "T": 998, "U": 1314, "V": 1162, "W": 1822, "X": 1063,
    "Y": 998, "Z": 959,
}
_DIGIT = 1038
_GET_ADVANCE = _ADVANCE.get
_UNLISTED = itertools.repeat(1000)  # endless: map stops at the text's end
_PADDING_PX = 7  # a cell's inner margins, left and right together, at 7 px per width unit


def text_units(text: str, bold: bool = False) -> float:
    """Width of `text` in Excel column units (the width of the digit 0), a little generous."""
    total = sum(map(_GET_ADVANCE, text, _UNLISTED)) / _DIGIT  # map: no generator frame per character
    return total * (1.08 if bold else 1.03)


_TABLE_SIZE = 0x10000  # the Basic Multilingual Plane; anything beyond counts as a lowercase letter


def _advance_table() -> np.ndarray:
    table = np.full(_TABLE_SIZE, 1000, dtype=np.int64)
    for ch, advance in _ADVANCE.items():
        table[ord(ch)] = advance
    return table


_ADVANCES = _advance_table()
_FEW_TEXTS = 16


def texts_units(texts: list[str], bold: bool = False) -> np.ndarray:
    """`text_units` of many texts at once (the same floats), for columns of thousands of values."""
    if len(texts) < _FEW_TEXTS:  # numpy's fixed costs outweigh a few sums
        return np.array([text_units(text, bold) for text in texts], dtype=np.float64)
    try:
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate: one text at a time
        return np.array([text_units(t, bold) for t in texts])
    advances = np.where(codes < _TABLE_SIZE, _ADVANCES[np.minimum(codes, _TABLE_SIZE - 1)], 1000)
    running = np.concatenate(([0], np.cumsum(advances)))
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths)
    # whole sums, exact, then divided and scaled as text_units does, in float64 like Python
    return (running[ends] - running[ends - lengths]) / _DIGIT * (1.08 if bold else 1.03)


def _words(text: str) -> list[str]:
    """Pieces a line may break after: at spaces, and after "/" or "-" inside a word."""
    out = []
    for word in text.split(" "):
        out += _word_pieces(word)
        out[-1] += " "
    return out


# A piece ends at a "/" or "-" that is not its first character (what the old character loop did).
_BREAK_AFTER = re.compile(r".[^/-]*[/-]", re.DOTALL)


def _word_pieces(word: str) -> list[str]:
    """The pieces of one word (without its space); the last may be ""."""
    if "/" not in word and "-" not in word:
        return [word]
    pieces = _BREAK_AFTER.findall(word)
    pieces.append(word[sum(map(len, pieces)):])
    return pieces


def wrapped_lines(text: str, width: float, bold: bool = False) -> int:
    """Lines `text` takes in a wrapped cell `width` units wide (explicit newlines kept).

    The arithmetic of `text_units` per piece, inlined: the writer measures thousands of long
    distinct texts (issue 17)."""
    room = max(width - _PADDING_PX / 7, 1.0)
    scale = 1.08 if bold else 1.03
    space = text_units(" ", bold)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            pieces = _word_pieces(word)
            last = len(pieces) - 1
            for k, piece in enumerate(pieces):
                size = sum(map(_GET_ADVANCE, piece, _UNLISTED)) / _DIGIT * scale
                if used and used + size > room:
                    lines += 1
                    used = 0.0
                while size > room:  # a word longer than the cell is broken anywhere
                    lines += 1
                    size -= room
                used += size + (space if k == last else 0.0)
    return lines


def longest_word_units(text: str, bold: bool = False) -> float:
    """Width of the widest piece of `text` that cannot be broken."""
    return max((text_units(piece.rstrip(" "), bold) for piece in _words(text)), default=0.0)
