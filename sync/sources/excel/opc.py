"""The zip package of an .xlsx (Open Packaging Conventions): its parts, their relationships
and content types, and why bytes are not an .xlsx at all.

Parts are edited with lxml so that namespaces, mc:Ignorable and extension lists
survive byte for byte where nothing changed. `sync.sources.excel.parts` re-exports
what its users take from here and adds workbook.xml on top.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from lxml import etree

from sync.errors import WorkbookUnreadable
from sync.sources.excel.zipwrite import SMALL_PART, Deflated, Original, original_of, write_raw

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CT_PART = "[Content_Types].xml"

XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_NEW_PART_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so a rerun gives the same zip
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError)

# --- the zip package -------------------------------------------------------------------


class Package:
    """The parts of an .xlsx zip, with parsed XML kept until written back."""

    def __init__(self, data: bytes):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                infos = [info for info in zf.infolist() if not info.is_dir()]
                # A part is read when used: the rest, a clerk's hundreds of MB of input sheets
                # among them, goes into the new file as it is, still compressed (issue 17).
                self.parts = {info.filename: original_of(data, info) or zf.read(info) for info in infos}
        except _UNREADABLE as ex:
            raise WorkbookUnreadable(unreadable_message(data)) from ex
        self._data = data
        self.infos = {info.filename: info for info in infos}
        self._lower = {name.lower(): name for name in self.parts}
        self._trees: dict[str, etree._Element] = {}
        self._dirty: set[str] = set()
        if self.find(CT_PART) is None:
            raise WorkbookUnreadable(_missing_part_message(CT_PART))

    def find(self, name: str) -> str | None:
        """The stored name of a part; part names are case-insensitive in OPC."""
        return self._lower.get(name.lower())

    def xml(self, name: str) -> etree._Element:
        if name not in self._trees:
            try:
                self._trees[name] = etree.fromstring(self.read(name), _PARSER)
            except etree.XMLSyntaxError as ex:
                raise WorkbookUnreadable(
                    f"Bagian {name} di dalam workbook rusak (isinya bukan XML yang utuh). "
                    "Buka berkas di Excel lalu simpan ulang sebagai .xlsx."
                ) from ex
        return self._trees[name]

    def read(self, name: str) -> bytes:
        """The bytes of part `name` (uncompressed)."""
        data = self.parts[name]
        if isinstance(data, Original):
            try:
                return data.read(self._data)  # not kept: unchanged, it is copied compressed
            except _UNREADABLE as ex:
                raise WorkbookUnreadable(unreadable_message(self._data)) from ex
        elif isinstance(data, Deflated):
            data = zlib.decompress(data.data, -15)
        return data

    def changed(self, name: str) -> None:
        self._dirty.add(name)

    def put(self, name: str, data: bytes | Deflated) -> None:
        self.remove(name)
        self.parts[name] = data
        self._lower[name.lower()] = name

    def put_xml(self, name: str, root: etree._Element) -> None:
        self.put(name, b"")
        self._trees[name] = root
        self._dirty.add(name)

    def remove(self, name: str) -> None:
        stored = self.find(name)
        if stored is not None:
            del self.parts[stored], self._lower[stored.lower()]
            self._trees.pop(stored, None)
            self._dirty.discard(stored)

    def free_name(self, pattern: str) -> str:
        """The first unused `pattern.format(n)` for n = 1, 2, ..."""
        n = 1
        while self.find(pattern.format(n)) is not None:
            n += 1
        return pattern.format(n)

    def rel_targets(self, source: str) -> list[tuple[etree._Element, str | None]]:
        """Relationships of `source` ("" is the package) with resolved internal targets."""
        rels = self.find(rels_name(source))
        if rels is None:
            return []
        out = []
        for rel in self.xml(rels).iter(f"{{{PKG_RELS}}}Relationship"):
            target = None
            if rel.get("TargetMode") != "External":
                target = _resolve(source, rel.get("Target", ""))
                target = self.find(target) or target
            out.append((rel, target))
        return out

    def to_bytes(self) -> bytes:
        for name in self._dirty:
            tree = self._trees[name].getroottree()
            self.parts[name] = XML_DECL + etree.tostring(
                tree, encoding="UTF-8", xml_declaration=False
            )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for name, data in self.parts.items():
                old = self.infos.get(name)
                info = zipfile.ZipInfo(name, old.date_time if old else _NEW_PART_TIME)
                info.compress_type = old.compress_type if old else zipfile.ZIP_DEFLATED
                info.external_attr = old.external_attr if old else 0o600 << 16
                if isinstance(data, Original):
                    write_raw(zf, info, data.raw(self._data), data.info.CRC, data.info.file_size)
                    continue
                if isinstance(data, Deflated):
                    if info.compress_type == zipfile.ZIP_DEFLATED:
                        write_raw(zf, info, data.data, data.crc, data.size)
                        continue
                    data = self.read(name)  # the original stored it uncompressed: so does this
                # level 1 on big parts: a 120,000-row Hasil zips ~0.5 s faster, ~25% larger
                zf.writestr(info, data, compresslevel=1 if len(data) > SMALL_PART else None)
        return out.getvalue()


def rels_name(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def relative_target(source: str, part: str) -> str:
    return posixpath.relpath(part, posixpath.dirname(source) or ".")


def rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{rid}" Type="{R_NS}/{kind}" Target="{target}"/>'
                   for rid, kind, target in rels)
    return XML_DECL + f'<Relationships xmlns="{PKG_RELS}">{body}</Relationships>'.encode()


def _reachable(pkg: Package, starts: set[str], stop: frozenset[str] = frozenset()) -> set[str]:
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        part = todo.pop()
        if part in seen:
            continue
        seen.add(part)
        if part not in stop:
            todo.extend(target for _, target in pkg.rel_targets(part) if target)
    return seen


def drop_parts_only_used_by(pkg: Package, sheets: set[str]) -> None:
    """Remove old drawings, charts, comments... that nothing but the replaced sheets use."""
    if not sheets:
        return
    owned = _reachable(pkg, sheets) - sheets
    kept = _reachable(pkg, {""}, stop=frozenset(sheets))
    for part in sorted(owned - kept):
        pkg.remove(rels_name(part))
        pkg.remove(part)
        _drop_content_type(pkg, part)
    for sheet in sheets:
        pkg.remove(rels_name(sheet))


def set_content_type(pkg: Package, part: str, content_type: str) -> None:
    types = pkg.xml(pkg.find(CT_PART))
    for override in types.iter(f"{{{CT_NS}}}Override"):
        if override.get("PartName", "").lower() == "/" + part.lower():
            if override.get("ContentType") != content_type:
                override.set("ContentType", content_type)
                pkg.changed(pkg.find(CT_PART))
            return
    ext = part.rpartition(".")[2].lower()
    for default in types.iter(f"{{{CT_NS}}}Default"):
        if (default.get("Extension", "").lower(), default.get("ContentType")) == (ext,
                                                                                  content_type):
            return
    etree.SubElement(types, f"{{{CT_NS}}}Override", PartName="/" + part,
                     ContentType=content_type)
    pkg.changed(pkg.find(CT_PART))


def _drop_content_type(pkg: Package, part: str) -> None:
    types = pkg.xml(pkg.find(CT_PART))
    for override in types.findall(f"{{{CT_NS}}}Override"):
        if override.get("PartName", "").lower() == "/" + part.lower():
            types.remove(override)
            pkg.changed(pkg.find(CT_PART))


def unreadable_message(data: bytes, name: str | None = None) -> str:
    """Why bytes are not an .xlsx, in Indonesian only (a library's English error is left out)."""
    subject = f"'{name}'" if name else "Berkas"
    fix = "Buka berkas di Excel lalu simpan ulang sebagai Excel Workbook (.xlsx)."
    if data[:4] == b"\xd0\xcf\x11\xe0":
        return (f"{subject} berformat Excel lama (.xls) atau dilindungi kata sandi, bukan .xlsx "
                "biasa. Buka di Excel, hapus kata sandinya bila ada, lalu simpan ulang sebagai "
                "Excel Workbook (.xlsx).")
    if not data:
        return f"{subject} kosong (0 byte), bukan arsip .xlsx. {fix}"
    if data[:2] == b"PK":
        return (f"{subject} bukan workbook Excel (.xlsx) yang valid: arsipnya rusak, terpotong, "
                f"atau bukan berisi workbook Excel. {fix}")
    return (f"{subject} bukan workbook Excel: isinya bukan arsip .xlsx (mungkin CSV, PDF atau "
            f"dokumen lain yang diberi nama .xlsx). {fix}")


def _missing_part_message(part: str) -> str:
    return (f"Berkas bukan workbook Excel (.xlsx) yang valid: bagian {part} tidak ada "
            "(mungkin .xlsb, .ods atau berkas lain yang diberi nama .xlsx). "
            "Simpan ulang berkas dari Excel sebagai .xlsx.")
