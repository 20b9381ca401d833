"""企业诉求 endpoints: current state from the aggregate, one POST per handling step."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from api.deps import ContainerDep, CurrentCaller
from api.routers.common import Step, answer, item_routes, ledger_route, public_of
from api.schemas.enterprises import (
    AssignBody,
    CloseBody,
    FeedbackBody,
    OutcomeBody,
    ProgressBody,
    RequestCreate,
    RequestLedgerPublic,
    RequestPublic,
)
from application.requests import LEDGER, NewRequest

router = APIRouter(prefix="/api/v1/requests", tags=["requests 企业诉求"])
ledgers = APIRouter(prefix="/api/v1/ledgers", tags=["ledgers 台账"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RequestPublic,
             summary="Raise a request (提出诉求)",
             description="Bureau staff record requests raised at visits, forums and by "
             "hotline; an enterprise account raises its own, online. The enterprise, project "
             "and visit named must exist (422 otherwise).")
def raise_request(body: RequestCreate, caller: CurrentCaller, c: ContainerDep,
                  response: Response) -> BaseModel:
    result = c.requests.raise_request(caller, NewRequest(**body.model_dump()))
    response.headers["Location"] = f"/api/v1/requests/{result.state.id}"
    return answer(response, result, public_of(RequestPublic))


STEPS = (
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
    Step("/close", "close", CloseBody, "Close (办结)",
         description="Bureau or supervision staff, after satisfied feedback, or after "
         "an outcome the enterprise left unanswered (then with a reason)."),
)
item_routes(router, service="requests", id_name="request_id", public_model=RequestPublic,
            steps=STEPS)
ledger_route(ledgers, LEDGER, RequestLedgerPublic, "诉求台账: enterprise requests, newest first",
             "A unit sees the requests it is or was assigned; an enterprise its own. `unit` "
             "matches the current lead or co-unit; `overdue` means being handled (assigned or "
             "in progress) with the due date before today.")
