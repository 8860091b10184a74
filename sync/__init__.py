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
import sys
import types

# Where each name of the API lives, imported on first use: `import sync.cli.run` must not import
# pandas and the pipeline, so that `kinerja run` starts its workers' fork server, which imports them
# on the other core, before its own process does (issue 17).
_API = {"INPUT_TAB_KEYS": "sync.pipeline", "Evaluation": "sync.pipeline", "RunReport": "sync.pipeline",
        "check": "sync.pipeline", "evaluate": "sync.pipeline", "score": "sync.pipeline",
        "Source": "sync.sources", "open_source": "sync.sources", "SyncError": "sync.errors"}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'sync' has no attribute {name!r}")
    value = getattr(importlib.import_module(_API[name]), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})


class _Package(types.ModuleType):
    """`sync` itself. The import system binds each subpackage it loads to its parent's attribute of
    the same name: loading `sync.check` (validation) would hide the function `sync.check` until the
    API was imported again. The API's names stay the API's (`from sync.check import …` is not
    affected: it goes through `sys.modules`)."""

    def __setattr__(self, name: str, value) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
