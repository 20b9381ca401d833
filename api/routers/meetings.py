"""协调推进会 endpoints: the minutes from the aggregate, one POST per step."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.common import CaseRoutes, Create, LedgerRoute, Step
from api.schemas.meetings import (
    DoneBody,
    ItemAddedPublic,
    ItemBody,
    MeetingCreate,
    MeetingLedgerPublic,
    MeetingPublic,
    ReopenBody,
)

router = APIRouter(prefix="/api/v1/meetings", tags=["meetings 协调推进会"])

CREATE = Create("record", MeetingCreate, "Record a coordination meeting (协调推进会)",
                description="Bureau staff or a leader. Units are unit codes; projects must "
                "exist (422 otherwise). The account recording it is kept as `recorded_by`.")

STEPS = (
    Step("/items", "add_item", ItemBody, "Add a decision (议定事项)",
         description="Bureau staff or a leader: an action item for one unit, due after the "
         "meeting.", response_model=ItemAddedPublic, numbered="item_number"),
    Step("/items/{number}/done", "mark_done", DoneBody, "Mark an action item done (完成)",
         description="Only the unit the item is for."),
    Step("/items/{number}/reopen", "reopen_item", ReopenBody,
         "Reopen an action item (重新办理)",
         description="The supervision office, for a done item, saying why; optionally with "
         "a new due date."),
)
LEDGER_PAGE = LedgerRoute(
    MeetingLedgerPublic, "会议台账: coordination meetings, newest first",
    "A unit sees the meetings it took part in or has an action item of. `project` lists the "
    "meetings that discussed a project; `overdue` means an action item still open past its "
    "due date.")
ROUTES = CaseRoutes(router, "meeting_id", MeetingPublic, CREATE, STEPS, LEDGER_PAGE)
