"""Formula cells without a stored value are found the same whether the sheet part is inflated
with ISA-L straight from the file's bytes (issue 17) or read through zipfile."""

import io
import zipfile

import openpyxl
import pytest

from sync.sources.excel import formulas


def workbook(rows: int) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Realisasi"
    sheet.append(["NIP", "Nilai", "Jumlah"])
    for k in range(rows):
        sheet.append([f"1987{k:014d}", k * 1.5, f"=B{k + 2}*2" if k == rows - 3 else k])
    out = io.BytesIO()
    book.save(out)  # openpyxl stores formulas without a value
    return out.getvalue()


def restored(data: bytes, compression: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    return out.getvalue()


@pytest.mark.parametrize("step", [7, 64, 1 << 19])
@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_a_formula_far_down_is_found_in_any_chunking(monkeypatch, step, compression):
    data = restored(workbook(3000), compression)
    monkeypatch.setattr(formulas, "_INFLATE_STEP", step)
    assert formulas.uncached_formulas(data) == {"Realisasi": {(3000 - 3 + 2, 2)}}


def test_inflated_chunks_are_the_part(monkeypatch):
    data = workbook(500)
    monkeypatch.setattr(formulas, "_INFLATE_STEP", 100)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        part = "xl/worksheets/sheet1.xml"
        chunks = list(formulas._chunks(zf, part, data))
        assert len(chunks) > 10 and b"".join(chunks) == zf.read(part)


def test_a_sheet_without_formulas_has_none():
    book = openpyxl.Workbook()
    book.active.append(["NIP", "Nilai"])
    book.active.append(["198701012010011001", 3.5])
    out = io.BytesIO()
    book.save(out)
    assert formulas.uncached_formulas(out.getvalue()) == {}
