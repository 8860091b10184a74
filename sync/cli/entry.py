"""The `kinerja` console script: the click group run as one short process.

Two things cost a `kinerja score` of 10,000 employees about half a second that
a process which ends right after gains nothing from (issue 17):

- The cyclic garbage collector walking, again and again while the pipeline
  allocates, the half million objects the imports made (pandas, the scoring
  rules). They live as long as the process: once the command and the
  pipeline are imported, they are frozen out of its reach.
- Tearing the interpreter down object by object: the workbook's frames and
  their millions of strings are freed one at a time, only for the operating
  system to take the whole memory back a moment later. Once the command is
  done, the exit handlers run (logging, temporary folders, multiprocessing's
  children) and the process ends at once.

Both are only done here, in the console script: library callers and tests
that import `sync.cli` keep Python's usual behaviour.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading


def main() -> None:
    gc.disable()
    try:
        from sync.cli.main import cli

        if sys.argv[1:2] != ["run"]:
            # What the other commands run, imported now to be frozen with the rest. `kinerja run`
            # first starts its workers' fork server, which imports it on the other core meanwhile
            # (issue 17); its own process runs the pipeline only with --jobs 1.
            import sync.pipeline  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()
    try:
        cli.main(prog_name="kinerja")
        code = 0
    except SystemExit as exc:
        code = exit_code(exc.code)
    if threading.active_count() > 1:  # a thread still working (a server's): Python's own exit waits for it
        sys.exit(code)
    quick_exit(code)


def exit_code(code: object) -> int:
    """What `sys.exit(code)` exits with; a text is printed as Python prints it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def quick_exit(code: int) -> None:
    """End the process now: the exit handlers run and the output flushed, the heap left to the OS."""
    # Every handler registered with atexit (logging.shutdown, weakref.finalize's clean-ups of
    # temporary folders, multiprocessing's joining of children) runs as at a normal exit, and
    # before the streams are flushed, as there: what a handler prints is shown too.
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):  # closed (`>&-` makes it None) or a closed pipe
            pass
    os._exit(code)
