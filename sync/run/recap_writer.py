"""The master recap's write: stored results → recap tabs → `[output] location`, once per change.

The recap is built from the history, not from this run's memory, so sources
skipped as unchanged (or processed by another worker) are in it with their
latest stored results. It is claimed like a source, under the name `@rekap`
(no source can have that name), and a worker waits for another that is
writing it: the last worker to finish then writes a recap holding everything.
A recap identical to the last one written is not written again (a cron run
over unchanged workbooks sends no Sheets request for it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import time
import zoneinfo
from pathlib import Path

import pandas as pd

from sync.errors import SyncError
from sync.outtabs import OutputTab
from sync.run import history
from sync.run.history import BUSY, FAILED, OK, PROCESSED, UNCHANGED, RunRecord
from sync.run.recap_tabs import build_recap, last_run_text
from sync.run.runner import RunContext, config_hash
from sync.sources.locations import looks_like_gsheet

RECAP_SOURCE = "@rekap"
log = logging.getLogger(__name__)


def write_recap(ctx: RunContext) -> RunRecord | None:
    """Build the recap from the store and write it to the config's output; None without one."""
    location = ctx.config.output_location
    if not location:
        return None
    started = time.perf_counter()
    run = ctx.new_record(RECAP_SOURCE, location)
    claim = ctx.claims.wait(RECAP_SOURCE, ctx.options.recap_wait)
    if claim is None:
        holder = ctx.claims.holder(RECAP_SOURCE) or "?"
        return ctx.finish(run, BUSY, started, message=f"rekap sedang ditulis oleh pekerja lain ({holder})")
    try:
        with ctx.claims.kept_alive(claim) as check_claim:
            tabs = recap_tabs(ctx)
            run.input_hash = tabs_hash(tabs)
            run.config_hash = config_hash(location, ())
            run.rows_read = sum(len(t.rows) for t in tabs)
            with ctx.engine.connect() as conn:
                last = history.last_success(conn, RECAP_SOURCE)
            same = last is not None and (last.input_hash, last.config_hash) == (
                run.input_hash, run.config_hash)
            if same and not ctx.options.force and _exists(location):
                return ctx.finish(run, UNCHANGED, started, claim, f"sama dengan rekap jalankan #{last.id}")
            target = ctx.opener(_ensure_workbook(location, tabs[0].name))
            check_claim()
            target.write(tabs)
    except SyncError as exc:
        return ctx.finish(run, FAILED, started, claim, str(exc))
    except Exception as exc:  # a bug in the recap must still leave the agencies' runs reported
        log.exception("kinerja run: rekap")
        return ctx.finish(run, FAILED, started, claim, f"kesalahan tak terduga ({type(exc).__name__}: {exc})")
    except BaseException:
        ctx.claims.release(claim)
        raise
    return ctx.finish(run, OK, started, claim)


def recap_tabs(ctx: RunContext) -> list[OutputTab]:
    """The recap's tabs from what the store holds for the configured sources."""
    names = [s.name for s in ctx.config.sources]
    with ctx.engine.connect() as conn:
        runs = history.latest_runs(conn, names)
        summaries = history.summaries(conn, names)
        best = history.best_employees(conn, names)
        pay = history.pay_summaries(conn, names)
    agencies = agencies_frame(names, runs, ctx.config.timezone)
    return build_recap(agencies, summaries, best, ctx.options.trend_periods, pay)


def agencies_frame(names: list[str], runs: list[RunRecord], timezone: str) -> pd.DataFrame:
    """One row per configured source: its name, when its results were scored, how its last run went.

    Args:
        names: the configured sources, in config order.
        runs: per source its latest successful and latest failed run (`history.latest_runs`).
        timezone: the Pemda's, for the times shown.
    """
    ok = {r.source: r for r in runs if r.outcome == OK}
    last: dict[str, RunRecord] = {}
    for r in runs:  # ordered by id: the later processing run wins
        if r.outcome in PROCESSED:
            last[r.source] = r
    rows = []
    for order, name in enumerate(names):
        good, latest = ok.get(name), last.get(name)
        rows.append({
            "source": name, "order": order,
            "agency": (good.agency if good and good.agency else name),
            "scored_at": _local(good.finished_at, timezone) if good else None,
            "last_run": last_run_text(latest.outcome if latest else None,
                                      _local(latest.finished_at, timezone) if latest else None,
                                      latest.message if latest and latest.outcome == FAILED else None),
        })
    return pd.DataFrame(rows, columns=["source", "order", "agency", "scored_at", "last_run"])


def tabs_hash(tabs: list[OutputTab]) -> str:
    """sha256 of what the recap shows (names, headers, rows, charts)."""
    # list(): rows may be a ColumnTable, which json would otherwise reduce to its repr (shape only).
    content = [(t.name, t.title, [c.header for c in t.columns], list(t.rows), sorted(t.highlight_rows),
                [c.title for c in t.charts]) for t in tabs]
    return hashlib.sha256(json.dumps(content, default=str, ensure_ascii=False).encode()).hexdigest()


def _local(when: dt.datetime, timezone: str) -> str:
    return when.replace(tzinfo=dt.UTC).astimezone(zoneinfo.ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def _exists(location: str) -> bool:
    return looks_like_gsheet(location) or Path(location).exists()


def _ensure_workbook(location: str, first_tab: str) -> str:
    """`location`, after creating an empty .xlsx there when there is none yet.

    The empty workbook's one sheet carries the first recap tab's name, so the
    write replaces it rather than leaving a blank "Sheet" in front.
    """
    if looks_like_gsheet(location):
        return location
    path = Path(location)
    if path.exists() or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return location  # (a wrong suffix gets the source's own clear message)
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = first_tab
    buffer = io.BytesIO()
    book.save(buffer)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as handle:  # never over a file that appeared meanwhile
            handle.write(buffer.getvalue())
    except FileExistsError:
        pass
    except OSError as exc:
        raise SyncError(f"Berkas rekap '{path}' tidak dapat dibuat ({exc}). Periksa folder dan izinnya."
                        ) from None
    return location

