"""POST /forms/skm (signed SKM answers) and GET /healthz.

Checks run cheapest and least revealing first: size (413, chunked bodies too),
signature (401), media type (415), JSON within bounds (400, webhook.body), the
time's range and the JSON shape (400), form id (404), answers and unit (400).
An absurd body is a 400 naming the problem, never a 500.
The answer is committed to the store before the reply: 201 when stored, 200
when the response id was already there. A retried or replayed post (same
body, new timestamp and signature) therefore gets 200 and changes nothing,
even when its content differs: the first stored version wins.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES, parse_options_header

from sync.config import Config
from sync.surveys.mapping import FormMapping, PayloadError, check_payload, content_hash
from sync.surveys.store import StoredResponse, SurveyStore, utc_now
from sync.surveys.units import resolve_unit

from . import auth
from .body import parse_json, read_environ
from .errors import InvalidPayload, NotJson, ServerError, UnknownForm, WebhookError
from .units import UnitCache

bp = Blueprint("forms", __name__)
log = logging.getLogger(__name__)

# submitted_at must fall in these years (UTC): a time outside them is a broken clock or an attack, and
# near the ends of Python's range it cannot even be converted to the Pemda's timezone.
FIRST_YEAR, LAST_YEAR = 2000, 2099


@dataclass
class WebhookState:
    """What the views need, built once per process by create_app."""

    config: Config
    store: SurveyStore
    units: UnitCache
    secret: str
    clock: Any  # () -> float, Unix seconds
    max_body: int
    mappings: dict[str, FormMapping]

    def mapping(self, form_id: str) -> FormMapping:
        if form_id not in self.mappings:
            found = self.config.form(form_id)
            self.mappings[form_id] = FormMapping(found[1] if found else None)
        return self.mappings[form_id]


def state() -> WebhookState:
    return current_app.extensions["kinerja"]


@bp.get("/healthz")
def healthz():
    """Liveness for a load balancer: the process answers; nothing secret or slow."""
    return jsonify(status="ok")


@bp.post("/forms/skm")
def receive_skm():
    """Store one signed SKM submission (served by `SkmEndpoint` in front of Flask; see there)."""
    status, answer = receive(state(), request.environ)
    return jsonify(answer), status


def receive(st: WebhookState, environ: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """One POST /forms/skm from its WSGI environ: (HTTP status, JSON body); WebhookError otherwise."""
    body = read_environ(environ, st.max_body)  # 413 past the limit, chunked or not
    auth.verify(st.secret, environ.get(_TIMESTAMP), environ.get(_SIGNATURE), body, st.clock())
    mimetype = parse_options_header(environ.get("CONTENT_TYPE", ""))[0].lower()  # as request.mimetype
    if mimetype != "application/json":
        raise NotJson(f"Isi permintaan harus JSON (Content-Type: application/json), bukan "
                      f"'{mimetype or 'kosong'}'.")
    data = parse_json(body)
    check_time(data)
    try:
        payload = check_payload(data)
        found = st.config.form(payload["form_id"])
        if found is None:
            raise UnknownForm(f"Formulir '{payload['form_id']}' tidak terdaftar di kinerja.toml; tambahkan "
                              "ID-nya pada forms di bagian [[sources]] workbook yang tepat.", field="form_id")
        source, _ = found
        submission = map_answers(st.mapping(payload["form_id"]), payload)
        units = st.units.units(source)
        unit = resolve_unit(units, submission.unit) if units else submission.unit
    except PayloadError as ex:
        raise InvalidPayload(str(ex), field=ex.field, code=ex.code) from None
    if submission.dry_run:
        return 200, {"status": "ok", "dry_run": True, "response_id": submission.response_id}
    record = submission.record(unit, st.config.timezone)
    stored = st.store.add(StoredResponse(
        submission.response_id, submission.form_id, source.name, "webhook", submission.submitted_at,
        utc_now(), content_hash(submission.form_id, record), data, record))
    log.info("survey %s for %s: %s", submission.response_id, source.name, "stored" if stored else "duplicate")
    if stored:
        return 201, {"status": "stored", "response_id": submission.response_id}
    return 200, {"status": "duplicate", "response_id": submission.response_id}


# The signature headers as the WSGI environ names them.
_TIMESTAMP = "HTTP_" + auth.TIMESTAMP_HEADER.upper().replace("-", "_")
_SIGNATURE = "HTTP_" + auth.SIGNATURE_HEADER.upper().replace("-", "_")
# What jsonify writes (outside debug mode): sorted keys, ASCII, compact, a final newline.
_JSON = json.JSONEncoder(ensure_ascii=True, sort_keys=True, separators=(",", ":"))


class SkmEndpoint:
    """WSGI middleware answering POST /forms/skm itself; every other request goes on to Flask.

    Flask's share of a post (request and app contexts, URL matching, the request object and its
    header proxies, the response object, jsonify) was most of the app's own CPU, for nothing this
    endpoint needs: measured in-process, a post without the store took 0.12 ms through Flask and
    0.05 ms here (bench/WEBHOOK.md). It reads the environ and writes its JSON answer directly.
    What Flask did for it is done here the same way: werkzeug's own helpers read the body within
    MAX_CONTENT_LENGTH, its errors and ours get the app's JSON error bodies, anything unexpected
    is logged and answered 500. Flask's before/after-request
    hooks do not run for this path (the app registers none).
    """

    def __init__(self, app, wsgi_app, http_error):
        self.app, self.wsgi_app, self.http_error = app, wsgi_app, http_error

    def __call__(self, environ: dict[str, Any], start_response):
        if environ.get("PATH_INFO") != "/forms/skm" or environ.get("REQUEST_METHOD") != "POST":
            return self.wsgi_app(environ, start_response)
        try:
            status, answer = receive(self.app.extensions["kinerja"], environ)
        except WebhookError as ex:
            status, answer = ex.status_code, ex.to_dict()
        except HTTPException as ex:  # werkzeug's, e.g. a body cut short (400) or past the limit (413)
            mapped = self.http_error(ex)
            status, answer = mapped.status_code, mapped.to_dict()
        except Exception:  # as the app's handler of last resort
            self.app.logger.exception("unexpected error")
            error = ServerError("Kesalahan pada server; jawaban belum disimpan, kirim ulang nanti.")
            status, answer = error.status_code, error.to_dict()
        data = (_JSON.encode(answer) + "\n").encode("ascii")
        start_response(f"{status} {HTTP_STATUS_CODES.get(status, 'UNKNOWN').upper()}",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]


def map_answers(mapping: FormMapping, payload: dict[str, Any]):
    """`mapping.map(payload)`; an answer it cannot even convert (e.g. "+-1") is a 400, not a 500.

    map() is a pure function of the sender's answers, so a ValueError or OverflowError there is
    about the input; it is logged with its traceback all the same, since map() should have named it.
    """
    try:
        return mapping.map(payload)
    except (ValueError, OverflowError) as ex:
        log.warning("answers the mapping could not read", exc_info=True)
        raise InvalidPayload(f"Ada jawaban yang tidak dapat dibaca ({ex}); kirim teks pilihan jawaban atau "
                             "angka 1 sampai 4.", field="answers", code="invalid_answer") from None


def check_time(data) -> None:
    """400 for a submitted_at that parses but lies outside FIRST_YEAR–LAST_YEAR (in UTC).

    Only the range: whether it parses at all is check_payload's question (same message as before).
    """
    text = data.get("submitted_at") if isinstance(data, dict) else None
    if not isinstance(text, str):
        return
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return
    try:
        year = (value.replace(tzinfo=None) - (value.utcoffset() or dt.timedelta())).year
    except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00: before year 1 in UTC
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidPayload(f"submitted_at '{text[:40]}' di luar rentang yang masuk akal (tahun "
                             f"{FIRST_YEAR} sampai {LAST_YEAR}); periksa jam pengirim.", field="submitted_at",
                             code="out_of_range")
