"""督办单 endpoints: current state from the aggregate, one POST per step."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.common import CaseRoutes, Create, LedgerRoute, Step
from api.schemas.common import StepBody
from api.schemas.orders import (
    EscalationBody,
    OrderCreate,
    OrderLedgerPublic,
    OrderPublic,
    RespondBody,
    SendBackBody,
)

router = APIRouter(prefix="/api/v1/orders", tags=["orders 督办单"])

CREATE = Create("issue", OrderCreate, "Issue a supervision order (交办督办单)",
                description="The supervision office. `subject` names the item it is about "
                "(a project, complaint, request, or a meeting's action item as "
                "`<meeting id>:<n>`), which must exist (422 otherwise), or is null. The due "
                "date defaults to LEDGER_ORDER_DAYS working days from `on`.")

STEPS = (
    Step("/respond", "respond", RespondBody, "Respond (单位反馈)",
         description="The unit the order is issued to, as often as it reports; `done: true` "
         "says the task is done, so the order may be closed."),
    Step("/close", "close", StepBody, "Close (销号)", body_optional=True,
         description="The supervision office, only after a response with done=true (409 "
         "naming why otherwise)."),
    Step("/return", "send_back", SendBackBody, "Return the response (退回)",
         description="The supervision office sends the latest response back; the unit "
         "responds again."),
    Step("/urge", "urge", EscalationBody, "Urge (催办)",
         description="The supervision office; counted in `urge_count`, the status stays."),
    Step("/notify", "notify", EscalationBody, "Notify (通报)",
         description="The supervision office records a notice on the unit's handling; the "
         "status stays."),
)
LEDGER_PAGE = LedgerRoute(
    OrderLedgerPublic, "督办台账: supervision orders, newest first",
    "A unit sees the orders issued to it. `subject_id` lists the orders on one item (add "
    "`status` for the open ones); `overdue` means not closed with the due date before today.")
ROUTES = CaseRoutes(router, "order_id", OrderPublic, CREATE, STEPS, LEDGER_PAGE)
