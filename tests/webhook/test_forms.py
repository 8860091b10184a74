"""POST /forms/skm: signed, checked, stored before the reply; every bad input named."""

from __future__ import annotations

import io
import json
import time

import pytest

from sheet_templates.skm_form import SKM_QUESTIONS
from sync.config import load_config
from tests.webhook.helpers import FORM_ID, OFFICER, SECRET, UNITS, encode, payload, signed_headers
from webhook import MissingSecret, create_app


def post(client, data, headers=None, **sign_options):
    body = data if isinstance(data, bytes) else encode(data)
    return client.post("/forms/skm", data=body, headers=headers or signed_headers(body, **sign_options))


def test_a_valid_submission_is_stored_before_the_reply(client, store):
    response = post(client, payload())
    assert response.status_code == 201
    assert response.json == {"status": "stored", "response_id": "2_ABaOnudTest1"}
    stored = store.get("2_ABaOnudTest1")  # committed: a new connection sees it
    assert stored.source == "contoh" and stored.form_id == FORM_ID and stored.flushed_at is None
    assert stored.mapped == {
        "response_id": "2_ABaOnudTest1", "timestamp": "2026-03-14T16:21:05",  # WIB, for the clerk
        "service_unit": UNITS[0], "service_type": "Akta Kelahiran", "officer_nip": OFFICER,
        **{f"u{i}": 3 for i in range(1, 10)},
        "sex": "P", "age": 34, "education": "SMA", "occupation": "WIRAUSAHA",
        "suggestion": "Antrian lebih cepat", "source": "form"}
    assert stored.payload == payload()


def test_the_same_response_again_is_a_duplicate_and_changes_nothing(client, store):
    assert post(client, payload()).status_code == 201
    again = post(client, payload(suggestion="diubah"))
    assert again.status_code == 200
    assert again.json == {"status": "duplicate", "response_id": "2_ABaOnudTest1"}
    assert store.count() == 1 and store.get("2_ABaOnudTest1").mapped["suggestion"] == "Antrian lebih cepat"


def test_a_replayed_body_with_a_new_timestamp_is_a_duplicate(client, store):
    """Apps Script retries re-sign the same body: the old response id makes it a harmless 200."""
    body = encode(payload())
    assert post(client, body, signed_headers(body, timestamp=int(time.time()) - 200)).status_code == 201
    replay = post(client, body, signed_headers(body, timestamp=int(time.time())))
    assert (replay.status_code, replay.json["status"]) == (200, "duplicate")
    assert store.count() == 1


def _stale(body):
    return signed_headers(body, timestamp=int(time.time()) - 301)


def _unsigned(body):
    headers = signed_headers(body)
    del headers["X-Kinerja-Signature"]
    return headers


def _no_timestamp(body):
    headers = signed_headers(body)
    del headers["X-Kinerja-Timestamp"]
    return headers


def _as_text(body):
    return {**signed_headers(body), "Content-Type": "text/plain"}


BIG = payload(suggestion="x" * (64 * 1024))
ANSWERS = {q.title: q.options[2] for q in SKM_QUESTIONS}


