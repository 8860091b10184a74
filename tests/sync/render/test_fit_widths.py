"""Print widths of a columnar tab (issue 17): the same as of its rows, each distinct value measured once."""

from __future__ import annotations

import random

import numpy as np
import pytest

from sheet_templates.textfit import text_units, texts_units
from sync.outtabs import OutputColumn
from sync.render.printing import _FIT_SAMPLE, fit_widths
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
