"""Documents budget (design.md §6, issue 14): the PDFs of 1,000 employees in at most 60 s.

Builds a synthetic agency (its own generator, so it does not depend on the demo
package), scores it, then measures for one period, each repeated and reported
as medians:

  a. ours: `sync.documents.export_documents` end to end: contexts from the
     frames and results, Typst in a pool of processes (every core), every PDF
     written atomically under bench/out/documents/. The budget applies here.
  b. Typst alone, 1 process: the same templates and the same JSON data compiled
     one after the other by one `typst.Compiler` per template, nothing written.
  c. Typst alone, N processes: b split over every core, in plain `python -c`
     processes that import only typst (start-up included, data files excluded).

Pages per second are counted from the PDFs themselves. The three steps alternate
their order on each repetition, and each reports its CPU seconds (this process
plus its finished children) beside the wall time: on a machine shared with other
work, CPU per page is the steadier figure.

    .venv/bin/python bench/bench_documents.py
    .venv/bin/python bench/bench_documents.py --employees 200 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import scoring  # noqa: E402
from sync.documents import DocumentTexts, export_documents, plan_documents  # noqa: E402
from sync.documents.render import TEMPLATES, Renderer, page_count  # noqa: E402

OUT = ROOT / "bench" / "out"
BUDGET_S = 60.0

FIRST = ("Muhammad", "Teuku", "Cut", "Nurul", "Siti", "Rizki", "Fitri", "Ahmad", "Dewi",
         "Zulfikar", "Rahmat", "Intan", "Fajar", "Putri", "Hendra", "Maulida", "Khairul", "Nanda")
LAST = ("Syahputra", "Rahmawati", "Hidayat", "Harahap", "Lubis", "Nasution", "Siregar",
        "Maulana", "Handayani", "Saputra", "Ramadhan", "Yusuf", "Ibrahim", "Abdullah")
TITLES = ("", "S.E.", "S.Kom.", "S.K.M.", "S.Kep., Ns.", "A.Md.Kes.", "S.H., M.H.",
          "S.E., M.Si.", "S.Pd., M.Pd.", "S.STP., M.A.P.")
RANKS = ("II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IX", "VII")
RHK = (
    ("Meningkatnya mutu pelayanan kesehatan dasar",
     "Meningkatnya cakupan pelayanan kesehatan dasar yang bermutu, merata dan terjangkau bagi "
     "seluruh lapisan masyarakat melalui penguatan jejaring fasilitas kesehatan tingkat pertama "
     "dan pemberdayaan kader posyandu",
     (("quantity", "Jumlah kunjungan rumah pasien prioritas", "kunjungan", 240),
      ("quality", "Persentase pasien puas terhadap layanan", "persen", 90))),
    ("Terkelolanya administrasi umum dan keuangan",
     "Tersusunnya laporan keuangan dan administrasi perkantoran yang tertib dan tepat waktu",
     (("quantity", "Jumlah laporan keuangan bulanan", "laporan", 12),
      ("time", "Rata-rata hari keterlambatan laporan", "hari", 2))),
    ("Meningkatnya kualitas data kependudukan",
     "Terlaksananya pemutakhiran data kependudukan dan penerbitan dokumen tepat waktu",
     (("quantity", "Jumlah dokumen kependudukan diterbitkan", "dokumen", 1800),
      ("quality", "Persentase dokumen tanpa kesalahan", "persen", 98))),
    ("Meningkatnya mutu pembelajaran",
     "Terlaksananya supervisi akademik dan pendampingan guru pada satuan pendidikan binaan",
     (("quantity", "Jumlah sekolah disupervisi", "sekolah", 24),
      ("quality", "Persentase guru memenuhi standar kompetensi", "persen", 85))),
)
OBSTACLES = (("Jaringan internet terputus beberapa hari", "Koordinasi dengan Diskominfo"),
             ("Anggaran perjalanan dinas belum cair", "Kegiatan digeser ke bulan berikutnya"),
             ("Petugas cuti melahirkan", "Tugas dibagi ke rekan satu seksi"))
FEEDBACK = ("Sangat responsif terhadap keluhan warga", "Perlu lebih teliti dalam laporan",
            "Selalu membantu rekan kerja", "Disiplin dan tepat waktu", "Inisiatif yang baik")


def synthetic_agency(employees: int, units: int, seed: int = 7):
    """(frames, settings) of a monthly agency: `employees` people in `units` units, 12 months.

    Each employee has 5 IKI (the fifth Tambahan) and a skill that moves both work
    and behaviour, so every predikat occurs; 2 survey answers per employee.
    """
    rng = np.random.default_rng(seed)
    per_unit = max(2, employees // units)
    people = []
    for u in range(units):
        unit = f"UPTD Puskesmas Kecamatan {u + 1:02d}" if u else "Sekretariat Dinas"
        head = None
        for i in range(per_unit):
            nip = f"19{70 + (len(people) % 30):02d}0101{2000 + len(people) % 20}01{1 + i % 2}" \
                  f"{len(people) % 1000:03d}"
            title = TITLES[rng.integers(len(TITLES))]
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}" + (f", {title}" if title else "")
            if len(people) % 97 == 5:
                name = "Dr. H. Muhammad Ridwan Syahputra, S.E., M.Si."
            people.append((nip, name, RANKS[rng.integers(len(RANKS))],
                           "Kepala Unit" if i == 0 else "Pelaksana", unit, head))
            head = head or nip
    emp = pd.DataFrame(people, columns=["nip", "name", "rank", "position", "unit",
                                        "supervisor_nip"])
    emp["asn_type"], emp["active"] = "pns", True
    ind, real, beh = [], [], []
    skills = rng.normal(1.0, 0.12, len(emp))  # some excel, some struggle: every predikat
    for nip, boss, skill in zip(emp["nip"], emp["supervisor_nip"], skills, strict=True):
        for k in range(5):
            parent, rhk, ikis = RHK[(int(nip[-3:]) + k // 2) % len(RHK)]
            aspect, text, uom, target = ikis[k % 2]
            code = f"{nip}-{k}"
            kind = "additional" if k == 4 else "main"
            ind.append((code, nip, kind, parent, rhk, aspect, text, uom, float(target),
                        "down" if aspect == "time" else "up",
                        "sum" if aspect == "quantity" else "mean"))
            for month in range(1, 13):
                base = target / 12 if aspect == "quantity" else target
                factor = skill if aspect != "time" else 2 - skill
                value = float(round(base * factor * rng.uniform(0.9, 1.1), 1))
                obstacle = OBSTACLES[rng.integers(3)] if rng.random() < 0.1 else ("", "")
                real.append((code, month, value, np.nan, *obstacle))
        for month in range(1, 13):
            rater = boss if isinstance(boss, str) else nip
            role = "supervisor" if isinstance(boss, str) else "self"
            scores = np.clip(np.rint(rng.normal(4.0 + 4 * (skill - 1), 0.7, 7)), 1, 5)
            beh.append((month, nip, rater, role, *scores, FEEDBACK[rng.integers(5)]))
    indicators = pd.DataFrame(ind, columns=["iki_code", "nip", "rhk_type", "parent_rhk", "rhk",
                                            "aspect", "indicator", "unit_of_measure", "target",
                                            "direction", "aggregation"])
    indicators["target_max"], indicators["weight"] = np.nan, np.nan
    values = list(scoring.frames.VALUE_COLUMNS)
    count = 2 * len(emp)
    answers = rng.choice([2.0, 3.0, 4.0], size=(count, 9), p=[0.1, 0.5, 0.4])
    surveys = pd.DataFrame({
        "response_id": [f"r{i}" for i in range(count)], "month": rng.integers(1, 13, count),
        "service_unit": rng.choice(emp["unit"].unique(), count), "service_type": "Rawat Jalan",
        "officer_nip": None, **{f"u{i + 1}": answers[:, i] for i in range(9)}})
    frames = scoring.Frames(
        employees=emp, indicators=indicators,
        realisations=pd.DataFrame(real, columns=["iki_code", "month", "value", "period_target",
                                                 "obstacle", "follow_up_plan"]),
        behaviours=pd.DataFrame(beh, columns=["month", "nip", "rater_nip", "role", *values,
                                              "feedback"]),
        supervisor_ratings=pd.DataFrame({
            "period": [f"2026-{m:02d}" for m in range(1, 13)] * units,
            "nip": np.repeat(emp.groupby("unit", sort=False)["nip"].first().to_numpy(), 12),
            "work_rating": "meets", "behaviour_rating": "meets"}),
        surveys=surveys,
    )
    settings = scoring.Settings(org_name="Dinas Kesehatan Kabupaten Aceh Utara", year=2026,
                                period_type="monthly", org_predikat="good")
    return frames, settings


def _bare(jobs) -> int:
    renderer = Renderer()
    return sum(page_count(renderer.compile(j.kind, j.data)) for j in jobs)


BARE_SCRIPT = """
import json, sys, typst
templates, share = sys.argv[1], json.load(open(sys.argv[2]))
compilers = {}
for kind, data in share:
    if kind not in compilers:
        compilers[kind] = typst.Compiler(f"{templates}/{kind}.typ", root=templates,
                                         ignore_system_fonts=True)
    compilers[kind].compile(format="pdf", sys_inputs={"data": data})
