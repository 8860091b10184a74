"""Bring a workbook's `Pengaduan` tab up to date with its `Survei` tab, between two scoring runs.

`kinerja surveys flush` (and the flush `kinerja serve` runs on a schedule)
calls it after appending answers, so a citizen's complaint reaches the
supervisor in minutes, not at the next `kinerja run`. One read, one write of
one tab; the supervisor's typing is merged by `ID Respons` as in `score`.
"""

from __future__ import annotations

import datetime as dt

from sync.check.checking import check_workbook
from sync.complaints.evaluation import evaluate_complaints
from sync.complaints.merge import COLUMNS, id_text
from sync.complaints.tab import existing_rows
from sync.sources import Source


def refresh_complaints(source: Source, tab_keys: set[str], today: dt.date | None = None) -> int | None:
    """Rewrite `Pengaduan` when a complaint was added; its number of rows, None when nothing was written.

    A workbook without a readable Pengaturan or Pegawai is left alone: its
    `score` says why, and nothing here may hide that.
    """
    raw = source.read(tab_keys)
    checked = check_workbook(raw)
    if checked.fatal:
        return None
    outcome = evaluate_complaints(checked.frames, checked.settings, raw, today or dt.date.today())
    existing = existing_rows(raw)
    before = set() if existing is None else {id_text(v) for v in existing.get(COLUMNS[0], [])} - {""}
    after = {id_text(row[0]) for row in outcome.tab.rows} - {""}
    if before == after:
        return None  # no new complaint: the workbook is left as it is (score refreshes the counts)
    source.write([outcome.tab])
    return len(outcome.tab.rows)
