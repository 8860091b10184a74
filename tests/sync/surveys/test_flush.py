"""Flushing stored answers into the workbook's Survei tab: once, literally, and only when saved."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from sync import pipeline
from sync.cli import cli
from sync.config import load_config
from sync.sources import open_source
from sync.sources.excel.source import ExcelSource
from sync.surveys.flush import flush
from tests.webhook.helpers import OFFICER, UNITS, encode, payload, signed_headers

FORMULA = '=IMPORTXML("http://x","//a")'


def post(client, data):
    body = encode(data)
    response = client.post("/forms/skm", data=body, headers=signed_headers(body))
    assert response.status_code == 201, response.json
    return response


def survei(path) -> list[list]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Survei").to_python()


def parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def survei_part(package: dict[str, bytes]) -> str:
    """The worksheet part whose first cell is the Survei header."""
    return next(name for name, data in package.items()
                if name.startswith("xl/worksheets/sheet") and b"<t>ID Respons</t>" in data)


def test_flush_appends_every_answer_once_as_literal_text(client, store, config_path, workbook):
    post(client, payload("r1", suggestion=FORMULA))
    post(client, payload("r2", unit=UNITS[1], officer_nip=None, submitted_at="2026-03-15T01:00:00Z"))
    before = parts(workbook)
    results = flush(store, load_config(config_path))
    assert [(r.source, r.appended, r.already_present, r.error) for r in results] == [("contoh", 2, 0, None)]
    rows = survei(workbook)
    assert rows[1][:5] == ["r1", dt.datetime(2026, 3, 14, 16, 21, 5), UNITS[0], "Akta Kelahiran", OFFICER]
    assert rows[1][18] == FORMULA  # the Saran cell holds the text, not a formula
    assert rows[1][5:14] == [3.0] * 9 and rows[1][14:18] == ["P", 34.0, "SMA", "WIRAUSAHA"]
    assert rows[1][19] == "Formulir"
    assert str(rows[2][1]) == "2026-03-15 08:00:00"  # WIB, a real date cell
    after = parts(workbook)
    (part,) = {n for n in before if before[n] != after[n]}  # one part: the Survei sheet's
    assert part == survei_part(after) and b"<f>" not in after[part]
    assert store.pending_sources() == {}
    assert flush(store, load_config(config_path)) == []  # nothing left: nothing written
    assert parts(workbook) == after


def test_flushed_answers_are_scored(client, store, config_path, workbook):
    post(client, payload("r1"))
    flush(store, load_config(config_path))
    report = pipeline.check(open_source(str(workbook)), write=False)
    surveys_frame = report.checked.frames["surveys"]
    assert list(surveys_frame["response_id"]) == ["r1"]
    assert report.checked.errors == 0, [i.problem for i in report.checked.issues]


class _Crashing:
    """A store whose mark fails once: the write happened, the mark did not."""

    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def mark_flushed(self, ids, when):
        raise RuntimeError("crash between write and mark")


def test_a_flush_after_a_crash_between_write_and_mark_adds_nothing_twice(client, store, config_path,
                                                                          workbook):
    post(client, payload("r1"))
    post(client, payload("r2"))
    with pytest.raises(RuntimeError):
        flush(_Crashing(store), load_config(config_path))
    assert len(survei(workbook)) == 3 and store.pending_sources() == {"contoh": 2}
    post(client, payload("r3"))
    results = flush(store, load_config(config_path))
    assert (results[0].appended, results[0].already_present) == (1, 2)
    assert [r[0] for r in survei(workbook)] == ["ID Respons", "r1", "r2", "r3"]
    assert store.pending_sources() == {}


def test_a_workbook_saved_during_the_flush_is_not_overwritten(client, store, config_path, workbook):
    post(client, payload("r1"))

    class SavedMeanwhile(ExcelSource):
        def read(self, tab_names=None):
            raw = super().read(tab_names)
            with zipfile.ZipFile(self.path, "a") as zf:  # the clerk saves: the bytes change
                zf.writestr("docProps/custom-clerk.xml", "<x/>")
            return raw

    results = flush(store, load_config(config_path), opener=SavedMeanwhile)
    assert results[0].error and "berubah setelah dibaca" in results[0].error
    assert store.pending_sources() == {"contoh": 1}  # still waiting, not lost
    assert flush(store, load_config(config_path))[0].appended == 1


def test_flush_cli(client, store, config_path, workbook, monkeypatch, tmp_path):
    post(client, payload("r1"))
    monkeypatch.setenv("KINERJA_DATABASE_URL", store.url)
    result = CliRunner().invoke(cli, ["surveys", "flush", "--config", str(config_path)])
    assert result.exit_code == 0, result.output
    assert result.output == "contoh: 1 jawaban ditambahkan ke tab Survei.\n"
    result = CliRunner().invoke(cli, ["surveys", "flush", "--config", str(config_path)])
    assert result.output == "Tidak ada jawaban survei yang menunggu.\n"


def test_flush_cli_reports_a_source_missing_from_the_config(client, store, tmp_path, monkeypatch, workbook):
    post(client, payload("r1"))
    other = tmp_path / "lain.toml"
    other.write_text('[pemda]\nname = "X"\n', encoding="utf-8")
    monkeypatch.setenv("KINERJA_DATABASE_URL", store.url)
    result = CliRunner().invoke(cli, ["surveys", "flush", "--config", str(other)])
    assert result.exit_code == 1
    assert "contoh: GAGAL, Sumber 'contoh' tidak ada di lain.toml" in result.output


def test_the_template_keeps_its_validations_after_a_flush(client, store, config_path, workbook):
    post(client, payload("r1"))
    flush(store, load_config(config_path))
    after = parts(workbook)
    xml = after[survei_part(after)].decode()
    assert "<dataValidations" in xml and 'ySplit="1"' in xml


def claims_on(store, worker: str):
    from sync import claims, database  # noqa: F401 - claims declares its table
    from sync.claims import SourceClaims

    engine = database.make_engine(store.url)
    database.create_schema(engine)
    return SourceClaims(engine, worker)


def test_a_workbook_a_run_is_processing_is_skipped_and_its_answers_wait(client, store, config_path, workbook):
    post(client, payload("r1"))
    run = claims_on(store, "mesin-a:41 (run)")
    held = run.claim("contoh")
    before = parts(workbook)
    results = flush(store, load_config(config_path), claims=claims_on(store, "mesin-b:7"))
    assert [(r.appended, r.busy, r.error) for r in results] == [(0, "mesin-a:41 (run)", None)]
    assert parts(workbook) == before and store.pending_sources() == {"contoh": 1}
    run.release(held)
    mine = claims_on(store, "mesin-b:7")
    assert flush(store, load_config(config_path), claims=mine)[0].appended == 1
    assert mine.holder("contoh") is None  # the flush gave the workbook back


def test_a_flush_waits_for_a_run_that_finishes(client, store, config_path, workbook):
    import threading

    post(client, payload("r1"))
    run = claims_on(store, "run")
    held = run.claim("contoh")
    threading.Timer(0.3, run.release, args=(held,)).start()
    results = flush(store, load_config(config_path), claims=claims_on(store, "flush"), wait=10)
    assert (results[0].appended, results[0].busy) == (1, None)


def test_a_flush_that_lost_its_claim_writes_nothing(client, store, config_path, workbook, monkeypatch):
    from sync.claims import ClaimLost, SourceClaims

    post(client, payload("r1"))
    before = parts(workbook)

    def lost(self, claim, every=None):
        import contextlib

        def check():
            raise ClaimLost("Klaim atas sumber contoh habis dan mungkin diambil pekerja lain; tidak ditulis.")

        return contextlib.nullcontext(check)

    monkeypatch.setattr(SourceClaims, "kept_alive", lost)
    results = flush(store, load_config(config_path), claims=claims_on(store, "flush"))
    assert results[0].error and "tidak ditulis" in results[0].error
    assert parts(workbook) == before and store.pending_sources() == {"contoh": 1}


def test_flush_cli_skips_a_busy_workbook_without_failing(client, store, config_path, workbook, monkeypatch):
    post(client, payload("r1"))
    monkeypatch.setenv("KINERJA_DATABASE_URL", store.url)
    claims_on(store, "mesin-a:41 (run)").claim("contoh")
    result = CliRunner().invoke(cli, ["surveys", "flush", "--config", str(config_path), "--wait", "0"])
    assert result.exit_code == 0, result.output
    assert result.output == ("contoh: dilewati, workbook sedang diproses oleh mesin-a:41 (run); jawabannya "
                             "ditulis pada flush berikutnya.\n")
    assert store.pending_sources() == {"contoh": 1}


def test_a_database_error_on_one_source_does_not_stop_the_others(client, store, config_path, workbook,
                                                                 monkeypatch):
    import sqlalchemy as sa

    from sync.claims import SourceClaims

    post(client, payload("r1"))
    claims = claims_on(store, "flush")

    def locked(self, source):
        raise sa.exc.OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    monkeypatch.setattr(SourceClaims, "claim", locked)
    results = flush(store, load_config(config_path), claims=claims)
    assert results[0].error.startswith("basis data tidak dapat dipakai (OperationalError)")
    assert store.pending_sources() == {"contoh": 1}


def test_the_wait_is_one_budget_for_the_whole_flush(monkeypatch):
    """Busy workbooks with --wait 60 wait 60 s in all, not 60 s each."""
    from sync.config import Config, SourceConfig
    from sync.surveys import flush as survey_flush
    from sync.surveys.flush import flush as run_flush

    now = [100.0]
    waits = []

    class Busy:
        def wait(self, source, timeout):
            waits.append((source, timeout))
            now[0] += timeout
            return None

        def claim(self, source):  # one try, no waiting: the budget is spent
            waits.append((source, 0))
            return None

        def holder(self, source):
            return "run"

    class Pending:
        def pending_sources(self):
            return {"a": 1, "b": 1, "c": 1}

    monkeypatch.setattr(survey_flush.time, "monotonic", lambda: now[0])
    config = Config("P", sources=tuple(SourceConfig(n, f"{n}.xlsx") for n in "abc"))
    results = run_flush(Pending(), config, claims=Busy(), wait=60)
    assert waits == [("a", 60), ("b", 0), ("c", 0)]
    assert [r.busy for r in results] == ["run", "run", "run"]


def test_the_claim_is_given_back_when_the_workbook_cannot_be_opened(client, store, config_path, workbook):
    from sync.errors import WorkbookUnreadable

    post(client, payload("r1"))

    def unreadable(location):
        raise WorkbookUnreadable(f"{location} tidak dapat dibuka.")

    claims = claims_on(store, "flush")
    results = flush(store, load_config(config_path), opener=unreadable, claims=claims)
    assert "tidak dapat dibuka" in results[0].error
    assert claims.holder("contoh") is None and store.pending_sources() == {"contoh": 1}


def test_flush_cli_names_a_database_it_cannot_open(config_path, tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_DATABASE_URL", f"sqlite:///{tmp_path / 'tidak-ada' / 'kinerja.db'}")
    result = CliRunner().invoke(cli, ["surveys", "flush", "--config", str(config_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "tidak dapat dibuka (OperationalError). Periksa KINERJA_DATABASE_URL." in result.output
