"""The console script (`sync.cli.entry`): exit codes, output and exit handlers kept, imports kept lean."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sync.cli.entry import exit_code
from sync.demo.sample import write_demo_workbook


def kinerja(*args: str, before: str = "") -> subprocess.CompletedProcess:
    """`kinerja ARGS` through the console script's function, with `before` run first in that process;
    its output block-buffered, as into any pipe, so that nothing reaches it unflushed."""
    code = f"import sys; sys.argv[0] = 'kinerja'\n{before}\nfrom sync.cli.entry import main; main()"
    env = {**os.environ, "PYTHONUNBUFFERED": ""}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120,
                          env=env)


@pytest.mark.parametrize(("code", "expected"), [(None, 0), (0, 0), (1, 1), (2, 2), ("pesan", 1)])
def test_exit_code_is_what_sys_exit_would_give(code, expected, capsys):
    assert exit_code(code) == expected
    assert capsys.readouterr().err == ("pesan\n" if isinstance(code, str) else "")


def test_output_and_exit_handlers_survive_the_quick_exit():
    before = "import atexit; atexit.register(lambda: print('handler ran'))"  # not flushed by itself
    done = kinerja("--version", before=before)
    assert done.returncode == 0, done.stderr
    assert "version" in done.stdout
    assert done.stdout.rstrip().endswith("handler ran")  # after the command's own output


def test_a_failing_command_keeps_its_exit_code_and_message(tmp_path):
    done = kinerja("score", str(tmp_path / "tidak-ada.xlsx"))
    assert done.returncode == 1
    assert done.stderr.startswith("Galat:")
    assert "Traceback" not in done.stderr


def test_a_usage_error_exits_2():
    done = kinerja("score")
    assert done.returncode == 2
    assert "SOURCE" in done.stderr


def test_score_does_not_import_the_database_layer_and_leaves_the_collector_on(tmp_path):
    path = write_demo_workbook(tmp_path / "demo.xlsx", seed=7)
    report = ("import atexit, gc\n"
              "atexit.register(lambda: print('modules', 'sqlalchemy' in sys.modules, 'flask' in sys.modules,"
              " 'gc', gc.isenabled(), flush=True))")
    done = kinerja("score", str(path), before=report)
    assert done.returncode == 0, done.stderr
    assert "Dinilai:" in done.stdout
    assert done.stdout.rstrip().endswith("modules False False gc True")


def test_a_closed_stdout_does_not_turn_success_into_a_crash():
    code = "import sys; sys.argv[0] = 'kinerja'; from sync.cli.entry import main; main()"
    done = subprocess.run(["bash", "-c", f'exec "$0" -c "{code}" --version >&-', sys.executable],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_sync_check_is_the_function_whichever_module_came_first():
    # `sync.check` is also a subpackage: importing it must not hide the public function
    code = "import sync.check.settings\nfrom sync import check\nprint(check.__module__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "sync.pipeline", done.stderr


def test_the_run_command_is_reached_without_importing_pandas():
    """`kinerja run` starts its workers' fork server, which imports pandas and the pipeline on the
    other core, before its own process imports them: the group and the command import neither."""
    code = ("import sys\nimport sync.cli.main, sync.cli.run\n"
            "print(sorted(m for m in ('pandas', 'numpy', 'sqlalchemy', 'sync.pipeline', 'scoring.pipeline')"
            " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr


def test_the_api_is_the_pipelines_whatever_is_imported_first():
    code = ("import sync, scoring\nfrom sync import score, open_source, SyncError, INPUT_TAB_KEYS\n"
            "from scoring import ScoringError, Settings\n"
            "import sync.pipeline, sync.sources, sync.errors, scoring.errors\n"
            "assert score is sync.pipeline.score and open_source is sync.sources.open_source\n"
            "assert SyncError is sync.errors.SyncError and ScoringError is scoring.errors.ScoringError\n"
            "assert 'score' in dir(sync) and 'Settings' in dir(scoring)\n"
            "try:\n    sync.nothing\nexcept AttributeError as e:\n    print('missing', e)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "missing module 'sync' has no attribute 'nothing'"


def test_score_runs_with_the_pipelines_objects_frozen_out_of_the_collectors_reach(tmp_path):
    path = write_demo_workbook(tmp_path / "demo.xlsx", seed=7)
    report = "import atexit, gc\natexit.register(lambda: print('frozen', gc.get_freeze_count(), flush=True))"
    done = kinerja("score", str(path), before=report)
    assert done.returncode == 0, done.stderr
    frozen = int(done.stdout.rstrip().rsplit(" ", 1)[1])
    assert frozen > 100_000  # pandas and the pipeline, imported before the freeze (the group alone: ~20,000)
