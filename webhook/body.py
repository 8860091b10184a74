"""Reading and parsing a request body within bounds: an absurd body is a 413 or a 400, never a 500.

- The body is read up to the limit whatever its framing: a chunked body (no
  Content-Length) that goes past it is a 413 too, not a body cut short whose
  signature then fails.
- JSON is parsed with bounds on what Python would choke on or store badly:
  nesting (a 20,000-deep array exhausts the parser's recursion), integers of
  thousands of digits (Python refuses to convert more than 4,300), NaN and
  Infinity (PostgreSQL's JSON refuses them), and text a database cannot store
  (NUL characters, lone UTF-16 surrogates).
"""

from __future__ import annotations

import json
import math
from typing import Any

from werkzeug.wsgi import get_content_length, get_input_stream

from .errors import InvalidPayload, PayloadTooLarge

MAX_DEPTH = 20  # design.md §5 needs 2 (the answers and profile objects)
MAX_INT_DIGITS = 30  # an 18-digit NIP sent as a number must still reach its own message


def too_large(max_body: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"Isi permintaan lebih dari {max_body // 1024} KiB.")


def read_environ(environ: dict[str, Any], max_body: int) -> bytes:
    """The raw body, at most `max_body` bytes; PayloadTooLarge when it is longer, however it is sent.

    Read from the WSGI environ as Flask's request.get_data reads it (werkzeug's own helpers)."""
    length = get_content_length(environ)
    if length is not None:
        if length > max_body:
            raise too_large(max_body)
        return get_input_stream(environ, max_content_length=max_body).read()
    if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower() \
            or not environ.get("wsgi.input_terminated"):
        # No body, or one the server cannot end safely: werkzeug reads nothing then.
        return get_input_stream(environ, max_content_length=max_body).read()
    stream, chunks, total = environ["wsgi.input"], [], 0
    while total <= max_body:  # the server ends the stream at the last chunk
        chunk = stream.read(max_body + 1 - total)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > max_body:
        raise too_large(max_body)
    return b"".join(chunks)


class _Refused(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _Refused("number_too_long", f"Angka dalam isi permintaan terlalu panjang (lebih dari "
                                          f"{MAX_INT_DIGITS} digit).")
    return int(digits)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("invalid_number", f"Angka '{text[:40]}' terlalu besar untuk disimpan.")
    return value


def _constant(name: str) -> Any:
    raise _Refused("invalid_number", f"{name} bukan angka yang diterima; kirim angka biasa.")


def parse_json(body: bytes) -> Any:
    """The JSON value of `body`; InvalidPayload (400) naming the problem otherwise."""
    try:
        data = json.loads(body, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _Refused as ex:
        raise InvalidPayload(str(ex), field="body", code=ex.code) from None
    except RecursionError:  # nested deeper than the parser goes
        data = _TOO_DEEP
    except ValueError as ex:  # JSONDecodeError, UnicodeDecodeError and anything else the parser refuses
        raise InvalidPayload(f"Isi permintaan bukan JSON yang sah ({ex}).", field="body",
                             code="invalid_json") from None
    if data is _TOO_DEEP:
        _too_deep()
    if not _plain(body):
        _check_values(data)
    return data


def _plain(body: bytes) -> bool:
    """Whether `body` cannot hold what _check_values looks for, so the walk (the costliest part of
    parsing a usual answer) can be skipped.

    Nesting past MAX_DEPTH needs more brackets than that. In a text, JSON gives NUL and lone
    surrogates only as \\u escapes (the parser refuses raw control characters in strings) or as
    raw bytes that strict UTF-8 refuses (the parser decodes with 'surrogatepass'). Without NUL
    bytes the parser reads the body as UTF-8 (it guesses UTF-16/32 from them).
    """
    if b"\\u" in body or b"\x00" in body or body.count(b"[") + body.count(b"{") > MAX_DEPTH:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


_TOO_DEEP = object()


def _too_deep() -> None:
    raise InvalidPayload(f"Isi permintaan bersarang terlalu dalam (lebih dari {MAX_DEPTH} tingkat); kirim "
                         "satu objek JSON dengan kolom seperti pada dokumentasi webhook.", field="body",
                         code="too_deep")


def _check_values(data: Any) -> None:
    """Nesting depth and text, walked without recursion."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value, path)
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                _too_deep()
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    _check_text(key, path)
                stack.append((item, f"{path}.{key}" if path else str(key), depth + 1))


def _check_text(text: str, path: str) -> None:
    if "\x00" in text:
        problem = "karakter NUL (\\u0000)"
    else:
        try:
            text.encode("utf-8")
            return
        except UnicodeEncodeError:
            problem = "surrogate UTF-16 tanpa pasangan"
    raise InvalidPayload(f"Teks {('di ' + path) if path else 'dalam isi permintaan'} memuat {problem}, "
                         "yang tidak dapat disimpan.", field=path or "body", code="invalid_text")
