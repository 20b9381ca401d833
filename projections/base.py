"""What a projection is: tables, the events it reads, and how a batch of them changes rows."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any

from eventsourcing.utils import get_topic

from projections.store import Tx


class Projection(ABC):
    """A read model fed by the global log. `apply_batch` runs inside the transaction that also
    moves the projection's tracking position, so each event changes the view exactly once."""

    name: str
    # Bump when the tables or the way events map to rows change: the follower then drops
    # the tables and rebuilds the projection from the log at start-up.
    version: int = 1
    ddl: Sequence[str]
    tables: Sequence[str]
    event_classes: Sequence[type]

    def topics(self) -> frozenset[str]:
        return frozenset(get_topic(cls) for cls in self.event_classes)

    @abstractmethod
    def apply_batch(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> None:
        """Apply (position, event) pairs in log order."""

    def clear(self, tx: Tx) -> None:
        for table in self.tables:
            tx.execute(f"DELETE FROM {table}")

    def drop(self, tx: Tx) -> None:
        for table in self.tables:
            tx.execute(f"DROP TABLE IF EXISTS {table}")


class RowCache:
    """Rows of one keyed table, loaded once per batch and written back once, so a batch of
    many events costs a few statements instead of one per event."""

    def __init__(self, tx: Tx, table: str, columns: Sequence[str], key: str = "id") -> None:
        self.tx = tx
        self.table = table
        self.columns = list(columns)
        self.key = key
        self.rows: dict[str, dict[str, Any]] = {}
        self.dirty: set[str] = set()

    def preload(self, keys: Iterable[str]) -> None:
        wanted = [k for k in set(keys) if k not in self.rows]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.tx.all(
                f"SELECT * FROM {self.table} WHERE {self.key} IN ({marks})", chunk
            ):
                self.rows[row[self.key]] = row

    def get(self, key: str) -> dict[str, Any] | None:
        if key not in self.rows:
            self.preload([key])
        return self.rows.get(key)

    def put(self, row: dict[str, Any]) -> None:
        self.rows[row[self.key]] = row
        self.dirty.add(row[self.key])

    def touch(self, key: str) -> dict[str, Any] | None:
        row = self.get(key)
        if row is not None:
            self.dirty.add(key)
        return row

    def flush(self) -> None:
        if not self.dirty:
            return
        cols = ", ".join(self.columns)
        marks = ", ".join("?" * len(self.columns))
        updates = ", ".join(f"{c} = excluded.{c}" for c in self.columns if c != self.key)
        sql = (f"INSERT INTO {self.table} ({cols}) VALUES ({marks}) "
               f"ON CONFLICT ({self.key}) DO UPDATE SET {updates}")
        self.tx.executemany(sql, [[self.rows[k].get(c) for c in self.columns]
                                  for k in sorted(self.dirty)])
        self.dirty.clear()
