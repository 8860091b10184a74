"""`kinerja run` over a Pemda: 50 Excel agencies of 200 employees each, time and peak memory.

Generates once (cached under bench/out/run_50x200/) 50 demo workbooks with
different seeds (200 employees each: 5 units x 40, 3-5 IKI, 12 months of
realisation, monthly 360-degree feedback, 1,000 surveys) and a kinerja.toml
naming them, with the master recap as an .xlsx. Then, on fresh copies in a
scratch folder and a fresh SQLite store each repetition, it measures as a
subprocess (so the interpreter start-up is included and the peak RSS is the
command's own):

  1. the first run (default --jobs: one per core, Excel work in worker processes):
     every agency read, validated, scored, written, recorded, then the recap built
     from the store and written; budget (issue 17) 15 s;
  2. the second run on unchanged input: every agency read and skipped, the
     recap found unchanged;
  3. a first run with --jobs 1 (one source at a time, this process only), beside it;
  4. optionally (--jobs N) a first run with N sources at once.

Run by hand from the project root:

    .venv/bin/python bench/bench_run.py               # 1 repetition
    .venv/bin/python bench/bench_run.py --repeat 3 --jobs 2
    .venv/bin/python bench/bench_run.py --repeat 4 --against /tmp/old   # side by side with a worktree

Nothing is asserted; the script prints its figures and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from _common import OUT_DIR, ROOT, fmt_runs, fmt_s, machine, median, table

from sheet_templates.xlsx import build_template
from sync.demo.build import demo_data, demo_settings

RUN_BUDGET_S = 15.0  # issue 17: the first run, default --jobs
# `kinerja run` (the command object itself, so the bench works before sync.cli.main registers it).
_RUN = "import sys; from sync.cli.run import run; run(sys.argv[1:], prog_name='kinerja run')"


def ensure_inputs(args) -> Path:
    """The cached agencies and their kinerja.toml, generated when missing (or with --regenerate)."""
    folder = OUT_DIR / f"run_{args.agencies}x{args.units * args.per_unit}_seed{args.seed}"
    meta = folder / "meta.json"
    if meta.exists() and not args.regenerate:
        info = json.loads(meta.read_text())
        print(f"inputs: {folder.relative_to(ROOT)} (cached, {info['megabytes']:.0f} MB, generated in "
              f"{info['seconds']:.0f} s on {info['date']})")
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"generating {args.agencies} workbooks into {folder.relative_to(ROOT)} (once) ...", flush=True)
    start = time.perf_counter()
    sources = []
    for i in range(args.agencies):
        name = f"opd{i + 1:02d}"
        data = demo_data(seed=args.seed + i, units=args.units, employees_per_unit=args.per_unit,
                         surveys=5 * args.units * args.per_unit)
        build_template(folder / f"{name}.xlsx", settings=demo_settings(org_name=f"Dinas Contoh {i + 1}"),
                       data=data)
        sources.append(f'[[sources]]\nname = "{name}"\nlocation = "{name}.xlsx"\n')
    (folder / "kinerja.toml").write_text('[pemda]\nname = "Kabupaten Bench"\n\n' + "\n".join(sources)
                                         + '\n[output]\nlocation = "rekap-pemda.xlsx"\n', encoding="utf-8")
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in folder.glob("*.xlsx")) / 1e6
    meta.write_text(json.dumps({"seconds": seconds, "megabytes": size,
                                "date": time.strftime("%Y-%m-%d %H:%M")}))
    print(f"generated in {seconds:.0f} s, {size:.0f} MB", flush=True)
    return folder


def fresh_copy(inputs: Path, scratch: Path) -> Path:
    """The workbooks and config copied to `scratch` (a run writes result tabs into them)."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(inputs, scratch, ignore=shutil.ignore_patterns("meta.json"))
    return scratch / "kinerja.toml"


# Like _common.measured_run, plus the CPU time (user + sys) of the command and of every process it
# waited for: the worker processes of --jobs do most of the work, and on a shared machine the wall
# time alone says little. RUSAGE_CHILDREN after wait4 counts the command and its reaped descendants.
_LAUNCHER = """
import json, os, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], "w"), stderr=subprocess.STDOUT)
_, status, usage = os.wait4(proc.pid, 0)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": usage.ru_maxrss / 1024,
                  "cpu": children.ru_utime + children.ru_stime, "code": os.waitstatus_to_exitcode(status)}))
"""


def run_once(config: Path, database: str, log: Path, *extra: str, tree: Path = ROOT) -> dict:
    """One `kinerja run` in a subprocess: seconds, peak RSS (MB), CPU seconds (all processes), exit code."""
    command = [sys.executable, "-c", _RUN, "--config", str(config), "--database", database, *extra]
    # The code under test is the one beside this script (also in a git worktree), or `tree`: PYTHONPATH
    # reaches the worker processes too.
    launcher = subprocess.run([sys.executable, "-c", _LAUNCHER, str(log), *command], stdout=subprocess.PIPE,
                              text=True, cwd=tree, check=True, env={**os.environ, "PYTHONPATH": str(tree)})
    figures = json.loads(launcher.stdout)
    if figures["code"] != 0:
        print(log.read_text())
        sys.exit(f"`kinerja run` failed with exit code {figures['code']}")
    return figures


