"""The read models as they stood at a past log position, for as-of reads.

The live read models only move forward, so the past is read from a copy: every projection
replayed from the start of the log up to the position, into a private in-memory SQLite
store, read by the same readers as the live one and then dropped. The copy is made on its
first read, so a read refused for its role or its parameters costs no replay.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from projections.base import Projection
from projections.follower import LogSource
from projections.store import TRACKING_DDL, Tx, ViewStore

# Replays running at once in a process: each builds a whole copy of the read models, so many
# distinct moments asked for together queue here instead of filling memory and the CPU.
_AT_ONCE = threading.BoundedSemaphore(2)


class Replayed(ViewStore):
    """An in-memory view store holding every projection up to log position `position`."""

    def __init__(self, source: LogSource, projections: Sequence[Projection], position: int,
                 batch_size: int = 2000) -> None:
        super().__init__(sqlite_path=":memory:")
        self.source = source
        self.projections = list(projections)
        self.position = position
        self.batch_size = batch_size
        self._replayed = threading.Event()
        self._replaying = threading.Lock()

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[Tx]:
        self.replay()
        with super().transaction(write) as tx:
            yield tx

    def replay(self) -> None:
        """Replay the log up to the position, once; concurrent first readers wait for it."""
        if self._replayed.is_set():
            return
        with self._replaying:
            if self._replayed.is_set():
                return
            with _AT_ONCE:
                self._install()
                self._apply_log()
            self._replayed.set()

    def _install(self) -> None:
        with super().transaction() as tx:
            tx.execute(TRACKING_DDL)
            for projection in self.projections:
                for statement in projection.ddl:
                    tx.execute(statement)

    def _apply_log(self) -> None:
        """Each batch of the log is read and decoded once, and handed to every projection
        in one transaction (a rebuild of them all at once)."""
        topics = {p.name: p.topics() for p in self.projections}
        wanted = frozenset().union(*topics.values())
        decode = self.source.mapper.to_domain_event
        after = 0
        while after < self.position:
            batch = list(self.source.recorder.select_notifications(
                start=after + 1, limit=self.batch_size, stop=self.position))
            if not batch:
                break
            events: list[tuple[int, str, Any]] = [(n.id, n.topic, decode(n)) for n in batch
                                                  if n.topic in wanted]
            with super().transaction() as tx:
                for projection in self.projections:
                    mine = [(i, e) for i, topic, e in events if topic in topics[projection.name]]
                    if mine:
                        projection.apply_batch(tx, mine)
            after = int(batch[-1].id)
        with super().transaction() as tx:
            tx.executemany("INSERT INTO projection_tracking (name, position, version) "
                           "VALUES (?, ?, ?)", [(p.name, self.position, p.version)
                                                for p in self.projections])


class FixedPositions:
    """Where each projection of a replayed store stands: all at its position, for good."""

    def __init__(self, position: int) -> None:
        self.at = position

    def position(self, name: str) -> int:
        return self.at

    def wait_for(self, name: str, position: int, timeout: float) -> bool:
        return position <= self.at