@pytest.mark.parametrize(("data", "headers", "status", "code", "field", "words"), [
    (payload(), lambda b: signed_headers(b, secret="another-secret-0123456789"), 401, "bad_signature",
     "X-Kinerja-Signature", "Tanda tangan tidak cocok"),
    (payload(), _unsigned, 401, "missing_signature", "X-Kinerja-Signature", "tidak ada"),
    (payload(), _no_timestamp, 401, "missing_timestamp", "X-Kinerja-Timestamp", "tidak ada"),
    (payload(), _stale, 401, "stale_timestamp", "X-Kinerja-Timestamp", "5 menit"),
    (payload(), lambda b: signed_headers(b, timestamp=int(time.time()) + 400), 401, "stale_timestamp",
     "X-Kinerja-Timestamp", "5 menit"),
    (BIG, None, 413, "payload_too_large", None, "64 KiB"),
    (payload(), _as_text, 415, "not_json", None, "text/plain"),
    (b"{not json", None, 400, "invalid_json", "body", "bukan JSON"),
    (b"[1, 2]", None, 400, "not_an_object", "body", "objek JSON"),
    (payload(unit=None), None, 400, "missing_field", "unit", "'unit' wajib ada"),
    (payload(response_id=None), None, 400, "missing_field", "response_id", "'response_id' wajib"),
    (payload(answers=None), None, 400, "missing_field", "answers", "'answers' wajib"),
    (payload(submitted_at="kemarin"), None, 400, "invalid_field", "submitted_at", "ISO 8601"),
    (payload(officer_nip=198503142010031002), None, 400, "invalid_nip", "officer_nip", "teks 18 angka"),
    (payload(officer_nip="12345"), None, 400, "invalid_nip", "officer_nip", "18 angka"),
    (payload(answers={**ANSWERS, "Berapa nomor HP Saudara?": "0812"}), None, 400, "unknown_question",
     "answers", "'Berapa nomor HP Saudara?' bukan salah satu"),
    (payload(answers={**ANSWERS, SKM_QUESTIONS[2].title: "5"}), None, 400, "answer_out_of_range",
     "answers.U3", "1 sampai 4"),
    (payload(answers={**ANSWERS, SKM_QUESTIONS[2].title: 0}), None, 400, "answer_out_of_range",
     "answers.U3", "1 sampai 4"),
    (payload(answers={**ANSWERS, SKM_QUESTIONS[7].title: "Luar biasa"}), None, 400, "unknown_answer",
     "answers.U8", "Buruk, Cukup, Baik, Sangat Baik"),
    (payload(answers={SKM_QUESTIONS[0].title: None}), None, 400, "no_answers", "answers", "Tidak ada"),
    (payload(unit="Dinas Perikanan"), None, 400, "unknown_unit", "unit", "'Dinas Perikanan' tidak ada"),
    (payload(form_id="1FAIpQLSfUnknown"), None, 404, "unknown_form", "form_id", "'1FAIpQLSfUnknown'"),
])
def test_bad_input_is_refused_naming_the_problem(client, store, data, headers, status, code, field, words):
    body = data if isinstance(data, bytes) else encode(data)
    response = post(client, body, headers(body) if headers else None)
    assert response.status_code == status, response.json
    assert response.json["code"] == code
    assert response.json.get("field") == field
    assert words in response.json["error"]
    assert store.count() == 0


def test_titles_and_answers_match_ignoring_case_spacing_and_punctuation(client, store):
    def reworded(title):
        return "  " + title.upper().replace("?", "").replace(" ", "  ") + " "

    answers = {reworded(q.title): q.options[3].lower() for q in SKM_QUESTIONS}
    answers[reworded(SKM_QUESTIONS[3].title)] = "  gratis "
    answers[reworded(SKM_QUESTIONS[4].title)] = 2
    answers[reworded(SKM_QUESTIONS[5].title)] = "1"
    assert post(client, payload(answers=answers, unit="dinas kependudukan  dan pencatatan sipil")
                ).status_code == 201
    mapped = store.get("2_ABaOnudTest1").mapped
    assert [mapped[f"u{i}"] for i in range(1, 10)] == [4, 4, 4, 4, 2, 1, 4, 4, 4]
    assert mapped["service_unit"] == UNITS[0]  # the workbook's spelling


def test_unanswered_items_stay_blank_and_optional_fields_may_be_absent(client, store):
    answers = {q.title: q.options[0] for q in SKM_QUESTIONS[:5]}
    body = payload(answers=answers, officer_nip=None, profile=None, suggestion=None, unit=UNITS[1])
    assert post(client, body).status_code == 201
    mapped = store.get("2_ABaOnudTest1").mapped
    assert [mapped[f"u{i}"] for i in range(1, 10)] == [1] * 5 + [None] * 4
    assert mapped["officer_nip"] is None and mapped["sex"] is None and mapped["suggestion"] is None


def test_a_dry_run_checks_everything_and_stores_nothing(client, store):
    response = post(client, payload(dry_run=True))
    assert (response.status_code, response.json["dry_run"]) == (200, True)
    assert post(client, payload(dry_run=True, unit="Dinas Perikanan")).status_code == 400
    assert store.count() == 0


