"""ColumnTable: an output tab's rows kept as columns read as the same plain tuples."""

from datetime import date

import numpy as np
import pytest

from sync.table import ColumnTable


def test_rows_are_plain_python_values_with_nan_as_none():
    table = ColumnTable([np.array([1.5, np.nan]), np.array([3, 4]), ["a", None],
                         [date(2026, 1, 2), True]])
    assert len(table) == 2
    assert table[0] == (1.5, 3, "a", date(2026, 1, 2))
    assert table[1] == (None, 4, None, True)
    assert all(type(v) is int for v in table.values(1))
    assert type(table[0][0]) is float and table[1][0] is None
    assert list(table) == [table[0], table[1]]
    assert table[:1] == [table[0]]
    assert table == [(1.5, 3, "a", date(2026, 1, 2)), (None, 4, None, True)]


def test_object_columns_keep_tuples_whole_and_lengths_must_agree():
    table = ColumnTable([[("x", 1), "y"]])
    assert table[0] == (("x", 1),)
    with pytest.raises(ValueError, match="different lengths"):
        ColumnTable([[1, 2], [1]])


def test_an_empty_table_and_a_table_without_columns():
    assert list(ColumnTable([])) == []
    assert list(ColumnTable([], length=2)) == [(), ()]
