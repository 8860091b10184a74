"""How `kinerja run --jobs` starts its Excel worker processes (issue 17): forked from a fork server
that imported the worker's modules once, and the server stopped and waited for at the end."""

import multiprocessing
import multiprocessing.forkserver
import os
import resource
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

from sync.run.runner import WORKER_PRELOAD, stop_fork_server, worker_context
from sync.run.worker import warm_up

pytestmark = pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(), reason="no fork server here (Windows)")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def test_workers_are_forked_from_a_server_that_imported_the_worker_once():
    context = worker_context()
    assert context.get_start_method() == "forkserver"
    assert "sync.run.worker" in WORKER_PRELOAD and "__main__" in WORKER_PRELOAD
    before = children_cpu()
    with ProcessPoolExecutor(max_workers=2, initializer=warm_up, mp_context=context) as pool:
        parents = {pool.submit(os.getppid).result() for _ in range(4)}
        assert pool.submit(sum, range(20_000_000)).result() > 0  # some CPU time in a worker
    server = multiprocessing.forkserver._forkserver._forkserver_pid
    assert parents == {server} and server != os.getpid()  # children of the server, not of this process
    stop_fork_server(context)
    # Stopped and waited for: its workers' CPU time is counted as this process's children's
    # (what `bench_run.py` measures), and a next run starts a server of its own.
    assert multiprocessing.forkserver._forkserver._forkserver_pid is None
    assert children_cpu() - before > 0.1


def test_stopping_is_nothing_without_a_fork_server():
    stop_fork_server(multiprocessing.get_context("spawn"))  # no error, nothing to stop
    assert "sync.run.worker" in sys.modules
