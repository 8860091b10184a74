"""An SKM form submission (webhook JSON or a response-sheet row) → one Survei row.

Pure: `check_payload` checks the JSON shape of design.md §5, `FormMapping`
turns question titles into items U1…U9 and answers into scores 1–4 (the
14/2017 wording or digits, extended per form by kinerja.toml), and
`Submission.record` gives the Survei row by internal names. Every problem is
a `PayloadError` naming the field (English) with an Indonesian message.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sheet_templates.schema import SKM_ITEMS
from sheet_templates.skm_form import FIELD_QUESTIONS, PROFILE_KEYS, SKM_QUESTIONS
from sync.config import ITEM_CODES, FormConfig
from sync.errors import SyncError
from sync.parse import CellError, parse_nip

MAX_ID = 200
_KNOWN_PAIRS = 4096  # distinct (question, answer) texts remembered per form
_TEXT_FIELDS = ("form_id", "response_id", "submitted_at", "unit", "service")
_AGE = re.compile(r"(\d{1,3})(?:[.,]0+)?\s*(?:th|thn|tahun)?\.?", re.IGNORECASE)  # 34, 34,0, 34 tahun
_SEX = {"l": "L", "lakilaki": "L", "pria": "L", "p": "P", "perempuan": "P", "wanita": "P"}


class PayloadError(SyncError):
    """A submission that cannot be stored: `field` and `code` are for machines, the text for people."""

    def __init__(self, field: str, code: str, message: str):
        super().__init__(message)
        self.field, self.code = field, code


@functools.lru_cache(maxsize=8192)  # the same nine titles and few answers arrive in every post
def title_key(text: str) -> str:
    """A question title or answer ignoring case, spacing and punctuation.

    Examples:
        >>> title_key(" Kompetensi / kemampuan  petugas? ") == title_key("kompetensi/kemampuan petugas")
        True
    """
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def item_label(item: str) -> str:
    """'u3' → 'U3', as named in error fields and messages."""
    return item.upper()


@dataclass(frozen=True)
class Submission:
    """One citizen's answers, checked and scored; times are timezone-aware UTC."""

    form_id: str
    response_id: str
    submitted_at: dt.datetime
    unit: str
    service: str
    officer_nip: str | None
    scores: dict[str, int | None]
    profile: dict[str, Any]
    suggestion: str | None
    dry_run: bool = False

    def record(self, unit: str, timezone: str) -> dict[str, Any]:
        """The Survei row by internal names (JSON-able); `unit` is the workbook's spelling."""
        local = self.submitted_at.astimezone(ZoneInfo(timezone)).replace(tzinfo=None, microsecond=0)
        return {
            "response_id": self.response_id, "timestamp": local.isoformat(),
            "service_unit": unit, "service_type": self.service, "officer_nip": self.officer_nip,
            **self.scores,
            "sex": _sex(self.profile.get("jenis_kelamin")), "age": _age(self.profile.get("usia")),
            "education": _text(self.profile.get("pendidikan")),
            "occupation": _text(self.profile.get("pekerjaan")),
            "suggestion": self.suggestion, "source": "form",
        }


def content_hash(form_id: str, record: dict[str, Any]) -> str:
    """What a response says, without its id and time: finds webhook rows again when reconciling."""
    content = {k: " ".join(v.split()) if isinstance(v, str) else v for k, v in record.items()
               if k not in ("response_id", "timestamp", "source")}
    text = _HASH_JSON.encode([form_id, content])
    return hashlib.sha256(text.encode()).hexdigest()


# json.dumps with these options builds an encoder at every call; the text is the same
_HASH_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


