"""The writer's rewritten helpers against their previous implementations, kept here as oracles
(issue 17): each distinct value's cell (`CellTails.tails`), the combinations of joined columns
(`columnar._combinations`), the row heights' attributes (`columnar._row_attrs`), the styles'
look-up of an existing entry (`Styles._add`) and the widths of texts (`textfit.text_units`,
`textfit.texts_units`)."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest
from lxml import etree

from sheet_templates import textfit
from sync.sources.excel.parts import EXACT_INT, EXCEL_ESCAPE, MAX_TEXT, Book, Package
from sync.sources.excel.styles import Styles, _key
from sync.sources.excel.worksheet import columnar
from sync.sources.excel.worksheet.cells import _height
from sync.sources.excel.worksheet.distinct import CellTails, _merges_floats, factorise, line_counts
from tests.sync.xlsx_fixtures import clerk_workbook

# --- the previous implementations ------------------------------------------------------


def old_tails(cells_of: CellTails, uniques: list, j: int, kind: str) -> list[str]:
    style = cells_of.look.plain[j]
    if kind == "f":
        number = f"<c{style}><v>%r</v></c>".__mod__
        none = cells_of.tail(None, j, False)
        return [none if v is None else number(v) if v - v == 0 else "" for v in uniques]
    if kind == "i":
        number = f"<c{style}><v>%d</v></c>".__mod__
        return [number(v) if -EXACT_INT < v < EXACT_INT else cells_of.tail(v, j, False) for v in uniques]
    if kind == "s" and old_plain_texts(uniques[:-1]):
        text = f'<c{style} t="inlineStr"><is><t>%s</t></is></c>'.__mod__
        out = list(map(text, uniques[:-1]))
        out.append(cells_of.tail(uniques[-1], j, False))
        if "" in uniques:
            out[uniques.index("")] = cells_of.tail("", j, False)
        return out
    return [cells_of.tail(v, j, False) for v in uniques]


def old_plain_texts(texts: list[str]) -> bool:
    if not texts or max(map(len, texts)) > MAX_TEXT:
        return False
    joined = "|".join(texts)
    if not joined.isascii() or not joined.isprintable() or "&" in joined or "<" in joined or ">" in joined:
        return False
    if "_x" in joined and EXCEL_ESCAPE.search(joined):
        return False
    return not (joined.startswith(" ") or joined.endswith(" ") or "| " in joined or " |" in joined)


def old_row_attrs(tallest: np.ndarray, then: str) -> list[str] | str:
    if (tallest <= 1).all():
        return '">' + then
    distinct, codes = np.unique(tallest, return_inverse=True)
    attrs = np.array([f'"{_height(int(n))}>{then}' for n in distinct], dtype=object)
    return attrs[codes.reshape(-1)].tolist()


def old_add(self: Styles, tag: str, candidate: etree._Element) -> int:
    box = self._box(tag)
    entries = box.findall(candidate.tag)
    wanted = _key(candidate)
    for index, entry in enumerate(entries):
        if _key(entry) == wanted:
            return index
    box.append(candidate)
    box.set("count", str(len(entries) + 1))
    self.pkg.changed(self.part)
    return len(entries)


def old_text_units(text: str, bold: bool = False) -> float:
    total = sum(textfit._ADVANCE.get(ch, 1000) for ch in text) / textfit._DIGIT
    return total * (1.08 if bold else 1.03)


def old_texts_units(texts: list[str], bold: bool = False) -> np.ndarray:
    if not texts:
        return np.zeros(0)
    try:
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        return np.array([old_text_units(t, bold) for t in texts])
    size = textfit._TABLE_SIZE
    advances = np.where(codes < size, textfit._ADVANCES[np.minimum(codes, size - 1)], 1000)
    running = np.concatenate(([0], np.cumsum(advances)))
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths)
    return (running[ends] - running[ends - lengths]) / textfit._DIGIT * (1.08 if bold else 1.03)


def old_merges_floats(values: list, present: set, open_column: bool) -> bool:
    if float not in present:
        return False
    if open_column and None in values:
        return True
    return any(math.copysign(1.0, v) < 0 for v in values if type(v) is float and v == 0)


def old_line_counts(uniques: list, width: float) -> np.ndarray:
    counts = np.ones(len(uniques), dtype=np.int64)
    where = [k for k, v in enumerate(uniques) if type(v) is str and v]
    if not where:
        return counts
    texts = [uniques[k] for k in where]
    room = max(width - textfit._PADDING_PX / 7, 1.0)
    fits = old_texts_units(texts) < room * (1 - 1e-9)
    for k, text, one in zip(where, texts, fits.tolist(), strict=True):
        if not one or "\n" in text:
            counts[k] = textfit.wrapped_lines(text, width)
    return counts


# --- CellTails.tails -------------------------------------------------------------------


class _Look:
    """What CellTails reads of a `Look`: column 1 is open to typing."""

    plain = [' s="3"', "", ' s="12"']
    marked = [' s="4"', ' s="5"', ' s="13"']
    open = frozenset({1})

    def date(self, j: int, marked: bool, with_time: bool) -> str:
        return f' s="{20 + j + 3 * marked + 6 * with_time}"'


_WORDS = ["a", "Budi", "naik ▲", "★", "×1,5%", "é", "😀", "&", "<b>", " ", "  lead", "trail ", "_x0041_",
          "\t", "\n", "x\r\ny", "\x01", "-", "–", "", "\u00a0", "|", "_x", "\ufffe"]


def _texts(rng: np.random.Generator, n: int, words: list[str]) -> list:
    out = ["".join(rng.choice(words, size=rng.integers(0, 4))) for _ in range(n)]
    return [None if rng.random() < 0.05 else v for v in out]


def _object(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _columns(rng: np.random.Generator, n: int):
    floats = rng.choice([0.1 + 0.2, 1.5, -0.0, 0.0, math.nan, math.inf, -math.inf, 1e16, 1e-7, 123.45],
                        size=n) * rng.choice([1.0, 3.0, -1e-300], size=n)
    yield floats, False
    yield floats.astype(np.float32), True
    yield rng.normal(size=n).round(2), False
    edges = [0, 1, -1, 10**15 - 1, 10**15, -(10**15), -(10**15) + 1, 2**62, -(2**63), 2**63 - 1]
    ints = rng.choice(edges, size=n)
    yield ints.astype(np.int64), False
    yield rng.integers(-5, 5, size=n).astype(np.int8), False
    ascii_words = [w for w in _WORDS if w.isascii() and w.isprintable() and w not in ("&", "<b>")]
    yield _object(_texts(rng, n, ascii_words)), False
    yield _object(_texts(rng, n, [w for w in _WORDS if w.isprintable()])), False
    yield _object(_texts(rng, n, _WORDS)), True
    yield _object(_texts(rng, n, ["▲ 1", "▼ 2", "★ Terbaik", "TL1 1×0,5%", "90,00–100,00", "plain"])), False
    yield _object([*rng.choice(["-", "", 2.5, None, 3], size=n).tolist()]), True
    yield _object([date(2024, 5, 1), datetime(2024, 5, 1, 9, 30), True, None, 10**20][: max(n, 0)]), False


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("n", [0, 1, 7, 90])
def test_tails_are_the_previous_tails(seed, n):
    rng = np.random.default_rng(seed)
    cells_of = CellTails(_Look(), datetime(1899, 12, 30))
    for column, open_column in _columns(rng, n):
        j = 1 if open_column else int(rng.integers(0, 3, endpoint=False)) * 2 % 3
        codes, uniques, kind = factorise(column, open_column)
        assert cells_of.tails(uniques, j, kind) == old_tails(cells_of, uniques, j, kind), (kind, uniques)


def test_tails_of_plain_texts_beyond_ascii_take_the_fast_way_and_match():
    cells_of = CellTails(_Look(), datetime(1899, 12, 30))
    uniques = ["▲ 18", "★ Pegawai Terbaik", "TL1 1×0,5% + PSW1 1×0,5%", "😀", "", "ok", None]
    expected = [cells_of.tail(v, 0, False) for v in uniques]
    assert cells_of.tails(uniques, 0, "s") == expected == old_tails(cells_of, uniques, 0, "s")
    assert expected[0] == '<c s="3" t="inlineStr"><is><t>&#9650; 18</t></is></c>'


# --- columnar._combinations and _row_attrs ------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_combinations_number_the_keys_as_factorize_does(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.choice([0, 1, 5, 300, 3000]))
    span = int(rng.choice([1, 7, 500, 60_000, 10**7]))
    keys = rng.integers(0, span, size=n, dtype=np.int64)
    if n and rng.random() < 0.5:  # few distinct keys, as joined columns have
        keys = rng.choice(keys[: max(1, n // 50)], size=n)
    pairs, combos = columnar._combinations(keys, span)
    old_pairs, old_combos = pd.factorize(keys)
    assert combos[pairs].tolist() == keys.tolist() == old_combos[old_pairs].tolist()
    assert sorted(combos.tolist()) == sorted(old_combos.tolist())
    assert len(pairs) == n and (pairs >= 0).all()


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("then", ["", '<c r="A'])
def test_row_attrs_are_the_previous_ones(seed, then):
    rng = np.random.default_rng(seed)
    n = int(rng.choice([1, 2, 50, 2000]))
    tallest = rng.choice([1, 1, 1, 2, 3, 7, 40], size=n).astype(np.int64)
    if rng.random() < 0.3:
        tallest[:] = 1
    assert columnar._row_attrs(tallest, then) == old_row_attrs(tallest, then)


# --- Styles._add ------------------------------------------------------------------------


def _styles(add) -> Styles:
    pkg = Package(clerk_workbook())
    styles = Styles(pkg, Book(pkg))
    styles._add = add.__get__(styles)
    return styles


@pytest.mark.parametrize("seed", range(8))
def test_styles_reuse_and_add_entries_as_before(seed):
    rng = np.random.default_rng(seed)
    new, old = _styles(Styles._add), _styles(old_add)
    for _ in range(60):
        fmt = str(rng.choice(["General", "0", "0.00", "#,##0", "dd/mm/yyyy", "0.0%"]))
        options = dict(bold=bool(rng.random() < 0.3), fill=rng.choice([None, "FFC6EFCE", "FFD9E1F2"]),
                       border=bool(rng.random() < 0.3), wrap=bool(rng.random() < 0.5),
                       center=bool(rng.random() < 0.2), top=bool(rng.random() < 0.5),
                       locked=bool(rng.random() < 0.8))
        assert new.xf(fmt, **options) == old.xf(fmt, **options)
        rgb = str(rng.choice(["FFFF0000", "FF00FF00"]))
        assert new.dxf_fill(rgb) == old.dxf_fill(rgb)
    assert etree.tostring(new.root) == etree.tostring(old.root)


def test_styles_find_the_first_of_entries_already_doubled():
    new, old = _styles(Styles._add), _styles(old_add)
    for styles in (new, old):  # a workbook may hold the same font twice: the first one is reused
        fonts = styles._box("fonts")
        fonts.append(etree.fromstring(etree.tostring(fonts[0])))
        fonts.set("count", str(len(fonts)))
    assert new.xf(bold=True) == old.xf(bold=True)
    assert new._add("fonts", etree.fromstring(etree.tostring(new._box("fonts")[0]))) == 0
    assert etree.tostring(new.root) == etree.tostring(old.root)


@pytest.mark.parametrize("seed", range(10))
def test_line_counts_are_the_previous_counts(seed):
    rng = np.random.default_rng(seed)
    words = [*_WORDS, "Kepala-Bidang/Seksi", "W" * 30, "\n", "sebuah teks panjang "]
    for count in (0, 1, 5, 40):
        uniques = ["".join(rng.choice(words, size=rng.integers(0, 5))) for _ in range(count)]
        uniques += [None, 5, 2.5][: int(rng.integers(0, 4))]
        if rng.random() < 0.5:  # no newline anywhere: the fast way
            uniques = [v.replace("\n", " ") if type(v) is str else v for v in uniques]
        for width in (1.0, 4.0, 12.5, 40.0):
            counts = line_counts(uniques, width)
            assert counts.dtype == np.int64 and counts.tolist() == old_line_counts(uniques, width).tolist()


# --- textfit.text_units and texts_units ------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("bold", [False, True])
def test_text_widths_are_the_previous_ones(seed, bold):
    rng = np.random.default_rng(seed)
    for count in (0, 1, 3, textfit._FEW_TEXTS - 1, textfit._FEW_TEXTS, 40):
        texts = ["".join(rng.choice([*_WORDS, "Kepala-Bidang/Seksi", "W" * 30], size=rng.integers(0, 6)))
                 for _ in range(count)]
        widths = textfit.texts_units(texts, bold)
        assert widths.dtype == np.float64 and widths.shape == (count,)
        assert widths.tolist() == old_texts_units(texts, bold).tolist()
        assert [textfit.text_units(t, bold) for t in texts] == [old_text_units(t, bold) for t in texts]
    surrogate = ["ok", "\ud800 lone", "x"]
    assert textfit.texts_units(surrogate, bold).tolist() == old_texts_units(surrogate, bold).tolist()


@pytest.mark.parametrize("seed", range(30))
def test_merges_floats_is_the_previous_check(seed):
    rng = np.random.default_rng(seed)
    pool = [0.0, -0.0, 1.5, math.nan, None, "a", "", "0", 2, 0]
    values = [pool[k] for k in rng.integers(0, len(pool), size=int(rng.integers(0, 8)))]
    present = set(map(type, values)) - {type(None)}
    for open_column in (False, True):
        assert _merges_floats(values, present, open_column) == old_merges_floats(values, present, open_column)
