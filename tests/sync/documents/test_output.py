"""Writing the PDFs: folder layout, safe names, atomic replacement, worker processes, progress."""

from __future__ import annotations

import os

import pytest

from sync.documents import Document, export_documents, write_documents
from sync.documents.output import agency_path, employee_path, safe_name, unit_path
from sync.documents.render import Job, RenderError, render_jobs
from tests.sync.documents.agency_data import NURSE, ORG, UNIT_OFFICE, UNIT_SERVICE

PERIOD = "2026-T1"


@pytest.mark.parametrize(("value", "expected"), [
    ("UPTD Puskesmas A/B", "UPTD Puskesmas A-B"),
    ('Bagian "Umum": Surat*?', "Bagian -Umum- Surat-"),
    ("  ..  ", "Tanpa Nama"),
    ("Dr. H. Ali, S.E.", "Dr. H. Ali, S.E"),
    ("a\\b\tc\nd", "a-b c d"),  # whitespace runs are one space
    ("é" * 300, "é" * 100),
])
def test_safe_name(value, expected):
    assert safe_name(value) == expected


def test_paths_follow_the_issue():
    assert employee_path("UPTD A/B", NURSE, "Cut, S.Kep., Ns.") == (
        "UPTD A-B", f"{NURSE} Cut, S.Kep., Ns.pdf")
    assert unit_path("UPTD A/B") == ("UPTD A-B", "Rekap UPTD A-B.pdf")
    assert agency_path("Dinas X") == ("Rekap Dinas X.pdf",)
    assert agency_path("") == ("Rekap Instansi.pdf",)


def test_export_writes_every_file_in_place_and_a_rerun_replaces_them(agency, texts, tmp_path):
    calls = []
    written = export_documents(*agency, PERIOD, tmp_path, texts, workers=2,
                               progress=lambda done, total, doc: calls.append((done, total)))
    assert calls == [(i, 10) for i in range(1, 11)]
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert len(files) == 10 and f"Rekap {ORG}.pdf" in files
    assert f"{UNIT_OFFICE}/Rekap {UNIT_OFFICE}.pdf" in files
    assert any(f.startswith(f"{UNIT_SERVICE}/{NURSE} ") for f in files)
    assert {w.path for w in written} == {tmp_path / f for f in files}
    assert all(w.pages >= 1 for w in written)
    first = {f: (tmp_path / f).stat().st_ino for f in files}
    os.chmod(tmp_path / files[0], 0o600)
    export_documents(*agency, PERIOD, tmp_path, texts, workers=1)
    again = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert again == files  # no temporary files left behind
    assert all((tmp_path / f).stat().st_ino != first[f] for f in files)  # replaced, not rewritten


def test_worker_processes_give_the_same_pages_as_this_process(agency, texts):
    from sync.documents import plan_documents
    jobs = plan_documents(*agency, PERIOD, texts)
    here = {d.path_parts: d.pages for d in render_jobs(jobs, workers=1)}
    pooled = {d.path_parts: d.pages for d in render_jobs(jobs, workers=2)}
    assert here == pooled


def test_a_typst_failure_is_reported_not_hung(tmp_path):
    broken = [Job("employee", ("x.pdf",), "{}")] * 8  # data without any field
    with pytest.raises(RenderError, match="Dokumen tidak dapat dibuat"):
        list(render_jobs(broken, workers=2))
    with pytest.raises(RenderError, match="Dokumen tidak dapat dibuat"):
        list(render_jobs(broken[:1], workers=1))


def test_write_documents_creates_folders(tmp_path):
    document = Document("unit", ("A-B", "Rekap A-B.pdf"), b"%PDF-1.7 test", 1)
    (written,) = write_documents([document], tmp_path / "out")
    assert written.path.read_bytes() == b"%PDF-1.7 test"
    assert written.path == tmp_path / "out" / "A-B" / "Rekap A-B.pdf"
