"""代办事项 in the supervision view (督查督办): an agency case's permit item still open (待办,
已报件 or 未通过) when its deadline — LEDGER_AGENCY_ITEM_DAYS working days after it was first
open — nears or passes. Registered on the view by `contributes` (projections/supervision.py);
api/cases/agency_case.py imports this module.

The item belongs to the case's agent's unit, or the bureau when the agent has none; a case
handed to another agent moves its items with it (kept on the case's subject row). An item
leaves the view once approved or not needed, and every item once the case is closed.
"""

from __future__ import annotations

from typing import Any

from domain.agency_case import OPEN_ITEM, AgencyCase, ItemStatus
from projections.supervision import BUREAU_UNIT, ITEMS, Batch, SupervisionItems, contributes, item

KIND = "agency_item"


def _key(e: Any) -> str:
    return f"{KIND}:{e.originator_id}:{e.item}"


def _summary(e: AgencyCase.ItemRecorded | AgencyCase.ItemCorrected) -> str:
    return f"{e.name} · {ItemStatus(e.status).label}"


def _moved(b: Batch, e: AgencyCase.ItemRecorded | AgencyCase.ItemCorrected) -> None:
    """An item's status moves: its row starts with its deadline, follows it while open, and
    goes when it is done."""
    if e.status not in OPEN_ITEM:
        b.items.delete(_key(e))
    elif e.due is not None:
        b.items.put(item(_key(e), KIND, str(e.originator_id), b.position, e.due.start, e.due,
                         None, _summary(e)))
    elif row := b.items.touch(_key(e)):
        row["summary"] = _summary(e)


@contributes({KIND: "代办事项"})
def _(view: SupervisionItems, e: AgencyCase.Opened, b: Batch) -> None:
    b.subjects.put({"id": str(e.originator_id), "kind": "agency_case",
                    "title": f"代办服务 · 企业 {e.credit_code} · 代办员 {e.agent_name}",
                    "unit": e.agent_unit or BUREAU_UNIT, "seq": b.position})


@contributes({})
def _(view: SupervisionItems, e: AgencyCase.ItemRecorded, b: Batch) -> None:
    _moved(b, e)


@contributes({})
def _(view: SupervisionItems, e: AgencyCase.ItemCorrected, b: Batch) -> None:
    _moved(b, e)


@contributes({})
def _(view: SupervisionItems, e: AgencyCase.ItemDueRecomputed, b: Batch) -> None:
    if row := b.items.touch(_key(e)):
        due = e.deadline.due.isoformat()
        row.update(base_due=due, due=due, provisional=int(e.deadline.provisional))


@contributes({})
def _(view: SupervisionItems, e: AgencyCase.AgentReassigned, b: Batch) -> None:
    if subject := b.subjects.touch(str(e.originator_id)):
        subject["unit"] = e.agent_unit or BUREAU_UNIT
        subject["title"] = subject["title"].rsplit(" · 代办员 ", 1)[0] + f" · 代办员 {e.agent_name}"


@contributes({})
def _(view: SupervisionItems, e: AgencyCase.Closed, b: Batch) -> None:
    case = str(e.originator_id)
    keys = {r["id"] for r in b.items.tx.all(f"SELECT id FROM {ITEMS} WHERE subject_id = ?",
                                            (case,))}
    keys.update(k for k, row in b.items.rows.items() if row["subject_id"] == case)
    for key in keys:
        b.items.delete(key)
