"""企业诉求 endpoints: current state from the aggregate, one POST per handling step."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.common import CaseRoutes, Create, LedgerRoute, Step
from api.routers.instructions import STEPS as INSTRUCTION_STEPS
from api.schemas.enterprises import (
    AssignBody,
    CloseBody,
    FeedbackBody,
    OutcomeBody,
    ProgressBody,
    RequestCorrection,
    RequestCreate,
    RequestLedgerPublic,
    RequestPublic,
)

router = APIRouter(prefix="/api/v1/requests", tags=["requests 企业诉求"])

CREATE = Create("raise_request", RequestCreate, "Raise a request (提出诉求)",
                description="Bureau staff record requests raised at visits, forums and by "
                "hotline; an enterprise account raises its own, online. The enterprise, "
                "project and visit named must exist (422 otherwise).")

STEPS = (
    *INSTRUCTION_STEPS,
    Step("/assign", "assign", AssignBody, "Assign (交办) to a lead unit and co-units",
         description="Bureau staff. The due date counts the configured request_days "
         "working days from `on`."),
    Step("/progress", "note_progress", ProgressBody, "Note progress (办理进展)",
         description="Any assigned unit, for itself; bureau staff for an assigned unit."),
    Step("/outcome", "record_outcome", OutcomeBody, "Record the outcome (办理结果)",
         description="The lead unit, or bureau staff for it. partly_resolved and "
         "not_resolvable need an explanation."),
    Step("/feedback", "record_feedback", FeedbackBody, "The enterprise's feedback (企业反馈)",
         description="The enterprise itself, or bureau staff on its behalf; unsatisfied "
         "reopens the request (重办) for a new assignment."),
    Step("/close", "close", CloseBody, "Close (办结)", body_optional=True,
         description="Bureau or supervision staff, after satisfied feedback, or after "
         "an outcome the enterprise left unanswered (then with a reason)."),
    Step("/correct", "correct", RequestCorrection,
         "Correct an intake fact recorded wrongly (更正)",
         description="Bureau staff, in any status: the date raised (not after the first "
         "assignment, 409; not before the visit it was raised at, 422), the category, or the "
         "project concerned (one the caller may read, or null). The wrong value stays in the "
         "history; the ledger and statistics follow the corrected one."),
)
LEDGER_PAGE = LedgerRoute(
    RequestLedgerPublic, "诉求台账: enterprise requests, newest first",
    "A unit sees the requests it is or was assigned; an enterprise its own. `unit` matches the "
    "current lead or co-unit; `overdue` means being handled (assigned or in progress) with the "
    "due date before today.")
ROUTES = CaseRoutes(router, "request_id", RequestPublic, CREATE, STEPS, LEDGER_PAGE)
