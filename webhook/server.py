"""Serve a Flask app with gunicorn and waitress from Python (no Flask development server in production).

gunicorn is the arbiter: it forks the workers, restarts one that dies or
hangs, and gives each its own listening socket (SO_REUSEPORT), so the kernel
spreads new connections over the workers evenly. With one shared socket,
long-lived connections (a proxy's keep-alive pool) piled up on whichever worker
accepted first: measured under keep-alive load, one worker used 6.5 s of CPU
and the other 0.7 s. A worker runs Python on one core at a time (the GIL), so
there are twice as many workers as cores.

Inside each worker, waitress serves the connections (`WaitressWorker`): one
event-loop thread reads every request whole, headers and body, before one of
the worker's threads runs the app. So a slow client, one that trickles its
headers a line at a time, holds a connection (a socket and a small buffer),
never an app thread. With gunicorn's own gthread workers a thread read the
request: 64 sockets trickling one header line every 2 s took half of the
4 x 16 threads and made half of the valid posts time out, 80 blocked them all.

Each worker builds its own app (and so its own database engine) after the fork,
because a connection must never be shared between processes. The threads of one
worker that wait for the disk at the same moment share one commit
(sync.surveys.group_commit), so more threads mean fewer fsyncs per answer.
"""

from __future__ import annotations

import errno
import logging
import math
import os
import resource
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.base import Worker

MAX_DEFAULT_WORKERS = 16  # beyond this, ask for more explicitly (memory, database connections)
WORKER_CONNECTIONS = 1000  # open connections per worker, slow ones included; then it stops accepting
MAX_REQUEST_BODY = 1024 * 1024  # waitress answers 413 itself beyond this; the app's own limit is 64 KiB
MAX_REQUEST_HEADERS = 64 * 1024  # all header lines of one request: a trickler is cut off at this (431)
IDLE_TIMEOUT = 30  # seconds without a byte from a connection that has no request in progress


def default_workers() -> int:
    """Twice the cores this process may use (gunicorn's advice is 2–4 per core), at most 16."""
    return max(2, min(MAX_DEFAULT_WORKERS, 2 * usable_cores()))


def usable_cores(cpu_max: str = "/sys/fs/cgroup/cpu.max") -> int:
    """Cores this process may run on: its CPU affinity, or a container's CPU quota when lower."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        with open(cpu_max, encoding="ascii") as limits:
            quota, period = limits.read().split()[:2]  # cgroup v2: "200000 100000", or "max 100000"
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass  # no cgroup v2 limit to honour
    return cores


def port_in_use(host: str, port: int) -> bool:
    """Whether another program listens on host:port (its workers would fail to bind, one by one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn: TIME_WAIT is no owner
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def server_options(host: str = "127.0.0.1", port: int = 8080, workers: int | None = None,
                   threads: int = 16, access_log: bool = False) -> dict[str, Any]:
    """The gunicorn settings `kinerja serve` uses (the benchmark reuses them for a bare app)."""
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers or default_workers(),
        "worker_class": "webhook.server.WaitressWorker",  # see the module doc
        "threads": threads,
        "worker_connections": WORKER_CONNECTIONS,
        "timeout": 30,
        "graceful_timeout": 20,
        "backlog": 512,
        "reuse_port": True,  # a socket per worker: the kernel balances connections (module doc)
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "kinerja-webhook",
        "preload_app": False,  # each worker builds its app after the fork
        # gunicorn >= 24 opens a control socket in ~/.gunicorn; two servers would fight over it.
        "control_socket_disable": True,
    }


