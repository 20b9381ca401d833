"""Supervision orders (督办单) in the supervision view: each order, until it is closed (销号),
is an item of the unit it was issued to, due at its due date."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.order import Order, SubjectKind
from projections.supervision import SUMMARY_LIMIT, Batch, SupervisionItems, contributes

KIND = "order"


def dated_item(key: str, kind: str, subject: str, position: int, started: date, due: date,
               unit: str, summary: str, number: int | None = None, provisional: bool = False
               ) -> dict[str, Any]:
    """The row of an open item `key` of `subject` due on a date (a working-day Deadline's
    or one a person named), for the unit that must act."""
    day = due.isoformat()
    return {"id": key, "kind": kind, "subject_id": subject, "number": number, "unit": unit,
            "summary": summary[:SUMMARY_LIMIT], "started_on": started.isoformat(),
            "base_due": day, "extended_due": None, "requested_until": None, "due": day,
            "provisional": int(provisional), "seq": position}


def _key(e: Order.Event) -> str:
    return f"{KIND}:{e.originator_id}"


@contributes({KIND: "督办单办理"})
def _(view: SupervisionItems, e: Order.Issued, b: Batch) -> None:
    subject = str(e.originator_id)
    about = SubjectKind(e.subject_kind).label if e.subject_kind else "专项督办"
    b.subjects.put({"id": subject, "kind": KIND, "title": f"督办单 · {about}", "unit": e.unit,
                    "seq": b.position})
    b.items.put(dated_item(_key(e), KIND, subject, b.position, e.on, e.due, e.unit, e.task,
                           provisional=e.deadline is not None and e.deadline.provisional))


@contributes({})
def _(view: SupervisionItems, e: Order.DueRecomputed, b: Batch) -> None:
    if row := b.items.touch(_key(e)):
        due = e.deadline.due.isoformat()
        row.update(base_due=due, due=due, provisional=int(e.deadline.provisional))


@contributes({})
def _(view: SupervisionItems, e: Order.Closed, b: Batch) -> None:
    b.items.delete(_key(e))
