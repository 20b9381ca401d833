"""投诉台账: the complaint ledger, one row per complaint, and one row per assignment (交办)
for the units' performance statistics (projections/complaint_stats.py); read through
projections/complaint_reader.py.

No complainant details enter these tables: no name, phone or enterprise name; only whether
the complaint is anonymous and, for scoping an enterprise account's reads, the credit code
of the enterprise that filed it. The receipt code and the content are kept so staff can find
a complaint by its code or by words of its content (the ledger shows a short summary).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import singledispatchmethod
from typing import Any

from domain.complaint import Complaint
from projections.base import Batch, LedgerRows, Projection, RowCache, unhandled
from projections.store import Tx
from projections.tables import Table

# Dates are ISO text (they compare as dates on both engines); flags are 0/1 integers.
TABLE = Table("complaint_ledger", """
    id TEXT PRIMARY KEY, seq BIGINT NOT NULL, receipt TEXT NOT NULL, content TEXT NOT NULL,
    status TEXT NOT NULL, channel TEXT NOT NULL, category TEXT NOT NULL,
    respondent_unit TEXT NOT NULL, assigned_unit TEXT, anonymous INTEGER NOT NULL,
    filed_by_enterprise TEXT, received_on TEXT NOT NULL, accepted_on TEXT, declined_on TEXT,
    assigned_on TEXT, acknowledged_on TEXT, replied_on TEXT, callback_on TEXT,
    satisfaction TEXT, closed_on TEXT, acceptance_due TEXT NOT NULL,
    acceptance_provisional INTEGER NOT NULL, reply_due TEXT, reply_provisional INTEGER,
    extended_due TEXT, effective_reply_due TEXT, callback_due TEXT,
    callback_provisional INTEGER, deadline_kind TEXT, deadline_due TEXT,
    deadline_provisional INTEGER, pending_until TEXT, pending_requested_on TEXT,
    urge_count INTEGER NOT NULL, last_urged_on TEXT, assignment_count INTEGER NOT NULL,
    return_count INTEGER NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL""",
    unique={"seq": "seq"},
    index={"unit": "assigned_unit, seq", "status": "status, seq", "received": "received_on",
           "enterprise": "filed_by_enterprise, seq"})
ASSIGNMENTS = Table("complaint_assignments", """
    id TEXT PRIMARY KEY, complaint_id TEXT NOT NULL, number INTEGER NOT NULL,
    seq BIGINT NOT NULL, unit TEXT NOT NULL, assigned_on TEXT NOT NULL, acknowledged_on TEXT,
    returned_on TEXT, reply_due TEXT NOT NULL, extended_due TEXT,
    effective_reply_due TEXT NOT NULL, replied_on TEXT, callback_on TEXT, satisfaction TEXT""",
    index={"assigned": "assigned_on, unit"})
OPEN_REPLY_STATUSES = ("assigned", "acknowledged")


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _later(first: str | None, second: str | None) -> str | None:
    return max(d for d in (first, second) if d is not None) if (first or second) else None


@dataclass
class _Batch(Batch):
    """The complaints' rows, and their assignments."""

    rows: LedgerRows
    assignments: RowCache

    def flush(self) -> None:
        for key in self.rows.dirty:  # derived columns follow from a row's final state
            _derive(self.rows.rows[key])
        super().flush()

    def update_assignment(self, row: dict[str, Any], **changes: Any) -> None:
        """Change the complaint's current assignment (交办) as well."""
        current = self.assignments.touch(f"{row['id']}/{row['assignment_count']}")
        if current is None:
            return
        current.update(changes)
        current["effective_reply_due"] = _later(current["reply_due"], current["extended_due"])


