"""The PostgreSQL projection worker: one active per projection (advisory locks), woken by
the event store's NOTIFY, polling as a fallback."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from projections.follower import Follower, is_connection_error
from projections.store import LOCK_NAMESPACE

log = logging.getLogger(__name__)

# The second key names the lock within this deployment's schema, so that deployments (or
# test runs) sharing one database in different schemas never wait on each other's locks.
LOCK_KEY = "hashtext(current_schema() || '.' || %s)"


@contextmanager
def advisory_locks(conninfo: str, names: list[str], on_wait: Callable[[str], None] | None = None
                   ) -> Iterator[Any]:
    """Hold a session advisory lock per projection for the life of the block. A second
    worker blocks here as a standby until the first one stops."""
    import psycopg

    conn = psycopg.connect(conninfo, autocommit=True)
    try:
        for name in names:
            got = conn.execute(f"SELECT pg_try_advisory_lock(%s, {LOCK_KEY})",
                               (LOCK_NAMESPACE, name)).fetchone()
            if not (got and got[0]):
                if on_wait:
                    on_wait(name)
                conn.execute(f"SELECT pg_advisory_lock(%s, {LOCK_KEY})", (LOCK_NAMESPACE, name))
        yield conn
    finally:
        conn.close()


def listening(conn: Any, channel: str, stop: threading.Event) -> Callable[[float], None]:
    """A `wait(timeout)` that returns early when the event store NOTIFYs `channel`. It
    listens on the connection that holds the advisory locks: if that connection is lost, so
    are the locks, and waiting raises, so the worker never follows without them."""
    from psycopg import sql

    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))

    def wait(timeout: float) -> None:
        # Wait in short slices so a stop request is seen within half a second.
        deadline = time.monotonic() + timeout
        while not stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if any(True for _ in conn.notifies(timeout=min(remaining, 0.5), stop_after=1)):
                return

    return wait


def run_worker(follower: Follower, conninfo: str, channel: str, poll_interval: float,
               stop: threading.Event, on_wait: Callable[[str], None] | None = None,
               max_backoff: float = 30.0) -> None:
    """Follow every projection until `stop` is set. A lost connection (a restarted or
    unreachable database, a terminated backend) is not the end: the worker reconnects with
    back-off, takes its locks again and catches up from the positions it committed."""
    backoff = poll_interval
    while not stop.is_set():
        try:
            with advisory_locks(conninfo, list(follower.projections), on_wait) as conn:
                wait = listening(conn, channel, stop)
                log.info("following %s on channel %s", ", ".join(follower.projections),
                         channel)
                backoff = poll_interval
                follower.follow(poll_interval, wait=wait, stop=stop)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            log.warning("lost the database connection (%s); reconnecting in %.1fs",
                        exc, backoff)
            stop.wait(backoff)
            backoff = min(backoff * 2, max_backoff)
