"""`kinerja serve` with hundreds of slow clients open: valid posts are still answered, quickly.

A slow client (one header line every second, never finishing its request) must cost the
server a connection, not a thread: with gunicorn's gthread workers each such socket held
one of the workers' threads, and a few dozen of them left no thread for valid posts.
Loopback only; every loop is bounded in time.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import time

import pytest

from tests.pg_server import free_port
from tests.webhook.helpers import SECRET, encode, payload, signed_headers
from tests.webhook.slow_clients import Tricklers, post_while
from tests.webhook.test_serve import serve_command, wait_until_up

SLOW_SOCKETS = 300  # far more than the server's 2 workers x 4 threads


@pytest.fixture
def server(config_path, tmp_path):
    """`kinerja serve` (2 workers x 4 threads, SQLite) on a free loopback port; its port."""
    port = free_port()
    env = {**os.environ, "KINERJA_WEBHOOK_SECRET": SECRET,
           "KINERJA_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen(serve_command(config_path, port), env=env, cwd=tmp_path, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(port, proc)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()


@pytest.mark.slow
def test_valid_posts_are_answered_while_hundreds_of_slow_sockets_are_open(server, tmp_path):
    with Tricklers(server, count=SLOW_SOCKETS, interval=1.0) as slow:
        assert slow.open_count() == SLOW_SOCKETS, f"refused {slow.refused}"
        time.sleep(1.5)  # every slow socket has sent more header lines: each is mid-request
        results = post_while(server, SECRET, lambda n: payload(f"lambat-{n}"), seconds=5, clients=4,
                             timeout=5)
        still_open = slow.open_count()
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert not results.failures, (results.failures[:3], log[-2000:])
    assert results.statuses == {201: len(results.latencies)} and len(results.latencies) >= 50
    assert results.p(0.99) < 1.0, f"p99 {results.p(0.99):.2f} s"
    assert still_open >= SLOW_SOCKETS * 0.9  # they were held open meanwhile, not dropped to make room


@pytest.mark.slow
def test_a_chunked_body_over_the_limit_is_413_on_the_real_server(server):
    """No Content-Length: the server must still stop at 64 KiB, and say so (not 401 for a cut body)."""
    body = encode(payload(suggestion="x" * (70 * 1024)))
    headers = {**signed_headers(body), "Transfer-Encoding": "chunked"}
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    try:
        conn.request("POST", "/forms/skm", body=iter([body[:50_000], body[50_000:]]), headers=headers,
                     encode_chunked=True)
        response = conn.getresponse()
        answer = json.loads(response.read())
    finally:
        conn.close()
    assert response.status == 413 and answer["code"] == "payload_too_large", answer
    assert "64 KiB" in answer["error"]


@pytest.mark.slow
def test_a_chunked_body_within_the_limit_is_stored(server):
    body = encode(payload("terpotong-1"))
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    try:
        conn.request("POST", "/forms/skm", body=iter([body[:100], body[100:]]),
                     headers={**signed_headers(body), "Transfer-Encoding": "chunked"}, encode_chunked=True)
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    assert response.status == 201


@pytest.mark.slow
def test_a_huge_chunked_body_is_refused_without_reading_it_all(server):
    """Past 1 MiB the server itself answers 413 and closes, whatever the client still sends."""
    sock = socket.create_connection(("127.0.0.1", server), timeout=10)
    try:
        sock.sendall(b"POST /forms/skm HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"%x\r\n%s\r\n" % (64 * 1024, b"x" * 64 * 1024)
        answer = b""
        try:
            for _ in range(64):  # 4 MiB at most
                sock.sendall(chunk)
        except OSError:
            pass  # the server closed the connection: expected
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except OSError:
            pass
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
