"""审计日志: the global log read as one journal across every item, in recorded order."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from application import policy
from application.cases import CaseType
from application.context import Caller
from application.history import HistoryEntry, history_entries, without_personal_data
from application.ledger import Ledger

# Token index entries carry nothing an auditor needs beyond the account's own events.
SKIPPED = frozenset({"TokenIndex", "IdempotentRequest", "Snapshot"})
NEVER_SHOWN = ("token_hash",)


@dataclass(frozen=True)
class JournalEntry:
    position: int
    item_kind: str
    item_id: str
    entry: HistoryEntry


@dataclass(frozen=True)
class JournalPage:
    entries: list[JournalEntry]
    next_after: int | None


class Journal:
    """审计日志 over every registered case type: each aggregate's events under its kind."""

    def __init__(self, ledger: Ledger, cases: Iterable[CaseType]) -> None:
        self.ledger = ledger
        self.kinds = {name: (case.kind, case.event_labels)
                      for case in cases for name in case.aggregate_names}

    def read(self, caller: Caller, after: int, limit: int) -> JournalPage:
        """Up to `limit` audit entries after log position `after`, oldest first."""
        policy.require(caller, "journal.read")
        personal = policy.allows(caller, "complaint.personal_data")
        notifications = list(self.ledger.recorder.select_notifications(start=after + 1,
                                                                       limit=limit))
        entries = []
        for n in notifications:
            event = self.ledger.mapper.to_domain_event(n)
            aggregate, _, name = type(event).__qualname__.rpartition(".")
            if aggregate in SKIPPED or name == "Snapshot":
                continue
            kind, labels = self.kinds.get(aggregate, (aggregate.lower(), {}))
            (entry,) = history_entries([event], labels)
            data: dict[str, Any] = {k: v for k, v in entry.data.items() if k not in NEVER_SHOWN}
            entries.append(JournalEntry(position=n.id, item_kind=kind,
                                        item_id=str(n.originator_id),
                                        entry=without_personal_data(replace(entry, data=data),
                                                                    personal)))
        more = len(notifications) == limit
        return JournalPage(entries, notifications[-1].id if more else None)
