"""营商环境投诉举报 endpoints: current state from the aggregate, one POST per step."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from api.deps import ContainerDep, CurrentCaller, IfMatch
from api.routers.common import history_public, set_command_headers, set_etag
from api.schemas.common import HistoryEntryPublic
from api.schemas.complaints import (
    AssignBody,
    CallbackBody,
    CommentBody,
    ComplaintCreate,
    ComplaintPublic,
    DeclineBody,
    EmptyStep,
    ExtensionBody,
    ReplyBody,
    UrgeBody,
)
from application.complaints import ComplaintResult, ComplaintState
from domain.complaint import STATUS_LABELS, Complainant, ComplaintDetails

router = APIRouter(prefix="/api/v1/complaints", tags=["complaints 投诉举报"])


def public(state: ComplaintState) -> ComplaintPublic:
    return ComplaintPublic.model_validate({**asdict(state),
                                           "status_label": STATUS_LABELS[state.status]})


def respond(response: Response, result: ComplaintResult) -> ComplaintPublic:
    set_command_headers(response, result.state.version, result.position)
    return public(result.state)


def details_of(body: ComplaintCreate) -> ComplaintDetails:
    person = body.complainant
    return ComplaintDetails(
        channel=body.channel.value, category=body.category.value, content=body.content,
        respondent_unit=body.respondent_unit,
        complainant=Complainant(person.name, person.phone, person.enterprise) if person else None)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ComplaintPublic,
             summary="Register a complaint (登记)")
def file(body: ComplaintCreate, caller: CurrentCaller, c: ContainerDep,
         response: Response) -> ComplaintPublic:
    result = c.complaints.file(caller, details_of(body), body.received_on)
    response.headers["Location"] = f"/api/v1/complaints/{result.state.id}"
    return respond(response, result)


@router.get("/{complaint_id}", response_model=ComplaintPublic, summary="Current state")
def get(complaint_id: UUID, caller: CurrentCaller, c: ContainerDep, response: Response,
        as_of_version: Annotated[int | None, Query(ge=1)] = None) -> ComplaintPublic:
    state = c.complaints.get(caller, complaint_id, as_of_version)
    set_etag(response, state.version)
    return public(state)


@router.get("/{complaint_id}/history", response_model=list[HistoryEntryPublic],
            summary="Every event, in order, as audit entries")
def history(complaint_id: UUID, caller: CurrentCaller, c: ContainerDep
            ) -> list[HistoryEntryPublic]:
    return history_public(c.complaints.history(caller, complaint_id))


@router.post("/{complaint_id}/accept", response_model=ComplaintPublic, summary="受理")
def accept(complaint_id: UUID, caller: CurrentCaller, c: ContainerDep, if_match: IfMatch,
           response: Response, body: CommentBody | None = None) -> ComplaintPublic:
    body = body or CommentBody()
    return respond(response, c.complaints.accept(caller, complaint_id, body.comment, body.on,
                                                 if_match))


@router.post("/{complaint_id}/decline", response_model=ComplaintPublic, summary="不予受理")
def decline(complaint_id: UUID, body: DeclineBody, caller: CurrentCaller, c: ContainerDep,
            if_match: IfMatch, response: Response) -> ComplaintPublic:
    return respond(response, c.complaints.decline(caller, complaint_id, body.reason, body.on,
                                                  if_match))


@router.post("/{complaint_id}/assign", response_model=ComplaintPublic, summary="交办")
def assign(complaint_id: UUID, body: AssignBody, caller: CurrentCaller, c: ContainerDep,
           if_match: IfMatch, response: Response) -> ComplaintPublic:
    return respond(response, c.complaints.assign(caller, complaint_id, body.unit, body.note,
                                                 body.on, if_match))


@router.post("/{complaint_id}/acknowledge", response_model=ComplaintPublic, summary="签收")
def acknowledge(complaint_id: UUID, caller: CurrentCaller, c: ContainerDep, if_match: IfMatch,
                response: Response, body: EmptyStep | None = None) -> ComplaintPublic:
    on = body.on if body else None
    return respond(response, c.complaints.acknowledge(caller, complaint_id, on, if_match))


@router.post("/{complaint_id}/return", response_model=ComplaintPublic, summary="退单")
def return_case(complaint_id: UUID, body: DeclineBody, caller: CurrentCaller, c: ContainerDep,
                if_match: IfMatch, response: Response) -> ComplaintPublic:
    return respond(response, c.complaints.return_case(caller, complaint_id, body.reason,
                                                      body.on, if_match))


@router.post("/{complaint_id}/reply", response_model=ComplaintPublic, summary="答复")
def reply(complaint_id: UUID, body: ReplyBody, caller: CurrentCaller, c: ContainerDep,
          if_match: IfMatch, response: Response) -> ComplaintPublic:
    return respond(response, c.complaints.reply(caller, complaint_id, body.text, body.on,
                                                if_match))


@router.post("/{complaint_id}/callback", response_model=ComplaintPublic, summary="回访")
def callback(complaint_id: UUID, body: CallbackBody, caller: CurrentCaller, c: ContainerDep,
             if_match: IfMatch, response: Response) -> ComplaintPublic:
    return respond(response, c.complaints.callback(caller, complaint_id, body.satisfaction.value,
                                                   body.comment, body.on, if_match))


@router.post("/{complaint_id}/close", response_model=ComplaintPublic, summary="办结")
def close(complaint_id: UUID, caller: CurrentCaller, c: ContainerDep, if_match: IfMatch,
          response: Response, body: CommentBody | None = None) -> ComplaintPublic:
    body = body or CommentBody()
    return respond(response, c.complaints.close(caller, complaint_id, body.comment, body.on,
                                                if_match))


@router.post("/{complaint_id}/request-extension", response_model=ComplaintPublic,
             summary="申请延期")
def request_extension(complaint_id: UUID, body: ExtensionBody, caller: CurrentCaller,
                      c: ContainerDep, if_match: IfMatch, response: Response) -> ComplaintPublic:
    return respond(response, c.complaints.request_extension(
        caller, complaint_id, body.reason, body.until, body.on, if_match))


@router.post("/{complaint_id}/approve-extension", response_model=ComplaintPublic,
             summary="同意延期")
def approve_extension(complaint_id: UUID, caller: CurrentCaller, c: ContainerDep,
                      if_match: IfMatch, response: Response,
                      body: CommentBody | None = None) -> ComplaintPublic:
    body = body or CommentBody()
    return respond(response, c.complaints.approve_extension(caller, complaint_id, body.comment,
                                                            body.on, if_match))


@router.post("/{complaint_id}/refuse-extension", response_model=ComplaintPublic,
             summary="不同意延期")
def refuse_extension(complaint_id: UUID, body: DeclineBody, caller: CurrentCaller,
                     c: ContainerDep, if_match: IfMatch, response: Response) -> ComplaintPublic:
    return respond(response, c.complaints.refuse_extension(caller, complaint_id, body.reason,
                                                           body.on, if_match))


@router.post("/{complaint_id}/urge", response_model=ComplaintPublic, summary="催办")
def urge(complaint_id: UUID, body: UrgeBody, caller: CurrentCaller, c: ContainerDep,
         if_match: IfMatch, response: Response) -> ComplaintPublic:
    return respond(response, c.complaints.urge(caller, complaint_id, body.text, body.on,
                                               if_match))
