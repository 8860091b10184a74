"""How `kinerja run --jobs` starts its Excel worker processes (issue 17): forked from a fork server
that imported the worker's modules once, and the server stopped and waited for at the end."""

import multiprocessing
import multiprocessing.forkserver
import os
import resource
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest

from sync.run.processes import WORKER_PRELOAD, stop_fork_server, worker_context
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


def server_pid():
    return multiprocessing.forkserver._forkserver._forkserver_pid


def test_run_starts_the_fork_server_before_it_opens_the_database(tmp_path, monkeypatch):
    """The server imports pandas and the pipeline while the command imports SQLAlchemy and opens the
    store; and a command that fails there leaves no server behind."""
    from sync.cli import run as run_command
    from sync.errors import SyncError
    from tests.sync.run.helpers import invoke, write_config

    stop_fork_server(worker_context())
    config = write_config(tmp_path, {f"opd{i}": f"opd{i}.xlsx" for i in range(8)})
    seen = []

    def engine(url):
        seen.append(server_pid())
        raise SyncError("basis data tidak dapat dibuka")

    monkeypatch.setattr(run_command, "_engine", engine)
    monkeypatch.setattr(run_command.processes, "auto_jobs", lambda sources: 2)
    result = invoke("run", "--config", str(config), "--database", "sqlite:///:memory:")
    assert result.exit_code == 1 and "basis data tidak dapat dibuka" in result.output
    assert seen and seen[0] is not None  # running before the database was opened
    assert server_pid() is None  # stopped on the way out


def test_run_of_one_source_at_a_time_starts_no_fork_server(tmp_path, monkeypatch):
    from sync.cli import run as run_command
    from sync.errors import SyncError
    from tests.sync.run.helpers import invoke, write_config

    stop_fork_server(worker_context())
    config = write_config(tmp_path, {"opd": "opd.xlsx"})
    seen = []

    def engine(url):
        seen.append(server_pid())
        raise SyncError("basis data tidak dapat dibuka")

    monkeypatch.setattr(run_command, "_engine", engine)
    result = invoke("run", "--config", str(config), "--database", "sqlite:///:memory:")
    assert result.exit_code == 1 and seen == [None]


def test_a_fork_server_that_cannot_start_early_is_left_to_the_first_worker(tmp_path, monkeypatch):
    """E.g. a temporary folder whose socket path is too long: the command goes on, and each Excel
    source reports the error when its worker cannot start (as before the early start)."""
    from sync.cli import run as run_command
    from sync.errors import SyncError
    from tests.sync.run.helpers import invoke, write_config

    stop_fork_server(worker_context())
    config = write_config(tmp_path, {f"opd{i}": f"opd{i}.xlsx" for i in range(8)})

    def refuse(context):
        raise OSError("AF_UNIX path too long")

    def engine(url):
        raise SyncError("basis data tidak dapat dibuka")

    monkeypatch.setattr(run_command.processes, "start_fork_server", refuse)
    monkeypatch.setattr(run_command, "_engine", engine)
    monkeypatch.setattr(run_command.processes, "auto_jobs", lambda sources: 2)
    result = invoke("run", "--config", str(config), "--database", "sqlite:///:memory:")
    assert result.exit_code == 1 and "basis data tidak dapat dibuka" in result.output  # reached the store
    assert server_pid() is None


def test_google_sheets_sources_alone_start_no_fork_server(tmp_path, monkeypatch):
    from sync.cli import run as run_command
    from sync.errors import SyncError
    from tests.sync.run.helpers import invoke, write_config

    stop_fork_server(worker_context())
    sheets = {f"s{i}": f"gsheet:1KinerjaSheet{i:02d}_0123456789abcdefghij" for i in range(8)}
    config = write_config(tmp_path, sheets)
    seen = []

    def engine(url):
        seen.append(server_pid())
        raise SyncError("basis data tidak dapat dibuka")

    monkeypatch.setattr(run_command, "_engine", engine)
    result = invoke("run", "--config", str(config), "--jobs", "2", "--database", "sqlite:///:memory:")
    assert result.exit_code == 1 and seen == [None]


def test_a_second_jobs_run_on_one_context_waits_for_the_first_one_to_close(monkeypatch):
    """The workers of a `run_sources` end after it returns (`close_workers`); a second one on the same
    context first waits for that, so the first one's stop never reaches the second one's server."""
    import threading
    import time
    from types import SimpleNamespace

    from sync.run import runner

    closed = threading.Event()
    first = threading.Thread(target=lambda: (time.sleep(0.2), closed.set()))
    first.start()
    ctx = SimpleNamespace(options=SimpleNamespace(jobs=2), config=SimpleNamespace(sources=[]), closing=first,
                          excel_workers=None)
    seen = []
    monkeypatch.setattr(runner, "worker_context",
                        lambda: seen.append(closed.is_set()) or multiprocessing.get_context("spawn"))
    assert runner.run_sources(ctx) == []
    runner.close_workers(ctx)
    assert seen == [True] and ctx.closing is None
