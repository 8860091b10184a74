"""Two `kinerja run` processes started at once on one store: each source processed once, no write overlaps."""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sync import database
from sync.run import history
from tests.sync.run.helpers import write_agency, write_config

ROOT = Path(__file__).resolve().parents[3]
AGENCIES = 6


@pytest.fixture
def pemda(tmp_path):
    for i in range(AGENCIES):
        write_agency(tmp_path / f"opd{i}.xlsx", seed=60 + i, units=1 + i % 2, per_unit=3)
    return write_config(tmp_path, {f"opd{i}": f"opd{i}.xlsx" for i in range(AGENCIES)})


def start_worker(config: Path, url: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "KINERJA_TEST_WRITE_LOG": str(log), "KINERJA_TEST_WRITE_DELAY": "0.3",
           "PYTHONPATH": str(ROOT)}
    env.pop("KINERJA_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "tests.sync.run.worker_main", "run",
                             "--config", str(config), "--database", url], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def overlaps(intervals: list[tuple[float, float]]) -> bool:
    ordered = sorted(intervals)
    return any(later[0] < earlier[1] for earlier, later in zip(ordered, ordered[1:], strict=False))


def test_two_runs_started_at_once_process_each_source_once(tmp_path, pemda, db_url):
    log = tmp_path / "writes.jsonl"
    workers = [start_worker(pemda, db_url, log) for _ in range(2)]
    outputs = [w.communicate(timeout=300) for w in workers]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, out + err

    engine = database.make_engine(db_url)
    runs = history.recent_runs(engine, limit=1000)
    engine.dispose()
    by_source = collections.defaultdict(list)
    for run in runs:
        by_source[run.source].append(run)
    for i in range(AGENCIES):
        records = by_source[f"opd{i}"]
        assert len(records) == 2  # one record per worker
        assert sorted(r.outcome for r in records if r.outcome in history.PROCESSED) == ["ok"], records
        assert {r.outcome for r in records} <= {"ok", "busy", "done"}

    writes = collections.defaultdict(list)
    for line in log.read_text().splitlines():
        entry = json.loads(line)
        writes[entry["path"]].append((entry["start"], entry["end"]))
    for i in range(AGENCIES):
        assert len(writes[str(tmp_path / f"opd{i}.xlsx")]) == 1
    recap = writes[str(tmp_path / "rekap.xlsx")]
    assert 1 <= len(recap) <= 2 and not overlaps(recap)
