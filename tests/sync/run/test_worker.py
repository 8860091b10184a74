"""A `kinerja run --jobs` worker's evaluation of an Excel source: what it sends back."""

import datetime as dt
import pickle

from sync.run.fingerprint import config_hash
from sync.run.worker import ExcelEvaluation, evaluate_excel, warm_up
from tests.sync.run.helpers import write_agency


def test_a_worker_sends_back_the_file_and_what_is_recorded_not_the_input_frames(tmp_path):
    path = write_agency(tmp_path / "dinkes.xlsx", seed=3)
    warm_up()
    done = evaluate_excel(str(path), "dinkes.xlsx", (), dt.datetime(2026, 3, 1), None)
    assert isinstance(done, ExcelEvaluation) and not done.unchanged and done.problem is None
    assert done.data.startswith(b"PK") and done.rows_read > 0
    checked = done.report.checked
    assert checked.frames == {} and checked.settings["org_name"] == "Dinas Dinkes"
    assert checked.errors == 0 and checked.warnings == len([i for i in checked.issues if i.level != "error"])
    results = done.report.results
    assert len(results.results) and len(results.units) and len(results.agency)
    assert results.indicators.empty and results.ikm.empty
    assert pickle.loads(pickle.dumps(done)).input_hash == done.input_hash

    again = evaluate_excel(str(path), "dinkes.xlsx", (), dt.datetime(2026, 3, 1),
                           (done.input_hash, config_hash("dinkes.xlsx", ())))
    assert again.unchanged and again.data is None and again.report is None


def test_a_worker_reads_its_tabs_with_one_reader(tmp_path, monkeypatch):
    """The workers keep every core busy already: a second reading thread would only parse the
    workbook again for its own reader."""
    from sync.sources.excel import columns

    path = write_agency(tmp_path / "dinkes.xlsx", seed=3)
    opened = []
    real = columns.open_reader
    monkeypatch.setattr(columns, "open_reader", lambda data: opened.append(1) or real(data))
    done = evaluate_excel(str(path), "dinkes.xlsx", (), dt.datetime(2026, 3, 1), None)
    assert done.problem is None and done.rows_read > 0
    assert len(opened) == 1


def test_a_worker_keeps_the_heap_one_agency_freed_for_the_next(monkeypatch):
    from sync.run import worker

    kept = []
    monkeypatch.setattr(worker, "keep_freed_heap", lambda: kept.append(1) or True)
    worker.warm_up()
    assert kept == [1]
