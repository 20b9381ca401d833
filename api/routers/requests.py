"""企业诉求 endpoints: current state from the aggregate, one POST per handling step."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from fastapi import APIRouter, Response, status

from api.deps import ContainerDep, CurrentCaller, IfMatch
from api.routers.common import history_public, set_command_headers, set_etag
from api.schemas.common import HistoryEntryPublic
from api.schemas.enterprises import (
    AssignBody,
    CloseBody,
    FeedbackBody,
    OutcomeBody,
    ProgressBody,
    RequestCreate,
    RequestPublic,
)
from application.requests import NewRequest, RequestResult, RequestState
from domain.enterprise_request import (
    CATEGORY_LABELS,
    OUTCOME_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
)

router = APIRouter(prefix="/api/v1/requests", tags=["requests 企业诉求"])


def public(state: RequestState) -> RequestPublic:
    return RequestPublic.model_validate({
        **asdict(state), "source_label": SOURCE_LABELS[state.source],
        "category_label": CATEGORY_LABELS[state.category],
        "status_label": STATUS_LABELS[state.status],
        "outcome_label": OUTCOME_LABELS[state.outcome] if state.outcome else None})


def respond(response: Response, result: RequestResult) -> RequestPublic:
    set_command_headers(response, result.state.version, result.position)
    return public(result.state)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=RequestPublic,
             summary="Raise a request (提出诉求)",
             description="Bureau staff record requests raised at visits, forums and by "
             "hotline; an enterprise account raises its own, online. The enterprise, project "
             "and visit named must exist (422 otherwise).")
def raise_request(body: RequestCreate, caller: CurrentCaller, c: ContainerDep,
                  response: Response) -> RequestPublic:
    result = c.requests.raise_request(caller, NewRequest(**body.model_dump()))
    response.headers["Location"] = f"/api/v1/requests/{result.state.id}"
    return respond(response, result)


@router.get("/{request_id}", response_model=RequestPublic, summary="Current state")
def get(request_id: UUID, caller: CurrentCaller, c: ContainerDep,
        response: Response) -> RequestPublic:
    state = c.requests.get(caller, request_id)
    set_etag(response, state.version)
    return public(state)


@router.get("/{request_id}/history", response_model=list[HistoryEntryPublic],
            summary="Every event, in order, as audit entries")
def history(request_id: UUID, caller: CurrentCaller, c: ContainerDep
            ) -> list[HistoryEntryPublic]:
    return history_public(c.requests.history(caller, request_id))


@router.post("/{request_id}/assign", response_model=RequestPublic,
             summary="Assign (交办) to a lead unit and co-units",
             description="Bureau staff. The due date counts the configured request_days "
             "working days from `on`.")
def assign(request_id: UUID, body: AssignBody, caller: CurrentCaller, c: ContainerDep,
           if_match: IfMatch, response: Response) -> RequestPublic:
    return respond(response, c.requests.assign(caller, request_id, body.lead_unit,
                                               body.co_units, body.on, if_match))


@router.post("/{request_id}/progress", response_model=RequestPublic,
             summary="Note progress (办理进展)",
             description="Any assigned unit, for itself; bureau staff for an assigned unit.")
def progress(request_id: UUID, body: ProgressBody, caller: CurrentCaller, c: ContainerDep,
             if_match: IfMatch, response: Response) -> RequestPublic:
    return respond(response, c.requests.note_progress(caller, request_id, body.text,
                                                      body.unit, body.on, if_match))


@router.post("/{request_id}/outcome", response_model=RequestPublic,
             summary="Record the outcome (办理结果)",
             description="The lead unit, or bureau staff for it. partly_resolved and "
             "not_resolvable need an explanation.")
def outcome(request_id: UUID, body: OutcomeBody, caller: CurrentCaller, c: ContainerDep,
            if_match: IfMatch, response: Response) -> RequestPublic:
    return respond(response, c.requests.record_outcome(caller, request_id, body.outcome,
                                                       body.explanation, body.on, if_match))


@router.post("/{request_id}/feedback", response_model=RequestPublic,
             summary="The enterprise's feedback (企业反馈)",
             description="The enterprise itself, or bureau staff on its behalf; unsatisfied "
             "reopens the request (重办) for a new assignment.")
def feedback(request_id: UUID, body: FeedbackBody, caller: CurrentCaller, c: ContainerDep,
             if_match: IfMatch, response: Response) -> RequestPublic:
    return respond(response, c.requests.record_feedback(caller, request_id, body.feedback,
                                                        body.comment, body.on, if_match))


@router.post("/{request_id}/close", response_model=RequestPublic, summary="Close (办结)",
             description="Bureau or supervision staff, after satisfied feedback, or after "
             "an outcome the enterprise left unanswered (then with a reason).")
def close(request_id: UUID, body: CloseBody, caller: CurrentCaller, c: ContainerDep,
          if_match: IfMatch, response: Response) -> RequestPublic:
    return respond(response, c.requests.close(caller, request_id, body.reason, body.on,
                                              if_match))
