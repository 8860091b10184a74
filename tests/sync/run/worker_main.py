"""`kinerja run`/`history` in a subprocess, every workbook write logged with its start and end.

    python -m tests.sync.run.worker_main run --config kinerja.toml --database URL

KINERJA_TEST_WRITE_LOG names the log (one JSON line per write: path, start,
end, pid); KINERJA_TEST_WRITE_DELAY (seconds) holds each write open a little,
so that two workers writing one workbook at once would show as overlapping.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time

from sync.sources.excel.source import ExcelSource
from tests.sync.run.helpers import cli


def _logged(write):
    log = os.environ["KINERJA_TEST_WRITE_LOG"]
    delay = float(os.environ.get("KINERJA_TEST_WRITE_DELAY", "0"))

    def logged_write(self, tabs):
        start = time.time()
        time.sleep(delay)
        write(self, tabs)
        end = time.time()
        with open(log, "a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(json.dumps({"path": str(self.path), "start": start, "end": end,
                                     "pid": os.getpid()}) + "\n")

    return logged_write


if __name__ == "__main__":
    ExcelSource.write = _logged(ExcelSource.write)
    cli(sys.argv[1:])
