"""Question titles → U1…U9, answers → 1–4, payload shape: the pure part of the webhook."""

from __future__ import annotations

import datetime as dt

import pytest

from sheet_templates.schema import SKM_ITEMS
from sheet_templates.skm_form import FIELD_QUESTIONS, SKM_QUESTIONS, all_questions
from sync.config import FormConfig
from sync.surveys.mapping import FormMapping, PayloadError, check_payload, content_hash, title_key
from tests.webhook.helpers import payload


def test_the_form_has_nine_items_with_four_answers_each():
    assert [q.key for q in SKM_QUESTIONS] == [name for _, name in SKM_ITEMS]
    assert all(len(q.options) == 4 for q in SKM_QUESTIONS)
    assert [q.key for q in all_questions()][:3] == ["unit", "service", "officer_nip"]
    assert len(all_questions()) == len(SKM_QUESTIONS) + len(FIELD_QUESTIONS)


@pytest.mark.parametrize("question", SKM_QUESTIONS, ids=lambda q: q.key)
def test_every_default_wording_scores_one_to_four(question):
    mapping = FormMapping()
    assert mapping.item_for(question.title) == question.key
    assert [mapping.score(question.key, o.upper() + "  ") for o in question.options] == [1, 2, 3, 4]
    assert [mapping.score(question.key, v) for v in ("1", 2, 3.0, " 4 ")] == [1, 2, 3, 4]


@pytest.mark.parametrize("title", ["U3", "u3 waktu penyelesaian", "U3 Waktu Penyelesaian"])
def test_items_may_be_named_by_code_or_survei_label(title):
    assert FormMapping().item_for(title) == "u3"


def test_config_mapping_extends_the_defaults():
    form = FormConfig("F", {"Seberapa cepat?": "u3"}, {"*": {"Puas": 3}, "u8": {"Bersih": 4}})
    mapping = FormMapping(form)
    assert mapping.item_for("seberapa  cepat") == "u3"
    assert mapping.item_for(SKM_QUESTIONS[2].title) == "u3"  # the regulation's title still works
    scores = [mapping.score("u1", "puas"), mapping.score("u8", "bersih"), mapping.score("u8", "Baik")]
    assert scores == [3, 4, 3]
    with pytest.raises(PayloadError) as caught:
        mapping.score("u1", "bersih")
    assert caught.value.field == "answers.U1" and caught.value.code == "unknown_answer"


@pytest.mark.parametrize(("answer", "code"), [
    ("5", "answer_out_of_range"), (0, "answer_out_of_range"), (2.5, "answer_out_of_range"),
    (True, "invalid_answer"), (["Sesuai"], "invalid_answer"), ("Lumayan", "unknown_answer"),
    ("²", "unknown_answer"),  # a digit to str.isdigit, not a number to float()
])
def test_bad_answers(answer, code):
    with pytest.raises(PayloadError) as caught:
        FormMapping().score("u1", answer)
    assert (caught.value.field, caught.value.code) == ("answers.U1", code)


@pytest.mark.parametrize(("answer", "expected"), [
    ("3", 3), (" +4 ", 4), ("٣", 3), (2.0, 2), ("", None), ("   ", None), (None, None),
    ("  sangat   SESUAI ", 4), ("Tidak sesuai.", 1),
])
def test_answers_as_digits_wording_or_blank(answer, expected):
    assert FormMapping().score("u1", answer) == expected


def test_a_form_cannot_remap_a_digit():
    """Digits are the 14/2017 scale whatever the form maps: '1' is never 4."""
    mapping = FormMapping(FormConfig("F", {}, {"*": {"1": 4}}))
    assert mapping.score("u1", "1") == 1


def test_times_without_offset_are_utc_and_are_converted():
    checked = check_payload(payload(submitted_at="2026-03-14T09:21:05"))
    assert checked["submitted_at"] == dt.datetime(2026, 3, 14, 9, 21, 5, tzinfo=dt.UTC)
    checked = check_payload(payload(submitted_at="2026-03-14T16:21:05+07:00"))
    assert checked["submitted_at"] == dt.datetime(2026, 3, 14, 9, 21, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(("usia", "expected"), [(34, 34), ("34", 34), ("34 tahun", 34), ("34,0", 34),
                                                ("tiga puluh", "tiga puluh"), (None, None)])
def test_age_is_a_number_when_it_reads_as_one(usia, expected):
    submission = FormMapping().map(check_payload(payload(profile={"usia": usia})))
    assert submission.record("Unit", "Asia/Jakarta")["age"] == expected


@pytest.mark.parametrize(("sex", "expected"), [("Perempuan", "P"), ("laki-laki", "L"), ("L", "L"),
                                               ("X", "X")])
def test_sex_is_l_or_p(sex, expected):
    submission = FormMapping().map(check_payload(payload(profile={"jenis_kelamin": sex})))
    assert submission.record("Unit", "Asia/Jakarta")["sex"] == expected


def test_unknown_profile_keys_are_ignored_not_refused():
    checked = check_payload(payload(profile={"usia": 30, "hobi": "membaca"}))
    assert "hobi" not in checked["profile"]


def test_content_hash_ignores_id_time_and_spacing():
    record = FormMapping().map(check_payload(payload())).record("Unit", "Asia/Jakarta")
    other = {**record, "response_id": "lain", "timestamp": "2026-01-01T00:00:00",
             "suggestion": "  Antrian   lebih cepat "}
    assert content_hash("F", record) == content_hash("F", other)
    assert content_hash("F", record) != content_hash("G", record)
    assert content_hash("F", record) != content_hash("F", {**record, "u1": 4})


def test_title_key_ignores_case_spacing_and_punctuation():
    assert title_key("Biaya / Tarif?") == title_key("biaya/tarif") == "biayatarif"


@pytest.mark.parametrize("answer", ["+-1", "--2", "²", "1e0"])
def test_odd_answer_text_is_a_clear_400_not_a_crash(answer):
    with pytest.raises(PayloadError):
        FormMapping().score("u1", answer)


@pytest.mark.parametrize("when", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00"])
def test_a_submission_time_out_of_range_is_a_payload_error(when):
    from sync.surveys.mapping import _timestamp

    with pytest.raises(PayloadError, match="rentang"):
        _timestamp(when)


def test_remembered_answers_score_as_before_and_wrong_ones_still_fail():
    mapping = FormMapping()
    first, again = mapping.map(check_payload(payload())), mapping.map(check_payload(payload()))
    assert first.scores == again.scores == FormMapping().map(check_payload(payload())).scores
    answers = {**payload()["answers"], SKM_QUESTIONS[0].title: "Entahlah"}
    for _ in range(2):  # not remembered: the same message each time
        with pytest.raises(PayloadError) as caught:
            mapping.map(check_payload(payload(answers=answers)))
        assert caught.value.code == "unknown_answer"
    blank = {**payload()["answers"], SKM_QUESTIONS[0].title: " "}
    assert mapping.map(check_payload(payload(answers=blank))).scores["u1"] is None
