"""`kinerja run`: every source of the Pemda's config, each run recorded, then the master recap.

Per source, in config order (or a few at a time with `jobs`):

1. claim it in the database (`claims`); a source claimed by a live worker is
   skipped ("sedang diproses oleh pekerja lain");
2. skip it when another worker's run of it finished processing after this run
   started: two `kinerja run` started together process each source once;
3. read it once; skip it when its input tabs and the options (periods, Kinerja
   version) are the same as at its last successful run, unless forced;
4. validate, score and write its result tabs (`pipeline.score`), checking the
   claim is still ours just before the write;
5. record the run, replace its stored period results and release the claim,
   in one transaction, so a second worker sees either the claim or the record.

A source that fails is recorded with its message and the run goes on; the
caller reports the failures at the end.

With `jobs` above 1 sources go side by side in threads; an Excel source is
then read, validated, scored and its new file built in a worker process
(`sync.run.worker.evaluate_excel`: the work holds the GIL, so threads alone
would share one core), while claiming, the write itself and recording stay
here.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
import zoneinfo
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field

import sqlalchemy as sa

import scoring
from scoring import ScoringError
from sync import pipeline
from sync.claims import DEFAULT_LEASE, Claim, SourceClaims
from sync.config import Config, SourceConfig
from sync.database import db_now
from sync.errors import SyncError, WorkbookInvalid, WorkbookLocked
from sync.pipeline import INPUT_TAB_KEYS
from sync.run.fingerprint import config_hash, input_hash, requested_periods, rows_read  # noqa: E402,F401
from sync.run.history import (
    BUSY,
    DONE,
    FAILED,
    LOCKED,
    OK,
    UNCHANGED,
    RunRecord,
    last_success,
    processed_since,
    record_run,
    save_results,
)
from sync.run.processes import stop_fork_server, worker_context
from sync.run.worker import ExcelEvaluation, evaluate_excel, warm_up  # noqa: F401 (ExcelEvaluation: API)
from sync.sources import Source
from sync.sources.excel.source import ExcelSource

log = logging.getLogger(__name__)
Opener = Callable[[str], Source]


@dataclass(frozen=True)
class RunOptions:
    """How a run behaves (the command's options)."""

    force: bool = False  # rerun sources whose input has not changed
    periods: tuple[str, ...] = ()  # score only these periods; () = every period with data
    jobs: int = 1  # sources processed at once (threads sharing the Sheets quota; Excel work in processes)
    lease: dt.timedelta = DEFAULT_LEASE
    recap_wait: float = 600.0  # seconds to wait for another worker writing the recap
    trend_periods: int = 6


@dataclass
class RunSummary:
    """What one `kinerja run` did: a record per source, and the recap's."""

    batch: str
    runs: list[RunRecord] = field(default_factory=list)
    recap: RunRecord | None = None

    @property
    def failed(self) -> list[RunRecord]:
        return [r for r in (*self.runs, self.recap) if r is not None and r.outcome == FAILED]


@dataclass
class RunContext:
    """What every step of one run shares."""

    config: Config
    engine: sa.Engine
    opener: Opener
    options: RunOptions
    worker: str
    batch: str
    claims: SourceClaims
    started: dt.datetime  # by the database's clock
    excel_workers: Executor | None = None  # while sources run side by side: where Excel work goes
    closing: threading.Thread | None = None  # the worker processes ending (`close_workers`)

    def local_now(self) -> dt.datetime:
        """Now in the Pemda's time zone, naive (as written in the Validasi tab)."""
        return dt.datetime.now(zoneinfo.ZoneInfo(self.config.timezone)).replace(tzinfo=None)

    def new_record(self, source: str, location: str) -> RunRecord:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        return RunRecord(self.batch, source, location, started_at=now, finished_at=now, outcome=FAILED)

    def finish(self, run: RunRecord, outcome: str, started: float, claim: Claim | None = None,
               message: str | None = None, results: scoring.Results | None = None,
               year: int | None = None, pay=None) -> RunRecord:
        """Record `run` (with its results, and `pay`: the TPP and discipline summary) and release
        `claim`, in one transaction."""
        run.outcome, run.message = outcome, message
        run.seconds = round(time.perf_counter() - started, 3)
        with self.engine.begin() as conn:
            run.finished_at = db_now(conn)
            run.started_at = run.finished_at - dt.timedelta(seconds=run.seconds)
            run_id = record_run(conn, run)
            if results is not None:
                save_results(conn, run_id, run.source, year, run.periods if self.options.periods else None,
                             results, pay)
            if claim is not None:
                self.claims.release(claim, conn)
        return run


def start(config: Config, engine: sa.Engine, opener: Opener, options: RunOptions | None = None,
          worker: str | None = None) -> RunContext:
    """A run's context: who we are and when we started, by the database's clock."""
    options = options or RunOptions()
    worker = worker or f"{socket.gethostname()}:{os.getpid()}"
    with engine.begin() as conn:
        started = db_now(conn)
    return RunContext(config, engine, opener, options, worker, f"{worker}:{uuid.uuid4().hex[:8]}"[-64:],
                      SourceClaims(engine, worker, options.lease), started)


def run_sources(ctx: RunContext, on_start: Callable[[SourceConfig], None] | None = None,
                on_done: Callable[[RunRecord], None] | None = None) -> list[RunRecord]:
    """Every source of the config; the records in config order. Callbacks may come from threads.

    With `jobs` above 1 the worker processes are still ending when this returns: call
    `close_workers(ctx)` once the rest of the work is done (the CLI does, after the recap)."""

    def one(source: SourceConfig) -> RunRecord:
        if on_start:
            on_start(source)
        record = run_source(ctx, source)
        if on_done:
            on_done(record)
        return record

    if ctx.options.jobs <= 1:
        return [one(s) for s in ctx.config.sources]
    close_workers(ctx)  # a run before this one on the same context: its fork server must be gone first
    context = worker_context()
    workers = ProcessPoolExecutor(max_workers=ctx.options.jobs, initializer=warm_up, mp_context=context)
    try:
        ctx.excel_workers = workers
        # One thread per worker: a second one each, so that a worker has its next source queued while
        # its last one is written and recorded here, gained nothing measurable on 2 cores (that work
        # needs a core too) and would count the wait in the queue in each run's recorded seconds.
        with ThreadPoolExecutor(max_workers=ctx.options.jobs, thread_name_prefix="kinerja-run") as pool:
            return list(pool.map(one, ctx.config.sources))
    finally:
        ctx.excel_workers = None
        # The workers and then their fork server end (a few tenths of a second of interpreters
        # finalising) while this process goes on with the recap; `close_workers` waits for them.
        ctx.closing = threading.Thread(target=_close, args=(workers, context), name="kinerja-close")
        ctx.closing.start()


def _close(workers: ProcessPoolExecutor, context) -> None:
    workers.shutdown(cancel_futures=True)  # every worker has exited and been reaped by the server
    stop_fork_server(context)


def close_workers(ctx: RunContext) -> None:
    """Wait until the worker processes of `run_sources` and their fork server have ended (their CPU
    time is then this process's children's). Nothing when there were none."""
    if ctx.closing is not None:
        ctx.closing.join()
        ctx.closing = None


def run_source(ctx: RunContext, source: SourceConfig) -> RunRecord:
    """Claim, check, read, score and record one source (see the module's steps)."""
    started = time.perf_counter()
    run = ctx.new_record(source.name, source.location)
    claim = ctx.claims.claim(source.name)
    if claim is None:
        holder = ctx.claims.holder(source.name) or "?"
        return ctx.finish(run, BUSY, started, message=f"sedang diproses oleh pekerja lain ({holder})")
    try:
        with ctx.claims.kept_alive(claim) as check_claim:
            with ctx.engine.connect() as conn:
                done = processed_since(conn, source.name, ctx.started, ctx.batch)
            if done is not None:
                return ctx.finish(run, DONE, started, claim, f"sudah diproses oleh pekerja lain "
                                                             f"({done.batch}) setelah putaran ini mulai")
            return _process(ctx, run, source, claim, check_claim, started)
    except BaseException:
        ctx.claims.release_quietly(claim)  # e.g. the database went away: let the lease not linger
        raise


def _process(ctx: RunContext, run: RunRecord, source_config: SourceConfig, claim: Claim,
             check_claim: Callable[[], None], started: float) -> RunRecord:
    try:
        source = ctx.opener(source_config.location)
        if ctx.excel_workers is not None and isinstance(source, ExcelSource):
            report, unchanged = _evaluate_elsewhere(ctx, run, source_config, source, check_claim)
        else:
            report, unchanged = _evaluate_here(ctx, run, source_config, source, check_claim)
        if report is None:
            return ctx.finish(run, UNCHANGED, started, claim, unchanged)
    except WorkbookLocked as exc:  # a clerk has it open: skipped this time, not a failure of the run
        return ctx.finish(run, LOCKED, started, claim, str(exc))
    except (SyncError, ScoringError) as exc:
        return ctx.finish(run, FAILED, started, claim, str(exc))
    except Exception as exc:  # a bug must not stop the other agencies' runs
        log.exception("kinerja run: %s", source_config.name)
        return ctx.finish(run, FAILED, started, claim, f"kesalahan tak terduga ({type(exc).__name__}: {exc})")
    checked = report.checked
    run.errors, run.warnings, run.periods = checked.errors, checked.warnings, list(report.periods)
    run.agency = checked.settings.get("org_name")
    return ctx.finish(run, OK, started, claim, results=report.results, year=checked.settings.get("year"),
                      pay=report.pay)


def _evaluate_here(ctx: RunContext, run: RunRecord, source_config: SourceConfig, source: Source,
                   check_claim: Callable[[], None]) -> tuple[pipeline.RunReport | None, str]:
    """`_process`'s work in this process: read, evaluate and write; the report, or (None, why) when
    the input is unchanged since its last success. Raises what `_process` catches."""
    raw = source.read(INPUT_TAB_KEYS)
    run.revision, run.input_hash, run.rows_read = raw.revision, input_hash(raw), rows_read(raw)
    run.config_hash = config_hash(source_config.location, requested_periods(raw, ctx.options.periods))
    if not ctx.options.force:
        with ctx.engine.connect() as conn:
            last = last_success(conn, source_config.name)
        if last is not None and (last.input_hash, last.config_hash) == (run.input_hash, run.config_hash):
            run.agency = last.agency
            return None, f"sama dengan jalankan #{last.id}"
    evaluation = pipeline.evaluate(raw, source.location, list(ctx.options.periods) or None,
                                   now=ctx.local_now())
    check_claim()  # our lease may have run out while we scored: then another worker owns the write
    source.write(evaluation.tabs)
    evaluation.raise_if_invalid()
    return evaluation.report, ""


def _evaluate_elsewhere(ctx: RunContext, run: RunRecord, source_config: SourceConfig, source: ExcelSource,
                        check_claim: Callable[[], None]) -> tuple[pipeline.RunReport | None, str]:
    """`_process`'s work on an Excel source, done in a worker process (`evaluate_excel`) and written
    here: the report, or (None, why) when the input is unchanged since its last success. Raises what
    `_process` catches."""
    last = None
    if not ctx.options.force:
        with ctx.engine.connect() as conn:
            last = last_success(conn, source_config.name)
    done = ctx.excel_workers.submit(
        evaluate_excel, str(source.path), source_config.location, ctx.options.periods, ctx.local_now(),
        (last.input_hash, last.config_hash) if last is not None else None).result()
    run.revision, run.input_hash, run.rows_read = done.revision, done.input_hash, done.rows_read
    run.config_hash = done.config_hash
    if done.unchanged:
        run.agency = last.agency
        return None, f"sama dengan jalankan #{last.id}"
    check_claim()  # our lease may have run out while we scored: then another worker owns the write
    source.write_built(done.data, done.revision, done.size)
    if done.problem is not None:
        raise WorkbookInvalid(done.problem)
    return done.report, ""
