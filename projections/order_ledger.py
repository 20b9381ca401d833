"""督办台账: the supervision-order ledger, one row per order; also what lists the orders on
an item (`subject_id`)."""

from __future__ import annotations

from functools import singledispatchmethod

from domain.order import Order, Status
from projections.base import LedgerBatch, TableLedger, unhandled
from projections.filters import AtLeast, AtMost, Equals, Filter, Given, Overdue, Text
from projections.paging import LedgerSpec, Row, shown
from projections.tables import Table

TABLE = Table("order_ledger", """
    id TEXT PRIMARY KEY, seq BIGINT NOT NULL, subject_kind TEXT, subject_id TEXT,
    task TEXT NOT NULL, unit TEXT NOT NULL, issued_on TEXT NOT NULL, due TEXT NOT NULL,
    due_provisional INTEGER NOT NULL, status TEXT NOT NULL, response_count INTEGER NOT NULL,
    latest_response TEXT, latest_response_on TEXT, done INTEGER NOT NULL,
    return_count INTEGER NOT NULL, urge_count INTEGER NOT NULL, last_urged_on TEXT,
    notice_count INTEGER NOT NULL, closed_on TEXT, version INTEGER NOT NULL,
    updated_at TEXT NOT NULL""",
    unique={"seq": "seq"},
    index={"subject": "subject_id, seq", "unit": "unit, seq", "issued": "issued_on"})
CLOSED = Status.closed.value


class OrderLedger(TableLedger):
    """Builds the order ledger from order events."""

    table = TABLE

    _apply = singledispatchmethod(unhandled)

    @_apply.register
    def _(self, e: Order.Issued, b: LedgerBatch) -> None:
        b.rows.created(e, b.position, subject_kind=e.subject_kind, subject_id=e.subject_id,
                       task=e.task, unit=e.unit, issued_on=e.on.isoformat(),
                       due=e.due.isoformat(),
                       due_provisional=int(e.deadline is not None and e.deadline.provisional),
                       status=Status.issued.value, response_count=0, done=0, return_count=0,
                       urge_count=0, notice_count=0)

    @_apply.register
    def _(self, e: Order.Responded, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(status=Status.responded.value, response_count=e.number,
                       latest_response=e.text, latest_response_on=e.on.isoformat(),
                       done=int(e.done))

    @_apply.register
    def _(self, e: Order.Returned, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(status=Status.returned.value, return_count=e.number, done=0)

    @_apply.register
    def _(self, e: Order.Urged, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(urge_count=e.number,
                       last_urged_on=max(e.on.isoformat(), row["last_urged_on"] or ""))

    @_apply.register
    def _(self, e: Order.Notified, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row["notice_count"] = e.number

    @_apply.register
    def _(self, e: Order.Closed, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(status=CLOSED, closed_on=e.on.isoformat())

    @_apply.register
    def _(self, e: Order.DueRecomputed, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(due=e.deadline.due.isoformat(),
                       due_provisional=int(e.deadline.provisional))


# --- queries ------------------------------------------------------------------------------

_LATE = "(status <> ? AND due < ?)"  # not closed, the due date before today

FILTERS: dict[str, Filter] = {
    "unit": Equals("unit"),
    "status": Equals("status"),
    "subject_kind": Equals("subject_kind"),
    "subject_id": Equals("subject_id"),
    "issued_from": AtLeast("issued_on"),
    "issued_to": AtMost("issued_on"),
    "overdue": Overdue(_LATE, f"NOT {_LATE}", (CLOSED,)),
    "q": Text("task"),
    "today": Given(),  # what overdue is judged against
    "scope_unit": Equals("unit"),  # a unit reads the orders issued to it
}


def _public(row: Row, today: str | None) -> Row:
    return {**shown(row), "due_provisional": bool(row["due_provisional"]),
            "done": bool(row["done"]),
            "overdue": row["status"] != CLOSED and today is not None and row["due"] < today}


# 督办台账: pages of orders, newest first; open orders past their due date are overdue.
OrderLedgerReader = LedgerSpec(OrderLedger.name, TABLE.name, FILTERS, cursor_prefix="o",
                               public=_public, dated=True).reader
