"""The run history: what is recorded, unchanged sources skipped, --force, and `kinerja history`."""

from __future__ import annotations

import openpyxl
import pytest
import sqlalchemy as sa
from python_calamine import CalamineWorkbook

from sync import database
from sync.run import history
from tests.sync.run.helpers import invoke, write_agency, write_config


@pytest.fixture
def two_agencies(tmp_path):
    write_agency(tmp_path / "dinkes.xlsx", seed=41, units=2, per_unit=4)
    write_agency(tmp_path / "disdik.xlsx", seed=42, units=1, per_unit=5)
    return write_config(tmp_path, {"dinkes": "dinkes.xlsx", "disdik": "disdik.xlsx"})


def runs_of(url: str) -> list[history.RunRecord]:
    engine = database.make_engine(url)
    try:
        return list(reversed(history.recent_runs(engine, limit=1000)))
    finally:
        engine.dispose()


def outcomes(runs: list[history.RunRecord]) -> list[tuple[str, str]]:
    return [(r.source, r.outcome) for r in runs]


def test_a_run_records_each_source_and_its_results(tmp_path, two_agencies, db_url):
    result = invoke("run", "--config", str(two_agencies), "--database", db_url)
    assert result.exit_code == 0, result.output
    runs = runs_of(db_url)
    assert outcomes(runs) == [("dinkes", "ok"), ("disdik", "ok"), ("@rekap", "ok")]
    dinkes = runs[0]
    assert dinkes.agency == "Dinas Dinkes" and dinkes.periods == ["2026-01", "2026-02", "2026-03"]
    # The demo data has staff who skipped a month: those months are Peringatan, nothing else is.
    validation = CalamineWorkbook.from_path(dinkes.location).get_sheet_by_name("Validasi").to_python()[2:]
    assert dinkes.errors == 0 and dinkes.warnings == len(validation) and dinkes.rows_read > 100
    assert all(row[0] == "Peringatan" and "belum ada; capaian" in row[6] for row in validation)
    assert len(dinkes.revision) == 64 and len(dinkes.input_hash) == 64 and dinkes.seconds > 0
    assert dinkes.started_at <= dinkes.finished_at
    engine = database.make_engine(db_url)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(history.period_results.c.source, sa.func.count())
                              .group_by(history.period_results.c.source)).all()
        summary_units = conn.execute(sa.select(history.period_summaries.c.unit).where(
            history.period_summaries.c.source == "dinkes", history.period_summaries.c.period == "2026-03")
        ).scalars().all()
    engine.dispose()
    assert dict(stored) == {"dinkes": 8 * 3, "disdik": 5 * 3}  # employees × periods
    assert sorted(summary_units)[0] == history.AGENCY_UNIT and len(summary_units) == 3


def test_unchanged_input_is_skipped_force_reruns_and_a_change_reruns_only_that_source(
        tmp_path, two_agencies, db_url):
    assert invoke("run", "--config", str(two_agencies), "--database", db_url).exit_code == 0
    before = (tmp_path / "dinkes.xlsx").read_bytes()

    again = invoke("run", "--config", str(two_agencies), "--database", db_url)
    assert again.exit_code == 0
    assert outcomes(runs_of(db_url)[3:]) == [("dinkes", "unchanged"), ("disdik", "unchanged"),
                                             ("@rekap", "unchanged")]
    assert (tmp_path / "dinkes.xlsx").read_bytes() == before  # not written again
    assert "Dilewati: tidak berubah" in again.stderr

    forced = invoke("run", "--config", str(two_agencies), "--database", db_url, "--force")
    assert forced.exit_code == 0
    assert outcomes(runs_of(db_url)[6:]) == [("dinkes", "ok"), ("disdik", "ok"), ("@rekap", "ok")]

    book = openpyxl.load_workbook(tmp_path / "disdik.xlsx")
    book["Realisasi"]["C2"] = float(book["Realisasi"]["C2"].value or 0) + 7
    book.save(tmp_path / "disdik.xlsx")
    changed = invoke("run", "--config", str(two_agencies), "--database", db_url)
    assert outcomes(runs_of(db_url)[9:]) == [("dinkes", "unchanged"), ("disdik", "ok"), ("@rekap", "ok")]
    assert changed.exit_code == 0

    period = invoke("run", "--config", str(two_agencies), "--database", db_url, "--period", "2026-02")
    assert period.exit_code == 0
    assert outcomes(runs_of(db_url)[12:14]) == [("dinkes", "ok"), ("disdik", "ok")]  # other options


def test_kinerja_history_prints_the_recent_runs(tmp_path, two_agencies):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    assert invoke("history", "--database", url).output == "Belum ada jalankan tercatat.\n"
    invoke("run", "--config", str(two_agencies), "--database", url)
    invoke("run", "--config", str(two_agencies), "--database", url)

    lines = invoke("history", "--database", url).output.splitlines()
    assert lines[0].split() == ["No", "Mulai", "Sumber", "Hasil", "Galat", "Peringatan", "Baris", "Durasi",
                                "Revisi", "Pekerja", "Pesan"]
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) == 2 + 6
    assert lines[2].split()[0] == "6" and "@rekap" in lines[2] and "Dilewati: tidak berubah" in lines[2]
    assert "dinkes" in lines[-1] and "Berhasil" in lines[-1]

    only = invoke("history", "dinkes", "--limit", "1", "--database", url).output.splitlines()
    assert len(only) == 3 and "dinkes" in only[2] and "sama dengan jalankan #1" in only[2]


def test_a_database_that_cannot_be_opened_is_one_plain_line(tmp_path):
    result = invoke("history", "--database", "postgresql://nobody:secret@127.0.0.1:1/none")
    assert result.exit_code == 1
    assert result.output.startswith("Galat: Basis data postgresql+psycopg://nobody:***@127.0.0.1:1/none")
    assert "secret" not in result.output and "Traceback" not in result.output
