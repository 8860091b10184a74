"""The command line: click commands, the one error boundary, the terminal summaries.

`cli` is imported on first use: the console script (`entry.main`) imports it itself,
with the garbage collector set for a short process.
"""

from __future__ import annotations

__all__ = ["cli"]


def __getattr__(name: str):
    if name == "cli":
        from sync.cli.main import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
