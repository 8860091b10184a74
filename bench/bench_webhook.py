"""Load test of the SKM webhook on loopback: stored answers per second, p50/p99, vs. a bare Flask app.

Budget (design.md §6): at 32 concurrent clients, at least 500 stored submissions per
second, at least half the rate of a bare Flask endpoint served by the same gunicorn
settings, p99 under 100 ms. Afterwards the store must hold exactly one row per
distinct response id sent (a share of the posts repeat an earlier id on purpose).

Run by hand (not part of the test suite):

    .venv/bin/python bench/bench_webhook.py                    # SQLite store
    .venv/bin/python bench/bench_webhook.py --database-url postgresql://user@127.0.0.1:5432/db

The clients run in 4 processes x 8 threads (keep-alive http.client connections), on the
same machine as the server, so both share its cores; the bare run has the same handicap.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import machine  # noqa: E402

SECRET = "bench-secret-0123456789abcdef0123"
FORM_ID = "1FAIpQLSfBenchForm"
UNITS = ("Dinas Kependudukan dan Pencatatan Sipil", "Dinas Kesehatan", "Puskesmas Sukamaju")
DUPLICATE_EVERY = 20  # every 20th post repeats an earlier response id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--processes", type=int, default=4, help="client processes (clients split evenly)")
    parser.add_argument("--requests", type=int, default=250, help="posts per client")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3, help="webhook/bare pairs; the best of each counts")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file per repeat")
    parser.add_argument("--bare-server", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server is not None:
        return serve_bare(args.bare_server, args.workers, args.threads)

    print(machine())
    print(f"clients {args.clients} ({args.processes} processes x threads, keep-alive), {args.requests} posts "
          f"each, every {DUPLICATE_EVERY}th a repeat; server: gunicorn gthread {args.workers} workers x "
          f"{args.threads} threads; {args.repeat} repeats (other load on the machine varies: see load avg)")
    runs = []
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        tmp = Path(tmp)
        config = write_setup(tmp)
        for repeat in range(args.repeat):
            url = args.database_url or f"sqlite:///{tmp / f'store{repeat}.db'}"
            webhook_cmd = [sys.executable, "-m", "sync.commands_webhook", "serve", "--config", str(config),
                           "--workers", str(args.workers), "--threads", str(args.threads)]
            env = {**os.environ, "KINERJA_WEBHOOK_SECRET": SECRET, "KINERJA_DATABASE_URL": url}
            stored = run_against(webhook_cmd, env, tmp / "webhook.log", args, True, f"r{repeat}")
            bare_cmd = [sys.executable, __file__, "--workers", str(args.workers), "--threads",
                        str(args.threads), "--bare-server"]
            bare = run_against(bare_cmd, dict(os.environ), tmp / "bare.log", args, False, f"r{repeat}")
            print(f"repeat {repeat + 1} (store {url.split('@')[-1]}), load avg {os.getloadavg()[0]:.1f}:")
            runs.append((line("webhook", stored), line("bare", bare)))
            verify_store(url, stored["distinct"], f"bench-r{repeat}-")
    report(runs)


def write_setup(tmp: Path) -> Path:
    """An agency workbook with three units and a kinerja.toml listing the bench form."""
    from sheet_templates.xlsx import build_template

    employees = [{"nip": f"19850314201003100{i}", "name": f"Pegawai {i}", "asn_type": "PNS", "rank": "III/b",
                  "unit": UNITS[i % 2], "active": "Ya"} for i in range(1, 5)]
    build_template(tmp / "bench.xlsx", settings={"org_name": "Dinas Bench", "year": 2026},
                   data={"employees": employees,
                         "service_units": [{"service_unit": UNITS[2], "period": "2026-03",
                                            "population": 500}]})
    path = tmp / "kinerja.toml"
    path.write_text(f'[pemda]\nname = "Bench"\n\n[[sources]]\nname = "bench"\nlocation = "bench.xlsx"\n'
                    f'forms = ["{FORM_ID}"]\n', encoding="utf-8")
    return path


def serve_bare(port: int, workers: int, threads: int) -> None:
    """A Flask endpoint that reads the body and answers 201, under the same gunicorn settings."""
    from flask import Flask, jsonify, request

    from webhook.server import serve, server_options

    def factory():
        app = Flask("bare")

        @app.post("/forms/skm")
        def bare():
            request.get_data()
            return jsonify(status="stored"), 201

        @app.get("/healthz")
        def healthz():
            return jsonify(status="ok")

        return app

    serve(factory, server_options("127.0.0.1", port, workers, threads))


def run_against(command: list[str], env: dict, log_path: Path, args, signed: bool, tag: str) -> dict:
    port = free_port()
    if "--bare-server" in command:
        command = [*command, str(port)]
    else:
        command = [*command, "--host", "127.0.0.1", "--port", str(port)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=Path(__file__).resolve().parents[1])
        try:
            wait_until_up(port, proc)
            warm_up(port, signed)
            cpu_before = group_cpu_seconds(proc.pid)
            result = load(port, args, signed, tag)
            result["server_cpu"] = group_cpu_seconds(proc.pid) - cpu_before
            return result
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def load(port: int, args, signed: bool, tag: str) -> dict:
    per_process = [args.clients // args.processes + (i < args.clients % args.processes)
                   for i in range(args.processes)]
    barrier = mp.get_context("fork").Barrier(args.processes + 1)
    queue = mp.get_context("fork").Queue()
    procs = [mp.get_context("fork").Process(target=client_process, args=(
        port, n, f"{tag}-{i}", args.requests, signed, barrier, queue)) for i, n in enumerate(per_process)]
    for proc in procs:
        proc.start()
    barrier.wait()  # every client has built and signed its bodies
    results = [queue.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join()
    latencies = sorted(x for r in results for x in r["latencies"])
    statuses: dict[int, int] = {}
    for r in results:
        for status, count in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    wall = max(r["end"] for r in results) - min(r["start"] for r in results)
    return {"wall": wall, "latencies": latencies, "statuses": statuses,
            "distinct": set().union(*(r["ids"] for r in results)),
            "client_cpu": sum(r["cpu"] for r in results)}


def client_process(port: int, clients: int, index: str, requests: int, signed: bool, barrier, queue) -> None:
    from webhook.auth import sign

    ts = str(int(time.time()))
    work = []
    for c in range(clients):
        batch = []
        for n in range(requests):
            # every DUPLICATE_EVERY-th post repeats the one 10 posts before it (a retried answer)
            k = n - 10 if n % DUPLICATE_EVERY == DUPLICATE_EVERY - 1 and n >= 10 else n
            rid = f"bench-{index}-{c}-{k}"
            body = json.dumps(payload(rid, k)).encode()
            headers = {"Content-Type": "application/json", "X-Kinerja-Timestamp": ts,
                       "X-Kinerja-Signature": sign(SECRET, ts, body) if signed else "-"}
            batch.append((rid, body, headers))
        work.append(batch)
    out = {"latencies": [], "statuses": {}, "ids": set()}
    lock = threading.Lock()

    def client(batch):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies, statuses, ids = [], {}, set()
        for rid, body, headers in batch:
            start = time.perf_counter()
            conn.request("POST", "/forms/skm", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - start)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            ids.add(rid)
        conn.close()
        with lock:
            out["latencies"].extend(latencies)
            out["ids"] |= ids
            for status, count in statuses.items():
                out["statuses"][status] = out["statuses"].get(status, 0) + count

    threads = [threading.Thread(target=client, args=(batch,)) for batch in work]
    barrier.wait()
    cpu = time.process_time()
    out["start"] = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out["end"] = time.monotonic()
    out["cpu"] = time.process_time() - cpu
    queue.put(out)


def payload(rid: str, n: int) -> dict:
    from sheet_templates.skm_form import SKM_QUESTIONS

    return {"form_id": FORM_ID, "response_id": rid, "submitted_at": "2026-03-14T09:21:05Z",
            "unit": UNITS[n % 3], "service": "Akta Kelahiran", "officer_nip": "198503142010031001",
            "answers": {q.title: q.options[(n + i) % 4] for i, q in enumerate(SKM_QUESTIONS)},
            "profile": {"jenis_kelamin": "P", "usia": 20 + n % 50, "pendidikan": "SMA", "pekerjaan": "PNS"},
            "suggestion": "Antrian lebih cepat, petugas ramah."}


def warm_up(port: int, signed: bool) -> None:
    """A few posts first, so workers have read the unit list before the clock starts."""
    from webhook.auth import sign

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for n in range(20):
        body = json.dumps(payload(f"warmup-{n}", n)).encode()
        ts = str(int(time.time()))
        conn.request("POST", "/forms/skm", body=body, headers={
            "Content-Type": "application/json", "X-Kinerja-Timestamp": ts,
            "X-Kinerja-Signature": sign(SECRET, ts, body) if signed else "-"})
        conn.getresponse().read()
    conn.close()


def line(name: str, run: dict) -> dict:
    """Print one run; return its figures."""
    lat, wall = run["latencies"], run["wall"]
    ok = run["statuses"].get(201, 0)
    figures = {"rate": len(lat) / wall, "stored": ok / wall, "p50": lat[len(lat) // 2] * 1000,
               "p99": lat[int(len(lat) * 0.99)] * 1000}
    print(f"  {name:8s} {len(lat):5d} posts in {wall:5.2f} s: {figures['rate']:5.0f} req/s, "
          f"{figures['stored']:5.0f} x 201/s, p50 {figures['p50']:5.1f} ms, p99 {figures['p99']:5.1f} ms, "
          f"mean {statistics.fmean(lat) * 1000:5.1f} ms; {dict(sorted(run['statuses'].items()))}; "
          f"CPU per post: server {run['server_cpu'] / len(lat) * 1000:.2f} ms, "
          f"clients {run['client_cpu'] / len(lat) * 1000:.2f} ms")
    return figures


def report(runs: list[tuple[dict, dict]]) -> None:
    best = max((w for w, _ in runs), key=lambda f: f["stored"])
    bare = max(b["rate"] for _, b in runs)
    same = max(runs, key=lambda r: r[0]["rate"] / r[1]["rate"])
    print(f"best webhook run: {best['stored']:.0f} stored/s (>= 500: {best['stored'] >= 500}), "
          f"{best['rate']:.0f} req/s, p99 {best['p99']:.1f} ms (< 100: {best['p99'] < 100})")
    print(f"best bare run: {bare:.0f} req/s; webhook/bare: best vs best {best['rate'] / bare:.2f}, "
          f"best same-repeat pair {same[0]['rate'] / same[1]['rate']:.2f} (budget >= 0.5)")


def verify_store(url: str, distinct: set[str], prefix: str) -> None:
    from sync.store import SurveyStore

    store = SurveyStore(url)
    ids = [i for i in store.response_ids() if i.startswith(prefix)]
    store.dispose()
    ok = len(ids) == len(set(ids)) and set(ids) == distinct
    print(f"  store: {len(ids)} rows for {len(distinct)} distinct response ids sent: "
          f"{'exactly one each' if ok else 'MISMATCH'}")
    if not ok:
        sys.exit(1)


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU time of every live process in the server's process group."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields[2] is the process group id
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def wait_until_up(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()
