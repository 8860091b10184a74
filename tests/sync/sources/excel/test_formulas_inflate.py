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


def _mentions_as_before(xml: bytes) -> bool:
    """The search as it was (`bytes.find` of the tag, then the byte after it), on the whole part."""
    root = formulas._ROOT.search(xml)
    if root is None:
        return formulas._FORMULA.search(xml) is not None
    needle = b"<" + (root.group(1) + b":" if root.group(1) else b"") + b"f"
    position = xml.find(needle)
    while position != -1:
        if xml[position + len(needle):position + len(needle) + 1] in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
            return True
        position = xml.find(needle, position + 1)
    return False


_MAIN = 'xmlns{p}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@pytest.mark.parametrize(("body", "expected"), [
    ("<{x}c r='A1'><{x}f>1+1</{x}f></{x}c>", True),
    ("<{x}c r='A1'><{x}f t=\"shared\" si=\"0\"/></{x}c>", True),
    ("<{x}c r='A1'><{x}f\n>B1</{x}f></{x}c>", True), ("<{x}c r='A1'><{x}f\t/></{x}c>", True),
    ("<{x}c r='A1'><{x}v>1</{x}v></{x}c>", False),
    ("<{x}c r='A1' t='inlineStr'><{x}is><{x}t>&lt;f&gt;</{x}t></{x}is></{x}c>", False),
    ("<{x}c r='A1'><{x}v>2</{x}v></{x}c></{x}row></{x}sheetData><{x}filterMode/><{x}row>", False),
    ("<{x}c r='A1'><{x}f\f>B1</{x}f></{x}c>", False),  # a form feed is no XML space: not the tag
])
@pytest.mark.parametrize("prefix", ["", "x", "spreadsheetml2006main"])  # a long one: cut between chunks
@pytest.mark.parametrize("step", [5, 1 << 19])
def test_the_formula_tag_is_found_as_before(monkeypatch, body, expected, prefix, step):
    x = f"{prefix}:" if prefix else ""
    xml = (f"<{x}worksheet {_MAIN.format(p=f':{prefix}' if prefix else '')}><{x}sheetData><{x}row r='1'>"
           + body.format(x=x) + f"</{x}row></{x}sheetData></{x}worksheet>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    data = out.getvalue()
    monkeypatch.setattr(formulas, "_INFLATE_STEP", step)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        found = formulas._mentions_formula(zf, "xl/worksheets/sheet1.xml", data)
    assert found == _mentions_as_before(xml)
    assert found is expected


def test_a_long_prefixed_tag_cut_between_two_chunks_is_found(monkeypatch):
    prefix = "spreadsheetml2006main"
    xml = (f"<{prefix}:worksheet {_MAIN.format(p=':' + prefix)}><{prefix}:sheetData><{prefix}:row r='1'>"
           + "<{x}c r='A1'><{x}v>1</{x}v></{x}c>".format(x=prefix + ":") * 50
           + f"<{prefix}:c r='B1'><{prefix}:f>A1*2</{prefix}:f></{prefix}:c></{prefix}:row>"
           f"</{prefix}:sheetData></{prefix}:worksheet>").encode()
    cut = xml.index(f"<{prefix}:f>".encode()) + len(prefix) + 2  # inside the tag, past its 16th byte
    monkeypatch.setattr(formulas, "_chunks", lambda zf, part, data: iter([xml[:cut], xml[cut:]]))
    assert formulas._mentions_formula(None, "xl/worksheets/sheet1.xml") is True
