"""Coordination meetings (协调推进会) in the supervision view: each open action item (议定事项)
is an item of its unit, due at its due date, until the unit marks it done; a reopened item
comes back."""

from __future__ import annotations

from typing import Any

from domain.meeting import Meeting
from projections.order_supervision import dated_item
from projections.supervision import Batch, SupervisionItems, contributes

KIND = "meeting_item"


def _key(e: Any) -> str:
    return f"{KIND}:{e.originator_id}:{e.number}"


@contributes({KIND: "会议议定事项"})
def _(view: SupervisionItems, e: Meeting.Recorded, b: Batch) -> None:
    b.subjects.put({"id": str(e.originator_id), "kind": "meeting",
                    "title": f"协调推进会 · {e.title}", "unit": None, "seq": b.position})


@contributes({})
def _(view: SupervisionItems, e: Meeting.ItemAdded | Meeting.ItemReopened, b: Batch) -> None:
    b.items.put(dated_item(_key(e), KIND, str(e.originator_id), b.position, e.on, e.due,
                           e.unit, e.task, e.number))


@contributes({})
def _(view: SupervisionItems, e: Meeting.ItemDone, b: Batch) -> None:
    b.items.delete(_key(e))
