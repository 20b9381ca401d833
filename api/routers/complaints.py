"""营商环境投诉举报 endpoints: current state from the aggregate, one POST per step."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel

from api.deps import ContainerDep, CurrentCaller
from api.routers.common import Step, answer, item_routes, ledger_route, public_of
from api.schemas.complaint_views import ComplaintLedgerPublic
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
from application.complaints import LEDGER
from domain.complaint import Complainant, ComplaintDetails

router = APIRouter(prefix="/api/v1/complaints", tags=["complaints 投诉举报"])
ledgers = APIRouter(prefix="/api/v1/ledgers", tags=["ledgers 台账"])


def details_of(body: ComplaintCreate) -> ComplaintDetails:
    person = body.complainant
    return ComplaintDetails(
        channel=body.channel.value, category=body.category.value, content=body.content,
        respondent_unit=body.respondent_unit,
        complainant=Complainant(person.name, person.phone, person.enterprise) if person else None)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ComplaintPublic,
             summary="Register a complaint (登记)")
def file(body: ComplaintCreate, caller: CurrentCaller, c: ContainerDep,
         response: Response) -> BaseModel:
    result = c.complaints.file(caller, details_of(body), body.received_on)
    response.headers["Location"] = f"/api/v1/complaints/{result.state.id}"
    return answer(response, result, public_of(ComplaintPublic))


STEPS = (
    Step("/accept", "accept", CommentBody, "受理", body_optional=True),
    Step("/decline", "decline", DeclineBody, "不予受理"),
    Step("/assign", "assign", AssignBody, "交办"),
    Step("/acknowledge", "acknowledge", EmptyStep, "签收", body_optional=True),
    Step("/return", "return_case", DeclineBody, "退单"),
    Step("/reply", "reply", ReplyBody, "答复"),
    Step("/callback", "callback", CallbackBody, "回访"),
    Step("/close", "close", CommentBody, "办结", body_optional=True),
    Step("/request-extension", "request_extension", ExtensionBody, "申请延期"),
    Step("/approve-extension", "approve_extension", CommentBody, "同意延期",
         body_optional=True),
    Step("/refuse-extension", "refuse_extension", DeclineBody, "不同意延期"),
    Step("/urge", "urge", UrgeBody, "催办"),
)
item_routes(router, service="complaints", id_name="complaint_id",
            public_model=ComplaintPublic, steps=STEPS)
ledger_route(ledgers, LEDGER, ComplaintLedgerPublic, "投诉台账",
             "One row per complaint, newest first, without personal data. A unit account sees "
             "the complaints now assigned to it, an enterprise account those it filed.")
