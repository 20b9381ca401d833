"""企业 endpoints: registration, details, linked leader (挂钩联系) and visits (调研/座谈)."""

from __future__ import annotations

from dataclasses import asdict
from uuid import UUID

from fastapi import APIRouter, Response, status

from api.deps import ContainerDep, CurrentCaller, IfMatch
from api.routers.common import history_public, set_command_headers, set_etag
from api.schemas.common import HistoryEntryPublic
from api.schemas.enterprises import (
    EnterpriseCreate,
    EnterprisePublic,
    EnterpriseRevise,
    LinkLeaderBody,
    UnlinkLeaderBody,
    VisitBody,
    VisitRecordedPublic,
)
from application.enterprises import EnterpriseResult, EnterpriseState

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises 企业"])


def public(state: EnterpriseState) -> EnterprisePublic:
    return EnterprisePublic.model_validate(asdict(state))


def respond(response: Response, result: EnterpriseResult) -> EnterprisePublic:
    set_command_headers(response, result.state.version, result.position)
    return public(result.state)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=EnterprisePublic,
             summary="Register an enterprise (企业登记)",
             description="One enterprise per credit code: registering a code again is 409; a "
             "code failing the GB 32100 check is 422 with the reason.")
def register(body: EnterpriseCreate, caller: CurrentCaller, c: ContainerDep,
             response: Response) -> EnterprisePublic:
    result = c.enterprises.register(caller, body.name, body.credit_code, body.industry,
                                    body.county, [x.model_dump() for x in body.contacts],
                                    body.on)
    response.headers["Location"] = f"/api/v1/enterprises/{result.state.id}"
    return respond(response, result)


@router.get("/by-code/{credit_code}", response_model=EnterprisePublic,
            summary="Current state, found by credit code")
def get_by_code(credit_code: str, caller: CurrentCaller, c: ContainerDep,
                response: Response) -> EnterprisePublic:
    state = c.enterprises.get_by_code(caller, credit_code)
    set_etag(response, state.version)
    return public(state)


@router.get("/{enterprise_id}", response_model=EnterprisePublic, summary="Current state")
def get(enterprise_id: UUID, caller: CurrentCaller, c: ContainerDep,
        response: Response) -> EnterprisePublic:
    state = c.enterprises.get(caller, enterprise_id)
    set_etag(response, state.version)
    return public(state)


@router.get("/{enterprise_id}/history", response_model=list[HistoryEntryPublic],
            summary="Every event, in order, as audit entries")
def history(enterprise_id: UUID, caller: CurrentCaller, c: ContainerDep
            ) -> list[HistoryEntryPublic]:
    return history_public(c.enterprises.history(caller, enterprise_id))


@router.post("/{enterprise_id}/revise", response_model=EnterprisePublic,
             summary="Revise name, industry, county or contacts")
def revise(enterprise_id: UUID, body: EnterpriseRevise, caller: CurrentCaller,
           c: ContainerDep, if_match: IfMatch, response: Response) -> EnterprisePublic:
    return respond(response, c.enterprises.revise(caller, enterprise_id, body.changes(),
                                                  body.reason, body.on, if_match))


@router.post("/{enterprise_id}/link-leader", response_model=EnterprisePublic,
             summary="Link a leader (挂钩联系领导); replaces the current one")
def link_leader(enterprise_id: UUID, body: LinkLeaderBody, caller: CurrentCaller,
                c: ContainerDep, if_match: IfMatch, response: Response) -> EnterprisePublic:
    return respond(response, c.enterprises.link_leader(caller, enterprise_id, body.leader,
                                                       body.reason, body.on, if_match))


@router.post("/{enterprise_id}/unlink-leader", response_model=EnterprisePublic,
             summary="End the leader link (解除挂钩联系)")
def unlink_leader(enterprise_id: UUID, body: UnlinkLeaderBody, caller: CurrentCaller,
                  c: ContainerDep, if_match: IfMatch, response: Response) -> EnterprisePublic:
    return respond(response, c.enterprises.unlink_leader(caller, enterprise_id, body.reason,
                                                         body.on, if_match))


@router.post("/{enterprise_id}/visits", response_model=VisitRecordedPublic,
             summary="Record a visit (调研) or forum (座谈)",
             description="Bureau staff, or the leader linked to the enterprise. Returns the "
             "enterprise with the new visit's number.")
def record_visit(enterprise_id: UUID, body: VisitBody, caller: CurrentCaller,
                 c: ContainerDep, if_match: IfMatch, response: Response
                 ) -> VisitRecordedPublic:
    result = c.enterprises.record_visit(caller, enterprise_id, body.date, body.kind,
                                        body.hosted_by, body.notes, body.request_numbers,
                                        if_match)
    state = respond(response, result)
    return VisitRecordedPublic.model_validate({**state.model_dump(),
                                               "visit_number": result.extra["number"]})
