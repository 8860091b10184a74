"""Scoring: pure functions from validated input frames to performance results.

No I/O and no sheet labels: columns and codes are English snake_case; the sync
layer maps them to the Indonesian labels of the workbook.
"""

from .errors import ScoringError
from .frames import Frames
from .pipeline import Results, score
from .settings import Settings

__all__ = ["Frames", "Results", "ScoringError", "Settings", "score"]
