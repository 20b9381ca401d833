"""Schemas of supervision orders (督办单) and the order ledger (督办台账)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, Field

from api.schemas.common import Body, DeadlinePublic, StepBody, labels, public_schema
from application.orders import OrderState, Subject
from domain.order import Status, SubjectKind


class SubjectBody(Body):
    kind: SubjectKind = Field(description="project 招商项目, complaint 营商环境投诉举报, request "
                              "企业诉求, meeting_item 会议议定事项")
    id: str = Field(max_length=80, description="The item's id; a meeting's action item as "
                    "<meeting id>:<item number>, e.g. 3f2b…:1")


class OrderCreate(StepBody):
    subject: SubjectBody | None = Field(None, description="The item the order is about (it "
                                        "must exist: 422 otherwise); null or absent for a "
                                        "free-standing order")
    task: str = Field(max_length=4000, description="What the unit must do (督办事项)")
    unit: str = Field(description="责任单位: the unit code the order is issued to")
    due: date | None = Field(None, description="Due date; default: LEDGER_ORDER_DAYS working "
                             "days (工作日) from `on`")

    def arguments(self) -> dict[str, Any]:
        subject = self.subject
        return {**super().arguments(),
                "subject": Subject(subject.kind.value, subject.id) if subject else None}


class RespondBody(StepBody):
    text: str = Field(max_length=4000, description="What the unit did (反馈内容)")
    done: bool = Field(description="true: the task is done and the order may be closed (销号)")


class SendBackBody(StepBody):
    reason: str = Field(max_length=4000, description="Why the response is sent back (退回)")


class EscalationBody(StepBody):
    text: str = Field(max_length=4000)


class ResponsePublic(BaseModel):
    number: int
    text: str
    done: bool
    on: date
    by_unit: str | None


class ReturnPublic(BaseModel):
    number: int
    reason: str
    on: date
    response: int = Field(description="The number of the response sent back")


class NotePublic(BaseModel):
    number: int
    text: str
    on: date


OrderPublic = public_schema(
    "OrderPublic", OrderState,
    base=labels(status=Status, subject_kind=SubjectKind | None),
    deadline=Annotated[DeadlinePublic | None, Field(
        description="How the due date was counted (working days, calendar version); null "
        "when the supervision office named the date")],
    overdue=Annotated[bool, Field(description="超期: not closed and past its due date")],
    responses=list[ResponsePublic], returns=list[ReturnPublic], urges=list[NotePublic],
    notices=list[NotePublic])


OrderRowPublic = public_schema(
    "OrderRowPublic", OrderState,
    base=labels(status=Status, subject_kind=SubjectKind | None),
    omit=("deadline", "responses", "returns", "urges", "notices", "allowed_steps",
          "created_at", "modified_at"),
    added={"due_provisional": bool, "response_count": int, "latest_response": str | None,
           "latest_response_on": date | None,
           "done": Annotated[bool, Field(description="The latest response says the task is "
                                         "done")],
           "return_count": int, "last_urged_on": date | None,
           "notice_count": Annotated[int, Field(description="通报 so far")]})
"""A row of the order ledger: the order's state without its lists and audit times, with how
many responses, returns and notices it had and what the latest response said."""


class OrderLedgerPublic(BaseModel):
    items: list[OrderRowPublic]  # type: ignore[valid-type]
    count: int
    next_cursor: str | None
    position: int = Field(description="Global log position the ledger includes")
