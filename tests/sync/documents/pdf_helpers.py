"""Reading generated PDFs back: text per page, and pages as grey pixels (pdftoppm)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, whitespace runs as one space, zero-width spaces dropped."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u200b", "").split())


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, normalised like `pdf_text`."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [" ".join(p.extract_text().replace("\u200b", "").split()) for p in reader.pages]


def page_images(pdf: bytes, folder: Path, dpi: int = 40) -> list[tuple[int, int, bytes]]:
    """Each page as (width, height, 8-bit grey pixels), by pdftoppm; skips the test without it."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = folder / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(source), str(folder / "p")],
                   check=True)
    return [_read_pgm(path) for path in sorted(folder.glob("p-*.pgm"))]


def _read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    fields, position = [], 0
    while len(fields) < 4:  # magic, width, height, maxval; '#' comments are not written
        while data[position:position + 1].isspace():
            position += 1
        end = position
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[position:end])
        position = end
    assert fields[0] == b"P5"
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[position + 1:position + 1 + width * height]
