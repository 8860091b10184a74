"""What glibc's C heap is told: by a big `kinerja score` (issue 17: 1 GB at 10,000 employees), and by
the worker processes of `kinerja run`, which score one agency after another.

Elsewhere (macOS, musl, Windows) every function here does nothing.
"""

from __future__ import annotations

import ctypes
import gc
import os


def release_freed_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's `malloc_trim`; elsewhere nothing).

    Reading, scoring and rendering free most of what they allocate, but in pieces the heap keeps
    (at 10,000 employees about 290 MB of RSS); the writer's buffers would come on top of them.
    """
    try:
        libc = ctypes.CDLL(None)
        trim = libc.malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, musl, Windows)
        return
    gc.collect()
    trim(0)


M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Let at most `arenas` C heaps serve this process's threads (glibc's `mallopt`; elsewhere, or
    when MALLOC_ARENA_MAX is set in the environment, nothing). True when it was set.

    glibc gives each new thread its own heap: the tabs read on threads and the sheets compressed
    beside the writer leave their freed memory in heaps the main thread never reuses. At 10,000
    employees `kinerja score` peaked at 1,003-1,027 MB that way, 890 MB with two heaps, no slower
    (issue 17: 1 GB). To be called before the first thread starts (the CLI's entry does).
    """
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, musl, Windows)
        return False
    return bool(mallopt(M_ARENA_MAX, arenas))


M_TOP_PAD = -2  # glibc's mallopt parameter


def keep_freed_heap(pad: int = 64 << 20) -> bool:
    """Let the C heap keep `pad` bytes free at its top, beyond what is in use, instead of giving them
    back to the system as soon as they are freed (glibc's `mallopt`; elsewhere nothing). True when set.

    For a process that repeats the same work, as a `kinerja run` worker scores agency after agency:
    each agency's frames are freed at its end, glibc trimmed the heap, and the next agency's touched
    every page of it again, each a page fault the kernel zeroes (4,300 per agency of 200 employees,
    about 3 % of its CPU time; issue 17). The memory kept is at most `pad` above the peak in use.
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, musl, Windows)
        return False
    return bool(mallopt(M_TOP_PAD, pad))
