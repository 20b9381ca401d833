"""营商环境投诉举报 endpoints: current state from the aggregate, one POST per step."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel

from api.deps import ContainerDep, CurrentCaller
from api.routers.common import CaseRoutes, Create, LedgerRoute, Step, public_of, set_etag
from api.routers.instructions import STEPS as INSTRUCTION_STEPS
from api.schemas.complaint_views import ComplaintLedgerPublic
from api.schemas.complaints import (
    AssignBody,
    CallbackBody,
    ComplaintCorrection,
    ComplaintCreate,
    ComplaintPublic,
    DeclineBody,
    EmptyStep,
    ExtensionBody,
    NoteBody,
    ReplyBody,
    UrgeBody,
)

router = APIRouter(prefix="/api/v1/complaints", tags=["complaints 投诉举报"])

CREATE = Create("file", ComplaintCreate, "Register a complaint (登记)")


@router.get("/by-receipt/{receipt}", response_model=ComplaintPublic,
            summary="Find a complaint by its receipt code (回执码)",
            description="For staff who may read it: a complaint the caller may not read "
            "answers 404, as one that does not exist.")
def get_by_receipt(receipt: str, caller: CurrentCaller, c: ContainerDep,
                   response: Response) -> BaseModel:
    state = c.complaints.get_by_receipt(caller, receipt)
    set_etag(response, state.version)
    return public_of(ComplaintPublic)(state)


STEPS = (
    Step("/accept", "accept", NoteBody, "受理", body_optional=True),
    Step("/decline", "decline", DeclineBody, "不予受理"),
    Step("/assign", "assign", AssignBody, "交办"),
    Step("/acknowledge", "acknowledge", EmptyStep, "签收", body_optional=True),
    Step("/return", "return_case", DeclineBody, "退单"),
    Step("/reply", "reply", ReplyBody, "答复"),
    Step("/callback", "callback", CallbackBody, "回访"),
    Step("/close", "close", NoteBody, "办结", body_optional=True),
    Step("/request-extension", "request_extension", ExtensionBody, "申请延期"),
    Step("/approve-extension", "approve_extension", NoteBody, "同意延期",
         body_optional=True),
    Step("/refuse-extension", "refuse_extension", DeclineBody, "不同意延期"),
    Step("/urge", "urge", UrgeBody, "催办"),
    *INSTRUCTION_STEPS,
    Step("/correct", "correct", ComplaintCorrection,
         "更正: correct an intake fact recorded wrongly",
         description="Bureau staff, in any status: the date received, channel, category or "
         "respondent unit. The wrong value stays in the history. A corrected date received "
         "may not follow the acceptance, decline or first urge (409), and the acceptance "
         "deadline is counted again from it (a DeadlineRecomputed step)."),
)
LEDGER_PAGE = LedgerRoute(
    ComplaintLedgerPublic, "投诉台账",
    "One row per complaint, newest first, without personal data. A unit account sees the "
    "complaints now assigned to it, an enterprise account those it filed.")
ROUTES = CaseRoutes(router, "complaint_id", ComplaintPublic, CREATE, STEPS, LEDGER_PAGE)
