"""Small helpers shared by the benchmark scripts (timing, machine description, tables)."""

from __future__ import annotations

import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"  # gitignored


def machine() -> str:
    """One line naming the machine and the versions that matter for the figures."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
                break
    except OSError:
        pass
    versions = ", ".join(f"{name} {_version(name)}" for name in ("pandas", "numpy", "python-calamine",
                                                                "openpyxl"))
    return (f"nproc {cpus} ({model or platform.machine()}), {mem}, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, {versions}")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def timed(fn, *args, **kwargs):
    """(seconds, result) of one call, after a garbage collection so runs start alike."""
    gc.collect()
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports KB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def current_rss_mb() -> float:
    """This process's resident set size now, in MB (Linux only; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain fixed-width table."""
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows, strict=True)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def fmt_runs(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


# Runs the command from a small fresh interpreter and reports its wall time and peak RSS.
# Not wait4() from the benchmark process: on Linux a child's ru_maxrss starts from the RSS of
# the process that forked it, and the benchmark may hold a whole workbook by then.
_LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], "w"), stderr=subprocess.STDOUT)
_, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": usage.ru_maxrss / 1024,
                  "code": os.waitstatus_to_exitcode(status)}))
"""


def measured_run(command: list[str], log: Path, cwd: Path, env: dict | None = None) -> dict:
    """Run `command` (output to `log`); {"seconds", "peak_mb", "code"} of that process alone."""
    launcher = subprocess.run([sys.executable, "-c", _LAUNCHER, str(log), *command], stdout=subprocess.PIPE,
                              text=True, cwd=cwd, check=True, env=env)
    return json.loads(launcher.stdout)
