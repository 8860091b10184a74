"""`wrapped_lines` inlines `text_units` per piece and finds pieces with a regular expression
(issue 17): it must count the same lines as the plain character-by-character version below."""

import random

import pytest

from sheet_templates.textfit import _words, text_units, wrapped_lines


def _reference_words(text: str) -> list[str]:
    out = []
    for word in text.split(" "):
        piece = ""
        for ch in word:
            piece += ch
            if ch in "/-" and len(piece) > 1:
                out.append(piece)
                piece = ""
        out.append(piece + " ")
    return out


def _reference_lines(text: str, width: float, bold: bool = False) -> int:
    room = max(width - 1.0, 1.0)
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for piece in _reference_words(paragraph):
            size = text_units(piece.rstrip(" "), bold)
            gap = text_units(" ", bold) if piece.endswith(" ") else 0.0
            if used and used + size > room:
                lines += 1
                used = 0.0
            while size > room:
                lines += 1
                size -= room
            used += size + gap
    return lines


_ALPHABET = "aZ09 -/--//  .,▲é\nxMW%\t\r"


@pytest.mark.parametrize("seed", range(5))
def test_the_same_pieces_and_lines_as_the_character_loop(seed):
    rng = random.Random(seed)
    for _ in range(3000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(0, 120)))
        assert _words(text) == _reference_words(text), repr(text)
        for width in (0.5, 3, 8.43, 20, 41.7):
            for bold in (False, True):
                assert wrapped_lines(text, width, bold) == _reference_lines(text, width, bold), (text, width)


def test_edge_texts():
    for text in ["", " ", "-", "/", "--", "a-", "-a", "a--b", "--x", "-a-", "x/ y", "  a  ", "a\n\nb",
                 "Belum ada realisasi untuk indikator ini/target - perlu ditindaklanjuti oleh atasan"]:
        assert _words(text) == _reference_words(text)
        for width in (1, 5, 12.5, 30):
            assert wrapped_lines(text, width) == _reference_lines(text, width), (text, width)
