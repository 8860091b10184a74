"""Flush stored surveys into their workbooks' `Survei` tab: one read and one write per workbook.

A response is marked flushed only after its workbook write succeeded. Rows
whose `ID Respons` is already in the tab are skipped (and marked), so a flush
that crashed between the write and the mark does not add them twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sheet_templates.schema import SURVEYS

from .config import Config
from .errors import SyncError
from .parse import normalise_label
from .sources import Source, open_source
from .store import SurveyStore, utc_now
from .survey_units import survey_ids

SURVEY_LABELS = [c.label for c in SURVEYS.columns]
_SOURCE_LABELS = {c.code: c.label for c in SURVEYS.column("source").choices}


@dataclass(frozen=True)
class FlushResult:
    """What one source's flush did; `error` is an Indonesian message when it failed."""

    source: str
    appended: int = 0
    already_present: int = 0
    error: str | None = None


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
          opener: Callable[[str], Source] = open_source, now: dt.datetime | None = None
          ) -> list[FlushResult]:
    """Append every unflushed response to its source's Survei tab.

    Args:
        store: where the webhook keeps responses.
        config: the sources (workbook locations) by name.
        sources: only these source names (default: every source with pending responses).
        opener: turns a location into a Source (tests pass fakes).
        now: the flush time recorded in the store (UTC).

    Returns:
        One result per source that had pending responses; failures are reported, not raised,
        so one locked workbook does not hold back the others.
    """
    pending = store.pending_sources()
    names = sorted(pending) if sources is None else [s for s in sources if pending.get(s)]
    results = []
    for name in names:
        try:
            source = config.source(name)
            results.append(flush_source(store, name, opener(source.location), now=now))
        except SyncError as ex:
            results.append(FlushResult(name, error=str(ex)))
    return results


def flush_source(store: SurveyStore, name: str, source: Source, *, now: dt.datetime | None = None
                 ) -> FlushResult:
    """Flush the pending responses of source `name` into `source` (one read, at most one write)."""
    pending = store.pending(name)
    if not pending:
        return FlushResult(name)
    present = survey_ids(source.read({normalise_label(SURVEYS.label)}))
    rows = [survey_row(r.mapped) for r in pending if r.response_id not in present]
    if rows:
        source.append_rows(SURVEYS.label, SURVEY_LABELS, rows)
    store.mark_flushed([r.response_id for r in pending], now or utc_now())
    return FlushResult(name, appended=len(rows), already_present=len(pending) - len(rows))
