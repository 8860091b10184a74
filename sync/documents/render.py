"""Typst compilation of the document templates, in this process or in worker processes.

A `typst.Compiler` is made once per template and process and reused: Typst
caches the parsed template and the fonts between compilations, so each
document costs only its own layout. Only the fonts embedded in Typst
(Libertinus Serif) are used, never the machine's, so every machine prints the
same pages and each PDF embeds the subsets it uses.

Workers are `typst_worker.py` run as plain subprocesses fed over pipes, one
thread here per worker: they start in a tenth of a second because they do not
import the `sync` package (a multiprocessing child would, for over a second).
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .inputs import DocumentError
from .typst_worker import make_compiler

TEMPLATES = Path(__file__).resolve().parent / "templates"
WORKER = Path(__file__).resolve().parent / "typst_worker.py"
IN_PROCESS_BELOW = 6  # fewer documents than this are not worth starting workers for


class RenderError(DocumentError):
    """Typst could not compile a document (a bug in a template or its data)."""


@dataclass(frozen=True)
class Job:
    """One document to compile: its template name, where it goes, and its data as JSON."""

    kind: str
    path_parts: tuple[str, ...]
    data: str


@dataclass(frozen=True)
class Document:
    """A finished PDF and where it belongs under the output folder.

    `path_parts` is relative and already safe as file names, e.g.
    ("Dinas Kesehatan", "198003152005011002 Nama.pdf").
    """

    kind: str
    path_parts: tuple[str, ...]
    pdf: bytes
    pages: int


class Renderer:
    """Compiles templates by name in this process; one Typst compiler per template."""

    def __init__(self, templates: Path = TEMPLATES) -> None:
        self.templates = templates
        self._compilers: dict = {}

    def _compiler(self, template: str):
        if template not in self._compilers:
            self._compilers[template] = make_compiler(self.templates, template)
        return self._compilers[template]

    def compile(self, template: str, data: str) -> bytes:
        """The PDF of `template` ("employee", "unit", "agency") for the JSON `data`."""
        try:
            return self._compiler(template).compile(format="pdf", sys_inputs={"data": data})
        except Exception as exc:
            raise RenderError(f"Dokumen tidak dapat dibuat (templat {template}): {exc}") from exc

    def warnings(self, template: str, data: str) -> list[str]:
        """Typst's warnings for this document (a missing glyph or font, say); for tests."""
        _, found = self._compiler(template).compile_with_warnings(
            format="pdf", sys_inputs={"data": data})
        return [str(w.message) for w in found]


_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b")


def page_count(pdf: bytes) -> int:
    """Pages of a PDF Typst wrote (its page tree root is a plain, uncompressed object)."""
    match = _COUNT.search(pdf)
    return int(match.group(1) or match.group(2)) if match else 0


def default_workers(jobs: int) -> int:
    """Every core the process may use, or 1 (this process) for a handful of documents."""
    if jobs < IN_PROCESS_BELOW:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, jobs // 2))


Progress = Callable[[int, int, Document], None]


def render_jobs(jobs: list[Job], workers: int | None = None,
                progress: Progress | None = None) -> Iterator[Document]:
    """Compile every job, yielding each Document once finished (completion order).

    Args:
        jobs: the documents to compile.
        workers: processes to compile in; None: every core when there are more
            than a few jobs; 1: this process only.
        progress: called as progress(done, total, document) after each one.

    Raises:
        RenderError: Typst failed on a document, or a worker died.
    """
    workers = default_workers(len(jobs)) if workers is None else max(1, workers)
    results = _here(jobs) if workers == 1 else _pooled(jobs, workers)
    for done, (job, pdf) in enumerate(results, start=1):
        document = Document(job.kind, job.path_parts, pdf, page_count(pdf))
        if progress is not None:
            progress(done, len(jobs), document)
        yield document


def _here(jobs: list[Job]) -> Iterator[tuple[Job, bytes]]:
    renderer = Renderer()
    for job in jobs:
        yield job, renderer.compile(job.kind, job.data)


class _Worker:
    """One typst_worker.py subprocess and the pipe protocol to it."""

    def __init__(self) -> None:
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            # -P: the script's folder (this package) is not put on sys.path.
            [sys.executable, "-P", str(WORKER), str(TEMPLATES)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log)

    def compile(self, job: Job) -> bytes:
        data = job.data.encode("utf-8")
        try:
            self.process.stdin.write(b"%s %d\n" % (job.kind.encode("ascii"), len(data)))
            self.process.stdin.write(data)
            self.process.stdin.flush()
            answer, size = self.process.stdout.readline().split()
            body = self.process.stdout.read(int(size))
        except (OSError, ValueError) as exc:
            raise RenderError(f"Proses pembuat PDF berhenti tiba-tiba: {self._log()}") from exc
        if answer != b"OK":
            raise RenderError(f"Dokumen tidak dapat dibuat (templat {job.kind}): "
                              f"{body.decode('utf-8', 'replace')}")
        return body

    def _log(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace").strip()[-2000:] or "tanpa pesan"

    def close(self) -> None:
        try:
            self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.log.close()


_STOP = object()


def _pooled(jobs: list[Job], workers: int) -> Iterator[tuple[Job, bytes]]:
    todo: queue.Queue = queue.Queue()
    for job in jobs:
        todo.put(job)
    done: queue.Queue = queue.Queue(maxsize=4 * workers)  # bounded: PDFs wait on disk writes
    failed = threading.Event()

    def run(worker: _Worker) -> None:
        try:
            while not failed.is_set():
                try:
                    job = todo.get_nowait()
                except queue.Empty:
                    break
                done.put((job, worker.compile(job)))
        except BaseException as exc:
            failed.set()
            done.put(exc)
        finally:
            worker.close()
            done.put(_STOP)

    pool = [_Worker() for _ in range(workers)]
    threads = [threading.Thread(target=run, args=(w,), daemon=True) for w in pool]
    for thread in threads:
        thread.start()
    running = len(threads)
    try:
        while running:
            item = done.get()
            if item is _STOP:
                running -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                yield item
    finally:
        failed.set()  # a consumer that stops early, or an error: let the threads finish
        while running:
            if done.get() is _STOP:
                running -= 1
        for thread in threads:
            thread.join()
