"""A tab whose rows are a ColumnTable is written exactly as the same rows given as a list (issue 17).

The columnar writer (`worksheet.columnar`) formats each distinct value of a column once; these
tests hold it to the row-wise writer byte for byte, for every kind of value a tab may hold, and
read both files back with openpyxl and python-calamine.
"""

import io
import math
import re
import warnings
import zipfile
import zlib
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pytest
from lxml import etree
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from sync.outtabs import OutputColumn, OutputTab
from sync.sources.excel import zipwrite
from sync.sources.excel.package import replace_sheets
from sync.sources.excel.worksheet import columnar
from sync.table import ColumnTable
from tests.sync.xlsx_fixtures import clerk_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NAN, INF = math.nan, math.inf
FLOATS = [1.5, NAN, INF, -INF, -0.0, 0.0, 1e16, 1e-7, 0.1 + 0.2, 123456789.123, -2.5e-300, 1e308, 100.0]
INTS = [0, 1, -1, 10**15 - 1, 10**15, -(10**15), 2**62, -(2**63), 42, 7, 7, 7, 999]
TEXTS = ["plain", "", "a & b < c > d", " leading", "trailing ", "\ttab", "_x0041_ literal",
         "ctrl\x01\x1fchars\x0b", "line\r\nbreak\rmore", "x" * 40000, '"quoted"', "naik ▲ × – ★ é 😀",
         "plain"]
OBJECTS = [None, date(1900, 1, 15), date(1900, 2, 28), date(1900, 3, 1), date(2024, 5, 6),
           datetime(2024, 5, 6, 13, 45, 7), datetime(2024, 5, 6), True, False, 10**20, -(10**16),
           Decimal("2.25"), 1]
MIXED = [1, True, 1.0, "1", None, NAN, "", 0, False, 0.0, date(2020, 1, 1), INF, "teks"]
WRAPPED = ["pendek", "sebuah teks panjang yang harus dibungkus ke beberapa baris di kolom sempit " * 3,
           "", None, "dua baris\nsaja", "pendek", "a" * 200, "b", "c", "d", "e", "f", "g"]


def _columns():
    return [
        OutputColumn("Angka", kind="number", decimals=2),
        OutputColumn("Bulat", kind="number", decimals=0),
        OutputColumn("Teks", width=20),
        OutputColumn("Campur"),
        OutputColumn("Aneka"),
        OutputColumn("Uraian", width=12, wrap=True),
        OutputColumn("Tindak lanjut", width=16, wrap=True),
        OutputColumn("Catatan"),
        OutputColumn("Benar"),
    ]


def _object(values):
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _table() -> ColumnTable:
    n = len(FLOATS)
    notes = [None, "", "isi", NAN, None, "x", None, "", None, "y", None, None, "z"]
    return ColumnTable([
        np.array(FLOATS, dtype=np.float64),
        np.array(INTS, dtype=np.int64),
        _object(TEXTS),
        _object(OBJECTS),
        _object(MIXED),
        _object(WRAPPED),
        np.array([NAN, 2.0, NAN, 3.25, NAN, NAN, 1.0, NAN, NAN, NAN, 5.0, NAN, NAN]),  # open, NaN = empty
        _object(notes),  # open: None and "" written empty, unlocked
        np.array([True, False] * 6 + [True]),
    ], n)


def _tab(rows, **changes) -> OutputTab:
    fields = dict(name="Hasil", columns=_columns(), rows=rows, highlight_rows=frozenset({0, 3, 12, 99}),
                  editable_columns=(6, 7), title="Ringkasan <uji>")
    fields.update(changes)
    return OutputTab(**fields)


