"""Which worker processes which source: leases in the database, correct on SQLite and PostgreSQL.

A worker claims a source before reading it and holds the claim until its run
is recorded, so no two workers (processes, or machines sharing one PostgreSQL
store) ever write one workbook at once. A claim is a row of `source_claims`
with a lease; the holder renews it while it works, and a claim whose lease
ran out (the worker died) may be taken over.

Taking a claim is two single-statement steps, each atomic on both databases,
so there is no read-then-write race:

1. `INSERT … ON CONFLICT (source) DO NOTHING`: the source was free;
2. else `UPDATE … SET worker = me … WHERE source = s AND expires_at < now`:
   the holder's lease ran out. On PostgreSQL a concurrent taker waits on the
   row lock and then re-checks `expires_at` on the row as the winner left
   it, so only one of them gets a row count of 1; SQLite runs one writer at
   a time.

Times come from the database's clock on PostgreSQL (`database.db_now`), so
machines with different clocks agree on when a lease ends.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from sync.database import db_now, metadata
from sync.errors import SyncError

DEFAULT_LEASE = dt.timedelta(minutes=5)

source_claims = sa.Table(
    "source_claims", metadata,
    sa.Column("source", sa.String(255), primary_key=True),
    sa.Column("worker", sa.String(255), nullable=False),
    sa.Column("token", sa.String(64), nullable=False),
    sa.Column("claimed_at", sa.DateTime(), nullable=False),
    sa.Column("expires_at", sa.DateTime(), nullable=False),
)


def dead_on_this_host(worker: str) -> bool:
    """True when `worker` ("host:pid", maybe with a note) names a process of this host that no longer exists.

    Only this host can tell: a worker on another machine is left to its lease.
    """
    host, _, rest = worker.partition(":")
    pid_text = rest.split(" ", 1)[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, owned by another user
    return False


class ClaimLost(SyncError):
    """Our lease on a source ran out and another worker may have it: we must not write."""


@dataclass(frozen=True)
class Claim:
    """A held claim: `token` tells this holding apart from an earlier one by the same worker."""

    source: str
    worker: str
    token: str


class SourceClaims:
    """Claims of one worker on the sources of a shared store.

    Args:
        engine: the history database (see `database.make_engine`).
        worker: who we are, shown to the workers we make wait (e.g. "host:pid").
        lease: how long a claim lives without renewal.
    """

    def __init__(self, engine: sa.Engine, worker: str, lease: dt.timedelta = DEFAULT_LEASE):
        self.engine, self.worker, self.lease = engine, worker, lease
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        # RETURNING tells inserted from ignored on both dialects (as in the survey store).
        self._insert = (insert(source_claims).on_conflict_do_nothing(index_elements=["source"])
                        .returning(source_claims.c.source))

    def claim(self, source: str) -> Claim | None:
        """Claim `source`; None when a live claim of another worker (or of ours) holds it."""
        claim = Claim(source, self.worker, uuid.uuid4().hex)
        t = source_claims
        with self.engine.begin() as conn:
            now = db_now(conn)
            values = {"worker": claim.worker, "token": claim.token, "claimed_at": now,
                      "expires_at": now + self.lease}
            if conn.execute(self._insert.values(source=source, **values)).first() is not None:
                return claim
            expired = t.update().where(t.c.source == source, t.c.expires_at < now).values(**values)
            if conn.execute(expired).rowcount == 1:
                return claim
            holder = conn.execute(sa.select(t.c.worker, t.c.token).where(t.c.source == source)).first()
            if holder is None or not dead_on_this_host(holder.worker):
                return None
            # A killed `kinerja run` on this machine: its lease need not run out before we go on.
            taken = t.update().where(t.c.source == source, t.c.token == holder.token).values(**values)
            return claim if conn.execute(taken).rowcount == 1 else None

    def holder(self, source: str) -> str | None:
        """The worker holding a live claim on `source`, if any."""
        t = source_claims
        with self.engine.begin() as conn:
            now = db_now(conn)
            return conn.execute(sa.select(t.c.worker).where(t.c.source == source, t.c.expires_at >= now)
                                ).scalar_one_or_none()

    def renew(self, claim: Claim) -> bool:
        """Extend the lease; False when the claim is no longer ours (it ran out and was taken)."""
        t = source_claims
        with self.engine.begin() as conn:
            now = db_now(conn)
            done = conn.execute(t.update().where(t.c.source == claim.source, t.c.token == claim.token)
                                .values(expires_at=now + self.lease))
            return done.rowcount == 1

    def release(self, claim: Claim, conn: sa.Connection | None = None) -> None:
        """Give the source back (in `conn`'s transaction when given, e.g. with the run's record)."""
        t = source_claims
        statement = t.delete().where(t.c.source == claim.source, t.c.token == claim.token)
        if conn is not None:
            conn.execute(statement)
            return
        with self.engine.begin() as own:
            own.execute(statement)

    def release_quietly(self, claim: Claim) -> None:
        """Give the source back if the database lets us; if not, the lease runs out by itself."""
        try:
            self.release(claim)
        except sa.exc.SQLAlchemyError:
            pass

    def wait(self, source: str, timeout: float, poll: float = 0.5,
             sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic) -> Claim | None:
        """Claim `source`, waiting up to `timeout` seconds for its holder to finish."""
        deadline = clock() + timeout
        while True:
            claim = self.claim(source)
            if claim is not None or clock() >= deadline:
                return claim
            sleep(poll)

    @contextlib.contextmanager
    def kept_alive(self, claim: Claim, every: float | None = None) -> Iterator[Callable[[], None]]:
        """Renew `claim` in a background thread while the block runs.

        Yields a check to call before writing: it renews once more and raises
        ClaimLost when the lease was lost (the worker stalled longer than the
        lease, and someone else may be writing the workbook now).
        """
        stop = threading.Event()
        lost = threading.Event()
        interval = every if every is not None else max(self.lease.total_seconds() / 3, 0.05)

        def beat() -> None:
            while not stop.wait(interval):
                try:
                    if not self.renew(claim):
                        lost.set()
                        return
                except sa.exc.SQLAlchemyError:
                    continue  # the database blinked; the next beat (or the check) tries again

        def check() -> None:
            if lost.is_set() or not self.renew(claim):
                lost.set()
                raise ClaimLost(
                    f"Sumber '{claim.source}' tidak lagi diklaim pekerja ini (masa sewa klaim habis); "
                    "hasil tidak ditulis agar tidak bertabrakan dengan pekerja lain. Jalankan lagi.")

        thread = threading.Thread(target=beat, name=f"claim-{claim.source}", daemon=True)
        thread.start()
        try:
            yield check
        finally:
            stop.set()
            thread.join()
