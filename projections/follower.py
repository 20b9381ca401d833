"""Follows the global log into every projection: batched, exactly-once, rebuildable."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from projections.base import Projection
from projections.store import TRACKING_DDL, Tx, ViewStore

log = logging.getLogger(__name__)


class LogSource(Protocol):
    """The part of the event store a follower reads: the notification log and its decoder."""

    recorder: Any
    mapper: Any


class TrackingConflict(Exception):
    """Another follower moved this projection's position first; the batch was rolled back."""


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

    def _install(self) -> None:
        """Create missing tables; drop and re-create those of a projection whose version
        changed, resetting its position so catching up rebuilds it."""
        with self.store.schema_change() as tx:
            tx.execute(TRACKING_DDL)
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
        projection = self.projections[name]
        start = self.position(name)
        notifications = self._read(start, self.batch_size)
        if not notifications:
            return 0
        with self.store.transaction() as tx:
            last = self._apply(tx, projection, notifications)
            moved = tx.execute("UPDATE projection_tracking SET position = ? "
                               "WHERE name = ? AND position = ?", (last, name, start))
            if moved != 1:
                raise TrackingConflict(name)
        return len(notifications)

    def catch_up(self, name: str | None = None) -> int:
        """Apply batches until the projection(s) reach the head; the notifications read."""
        names = [name] if name else list(self.projections)
        total = 0
        for each in names:
            while True:
                try:
                    count = self.step(each)
                except TrackingConflict:
                    log.info("projection %s was moved by another follower; re-reading", each)
                    continue
                total += count
                if count < self.batch_size:
                    break
        return total

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
                self._wake.clear()

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
