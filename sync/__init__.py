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

from __future__ import annotations

import importlib

from sync.errors import SyncError

# Where each public name lives. They are imported on first use: every `import sync.…` runs this
# file first, and the pipeline brings pandas and the scoring rules, which `kinerja serve`, the
# webhook and the console script's own start-up (`sync.cli.entry`) do not want to pay for here.
_PUBLIC = {"INPUT_TAB_KEYS": "sync.pipeline", "Evaluation": "sync.pipeline", "RunReport": "sync.pipeline",
           "check": "sync.pipeline", "evaluate": "sync.pipeline", "score": "sync.pipeline",
           "Source": "sync.sources", "open_source": "sync.sources"}

__all__ = ["INPUT_TAB_KEYS", "Evaluation", "RunReport", "Source", "SyncError", "check", "evaluate",
           "open_source", "score"]


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
