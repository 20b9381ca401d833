"""投诉台账: the complaint ledger, one row per complaint, and one row per assignment (交办)
for the units' performance statistics (projections/complaint_stats.py).

No personal data enters these tables: no complainant name, phone or enterprise name, and no
content or receipt code; only whether the complaint is anonymous and, for scoping an
enterprise account's reads, the credit code of the enterprise that filed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.complaint import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    DEADLINE_KIND_LABELS,
    EVENT_LABELS,
    SATISFACTION_LABELS,
    STATUS_LABELS,
    Complaint,
)
from projections.base import Projection, RowCache
from projections.paging import keyset_page
from projections.store import Tx, ViewStore

TABLE = "complaint_ledger"
ASSIGNMENTS = "complaint_assignments"
# Dates are ISO text (they compare as dates on both engines); flags are 0/1 integers.
LEDGER_SCHEMA = """id TEXT PRIMARY KEY, seq BIGINT NOT NULL, status TEXT NOT NULL,
    channel TEXT NOT NULL, category TEXT NOT NULL, respondent_unit TEXT NOT NULL,
    assigned_unit TEXT, anonymous INTEGER NOT NULL, filed_by_enterprise TEXT,
    received_on TEXT NOT NULL, accepted_on TEXT, declined_on TEXT, assigned_on TEXT,
    acknowledged_on TEXT, replied_on TEXT, callback_on TEXT, satisfaction TEXT,
    closed_on TEXT, acceptance_due TEXT NOT NULL, acceptance_provisional INTEGER NOT NULL,
    reply_due TEXT, reply_provisional INTEGER, extended_due TEXT, effective_reply_due TEXT,
    callback_due TEXT, callback_provisional INTEGER, deadline_kind TEXT, deadline_due TEXT,
    deadline_provisional INTEGER, pending_until TEXT, pending_requested_on TEXT,
    urge_count INTEGER NOT NULL, last_urged_on TEXT, assignment_count INTEGER NOT NULL,
    return_count INTEGER NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL"""
ASSIGNMENT_SCHEMA = """id TEXT PRIMARY KEY, complaint_id TEXT NOT NULL,
    number INTEGER NOT NULL, seq BIGINT NOT NULL, unit TEXT NOT NULL, assigned_on TEXT NOT NULL,
    acknowledged_on TEXT, returned_on TEXT, reply_due TEXT NOT NULL, extended_due TEXT,
    effective_reply_due TEXT NOT NULL, replied_on TEXT, callback_on TEXT, satisfaction TEXT"""
COLUMNS = tuple(column.split()[0] for column in LEDGER_SCHEMA.split(","))
ASSIGNMENT_COLUMNS = tuple(column.split()[0] for column in ASSIGNMENT_SCHEMA.split(","))
DDL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ({LEDGER_SCHEMA})",
    f"CREATE UNIQUE INDEX IF NOT EXISTS {TABLE}_seq ON {TABLE} (seq)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_unit ON {TABLE} (assigned_unit, seq)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_status ON {TABLE} (status, seq)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_received ON {TABLE} (received_on)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_enterprise ON {TABLE} (filed_by_enterprise, seq)",
    f"CREATE TABLE IF NOT EXISTS {ASSIGNMENTS} ({ASSIGNMENT_SCHEMA})",
    f"CREATE INDEX IF NOT EXISTS {ASSIGNMENTS}_assigned ON {ASSIGNMENTS} (assigned_on, unit)",
)
OPEN_REPLY_STATUSES = ("assigned", "acknowledged")


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _later(first: str | None, second: str | None) -> str | None:
    return max(d for d in (first, second) if d is not None) if (first or second) else None


class ComplaintLedger(Projection):
    """Builds the complaint ledger and its assignments from complaint events."""

    name = "complaint_ledger"
    ddl = DDL
    tables = (TABLE, ASSIGNMENTS)
    event_classes = tuple(getattr(Complaint, name) for name in EVENT_LABELS)

    def apply_batch(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> None:
        rows = RowCache(tx, TABLE, COLUMNS)
        assignments = RowCache(tx, ASSIGNMENTS, ASSIGNMENT_COLUMNS)
        rows.preload(str(e.originator_id) for _, e in events
                     if type(e).__name__ != "Received")
        # Steps touch the current assignment; later ones of this batch are created in it.
        assignments.preload(f"{key}/{row['assignment_count']}" for key, row in rows.rows.items()
                            if row["assignment_count"])
        for position, e in events:
            key = str(e.originator_id)
            if type(e).__name__ == "Received":
                rows.put(_new_row(key, position, e))
                continue
            row = rows.touch(key)
            if row is None:  # cannot happen in a consistent log; never fail a replay on it
                continue
            _change(row, assignments, position, e)
            _derive(row)
            row["version"] = e.originator_version
            row["updated_at"] = e.timestamp.isoformat()
        rows.flush()
        assignments.flush()


def _new_row(key: str, position: int, e: Any) -> dict[str, Any]:
    row = dict.fromkeys(COLUMNS)
    row.update(
        id=key, seq=position, status="received", channel=e.channel, category=e.category,
        respondent_unit=e.respondent_unit, anonymous=int(e.complainant is None),
        filed_by_enterprise=e.filed_by_enterprise, received_on=e.on.isoformat(),
        acceptance_due=e.acceptance_deadline.due.isoformat(),
        acceptance_provisional=int(e.acceptance_deadline.provisional), urge_count=0,
        assignment_count=0, return_count=0, version=e.originator_version,
        updated_at=e.timestamp.isoformat())
    _derive(row)
    return row


def _current(row: dict[str, Any], assignments: RowCache) -> dict[str, Any] | None:
    return assignments.touch(f"{row['id']}/{row['assignment_count']}")


def _change(row: dict[str, Any], assignments: RowCache, position: int, e: Any) -> None:
    kind = type(e).__name__
    on = e.on.isoformat()
    if kind == "Accepted":
        row.update(status="accepted", accepted_on=on)
    elif kind == "Declined":
        row.update(status="declined", declined_on=on)
    elif kind == "Assigned":
        number = row["assignment_count"] + 1
        due = e.reply_deadline.due.isoformat()
        row.update(status="assigned", assigned_unit=e.unit, assigned_on=on,
                   acknowledged_on=None, replied_on=None, callback_on=None, satisfaction=None,
                   callback_due=None, callback_provisional=None, reply_due=due,
                   reply_provisional=int(e.reply_deadline.provisional), extended_due=None,
                   pending_until=None, pending_requested_on=None, assignment_count=number)
        assignments.put({
            "id": f"{row['id']}/{number}", "complaint_id": row["id"], "number": number,
            "seq": position, "unit": e.unit, "assigned_on": on, "acknowledged_on": None,
            "returned_on": None, "reply_due": due, "extended_due": None,
            "effective_reply_due": due, "replied_on": None, "callback_on": None,
            "satisfaction": None})
    elif kind == "Acknowledged":
        row.update(status="acknowledged", acknowledged_on=on)
        _update_assignment(row, assignments, acknowledged_on=on)
    elif kind == "Returned":
        _update_assignment(row, assignments, returned_on=on)
        row.update(status="returned", assigned_unit=None, reply_due=None,
                   reply_provisional=None, extended_due=None, pending_until=None,
                   pending_requested_on=None, return_count=row["return_count"] + 1)
    elif kind == "Replied":
        row.update(status="replied", replied_on=on, pending_until=None,
                   pending_requested_on=None,
                   callback_due=e.callback_deadline.due.isoformat(),
                   callback_provisional=int(e.callback_deadline.provisional))
        _update_assignment(row, assignments, replied_on=on)
    elif kind == "CallbackRecorded":
        _update_assignment(row, assignments, callback_on=on, satisfaction=e.satisfaction)
        row.update(callback_on=on, satisfaction=e.satisfaction, status="called_back")
        if e.satisfaction == "unsatisfied":  # 重办: back to the bureau for a new assignment
            row.update(status="reopened", assigned_unit=None, reply_due=None,
                       reply_provisional=None, extended_due=None)
    elif kind == "Closed":
        row.update(status="closed", closed_on=on)
    elif kind == "ExtensionRequested":
        row.update(pending_until=e.until.isoformat(), pending_requested_on=on)
    elif kind == "ExtensionApproved":
        row.update(extended_due=row["pending_until"], pending_until=None,
                   pending_requested_on=None)
        _update_assignment(row, assignments, extended_due=row["extended_due"])
    elif kind == "ExtensionRefused":
        row.update(pending_until=None, pending_requested_on=None)
    elif kind == "Urged":
        row["urge_count"] += 1
        row["last_urged_on"] = _later(row["last_urged_on"], on)
    elif kind == "DeadlineRecomputed":
        row[f"{e.kind}_due"] = e.deadline.due.isoformat()
        row[f"{e.kind}_provisional"] = int(e.deadline.provisional)
        if e.kind == "reply":
            _update_assignment(row, assignments, reply_due=row["reply_due"])


def _update_assignment(row: dict[str, Any], assignments: RowCache, **changes: Any) -> None:
    current = _current(row, assignments)
    if current is None:
        return
    current.update(changes)
    current["effective_reply_due"] = _later(current["reply_due"], current["extended_due"])


def _derive(row: dict[str, Any]) -> None:
    """The reply due date with any extension applied, and the deadline now running (as
    Complaint.open_deadlines): acceptance while received, reply while assigned or
    acknowledged, callback once replied; none otherwise."""
    row["effective_reply_due"] = _later(row["reply_due"], row["extended_due"])
    kind, due, provisional = None, None, None
    if row["status"] == "received":
        kind, due, provisional = "acceptance", row["acceptance_due"], row["acceptance_provisional"]
    elif row["status"] in OPEN_REPLY_STATUSES and row["reply_due"] is not None:
        kind, due, provisional = "reply", row["effective_reply_due"], row["reply_provisional"]
    elif row["status"] == "replied" and row["callback_due"] is not None:
        kind, due, provisional = "callback", row["callback_due"], row["callback_provisional"]
    row.update(deadline_kind=kind, deadline_due=due, deadline_provisional=provisional)


# --- queries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintFilter:
    status: str | None = None
    unit: str | None = None  # the unit the complaint is assigned to now
    respondent_unit: str | None = None
    channel: str | None = None
    category: str | None = None
    received_from: date | None = None
    received_to: date | None = None
    overdue: bool | None = None
    today: date | None = None  # what `overdue` is judged against
    scope_unit: str | None = None  # a unit account: complaints assigned to it
    scope_enterprise: str | None = None  # an enterprise account: complaints it filed


@dataclass(frozen=True)
class ComplaintPage:
    items: list[dict[str, Any]]
    count: int
    next_cursor: str | None


def _where(f: ComplaintFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (("status", f.status), ("assigned_unit", f.unit),
                          ("respondent_unit", f.respondent_unit), ("channel", f.channel),
                          ("category", f.category), ("assigned_unit", f.scope_unit),
                          ("filed_by_enterprise", f.scope_enterprise)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if f.received_from is not None:
        clauses.append("received_on >= ?")
        params.append(f.received_from.isoformat())
    if f.received_to is not None:
        clauses.append("received_on <= ?")
        params.append(f.received_to.isoformat())
    if f.overdue is not None:
        if f.today is None:
            msg = "the overdue filter needs today's date"
            raise ValueError(msg)
        # Only open complaints have a running deadline (deadline_due is null otherwise).
        clauses.append("deadline_due < ?" if f.overdue
                       else "(deadline_due IS NULL OR deadline_due >= ?)")
        params.append(f.today.isoformat())
    return clauses, params


def query_complaints(store: ViewStore, f: ComplaintFilter, limit: int = 50,
                     cursor: str | None = None) -> ComplaintPage:
    """One page of the complaint ledger (newest first) and the filtered count, read from one
    snapshot."""
    clauses, params = _where(f)
    with store.read() as tx:
        rows, count, next_cursor = keyset_page(tx, TABLE, clauses, params, limit, cursor, "c")
    today = f.today.isoformat() if f.today else None
    return ComplaintPage(items=[_public(r, today) for r in rows], count=count,
                         next_cursor=next_cursor)


def _public(row: dict[str, Any], today: str | None) -> dict[str, Any]:
    deadline = None
    if row["deadline_kind"] is not None:
        deadline = {"kind": row["deadline_kind"],
                    "kind_label": DEADLINE_KIND_LABELS[row["deadline_kind"]],
                    "due": row["deadline_due"], "provisional": bool(row["deadline_provisional"])}
    pending = None
    if row["pending_until"] is not None:
        pending = {"until": row["pending_until"], "requested_on": row["pending_requested_on"]}
    return {
        "id": row["id"], "status": row["status"], "status_label": STATUS_LABELS[row["status"]],
        "channel": row["channel"], "channel_label": CHANNEL_LABELS[row["channel"]],
        "category": row["category"], "category_label": CATEGORY_LABELS[row["category"]],
        "respondent_unit": row["respondent_unit"], "assigned_unit": row["assigned_unit"],
        "anonymous": bool(row["anonymous"]), "received_on": row["received_on"],
        "accepted_on": row["accepted_on"], "declined_on": row["declined_on"],
        "assigned_on": row["assigned_on"], "acknowledged_on": row["acknowledged_on"],
        "replied_on": row["replied_on"], "closed_on": row["closed_on"],
        "satisfaction": row["satisfaction"],
        "satisfaction_label": SATISFACTION_LABELS.get(row["satisfaction"] or ""),
        "deadline": deadline,
        "overdue": bool(deadline and today and deadline["due"] < today),
        "urge_count": row["urge_count"], "pending_extension": pending,
        "version": row["version"],
    }
