"""Schemas of coordination meetings (协调推进会) and the meeting ledger (会议台账)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import ActorPublic, Body, StepBody, labels, public_schema
from application.meetings import MeetingState
from domain.meeting import ItemStatus

Day = date  # a field named `date` cannot also use `date` as its type with a Field default


class MeetingCreate(Body):
    date: Day = Field(description="The day the meeting was held; may be in the past, never "
                      "the future")
    title: str = Field(max_length=200, description="会议名称")
    chair: str = Field(max_length=60, description="主持人, as the minutes name them")
    units: list[str] = Field(min_length=1, max_length=50, description="参会单位: unit codes")
    projects: list[UUID] = Field(default_factory=list, max_length=50,
                                 description="研究的项目: ids of the projects discussed")
    notes: str | None = Field(None, max_length=4000, description="会议纪要")


class ItemBody(StepBody):
    unit: str = Field(description="承办单位: the unit code the decision is for")
    task: str = Field(max_length=4000, description="议定事项")
    due: date = Field(description="Due date, after the meeting")


class DoneBody(StepBody):
    text: str = Field(max_length=4000, description="What was done (完成情况)")


class ReopenBody(StepBody):
    reason: str = Field(max_length=4000, description="Why the item is not done (重新办理原因)")
    due: date | None = Field(None, description="A new due date, after `on`; default: the "
                             "item's due date")


class ActionItemPublic(labels(status=ItemStatus)):  # type: ignore[misc]
    number: int
    unit: str
    task: str
    due: date
    added_on: date
    done_on: date | None
    result: str | None = Field(description="What the unit said was done")
    reopened: int = Field(description="Times the supervision office reopened it")
    reopen_reason: str | None
    overdue: bool = Field(description="超期: still open past its due date")


MeetingPublic = public_schema(
    "MeetingPublic", MeetingState, recorded_by=ActorPublic, items=list[ActionItemPublic],
    open_items=Annotated[int, Field(description="Action items not yet done")])


class ItemAddedPublic(MeetingPublic):  # type: ignore[valid-type,misc]
    item_number: int = Field(description="Number of the action item just added; its steps "
                             "are /items/{number}/done and /items/{number}/reopen")


MeetingRowPublic = public_schema(
    "MeetingRowPublic", MeetingState,
    omit=("recorded_by", "items", "allowed_steps", "created_at", "modified_at"),
    added={"item_count": Annotated[int, Field(description="议定事项 recorded")],
           "next_due": Annotated[date | None, Field(description="The earliest due date of "
                                                    "an open item")],
           "overdue": Annotated[bool, Field(description="An open action item is past its "
                                            "due date")]})
"""A row of the meeting ledger: the minutes without the items themselves, with how many
there are and when the first open one falls due."""


class MeetingLedgerPublic(BaseModel):
    items: list[MeetingRowPublic]  # type: ignore[valid-type]
    count: int
    next_cursor: str | None
    position: int = Field(description="Global log position the ledger includes")
