"""What a projection is: tables, the events it reads, and how a batch of them changes rows.

A projection dispatches each event on its class (`functools.singledispatchmethod`, as
eventsourcing's own `Projection.process_event` does): one small handler per event class, and
a base handler that ignores any other event, so a replay never fails on one. The event
classes a projection reads are those its handlers are registered for (`handled_events`), so
each is declared once, by its handler.

The handlers change rows held in memory for the whole batch (a `Batch` of `RowCache`s), so a
batch of many events costs a few statements: a projection says which rows its events will
change (`start`), the shared loop (`apply_batch`) applies each event by its handler, and the
batch's caches are written back once at the end.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import singledispatchmethod
from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from projections.store import Tx
from projections.tables import Table


def unhandled(projection: Projection, e: object, batch: Batch) -> None:
    """An event a projection has no handler for changes nothing: a replay never fails on
    one."""


class Projection(ABC):
    """A read model fed by the global log. `apply_batch` runs inside the transaction that also
    moves the projection's tracking position, so each event changes the view exactly once.
    A projection is named for its first table unless it says otherwise."""

    name: str
    # Bump when the tables or the way events map to rows change: the follower then drops
    # the tables and rebuilds the projection from the log at start-up.
    version: int = 1
    tables: Sequence[Table]
    # The handlers, chosen by the event's class: `_apply = singledispatchmethod(unhandled)`,
    # then one `@_apply.register` method per event class the projection reads.
    _apply: ClassVar[singledispatchmethod[None]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        tables = cls.__dict__.get("tables")
        if tables and "name" not in cls.__dict__:
            cls.name = tables[0].name

    @property
    def ddl(self) -> tuple[str, ...]:
        """What creates the projection's tables and their indexes, where missing."""
        return tuple(statement for table in self.tables for statement in table.ddl)

    @property
    def event_classes(self) -> tuple[type, ...]:
        """The event classes the projection reads: those its handlers are registered for,
        read when asked, so a handler another module contributes counts too."""
        return handled_events(inspect.getattr_static(type(self), "_apply"))

    def topics(self) -> frozenset[str]:
        return frozenset(get_topic(cls) for cls in self.event_classes)

    def apply_batch(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> None:
        """Apply (position, event) pairs in log order."""
        batch = self.start(tx, events)
        apply = self._apply  # bound once: each access builds a new dispatching wrapper
        for position, e in events:
            batch.position = position
            apply(e, batch)
        batch.flush()

    @abstractmethod
    def start(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> Batch:
        """The batch the handlers share, its caches holding the rows `events` will change
        (loaded in a few statements, not one per event)."""

    def clear(self, tx: Tx) -> None:
        for table in self.tables:
            tx.execute(f"DELETE FROM {table}")

    def drop(self, tx: Tx) -> None:
        for table in self.tables:
            tx.execute(f"DROP TABLE IF EXISTS {table}")


def members(text: str) -> set[int]:
    """The integers of a ",2025,2026," set column (key years, pending instruction numbers):
    the form projections.filters.Member matches."""
    return {int(y) for y in text.strip(",").split(",") if y}


def members_text(values: set[int]) -> str:
    return "," + ",".join(str(y) for y in sorted(values)) + "," if values else ""


def handled_events(dispatch: singledispatchmethod[Any]) -> tuple[type, ...]:
    """The event classes `dispatch` has a handler for, in the order they were registered."""
    return tuple(cls for cls in dispatch.dispatcher.registry if cls is not object)


class Batch:
    """What the handlers of one batch share: the log position of the event being applied,
    and the caches of the rows the batch changes — a projection's batch is a dataclass of
    its `RowCache`s (and of anything else its handlers share), written back in the order
    they are declared."""

    position: int = 0

    def flush(self) -> None:
        for held in list(vars(self).values()):
            if isinstance(held, RowCache):
                held.flush()


class RowCache:
    """Rows of one keyed table, loaded once per batch and written back (or deleted) once, so
    a batch of many events costs a few statements instead of one per event."""

    def __init__(self, tx: Tx, table: Table) -> None:
        self.tx = tx
        self.table = table.name
        self.columns = table.columns
        self.key = table.key
        self.rows: dict[str, dict[str, Any]] = {}
        self.dirty: set[str] = set()
        self.deleted: set[str] = set()

    def preload(self, keys: Iterable[str], by: str | None = None) -> None:
        """Load the rows of `keys` not held yet; with `by`, another column, every row whose
        `by` is among `keys` (all the items of some cases), rows already held kept as held."""
        column = by or self.key
        wanted = [k for k in set(keys)
                  if by is not None or (k not in self.rows and k not in self.deleted)]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.tx.all(
                f"SELECT * FROM {self.table} WHERE {column} IN ({marks})", chunk
            ):
                if row[self.key] not in self.rows and row[self.key] not in self.deleted:
                    self.rows[row[self.key]] = row

    def get(self, key: str) -> dict[str, Any] | None:
        if key not in self.rows:
            self.preload([key])
        return self.rows.get(key)

    def put(self, row: dict[str, Any]) -> None:
        self.deleted.discard(row[self.key])
        self.rows[row[self.key]] = row
        self.dirty.add(row[self.key])

    def delete(self, key: str) -> None:
        self.rows.pop(key, None)
        self.dirty.discard(key)
        self.deleted.add(key)

    def touch(self, key: str) -> dict[str, Any] | None:
        row = self.get(key)
        if row is not None:
            self.dirty.add(key)
        return row

    def flush(self) -> None:
        gone = sorted(self.deleted)
        for start in range(0, len(gone), 500):
            chunk = gone[start:start + 500]
            self.tx.execute(f"DELETE FROM {self.table} WHERE {self.key} IN "
                            f"({','.join('?' * len(chunk))})", chunk)
        self.deleted.clear()
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


class LedgerRows(RowCache):
    """The rows of a ledger table: one per aggregate, keyed by its id, each stamped with the
    version and time of the aggregate's latest event."""

    def created(self, e: Any, position: int, **fields: Any) -> dict[str, Any]:
        """The row that `e`, its aggregate's first event, at log `position` starts; the
        columns not in `fields` are null."""
        row = dict.fromkeys(self.columns)
        row.update(id=str(e.originator_id), seq=position, **fields,
                   version=e.originator_version, updated_at=e.timestamp.isoformat())
        self.put(row)
        return row

    def changed(self, e: Any) -> dict[str, Any] | None:
        """The row of `e`'s aggregate, to be written back, stamped with `e`'s version and
        time; None if there is none, which a consistent log never gives and a replay must
        not fail on."""
        row = self.touch(str(e.originator_id))
        if row is not None:
            row["version"] = e.originator_version
            row["updated_at"] = e.timestamp.isoformat()
        return row


@dataclass
class LedgerBatch(Batch):
    """The batch of a ledger kept in one table: its rows."""

    rows: LedgerRows


class TableLedger(Projection):
    """A ledger kept in one table (`table`), one row per aggregate: a batch holds the rows of
    its events' aggregates."""

    table: ClassVar[Table]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.tables = (cls.table,)
        super().__init_subclass__(**kwargs)

    def start(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> LedgerBatch:
        rows = LedgerRows(tx, self.table)
        rows.preload(str(e.originator_id) for _, e in events)
        return LedgerBatch(rows)
