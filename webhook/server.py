"""Serve a Flask app with gunicorn from Python (no Flask development server in production).

Workers are forked by gunicorn's arbiter; each builds its own app (and so its
own database engine) after the fork, because a connection must never be
shared between processes. gthread workers serve many requests per process
with threads; the threads of one worker that wait for the disk at the same
moment share one commit (sync.surveys.group_commit), so more threads mean fewer
fsyncs per answer.

A worker runs Python on one core at a time (the GIL), so there are twice as
many workers as cores, and each has its own listening socket (SO_REUSEPORT):
the kernel spreads new connections over the workers evenly. With one shared
socket, long-lived connections (a proxy's keep-alive pool) piled up on
whichever worker accepted first: measured under keep-alive load, one worker
used 6.5 s of CPU and the other 0.7 s.
"""

from __future__ import annotations

import errno
import math
import os
import socket
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

MAX_DEFAULT_WORKERS = 16  # beyond this, ask for more explicitly (memory, database connections)


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
        "worker_class": "gthread",
        "threads": threads,
        "keepalive": 5,
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
    GunicornServer(factory, options).run()
