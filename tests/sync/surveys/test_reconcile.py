"""Reconciling with the form's exported responses: what the webhook missed, added once."""

from __future__ import annotations

import csv
import datetime as dt
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from sheet_templates.skm_form import SKM_QUESTIONS
from sync.cli import cli
from sync.config import load_config
from sync.surveys.mapping import PayloadError
from sync.surveys.reconcile import parse_time, reconcile
from tests.webhook.helpers import OFFICER, UNITS, encode, payload, signed_headers

HEADER = ["Timestamp", "Email Address", "Unit Layanan", "Jenis Layanan", "NIP Petugas",
          *(q.title for q in SKM_QUESTIONS), "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan", "Saran"]


def row(when: str, unit: str = UNITS[0], score: int = 3, suggestion: str = "Antrian lebih cepat") -> list:
    answers = [q.options[score - 1] for q in SKM_QUESTIONS]
    return [when, "warga@example.com", unit, "Akta Kelahiran", OFFICER, *answers,
            "Perempuan", "34", "SMA", "WIRAUSAHA", suggestion]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


@pytest.fixture
def webhook_rows(client):
    """Two answers that did arrive through the webhook (Forms keeps milliseconds)."""
    for rid, when in (("2_A", "2026-03-14T09:21:05.812Z"), ("2_B", "2026-03-14T09:30:00.100Z")):
        body = encode(payload(rid, submitted_at=when))
        assert client.post("/forms/skm", data=body, headers=signed_headers(body)).status_code == 201


def survei_ids(path) -> list[str]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Survei").to_python()
    return [r[0] for r in rows[1:]]


def test_reconcile_adds_only_what_the_webhook_missed(webhook_rows, store, config_path, workbook, tmp_path):
    responses = write_csv(tmp_path / "jawaban.csv", [
        row("2026/03/14 4:21:05 PM GMT+7"),  # = 2_A
        row("2026/03/14 4:30:00 PM GMT+7"),  # = 2_B
        row("2026/03/14 5:00:00 PM GMT+7", score=4),  # missed
        row("2026/03/14 5:00:00 PM GMT+7", score=4),  # missed: another citizen, same answers, same second
        row("2026/03/14 5:10:00 PM GMT+7", unit="Dinas Perikanan"),  # not a unit of the workbook
        [""] * len(HEADER),
    ])
    result = reconcile(store, load_config(config_path), "contoh", responses)
    assert (result.rows, result.added, result.already_stored) == (5, 2, 2)
    assert result.ignored_columns == ["Email Address"]
    assert len(result.errors) == 1 and result.errors[0][0] == 6 and "Dinas Perikanan" in result.errors[0][1]
    assert result.flushed.appended == 4
    ids = survei_ids(workbook)
    assert ids[:2] == ["2_A", "2_B"] and ids[2].startswith("rekon-") and ids[3] == ids[2] + "-2"
    missed = store.get(ids[2])
    assert missed.origin == "reconcile" and missed.mapped["u1"] == 4
    assert missed.submitted_at == dt.datetime(2026, 3, 14, 10, 0)  # UTC

    again = reconcile(store, load_config(config_path), "contoh", responses)
    assert (again.added, again.already_stored, again.flushed.appended) == (0, 4, 0)
    assert store.count() == 4 and survei_ids(workbook) == ids


