"""Load test of the SKM webhook on loopback: stored answers per second, p50/p99, vs. a bare Flask app;
then valid posts while 500 slow sockets are open.

Budget (design.md §6): at 32 concurrent clients, at least 500 stored submissions per
second, at least half the rate of a bare Flask endpoint served by the same server
settings, p99 under 100 ms. Afterwards the store must hold exactly one row per
distinct response id sent (a share of the posts repeat an earlier id on purpose).
Second wave: with 500 slow sockets open (each trickles one header line every 2 s and
never finishes its request), valid posts are still answered with p99 under 1 s.

Run by hand (not part of the test suite):

    .venv/bin/python bench/bench_webhook.py                    # SQLite store
    .venv/bin/python bench/bench_webhook.py --database-url postgresql://user@127.0.0.1:5432/db
    .venv/bin/python bench/bench_webhook.py --only-slow                # just the slow-socket scenario

The clients run in 4 processes x 8 threads of http.client, on the same machine as the
server, so both share its cores; the bare run has the same handicap. Two connection models,
each reported on its own: `per-post` (a new connection for every post: what the form's Apps
Script does, one UrlFetchApp call per answer) and `keep-alive` (each client keeps one
connection; a connection stays with the worker that accepted it, so how evenly 32
connections fall on the workers moves the figures: the workers' CPU is printed per run).
Each model runs `--repeat` webhook/bare pairs, alternating which goes first; the report
gives medians and the ratio of each webhook run to the bare run beside it.

The slow-socket scenario opens `--slow-sockets` trickling connections from one thread,
then posts valid answers (a new connection each) from 8 client threads for
`--slow-seconds`, and reports p50/p99/max, failures, and how many slow sockets the
server still held open at the end.
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


MODES = {"per-post": "a new connection per post, as Apps Script opens one per form answer",
         "keep-alive": "one keep-alive connection per client"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--processes", type=int, default=4, help="client processes (clients split evenly)")
    parser.add_argument("--requests", type=int, default=250, help="posts per client")
    parser.add_argument("--workers", type=int, default=None, help="default: as kinerja serve")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3, help="webhook/bare pairs per connection model")
    parser.add_argument("--connections", choices=[*MODES, "both"], default="both")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file per run")
    parser.add_argument("--slow-sockets", type=int, default=500, help="0 skips the slow-socket scenario")
    parser.add_argument("--slow-seconds", type=float, default=15.0)
    parser.add_argument("--only-slow", action="store_true", help="run only the slow-socket scenario")
    parser.add_argument("--bare-server", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server is not None:
        return serve_bare(args.bare_server, args.workers, args.threads)

    from webhook.server import default_workers

    args.workers = args.workers or default_workers()
    modes = list(MODES) if args.connections == "both" else [args.connections]
    print(machine())
    if args.only_slow:
        modes, args.repeat = [], 0
    print(f"clients {args.clients} ({args.processes} processes x threads), {args.requests} posts each, "
          f"every {DUPLICATE_EVERY}th a repeat; server: gunicorn arbiter, waitress workers, {args.workers} "
          f"workers x {args.threads} threads; {args.repeat} webhook/bare pairs per connection model, "
          "the order alternating")
    runs: dict[str, list[tuple[dict, dict]]] = {mode: [] for mode in modes}
    slow = None
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-") as tmp:
        tmp = Path(tmp)
        config = write_setup(tmp)
        if args.slow_sockets:
            slow = slow_sockets_run(config, tmp, args)
        for repeat in range(args.repeat):
            for mode in modes:
                tag = f"r{repeat}{mode[0]}"
                url = args.database_url or f"sqlite:///{tmp / f'store-{tag}.db'}"
                webhook_cmd = webhook_command(config, args)
                env = {**os.environ, "KINERJA_WEBHOOK_SECRET": SECRET, "KINERJA_DATABASE_URL": url}
                bare_cmd = [sys.executable, __file__, "--workers", str(args.workers), "--threads",
                            str(args.threads), "--bare-server"]
                pair = {}
                order = ("webhook", "bare") if repeat % 2 == 0 else ("bare", "webhook")
                for name in order:
                    if name == "webhook":
                        pair[name] = run_against(webhook_cmd, env, tmp / "webhook.log", args, True, tag, mode)
                    else:
                        pair[name] = run_against(bare_cmd, dict(os.environ), tmp / "bare.log", args, False,
                                                 tag, mode)
                print(f"repeat {repeat + 1}, {mode} (store {url.split('@')[-1]}), "
                      f"load avg {os.getloadavg()[0]:.1f}:")
                runs[mode].append((line("webhook", pair["webhook"]), line("bare", pair["bare"])))
                verify_store(url, pair["webhook"]["distinct"], f"bench-{tag}-")
    for mode in modes:
        report(mode, runs[mode])
    if slow is not None and modes:
        print(slow)  # again, beside the other verdicts


def webhook_command(config: Path, args) -> list[str]:
    return [sys.executable, "-m", "sync.cli.surveys", "serve", "--config", str(config), "--workers",
            str(args.workers), "--threads", str(args.threads)]


def slow_sockets_run(config: Path, tmp: Path, args) -> str:
    """Valid posts while `args.slow_sockets` trickling sockets are open; prints and returns the verdict."""
    from tests.webhook.slow_clients import Tricklers, post_while

    port = free_port()
    url = args.database_url or f"sqlite:///{tmp / 'store-slow.db'}"
    env = {**os.environ, "KINERJA_WEBHOOK_SECRET": SECRET, "KINERJA_DATABASE_URL": url}
    command = [*webhook_command(config, args), "--host", "127.0.0.1", "--port", str(port)]
    with open(tmp / "slow.log", "wb") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=Path(__file__).resolve().parents[1])
        try:
            wait_until_up(port, proc, args.workers)
            warm_up(port, True)
            with Tricklers(port, count=args.slow_sockets, interval=2.0) as slow:
                opened = slow.open_count()
                time.sleep(2.5)  # each has sent more header lines: all are mid-request
                results = post_while(port, SECRET, lambda n: payload(f"bench-slow-{n}", n),
                                     args.slow_seconds, clients=8, timeout=10)
                still_open, closed = slow.open_count(), slow.closed
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    lat = sorted(results.latencies)
    answered = len(lat)
    p99 = results.p(0.99) * 1000
    verdict = "PASS" if answered and not results.failures and p99 < 1000 else "FAIL"
    line = (f"slow sockets: {opened} of {args.slow_sockets} open (still open at the end: {still_open}, "
            f"closed by the server: {closed}); valid posts in {args.slow_seconds:.0f} s from 8 clients: "
            f"{answered} answered {dict(sorted(results.statuses.items()))}, {len(results.failures)} failed"
            f"{' (' + results.failures[0] + ')' if results.failures else ''}; "
            f"p50 {results.p(0.5) * 1000:.1f} ms, p99 {p99:.1f} ms (< 1000), "
            f"max {(lat[-1] if lat else float('inf')) * 1000:.1f} ms: {verdict}")
    print(line, flush=True)
    return line


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
    """A Flask endpoint that reads the body and answers 201, under the same server settings."""
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


def run_against(command: list[str], env: dict, log_path: Path, args, signed: bool, tag: str,
                mode: str) -> dict:
    port = free_port()
    if "--bare-server" in command:
        command = [*command, str(port)]
    else:
        command = [*command, "--host", "127.0.0.1", "--port", str(port)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True, cwd=Path(__file__).resolve().parents[1])
        try:
            wait_until_up(port, proc, args.workers)
            warm_up(port, signed)
            before = process_cpu_seconds(proc.pid)
            result = load(port, args, signed, tag, mode == "per-post")
            after = process_cpu_seconds(proc.pid)
            used = {pid: (user - before.get(pid, (0, 0))[0], system - before.get(pid, (0, 0))[1])
                    for pid, (user, system) in after.items()}
            result["server_cpu"] = sum(user + system for user, system in used.values())
            result["server_sys"] = sum(system for _, system in used.values())
            # gunicorn's workers (the arbiter only watches them): how evenly the load fell on them
            result["workers_cpu"] = sorted((user + system for pid, (user, system) in used.items()
                                            if pid != proc.pid), reverse=True)
            return result
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def load(port: int, args, signed: bool, tag: str, fresh: bool) -> dict:
    per_process = [args.clients // args.processes + (i < args.clients % args.processes)
                   for i in range(args.processes)]
    barrier = mp.get_context("fork").Barrier(args.processes + 1)
    queue = mp.get_context("fork").Queue()
    procs = [mp.get_context("fork").Process(target=client_process, args=(
        port, n, f"{tag}-{i}", args.requests, signed, fresh, barrier, queue))
        for i, n in enumerate(per_process)]
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


def client_process(port: int, clients: int, index: str, requests: int, signed: bool, fresh: bool, barrier,
                   queue) -> None:
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
        conn = None if fresh else http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        latencies, statuses, ids = [], {}, set()
        for rid, body, headers in batch:
            start = time.perf_counter()
            if fresh:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/forms/skm", body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if fresh:
                conn.close()
                conn = None
            latencies.append(time.perf_counter() - start)
            statuses[response.status] = statuses.get(response.status, 0) + 1
            ids.add(rid)
        if conn is not None:
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
          f"CPU per post: server {run['server_cpu'] / len(lat) * 1000:.2f} ms "
          f"(system {run['server_sys'] / len(lat) * 1000:.2f}), "
          f"clients {run['client_cpu'] / len(lat) * 1000:.2f} ms; workers' CPU "
          f"{' / '.join(f'{c:.1f}' for c in run['workers_cpu'])} s")
    return figures


def report(mode: str, runs: list[tuple[dict, dict]]) -> None:
    """Medians over the repeats; the ratio of each webhook run to the bare run beside it."""
    stored = statistics.median(w["stored"] for w, _ in runs)
    p99 = statistics.median(w["p99"] for w, _ in runs)
    bare = statistics.median(b["rate"] for _, b in runs)
    ratios = sorted(w["rate"] / b["rate"] for w, b in runs)
    ratio = statistics.median(ratios)
    verdict = "PASS" if stored >= 500 and ratio >= 0.5 and p99 < 100 else "FAIL"
    print(f"{mode} ({MODES[mode]}), medians of {len(runs)}: webhook {stored:.0f} stored/s (>= 500), "
          f"p99 {p99:.1f} ms (< 100); bare {bare:.0f} req/s; webhook/bare {ratio:.2f} (>= 0.5; "
          f"pairs {', '.join(f'{r:.2f}' for r in ratios)}): {verdict}")


def verify_store(url: str, distinct: set[str], prefix: str) -> None:
    from sync.surveys.store import SurveyStore

    store = SurveyStore(url)
    ids = [i for i in store.response_ids() if i.startswith(prefix)]
    store.dispose()
    ok = len(ids) == len(set(ids)) and set(ids) == distinct
    print(f"  store: {len(ids)} rows for {len(distinct)} distinct response ids sent: "
          f"{'exactly one each' if ok else 'MISMATCH'}")
    if not ok:
        sys.exit(1)


def process_cpu_seconds(pgid: int) -> dict[int, tuple[float, float]]:
    """pid → (user, system) CPU seconds of every live process in the server's process group."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields[2] is the process group id
            found[int(entry.name)] = (int(fields[11]) / ticks, int(fields[12]) / ticks)  # utime, stime
    return found


def wait_until_up(port: int, proc: subprocess.Popen, workers: int) -> None:
    """Until every worker listens: a connection made before a worker has its socket (SO_REUSEPORT)
    goes to the others, and with keep-alive it stays there for the whole run."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        if listening_sockets(port) >= workers:
            return
        time.sleep(0.1)
    raise SystemExit("server did not start")


def listening_sockets(port: int) -> int:
    """How many sockets listen on 127.0.0.1:port (a line of /proc/net/tcp each, state 0A)."""
    local = f"0100007F:{port:04X}"
    with open("/proc/net/tcp", encoding="ascii") as table:
        return sum(1 for row in table if row.split()[1:2] == [local] and row.split()[3] == "0A")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()
