"""Excel budgets (design.md §6, issue 17): reading, and `kinerja score` end to end, against the raw read.

Generates once (cached under bench/out/) a filled workbook of 10,000 employees x
5 IKI x 12 months (about 600,000 Realisasi rows), then measures, N times each,
interleaved, and reports medians:

  f. fastexcel alone (the floor): the file's bytes, `fastexcel.read_excel`, and every
     input tab loaded into Arrow (`load_sheet(...)` + its Arrow C array); needs the
     `fastexcel` package (left out, with a note, when it is not installed);
  f2. the same on as many threads as `kinerja` reads with (`READ_THREADS`, the cores, at most
     4; a fastexcel reader per thread, biggest tab first): not a budget, shown beside b so
     that b's use of both cores is seen for what it is;
  a. python-calamine alone: the file's bytes opened from memory and `to_python()`
     on every input tab (Pengaturan, Pegawai, SKP, Realisasi, Perilaku,
     Penilaian Atasan, Survei, Unit Layanan, Tabel TPP, Kehadiran);
  b. our read: `ExcelSource(COPY).read(INPUT_TAB_KEYS)`, exactly what `kinerja` does;
     budgets b / f <= 1.15 (issue 17) and b / a <= 1.5 (design.md §6);
  c. validation: `check_workbook`, d. scoring: `scoring_inputs` + `scoring.score`,
     r. rendering (Validasi, the result tabs, TPP and Angka Kredit, Pengaduan), each
     timed inside one `pipeline.evaluate` on the workbook read in b (the phases are
     timed by wrapping the functions `evaluate` calls);
  w. writing: `ExcelSource.write(tabs)` of what c-r produced, into the copy read in b;
     budget <= 3 s;
  e. `kinerja score COPY` end to end in a subprocess, on a fresh copy of the file
     each time (includes interpreter start-up); budgets e / f <= 2.5 and peak RSS <= 1 GB;
  b0, c0, e0 (left out with --skip-rowwise): b, c and e with the row-wise read of before
     issue 17 (KINERJA_EXCEL_READER=calamine: python-calamine's rows, validated row by row).

Run by hand from the project root:

    .venv/bin/python bench/bench_excel.py              # 3 repetitions
    .venv/bin/python bench/bench_excel.py --repeat 5 --profile

No timing is asserted; the script prints PASS/FAIL against each budget and exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import python_calamine
from _common import OUT_DIR, ROOT, fmt_runs, fmt_s, machine, measured_run, median, table, timed

import scoring
from sheet_templates import INPUT_TABS, SETTINGS
from sync import pipeline, render
from sync.check.checking import check_workbook
from sync.demo.sample import write_demo_workbook
from sync.pipeline import INPUT_TAB_KEYS
from sync.render import pay as render_pay
from sync.sources.excel import columns
from sync.sources.excel.source import READ_THREADS, ExcelSource

try:
    import fastexcel
except ImportError:  # the floor is left out; everything else still runs
    fastexcel = None

READ_BUDGET = 1.5  # design.md §6: b / a
READ_FLOOR_BUDGET = 1.15  # issue 17: b / f
SCORE_FLOOR_BUDGET = 2.5  # issue 17: e / f
SCORE_MEMORY_MB = 1024.0  # issue 17: e's peak RSS
WRITE_BUDGET_S = 3.0  # issue 17: w
STEPS = ("f", "f2", "a", "b", "b0", "c", "c0", "d", "r", "w", "e", "e0")
ROWWISE = {"KINERJA_EXCEL_READER": "calamine"}
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


def fastexcel_raw(path: Path) -> dict[str, int]:
    """(f) fastexcel alone: bytes -> reader -> every input tab loaded into Arrow; rows per tab."""
    data = path.read_bytes()
    reader = fastexcel.read_excel(data)
    sizes = {}
    for name in INPUT_LABELS:
        if name in reader.sheet_names:
            sheet = reader.load_sheet(name)
            sheet.__arrow_c_array__()  # the Arrow arrays themselves, without needing pyarrow
            sizes[name] = sheet.height
    return sizes


def fastexcel_threads(path: Path) -> dict[str, int]:
    """(f2) fastexcel alone on READ_THREADS threads, biggest tab first, a reader per thread."""
    data = path.read_bytes()
    names = [n for n in INPUT_LABELS if n in fastexcel.read_excel(data).sheet_names]
    sizes = columns.sheet_sizes(data)
    names.sort(key=lambda n: -sizes.get(n, 0))
    local = threading.local()

    def one(name):
        if not hasattr(local, "reader"):
            local.reader = fastexcel.read_excel(data)
        sheet = local.reader.load_sheet(name)
        sheet.__arrow_c_array__()
        return sheet.height

    with ThreadPoolExecutor(max_workers=READ_THREADS) as pool:
        return dict(zip(names, pool.map(one, names), strict=True))


def our_read(path: Path):
    """(b) what `kinerja` does to read."""
    return ExcelSource(path).read(INPUT_TAB_KEYS)


# The functions `pipeline.evaluate` calls, by phase: (module, attribute, phase).
PHASES = [
    (pipeline, "check_workbook", "c"),
    (pipeline, "scoring_inputs", "d"), (scoring, "score", "d"),
    (render_pay, "evaluate_pay", "r"), (pipeline, "evaluate_complaints", "r"),
    (pipeline, "with_complaints", "r"), (pipeline, "render_all", "r"), (render, "render_validation", "r"),
]


@contextlib.contextmanager
def phase_timers(spent: dict[str, float]):
    """Within the block, time spent in the PHASES functions accumulates into `spent[phase]`."""
    saved = []
    for module, attribute, phase in PHASES:
        original = getattr(module, attribute, None)
        if original is None:
            continue

        def timed_call(*args, _original=original, _phase=phase, **kwargs):
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_phase] = spent.get(_phase, 0.0) + time.perf_counter() - start

        saved.append((module, attribute, original))
        setattr(module, attribute, timed_call)
    try:
        yield spent
    finally:
        for module, attribute, original in saved:
            setattr(module, attribute, original)


def evaluate_in_phases(raw) -> tuple[dict[str, float], pipeline.Evaluation]:
    """(c, d, r) one `pipeline.evaluate`, its time split by phase."""
    spent: dict[str, float] = {}
    with phase_timers(spent):
        start = time.perf_counter()
        evaluation = pipeline.evaluate(raw, "bench")
        spent["evaluate"] = time.perf_counter() - start
    return spent, evaluation


def kinerja_executable() -> str:
    candidate = Path(sys.executable).parent / "kinerja"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("kinerja")
    if not found:
        sys.exit("cannot find the `kinerja` command; install the project into this virtualenv")
    return found


def run_cli(kinerja: str, source: Path, copy: Path, env: dict | None = None) -> tuple[float, float, int, str]:
    """(e) `kinerja score COPY` on a fresh copy; (seconds, peak RSS MB, exit code, output)."""
    shutil.copyfile(source, copy)
    log = copy.with_suffix(".log")
    figures = measured_run([kinerja, "score", str(copy)], log, OUT_DIR,
                           env={**os.environ, **env} if env else None)
    return figures["seconds"], figures["peak_mb"], figures["code"], log.read_text()


def profile_once(path: Path, top: int) -> None:
    """cProfile of what `kinerja score` does in-process (read, evaluate, write) once; the top
    functions by cumulative and own time."""
    copy = OUT_DIR / "bench_excel_profile.xlsx"
    shutil.copyfile(path, copy)
    profiler = cProfile.Profile()
    profiler.enable()
    source = ExcelSource(copy)
    evaluation = pipeline.evaluate(source.read(INPUT_TAB_KEYS), source.location)
    source.write(evaluation.tabs)
    profiler.disable()
    copy.unlink()
    dump = OUT_DIR / "bench_excel.prof"
    profiler.dump_stats(dump)
    for key in ("cumulative", "tottime"):
        print(f"\n--- profile of read + evaluate + write, by {key} (full: {dump.relative_to(ROOT)}) ---")
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
    parser.add_argument("--skip-cli", action="store_true", help="leave out steps e and e0")
    parser.add_argument("--skip-rowwise", action="store_true",
                        help="leave out b0, c0 and e0 (the row-wise read of before issue 17)")
    parser.add_argument("--profile", action="store_true", help="also cProfile read+validate+score once")
    parser.add_argument("--top", type=int, default=25, help="profile lines to print")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    path = ensure_workbook(args)
    kinerja = None if args.skip_cli else kinerja_executable()

    times: dict[str, list[float]] = {k: [] for k in STEPS}
    cli_peaks: dict[str, list[float]] = {}
    sizes = None
    copy = OUT_DIR / "bench_excel_copy.xlsx"
    readers = ["f", "f2", "a", "b"] if fastexcel is not None else ["a", "b"]
    if not args.skip_rowwise:
        readers.append("b0")
    for rep in range(args.repeat):
        # Rotate which reader goes first, so none always gets the warmer caches.
        order = readers[rep % len(readers):] + readers[:rep % len(readers)]
        raw = source = None
        for step in order:
            if step == "f":
                seconds, _ = timed(fastexcel_raw, path)
            elif step == "f2":
                seconds, _ = timed(fastexcel_threads, path)
            elif step == "a":
                seconds, rows = timed(calamine_raw, path)
                sizes = {name: len(r) for name, r in rows.items()}
                del rows
            elif step == "b0":
                columns.AVAILABLE, fast = False, columns.AVAILABLE
                try:
                    seconds, rowwise = timed(our_read, path)
                finally:
                    columns.AVAILABLE = fast
                times["c0"].append(timed(check_workbook, rowwise)[0])
                del rowwise
            else:
                shutil.copyfile(path, copy)
                source = ExcelSource(copy)
                seconds, raw = timed(source.read, INPUT_TAB_KEYS)
            times[step].append(seconds)
        seconds, (spent, evaluation) = timed(evaluate_in_phases, raw)
        for step in "cdr":
            times[step].append(spent.get(step, 0.0))
        evaluation.raise_if_invalid()
        checked, results = evaluation.report.checked, evaluation.report.results
        errors, warnings, scored = checked.errors, checked.warnings, len(results.results)
        written_rows = sum(len(tab.rows) for tab in evaluation.tabs)
        written_tabs = len(evaluation.tabs)
        del raw, checked, results
        seconds, _ = timed(source.write, evaluation.tabs)
        times["w"].append(seconds)
        del evaluation, source
        for step, env in (("e", None), ("e0", ROWWISE)) if kinerja else ():
            if step == "e0" and args.skip_rowwise:
                continue
            seconds, peak, code, output = run_cli(kinerja, path, OUT_DIR / "bench_excel_run.xlsx", env)
            if code != 0:
                print(output)
                sys.exit(f"`kinerja score` failed with exit code {code}")
            times[step].append(seconds)
            cli_peaks.setdefault(step, []).append(peak)
        print(f"  repetition {rep + 1}/{args.repeat}: "
              + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items() if v), flush=True)

    print(f"\ninput tabs (rows incl. header): {sizes}")
    print(f"validation: {errors} errors, {warnings} warnings; scoring: {scored} result rows; "
          f"written: {written_rows} rows in {written_tabs} output tabs")
    med = {k: median(v) for k, v in times.items() if v}

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    floor = med.get("f")
    ratio = med["b"] / med["a"]
    rows = []
    if floor:
        rows.append(["f", "fastexcel raw, Arrow (all input tabs): the floor", fmt_s(floor),
                     fmt_runs(times["f"]), ""])
        threads_note = f"f2/f = {med['f2'] / floor:.2f}x; b/f2 = {med['b'] / med['f2']:.2f}x"
        rows.append(["f2", f"  the same on {READ_THREADS} threads (as b reads; not a budget)",
                     fmt_s(med["f2"]), fmt_runs(times["f2"]), threads_note])
    rows.append(["a", "python-calamine raw, to_python (all input tabs)", fmt_s(med["a"]),
                 fmt_runs(times["a"]), f"a/f = {med['a'] / floor:.2f}x" if floor else ""])
    read_note = f"b/a = {ratio:.2f}x (<= {READ_BUDGET}x): {verdict(ratio <= READ_BUDGET)}"
    if floor:
        read_note = (f"b/f = {med['b'] / floor:.2f}x (<= {READ_FLOOR_BUDGET}x): "
                     f"{verdict(med['b'] / floor <= READ_FLOOR_BUDGET)}; " + read_note)
    rows.append(["b", "ExcelSource.read(INPUT_TAB_KEYS)", fmt_s(med["b"]), fmt_runs(times["b"]), read_note])
    if times["b0"]:
        rows.append(["b0", "  the same, row-wise (before issue 17)", fmt_s(med["b0"]), fmt_runs(times["b0"]),
                     f"b/b0 = {med['b'] / med['b0']:.2f}"])
    rows.append(["c", "check_workbook (validation)", fmt_s(med["c"]), fmt_runs(times["c"]), ""])
    if times["c0"]:
        rows.append(["c0", "  the same, row-wise (before issue 17)", fmt_s(med["c0"]), fmt_runs(times["c0"]),
                     f"c/c0 = {med['c'] / med['c0']:.2f}"])
    rows += [
        ["d", "scoring_inputs + scoring.score", fmt_s(med["d"]), fmt_runs(times["d"]), ""],
        ["r", "render (pay, complaints, result tabs, Validasi)", fmt_s(med["r"]), fmt_runs(times["r"]), ""],
        ["w", "ExcelSource.write(result tabs)", fmt_s(med["w"]), fmt_runs(times["w"]),
         f"<= {WRITE_BUDGET_S:.0f} s: {verdict(med['w'] <= WRITE_BUDGET_S)}"],
    ]
    if times["e"]:
        rest = med["e"] - med["b"] - med["c"] - med["d"] - med["r"] - med["w"]
        peak = max(cli_peaks["e"])
        note = f"peak RSS {peak:.0f} MB (<= {SCORE_MEMORY_MB:.0f} MB: {verdict(peak <= SCORE_MEMORY_MB)})"
        if floor:
            note = (f"e/f = {med['e'] / floor:.2f}x (<= {SCORE_FLOOR_BUDGET}x): "
                    f"{verdict(med['e'] / floor <= SCORE_FLOOR_BUDGET)}; " + note)
        rows.append(["e", "kinerja score (subprocess, end to end)", fmt_s(med["e"]), fmt_runs(times["e"]),
                     f"{note}; e-b-c-d-r-w = {rest:.2f} s (start-up, the rest)"])
    if times["e0"]:
        rows.append(["e0", "  the same, row-wise (before issue 17)", fmt_s(med["e0"]), fmt_runs(times["e0"]),
                     f"e/e0 = {med['e'] / med['e0']:.2f}; peak RSS {max(cli_peaks['e0']):.0f} MB"])
    print()
    print(table(["", "step", "median", f"runs (s, n={args.repeat})", "note"], rows))
    print(f"\nExcel read budget (design.md §6, within {READ_BUDGET}x of raw calamine): "
          f"{verdict(ratio <= READ_BUDGET)} ({ratio:.2f}x)")
    if floor:
        print(f"Read budget (issue 17, within {READ_FLOOR_BUDGET}x of fastexcel): "
              f"{verdict(med['b'] / floor <= READ_FLOOR_BUDGET)} ({med['b'] / floor:.2f}x)")
        if times["e"]:
            print(f"Score budget (issue 17, within {SCORE_FLOOR_BUDGET}x of fastexcel and "
                  f"{SCORE_MEMORY_MB:.0f} MB): {verdict(med['e'] / floor <= SCORE_FLOOR_BUDGET)} "
                  f"({med['e'] / floor:.2f}x), {verdict(max(cli_peaks['e']) <= SCORE_MEMORY_MB)} "
                  f"({max(cli_peaks['e']):.0f} MB)")
    else:
        print("fastexcel is not installed (pip install fastexcel): the issue-17 floor is left out")
    print(f"Write budget (issue 17, at most {WRITE_BUDGET_S:.0f} s): {verdict(med['w'] <= WRITE_BUDGET_S)} "
          f"({med['w']:.2f} s)")
    for leftover in (OUT_DIR / "bench_excel_run.xlsx", OUT_DIR / "bench_excel_run.log", copy):
        leftover.unlink(missing_ok=True)
    if args.profile:
        profile_once(path, args.top)


if __name__ == "__main__":
    main()