class FormMapping:
    """Question titles → items and answers → scores for one form (defaults plus its config)."""

    def __init__(self, form: FormConfig | None = None):
        self.titles: dict[str, str] = {}
        for question in SKM_QUESTIONS:
            for title in (question.title, *question.aliases):
                self.titles[title_key(title)] = question.key
        for label, item in SKM_ITEMS:  # "U1" and "U1 Persyaratan" name the item directly
            self.titles[title_key(item)] = self.titles[title_key(label)] = item
        self.scores: dict[str, dict[str, int]] = {
            q.key: {title_key(o): i for i, o in enumerate(q.options, start=1)} for q in SKM_QUESTIONS}
        # (title, answer) as sent → (item, score): every post of a form repeats the same few pairs.
        # Only short pairs that mapped are kept (a wrong one raises again, with its message), so many at most.
        self._known: dict[tuple[str, str], tuple[str, int | None]] = {}
        if form is not None:
            self.titles.update({title_key(t): item for t, item in form.questions.items()})
            for item in ITEM_CODES:
                for scope in ("*", item):
                    extra = form.answers.get(scope, {})
                    self.scores[item].update({title_key(t): s for t, s in extra.items()})

    def item_for(self, title: str) -> str:
        """The item code a question title stands for; PayloadError for an unknown question."""
        item = self.titles.get(title_key(title))
        if item is None:
            shown = title if len(title) <= 90 else title[:87] + "..."
            raise PayloadError("answers", "unknown_question", (
                f"Pertanyaan '{shown}' bukan salah satu dari 9 unsur SKM. Samakan judulnya dengan "
                "kuesioner PermenPANRB 14/2017 atau petakan di kinerja.toml (questions)."))
        return item

    def score(self, item: str, answer: Any) -> int | None:
        """The score 1–4 of an answer (wording or digit); None when left blank."""
        if isinstance(answer, str):  # the common case first: a known wording (digits stay digits)
            key = title_key(answer)
            if key and not key.isdigit() and (known := self.scores[item].get(key)) is not None:
                return known
        field = f"answers.{item_label(item)}"
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            return None
        if isinstance(answer, bool) or not isinstance(answer, str | int | float):
            raise PayloadError(field, "invalid_answer", f"Jawaban {item_label(item)} harus berupa teks "
                                                        "atau angka 1 sampai 4.")
        text = answer.strip() if isinstance(answer, str) else ""
        digits = text[1:] if text[:1] in ("+", "-") else text  # one sign at most: "+-1" is not a number
        if isinstance(answer, int | float) or digits.isdecimal():
            number = float(answer)
            if number.is_integer() and 1 <= number <= 4:
                return int(number)
            raise PayloadError(field, "answer_out_of_range",
                               f"Jawaban {item_label(item)} bernilai {answer}; nilai SKM harus 1 sampai 4.")
        score = self.scores[item].get(title_key(answer))
        if score is None:
            choices = ", ".join(_options(item))
            raise PayloadError(field, "unknown_answer", (
                f"Jawaban '{answer[:60]}' untuk {item_label(item)} tidak dikenal. Pilihan yang sah: "
                f"{choices} (atau angka 1 sampai 4); jawaban lain dipetakan di kinerja.toml (answers)."))
        return score

    def map(self, payload: dict[str, Any]) -> Submission:
        """A checked payload (see `check_payload`) → a scored Submission."""
        scores: dict[str, int | None] = dict.fromkeys(ITEM_CODES)
        seen: set[str] = set()
        known = self._known
        for title, answer in payload["answers"].items():
            found = known.get((title, answer)) if type(answer) is str else None
            if found is None:
                item = self.item_for(title)
                score = self.score(item, answer)
                if type(answer) is str and len(title) + len(answer) <= MAX_ID and len(known) < _KNOWN_PAIRS:
                    known[(title, answer)] = (item, score)
            else:
                item, score = found
            if item in seen:
                raise PayloadError(f"answers.{item_label(item)}", "duplicate_question",
                                   f"Dua pertanyaan dipetakan ke unsur {item_label(item)}; "
                                   "setiap unsur hanya boleh satu pertanyaan.")
            seen.add(item)
            scores[item] = score
        if all(s is None for s in scores.values()):
            raise PayloadError("answers", "no_answers", "Tidak ada satu pun jawaban unsur SKM yang diisi.")
        return Submission(
            payload["form_id"], payload["response_id"], payload["submitted_at"], payload["unit"],
            payload["service"], payload["officer_nip"], scores, payload["profile"],
            payload["suggestion"], payload["dry_run"])


