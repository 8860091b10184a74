"""File names of the documents and their atomic writing under the output folder."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import words
from .render import Document

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
MAX_NAME_BYTES = 200  # most file systems allow 255 bytes per name; leave room for ".pdf"


def safe_name(value, fallback: str = "Tanpa Nama") -> str:
    """`value` usable as one file or folder name on Linux, macOS and Windows.

    Examples:
        >>> safe_name("UPTD Puskesmas A/B: Kota?"), safe_name(" .. "), safe_name("Dr. H. Ali, S.E.")
        ('UPTD Puskesmas A-B- Kota-', 'Tanpa Nama', 'Dr. H. Ali, S.E')
    """
    name = _UNSAFE.sub("-", words.text(value))
    name = re.sub(r"\s+", " ", name).strip(" .")
    encoded = name.encode("utf-8")[:MAX_NAME_BYTES]
    name = encoded.decode("utf-8", errors="ignore").strip(" .")
    return name or fallback


def employee_path(unit, nip, name) -> tuple[str, str]:
    """('<Unit Kerja>', '<NIP> <Nama>.pdf')."""
    return safe_name(unit), f"{safe_name(f'{nip} {words.text(name)}')}.pdf"


def unit_path(unit) -> tuple[str, str]:
    """('<Unit Kerja>', 'Rekap <Unit Kerja>.pdf')."""
    return safe_name(unit), f"{safe_name(f'Rekap {words.text(unit)}')}.pdf"


def agency_path(org_name) -> tuple[str]:
    """('Rekap <Nama Instansi>.pdf',)."""
    name = words.text(org_name) or "Instansi"
    return (f"{safe_name(f'Rekap {name}')}.pdf",)


@dataclass(frozen=True)
class Written:
    """A document written to disk."""

    kind: str
    path: Path
    pages: int


def write_document(document: Document, out_dir: Path) -> Written:
    """Write one PDF to out_dir/<path_parts> atomically (temporary file, then os.replace).

    A reader never sees half a file, and a re-run replaces the old file in one step.
    """
    target = Path(out_dir).joinpath(*document.path_parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".pdf.tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(document.pdf)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Written(document.kind, target, document.pages)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
