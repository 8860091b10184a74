"""Fixtures of the document tests: the hand-built agency scored, and the signing texts."""

from __future__ import annotations

from datetime import date

import pytest

import scoring
from sync.documents import DocumentTexts
from tests.sync.documents.agency_data import agency_frames


@pytest.fixture(scope="session")
def agency():
    """(frames, settings, results) of the hand-built agency, 2026-T1 scored."""
    frames, settings = agency_frames()
    return frames, settings, scoring.score(frames, settings)


@pytest.fixture(scope="session")
def texts():
    """The signing place and date (not in the scoring frames)."""
    return DocumentTexts(place="Lhokseumawe", signed_on=date(2026, 4, 6))
