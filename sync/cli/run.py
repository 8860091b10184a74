"""`kinerja run` and `kinerja history`: every agency's workbook in one go, and the record of those runs.

Registered in the `kinerja` group by sync.cli.main; the environment comes from `environment`.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sheet_templates.recap import RUN_OUTCOME_LABELS
from sync.cli import environment
from sync.config import load_config
from sync.run import processes

# SQLAlchemy, the runner and the run history are imported when a command runs, not with this
# module: `kinerja run` first starts its worker processes' fork server (issue 17).
if TYPE_CHECKING:
    import sqlalchemy as sa

    from sync.run.history import RunRecord

DATABASE_OPTION = click.option(
    "--database", "database_url", default=None, show_default="$KINERJA_DATABASE_URL, else sqlite:///kinerja.db",
    help="The store for the run history: a SQLite URL or postgresql://….")


def _engine(url: str | None) -> sa.Engine:
    """The history database (this option, else the environment's), its tables created if missing."""
    from sync import database

    return database.open_engine(url or environment.current().database_url,
                                hint="KINERJA_DATABASE_URL atau --database")


@click.command("run")
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The Pemda's kinerja.toml: its sources and [output] location.")
@click.option("--force", is_flag=True, help="Score every source, also those unchanged since their last "
                                           "successful run.")
@click.option("--period", "periods", multiple=True, metavar="LABEL",
              help="Score only this evaluation period (e.g. 2026-03); repeatable. Default: every period "
                   "that has data.")
@click.option("--jobs", type=click.IntRange(1, 32), default=None,
              help="Sources processed at once (Excel ones in worker processes, one per core). Default: "
                   "one per core when the config has 8 sources or more and memory allows, else 1.")
@click.option("--sheets-quota", type=click.IntRange(1, 100_000), default=60, show_default=True,
              help="Google Sheets API requests per minute for the whole run; every sheet shares it.")
@DATABASE_OPTION
def run(config_path: Path, force: bool, periods: tuple[str, ...], jobs: int, sheets_quota: int,
        database_url: str):
    """Check and score every source in the config, record each run, then write the master recap.

    A source whose input tabs are unchanged since its last successful run is
    skipped (--force scores it anyway); a source another worker is processing
    is skipped too. A failing source does not stop the others: they are named
    at the end and the exit code is 1. The recap (Rekap Pemda, Rekap Unit
    Pemda, Pegawai Terbaik, Tren) goes to [output] location.

    \b
    Example:
        kinerja run --config /etc/kinerja/kinerja.toml
        kinerja run --config kinerja.toml --period 2026-03 --force
    """
    config = load_config(config_path)
    jobs = jobs or processes.auto_jobs(len(config.sources))
    workers = processes.early_workers(config, jobs)
    try:
        _run(config, force, periods, jobs, sheets_quota, database_url)
    finally:
        if workers is not None:  # e.g. the database could not be opened: no server left behind
            processes.stop_fork_server(workers)


def _run(config, force: bool, periods: tuple[str, ...], jobs: int, sheets_quota: int,
         database_url: str | None) -> None:
    from sync.run import runner
    from sync.run.history import FAILED
    from sync.run.recap_writer import write_recap
    from sync.sources import open_source
    from sync.sources.gsheets.rate_limit import RateLimiter, limited

    engine = _engine(database_url)
    # Every Sheets client of the run takes its requests from one limiter: the quota is per user.
    opener = functools.partial(open_source, http_client=limited(RateLimiter(sheets_quota)),
                               credentials_file=environment.current().credentials_file)
    try:
        options = runner.RunOptions(force=force, periods=periods, jobs=jobs)
        ctx = runner.start(config, engine, opener, options)
        started = dt.datetime.now()
        try:
            with _Progress(len(config.sources)) as progress:
                runs = runner.run_sources(ctx, on_done=progress.done)
            recap = write_recap(ctx)
        finally:
            runner.close_workers(ctx)
    finally:
        engine.dispose()
    click.echo(run_report(runs, recap, (dt.datetime.now() - started).total_seconds()))
    sys.exit(1 if any(r.outcome == FAILED for r in (*runs, recap) if r is not None) else 0)


class _Progress:
    """A progress bar on a terminal; one line per source otherwise (cron, journald). Thread-safe."""

    def __init__(self, total: int):
        self.total, self.count = total, 0
        self.lock = threading.Lock()
        self.bar = None
        if sys.stderr.isatty() and total:
            self.bar = click.progressbar(length=total, label="Menilai sumber", file=sys.stderr,
                                         show_pos=True)

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def done(self, record: RunRecord) -> None:
        with self.lock:
            self.count += 1
            if self.bar is not None:
                self.bar.update(1)
            else:
                click.echo(f"[{self.count}/{self.total}] {record.source}: {_outcome(record)} "
                           f"({record.seconds:.1f} dtk)", err=True)


def _outcome(record: RunRecord) -> str:
    return RUN_OUTCOME_LABELS.get(record.outcome, record.outcome)


def run_report(runs: list[RunRecord], recap: RunRecord | None, seconds: float) -> str:
    """The end-of-run summary: counts, one line per source, the recap, then every failure and why."""
    from sync.run.history import FAILED, LOCKED, OUTCOMES

    counts = {o: sum(r.outcome == o for r in runs) for o in OUTCOMES}
    spread = ", ".join(f"{RUN_OUTCOME_LABELS[o].lower()} {n}" for o, n in counts.items() if n)
    lines = [f"{len(runs)} sumber{f' ({spread})' if spread else ''} dalam {seconds:.1f} dtk.", ""]
    lines += _table(["Sumber", "Hasil", "Galat", "Peringatan", "Baris", "Durasi"],
                    [[r.source, _outcome(r), _n(r.errors), _n(r.warnings), _n(r.rows_read),
                      f"{r.seconds:.1f} dtk"] for r in runs])
    if recap is not None:
        where = recap.location
        lines.append("")
        if recap.outcome == FAILED:
            lines.append(f"Rekap Pemda GAGAL ditulis ke {where}: {recap.message}")
        elif recap.outcome == "ok":
            lines.append(f"Rekap Pemda ditulis ke {where}.")
        else:
            lines.append(f"Rekap Pemda di {where}: {_outcome(recap).lower()} ({recap.message}).")
    skipped = [r for r in runs if r.outcome == LOCKED and r.message]
    if skipped:
        lines += ["", f"{len(skipped)} sumber dilewati:"]
        lines += [f"  {r.source} ({r.location}): {r.message}" for r in skipped]
    failed = [r for r in runs if r.outcome == FAILED]
    if failed:
        lines += ["", f"{len(failed)} sumber gagal:"]
        lines += [f"  {r.source} ({r.location}): {r.message}" for r in failed]
    return "\n".join(lines)


def _n(value: int | None) -> str:
    return "" if value is None else str(value)


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A plain fixed-width table; numbers right-aligned, the last column not padded."""
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        parts = [str(c).rjust(w) if str(c).isdigit() else str(c).ljust(w)
                 for c, w in zip(cells, widths, strict=True)]
        return "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


@click.command("history")
@click.argument("source", required=False)
@click.option("--limit", type=click.IntRange(1, 100_000), default=20, show_default=True,
              help="How many runs to show.")
@DATABASE_OPTION
def history(source: str | None, limit: int, database_url: str):
    """Show the latest runs of `kinerja run` (of SOURCE only, when given), newest first.

    Times are this machine's local time; `@rekap` is the master recap.

    \b
    Example:
        kinerja history
        kinerja history dinkes --limit 5
    """
    from sync.run import history as store_history

    engine = _engine(database_url)
    try:
        runs = store_history.recent_runs(engine, source, limit)
    finally:
        engine.dispose()
    if not runs:
        click.echo(f"Belum ada jalankan tercatat{f' untuk {source}' if source else ''}.")
        return
    click.echo("\n".join(history_table(runs)))


def history_table(runs: list[RunRecord]) -> list[str]:
    """`kinerja history`'s table: one line per run."""
    headers = ["No", "Mulai", "Sumber", "Hasil", "Galat", "Peringatan", "Baris", "Durasi", "Revisi",
               "Pekerja", "Pesan"]
    rows = [[str(r.id), _local(r.started_at), r.source, _outcome(r), _n(r.errors), _n(r.warnings),
             _n(r.rows_read), f"{r.seconds:.1f} dtk", (r.revision or "")[:10], r.batch.rsplit(":", 1)[0],
             _short(r.message)] for r in runs]
    return _table(headers, rows)


def _local(when: dt.datetime) -> str:
    return when.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _short(message: str | None, limit: int = 100) -> str:
    text = " ".join((message or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
