"""Sync: read an agency's workbook, check it, score it, write the result tabs back.

Areas, one folder each: `sources` (Excel and Google Sheets behind one
interface), `check` (validation), `run` (a whole Pemda: history, claims,
master recap), `surveys` (the webhook's store, flush, reconcile), `demo`
(sample data) and `cli` (the `kinerja` command). What every area shares sits
at the top: `errors`, `workbook` (what a source reads), `parse`, `config`,
`database`, `claims`, `pipeline`, `render` and `outtabs`.

The public API, for the CLI, `kinerja run` and other callers:

    >>> from sync import open_source, score
    >>> report = score(open_source("dinkes-2026.xlsx"))  # doctest: +SKIP
"""

from sync.errors import SyncError
from sync.pipeline import INPUT_TAB_KEYS, Evaluation, RunReport, check, evaluate, score
from sync.sources import Source, open_source

__all__ = ["INPUT_TAB_KEYS", "Evaluation", "RunReport", "Source", "SyncError", "check", "evaluate",
           "open_source", "score"]
