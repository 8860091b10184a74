"""The units of each workbook, read through its Source and cached per process for a while.

Reading a workbook on every post would cost a file read (or a Sheets API call)
per citizen; the unit list changes a few times a year. When the cache has
expired, one thread refreshes it while the others go on with the old list.
When a workbook cannot be read at all, posts are stored without the unit check
(logged): losing a citizen's answer is worse than a unit the Validasi tab
flags later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sync.config import SourceConfig
from sync.errors import SyncError
from sync.sources import open_source
from sync.surveys.units import read_units

log = logging.getLogger(__name__)
DEFAULT_TTL = 300.0


def read_location(location: str) -> dict[str, str]:
    """Units of the workbook at `location` (normalised name → spelling)."""
    return read_units(open_source(location))


@dataclass
class _Entry:
    units: dict[str, str] | None = None
    expires: float = float("-inf")  # never read


class UnitCache:
    """Source name → its units, refreshed after `ttl` seconds."""

    def __init__(self, ttl: float = DEFAULT_TTL, reader: Callable[[str], dict[str, str]] = read_location,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl, self.reader, self.clock = ttl, reader, clock
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def units(self, source: SourceConfig) -> dict[str, str] | None:
        """The units of `source`, or None when its workbook has never been readable."""
        with self._guard:
            entry = self._entries.setdefault(source.name, _Entry())
            lock = self._locks.setdefault(source.name, threading.Lock())
        if self.clock() < entry.expires:  # a list, or None after a failed read that is retried later
            return entry.units
        # Only a thread without a usable old list waits for the read.
        if not lock.acquire(blocking=entry.units is None):
            return entry.units
        try:
            if self.clock() >= entry.expires:  # another thread may have just read it
                self._refresh(source, entry)
        finally:
            lock.release()
        return entry.units

    def _refresh(self, source: SourceConfig, entry: _Entry) -> None:
        try:
            entry.units = self.reader(source.location)
        except Exception as ex:  # noqa: BLE001 - a reader's bug must not turn every post into a 500
            if not isinstance(ex, SyncError):
                log.exception("reading the units of source %s", source.name)
            log.warning("units of source %s unreadable (%s); %s", source.name, ex,
                        "keeping the previous list" if entry.units is not None else "unit not checked")
            # retry soon, not at every post
            entry.expires = self.clock() + min(self.ttl, 30.0)
            return
        entry.expires = self.clock() + self.ttl
