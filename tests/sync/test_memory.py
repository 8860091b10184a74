"""What glibc's heap is told (`sync.memory`), checked by its effect in a fresh interpreter."""

import platform
import subprocess
import sys
import textwrap

import pytest

GLIBC = sys.platform == "linux" and platform.libc_ver()[0] == "glibc"

# Allocates 30 MB in small pieces and frees them, twice; prints the page faults of the second time.
_CYCLES = textwrap.dedent("""
    import resource, sys
    from sync.memory import keep_freed_heap
    if sys.argv[1] == "keep":
        assert keep_freed_heap() is True
    def cycle():
        blocks = [bytes(1000) for _ in range(30_000)]
        del blocks
    cycle()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    cycle()
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
""")


def _second_cycle_faults(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", _CYCLES, mode], capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(not GLIBC, reason="glibc's mallopt")
def test_a_heap_told_to_keep_freed_memory_does_not_fault_its_pages_in_again():
    # Without it glibc trims the heap when the 30 MB are freed, and the second cycle touches
    # about 7,000 fresh pages; with it the pages are still there.
    assert _second_cycle_faults("default") > 3000
    assert _second_cycle_faults("keep") < 500


def test_keeping_freed_memory_is_a_no_op_without_glibc(monkeypatch):
    import ctypes

    from sync import memory

    def no_libc(name):
        raise OSError("no such library")

    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    assert memory.keep_freed_heap() is False
