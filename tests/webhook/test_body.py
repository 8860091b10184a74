"""webhook.body.parse_json: the quick check that skips the walk over the parsed values must never skip
a body the walk would refuse."""

from __future__ import annotations

import json

import pytest

from tests.webhook.helpers import payload
from webhook import body
from webhook.errors import InvalidPayload

PLAIN = json.dumps(payload(suggestion="Pelayanan ramah, terima kasih — Bu Sri"), ensure_ascii=False).encode()


def test_a_usual_answer_skips_the_walk_and_parses_the_same(monkeypatch):
    assert body._plain(PLAIN)
    walked = []
    monkeypatch.setattr(body, "_check_values", walked.append)
    assert body.parse_json(PLAIN) == json.loads(PLAIN) and walked == []


@pytest.mark.parametrize(("raw", "code"), [
    (PLAIN.replace(b"Bu Sri", b"Bu \\u0000Sri"), "invalid_text"),  # NUL as an escape
    (PLAIN.replace(b"Bu Sri", b"Bu \\ud800Sri"), "invalid_text"),  # a lone surrogate as an escape
    (PLAIN.replace(b"Bu Sri", b"Bu \xed\xa0\x80Sri"), "invalid_text"),  # one as raw bytes
    (b'{"a": ' + b"[" * 21 + b"]" * 21 + b"}", "too_deep"),  # just past MAX_DEPTH
    (json.dumps({"unit": "a\x00b"}).encode("utf-16"), "invalid_text"),  # UTF-16: NUL bytes everywhere
])
def test_what_the_walk_refuses_is_never_skipped(raw, code):
    assert not body._plain(raw)
    with pytest.raises(InvalidPayload) as caught:
        body.parse_json(raw)
    assert caught.value.code == code


def test_nesting_up_to_the_limit_is_accepted_either_way():
    raw = b"[" * body.MAX_DEPTH + b"]" * body.MAX_DEPTH
    assert body._plain(raw) and body.parse_json(raw) == json.loads(raw)
    assert body.parse_json(b" " + raw.replace(b"[]", b'["\\u00e9"]')) is not None  # walked: \u escape
