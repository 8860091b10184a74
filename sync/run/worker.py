"""An Excel source's work in a `kinerja run --jobs` worker process: read, hash, evaluate, build.

A module of its own so that a worker imports only what this work needs (the
pipeline, the Excel source, the fingerprints): not SQLAlchemy, the claims or
the run history, which the command's process alone uses. Spawning a worker
then costs a third less, and every worker is spawned at each run.

What goes back to the command's process is what it writes and records (the
new file's bytes, the counts, the period results), not the validated input
frames: pickling those cost as much as the results themselves and the
command's process never reads them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import importlib
from dataclasses import dataclass

import pandas as pd

from sync import pipeline
from sync.memory import keep_freed_heap
from sync.pipeline import INPUT_TAB_KEYS
from sync.run.fingerprint import config_hash, input_hash, requested_periods, rows_read
from sync.run.processes import LATER_IMPORTS
from sync.sources.excel.source import ExcelSource


@dataclass
class ExcelEvaluation:
    """What a worker process did with an Excel source (`evaluate_excel`)."""

    revision: str
    size: int
    input_hash: str
    rows_read: int
    config_hash: str
    unchanged: bool = False
    data: bytes | None = None  # the new file, to write
    report: pipeline.RunReport | None = None  # as `slim_report` leaves it
    problem: str | None = None  # as `pipeline.Evaluation.problem`


def evaluate_excel(path: str, location: str, periods: tuple[str, ...], now: dt.datetime,
                   last: tuple[str, str] | None) -> ExcelEvaluation:
    """In a worker process: read the workbook at `path`, and unless its (input, config) hashes are
    `last`, evaluate it and build the new file; nothing is written."""
    # One thread reading tabs: the workers already keep every core busy, and a second thread's
    # reader would parse the workbook again (2-5 % of an agency's CPU time).
    source = ExcelSource(path, read_threads=1)
    raw = source.read(INPUT_TAB_KEYS)
    done = ExcelEvaluation(raw.revision, source.size, input_hash(raw), rows_read(raw),
                           config_hash(location, requested_periods(raw, periods)))
    if last is not None and (done.input_hash, done.config_hash) == last:
        done.unchanged = True
        return done
    evaluation = pipeline.evaluate(raw, source.location, list(periods) or None, now=now)
    del raw  # the workbook's cells are not needed to build the file (the source keeps its bytes)
    done.data = source.build(evaluation.tabs)
    done.report, done.problem = slim_report(evaluation.report), evaluation.problem
    return done


def slim_report(report: pipeline.RunReport) -> pipeline.RunReport:
    """`report` with only what the runner records: the issues (Galat/Peringatan counts), the settings
    (Nama Instansi, year), the periods, the TPP summary and the result frames `history.save_results`
    stores (results, units, agency). The validated frames and the indicator/IKM results stay here."""
    checked = dataclasses.replace(report.checked, frames={}, rejected_rows=None, extra_employees=None)
    results = report.results
    if results is not None:
        results = dataclasses.replace(results, indicators=pd.DataFrame(), ikm=pd.DataFrame())
    return dataclasses.replace(report, checked=checked, results=results)


def warm_up() -> None:
    """A worker's first task (`ProcessPoolExecutor` initializer): the imports of a first agency,
    then every object the imports made frozen out of the garbage collector's reach: they live as
    long as the worker, and each agency's allocations would otherwise have them walked again.
    The C heap keeps what an agency freed for the next one (`keep_freed_heap`)."""
    keep_freed_heap()
    for name in LATER_IMPORTS:
        try:
            importlib.import_module(name)
        except ImportError:  # a module renamed since: only the head start is lost
            pass
    gc.freeze()