def test_a_form_with_its_own_wording_is_mapped_by_the_config(tmp_path, workbook):
    from tests.webhook.helpers import write_config

    config = write_config(tmp_path, workbook, extra=(
        f'\n[[sources]]\nname = "lain"\nlocation = "{workbook.name}"\n'
        '[[sources.forms]]\nid = "FORM-LAIN"\n'
        'questions = { "Apakah persyaratannya jelas?" = "U1" }\n'
        'answers = { "Puas" = 3, "Sangat puas" = 4, U8 = { "Bersih" = 4 } }\n'))
    app = create_app({"TESTING": True, "WEBHOOK_SECRET": SECRET, "KINERJA_CONFIG": str(config),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"})
    answers = {"Apakah persyaratannya jelas?": "sangat puas", SKM_QUESTIONS[1].title: "Puas",
               SKM_QUESTIONS[7].title: "bersih"}
    response = post(app.test_client(), payload(form_id="FORM-LAIN", answers=answers))
    assert response.status_code == 201, response.json
    stored = app.extensions["kinerja"].store.get("2_ABaOnudTest1")
    assert stored.source == "lain"
    assert (stored.mapped["u1"], stored.mapped["u2"], stored.mapped["u8"]) == (4, 3, 4)
    # the default form does not know the other form's words
    assert post(app.test_client(), payload(response_id="x", answers=answers)).status_code == 400


def test_units_are_read_once_per_ttl(tmp_path, config_path):
    calls = []

    def reader(location):
        calls.append(location)
        return {"puskesmas sukamaju": "Puskesmas Sukamaju"}

    app = create_app({"TESTING": True, "WEBHOOK_SECRET": SECRET, "KINERJA_CONFIG": str(config_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}", "UNIT_READER": reader})
    client = app.test_client()
    for i in range(3):
        assert post(client, payload(response_id=f"r{i}", unit="Puskesmas Sukamaju")).status_code == 201
    assert len(calls) == 1


def test_an_unreadable_workbook_is_retried_after_a_while_not_at_every_post(tmp_path, config_path):
    """A workbook that cannot be read (e.g. a Google Sheet not shared) would otherwise cost a read,
    or a Sheets API call, per citizen's post."""
    from sync.errors import WorkbookUnreadable
    from webhook.units import UnitCache

    calls, now = [], [1000.0]

    def reader(location):
        calls.append(location)
        if len(calls) < 3:
            raise WorkbookUnreadable("tidak dapat dibaca")
        return {"puskesmas sukamaju": "Puskesmas Sukamaju"}

    cache = UnitCache(ttl=300, reader=reader, clock=lambda: now[0])
    source = load_config(config_path).sources[0]
    assert [cache.units(source) for _ in range(5)] == [None] * 5 and len(calls) == 1
    now[0] += 31  # retried after 30 s
    assert cache.units(source) is None and len(calls) == 2
    now[0] += 31
    assert cache.units(source) == {"puskesmas sukamaju": "Puskesmas Sukamaju"} and len(calls) == 3
    now[0] += 299
    assert cache.units(source) is not None and len(calls) == 3


def test_a_failing_unit_reader_does_not_lose_answers(tmp_path, config_path):
    calls = []

    def reader(location):
        calls.append(location)
        raise ValueError("a bug in the reader")

    app = create_app({"TESTING": True, "WEBHOOK_SECRET": SECRET, "KINERJA_CONFIG": str(config_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}", "UNIT_READER": reader})
    client = app.test_client()
    for i in range(3):
        assert post(client, payload(response_id=f"r{i}", unit="Unit Belum Dicek")).status_code == 201
    assert len(calls) == 1  # tried again after 30 s, not at every post


def test_an_unreadable_workbook_does_not_lose_answers(tmp_path, config_path, workbook):
    workbook.unlink()
    app = create_app({"TESTING": True, "WEBHOOK_SECRET": SECRET, "KINERJA_CONFIG": str(config_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}"})
    assert post(app.test_client(), payload(unit="Unit Belum Dicek")).status_code == 201


def test_healthz_and_unknown_paths_answer_json(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/forms/skm").status_code == 405
    response = client.get("/lain")
    assert response.status_code == 404 and response.json["code"] == "not_found"


@pytest.mark.parametrize("secret", [None, "", "pendek"])
def test_the_app_refuses_to_start_without_a_real_secret(config_path, monkeypatch, secret):
    monkeypatch.delenv("KINERJA_WEBHOOK_SECRET", raising=False)
    with pytest.raises(MissingSecret, match="KINERJA_WEBHOOK_SECRET"):
        create_app({"WEBHOOK_SECRET": secret, "KINERJA_CONFIG": str(config_path)})


def test_the_secret_and_database_come_from_the_environment(config_path, tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("KINERJA_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app = create_app({"KINERJA_CONFIG": str(config_path)})
    assert post(app.test_client(), payload()).status_code == 201
    assert (tmp_path / "env.db").exists()


def test_non_ascii_text_survives(client, store):
    body = payload(suggestion="Pelayanan ramah 👍, terima kasih — Bu Sri")
    assert post(client, json.dumps(body).encode()).status_code == 201  # \u escapes, as Apps Script sends
    assert store.get("2_ABaOnudTest1").mapped["suggestion"] == "Pelayanan ramah 👍, terima kasih — Bu Sri"


def _age(raw: bytes) -> bytes:
    """A valid body whose profile.usia is `raw`, as sent."""
    return encode(payload(profile={"usia": 0})).replace(b'"usia": 0', b'"usia": ' + raw)


def _nested(depth: int) -> bytes:
    return b'{"form_id": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize(("body", "code", "field", "words"), [
    (_nested(20_000), "too_deep", "body", "terlalu dalam"),
    (b'{"answers": ' + b"[" * 50 + b"]" * 50 + b"}", "too_deep", "body", "terlalu dalam"),
    (_age(b"9" * 4301), "number_too_long", "body", "terlalu panjang"),
    (_age(b"-" + b"1" * 5000), "number_too_long", "body", "terlalu panjang"),
    (_age(b"1e999"), "invalid_number", "body", "terlalu besar"),
    (_age(b"NaN"), "invalid_number", "body", "NaN"),
    (encode(payload(suggestion="a\x00b")), "invalid_text", "suggestion", "NUL"),
    (encode(payload(unit="x")).replace(b'"unit": "x"', b'"unit": "\\ud800"'), "invalid_text", "unit",
     "surrogate"),
    (encode(payload(submitted_at="9999-12-31T23:59:59Z")), "out_of_range", "submitted_at", "di luar rentang"),
    (encode(payload(submitted_at="0001-01-01T00:00:00+14:00")), "out_of_range", "submitted_at",
     "di luar rentang"),
    (encode(payload(submitted_at="1999-12-31T23:59:59Z")), "out_of_range", "submitted_at", "tahun 2000"),
])
def test_absurd_signed_bodies_are_400_with_a_message_not_500(client, store, body, code, field, words):
    """Each of these answered 500 (RecursionError, Python's 4,300-digit limit, an overflowing date)."""
    response = post(client, body)
    assert response.status_code == 400, response.json
    assert (response.json["code"], response.json.get("field")) == (code, field)
    assert words in response.json["error"]
    assert store.count() == 0


@pytest.mark.parametrize(("answer", "code"), [
    (10 ** 29, "answer_out_of_range"), ("1" * 5000, "answer_out_of_range"), ("+-1", "unknown_answer"),
    ("--1", "unknown_answer"),
])
def test_an_absurd_answer_is_400(client, store, answer, code):
    answers = {**ANSWERS, SKM_QUESTIONS[0].title: answer}
    response = post(client, payload(answers=answers))
    assert (response.status_code, response.json["code"]) == (400, code), response.json
    assert response.json["field"].startswith("answers") and store.count() == 0


def test_the_edges_of_the_time_range_are_stored(client, store):
    for n, when in enumerate(["2000-01-01T00:00:00Z", "2099-12-31T23:59:59Z", "2000-01-01T07:00:00+07:00"]):
        assert post(client, payload(f"tepi-{n}", submitted_at=when)).status_code == 201, when


@pytest.mark.parametrize("size", [64 * 1024 + 1, 3 * 1024 * 1024])
def test_a_chunked_body_over_the_limit_is_413_not_401(client, store, size):
    """No Content-Length (chunked): the limit still holds, and is named, instead of a cut body's 401."""
    body = encode(payload(suggestion="x" * size))
    headers = {**signed_headers(body), "Transfer-Encoding": "chunked"}
    response = client.post("/forms/skm", input_stream=io.BytesIO(body), headers=headers,
                           environ_overrides={"wsgi.input_terminated": True})  # as gunicorn and waitress
    assert response.status_code == 413 and response.json["code"] == "payload_too_large"
    assert store.count() == 0


def test_a_chunked_body_within_the_limit_is_read_whole(client, store):
    body = encode(payload())
    headers = {**signed_headers(body), "Transfer-Encoding": "chunked"}
    response = client.post("/forms/skm", input_stream=io.BytesIO(body), headers=headers,
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 201 and store.count() == 1