def _sheets(data: bytes) -> dict[str, bytes]:
    """The parts under xl/, each style index in the sheets replaced by what the style is.

    Date styles are added as first met: row by row in one writer, column by column in the other,
    so their indexes may differ while every cell looks the same."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist() if name.startswith("xl/")}
    styles = _style_names(parts.pop("xl/styles.xml"))
    parts["styles"] = b"|".join(sorted(set(styles)))
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = re.sub(rb' (s|style)="(\d+)"', lambda m: b' %s="%s"' % (m[1], styles[int(m[2])]),
                             parts[name])
    return parts


def _style_names(xml: bytes) -> list[bytes]:
    """Each cellXfs entry spelled out: its number format code, font, fill, border, alignment, protection."""
    root = etree.fromstring(xml)
    ns = {"m": MAIN}
    formats = {f.get("numFmtId"): f.get("formatCode") for f in root.findall("m:numFmts/m:numFmt", ns)}
    boxes = {box: root.findall(f"m:{box}s/m:{box}", ns) for box in ("font", "fill", "border")}
    names = []
    for xf in root.findall("m:cellXfs/m:xf", ns):
        spelled = [formats.get(xf.get("numFmtId"), xf.get("numFmtId"))]
        spelled += [etree.tostring(boxes[box][int(xf.get(f"{box}Id", 0))]).decode() for box in boxes]
        spelled += [etree.tostring(child).decode() for child in xf]
        names.append(repr(spelled).encode().replace(b'"', b"'"))
    return names


def _both(table: ColumnTable, **changes) -> tuple[bytes, bytes]:
    original = clerk_workbook()
    as_list = replace_sheets(original, [_tab(list(table), **changes)])
    as_columns = replace_sheets(original, [_tab(table, **changes)])
    return as_list, as_columns


def test_every_kind_of_value_is_written_as_the_row_wise_writer_does():
    as_list, as_columns = _both(_table())
    assert _sheets(as_columns) == _sheets(as_list)


def test_without_dates_the_files_are_identical_byte_for_byte():
    table = _table()
    columns = [c if j not in (3, 4) else np.full(len(table), NAN) for j, c in enumerate(table.columns)]
    as_list, as_columns = _both(ColumnTable(columns, len(table)))
    assert as_columns == as_list


@pytest.mark.parametrize("block_cells", [1, 7, 30])
def test_blocks_of_rows_keep_row_numbers_highlights_and_heights(monkeypatch, block_cells):
    monkeypatch.setattr(columnar, "_BLOCK_CELLS", block_cells)
    as_list, as_columns = _both(_table())
    assert _sheets(as_columns) == _sheets(as_list)


def test_without_title_highlights_or_open_columns():
    as_list, as_columns = _both(_table(), title=None, highlight_rows=frozenset(), editable_columns=())
    assert _sheets(as_columns) == _sheets(as_list)


def test_fewer_columns_than_the_tab_and_no_rows():
    table = _table()
    short = ColumnTable(table.columns[:3], len(table))
    assert _sheets(_both(short)[1]) == _sheets(_both(short)[0])
    empty = ColumnTable([np.array([], dtype=np.float64) for _ in range(9)], 0)
    assert _sheets(_both(empty)[1]) == _sheets(_both(empty)[0])


def test_more_values_than_columns_is_refused():
    table = _table()
    with pytest.raises(ValueError, match="values for 9 columns"):
        replace_sheets(clerk_workbook(), [_tab(ColumnTable([*table.columns, table.columns[0]]))])


def test_other_dtypes_match_their_python_values():
    n = 5
    table = ColumnTable([
        np.array([1.1, 2.5, NAN, -0.5, 3.0], dtype=np.float32),
        np.array([1, 2, 3, 255, 0], dtype=np.uint8),
        np.array([10**15, 5, -3, 0, 2**63 - 1], dtype=np.int64)[::-1].copy(),
    ] + [np.full(n, NAN) for _ in range(6)], n)
    as_list, as_columns = _both(table, highlight_rows=frozenset({1}))
    assert _sheets(as_columns) == _sheets(as_list)


def test_both_read_back_the_same_cells_with_openpyxl_and_calamine():
    as_list, as_columns = _both(_table())
    for data in (as_list, as_columns):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the clerk's other sheets have extensions openpyxl drops
            sheet = load_workbook(io.BytesIO(data))["Hasil"]
        assert sheet["A3"].value == 1.5 and sheet["A4"].value is None
        assert sheet["B6"].value == 10**15 - 1 and sheet["B7"].value == str(10**15)  # text beyond 15 digits
        assert sheet["C5"].value == "a & b < c > d" and sheet["C6"].value == " leading"
        assert sheet["C9"].value.endswith("_x0041_ literal") and sheet["C10"].value == "ctrlchars"
        assert len(sheet["C12"].value) == 32767 and sheet["C14"].value == "naik ▲ × – ★ é 😀"
        assert sheet["D4"].value == datetime(1900, 1, 15)  # before Excel's 29 February 1900
        assert sheet["D8"].value == datetime(2024, 5, 6, 13, 45, 7)
        assert sheet["D10"].value == "Ya" and sheet["E4"].value == "Ya"
        assert sheet["E3"].value == 1 and sheet["E5"].value == 1.0 and sheet["E6"].value == "1"
        assert sheet["A3"].fill.fgColor.rgb != sheet["A4"].fill.fgColor.rgb  # row 0 highlighted
        assert sheet["H4"].protection.locked is False and sheet["A4"].protection.locked is True
        calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Hasil")
        rows = calamine.to_python()
        assert rows[2][0] == 1.5 and rows[4][2] == "a & b < c > d" and rows[3][0] == ""
        assert rows[13][2] == "naik ▲ × – ★ é 😀"
    read = [CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Hasil").to_python()
            for data in (as_list, as_columns)]
    assert read[1] == read[0]


@pytest.mark.parametrize("count", [0, 3, 300])  # nothing, a small part, one over SMALL_PART
def test_a_part_is_compressed_as_it_is_made_and_reads_back(count):
    chunks = [b"<row>%d</row>" % i * 1000 for i in range(count)]
    part = zipwrite.deflate(iter(chunks))
    whole = b"".join(chunks)
    assert zlib.crc32(whole) == part.crc and part.size == len(whole)
    assert zlib.decompress(part.data, -15) == whole
    if len(whole) <= zipwrite.SMALL_PART:  # as zipfile compresses a small part: the same bytes
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        assert part.data == compressor.compress(whole) + compressor.flush()


def test_object_columns_that_factorise_keep_every_difference():
    n = 13
    ranks = _object([1, None, 3, 3, 10**15, None, 2, 1, 1, 5, 6, 7, 8])  # ints with gaps
    targets = _object([1.5, "-", 2.0, NAN, None, -0.0, 0.0, "", "1.5", 1.5, INF, 3, "x"])  # text and numbers
    open_mix = _object([1.5, "-", NAN, None, "", 2.0, None, NAN, "a", "a", 0.0, -0.0, None])  # open
    signed = _object([0.0, -0.0, "a", 0.0, None, -0.0, "b", 1.0, 2.0, 0.0, -0.0, None, "c"])
    plain = _object(["a", "b", "a", "", None, "c", "b", "a", "d", "e", "f", "g", "h"])  # the fast text path
    table = ColumnTable([np.full(n, NAN), ranks, plain, targets, signed, _object(WRAPPED), open_mix,
                         _object(["x"] * n), np.full(n, NAN)], n)
    as_list, as_columns = _both(table)
    assert _sheets(as_columns) == _sheets(as_list)


def test_line_counts_match_wrapped_lines():
    from sheet_templates.textfit import wrapped_lines
    from sync.sources.excel.worksheet.distinct import line_counts

    rng = np.random.default_rng(7)
    words = ["a", "Budi", "Santoso", "WWWWWW", "iiii", "Kepala-Bidang/Seksi", "x" * 30, "  ", "\n", "ÄÖ",
             "😀"]
    texts = ["".join(rng.choice(words, size=rng.integers(1, 9))) + " " * int(rng.integers(0, 2))
             for _ in range(2000)]
    for width in (4.0, 10.0, 12.5, 30.0):
        uniques = [*dict.fromkeys(texts), None, "", 5]
        expected = [wrapped_lines(v, width) if type(v) is str and v else 1 for v in uniques]
        assert line_counts(uniques, width).tolist() == expected


def test_parts_left_alone_are_copied_still_compressed():
    original = clerk_workbook()
    written = replace_sheets(original, [_tab(_table())])
    with zipfile.ZipFile(io.BytesIO(original)) as before, zipfile.ZipFile(io.BytesIO(written)) as after:
        assert after.testzip() is None
        kept = [info for info in before.infolist() if info.filename.startswith("xl/worksheets/sheet")
                and info.filename not in _replaced(before)]
        assert kept
        for info in kept:
            new = after.getinfo(info.filename)
            assert (new.CRC, new.compress_size, new.compress_type) == (info.CRC, info.compress_size,
                                                                      info.compress_type)


def _replaced(zf: zipfile.ZipFile) -> set[str]:
    """The sheet part of the workbook's Hasil tab (the one the tests write)."""
    workbook = zf.read("xl/workbook.xml").decode()
    rid = re.search(r'<sheet [^>]*name="Hasil"[^>]*r:id="(rId\d+)"', workbook)
    rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'Id="{rid[1]}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid[1]}"', rels)
    return {"xl/" + (target[1] or target[2]).lstrip("/").removeprefix("xl/")} if target else set()