"""


def _bare_processes(jobs, workers: int) -> None:
    """Typst alone on `workers` plain processes (python -c, importing only typst)."""
    folder = OUT / "bare"
    folder.mkdir(parents=True, exist_ok=True)
    shares = []
    for i in range(workers):
        path = folder / f"share{i}.json"
        path.write_text(json.dumps([(j.kind, j.data) for j in jobs[i::workers]]))
        shares.append(path)
    t = time.perf_counter()
    running = [subprocess.Popen([sys.executable, "-c", BARE_SCRIPT, str(TEMPLATES), str(p)])
               for p in shares]
    for process in running:
        if process.wait() != 0:
            raise SystemExit("bare typst process failed")
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=1000)
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--period", default="2026-12")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: nproc {cores}, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, typst {__import__('typst').__version__}; "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")

    t = time.perf_counter()
    frames, settings = synthetic_agency(args.employees, args.units)
    made = time.perf_counter() - t
    t = time.perf_counter()
    results = scoring.score(frames, settings)
    scored = time.perf_counter() - t
    print(f"input: {len(frames.employees)} employees, {len(frames.indicators)} IKI, "
          f"{len(frames.realisations)} realisation rows ({made:.1f} s); scoring {scored:.1f} s")

    texts = DocumentTexts(place="Lhoksukon", signed_on=date(2027, 1, 5))
    out = OUT / "documents"
    t = time.perf_counter()
    jobs = plan_documents(frames, settings, results, args.period, texts)
    planning = time.perf_counter() - t
    runs: dict[str, list[tuple[float, float]]] = {"a": [], "b": [], "c": []}
    pages = 0

    def ours() -> None:
        nonlocal pages
        shutil.rmtree(out, ignore_errors=True)
        written = export_documents(frames, settings, results, args.period, out, texts)
        pages = sum(w.pages for w in written)

    steps = {"a": ours, "b": lambda: _bare(jobs), "c": lambda: _bare_processes(jobs, cores)}
    for i in range(args.repeat):
        # Alternate the order, so load from elsewhere falls on each step alike.
        for key in ("a", "c", "b") if i % 2 == 0 else ("c", "a", "b"):
            runs[key].append(_measured(steps[key]))

    kinds = {k: sum(1 for j in jobs if j.kind == k) for k in ("employee", "unit", "agency")}
    print(f"documents: {len(jobs)} ({kinds['employee']} employee, {kinds['unit']} unit, "
          f"{kinds['agency']} agency), {pages} pages, written to {out}")
    print(f"  contexts alone (plan_documents, 1 process): {planning:.2f} s")
    labels = {"a": f"a. ours, end to end, {cores} processes", "b": "b. typst alone, 1 process",
              "c": f"c. typst alone, {cores} processes"}
    median = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
    for key, label in labels.items():
        seconds, cpu = median[key], statistics.median(c for _, c in runs[key])
        print(f"  {label:<38} {seconds:6.2f} s  {pages / seconds:6.1f} pages/s  "
              f"{len(jobs) / seconds:5.1f} documents/s  (CPU {cpu:5.1f} s, "
              f"{1000 * cpu / pages:4.1f} ms/page)")
    print(f"runs of a (s): {', '.join(f'{w:.2f}' for w, _ in runs['a'])}")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          "(other work on the machine lengthens every wall time above)")
    print(f"budget: {median['a']:.1f} s for {kinds['employee']} employees (limit {BUDGET_S:.0f} s): "
          f"{'PASS' if median['a'] <= BUDGET_S else 'FAIL'}; ours / typst alone "
          f"({cores} processes) = {median['a'] / median['c']:.2f} in time, "
          f"{_median_cpu(runs['a']) / _median_cpu(runs['c']):.2f} in CPU")


def _median_cpu(runs) -> float:
    return statistics.median(c for _, c in runs)


def _measured(step) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its finished children) of one step."""
    before = sum(_cpu())
    t = time.perf_counter()
    step()
    return time.perf_counter() - t, sum(_cpu()) - before


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + system) of this process and of its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