class WaitressWorker(Worker):
    """A gunicorn worker whose connections are served by waitress (see the module doc).

    waitress's event loop runs in the worker's main thread, which also tells the
    arbiter it is alive; `threads` threads run the app; at most `worker_connections`
    connections are open at once (then the worker stops accepting until one closes).
    Bodies are read whole before the app runs (waitress answers 413 past
    MAX_REQUEST_BODY; the app's own 64 KiB limit answers in JSON below it, chunked or not).
    On SIGTERM the worker stops accepting, finishes the requests it has read, within
    graceful_timeout, and exits.
    """

    def run(self) -> None:
        from waitress import wasyncore
        from waitress.server import BaseWSGIServer, create_server

        _route_waitress_logs(self.log.error_log)
        app = self.wsgi if not self.cfg.accesslog else _AccessLog(self.wsgi, self.log.access_log)
        socket_map: dict[int, Any] = {}
        server = create_server(
            app, map=socket_map, sockets=[listener.sock for listener in self.sockets],
            threads=self.cfg.threads, connection_limit=self.cfg.worker_connections,
            backlog=self.cfg.backlog, max_request_body_size=MAX_REQUEST_BODY,
            max_request_header_size=MAX_REQUEST_HEADERS, channel_timeout=IDLE_TIMEOUT,
            cleanup_interval=min(10, IDLE_TIMEOUT), asyncore_use_poll=True,  # poll: no 1,024-descriptor limit
            ident="kinerja", expose_tracebacks=False)
        channel_class = _quiet_channel_class()
        for listener in socket_map.values():
            if isinstance(listener, BaseWSGIServer):
                listener.channel_class = channel_class
        beat = 0.0
        while self.alive:
            if time.monotonic() - beat >= 1.0:  # not at every event: each beat is a system call
                beat = time.monotonic()
                self.notify()
                if self.ppid != os.getppid():
                    self.log.info("Parent changed, shutting down: %s", self)
                    break
            wasyncore.loop(timeout=1.0, map=socket_map, use_poll=True, count=1)
        self._stop(socket_map, server.task_dispatcher)

    def _stop(self, socket_map: dict[int, Any], dispatcher) -> None:
        from waitress import wasyncore
        from waitress.channel import HTTPChannel
        from waitress.server import BaseWSGIServer

        for listener in [d for d in socket_map.values() if isinstance(d, BaseWSGIServer)]:
            listener.accepting = False
            wasyncore.dispatcher.close(listener)  # the socket only: its trigger still wakes the loop

        def busy() -> bool:
            return bool(dispatcher.queue or dispatcher.active_count or any(
                d.requests or d.total_outbufs_len for d in list(socket_map.values())
                if isinstance(d, HTTPChannel)))

        deadline = time.monotonic() + self.cfg.graceful_timeout
        while busy() and time.monotonic() < deadline:
            self.notify()
            wasyncore.loop(timeout=0.1, map=socket_map, use_poll=True, count=1)
        dispatcher.shutdown(timeout=1)
        wasyncore.close_all(socket_map)


def _quiet_channel_class() -> type:
    """The connection class of WaitressWorker (built here: waitress is imported in the worker only)."""
    from waitress.channel import HTTPChannel

    class QuietChannel(HTTPChannel):
        """A connection the event loop leaves alone while one of the app threads serves it.

        waitress asks to be woken whenever a connection has output queued. A thread
        serving a request queues its reply and sends it itself right away, holding the
        buffer's lock; when it has to wait for the GIL in between, the loop, woken at
        once by a writable socket, finds the lock taken and polls again: measured under
        load, 17 to 30 wake-ups per request, a third of a worker's CPU. So while a
        request is served the loop waits: the thread sends what it writes, and what the
        socket could not take yet goes when the request ends (waitress then wakes the
        loop) or, past the high watermark where the thread waits for the loop, at once.
        """

        def writable(self):
            if (self.requests and not (self.will_close or self.close_when_flushed)
                    and self.total_outbufs_len < self.adj.outbuf_high_watermark):
                return False
            return super().writable()

    return QuietChannel


class _AccessLog:
    """`--access-log`: one line per request (client, method, path, status, milliseconds)."""

    def __init__(self, app: Callable, log: logging.Logger):
        self.app, self.log = app, log

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        started, status = time.monotonic(), ["-"]

        def recording(line: str, headers, exc_info=None):
            status[0] = line.split(" ", 1)[0]
            return start_response(line, headers, exc_info)

        try:
            return self.app(environ, recording)
        finally:
            self.log.info('%s "%s %s" %s %.1f ms', environ.get("REMOTE_ADDR", "-"),
                          environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), status[0],
                          (time.monotonic() - started) * 1000)


def _route_waitress_logs(error_log: logging.Logger) -> None:
    """waitress's own messages (e.g. the connection limit reached) go to gunicorn's error log.

    Its per-request "Task queue depth" warning is dropped: under load it fires at every
    request that waits for a thread, which is what the queue is for.
    """
    logger = logging.getLogger("waitress")
    for handler in error_log.handlers:
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def raise_open_files_limit(needed: int) -> None:
    """Let every worker hold its connections: raise the soft limit on open files towards `needed`
    (at most the hard limit). Many systems start services with a soft limit of 1,024."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (OSError, ValueError):
        pass  # keep the limit we have; a worker then stops accepting earlier


class GunicornServer(BaseApplication):
    """Run `factory()` under gunicorn with `options` (see `server_options`)."""

    def __init__(self, factory: Callable[[], Any], options: dict[str, Any]):
        self.factory = factory
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if value is not None and key in self.cfg.settings:  # older gunicorn lacks some settings
                self.cfg.set(key, value)

    def load(self):
        return self.factory()


def serve(factory: Callable[[], Any], options: dict[str, Any]) -> None:
    """Run the server until it is stopped (SIGINT/SIGTERM)."""
    raise_open_files_limit(options.get("worker_connections", WORKER_CONNECTIONS) + 256)  # per process
    GunicornServer(factory, options).run()
