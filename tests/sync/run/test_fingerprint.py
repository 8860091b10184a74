"""The input hash: equal for the same cells however often read, different after any change a clerk makes."""

import datetime as dt

import pytest

from sync.run.fingerprint import input_hash, rows_read
from sync.workbook import ColumnarTab, RawTab, RawWorkbook

ROWS = [["NIP", "Nama", "Target", "Tanggal"],
        ["19800101", "Ani", 10.0, dt.datetime(2026, 1, 5)],
        ["19800102", "Budi", "", dt.datetime(2026, 2, 5)],
        ["19800103", "Ani", 7.5, None]]


def book(rows) -> RawWorkbook:
    tab = ColumnarTab.from_rows("SKP", rows)
    assert tab is not None
    return RawWorkbook({"SKP": tab, "Pegawai": RawTab("Pegawai", [["NIP"], ["1"]])})


def edited(row: int, column: int, value):
    rows = [list(r) for r in ROWS]
    rows[row][column] = value
    return rows


def test_the_same_cells_hash_alike_and_never_build_rows():
    first, second = book(ROWS), book([list(r) for r in ROWS])
    assert input_hash(first) == input_hash(second)
    assert first.tabs["SKP"]._rows is None  # hashed column by column


@pytest.mark.parametrize("change", [
    (1, 2, 10.5), (2, 2, 3.0), (1, 2, ""), (1, 1, "Budi"), (3, 1, "Budi"), (2, 1, "budi"),
    (1, 3, dt.datetime(2026, 1, 6)), (3, 3, dt.datetime(2026, 1, 5)), (0, 2, "Target (%)"),
])
def test_any_edit_changes_the_hash(change):
    assert input_hash(book(edited(*change))) != input_hash(book(ROWS))


def test_swapping_two_texts_between_rows_changes_the_hash():
    rows = [list(r) for r in ROWS]
    rows[1][1], rows[2][1] = rows[2][1], rows[1][1]
    assert input_hash(book(rows)) != input_hash(book(ROWS))


def test_the_recap_hash_sees_the_cells_of_column_held_rows():
    import numpy as np

    from sync.outtabs import OutputColumn, OutputTab
    from sync.run.recap_writer import tabs_hash
    from sync.table import ColumnTable

    def tab(values):
        return OutputTab("Rekap", [OutputColumn("Nilai", "number", 10)], ColumnTable([np.array(values)]))

    assert tabs_hash([tab([1.0, 2.0])]) == tabs_hash([tab([1.0, 2.0])])
    assert tabs_hash([tab([1.0, 2.0])]) != tabs_hash([tab([1.0, 3.0])])


def test_rows_read_counts_columns_without_building_rows():
    raw = book(ROWS)
    assert rows_read(raw) == len(ROWS) - 1 + 1  # SKP's three rows and Pegawai's one
    assert raw.tabs["SKP"]._rows is None
    assert rows_read(raw) == sum(len(t.rows) - 1 for t in raw.tabs.values())
