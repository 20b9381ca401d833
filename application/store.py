"""Loading and saving aggregates with optimistic concurrency, for every use-case module."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, OriginatorVersionError
from eventsourcing.persistence import IntegrityError

from application.errors import ConcurrentUpdate, HistoryDamaged, NotFound, StaleVersion
from application.ledger import Ledger, last_position
from domain.errors import InvalidValue

A = TypeVar("A", bound=Aggregate)


class Store:
    """Typed access to the Ledger's repository: load checks type and If-Match; save maps a
    lost race to ConcurrentUpdate and returns the global position."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger

    def load(self, cls: type[A], item_id: UUID, expected_version: int | None = None,
             version: int | None = None) -> A:
        item: Any
        try:
            item = self.ledger.repository.get(item_id, version=version)
        except AggregateNotFoundError:
            item = None
        except OriginatorVersionError as exc:
            found, expected = exc.args
            msg = (f"the stored history of item {item_id} is damaged: version {found} follows "
                   f"version {expected - 1}; `investledger audit verify` shows where / "
                   f"该事项的事件记录已损坏（第{expected}版缺失或错序），请运行审计校验")
            raise HistoryDamaged(msg) from None
        if not isinstance(item, cls):
            msg = f"no {cls.__name__.lower()} with id {item_id} / 没有该事项"
            raise NotFound(msg)
        check_version(item, expected_version)
        return item

    def as_of(self, current: A, as_of_version: int | None) -> A:
        """`current` itself, or the same item as it was at `as_of_version` (1..current)."""
        if as_of_version is None:
            return current
        if not 1 <= as_of_version <= current.version:
            msg = (f"as_of_version must be between 1 and {current.version}, "
                   f"got {as_of_version} / as_of_version须在1至{current.version}之间")
            raise InvalidValue(msg)
        return self.load(type(current), current.id, version=as_of_version)

    def at_moment(self, current: A, moment: datetime) -> A:
        """The same item as it stood at the recorded time `moment`: at the version of its
        last event recorded then. 404 if its first event was recorded later."""
        if current.modified_on <= moment:
            return current
        version = 0
        events: Any = self.ledger.repository.event_store.get(current.id, lte=current.version)
        for event in events:
            if event.timestamp > moment:
                break
            version = event.originator_version
        if not version:
            kind = type(current).__name__.lower()
            msg = (f"no {kind} with id {current.id} at {moment.isoformat()}: it was first "
                   f"recorded at {current.created_on.isoformat()} / 该时刻此事项尚未登记")
            raise NotFound(msg)
        return self.load(type(current), current.id, version=version)

    def exists(self, item_id: UUID) -> bool:
        return item_id in self.ledger.repository

    def save(self, *items: Any) -> int:
        """Record every pending event of `items` in one transaction; the log position of the
        last. A lost race is ConcurrentUpdate (409) — unless the events were in fact
        recorded: when a connection drops after the commit, the library retries and meets
        its own rows, and a write that committed must never be answered as a conflict."""
        pending = [e for item in items if item is not None for e in item.pending_events]
        try:
            recordings = self.ledger.save(*items)
        except IntegrityError:
            position = self._recorded(pending)
            if position is None:
                msg = ("another change to this item was saved first; reload and retry / "
                       "该事项已先被他人修改，请刷新后重试")
                raise ConcurrentUpdate(msg) from None
            return position
        return last_position(recordings)

    def _recorded(self, pending: list[Any]) -> int | None:
        """The log position of the last of `pending` if every one of them is in the store
        exactly as written (same type, same fields, same timestamp), else None."""
        store = self.ledger.repository.event_store
        for event in pending:
            found = list(store.get(event.originator_id, gt=event.originator_version - 1,
                                   lte=event.originator_version))
            if len(found) != 1 or type(found[0]) is not type(event) \
                    or found[0].__dict__ != event.__dict__:
                return None
        last = pending[-1] if pending else None
        return self.position_of(last.originator_id, last.originator_version) if last else None

    def position_of(self, originator_id: UUID, version: int) -> int:
        """Where an item's event stands in the log. A rare path (a retried or replayed
        write): it scans back from the head over recent events, else answers the head,
        which is at or after it, so a read waiting for it still sees it."""
        head = self.ledger.head()
        start = max(1, head - 10_000)
        for n in reversed(list(self.ledger.recorder.select_notifications(
                start=start, limit=10_001, stop=head))):
            if n.originator_id == originator_id and n.originator_version == version:
                return int(n.id)
        return head

    def events(self, item_id: UUID) -> list[Any]:
        return list(self.ledger.repository.event_store.get(item_id))


def check_version(item: Aggregate, expected_version: int | None) -> None:
    """Refuse a command whose If-Match names another version than the current one."""
    if expected_version is not None and item.version != expected_version:
        msg = (f"{type(item).__name__.lower()} {item.id} is at version {item.version}, "
               f"If-Match named {expected_version}; reload and retry / "
               "该事项已被修改，请刷新后重试")
        raise StaleVersion(msg)