def _grouped_table(n: int = 240) -> ColumnTable:
    """Columns that go together (a NIP, its name, its unit), a measured value, a gap column."""
    people = np.arange(n) % 12
    return ColumnTable([
        _object([f"19{p:04d}" for p in people]),
        _object([f"Nama {p} & co" for p in people]),
        _object([f"Unit {p % 3}" for p in people]),
        np.arange(n, dtype=np.float64) / 4,
        _object([None if i % 5 else "ada" for i in range(n)]),  # now a cell, now none
        _object([f"Unit {p % 3}" for p in people]),
        np.array([1.5] * n),
        _object(["x"] * n),
        np.arange(n, dtype=np.int64),
    ], n)


@pytest.mark.parametrize("block_cells", [9 * 7, 1 << 19])
def test_columns_that_go_together_are_joined_once_per_combination(monkeypatch, block_cells):
    monkeypatch.setattr(columnar, "_BLOCK_CELLS", block_cells)
    table = _grouped_table()
    for highlights in (frozenset(), frozenset({0, 5, 17, 100, 239})):
        as_list, as_columns = _both(table, highlight_rows=highlights, editable_columns=(), title=None)
        assert _sheets(as_columns) == _sheets(as_list)


def test_cells_without_reference_read_back_in_their_columns():
    """A cell right after the row's previous one has no r= (ECMA-376 allows it); every reader
    puts it in the next column, also after a gap (where the reference is written)."""
    table = _grouped_table(30)
    data = _both(table, highlight_rows=frozenset({3}), editable_columns=(), title=None)[1]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        name = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")
                    and b"Nama 0 &amp; co" in zf.read(n))
        xml = zf.read(name)
    assert b'<c s=' in xml and b'<c r="F' in xml  # both kinds are in the file
    expected = [list(row) for row in table]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(data), read_only=True)
        got = [[c for c in row] for row in book["Hasil"].iter_rows(min_row=2, max_row=31, values_only=True)]
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Hasil").to_python()[1:31]
    for i, row in enumerate(expected):
        want = [None if v is None else v for v in row]
        assert list(got[i][:9]) == want, i
        assert [None if v == "" else v for v in calamine[i][:9]] == want, i


