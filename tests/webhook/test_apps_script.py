"""The Apps Script under Node.js: what it signs and sends is exactly what the webhook accepts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sheet_templates.skm_form import FIELD_QUESTIONS, SKM_QUESTIONS
from sync.surveys.mapping import title_key
from tests.webhook.helpers import FORM_ID, OFFICER, SECRET, UNITS
from webhook.auth import sign

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "sheet_templates" / "apps_script" / "kinerja_skm.gs"
HARNESS = Path(__file__).with_name("apps_script_harness.js")
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")

PROPERTIES = {"KINERJA_URL": "https://kinerja.contoh.go.id/forms/skm", "KINERJA_SECRET": SECRET}
SUGGESTION = "Petugas ramah 👍 — tapi antre lama; \"=1+1\""


def items(score: int = 3) -> list:
    return [["Unit Layanan", UNITS[0]], ["Jenis Layanan", "Akta Kelahiran"], ["NIP Petugas", OFFICER],
            *[[q.title, q.options[score - 1]] for q in SKM_QUESTIONS],
            ["Jenis Kelamin", "Perempuan"], ["Usia", "34"], ["Pendidikan", "SMA"], ["Pekerjaan", "PNS"],
            ["Saran dan masukan", SUGGESTION]]


def run(tmp_path, codes=(201,), call="onFormSubmit", properties=PROPERTIES, response_items=None) -> dict:
    scenario = {
        "call": call, "codes": list(codes), "properties": properties,
        "publishedUrl": f"https://docs.google.com/forms/d/e/{FORM_ID}/viewform",
        "response": {"id": "2_ABaOnudNode", "timestamp": "2026-03-14T09:21:05.123Z",
                     "items": response_items or items()},
    }
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    done = subprocess.run([NODE, str(HARNESS), str(SCRIPT), str(path)], capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(done.stdout)


def forward(client, call: dict):
    """Post exactly the bytes and headers the script sent."""
    options = call["options"]
    return client.post("/forms/skm", data=options["payload"].encode("utf-8"),
                       headers={**options["headers"], "Content-Type": options["contentType"]})


def test_the_webhook_accepts_exactly_what_the_script_sends(tmp_path, client, store):
    out = run(tmp_path)
    assert out["error"] is None and out["result"] == 201
    (call,) = out["calls"]
    options = call["options"]
    assert call["url"] == PROPERTIES["KINERJA_URL"]
    assert (options["method"], options["contentType"]) == ("post", "application/json")
    assert options["muteHttpExceptions"] is True
    body = options["payload"]
    assert body.isascii()  # non-ASCII travels as \u escapes: the signed bytes are the sent bytes
    timestamp = options["headers"]["X-Kinerja-Timestamp"]
    assert options["headers"]["X-Kinerja-Signature"] == sign(SECRET, timestamp, body.encode())
    sent = json.loads(body)
    assert sent["form_id"] == FORM_ID and sent["submitted_at"] == "2026-03-14T09:21:05.123Z"
    assert sent["profile"] == {"jenis_kelamin": "Perempuan", "usia": "34", "pendidikan": "SMA",
                               "pekerjaan": "PNS"}
    assert len(sent["answers"]) == 9 and sent["suggestion"] == SUGGESTION

    reply = forward(client, call)
    assert reply.status_code == 201, reply.json
    stored = store.get("2_ABaOnudNode")
    assert stored.mapped["suggestion"] == SUGGESTION and stored.mapped["officer_nip"] == OFFICER
    assert [stored.mapped[f"u{i}"] for i in range(1, 10)] == [3] * 9
    assert forward(client, call).status_code == 200  # a resend is a duplicate


def test_it_retries_with_exponential_backoff_and_fresh_signatures(tmp_path, client):
    out = run(tmp_path, codes=(503, "throw", 429, 201))
    assert out["error"] is None and out["result"] == 201
    assert len(out["calls"]) == 4
    assert [s // 1000 for s in out["sleeps"]] == [1, 2, 4] and all(s % 1000 < 250 for s in out["sleeps"])
    bodies = {c["options"]["payload"] for c in out["calls"]}
    assert len(bodies) == 1  # the same answer each time
    last = out["calls"][-1]
    assert forward(client, last).status_code == 201  # each attempt is signed on its own


def test_it_gives_up_after_five_attempts_and_fails_loudly(tmp_path):
    out = run(tmp_path, codes=(500,) * 5)
    assert len(out["calls"]) == 5 and len(out["sleeps"]) == 4
    assert "gagal dikirim ke Kinerja: 500" in out["error"]


def test_a_client_error_is_not_retried(tmp_path):
    out = run(tmp_path, codes=(400,))
    assert len(out["calls"]) == 1 and out["sleeps"] == []
    assert "gagal dikirim" in out["error"]


def test_missing_script_properties_are_named(tmp_path):
    out = run(tmp_path, properties={})
    assert out["calls"] == [] and "KINERJA_URL dan KINERJA_SECRET belum diisi" in out["error"]


def test_the_test_function_is_a_dry_run(tmp_path, client, store):
    out = run(tmp_path, codes=(200,), call="ujiKinerja")
    assert out["error"] is None
    sent = json.loads(out["calls"][0]["options"]["payload"])
    assert sent["dry_run"] is True and sent["response_id"].startswith("uji-")
    reply = forward(client, out["calls"][0])
    assert (reply.status_code, reply.json["dry_run"]) == (200, True)
    assert store.count() == 0


def test_the_script_knows_the_same_field_titles_as_the_form(tmp_path):
    out = run(tmp_path)
    in_script = {title_key(t): key for table in (out["fields"], out["profile"])
                 for key, titles in table.items() for t in titles}
    in_form = {title_key(t): q.key for q in FIELD_QUESTIONS for t in (q.title, *q.aliases)}
    assert in_script == in_form


def test_a_form_without_a_unit_question_uses_the_script_property(tmp_path, client):
    without_unit = [i for i in items() if i[0] != "Unit Layanan"]
    out = run(tmp_path, properties={**PROPERTIES, "KINERJA_UNIT": UNITS[1]}, response_items=without_unit)
    assert json.loads(out["calls"][0]["options"]["payload"])["unit"] == UNITS[1]
    assert forward(client, out["calls"][0]).status_code == 201
