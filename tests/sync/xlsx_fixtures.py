"""A clerk's workbook as Excel leaves it: openpyxl data plus parts openpyxl would drop."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.worksheet.table import Table

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
X14AC = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

NIP = "198501012010011001"

# Parts openpyxl writes for the stale Hasil tab (sheet4): the fixture checks they exist.
HASIL_PART = "xl/worksheets/sheet4.xml"
HASIL_OWNED = (
    "xl/worksheets/_rels/sheet4.xml.rels",
    "xl/drawings/drawing1.xml",
    "xl/drawings/_rels/drawing1.xml.rels",
    "xl/charts/chart1.xml",
    "xl/comments/comment1.xml",
    "xl/drawings/commentsDrawing1.vml",
)
CAPAIAN_PART = "xl/worksheets/sheet3.xml"
PEGAWAI_PART = "xl/worksheets/sheet2.xml"
SHAPE_DRAWING = "xl/drawings/drawing9.xml"

DATA_VALIDATION_EXT = (
    f'<ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14}">'
    f'<x14:dataValidations count="1" xmlns:xm="{XM}"><x14:dataValidation type="list" '
    'allowBlank="1" showInputMessage="1" showErrorMessage="1"><x14:formula1>'
    "<xm:f>Pengaturan!$A$2:$A$6</xm:f></x14:formula1><xm:sqref>E2:E50</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext>"
)
SPARKLINE_EXT = (
    f'<ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}" xmlns:x14="{X14}">'
    f'<x14:sparklineGroups xmlns:xm="{XM}"><x14:sparklineGroup displayEmptyCellsAs="gap">'
    '<x14:colorSeries rgb="FF376092"/><x14:sparklines><x14:sparkline><xm:f>Capaian!B2:C2</xm:f>'
    "<xm:sqref>D2</xm:sqref></x14:sparkline></x14:sparklines></x14:sparklineGroup>"
    "</x14:sparklineGroups></ext>"
)
SHAPE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
    "<xdr:from><xdr:col>5</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>"
    "<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>8</xdr:col><xdr:colOff>0</xdr:colOff>"
    "<xdr:row>5</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro=\"\" textlink=\"\">"
    '<xdr:nvSpPr><xdr:cNvPr id="2" name="Catatan Bagian"/><xdr:cNvSpPr/></xdr:nvSpPr>'
    '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr>'
    "<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Isi kolom kuning saja</a:t></a:r></a:p></xdr:txBody>"
    "</xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
)
WORKBOOK_EXT = (
    '<extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}" '
    'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main">'
    '<x15:workbookPr chartTrackingRefBase="1"/></ext></extLst>'
)
STYLES_EXT = (
    f'<extLst><ext uri="{{EB79DEF2-80B8-43e5-95BD-54CBDDF9020C}}" xmlns:x14="{X14}">'
    '<x14:slicerStyles defaultSlicerStyle="SlicerStyleLight1"/></ext></extLst>'
)


def openpyxl_workbook(chart_sheet: str | None = None, hasil_title: str = "Hasil") -> bytes:
    """Input tabs with data, a table, and a stale output tab with a chart and a comment."""
    wb = Workbook()
    settings = wb.active
    settings.title = "Pengaturan"
    settings.append(["Predikat"])
    for grade in ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang"):
        settings.append([grade])
    staff = wb.create_sheet("Pegawai")
    staff.append(["NIP", "Nama", "Unit"])
    staff.append([NIP, "Ani Lestari", "Bagian Umum"])
    staff.append(["198702152011012002", "Budi Santoso", "Bagian Keuangan"])
    staff.add_table(Table(displayName="TabelPegawai", ref="A1:C3"))
    scores = wb.create_sheet("Capaian")
    scores.append(["NIP", "Target", "Realisasi", "Tren", "Predikat"])
    scores.append([NIP, 100, 92.5, None, "Baik"])
    stale = wb.create_sheet(hasil_title)
    stale.append(["Nama", "Nilai"])
    stale.append(["Lama", 1])
    stale.append(["Usang", 2])
    stale["A2"].comment = Comment("hasil lama", "Kinerja")
    chart = BarChart()
    chart.add_data(Reference(stale, min_col=2, min_row=1, max_row=3), titles_from_data=True)
    stale.add_chart(chart, "E2")
    if chart_sheet:
        wb.create_chartsheet(chart_sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def clerk_workbook(calc_chain_sheet_ids: tuple[int, ...] = (), styles: bool = True,
                   chart_sheet: str | None = None, hasil_title: str = "Hasil") -> bytes:
    """`openpyxl_workbook` plus what only Excel writes: x14 extLst, a shape, customXml..."""
    parts = _parts(openpyxl_workbook(chart_sheet, hasil_title))
    for name in (HASIL_PART, *HASIL_OWNED):
        assert name in parts, f"openpyxl no longer writes {name}"

    capaian = parts[CAPAIAN_PART].decode()
    capaian = capaian.replace(
        "<worksheet ",
        f'<worksheet xmlns:mc="{MC}" mc:Ignorable="x14ac" xmlns:x14ac="{X14AC}" ', 1)
    capaian = capaian.replace(
        "</worksheet>", f"<extLst>{DATA_VALIDATION_EXT}{SPARKLINE_EXT}</extLst></worksheet>")
    # Excel keeps text in sharedStrings.xml; openpyxl wrote this cell inline.
    capaian = capaian.replace('<c r="E2" t="inlineStr"><is><t>Baik</t></is></c>',
                              '<c r="E2" t="s"><v>0</v></c>')
    parts[CAPAIAN_PART] = capaian.encode()
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<sst xmlns="http://'
        b'schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>Baik</t></si></sst>")
    _add_rel(parts, "sharedStrings", "sharedStrings.xml", "rIdStrings")

    pegawai = parts[PEGAWAI_PART].decode()
    assert "<tableParts" in pegawai
    parts[PEGAWAI_PART] = pegawai.replace(
        "<tableParts", f'<drawing xmlns:r="{R_NS}" r:id="rIdShape"/><tableParts', 1).encode()
    rels_name = "xl/worksheets/_rels/sheet2.xml.rels"
    parts[rels_name] = parts[rels_name].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdShape" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/drawing" Target="/xl/drawings/drawing9.xml"/></Relationships>')
    parts[SHAPE_DRAWING] = SHAPE_XML.encode()

    parts["customXml/item1.xml"] = b'<?xml version="1.0"?><b:Sources xmlns:b="urn:bib"/>'
    parts["customXml/itemProps1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\r\n<ds:datastoreItem '
        b'ds:itemID="{6A3F0C1E-0000-4000-8000-000000000001}" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>')
    parts["customXml/_rels/item1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'customXmlProps" Target="itemProps1.xml"/></Relationships>')
    _add_rel(parts, "customXml", "../customXml/item1.xml", "rIdCustom")

    types = parts["[Content_Types].xml"].decode().replace("</Types>", (
        '<Override PartName="/xl/drawings/drawing9.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/customXml/itemProps1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>'
        "</Types>"))

    workbook = parts["xl/workbook.xml"].decode().replace(
        "<workbook ",
        f'<workbook xmlns:mc="{MC}" mc:Ignorable="x15" '
        'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" ', 1)
    parts["xl/workbook.xml"] = workbook.replace("</workbook>", WORKBOOK_EXT + "</workbook>")

    if styles:
        style = parts["xl/styles.xml"].decode().replace(
            "<styleSheet ",
            f'<styleSheet xmlns:mc="{MC}" mc:Ignorable="x14ac" xmlns:x14ac="{X14AC}" ', 1)
        style = style.replace("<fonts ", '<fonts x14ac:knownFonts="1" ', 1)
        parts["xl/styles.xml"] = style.replace("</styleSheet>", STYLES_EXT + "</styleSheet>")
    else:
        del parts["xl/styles.xml"]
        rels = parts["xl/_rels/workbook.xml.rels"].decode()
        start = rels.rindex("<Relationship", 0, rels.index("/styles"))
        parts["xl/_rels/workbook.xml.rels"] = (
            rels[:start] + rels[rels.index("/>", start) + 2:]).encode()
        types = types.replace('<Override PartName="/xl/styles.xml" ContentType="application/'
                              'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>', "")

    if calc_chain_sheet_ids:
        cells = "".join(f'<c r="B{n}" i="{sheet_id}"/><c r="C{n}"/>'
                        for n, sheet_id in enumerate(calc_chain_sheet_ids, start=2))
        parts["xl/calcChain.xml"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<calcChain '
            f'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{cells}'
            "</calcChain>").encode()
        _add_rel(parts, "calcChain", "calcChain.xml", "rIdCalc")
        types = types.replace("</Types>", (
            '<Override PartName="/xl/calcChain.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>'))
    parts["[Content_Types].xml"] = types.encode()
    return _zip(parts)


def repack(data: bytes, name: str, edit) -> bytes:
    """`data` with part `name` replaced by `edit(old bytes)`."""
    parts = _parts(data)
    parts[name] = edit(parts[name])
    return _zip(parts)


def _add_rel(parts: dict, kind: str, target: str, rid: str) -> None:
    name = "xl/_rels/workbook.xml.rels"
    parts[name] = parts[name].replace(
        b"</Relationships>",
        f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/{kind}" Target="{target}"/></Relationships>'.encode())


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()
