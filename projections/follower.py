"""Follows the global log into every projection: batched, exactly-once, rebuildable."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from projections.base import Projection
from projections.store import FAILURES_DDL, TRACKING_DDL, Tx, ViewStore

log = logging.getLogger(__name__)


class LogSource(Protocol):
    """The part of the event store a follower reads: the notification log and its decoder."""

    recorder: Any
    mapper: Any


class TrackingConflict(Exception):
    """Another follower moved this projection's position first; the batch was rolled back."""


@dataclass(frozen=True)
class Failure:
    """A projection stopped before an event it cannot apply: which event, and why."""

    name: str
    position: int  # the log position of the event it could not apply
    event: str  # the event's topic
    error: str
    failed_at: str  # when it last failed (UTC, ISO 8601)


def is_connection_error(exc: BaseException) -> bool:
    """Whether `exc` says the database could not be reached (retry later) rather than that
    an event could not be applied (the projection's own failure)."""
    if isinstance(exc, sqlite3.OperationalError):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)


class Follower:
    """Moves each projection from its tracking position towards the head of the log."""

    def __init__(self, source: LogSource, store: ViewStore, projections: Sequence[Projection],
                 batch_size: int = 500) -> None:
        self.source = source
        self.store = store
        self.projections = {p.name: p for p in projections}
        self.batch_size = batch_size
        self._topics = {p.name: p.topics() for p in projections}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._install()
        self._stopped = set(self.failures())  # projections known to be stopped at an event

    def _install(self) -> None:
        """Create missing tables; drop and re-create those of a projection whose version
        changed, resetting its position so catching up rebuilds it."""
        with self.store.schema_change() as tx:
            tx.execute(TRACKING_DDL)
            tx.execute(FAILURES_DDL)
            for projection in self.projections.values():
                row = tx.one("SELECT version FROM projection_tracking WHERE name = ?",
                             (projection.name,))
                if row is not None and int(row["version"]) != projection.version:
                    log.warning("projection %s changed from version %s to %s: rebuilding",
                                projection.name, row["version"], projection.version)
                    projection.drop(tx)
                    tx.execute("UPDATE projection_tracking SET position = 0, version = ? "
                               "WHERE name = ?", (projection.version, projection.name))
                for statement in projection.ddl:
                    tx.execute(statement)
                tx.execute("INSERT INTO projection_tracking (name, position, version) "
                           "VALUES (?, 0, ?) ON CONFLICT (name) DO NOTHING",
                           (projection.name, projection.version))

    # --- positions ----------------------------------------------------------------------

    def position(self, name: str) -> int:
        with self.store.read() as tx:
            return _position(tx, name)

    def head(self) -> int:
        return int(self.source.recorder.max_notification_id() or 0)

    def wait_for(self, name: str, position: int, timeout: float) -> bool:
        """True once projection `name` includes `position`; False after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            if self.position(name) >= position:
                return True
            if time.monotonic() >= deadline:
                return False
            self.wake()
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    # --- catching up --------------------------------------------------------------------

    def _read(self, after: int, limit: int) -> list[Any]:
        return list(self.source.recorder.select_notifications(
            start=after + 1, limit=limit))

    def _apply(self, tx: Tx, projection: Projection, notifications: list[Any]) -> int:
        topics = self._topics[projection.name]
        decode = self.source.mapper.to_domain_event
        events = [(n.id, decode(n)) for n in notifications if n.topic in topics]
        if events:
            projection.apply_batch(tx, events)
        return int(notifications[-1].id)

    def step(self, name: str) -> int:
        """Apply at most one batch to projection `name`; the number of notifications read."""
        start = self.position(name)
        notifications = self._read(start, self.batch_size)
        if notifications:
            self._commit(name, start, notifications)
        return len(notifications)

    def _commit(self, name: str, start: int, notifications: list[Any]) -> None:
        """Apply `notifications` and move the position from `start` past them, in one
        transaction; TrackingConflict (rolled back) if another follower moved it first."""
        with self.store.transaction() as tx:
            last = self._apply(tx, self.projections[name], notifications)
            moved = tx.execute("UPDATE projection_tracking SET position = ? "
                               "WHERE name = ? AND position = ?", (last, name, start))
            if moved != 1:
                raise TrackingConflict(name)

    def catch_up(self, name: str | None = None) -> int:
        """Apply batches until the projection(s) reach the head; the notifications read.
        Each projection catches up on its own: one that cannot apply an event stops before
        it (see `failures`) and the others go on. A lost database connection is raised."""
        names = [name] if name else list(self.projections)
        return sum(self._catch_up_one(each) for each in names)

    def _catch_up_one(self, name: str) -> int:
        total = 0
        while True:
            try:
                count = self.step(name)
            except TrackingConflict:
                log.info("projection %s was moved by another follower; re-reading", name)
                continue
            except Exception as exc:
                if is_connection_error(exc):
                    raise
                return total + self._stop_at_failing_event(name)
            total += count
            if count < self.batch_size:
                self._clear_failure(name)
                return total

    def _stop_at_failing_event(self, name: str) -> int:
        """After a batch failed: apply its events one at a time up to the one that fails,
        and record that one. Returns the notifications applied."""
        start = self.position(name)
        applied = 0
        for notification in self._read(start, self.batch_size):
            try:
                self._commit(name, start, [notification])
            except TrackingConflict:
                return applied
            except Exception as exc:
                if is_connection_error(exc):
                    raise
                self._record_failure(name, notification, exc)
                return applied
            start = notification.id
            applied += 1
        return applied

    def _record_failure(self, name: str, notification: Any, exc: Exception) -> None:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        known = self.failures().get(name)
        if known is None or (known.position, known.error) != (notification.id, error):
            log.error("projection %s stopped before event %s (%s): %s", name,
                      notification.id, notification.topic, error)
        with self.store.transaction() as tx:
            tx.execute("INSERT INTO projection_failures (name, position, event, error, "
                       "failed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                       "position = excluded.position, event = excluded.event, "
                       "error = excluded.error, failed_at = excluded.failed_at",
                       (name, notification.id, notification.topic, error,
                        datetime.now(UTC).isoformat(timespec="seconds")))
        self._stopped.add(name)

    def _clear_failure(self, name: str) -> None:
        if name in self._stopped:
            with self.store.transaction() as tx:
                tx.execute("DELETE FROM projection_failures WHERE name = ?", (name,))
            self._stopped.discard(name)
            log.info("projection %s follows the log again", name)

    def failures(self) -> dict[str, Failure]:
        """The projections stopped before an event they cannot apply."""
        with self.store.read() as tx:
            rows = tx.all("SELECT * FROM projection_failures ORDER BY name")
        return {r["name"]: Failure(r["name"], int(r["position"]), r["event"], r["error"],
                                   str(r["failed_at"])) for r in rows}

    def rebuild(self, name: str, progress: Callable[[int, int], None] | None = None) -> int:
        """Replay the whole log into projection `name` in one transaction: readers keep the
        old rows until the new ones commit. Returns the notifications read."""
        projection = self.projections[name]
        head = self.head()
        done = 0
        with self.store.transaction() as tx:
            projection.clear(tx)
            position = 0
            while True:
                notifications = self._read(position, self.batch_size)
                if not notifications:
                    break
                position = self._apply(tx, projection, notifications)
                done += len(notifications)
                if progress:
                    progress(done, max(head, position))
            tx.execute("UPDATE projection_tracking SET position = ? WHERE name = ?",
                       (position, name))
        self._clear_failure(name)
        return done

    # --- following ----------------------------------------------------------------------

    def wake(self, _position: int = 0) -> None:
        self._wake.set()

    def follow(self, poll_interval: float, wait: Callable[[float], None] | None = None,
               stop: threading.Event | None = None) -> None:
        """Catch up, then sleep until woken (or `poll_interval`), until stopped."""
        if stop is not None:
            self._stop = stop
        while not self._stop.is_set():
            # Cleared before catching up, so a save during the catch-up wakes the next wait
            # instead of being lost between the wait and the clear.
            self._wake.clear()
            try:
                self.catch_up()
            except Exception:
                log.exception("projection follower failed; retrying in %ss", poll_interval)
                self._stop.wait(poll_interval)
                continue
            if wait is not None:
                wait(poll_interval)
            else:
                self._wake.wait(poll_interval)

    def start(self, poll_interval: float) -> None:
        """Follow in a daemon thread (embedded mode)."""
        self._stop.clear()
        self._thread = threading.Thread(target=self.follow, args=(poll_interval,),
                                        name="projection-follower", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


def _position(tx: Tx, name: str) -> int:
    row = tx.one("SELECT position FROM projection_tracking WHERE name = ?", (name,))
    return int(row["position"]) if row else 0
