"""Zip entries written already compressed: a part deflated as it is made, or a part of the
original file copied without ever being decompressed (issue 17).

Rewriting the result tabs of a 10,000-employee workbook used to decompress its ~460 MB of
input sheets and compress them again, and to hold each big sheet's whole XML in memory before
compressing it. zipfile has no public way to add compressed bytes; `write_raw` does the steps
of its `_open_to_write` and `_ZipWriteFile.close` for a seekable file, so the entry (local
header, central directory) is the one `ZipFile.writestr` would have written.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from isal import isal_zlib

# Level of a big part compressed as it is made, with ISA-L (python-isal): on the 10,000-employee
# benchmark's Capaian IKI XML its level 1 runs at ~2.9 GB/s against zlib level 1's ~0.6 GB/s,
# for output a little smaller than zlib level 1's (issue 17). Any inflater reads it: it is
# plain raw deflate. Parts under SMALL_PART get zlib's default level, as before.
STREAM_LEVEL = 1
SMALL_PART = 1 << 20
_AHEAD = 3  # chunks (a few MB each) made but not yet compressed
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader


class Deflated(NamedTuple):
    """A part already compressed (raw deflate), as `deflate` made it from its chunks."""

    data: bytes
    crc: int
    size: int


class Original(NamedTuple):
    """A part left as it is in the original file, still compressed."""

    info: zipfile.ZipInfo

    def raw(self, original: bytes) -> memoryview:
        """The compressed bytes of the part, straight from the original file."""
        offset = self.info.header_offset
        header = _LOCAL_HEADER.unpack_from(original, offset)
        if header[0] != zipfile.stringFileHeader:
            raise zipfile.BadZipFile(f"bad local header of {self.info.filename}")
        start = offset + _LOCAL_HEADER.size + header[10] + header[11]  # name and extra field
        data = memoryview(original)[start:start + self.info.compress_size]
        if len(data) != self.info.compress_size:
            raise zipfile.BadZipFile(f"{self.info.filename} is truncated")
        return data

    def _named_alike(self, original: bytes) -> bool:
        """Whether the local header names the part as the central directory does (`ZipFile.open`'s check)."""
        offset = self.info.header_offset
        header = _LOCAL_HEADER.unpack_from(original, offset)
        name = bytes(original[offset + _LOCAL_HEADER.size:offset + _LOCAL_HEADER.size + header[10]])
        try:
            return name.decode("utf-8" if header[3] & 0x800 else "cp437") == self.info.orig_filename
        except UnicodeDecodeError:
            return False

    def read(self, original: bytes) -> bytes:
        """The part's bytes, uncompressed and checked as `ZipFile.read` checks them (size, CRC), without
        opening the whole archive again: a write reads a few parts (rels, workbook, content types)
        and parsing the central directory of every part for each was 3 % of `kinerja run`."""
        if self.info.flag_bits & 0x60 or not self._named_alike(original):
            # what zipfile refuses (patched data, strong encryption, a local name that differs): let it
            with zipfile.ZipFile(io.BytesIO(original)) as zf:
                return zf.read(self.info)
        raw = self.raw(original)
        data = zlib.decompress(raw, -15) if self.info.compress_type == zipfile.ZIP_DEFLATED else bytes(raw)
        if len(data) != self.info.file_size or zlib.crc32(data) != self.info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self.info.filename!r}")
        return data


def original_of(original: bytes, info: zipfile.ZipInfo) -> Original | None:
    """The part as an `Original` to copy, or None when it must be read now: encrypted, or
    compressed in a way the copy would not check (what zipfile cannot read fails here, as before)."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    part = Original(info)
    part.raw(original)  # a broken local header fails on opening, as the full read did
    return part


def deflate(chunks, level: int = STREAM_LEVEL) -> Deflated:
    """Compress a part's chunks as they come: a big tab's whole XML is never in memory.

    The CRC and compression run on a second thread (ISA-L lets go of the GIL), in order, while
    the next chunks are made; at most _AHEAD chunks wait for it. A part under SMALL_PART is
    compressed at zlib's default level, as `Package.to_bytes` does, so small workbooks come
    out as before."""
    compressor = None
    held: list[bytes] = []  # until the part proves big
    out: list[bytes] = []
    crc = [0]
    size = 0

    def step(chunk: bytes) -> None:  # runs on the one worker, in submission order
        crc[0] = isal_zlib.crc32(chunk, crc[0])
        out.append(compressor.compress(chunk))

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kinerja-deflate") as aside:
        waiting: deque = deque()
        for chunk in chunks:
            size += len(chunk)
            if compressor is None:
                held.append(chunk)
                if size <= SMALL_PART:
                    continue
                compressor = isal_zlib.compressobj(level, isal_zlib.DEFLATED, -15)
                chunk, held = b"".join(held), []
            waiting.append(aside.submit(step, chunk))
            if len(waiting) > _AHEAD:
                waiting.popleft().result()
        for future in waiting:
            future.result()
    if compressor is None:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        step(b"".join(held))
    out.append(compressor.flush())
    return Deflated(b"".join(out), crc[0], size)


def write_raw(zf: zipfile.ZipFile, info: zipfile.ZipInfo, data, crc: int, size: int) -> None:
    """Add an entry whose bytes are already compressed with `info.compress_type`."""
    info.flag_bits = 0
    info.CRC, info.file_size, info.compress_size = crc, size, len(data)
    zip64 = info.file_size * 1.05 > zipfile.ZIP64_LIMIT  # writestr's rule
    zf.fp.seek(zf.start_dir)
    info.header_offset = zf.fp.tell()
    zf._writecheck(info)
    zf._didModify = True
    zf.fp.write(info.FileHeader(zip64))
    zf.fp.write(data)
    zf.start_dir = zf.fp.tell()
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info