def per_source_seconds(database: Path) -> list[float]:
    """Seconds of each agency's successful run, from the run history."""
    query = "SELECT seconds FROM runs WHERE source != '@rekap' AND outcome = 'ok'"
    with contextlib.closing(sqlite3.connect(database)) as conn:
        return [seconds for (seconds,) in conn.execute(query)]


def compare(inputs: Path, other: Path, repeat: int) -> None:
    """First runs (default --jobs) of this tree and of `other` (a checkout of another commit),
    alternately, `repeat` pairs, the order swapped every pair: on a shared machine whose speed drifts,
    only such side-by-side figures compare."""
    scratch = OUT_DIR / "run_scratch"
    trees = {"this tree": ROOT, str(other): other}
    figures = {name: [] for name in trees}
    for rep in range(repeat):
        for name, tree in (list(trees.items()) if rep % 2 == 0 else list(trees.items())[::-1]):
            config = fresh_copy(inputs, scratch)
            one = run_once(config, f"sqlite:///{scratch / 'kinerja.db'}", scratch / "run.log", tree=tree)
            figures[name].append(one)
            print(f"  {time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f} {name}: "
                  f"{one['seconds']:.2f} s, {one['cpu']:.1f} s CPU", flush=True)
    rows = [[name, fmt_s(median([f["seconds"] for f in runs])), fmt_runs([f["seconds"] for f in runs]),
             f"{median([f['cpu'] for f in runs]):.1f} s"] for name, runs in figures.items()]
    this, that = (median([f[k] for f in figures["this tree"]]) / median([f[k] for f in figures[str(other)]])
                  for k in ("seconds", "cpu"))
    print(table(["first run, default --jobs", "median", f"runs (s, n={repeat})", "CPU (median)"], rows))
    print(f"\nthis tree / {other}: {this:.2f}x wall, {that:.2f}x CPU")
    shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--units", type=int, default=5)
    parser.add_argument("--per-unit", type=int, default=40, help="employees per unit (200 per agency)")
    parser.add_argument("--seed", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=0, help="also time a first run with --jobs N")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the cached inputs")
    parser.add_argument("--against", type=Path, help="only first runs, alternately in this tree and in this "
                        "checkout of another commit (git worktree add …), --repeat pairs")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    inputs = ensure_inputs(args)
    if args.against:
        compare(inputs, args.against.resolve(), args.repeat)
        return
    scratch = OUT_DIR / "run_scratch"
    steps = {"first run": [], "unchanged rerun": [], "first run, --jobs 1": []}
    if args.jobs and args.jobs != 1:
        steps[f"first run, --jobs {args.jobs}"] = []
    peaks = {name: [] for name in steps}
    cpus = {name: [] for name in steps}
    sources = []
    for rep in range(args.repeat):
        for name in steps:
            if name == "unchanged rerun":
                continue  # follows the first run, on the same copies and store
            config = fresh_copy(inputs, scratch)
            database = scratch / "kinerja.db"
            extra = ("--jobs", name.rsplit(" ", 1)[1]) if "--jobs" in name else ()
            figures = run_once(config, f"sqlite:///{database}", scratch / "run.log", *extra)
            steps[name].append(figures["seconds"])
            peaks[name].append(figures["peak_mb"])
            cpus[name].append(figures["cpu"])
            if name == "first run":
                sources = per_source_seconds(database)
                again = run_once(config, f"sqlite:///{database}", scratch / "rerun.log")
                steps["unchanged rerun"].append(again["seconds"])
                peaks["unchanged rerun"].append(again["peak_mb"])
                cpus["unchanged rerun"].append(again["cpu"])
        print(f"  repetition {rep + 1}/{args.repeat}: "
              + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in steps.items() if v), flush=True)

    employees = args.agencies * args.units * args.per_unit
    rows = [[name, fmt_s(median(times)), fmt_runs(times), f"{median(cpus[name]):.1f} s",
             f"{max(peaks[name]):.0f} MB"] for name, times in steps.items() if times]
    first = median(steps["first run"])
    rows[0].append(f"<= {RUN_BUDGET_S:.0f} s: {'PASS' if first <= RUN_BUDGET_S else 'FAIL'}")
    rows[2].append(f"first run / this = {first / median(steps['first run, --jobs 1']):.2f}")
    for row in rows:
        row += [""] * (6 - len(row))
    print()
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(table(["step", "median", f"runs (s, n={args.repeat})", "CPU (user+sys, median)", "peak RSS",
                 "note"], rows))
    print(f"\n`kinerja run` budget (issue 17, first run at most {RUN_BUDGET_S:.0f} s with the default "
          f"--jobs): {'PASS' if first <= RUN_BUDGET_S else 'FAIL'} ({first:.1f} s)")
    if sources:
        print(f"\n{args.agencies} agencies, {employees:,} employees; per agency (first run, from the "
              f"history): median {median(sources):.2f} s, max {max(sources):.2f} s")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
