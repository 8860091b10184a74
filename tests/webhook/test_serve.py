"""`kinerja serve` under gunicorn: killed mid-load, every acknowledged answer is in the store."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sync.cli import main as kinerja_cli
from sync.cli.surveys import serve, surveys
from sync.surveys.store import SurveyStore
from tests.pg_server import free_port
from tests.webhook.helpers import SECRET, encode, payload, signed_headers

ROOT = Path(__file__).resolve().parents[2]


def invoke_serve(args: list[str]):
    return CliRunner().invoke(kinerja_cli.cli, ["serve", *args])


def serve_command(config: Path, port: int) -> list[str]:
    """`kinerja serve`, run as the console script runs it."""
    args = ["serve", "--config", str(config), "--host", "127.0.0.1", "--port", str(port),
            "--workers", "2", "--threads", "4"]
    return [sys.executable, "-c", "from sync.cli.entry import main; main()", *args]


def wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
        finally:
            conn.close()
    raise AssertionError("server did not start")


class Load:
    """Client threads posting fresh signed answers until stopped; remembers every 201."""

    def __init__(self, port: int, threads: int = 8):
        self.port = port
        self.acked: list[str] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(threads)]

    def client(self, number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        sent = 0
        while not self.stop.is_set():
            rid = f"kill-{number}-{sent}"
            sent += 1
            body = encode(payload(rid))
            try:
                conn.request("POST", "/forms/skm", body=body, headers=signed_headers(body))
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()  # the server is gone (or restarting): not acknowledged
                time.sleep(0.01)
                continue
            if response.status == 201:
                with self.lock:
                    self.acked.append(rid)
        conn.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(10)


def kill_mid_load(config_path: Path, database_url: str, tmp_path: Path) -> tuple[list[str], set[str]]:
    port = free_port()
    env = {**os.environ, "KINERJA_WEBHOOK_SECRET": SECRET, "KINERJA_DATABASE_URL": database_url}
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen(serve_command(config_path, port), env=env, cwd=tmp_path, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_up(port, proc)
        with Load(port) as load:
            deadline = time.monotonic() + 10
            while len(load.acked) < 150 and time.monotonic() < deadline:
                time.sleep(0.02)
            os.killpg(proc.pid, signal.SIGKILL)  # master and workers, mid-request
            proc.wait(10)
            time.sleep(0.2)
        acked = list(load.acked)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
    store = SurveyStore(database_url)
    try:
        return acked, set(store.response_ids())
    finally:
        store.dispose()


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_answer_sqlite(config_path, tmp_path):
    acked, stored = kill_mid_load(config_path, f"sqlite:///{tmp_path / 'store.db'}", tmp_path)
    assert len(acked) >= 50, (tmp_path / "serve.log").read_text()
    assert set(acked) <= stored


@pytest.mark.slow
def test_sigkill_loses_no_acknowledged_answer_postgresql(config_path, tmp_path, postgres_url):
    acked, stored = kill_mid_load(config_path, postgres_url, tmp_path)
    assert len(acked) >= 50, (tmp_path / "serve.log").read_text()
    assert set(acked) <= stored


def test_serve_refuses_to_start_without_a_secret(config_path, monkeypatch):
    monkeypatch.delenv("KINERJA_WEBHOOK_SECRET", raising=False)
    result = invoke_serve(["--config", str(config_path)])
    assert result.exit_code == 1
    assert "KINERJA_WEBHOOK_SECRET belum diisi" in result.output and "Traceback" not in result.output


def test_serve_names_a_wrong_config(tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_WEBHOOK_SECRET", SECRET)
    (tmp_path / "kinerja.toml").write_text("[pemda]\n", encoding="utf-8")
    result = invoke_serve(["--config", str(tmp_path / "kinerja.toml")])
    assert result.exit_code == 1 and "kunci 'name' wajib diisi" in result.output


def test_serve_names_a_port_another_program_holds(config_path, monkeypatch, tmp_path):
    monkeypatch.setenv("KINERJA_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("KINERJA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = invoke_serve(["--config", str(config_path), "--port", str(port)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Port {port} di 127.0.0.1 sudah dipakai program lain" in result.output


def test_serve_names_an_address_that_is_not_this_machines(config_path, monkeypatch, tmp_path):
    monkeypatch.setenv("KINERJA_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("KINERJA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    result = invoke_serve(["--config", str(config_path), "--host", "192.0.2.7"])  # TEST-NET-1
    assert result.exit_code == 1 and "Tidak dapat mendengarkan di 192.0.2.7" in result.output


def test_gunicorn_gets_a_socket_per_worker_and_twice_the_cores(monkeypatch):
    from webhook import server

    monkeypatch.setattr(server, "usable_cores", lambda: 3)
    options = server.server_options("::1", 9000)
    assert options["workers"] == 6 and options["reuse_port"] is True
    assert options["bind"] == "[::1]:9000" and options["worker_class"] == "webhook.server.WaitressWorker"
    assert server.server_options(workers=3)["workers"] == 3
    monkeypatch.setattr(server, "usable_cores", lambda: 64)
    assert server.server_options()["workers"] == server.MAX_DEFAULT_WORKERS  # not 128 on a big host


@pytest.mark.parametrize(("cpu_max", "expected"), [
    ("max 100000\n", 8), ("200000 100000\n", 2), ("150000 100000\n", 2), ("50000 100000\n", 1),
    (None, 8), ("nonsense", 8),
])
def test_a_containers_cpu_quota_bounds_the_cores(monkeypatch, tmp_path, cpu_max, expected):
    from webhook import server

    monkeypatch.setattr(server.os, "sched_getaffinity", lambda pid: set(range(8)))
    path = tmp_path / "cpu.max"
    if cpu_max is not None:
        path.write_text(cpu_max, encoding="ascii")
    assert server.usable_cores(str(path)) == expected


def test_serve_explains_a_privileged_port_and_reads_a_bracketed_host(config_path, monkeypatch, tmp_path):
    from webhook import server

    monkeypatch.setenv("KINERJA_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("KINERJA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    asked = []

    def denied(host, port):
        asked.append(host)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(server, "port_in_use", denied)
    result = invoke_serve(["--config", str(config_path), "--host", "[::1]", "--port", "80"])
    assert result.exit_code == 1 and asked == ["::1"]
    assert "Port 80 di bawah 1024 hanya boleh dipakai root" in result.output


@pytest.mark.parametrize("command", [serve, surveys, *surveys.commands.values()], ids=lambda c: c.name)
def test_every_command_has_help_with_an_example(command):
    assert command.help and "Example:" in command.help and "\b" in command.help


def test_the_standalone_module_lists_the_commands():
    done = subprocess.run([sys.executable, "-m", "sync.cli.surveys", "--help"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and "serve" in done.stdout and "surveys" in done.stdout


def test_serve_raises_the_open_files_limit_for_its_connections(monkeypatch):
    """Each worker may hold 1,000 connections (slow clients included); 1,024 files is a common start."""
    from webhook import server

    limits = {"now": (1024, 65536)}
    monkeypatch.setattr(server.resource, "getrlimit", lambda which: limits["now"])
    monkeypatch.setattr(server.resource, "setrlimit", lambda which, value: limits.update(now=value))
    server.raise_open_files_limit(1256)
    assert limits["now"] == (1256, 65536)
    limits["now"] = (1024, 1100)
    server.raise_open_files_limit(1256)
    assert limits["now"] == (1100, 1100)  # never above the hard limit
    limits["now"] = (4096, 65536)
    server.raise_open_files_limit(1256)
    assert limits["now"] == (4096, 65536)  # never lowered
