"""Recover surveys the webhook missed from the form's exported response sheet.

Google Forms exports one row per response: the first column is the time
(Timestamp / Stempel waktu), then one column per question title. Each row is
checked and scored exactly like a webhook post. It is already stored when a
response of the same form says exactly the same (same content hash) within
one second of the same time; otherwise it is stored with a derived id:
`rekon-` + the first 32 hex digits of sha256(form id | UTC time | content
hash), plus `-2`, `-3` … for identical answers sent in the same second. The
id is stable, so running reconcile again adds nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import python_calamine

from sheet_templates.skm_form import PROFILE_KEYS
from sync.claims import SourceClaims
from sync.config import Config, ConfigError
from sync.errors import SourceNotFound, WorkbookUnreadable
from sync.parse import as_text, is_blank
from sync.sources import open_source
from sync.surveys.flush import FlushResult
from sync.surveys.flush import flush as flush_pending
from sync.surveys.mapping import (
    FormMapping,
    PayloadError,
    check_payload,
    content_hash,
    field_titles,
    title_key,
)
from sync.surveys.store import StoredResponse, SurveyStore, utc_now
from sync.surveys.units import read_units, resolve_unit

TOLERANCE = dt.timedelta(seconds=1)  # the sheet keeps whole seconds; Forms keeps milliseconds
_FORMS_TIME = re.compile(
    r"(\d{4})/(\d{1,2})/(\d{1,2})\s+(\d{1,2})[:.](\d{2})[:.](\d{2})\s*([AaPp][Mm])?"
    r"(?:\s*(?:GMT|UTC)\s*([+-]\d{1,2})(?::?(\d{2}))?)?")
_LOCAL_TIME = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?")


@dataclass
class ReconcileResult:
    """What a reconcile run found and did."""

    rows: int = 0
    added: int = 0
    already_stored: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (sheet row, message)
    ignored_columns: list[str] = field(default_factory=list)
    flushed: FlushResult | None = None


def reconcile(store: SurveyStore, config: Config, source_name: str, responses: str | Path, *,
              form_id: str | None = None, day_first: bool = True, flush: bool = True,
              claims: SourceClaims | None = None, wait: float = 0.0) -> ReconcileResult:
    """Store every response of `responses` the store lacks, then flush the source.

    Args:
        store: the webhook's store.
        config: the configuration naming the source and its forms.
        source_name: the `[[sources]]` name the form belongs to.
        responses: the exported response sheet (.xlsx or .csv).
        form_id: which of the source's forms (needed only when it has several).
        day_first: read an ambiguous 03/04/2026 as 3 April (Indonesian), else 4 March.
        flush: append what was added to the workbook's Survei tab (`result.flushed` tells how it
            went, a failed or skipped write included; the answers stay stored either way).
        claims, wait: write the workbook only under its claim (see `survey_flush.flush`).

    Raises:
        SyncError: unknown source or form, unreadable file or workbook.
    """
    source = config.source(source_name)
    form = _form(source, form_id)
    rows = read_responses(responses)
    result = ReconcileResult()
    if not rows:
        return result
    mapping = FormMapping(form)
    columns, result.ignored_columns = _columns(rows[0], mapping)
    units = read_units(open_source(source.location))
    zone = ZoneInfo(config.timezone)
    taken: set[str] = set()
    occurrences: Counter[str] = Counter()
    for number, raw in enumerate(rows[1:], start=2):
        if all(is_blank(v) for v in raw):
            continue
        result.rows += 1
        try:
            payload = _payload(form.form_id, raw, columns, zone, day_first)
            submission = mapping.map(check_payload(payload))
            record = submission.record(resolve_unit(units, submission.unit), config.timezone)
        except PayloadError as ex:
            result.errors.append((number, str(ex)))
            continue
        digest = content_hash(form.form_id, record)
        if _find_stored(store, form.form_id, digest, submission.submitted_at, taken):
            result.already_stored += 1
            continue
        base = "rekon-" + hashlib.sha256(
            f"{form.form_id}|{submission.submitted_at.isoformat()}|{digest}".encode()).hexdigest()[:32]
        occurrences[base] += 1
        response_id = base if occurrences[base] == 1 else f"{base}-{occurrences[base]}"
        record["response_id"] = response_id
        now = utc_now()
        added = store.add(StoredResponse(
            response_id, form.form_id, source.name, "reconcile", submission.submitted_at, now, digest,
            {**payload, "response_id": response_id}, record))
        taken.add(response_id)
        result.added += added
        result.already_stored += not added
    if flush:
        flushed = flush_pending(store, config, [source.name], claims=claims, wait=wait)
        result.flushed = flushed[0] if flushed else FlushResult(source.name)
    return result


def read_responses(path: str | Path) -> list[list[Any]]:
    """The rows of an exported response sheet: .xlsx (first tab) or CSV (comma or semicolon)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise SourceNotFound(f"Berkas jawaban '{path}' tidak ditemukan atau tidak dapat dibaca.") from None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except Exception as ex:  # calamine raises several unrelated types for bad files
            raise WorkbookUnreadable(f"'{path}' tidak dapat dibaca sebagai .xlsx ({ex}).") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def parse_time(value: Any, zone: ZoneInfo, day_first: bool = True) -> dt.datetime:
    """A response time as exported (date cell, Forms' '2026/03/14 9:21:05 AM GMT+7', 14/03/2026 16.21.05)."""
    if isinstance(value, dt.datetime):
        return _utc(value, zone)
    text = as_text(value)
    if match := _FORMS_TIME.fullmatch(text):
        year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
        if match[7]:
            hour = hour % 12 + (12 if match[7].lower() == "pm" else 0)
        local = dt.datetime(year, month, day, hour, minute, second)
        if match[8]:
            sign = -1 if match[8].startswith("-") else 1
            offset = dt.timedelta(hours=int(match[8]), minutes=sign * int(match[9] or 0))
            return local.replace(tzinfo=dt.timezone(offset)).astimezone(dt.UTC)
        return _utc(local, zone)
    if match := _LOCAL_TIME.fullmatch(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day, month = (first, second) if (day_first or second > 12) and first <= 31 else (second, first)
        if month > 12:
            day, month = month, day
        try:
            local = dt.datetime(year, month, day, int(match[4] or 0), int(match[5] or 0), int(match[6] or 0))
        except ValueError:
            raise PayloadError("submitted_at", "invalid_field", f"Waktu '{text}' bukan tanggal yang sah."
                               ) from None
        return _utc(local, zone)
    try:
        return _utc(dt.datetime.fromisoformat(text), zone)
    except ValueError:
        raise PayloadError("submitted_at", "invalid_field",
                           f"Waktu '{text[:40]}' tidak dikenali; ekspor ulang jawaban dari Google Forms."
                           ) from None


def _utc(value: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(dt.UTC)


def _form(source, form_id: str | None):
    if form_id is not None:
        for form in source.forms:
            if form.form_id == form_id:
                return form
        raise ConfigError(f"Formulir {form_id} tidak tercantum pada sumber '{source.name}' di kinerja.toml.")
    if len(source.forms) != 1:
        listed = ", ".join(f.form_id for f in source.forms) or "(tidak ada)"
        raise ConfigError(f"Sumber '{source.name}' punya {len(source.forms)} formulir ({listed}); pilih satu "
                        "dengan --form ID.")
    return source.forms[0]


def _columns(header: list[Any], mapping: FormMapping) -> tuple[dict[int, tuple[str, str]], list[str]]:
    """Column index → (payload key: "submitted_at", a field or "answer"; title), and ignored titles."""
    fields = field_titles()
    columns = {0: ("submitted_at", as_text(header[0]))}
    ignored = []
    for j, title in enumerate(header[1:], start=1):
        title = as_text(title)
        key = title_key(title)
        if key in fields:
            columns[j] = (fields[key], title)
        elif key in mapping.titles:
            columns[j] = ("answer", title)
        elif key:
            ignored.append(title)
    return columns, ignored


def _payload(form_id: str, raw: list[Any], columns: dict[int, tuple[str, str]], zone: ZoneInfo,
             day_first: bool) -> dict[str, Any]:
    """One sheet row as a webhook payload (response id filled in later)."""
    payload: dict[str, Any] = {"form_id": form_id, "response_id": "-", "answers": {}, "profile": {}}
    for j, (key, title) in columns.items():
        value = raw[j] if j < len(raw) else None
        if key == "submitted_at":
            payload[key] = parse_time(value, zone, day_first).isoformat()
        elif key == "answer":
            payload["answers"][title] = None if is_blank(value) else _cell(value)
        elif key in PROFILE_KEYS:
            payload["profile"][key] = None if is_blank(value) else _cell(value)
        elif key == "officer_nip" and isinstance(value, float):
            payload[key] = value  # rejected with a clear message: Excel has rounded the NIP
        else:
            payload[key] = None if is_blank(value) else as_text(value)
    return payload


def _cell(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else as_text(value)


def _find_stored(store: SurveyStore, form_id: str, digest: str, when: dt.datetime, taken: set[str]) -> bool:
    """Whether an unclaimed stored response says the same within TOLERANCE of `when`."""
    when = when.astimezone(dt.UTC).replace(tzinfo=None)
    for response_id, submitted_at in store.same_content(form_id, digest):
        if response_id not in taken and abs(submitted_at - when) <= TOLERANCE:
            taken.add(response_id)
            return True
    return False
