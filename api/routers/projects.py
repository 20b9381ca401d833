"""招商项目 endpoints: current state from the aggregate, one POST per command."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from api.deps import ContainerDep, CurrentCaller, IfMatch
from api.routers.common import history_public, set_command_headers, set_etag
from api.schemas.common import HistoryEntryPublic
from api.schemas.projects import (
    DropKeyBody,
    KeyYearBody,
    ProgressBody,
    ProjectCreate,
    ProjectPublic,
    ProjectRevise,
    ReasonBody,
    ReassignBody,
    ResolveBody,
    SignBody,
    StageDateBody,
    TextBody,
)
from application.projects import ProjectResult, ProjectState
from domain.project import STAGE_LABELS, ProjectDetails

router = APIRouter(prefix="/api/v1/projects", tags=["projects 招商项目"])


def public(state: ProjectState) -> ProjectPublic:
    return ProjectPublic.model_validate({**asdict(state),
                                         "stage_label": STAGE_LABELS[state.stage]})


def respond(response: Response, result: ProjectResult) -> ProjectPublic:
    set_command_headers(response, result.state.version, result.position)
    return public(result.state)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ProjectPublic,
             summary="Register a project (在谈)")
def register(body: ProjectCreate, caller: CurrentCaller, c: ContainerDep,
             response: Response) -> ProjectPublic:
    details = ProjectDetails(**body.model_dump(exclude={"on"}))
    result = c.projects.register(caller, details, body.on)
    response.headers["Location"] = f"/api/v1/projects/{result.state.id}"
    return respond(response, result)


@router.get("/{project_id}", response_model=ProjectPublic, summary="Current state")
def get(project_id: UUID, caller: CurrentCaller, c: ContainerDep, response: Response,
        as_of_version: Annotated[int | None, Query(ge=1)] = None) -> ProjectPublic:
    state = c.projects.get(caller, project_id, as_of_version)
    set_etag(response, state.version)
    return public(state)


@router.get("/{project_id}/history", response_model=list[HistoryEntryPublic],
            summary="Every event, in order, as audit entries")
def history(project_id: UUID, caller: CurrentCaller, c: ContainerDep
            ) -> list[HistoryEntryPublic]:
    return history_public(c.projects.history(caller, project_id))


@router.post("/{project_id}/revise", response_model=ProjectPublic, summary="Revise details")
def revise(project_id: UUID, body: ProjectRevise, caller: CurrentCaller, c: ContainerDep,
           if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.revise(caller, project_id, body.changes(), body.reason,
                                               body.on, if_match))


@router.post("/{project_id}/sign", response_model=ProjectPublic, summary="Sign (签约)")
def sign(project_id: UUID, body: SignBody, caller: CurrentCaller, c: ContainerDep,
         if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.sign(caller, project_id, body.date,
                                             body.contract_amount, if_match))


@router.post("/{project_id}/start-construction", response_model=ProjectPublic,
             summary="Start construction (开工)")
def start_construction(project_id: UUID, body: StageDateBody, caller: CurrentCaller,
                       c: ContainerDep, if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.start_construction(caller, project_id, body.date,
                                                           if_match))


@router.post("/{project_id}/start-production", response_model=ProjectPublic,
             summary="Start production (投产)")
def start_production(project_id: UUID, body: StageDateBody, caller: CurrentCaller,
                     c: ContainerDep, if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.start_production(caller, project_id, body.date,
                                                         if_match))


@router.post("/{project_id}/terminate", response_model=ProjectPublic, summary="Terminate (终止)")
def terminate(project_id: UUID, body: ReasonBody, caller: CurrentCaller, c: ContainerDep,
              if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.terminate(caller, project_id, body.reason, body.on,
                                                  if_match))


@router.post("/{project_id}/reassign", response_model=ProjectPublic,
             summary="Change the responsible unit (调整责任单位)")
def reassign(project_id: UUID, body: ReassignBody, caller: CurrentCaller, c: ContainerDep,
             if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.reassign(caller, project_id, body.unit, body.reason,
                                                 body.on, if_match))


@router.post("/{project_id}/report-progress", response_model=ProjectPublic,
             summary="Report progress (信息报送)")
def report_progress(project_id: UUID, body: ProgressBody, caller: CurrentCaller,
                    c: ContainerDep, if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.report_progress(
        caller, project_id, body.period, body.text, body.funds_in_place, body.on, if_match))


@router.post("/{project_id}/raise-problem", response_model=ProjectPublic,
             summary="Raise a problem (存在问题)")
def raise_problem(project_id: UUID, body: TextBody, caller: CurrentCaller, c: ContainerDep,
                  if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.raise_problem(caller, project_id, body.text, body.on,
                                                      if_match))


@router.post("/{project_id}/problems/{number}/resolve", response_model=ProjectPublic,
             summary="Resolve a problem")
def resolve_problem(project_id: UUID, number: int, body: ResolveBody, caller: CurrentCaller,
                    c: ContainerDep, if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.resolve_problem(caller, project_id, number,
                                                        body.resolution, body.on, if_match))


@router.post("/{project_id}/comment", response_model=ProjectPublic,
             summary="Leave a comment (沟通留言)")
def comment(project_id: UUID, body: TextBody, caller: CurrentCaller, c: ContainerDep,
            if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.comment(caller, project_id, body.text, body.on,
                                                if_match))


@router.post("/{project_id}/instruct", response_model=ProjectPublic,
             summary="Leader's written instruction (批示)")
def instruct(project_id: UUID, body: TextBody, caller: CurrentCaller, c: ContainerDep,
             if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.instruct(caller, project_id, body.text, body.on,
                                                 if_match))


@router.post("/{project_id}/instructions/{number}/answer", response_model=ProjectPublic,
             summary="Answer an instruction (落实情况)")
def answer_instruction(project_id: UUID, number: int, body: TextBody, caller: CurrentCaller,
                       c: ContainerDep, if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.answer_instruction(caller, project_id, number,
                                                           body.text, body.on, if_match))


@router.post("/{project_id}/designate-key", response_model=ProjectPublic,
             summary="Put on a year's key-project list (重点项目清单)")
def designate_key(project_id: UUID, body: KeyYearBody, caller: CurrentCaller, c: ContainerDep,
                  if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.designate_key(caller, project_id, body.year, body.on,
                                                      if_match))


@router.post("/{project_id}/drop-key", response_model=ProjectPublic,
             summary="Take off a year's key-project list")
def drop_key(project_id: UUID, body: DropKeyBody, caller: CurrentCaller, c: ContainerDep,
             if_match: IfMatch, response: Response) -> ProjectPublic:
    return respond(response, c.projects.drop_key(caller, project_id, body.year, body.reason,
                                                 body.on, if_match))