def test_columns_repeating_the_same_objects_are_factorised_by_identity():
    """Renderers repeat one object per distinct value: those columns are factorised by identity
    first (`distinct._shared_objects`), which must keep every difference the value path keeps
    (1, True and 1.0; -0.0; None beside NaN in an open column)."""
    from sync.sources.excel.worksheet import distinct

    base = _table()
    table = ColumnTable([np.concatenate([column] * 10) for column in base.columns], len(base) * 10)
    assert distinct._shared_objects(table.columns[4]) is not None  # the path is taken
    for highlights in (frozenset(), frozenset({0, 3, 12, 99})):
        as_list, as_columns = _both(table, highlight_rows=highlights)
        assert _sheets(as_columns) == _sheets(as_list)


def test_object_addresses_are_the_ids_of_the_rows():
    """`distinct._addresses` reads CPython's object pointers in place: they must be `id` of each
    row, for a contiguous array and (by the slow path) for a strided one."""
    from sync.sources.excel.worksheet import distinct

    words = ["Lengkap", "Belum Lengkap", None, 1.5]
    column = np.array([words[k % 4] for k in range(1000)], dtype=object)
    assert distinct._addresses(column).tolist() == [id(v) for v in column.tolist()]
    strided = column[::3]
    assert not strided.flags.c_contiguous
    assert distinct._addresses(strided).tolist() == [id(v) for v in strided.tolist()]