def test_an_xlsx_export_in_local_time(webhook_rows, store, config_path, workbook, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Stempel waktu", *HEADER[1:]])
    local = dt.datetime(2026, 3, 14, 16, 21, 5)  # WIB, as the linked response sheet shows it
    ws.append([local, *row("")[1:]])
    ws.append([local + dt.timedelta(hours=1), *row("")[1:]])
    wb.save(tmp_path / "jawaban.xlsx")
    result = reconcile(store, load_config(config_path), "contoh", tmp_path / "jawaban.xlsx", flush=False)
    assert (result.added, result.already_stored, result.errors) == (1, 1, [])


def test_reconcile_cli(webhook_rows, store, config_path, workbook, tmp_path, monkeypatch):
    responses = write_csv(tmp_path / "jawaban.csv", [row("14/03/2026 17.00.00", score=2)])
    monkeypatch.setenv("KINERJA_DATABASE_URL", store.url)
    result = CliRunner().invoke(cli, ["surveys", "reconcile", "contoh", "--config", str(config_path),
                                          "--responses", str(responses)])
    assert result.exit_code == 0, result.output
    assert "contoh: 1 baris dibaca, 1 jawaban baru disimpan, 0 sudah ada." in result.output
    assert "Kolom diabaikan: Email Address" in result.output
    assert "contoh: 3 jawaban ditambahkan ke tab Survei." in result.output


def test_reconcile_cli_unknown_source(config_path, tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_DATABASE_URL", f"sqlite:///{tmp_path / 's.db'}")
    responses = write_csv(tmp_path / "jawaban.csv", [])
    result = CliRunner().invoke(cli, ["surveys", "reconcile", "dinas", "--config", str(config_path),
                                          "--responses", str(responses)])
    assert result.exit_code == 1 and "Sumber 'dinas' tidak ada" in result.output


JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(("text", "day_first", "expected"), [
    ("2026/03/14 4:21:05 PM GMT+7", True, dt.datetime(2026, 3, 14, 9, 21, 5)),
    ("2026/03/14 12:05:00 AM GMT+8", True, dt.datetime(2026, 3, 13, 16, 5, 0)),
    ("2026/03/14 9:00:00", True, dt.datetime(2026, 3, 14, 2, 0, 0)),
    ("14/03/2026 16.21.05", True, dt.datetime(2026, 3, 14, 9, 21, 5)),
    ("03/04/2026 08:00:00", True, dt.datetime(2026, 4, 3, 1, 0)),
    ("03/04/2026 08:00:00", False, dt.datetime(2026, 3, 4, 1, 0)),
    ("3/14/2026 16:21:05", True, dt.datetime(2026, 3, 14, 9, 21, 5)),  # unambiguous either way
    ("2026-03-14T16:21:05", True, dt.datetime(2026, 3, 14, 9, 21, 5)),
    (dt.datetime(2026, 3, 14, 16, 21, 5), True, dt.datetime(2026, 3, 14, 9, 21, 5)),
])
def test_response_times_as_exported(text, day_first, expected):
    assert parse_time(text, JAKARTA, day_first) == expected.replace(tzinfo=dt.UTC)


def test_an_unreadable_time_is_a_row_error():
    with pytest.raises(PayloadError, match="tidak dikenali"):
        parse_time("kemarin sore", JAKARTA)


def test_reconcile_cli_keeps_the_answers_when_the_workbook_is_busy(store, config_path, workbook, tmp_path,
                                                                  monkeypatch):
    from sync import claims, database  # noqa: F401 - claims declares its table
    from sync.claims import SourceClaims

    engine = database.make_engine(store.url)
    database.create_schema(engine)
    SourceClaims(engine, "mesin-a:41 (run)").claim("contoh")
    responses = write_csv(tmp_path / "jawaban.csv", [row("14/03/2026 17.00.00")])
    monkeypatch.setenv("KINERJA_DATABASE_URL", store.url)
    result = CliRunner().invoke(cli, ["surveys", "reconcile", "contoh", "--config", str(config_path),
                                          "--responses", str(responses), "--wait", "0"])
    assert result.exit_code == 0, result.output
    assert "1 jawaban baru disimpan" in result.output
    assert "contoh: dilewati, workbook sedang diproses oleh mesin-a:41 (run)" in result.output
    assert store.pending_sources() == {"contoh": 1} and survei_ids(workbook) == []
    engine.dispose()


def test_reconcile_cli_fails_when_the_flush_fails(store, config_path, workbook, tmp_path, monkeypatch):
    responses = write_csv(tmp_path / "jawaban.csv", [row("14/03/2026 17.00.00")])
    monkeypatch.setenv("KINERJA_DATABASE_URL", store.url)
    from sync.sources.excel.source import ExcelSource

    def refuse(self, *args, **kwargs):
        from sync.errors import SyncError

        raise SyncError("Workbook contoh.xlsx berubah setelah dibaca; tidak ditulis.")

    monkeypatch.setattr(ExcelSource, "append_rows", refuse)
    result = CliRunner().invoke(cli, ["surveys", "reconcile", "contoh", "--config", str(config_path),
                                          "--responses", str(responses)])
    assert result.exit_code == 1
    assert "contoh: GAGAL, Workbook contoh.xlsx berubah setelah dibaca" in result.output
    assert store.pending_sources() == {"contoh": 1}  # stored, written by the next flush
