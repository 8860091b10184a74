"""Flush stored surveys into their workbooks' `Survei` tab: one read and one write per workbook.

A response is marked flushed only after its workbook write succeeded. Rows
whose `ID Respons` is already in the tab are skipped (and marked), so a flush
that crashed between the write and the mark does not add them twice.

With `claims`, a workbook is flushed only while holding its claim, the same
one `kinerja run` takes: a flush landing between a run's read and its write
would make the run's Excel write refuse ("changed since it was read"), and
two writers of one workbook are never wanted. A source held by someone else
is skipped (its answers wait for the next flush), not failed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from sheet_templates.schema import SURVEYS
from sync.claims import SourceClaims
from sync.complaints.refresh import refresh_complaints
from sync.config import Config
from sync.errors import SyncError
from sync.parse import normalise_label
from sync.pipeline import INPUT_TAB_KEYS
from sync.sources import Source, open_source
from sync.surveys.store import SurveyStore, utc_now
from sync.surveys.units import survey_ids

SURVEY_LABELS = [c.label for c in SURVEYS.columns]
_SOURCE_LABELS = {c.code: c.label for c in SURVEYS.column("source").choices}


@dataclass(frozen=True)
class FlushResult:
    """What one source's flush did; `error` is an Indonesian message when it failed."""

    source: str
    appended: int = 0
    already_present: int = 0
    error: str | None = None
    busy: str | None = None  # the worker holding the source; its answers wait for the next flush
    complaints: int | None = None  # rows of the Pengaduan tab after the flush (None: not rewritten)


def survey_row(mapped: dict[str, Any]) -> list[Any]:
    """A stored response's `mapped` record → values in Survei column order."""
    row = []
    for column in SURVEYS.columns:
        value = mapped.get(column.name)
        if column.name == "timestamp" and isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        elif column.name == "source":
            value = _SOURCE_LABELS.get(value, value)
        row.append(value)
    return row


def flush(store: SurveyStore, config: Config, sources: list[str] | None = None, *,
          opener: Callable[[str], Source] = open_source, now: dt.datetime | None = None,
          claims: SourceClaims | None = None, wait: float = 0.0) -> list[FlushResult]:
    """Append every unflushed response to its source's Survei tab.

    Args:
        store: where the webhook keeps responses.
        config: the sources (workbook locations) by name.
        sources: only these source names (default: every source with pending responses).
        opener: turns a location into a Source (tests pass fakes).
        now: the flush time recorded in the store (UTC).
        claims: when given, each workbook is written only under its claim (see the module doc).
        wait: seconds to wait, in all, for sources another worker holds, before skipping them.

    Returns:
        One result per source that had pending responses; failures are reported, not raised,
        so one locked workbook does not hold back the others.
    """
    pending = store.pending_sources()
    names = sorted(pending) if sources is None else [s for s in sources if pending.get(s)]
    deadline = time.monotonic() + wait  # one budget for the whole flush, not per busy workbook
    results = []
    for name in names:
        try:
            source = config.source(name)
            if claims is None:
                results.append(flush_source(store, name, opener(source.location), now=now))
            else:
                left = max(0.0, deadline - time.monotonic())
                results.append(_flush_claimed(store, name, source.location, opener, now, claims, left))
        except SyncError as ex:
            results.append(FlushResult(name, error=str(ex)))
        except sa.exc.SQLAlchemyError as ex:  # the claims' database: this source waits, the others go on
            results.append(FlushResult(name, error=(
                f"basis data tidak dapat dipakai ({type(ex).__name__}); jawabannya tetap tersimpan dan "
                "ditulis pada flush berikutnya")))
    return results


def _flush_claimed(store: SurveyStore, name: str, location: str, opener: Callable[[str], Source],
                   now: dt.datetime | None, claims: SourceClaims, wait: float) -> FlushResult:
    claim = claims.wait(name, wait) if wait > 0 else claims.claim(name)
    if claim is None:
        return FlushResult(name, busy=claims.holder(name) or "?")
    try:
        with claims.kept_alive(claim) as check_claim:
            return flush_source(store, name, opener(location), now=now, before_write=check_claim)
    finally:
        claims.release_quietly(claim)


def flush_source(store: SurveyStore, name: str, source: Source, *, now: dt.datetime | None = None,
                 before_write: Callable[[], None] | None = None) -> FlushResult:
    """Flush the pending responses of source `name` into `source` (one read, at most one write).

    `before_write` runs just before the write (a claim check that raises when the claim was lost).
    """
    pending = store.pending(name)
    if not pending:
        return FlushResult(name)
    present = survey_ids(source.read({normalise_label(SURVEYS.label)}))
    rows = [survey_row(r.mapped) for r in pending if r.response_id not in present]
    if rows:
        if before_write is not None:
            before_write()
        source.append_rows(SURVEYS.label, SURVEY_LABELS, rows)
    store.mark_flushed([r.response_id for r in pending], now or utc_now())
    complaints = None
    if rows:
        # The answers are safe in the workbook now; a complaint among them should reach the supervisor
        # without waiting for the next `kinerja run`. If this fails, the next flush or score redoes it.
        if before_write is not None:
            before_write()
        complaints = refresh_complaints(source, INPUT_TAB_KEYS, (now or utc_now()).date())
    return FlushResult(name, appended=len(rows), already_present=len(pending) - len(rows),
                       complaints=complaints)
