"""The flush `kinerja serve` runs by itself: stored answers and complaints into workbooks every few minutes.

One thread in the serving process; each round flushes every source with
waiting answers through the same claims as `kinerja run`, so a workbook is
written by one worker at a time and Sheets quota is shared the same way.
A failing round is logged and the next one tries again: answers stay in the
store until a flush has written them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class FlushSchedule:
    """Run `flush_once` every `interval` seconds in a daemon thread until `stop()`."""

    def __init__(self, flush_once: Callable[[], object], interval: float):
        self.flush_once, self.interval = flush_once, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="kinerja-flush", daemon=True)

    def start(self) -> FlushSchedule:
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.flush_once()
            except Exception:  # a bad round must not end the schedule; the answers stay stored
                log.exception("kinerja serve: flush terjadwal gagal; dicoba lagi pada putaran berikutnya")
