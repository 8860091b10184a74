"""`kinerja serve` flushes by itself: a complaint posted to the webhook reaches `Pengaduan`
with no other command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from python_calamine import CalamineWorkbook

from sheet_templates.skm_form import SKM_QUESTIONS
from sync.surveys.schedule import FlushSchedule
from tests.pg_server import free_port
from tests.webhook.helpers import SECRET, encode, payload, signed_headers, write_config


def _pengaduan(path) -> list[list]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name("Pengaduan").to_python() if "Pengaduan" in book.sheet_names else []


def _post(port: int, data: dict) -> int:
    body = encode(data)
    request = urllib.request.Request(f"http://127.0.0.1:{port}/forms/skm", data=body,
                                     headers=signed_headers(body), method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


def _wait_up(port: int, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server did not come up")


@pytest.mark.slow
def test_a_complaint_posted_to_serve_reaches_pengaduan_within_the_interval(tmp_path, workbook):
    config = write_config(tmp_path, workbook, extra="\n[surveys]\nflush_interval = 1\n")
    port = free_port()
    env = {**os.environ, "KINERJA_WEBHOOK_SECRET": SECRET,
           "KINERJA_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-c", "from sync.cli import cli; cli()", "serve", "--config",
                             str(config), "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
                            env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        _wait_up(port, proc)
        worst = {q.title: q.options[0] for q in SKM_QUESTIONS}  # every answer the lowest: a complaint
        assert _post(port, payload("keluhan-1", answers=worst, suggestion="Petugas kasar")) == 201
        assert _post(port, payload("puas-1")) == 201  # a fair answer: no complaint
        deadline = time.monotonic() + 30
        rows = []
        while time.monotonic() < deadline:
            rows = _pengaduan(workbook)
            if len(rows) > 2:
                break
            time.sleep(0.5)
        assert [r[0] for r in rows[2:]] == ["keluhan-1"], (tmp_path / "serve.log").read_text()
        assert rows[2][7] == "Petugas kasar" and rows[2][9] == "Baru"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_the_schedule_survives_a_failing_round_and_stops():
    calls = []

    def flush_once():
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise RuntimeError("workbook tidak terbaca")

    schedule = FlushSchedule(flush_once, 0.02).start()
    deadline = time.monotonic() + 5
    while len(calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    schedule.stop(timeout=1)
    assert len(calls) >= 3  # the failure did not end it
    stopped = len(calls)
    time.sleep(0.1)
    assert len(calls) == stopped and not any(t.name == "kinerja-flush" for t in threading.enumerate())
