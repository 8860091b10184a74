"""A Typst compile worker, run as a script: jobs on stdin, PDFs on stdout.

It imports only the standard library and `typst`, so a worker starts in a
tenth of a second, without the pandas and pipeline imports that importing the
`sync` package brings. The parent (`render.py`) speaks this protocol:

    request:  b"<template> <size>\\n" + <size> bytes of JSON data (UTF-8)
    answer:   b"OK <size>\\n" + PDF bytes, or b"ERR <size>\\n" + UTF-8 message

An empty line or end of input ends the worker. Usage:
``python typst_worker.py TEMPLATES_DIR``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typst


def make_compiler(templates: Path, name: str) -> typst.Compiler:
    """A compiler for templates/<name>.typ using only the fonts embedded in Typst."""
    return typst.Compiler(str(Path(templates) / f"{name}.typ"), root=str(templates),
                          ignore_system_fonts=True)


def serve(templates: Path, stdin, stdout) -> None:
    """Answer requests from `stdin` on `stdout` until the input ends."""
    compilers: dict[str, typst.Compiler] = {}
    while True:
        header = stdin.readline().split()
        if len(header) != 2:
            return
        name, size = header[0].decode("ascii"), int(header[1])
        data = stdin.read(size).decode("utf-8")
        try:
            if name not in compilers:
                compilers[name] = make_compiler(templates, name)
            answer, body = b"OK", compilers[name].compile(format="pdf", sys_inputs={"data": data})
        except Exception as exc:  # a bad template or data: report it, keep serving
            answer, body = b"ERR", f"{type(exc).__name__}: {exc}".encode()
        stdout.write(b"%s %d\n" % (answer, len(body)))
        stdout.write(body)
        stdout.flush()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.stdin.buffer, sys.stdout.buffer)
