"""Print widths of a columnar tab (issue 17): the same as of its rows, each distinct value measured once."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import numpy as np
import pandas as pd
import pytest

from sheet_templates.textfit import text_units, texts_units
from sync.outtabs import OutputColumn, longest_word_units
from sync.render.printing import _FIT_SAMPLE, _shown_text, _widest_numbers, fit_widths
from sync.table import ColumnTable


def test_texts_units_is_text_units_of_each():
    texts = ["", "Sangat Baik", "1.234.567,89", "Ünïcødé ★▲", "a\U0001F600b", "Kendala: jaringan / listrik -"]
    for bold in (False, True):
        assert texts_units(texts, bold).tolist() == [text_units(t, bold) for t in texts]


def reference_widths(columns, rows):
    """fit_widths as it was, row by row over a list of tuples."""
    return [c.width for c in fit_widths(columns, [tuple(r) for r in rows])]


@pytest.mark.parametrize("length", [7, 1_000, 3 * _FIT_SAMPLE + 17])
def test_a_column_table_gets_the_widths_its_rows_get(length):
    rng = random.Random(length)
    floats = np.array([rng.choice((-1, 1)) * rng.random() * 10 ** rng.randrange(0, 9) for _ in range(length)])
    floats[::11] = np.nan
    floats[5 % length] = -0.0
    ints = np.array([rng.randrange(-10**6, 10**7) for _ in range(length)], dtype=np.int64)
    texts = np.array([rng.choice(["Baik", "Sangat Baik", None, "", "Butuh Perbaikan / Kurang"])
                      for _ in range(length)], dtype=object)
    columns = [OutputColumn("Nilai (%)", "percent", 30), OutputColumn("Jumlah", "int", 30, grouped=True),
               OutputColumn("Angka", "int", 30), OutputColumn("Predikat", "text", 30),
               OutputColumn("Skor", "number", 12)]
    table = ColumnTable([floats, ints, ints, texts, np.abs(floats)])
    assert [c.width for c in fit_widths(columns, table)] == reference_widths(columns, list(table))


def test_infinity_and_short_columns():
    columns = [OutputColumn("Skor", "number", 40)]
    table = ColumnTable([np.array([1.5, np.inf, -2.25, 1e9])])
    assert [c.width for c in fit_widths(columns, table)] == reference_widths(columns, list(table))


# --- fit_widths as it was before texts were measured all at once and object columns deduplicated by a set ---

def old_fit_widths(columns, rows):
    step = max(1, len(rows) // _FIT_SAMPLE)
    out = []
    for j, col in enumerate(columns):
        head = max(longest_word_units(col.header, bold=True), text_units(col.header, bold=True) / 3)
        texts = [_shown_text(v, col) for v in old_distinct(rows, j, step)]
        need = float(texts_units(texts).max()) if texts else 0.0
        width = max(min(need + 1.2, col.width), head + 1.2)
        out.append(dataclasses.replace(col, width=round(width, 1)))
    return out


def old_distinct(rows, j: int, step: int) -> list:
    if isinstance(rows, ColumnTable):
        if j >= len(rows.columns):
            return []
        sample = rows.columns[j][::step]
        if sample.dtype.kind == "f":
            sample = sample[~np.isnan(sample)]
        values = pd.unique(sample)
        values = (_widest_numbers(values) if values.dtype.kind in "fiu" else values).tolist()
    else:
        values = list(dict.fromkeys(row[j] for row in rows[::step] if j < len(row)))
    return [v for v in values if v is not None and v != ""]


_OBJECTS = ["Baik", "Sangat Baik", None, "", "Butuh Perbaikan / Kurang", "▲ 3", 7, -12345, 0.0, -0.0, 2.675,
            -1e9, True, False, ("a",), dt.date(2026, 3, 1), "Ünïcødé", 1, 1.0]
_FLOATS = [0.0, -0.0, 1.5, -2.25, 1e9, -1e12, 99.995, np.inf, -np.inf, np.nan, 5e-324]
_KINDS = [("text", False), ("number", False), ("percent", False), ("int", True), ("int", False)]


def _random_column(rng: np.random.Generator, n: int) -> np.ndarray:
    kind = rng.integers(0, 4)
    if kind == 0:  # objects: texts, numbers, missing, bools, tuples, dates
        chosen = rng.choice(len(_OBJECTS), size=int(rng.integers(1, 6)))
        values = [_OBJECTS[i] for i in chosen]
        return np.fromiter((values[i] for i in rng.integers(0, len(values), n)), dtype=object, count=n)
    if kind == 1:  # floats with NaN, signed zeros and infinities, or spread wide
        chosen = np.array(_FLOATS)[rng.choice(len(_FLOATS), size=int(rng.integers(1, 5)))]
        if rng.random() < 0.5:
            return chosen[rng.integers(0, len(chosen), n)]
        return rng.normal(0, 10.0 ** rng.integers(0, 8), n)
    if kind == 2:
        return rng.integers(-(10 ** int(rng.integers(1, 9))), 10 ** int(rng.integers(1, 9)), n)
    return rng.integers(0, 2, n).astype(bool)


@pytest.mark.parametrize("seed", range(60))
def test_widths_are_those_measured_column_by_column(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.choice([0, 1, 3, 50, 400]))
    width = int(rng.integers(1, 7))
    kinds = [_KINDS[i] for i in rng.integers(0, len(_KINDS), width)]
    columns = [OutputColumn(f"Kolom {j} (%)" if j % 2 else f"Nama Kolom Panjang {j}", kind,
                            width=float(rng.integers(8, 60)), decimals=int(rng.integers(0, 3)),
                            grouped=grouped) for j, (kind, grouped) in enumerate(kinds)]
    arrays = [_random_column(rng, n) for _ in range(width - int(rng.integers(0, 2)))]  # maybe one short
    table = ColumnTable(arrays, length=n)
    assert fit_widths(columns, table) == old_fit_widths(columns, table)
    rows = [tuple(r) for r in table]
    assert fit_widths(columns, rows) == old_fit_widths(columns, rows)


def test_a_sampled_big_table_and_an_empty_one():
    rng = np.random.default_rng(1)
    n = 2 * _FIT_SAMPLE + 5
    table = ColumnTable([_random_column(rng, n) for _ in range(4)] + [np.array(["x"] * n, dtype=object)])
    columns = [OutputColumn(f"K{j}", kind, 30, grouped=grouped) for j, (kind, grouped) in enumerate(_KINDS)]
    assert fit_widths(columns, table) == old_fit_widths(columns, table)
    empty = ColumnTable([], length=0)
    assert fit_widths(columns, empty) == old_fit_widths(columns, empty)
    assert fit_widths([], table) == old_fit_widths([], table) == []


@pytest.mark.parametrize("values", [
    [0.0, -0.0], [-0.0, 0.0], [1, True, 1.0], [True, 1], [1.0, 1, True], [False, 0, -0.0], [-0.0, 0, False],
    [0.0, -0.0, 0.5], [None, "", -0.0], [np.nan, "x"],
])
def test_equal_values_of_other_types_count_as_the_first_of_them(values):
    columns = [OutputColumn("Nilai", kind, 30, grouped=grouped) for kind, grouped in _KINDS]
    arrays = [np.fromiter(values, dtype=object, count=len(values))]
    if all(type(v) is float for v in values):
        arrays.append(np.array(values))  # and as a float column
    for array in arrays:
        table = ColumnTable([array] * len(columns))
        assert fit_widths(columns, table) == old_fit_widths(columns, table)
