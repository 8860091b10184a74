"""How `kinerja run` starts its Excel worker processes, in a module that imports nothing heavy.

The command starts the fork server (`start_fork_server`) as soon as it knows it will use
worker processes, before it imports SQLAlchemy and the runner and opens the database: the
server imports pandas and the pipeline on the other core meanwhile, and the first agencies
start that much sooner (issue 17). The runner, which imports all that, takes these from here.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os

# Imported on first use by the evaluation and the writer: imported by the fork server (and by
# a spawned worker's initializer), so a worker's first agency does not pay for them.
LATER_IMPORTS = ("sync.sources.excel.package", "sync.sources.excel.sheet", "sync.sources.excel.styles",
                 "sync.sources.excel.worksheet.columnar", "sync.sources.excel.worksheet.charts")

# What the fork server imports before forking workers: the main module (as a spawned worker would
# import it), the worker's work, and what its first agency imports on first use.
WORKER_PRELOAD = ("__main__", "sync.run.worker", *LATER_IMPORTS)

AUTO_JOBS_FROM = 8  # sources: below this, starting worker processes (about 2 s) costs more than it saves


def worker_context() -> multiprocessing.context.BaseContext:
    """How the Excel worker processes start: forked from a fork server where there is one.

    Not a fork of this process: it has threads (and database connections) a fork would copy
    mid-use. The fork server is a fresh interpreter (no threads) that imports what a worker
    needs once (`WORKER_PRELOAD`, and the command's main module, which a spawned worker
    would import again: the `kinerja` script takes the whole CLI with it); each worker is
    then a fork of it, not an interpreter importing pandas and the pipeline again (about
    0.6 s of CPU per worker at each run). Spawn elsewhere (Windows).
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Read when the fork server starts (the first pool of the process); it then serves every pool.
    context.set_forkserver_preload(list(WORKER_PRELOAD))
    return context


def start_fork_server(context: multiprocessing.context.BaseContext) -> None:
    """Start `context`'s fork server now rather than at the first worker: it is a process of its own
    that imports `WORKER_PRELOAD` while this one goes on. Nothing where there is none (spawn)."""
    if context.get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()


def early_workers(config, jobs: int) -> multiprocessing.context.BaseContext | None:
    """The workers' context with its fork server started, when `kinerja run` will use worker
    processes: more than one job and an Excel source among them (Google Sheets sources are
    done in the command's own threads). None otherwise, and when the server cannot start here
    (e.g. a temporary folder whose socket path is too long): the first worker then starts it,
    and each Excel source reports why it could not, as before."""
    from sync.sources.locations import looks_like_gsheet

    if jobs <= 1 or all(looks_like_gsheet(source.location) for source in config.sources):
        return None
    context = worker_context()
    try:
        start_fork_server(context)
    except Exception:  # noqa: BLE001 - see the docstring: reported per source by the runner
        return None
    return context


def stop_fork_server(context: multiprocessing.context.BaseContext) -> None:
    """Stop the fork server once its workers are gone (their exit already reaped and reported), and
    wait for it: it is this process's child, so its CPU time and its workers' count in this
    process's (as with spawned workers), and it does not linger for a next run of this process
    with modules a changed tree has since replaced. Nothing where there is none."""
    if context.get_start_method() != "forkserver":
        return
    stop = getattr(getattr(multiprocessing.forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:  # private in CPython (its tests' way to stop the server); else it ends with us
        stop()


def auto_jobs(sources: int) -> int:
    """How many sources `kinerja run` takes at once by default: one per core when there are enough
    sources to repay starting the worker processes, as many as memory allows (about 1.5 GB each)."""
    if sources < AUTO_JOBS_FROM:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            available = next(int(line.split()[1]) for line in handle if line.startswith("MemAvailable:"))
        by_memory = max(1, available // (1536 * 1024))
    except (OSError, StopIteration, ValueError):
        by_memory = cores
    return max(1, min(cores, by_memory, sources))