class ComplaintLedger(Projection):
    """Builds the complaint ledger and its assignments from complaint events."""

    version = 2  # 2: receipt code and content, to find complaints by them
    tables = (TABLE, ASSIGNMENTS)

    def start(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> _Batch:
        batch = _Batch(LedgerRows(tx, TABLE), RowCache(tx, ASSIGNMENTS))
        rows = batch.rows
        rows.preload(str(e.originator_id) for _, e in events)
        # Steps touch the current assignment; later ones of this batch are created in it.
        batch.assignments.preload(f"{key}/{row['assignment_count']}"
                                  for key, row in rows.rows.items() if row["assignment_count"])
        return batch

    _apply = singledispatchmethod(unhandled)

    @_apply.register
    def _(self, e: Complaint.Received, b: _Batch) -> None:
        b.rows.created(
            e, b.position, receipt=e.receipt, content=e.content, status="received",
            channel=e.channel, category=e.category,
            respondent_unit=e.respondent_unit, anonymous=int(e.complainant is None),
            filed_by_enterprise=e.filed_by_enterprise, received_on=e.on.isoformat(),
            acceptance_due=e.acceptance_deadline.due.isoformat(),
            acceptance_provisional=int(e.acceptance_deadline.provisional), urge_count=0,
            assignment_count=0, return_count=0)

    @_apply.register
    def _(self, e: Complaint.Accepted, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(status="accepted", accepted_on=e.on.isoformat())

    @_apply.register
    def _(self, e: Complaint.Declined, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(status="declined", declined_on=e.on.isoformat())

    @_apply.register
    def _(self, e: Complaint.Assigned, b: _Batch) -> None:
        if row := b.rows.changed(e):
            on, due = e.on.isoformat(), e.reply_deadline.due.isoformat()
            number = row["assignment_count"] + 1
            row.update(status="assigned", assigned_unit=e.unit, assigned_on=on,
                       acknowledged_on=None, replied_on=None, callback_on=None,
                       satisfaction=None, callback_due=None, callback_provisional=None,
                       reply_due=due, reply_provisional=int(e.reply_deadline.provisional),
                       extended_due=None, pending_until=None, pending_requested_on=None,
                       assignment_count=number)
            b.assignments.put({
                "id": f"{row['id']}/{number}", "complaint_id": row["id"], "number": number,
                "seq": b.position, "unit": e.unit, "assigned_on": on, "acknowledged_on": None,
                "returned_on": None, "reply_due": due, "extended_due": None,
                "effective_reply_due": due, "replied_on": None, "callback_on": None,
                "satisfaction": None})

    @_apply.register
    def _(self, e: Complaint.Acknowledged, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(status="acknowledged", acknowledged_on=e.on.isoformat())
            b.update_assignment(row, acknowledged_on=e.on.isoformat())

    @_apply.register
    def _(self, e: Complaint.Returned, b: _Batch) -> None:
        if row := b.rows.changed(e):
            b.update_assignment(row, returned_on=e.on.isoformat())
            row.update(status="returned", assigned_unit=None, reply_due=None,
                       reply_provisional=None, extended_due=None, pending_until=None,
                       pending_requested_on=None, return_count=row["return_count"] + 1)

    @_apply.register
    def _(self, e: Complaint.Replied, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(status="replied", replied_on=e.on.isoformat(), pending_until=None,
                       pending_requested_on=None,
                       callback_due=e.callback_deadline.due.isoformat(),
                       callback_provisional=int(e.callback_deadline.provisional))
            b.update_assignment(row, replied_on=e.on.isoformat())

    @_apply.register
    def _(self, e: Complaint.CallbackRecorded, b: _Batch) -> None:
        if row := b.rows.changed(e):
            on = e.on.isoformat()
            b.update_assignment(row, callback_on=on, satisfaction=e.satisfaction)
            row.update(callback_on=on, satisfaction=e.satisfaction, status="called_back")
            if e.satisfaction == "unsatisfied":  # 重办: back to the bureau to assign again
                row.update(status="reopened", assigned_unit=None, reply_due=None,
                           reply_provisional=None, extended_due=None)

    @_apply.register
    def _(self, e: Complaint.Closed, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(status="closed", closed_on=e.on.isoformat())

    @_apply.register
    def _(self, e: Complaint.ExtensionRequested, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(pending_until=e.until.isoformat(), pending_requested_on=e.on.isoformat())

    @_apply.register
    def _(self, e: Complaint.ExtensionApproved, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(extended_due=row["pending_until"], pending_until=None,
                       pending_requested_on=None)
            b.update_assignment(row, extended_due=row["extended_due"])

    @_apply.register
    def _(self, e: Complaint.ExtensionRefused, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(pending_until=None, pending_requested_on=None)

    @_apply.register
    def _(self, e: Complaint.Urged, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row["urge_count"] += 1
            row["last_urged_on"] = _later(row["last_urged_on"], e.on.isoformat())

    @_apply.register
    def _(self, e: (Complaint.InstructionGiven | Complaint.InstructionAnswered
                    | Complaint.InstructionDueRecomputed), b: _Batch
          ) -> None:
        b.rows.changed(e)  # 批示: only the row's version moves; the ledger shows none

    @_apply.register
    def _(self, e: Complaint.Corrected, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row[e.field] = e.value.isoformat() if isinstance(e.value, date) else e.value

    @_apply.register
    def _(self, e: Complaint.DeadlineRecomputed, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row[f"{e.kind}_due"] = e.deadline.due.isoformat()
            row[f"{e.kind}_provisional"] = int(e.deadline.provisional)
            if e.kind == "reply":
                b.update_assignment(row, reply_due=row["reply_due"])


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
