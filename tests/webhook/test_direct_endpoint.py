"""POST /forms/skm is answered in front of Flask (webhook.forms.SkmEndpoint), with Flask's answers;
and the signature check keeps the GIL, so a server thread does not wait to get it back."""

from __future__ import annotations

import hmac
import io
import json
import logging
import sys
import threading

import pytest

from tests.webhook.helpers import SECRET, encode, payload, signed_headers
from webhook import auth


def post(client, data, headers=None):
    body = data if isinstance(data, bytes) else encode(data)
    return client.post("/forms/skm", data=body, headers=headers or signed_headers(body))


def test_a_post_skips_flask_request_handling_and_other_paths_keep_it(app, client, store):
    seen = []
    app.before_request(lambda: seen.append("flask"))
    response = post(client, payload())
    assert response.status_code == 201 and store.count() == 1
    assert seen == []  # no request context, URL matching, request or response object for the post
    assert client.get("/healthz").json == {"status": "ok"} and seen == ["flask"]
    assert client.get("/forms/skm").status_code == 405  # other methods: Flask, as before
    assert client.post("/forms/skm/", data=b"{}").status_code == 404


def test_the_answer_is_byte_for_byte_what_jsonify_wrote(app, client):
    response = post(client, payload())
    assert response.data == b'{"response_id":"2_ABaOnudTest1","status":"stored"}\n'
    assert response.status == "201 CREATED"
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Content-Length"] == str(len(response.data))
    with app.test_request_context():
        from flask import jsonify

        assert jsonify(status="duplicate", response_id="2_ABaOnudTest1").data == post(client, payload()).data
    refused = post(client, b"{}", headers={"Content-Type": "application/json"})
    assert refused.status == "401 UNAUTHORIZED" and refused.data.endswith(b"\n")
    assert json.loads(refused.data)["code"] == "missing_signature"


def test_a_body_shorter_than_its_content_length_is_a_json_400(client, store):
    body = encode(payload())
    response = client.post("/forms/skm", input_stream=io.BytesIO(body), headers=signed_headers(body),
                           environ_overrides={"CONTENT_LENGTH": str(len(body) + 100)})
    assert response.status_code == 400 and response.json["code"] == "bad_request"
    assert store.count() == 0


def test_a_content_length_over_the_limit_is_413_before_reading(client, store):
    response = client.post("/forms/skm", input_stream=io.BytesIO(b"{}"), headers=signed_headers(b"{}"),
                           environ_overrides={"CONTENT_LENGTH": str(64 * 1024 + 1)})
    assert response.status_code == 413 and response.json["code"] == "payload_too_large"


def test_a_failure_of_ours_is_a_logged_json_500_and_the_next_post_is_stored(app, client, store, monkeypatch,
                                                                              caplog):
    state = app.extensions["kinerja"]

    def broken(response):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(state.store, "add", broken)
    with caplog.at_level(logging.ERROR):
        response = post(client, payload())
    assert response.status_code == 500 and response.json["code"] == "server_error"
    assert "kirim ulang" in response.json["error"]
    assert any(r.exc_info and "disk gone" in str(r.exc_info[1]) for r in caplog.records)
    monkeypatch.undo()
    assert post(client, payload()).status_code == 201 and store.count() == 1


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "Application/JSON",
                                          " application/json ;charset=UTF-8"])
def test_the_media_type_is_read_as_flask_reads_it(client, store, content_type):
    body = encode(payload())
    response = post(client, body, headers={**signed_headers(body), "Content-Type": content_type})
    assert response.status_code == 201


def _gil_handoffs(call, calls: int = 50) -> int:
    """How many of `calls` calls let another, busy thread run (the GIL let go inside the call).

    With a 20 ms switch interval a call of a few microseconds that keeps the GIL is interrupted
    at most once in all; one that lets it go hands it to the busy thread every time."""
    counter, stop = [0], threading.Event()

    def busy():
        while not stop.is_set():
            counter[0] += 1

    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.02)
    thread = threading.Thread(target=busy, daemon=True)
    thread.start()
    try:
        handed = 0
        for _ in range(calls):
            before = counter[0]
            call()
            handed += counter[0] != before
    finally:
        stop.set()
        thread.join(5)
        sys.setswitchinterval(interval)
    return handed


def test_checking_a_signature_keeps_the_gil():
    """hmac.digest lets go of the GIL at every call; a server thread then waits up to the switch
    interval (5 ms) to go on. hmac.new keeps it for bodies under 2 KiB."""
    body = encode(payload(suggestion="Pelayanan cepat " * 40))  # ~1.9 KiB, a long answer
    assert len(body) < 2048
    ts = "1773480065"
    signature = auth.sign(SECRET, ts, body)
    assert signature == hmac.new(SECRET.encode(), ts.encode() + b"." + body, "sha256").hexdigest()
    assert _gil_handoffs(lambda: auth.verify(SECRET, ts, signature, body, 1773480065)) <= 3
