"""Group commit: concurrent writers in one process share one transaction, so one fsync.

A durable commit costs a disk flush (about 1–3 ms here) whatever it holds. When
several request threads store an answer at once, the first becomes the leader
and commits everything queued so far in one transaction; the others wait for
that commit and return their own result. Nobody returns before their row is
committed, so "stored before the reply" still holds.
"""

from __future__ import annotations

import _thread
import fcntl
import os
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class _Ticket(Generic[T, R]):
    __slots__ = ("item", "done", "result", "error", "_signal")

    def __init__(self, item: T):
        self.item = item
        self.done = False
        self.result: R | None = None
        self.error: BaseException | None = None
        # A bare lock, held from the start, as a one-shot wake-up: release() wakes the waiter. An
        # Event builds a Condition and a fresh lock at every wait; this is one system call at most.
        self._signal = _thread.allocate_lock()
        self._signal.acquire()

    def wait(self) -> None:
        """Until woken (at once if woken since the last wait)."""
        self._signal.acquire()

    def wake(self) -> None:
        try:
            self._signal.release()
        except RuntimeError:
            pass  # already woken, not yet waited for: one wake-up is enough


class GroupCommit(Generic[T, R]):
    """Run `commit_batch(items) -> results` for items submitted concurrently, a batch at a time."""

    def __init__(self, commit_batch: Callable[[list[T]], list[R]]):
        self._commit_batch = commit_batch
        self._lock = threading.Lock()  # guards _pending and _leading
        self._pending: list[_Ticket[T, R]] = []
        self._leading = False

    def submit(self, item: T) -> R:
        """Commit `item` (with whatever else is waiting) and return its result."""
        ticket: _Ticket[T, R] = _Ticket(item)
        with self._lock:
            self._pending.append(ticket)
            batch = self._take_lead(ticket)
        while True:
            if batch is not None:
                self._lead(batch)
            if ticket.done:
                break
            # Woken when its batch is committed, or when it is next in line to lead.
            ticket.wait()
            with self._lock:
                batch = self._take_lead(ticket)
        if ticket.error is not None:
            raise ticket.error
        return ticket.result  # type: ignore[return-value]

    def _take_lead(self, ticket: _Ticket[T, R]) -> list[_Ticket[T, R]] | None:
        """Everything pending, when `ticket` is not committed yet and nobody leads (hold _lock)."""
        if ticket.done or self._leading:
            return None
        self._leading = True
        batch, self._pending = self._pending, []
        return batch

    def _lead(self, batch: list[_Ticket[T, R]]) -> None:
        try:
            results, error = self._commit_batch([t.item for t in batch]), None
        except BaseException as ex:  # every waiter of the failed batch sees it; none is left hanging
            results, error = [None] * len(batch), ex
        for ticket, result in zip(batch, results, strict=True):
            ticket.result, ticket.error, ticket.done = result, error, True
            ticket.wake()
        with self._lock:
            self._leading = False
            successor = self._pending[0] if self._pending else None
        if successor is not None:
            successor.wake()  # only one waiter wakes to lead the next batch


class WriterLock:
    """An exclusive lock shared by every thread and process writing one SQLite file.

    A blocked process sleeps in the kernel and wakes as soon as the holder is done.
    The thread lock is needed because flock is held per open file, not per thread.
    """

    def __init__(self, path: str):
        self.path = path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid = 0

    def __enter__(self) -> WriterLock:
        self._thread_lock.acquire()
        try:
            if self._fd is None or self._pid != os.getpid():  # a forked child opens its own
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self._pid = os.getpid()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()
