"""诉求台账: the enterprise-request ledger, one row per request (statistics: request_stats)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from domain.enterprise import Enterprise
from domain.enterprise_request import Category, EnterpriseRequest, Status
from projections.base import Batch, LedgerRows, Projection, RowCache, unhandled
from projections.filters import AnyOf, AtLeast, AtMost, Equals, Filter, Given, Member, Overdue, Text
from projections.paging import BOOKKEEPING, LedgerSpec, Row, shown
from projections.store import Tx
from projections.tables import Table

TABLE = Table("request_ledger", """
    id TEXT PRIMARY KEY, seq BIGINT NOT NULL, enterprise_id TEXT NOT NULL,
    credit_code TEXT NOT NULL, enterprise_name TEXT, project_id TEXT, source TEXT NOT NULL,
    visit_number INTEGER, category TEXT NOT NULL, description TEXT NOT NULL,
    raised_on TEXT NOT NULL, status TEXT NOT NULL, lead_unit TEXT, co_units TEXT NOT NULL,
    all_units TEXT NOT NULL, assigned_on TEXT, due TEXT, due_provisional INTEGER NOT NULL,
    progress_count INTEGER NOT NULL, latest_progress TEXT, latest_progress_on TEXT,
    outcome TEXT, resolved_on TEXT, feedback TEXT, feedback_on TEXT, closed_on TEXT,
    reopened INTEGER NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL""",
    unique={"seq": "seq"},
    index={"enterprise": "credit_code, seq", "raised": "raised_on", "resolved": "resolved_on"})
# enterprise names, to show beside each request
NAMES = Table("request_ledger_names", """
    id TEXT PRIMARY KEY, name TEXT NOT NULL""")
HANDLING = ("assigned", "in_progress")  # being handled: the only statuses that go overdue
SOLVED = ("resolved", "partly_resolved")  # outcomes that count as a problem solved


def unit_set(text: str) -> list[str]:
    """The unit codes of a ",a,b," column, in stored order."""
    return [u for u in text.strip(",").split(",") if u]


def unit_text(units: Sequence[str]) -> str:
    return "," + ",".join(units) + "," if units else ""


@dataclass
class _Batch(Batch):
    """The requests' rows, and the enterprises' names."""

    rows: LedgerRows
    names: RowCache  # enterprise id → name


class RequestLedger(Projection):
    """Builds the request ledger from request events (and enterprise names)."""

    tables = (TABLE, NAMES)

    def start(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> _Batch:
        batch = _Batch(LedgerRows(tx, TABLE), RowCache(tx, NAMES))
        batch.rows.preload(str(e.originator_id) for _, e in events
                           if isinstance(e, EnterpriseRequest.Event))
        batch.names.preload(str(e.enterprise_id) for _, e in events
                            if isinstance(e, EnterpriseRequest.Raised))
        return batch

    _apply = singledispatchmethod(unhandled)

    @_apply.register
    def _(self, e: Enterprise.Registered, b: _Batch) -> None:
        b.names.put({"id": str(e.originator_id), "name": e.name})

    @_apply.register
    def _(self, e: Enterprise.DetailsRevised, b: _Batch) -> None:
        name = e.changes.get("name")
        if name is None:
            return
        key = str(e.originator_id)
        b.names.put({"id": key, "name": name})
        b.rows.tx.execute(f"UPDATE {TABLE} SET enterprise_name = ? WHERE enterprise_id = ?",
                          (name, key))
        for row in b.rows.rows.values():  # rows of this batch, not yet written
            if row["enterprise_id"] == key:
                row["enterprise_name"] = name

    @_apply.register
    def _(self, e: EnterpriseRequest.Raised, b: _Batch) -> None:
        known = b.names.get(str(e.enterprise_id))
        b.rows.created(
            e, b.position, enterprise_id=str(e.enterprise_id), credit_code=e.credit_code,
            enterprise_name=known["name"] if known else None,
            project_id=str(e.project_id) if e.project_id else None, source=e.source,
            visit_number=e.visit_number, category=e.category, description=e.description,
            raised_on=e.on.isoformat(), status="raised", co_units="", all_units="",
            due_provisional=0, progress_count=0, reopened=0)

    @_apply.register
    def _(self, e: EnterpriseRequest.Assigned, b: _Batch) -> None:
        if row := b.rows.changed(e):
            everyone = unit_set(row["all_units"])
            everyone += [u for u in [e.lead_unit, *e.co_units] if u not in everyone]
            row.update(status="assigned", lead_unit=e.lead_unit,
                       co_units=unit_text(e.co_units), all_units=unit_text(everyone),
                       assigned_on=e.on.isoformat(), due=e.due.due.isoformat(),
                       due_provisional=int(e.due.provisional))

    @_apply.register
    def _(self, e: EnterpriseRequest.ProgressNoted, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(status="in_progress", progress_count=row["progress_count"] + 1,
                       latest_progress=e.text, latest_progress_on=e.on.isoformat())

    @_apply.register
    def _(self, e: EnterpriseRequest.OutcomeRecorded, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(status="answered", outcome=e.outcome, resolved_on=e.on.isoformat(),
                       feedback=None, feedback_on=None)

    @_apply.register
    def _(self, e: EnterpriseRequest.FeedbackRecorded, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(feedback=e.feedback, feedback_on=e.on.isoformat())
            if e.feedback == "satisfied":
                row["status"] = "confirmed"
            else:  # 重办: the outcome no longer stands; the request awaits a new assignment
                row.update(status="reopened", lead_unit=None, co_units="", due=None,
                           due_provisional=0, outcome=None, resolved_on=None,
                           reopened=row["reopened"] + 1)

    @_apply.register
    def _(self, e: EnterpriseRequest.Closed, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(status="closed", closed_on=e.on.isoformat())

    @_apply.register
    def _(self, e: (EnterpriseRequest.InstructionGiven | EnterpriseRequest.InstructionAnswered
                    | EnterpriseRequest.InstructionDueRecomputed),
          b: _Batch) -> None:
        b.rows.changed(e)  # 批示: only the row's version moves; the ledger shows none

    @_apply.register
    def _(self, e: EnterpriseRequest.Corrected, b: _Batch) -> None:
        if row := b.rows.changed(e):
            value = e.value  # raised_on, category or project_id, as the Raised handler keeps it
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, UUID):
                value = str(value)
            row[e.field] = value

    @_apply.register
    def _(self, e: EnterpriseRequest.DueRecomputed, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(due=e.deadline.due.isoformat(),
                       due_provisional=int(e.deadline.provisional))


# --- queries ------------------------------------------------------------------------------


# Being handled (assigned or in progress) with the due date before today.
_LATE = f"(status IN ({', '.join('?' * len(HANDLING))}) AND due < ?)"

FILTERS: dict[str, Filter] = {
    "category": Equals("category"),
    "status": Equals("status"),
    "source": Equals("source"),
    "unit": AnyOf(Equals("lead_unit"), Member("co_units")),  # assigned now, lead or co-unit
    "enterprise": Equals("credit_code"),
    "project": Equals("project_id"),
    "raised_from": AtLeast("raised_on"),
    "raised_to": AtMost("raised_on"),
    "q": Text("description"),  # words of the request
    "overdue": Overdue(_LATE, f"NOT {_LATE}", HANDLING),
    "today": Given(),  # what overdue is judged against
    "scope_unit": Member("all_units"),  # a unit reads the requests it is or was assigned
    "scope_enterprise": Equals("credit_code"),  # an enterprise reads its own
}


def _public(row: Row, today: str | None) -> Row:
    out = shown(row, (*BOOKKEEPING, "all_units"))
    out["co_units"] = unit_set(row["co_units"])
    out["due_provisional"] = bool(row["due_provisional"])
    out["overdue"] = (row["status"] in HANDLING and row["due"] is not None
                      and today is not None and row["due"] < today)
    out["category_label"] = Category(row["category"]).label
    out["status_label"] = Status(row["status"]).label
    return out


# 诉求台账: pages of requests, newest first; a request being handled past its due date is
# overdue.
RequestLedgerReader = LedgerSpec(RequestLedger.name, TABLE.name, FILTERS, cursor_prefix="r",
                                 public=_public, dated=True).reader