def check_payload(data: Any) -> dict[str, Any]:
    """The JSON body of design.md §5, checked and normalised; PayloadError names the bad field."""
    if not isinstance(data, dict):
        raise PayloadError("body", "not_an_object", "Isi permintaan harus berupa objek JSON { ... }.")
    out: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = data.get(name)
        if value is None:
            raise PayloadError(name, "missing_field", f"Kolom '{name}' wajib ada.")
        if not isinstance(value, str) or not value.strip():
            raise PayloadError(name, "invalid_field", f"Kolom '{name}' harus berupa teks yang tidak kosong.")
        out[name] = value.strip()
    for name in ("form_id", "response_id"):
        if len(out[name]) > MAX_ID or not out[name].isprintable():
            raise PayloadError(name, "invalid_field",
                               f"Kolom '{name}' paling panjang {MAX_ID} karakter tanpa karakter kendali.")
    out["submitted_at"] = _timestamp(out["submitted_at"])
    out["officer_nip"] = _officer(data.get("officer_nip"))
    answers = data.get("answers")
    if answers is None:
        raise PayloadError("answers", "missing_field", "Kolom 'answers' wajib ada.")
    if not isinstance(answers, dict) or not answers:
        raise PayloadError("answers", "invalid_field",
                           "Kolom 'answers' harus berupa objek { judul pertanyaan: jawaban }.")
    out["answers"] = answers
    profile = data.get("profile") or {}
    if not isinstance(profile, dict):
        raise PayloadError("profile", "invalid_field", "Kolom 'profile' harus berupa objek.")
    out["profile"] = {}
    for key in PROFILE_KEYS:  # other keys are ignored: an extra question must not lose the answer
        value = profile.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, str | int | float)):
            raise PayloadError(f"profile.{key}", "invalid_field", f"profile.{key} harus berupa teks.")
        out["profile"][key] = value
    suggestion = data.get("suggestion")
    if suggestion is not None and not isinstance(suggestion, str):
        raise PayloadError("suggestion", "invalid_field", "Kolom 'suggestion' harus berupa teks.")
    out["suggestion"] = (suggestion.strip() or None) if suggestion else None
    dry_run = data.get("dry_run", False)
    if not isinstance(dry_run, bool):
        raise PayloadError("dry_run", "invalid_field", "Kolom 'dry_run' harus true atau false.")
    out["dry_run"] = dry_run
    return out


def field_titles() -> dict[str, str]:
    """title_key of each non-SKM question title (and alias) → its payload key."""
    return {title_key(t): q.key for q in FIELD_QUESTIONS for t in (q.title, *q.aliases)}


def _timestamp(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise PayloadError("submitted_at", "invalid_field", (
            f"submitted_at '{text[:40]}' bukan waktu ISO 8601, misalnya 2026-03-14T09:21:05Z.")) from None
    if value.tzinfo is None:  # documented: a time without offset is UTC
        value = value.replace(tzinfo=dt.UTC)
    try:
        value = value.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01T00:00:00+14:00 lies before the first representable instant
        value = None
    if value is None or not 2000 <= value.year <= 2099:
        raise PayloadError("submitted_at", "out_of_range", (
            f"submitted_at '{text[:40]}' di luar rentang yang masuk akal (tahun 2000–2099); "
            "periksa jam dan tanggal pengirim."))
    return value


def _officer(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):  # a JSON number would already have lost the NIP's last digits
        raise PayloadError("officer_nip", "invalid_nip", "officer_nip harus dikirim sebagai teks 18 angka.")
    try:
        return parse_nip(value)
    except CellError as ex:
        raise PayloadError("officer_nip", "invalid_nip",
                           f"NIP petugas '{value[:30]}' {ex.problem}.") from None


def _options(item: str) -> tuple[str, ...]:
    return next(q.options for q in SKM_QUESTIONS if q.key == item)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _sex(value: Any) -> str | None:
    text = _text(value)
    return _SEX.get(title_key(text), text) if text else None


def _age(value: Any) -> int | str | None:
    text = _text(value)
    if text is None:
        return None
    match = _AGE.fullmatch(text)
    return int(match[1]) if match else text
