"""审计日志: the global log read as one journal across every item, in recorded order.

The journal reads the log itself (never a projection), so it is complete and strongly
consistent. Filters (who acted, in which unit, on which kind of item, which step, when it was
recorded) are applied while reading: a page scans at most `SCAN` events, and `next_after`
continues after the last one scanned, so a filter matching little still pages and ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from application import policy
from application.cases import CaseType
from application.context import Caller
from application.history import HistoryEntry, history_entries, without_personal_data
from application.ledger import Ledger
from application.moments import position_before
from domain.errors import InvalidValue

# Token index entries carry nothing an auditor needs beyond the account's own events.
SKIPPED = frozenset({"TokenIndex", "IdempotentRequest", "Snapshot"})
NEVER_SHOWN = ("token_hash",)
SCAN = 5000  # events a page reads at most, whatever its filters keep
_BATCH = 500


@dataclass(frozen=True)
class JournalEntry:
    position: int
    item_kind: str
    item_id: str
    entry: HistoryEntry


@dataclass(frozen=True)
class JournalPage:
    entries: list[JournalEntry]
    next_after: int | None  # where the next page starts; None once the log is read to its end


@dataclass(frozen=True)
class JournalFilter:
    """Which entries a page keeps; None keeps any. Times are recorded times, both ends
    inclusive."""

    actor: str | None = None  # the acting account's id
    unit: str | None = None  # the acting account's unit
    kind: str | None = None  # the item's kind: project, complaint, account…
    type: str | None = None  # the event's type: Received, Signed…
    start: datetime | None = None  # `from`
    end: datetime | None = None  # `to`

    def keeps(self, found: JournalEntry) -> bool:
        entry = found.entry
        return ((self.actor is None or entry.actor["id"] == self.actor)
                and (self.unit is None or entry.actor["unit"] == self.unit)
                and (self.kind is None or found.item_kind == self.kind)
                and (self.type is None or entry.type == self.type)
                and (self.start is None or entry.recorded_at >= self.start)
                and (self.end is None or entry.recorded_at <= self.end))


class Journal:
    """审计日志 over every registered case type: each aggregate's events under its kind."""

    def __init__(self, ledger: Ledger, cases: Iterable[CaseType]) -> None:
        self.ledger = ledger
        cases = tuple(cases)
        self.kinds = {name: (case.kind, case.event_labels)
                      for case in cases for name in case.aggregate_names}
        self.kind_names = tuple(sorted({case.kind for case in cases}))

    def read(self, caller: Caller, after: int, limit: int,
             only: JournalFilter | None = None) -> JournalPage:
        """Up to `limit` audit entries after log position `after` that `only` keeps, oldest
        first, personal data blanked unless the caller may see it."""
        policy.require(caller, "journal.read")
        only = only or JournalFilter()
        if only.start is not None and only.end is not None and only.start > only.end:
            msg = (f"from {only.start.isoformat()} is after to {only.end.isoformat()} "
                   f"/ 起止时间颠倒")
            raise InvalidValue(msg)
        if only.kind is not None and only.kind not in self.kind_names:
            msg = (f"kind: unknown kind {only.kind!r}; one of {', '.join(self.kind_names)} "
                   f"/ 未知的事项类型")
            raise InvalidValue(msg)
        personal = policy.allows(caller, "personal_data.read")
        head = self.ledger.head()
        if only.start is not None:  # what was recorded before `from` is not read at all
            after = max(after, position_before(self.ledger, only.start, head))
        entries: list[JournalEntry] = []
        last = after
        for position, found in self._scan(after, head, personal):
            last = position
            if found is None:
                continue
            if only.end is not None and found.entry.recorded_at > only.end:
                return JournalPage(entries, None)  # recorded times rise with positions
            if only.keeps(found):
                entries.append(found)
                if len(entries) == limit:
                    break
        return JournalPage(entries, last if last < head else None)

    def _scan(self, after: int, head: int, personal: bool
              ) -> Iterator[tuple[int, JournalEntry | None]]:
        """The events after `after`, up to `head` and at most SCAN of them, each with its
        entry (None for bookkeeping the journal never shows)."""
        scanned = 0
        while scanned < SCAN:
            batch = list(self.ledger.recorder.select_notifications(
                start=after + 1, limit=min(_BATCH, SCAN - scanned), stop=head))
            if not batch:
                return
            for n in batch:
                yield int(n.id), self._entry(n, personal)
            scanned += len(batch)
            after = int(batch[-1].id)

    def _entry(self, n: Any, personal: bool) -> JournalEntry | None:
        event = self.ledger.mapper.to_domain_event(n)
        aggregate, _, name = type(event).__qualname__.rpartition(".")
        if aggregate in SKIPPED or name == "Snapshot":
            return None
        kind, labels = self.kinds.get(aggregate, (aggregate.lower(), {}))
        (entry,) = history_entries([event], labels)
        data: dict[str, Any] = {k: v for k, v in entry.data.items() if k not in NEVER_SHOWN}
        return JournalEntry(position=int(n.id), item_kind=kind, item_id=str(n.originator_id),
                            entry=without_personal_data(replace(entry, data=data), personal))
