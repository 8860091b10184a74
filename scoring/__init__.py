"""Scoring: pure functions from validated input frames to performance results.

No I/O and no sheet labels: columns and codes are English snake_case; the sync
layer maps them to the Indonesian labels of the workbook.
"""

from __future__ import annotations

# The names are imported on first use: the CLI's error boundary needs `ScoringError` without pandas
# (see `sync/__init__.py`).
__all__ = ["Frames", "Results", "ScoringError", "Settings", "score"]


def __getattr__(name: str):
    if name == "ScoringError":
        from .errors import ScoringError as value
    elif name == "Frames":
        from .frames import Frames as value
    elif name == "Settings":
        from .settings import Settings as value
    elif name in ("Results", "score"):
        from . import pipeline

        value = getattr(pipeline, name)
    else:
        raise AttributeError(f"module 'scoring' has no attribute {name!r}")
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
