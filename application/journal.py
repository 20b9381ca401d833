"""审计日志: the global log read as one journal across every item, in recorded order."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from application import authz
from application.context import Caller
from application.history import HistoryEntry, history_entries, without_personal_data
from application.ledger import Ledger
from domain import complaint, enterprise, enterprise_request, project

AUDITORS = frozenset({"admin", "supervisor"})
KINDS: dict[str, tuple[str, dict[str, str]]] = {
    "Project": ("project", project.EVENT_LABELS),
    "Complaint": ("complaint", complaint.EVENT_LABELS),
    "Enterprise": ("enterprise", enterprise.EVENT_LABELS),
    "EnterpriseRequest": ("request", enterprise_request.EVENT_LABELS),
    "Account": ("account", {"Registered": "开设账号", "TokenIssued": "签发令牌",
                            "Deactivated": "停用账号"}),
    "CalendarSchedule": ("calendar", {"Started": "启用工作日历", "Configured": "更新工作日历"}),
}
# Token index entries carry nothing an auditor needs beyond the account's own events.
SKIPPED = frozenset({"TokenIndex", "Snapshot"})
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


def read_journal(ledger: Ledger, caller: Caller, after: int, limit: int) -> JournalPage:
    """Up to `limit` audit entries after log position `after`, oldest first."""
    authz.require_role(caller, AUDITORS, "read the audit journal")
    personal = authz.sees_personal_data(caller)
    notifications = list(ledger.recorder.select_notifications(start=after + 1, limit=limit))
    entries = []
    for n in notifications:
        event = ledger.mapper.to_domain_event(n)
        aggregate, _, name = type(event).__qualname__.rpartition(".")
        if aggregate in SKIPPED or name == "Snapshot":
            continue
        kind, labels = KINDS.get(aggregate, (aggregate.lower(), {}))
        (entry,) = history_entries([event], labels)
        data: dict[str, Any] = {k: v for k, v in entry.data.items() if k not in NEVER_SHOWN}
        entries.append(JournalEntry(position=n.id, item_kind=kind,
                                    item_id=str(n.originator_id),
                                    entry=without_personal_data(replace(entry, data=data),
                                                                personal)))
    more = len(notifications) == limit
    return JournalPage(entries, notifications[-1].id if more else None)
