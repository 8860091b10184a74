"""The worker's waitress connections (webhook.server's QuietChannel): the event loop leaves a connection
alone while a thread serves it, and every byte still arrives, large, slow or pipelined."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest
from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

from webhook.server import _quiet_channel_class

BIG = 8 * 1024 * 1024  # far more than a socket buffer, below waitress's 16 MiB high watermark


def app(environ, start_response):
    if environ["PATH_INFO"] == "/big":
        start_response("200 OK", [("Content-Length", str(BIG))])
        return (b"x" * (1024 * 1024) for _ in range(BIG // (1024 * 1024)))
    if environ["PATH_INFO"] == "/slow":  # a reply written in pieces with pauses in between
        start_response("200 OK", [("Content-Length", "6")])
        return (time.sleep(0.05) or b"ab" for _ in range(3))
    start_response("201 Created", [("Content-Length", "2")])
    return [b"ok"]


@pytest.fixture
def port():
    socket_map: dict = {}
    server = create_server(app, map=socket_map, host="127.0.0.1", port=0, threads=4, asyncore_use_poll=True)
    channel_class = _quiet_channel_class()
    for listener in socket_map.values():
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = channel_class
    running = True

    def loop():
        while running:
            wasyncore.loop(timeout=0.1, map=socket_map, use_poll=True, count=1)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield server.effective_port
    running = False
    thread.join(5)
    server.task_dispatcher.shutdown()
    wasyncore.close_all(socket_map)


def test_large_slow_and_keep_alive_replies_arrive_whole(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for path, expected in [("/big", BIG), ("/", 2), ("/slow", 6), ("/", 2)]:
        conn.request("GET", path)
        response = conn.getresponse()
        assert len(response.read()) == expected, path
    conn.close()


def test_pipelined_requests_are_answered_in_order(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while received.count(b"HTTP/1.1") < 2 or not received.endswith(b"ok"):
            chunk = sock.recv(65536)
            assert chunk, received
            received += chunk
    assert received.index(b"ababab") < received.rindex(b"201 Created")
