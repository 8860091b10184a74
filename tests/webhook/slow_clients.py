"""Slow clients on loopback: sockets that trickle a request one header line at a time.

Used by tests/webhook/test_slow_clients.py and bench/bench_webhook.py. Every loop
here is bounded in time and targets 127.0.0.1 only.

    with Tricklers(port, count=500, interval=2.0) as slow:   # 500 sockets open, trickling
        latencies = post_while(port, seconds=10)              # valid posts meanwhile
"""

from __future__ import annotations

import errno
import http.client
import json
import socket
import threading
import time
from dataclasses import dataclass, field

from webhook.auth import sign

HOST = "127.0.0.1"


class Tricklers:
    """`count` connections that each send a POST's request line, then one header line every
    `interval` seconds, never finishing the request (as a slow or hostile client does).

    A connection the server closes is counted (`closed`) and opened again, so `count` stay open
    as long as the server lets them; `opened` tells how many were ever connected.
    """

    def __init__(self, port: int, count: int = 500, interval: float = 2.0, host: str = HOST):
        self.port, self.count, self.interval, self.host = port, count, interval, host
        self.socks: list[socket.socket | None] = [None] * count
        self.opened = self.closed = self.refused = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tricklers", daemon=True)
        self._lines = [0] * count

    def _connect(self, index: int) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(2.0)
        try:
            sock.connect((self.host, self.port))
            sock.sendall(b"POST /forms/skm HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        except OSError:
            sock.close()
            self.refused += 1
            return
        sock.setblocking(False)
        self.socks[index] = sock
        self._lines[index] = 0
        self.opened += 1

    def open_now(self) -> None:
        """Open every socket (call before `start` to have them all open when it returns)."""
        for index in range(self.count):
            if self.socks[index] is None and not self._stop.is_set():
                self._connect(index)

    def _run(self) -> None:
        next_round = time.monotonic()
        while not self._stop.is_set():
            for index, sock in enumerate(self.socks):
                if self._stop.is_set():
                    break
                if sock is None:
                    self._connect(index)
                    continue
                self._lines[index] += 1
                try:
                    # a header line; a read of 0 bytes means the server closed the connection
                    sock.send(f"X-Lambat-{self._lines[index]}: {index}\r\n".encode())
                    if sock.recv(4096, socket.MSG_PEEK) == b"":
                        raise ConnectionResetError
                except BlockingIOError:
                    pass  # nothing to read: still open
                except OSError as exc:
                    if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                        continue
                    sock.close()
                    self.socks[index] = None
                    self.closed += 1
            next_round += self.interval
            self._stop.wait(max(0.0, next_round - time.monotonic()))

    def open_count(self) -> int:
        return sum(1 for sock in self.socks if sock is not None)

    def __enter__(self) -> Tricklers:
        self.open_now()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(10)
        for sock in self.socks:
            if sock is not None:
                sock.close()


@dataclass
class PostResults:
    latencies: list[float] = field(default_factory=list)  # seconds, answered posts only
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)  # timeouts, resets

    def p(self, quantile: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * quantile))] if ordered else float("inf")


def post_while(port: int, secret: str, make_body, seconds: float, clients: int = 4, timeout: float = 5.0,
               pause: float = 0.0, max_posts: int = 100_000, host: str = HOST) -> PostResults:
    """Valid signed posts, a new connection each (as Apps Script sends them), from `clients`
    threads for `seconds` (or `max_posts` in all). `make_body(n) -> dict` gives the n-th payload."""
    out = PostResults()
    lock = threading.Lock()
    counter = iter(range(max_posts))
    deadline = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            body = json.dumps(make_body(n)).encode()
            ts = str(int(time.time()))
            headers = {"Content-Type": "application/json", "X-Kinerja-Timestamp": ts,
                       "X-Kinerja-Signature": sign(secret, ts, body)}
            start = time.perf_counter()
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
            try:
                conn.request("POST", "/forms/skm", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    out.failures.append(f"{type(exc).__name__}: {exc}")
                continue
            finally:
                conn.close()
            elapsed = time.perf_counter() - start
            with lock:
                out.latencies.append(elapsed)
                out.statuses[response.status] = out.statuses.get(response.status, 0) + 1
            if pause:
                time.sleep(pause)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 10)
    return out
