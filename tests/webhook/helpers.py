"""Shared test data for the webhook: a small agency workbook, its config, signed posts."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sheet_templates.skm_form import SKM_QUESTIONS
from sheet_templates.xlsx import build_template
from webhook.auth import sign

SECRET = "test-secret-0123456789abcdef"
FORM_ID = "1FAIpQLSfTestForm"
UNITS = ("Dinas Kependudukan dan Pencatatan Sipil", "Puskesmas Sukamaju")
OFFICER = "198503142010031002"


def write_agency_workbook(path: Path) -> Path:
    """A Kinerja template with two employees (one unit) and one extra service unit."""
    employees = [
        {"nip": OFFICER, "name": "Sri Lestari", "asn_type": "PNS", "rank": "III/b", "position": "Verifikator",
         "unit": UNITS[0], "supervisor_nip": None, "active": "Ya"},
    ]
    service_units = [{"service_unit": UNITS[1], "period": "2026-03", "population": 400}]
    build_template(path, settings={"org_name": "Dinas Contoh", "year": 2026},
                   data={"employees": employees, "service_units": service_units})
    return path


def write_config(directory: Path, workbook: Path, extra: str = "") -> Path:
    """kinerja.toml with one source ("contoh") listing FORM_ID."""
    path = directory / "kinerja.toml"
    path.write_text(
        '[pemda]\nname = "Kabupaten Contoh"\ntimezone = "Asia/Jakarta"\n\n'
        f'[[sources]]\nname = "contoh"\nlocation = "{workbook.name}"\nforms = ["{FORM_ID}"]\n' + extra,
        encoding="utf-8")
    return path


def payload(response_id: str = "2_ABaOnudTest1", **changes: Any) -> dict[str, Any]:
    """A valid submission of design.md §5, with `changes` applied (None deletes a key)."""
    body: dict[str, Any] = {
        "form_id": FORM_ID, "response_id": response_id, "submitted_at": "2026-03-14T09:21:05Z",
        "unit": UNITS[0], "service": "Akta Kelahiran", "officer_nip": OFFICER,
        "answers": {q.title: q.options[2] for q in SKM_QUESTIONS},
        "profile": {"jenis_kelamin": "P", "usia": 34, "pendidikan": "SMA", "pekerjaan": "WIRAUSAHA"},
        "suggestion": "Antrian lebih cepat",
    }
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def signed_headers(body: bytes, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Content type, timestamp and signature as the Apps Script sends them."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {"Content-Type": "application/json", "X-Kinerja-Timestamp": ts,
            "X-Kinerja-Signature": sign(secret, ts, body)}


def encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


