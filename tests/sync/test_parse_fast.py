"""The quick paths of the cell parsers accept and return exactly what the general paths do."""

from urllib.parse import urlparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.parse import CellError, as_text, parse_url


def reference_url(value) -> str:
    text = as_text(value)
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise CellError("bukan tautan http/https", "Salin tautan lengkap yang diawali https://.")
    return text


def outcome(parse, value):
    try:
        return ("ok", parse(value))
    except CellError as exc:
        return ("error", exc.problem)
    except ValueError as exc:
        return ("crash", type(exc).__name__)


PARTS = st.sampled_from(["http", "https", "HTTPS", "ftp", ":", "//", "/", "?", "#", "@", "[", "]", ".", "-",
                         "a", "drive.google.com", "x y", "\t", "%20", "'", "é", "80", " "])


@given(st.lists(PARTS, max_size=8).map("".join))
def test_links_read_as_before(text):
    assert outcome(parse_url, text) == outcome(reference_url, text)


@pytest.mark.parametrize("text", [
    "https://drive.google.com/drive/folders/1NU?usp=drive_link", "HTTP://contoh.go.id", "http://a",
    "https://", "https:///x", "http://:80/x", "https://[::1]/", "ftp://x", " https://x.y ", "https://x y"])
def test_links_read_as_before_examples(text):
    assert outcome(parse_url, text) == outcome(reference_url, text)
