"""Excel budget (design.md §6): reading a workbook is within 1.5x of python-calamine reading it raw.

Generates once (cached under bench/out/) a filled workbook of 10,000 employees x
5 IKI x 12 months (about 600,000 Realisasi rows), then measures, N times each,
interleaved, and reports medians:

  a. python-calamine alone: the file's bytes opened from memory and `to_python()`
     on every input tab (Pengaturan, Pegawai, SKP, Realisasi, Perilaku,
     Penilaian Atasan, Survei, Unit Layanan);
  b. our read: `ExcelSource(path).read(INPUT_TAB_KEYS)`, exactly what `kinerja` does;
     the budget is b / a <= 1.5;
  c. validation: `check_workbook` on the workbook read in b;
  d. scoring: `scoring_inputs` + `scoring.score` (every period);
  e. `kinerja score COPY` end to end in a subprocess, on a fresh copy of the file
     each time (includes interpreter start-up and writing the result tabs).

Run by hand from the project root:

    .venv/bin/python bench/bench_excel.py              # 3 repetitions
    .venv/bin/python bench/bench_excel.py --repeat 5 --profile

No timing is asserted; the script prints PASS/FAIL against the budget and exits 0.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import time
from pathlib import Path

import python_calamine
from _common import OUT_DIR, ROOT, fmt_runs, fmt_s, machine, measured_run, median, table, timed

import scoring
from sheet_templates import INPUT_TABS, SETTINGS
from sync.check.checking import check_workbook
from sync.pipeline import INPUT_TAB_KEYS, scoring_inputs
from sync.demo.sample import write_demo_workbook
from sync.sources.excel.source import ExcelSource

READ_BUDGET = 1.5
INPUT_LABELS = [SETTINGS.label, *(tab.label for tab in INPUT_TABS)]


def workbook_path(args) -> Path:
    name = (f"excel_{args.units}x{args.employees_per_unit}_iki{args.indicators}_m{args.months}"
            f"_{args.behaviour}_s{args.surveys}_seed{args.seed}.xlsx")
    return OUT_DIR / name


def ensure_workbook(args) -> Path:
    """The cached input workbook, generated when missing (or with --regenerate)."""
    path = workbook_path(args)
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists() and not args.regenerate:
        info = json.loads(meta.read_text())
        print(f"input: {path.relative_to(ROOT)} (cached, {path.stat().st_size / 1e6:.1f} MB, "
              f"generated in {info['seconds']:.0f} s on {info['date']})")
        return path
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    print(f"generating {path.relative_to(ROOT)} (once; about a minute or two) ...", flush=True)
    tmp = path.with_suffix(".tmp.xlsx")
    start = time.perf_counter()
    write_demo_workbook(tmp, seed=args.seed, units=args.units, employees_per_unit=args.employees_per_unit,
                        indicators_per_employee=args.indicators, months=args.months,
                        surveys=args.surveys, behaviour=args.behaviour)
    seconds = time.perf_counter() - start
    os.replace(tmp, path)
    meta.write_text(json.dumps({"seconds": seconds, "date": time.strftime("%Y-%m-%d %H:%M")}))
    print(f"generated in {seconds:.0f} s, {path.stat().st_size / 1e6:.1f} MB", flush=True)
    return path


def calamine_raw(path: Path) -> dict[str, list]:
    """(a) python-calamine alone: bytes -> workbook -> to_python() of every input tab."""
    data = path.read_bytes()
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in INPUT_LABELS}


def our_read(path: Path):
    """(b) what `kinerja` does to read."""
    return ExcelSource(path).read(INPUT_TAB_KEYS)


def score_checked(checked):
    """(d) validated frames -> results, every period."""
    frames, settings = scoring_inputs(checked)
    return scoring.score(frames, settings)


def kinerja_executable() -> str:
    candidate = Path(sys.executable).parent / "kinerja"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("kinerja")
    if not found:
        sys.exit("cannot find the `kinerja` command; install the project into this virtualenv")
    return found


def run_cli(kinerja: str, source: Path, copy: Path) -> tuple[float, float, int, str]:
    """(e) `kinerja score COPY` on a fresh copy; (seconds, peak RSS MB, exit code, output)."""
    shutil.copyfile(source, copy)
    log = copy.with_suffix(".log")
    figures = measured_run([kinerja, "score", str(copy)], log, OUT_DIR)
    return figures["seconds"], figures["peak_mb"], figures["code"], log.read_text()


def profile_once(path: Path, top: int) -> None:
    """cProfile of b + c + d once; the top functions by cumulative and own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    checked = check_workbook(our_read(path))
    score_checked(checked)
    profiler.disable()
    dump = OUT_DIR / "bench_excel.prof"
    profiler.dump_stats(dump)
    for key in ("cumulative", "tottime"):
        print(f"\n--- profile of read + validation + scoring, by {key} (full: {dump.relative_to(ROOT)}) ---")
        pstats.Stats(profiler).strip_dirs().sort_stats(key).print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each step (median)")
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--employees-per-unit", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=5, help="IKI per employee (1-5)")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--surveys", type=int, default=50_000)
    parser.add_argument("--behaviour", choices=("monthly", "sparse"), default="monthly",
                        help="monthly 360-degree feedback (default, ~334k rows) or sparse (~70k rows)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--regenerate", action="store_true", help="rewrite the cached input workbook")
    parser.add_argument("--skip-cli", action="store_true", help="leave out step e")
    parser.add_argument("--profile", action="store_true", help="also cProfile read+validate+score once")
    parser.add_argument("--top", type=int, default=25, help="profile lines to print")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    path = ensure_workbook(args)
    kinerja = None if args.skip_cli else kinerja_executable()

    times: dict[str, list[float]] = {k: [] for k in "abcde"}
    cli_peaks: list[float] = []
    sizes = None
    for rep in range(args.repeat):
        # Alternate which reader goes first, so neither always gets the warmer caches.
        order = ("a", "b") if rep % 2 == 0 else ("b", "a")
        raw = None
        for step in order:
            if step == "a":
                seconds, rows = timed(calamine_raw, path)
                sizes = {name: len(r) for name, r in rows.items()}
                del rows
            else:
                seconds, raw = timed(our_read, path)
            times[step].append(seconds)
        seconds, checked = timed(check_workbook, raw)
        times["c"].append(seconds)
        del raw
        seconds, results = timed(score_checked, checked)
        times["d"].append(seconds)
        errors, warnings, scored = checked.errors, checked.warnings, len(results.results)
        del checked, results
        if kinerja:
            seconds, peak, code, output = run_cli(kinerja, path, OUT_DIR / "bench_excel_run.xlsx")
            if code != 0:
                print(output)
                sys.exit(f"`kinerja score` failed with exit code {code}")
            times["e"].append(seconds)
            cli_peaks.append(peak)
        print(f"  repetition {rep + 1}/{args.repeat}: "
              + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items() if v), flush=True)

    print(f"\ninput tabs (rows incl. header): {sizes}")
    print(f"validation: {errors} errors, {warnings} warnings; scoring: {scored} result rows")
    med = {k: median(v) for k, v in times.items() if v}
    ratio = med["b"] / med["a"]
    verdict = "PASS" if ratio <= READ_BUDGET else "FAIL"
    rows = [
        ["a", "python-calamine raw (all input tabs)", fmt_s(med["a"]), fmt_runs(times["a"]), ""],
        ["b", "ExcelSource.read(INPUT_TAB_KEYS)", fmt_s(med["b"]), fmt_runs(times["b"]),
         f"b/a = {ratio:.2f}x (budget <= {READ_BUDGET}x): {verdict}"],
        ["c", "check_workbook (validation)", fmt_s(med["c"]), fmt_runs(times["c"]), ""],
        ["d", "scoring_inputs + scoring.score", fmt_s(med["d"]), fmt_runs(times["d"]), ""],
    ]
    if times["e"]:
        rest = med["e"] - med["b"] - med["c"] - med["d"]
        rows.append(["e", "kinerja score (subprocess, end to end)", fmt_s(med["e"]), fmt_runs(times["e"]),
                     f"peak RSS {max(cli_peaks):.0f} MB; e-b-c-d = {rest:.2f} s "
                     "(start-up, render, write)"])
    print()
    print(table(["", "step", "median", f"runs (s, n={args.repeat})", "note"], rows))
    print(f"\nExcel read budget (design.md §6, within {READ_BUDGET}x of raw calamine): {verdict} "
          f"({ratio:.2f}x)")
    for leftover in (OUT_DIR / "bench_excel_run.xlsx", OUT_DIR / "bench_excel_run.log"):
        leftover.unlink(missing_ok=True)
    if args.profile:
        profile_once(path, args.top)


if __name__ == "__main__":
    main()
