"""Schemas of the complaint resource (营商环境投诉举报) and its public receipt view."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import AliasChoices, ConfigDict, Field, model_validator

from api.schemas.common import (
    DATE_VALUE,
    Body,
    DeadlinePublic,
    StepBody,
    ValueOf,
    correction_body,
    labels,
    public_schema,
)
from api.schemas.instructions import InstructionPublic
from application.complaints import ComplaintState, PublicStatus
from domain.complaint import (
    Category,
    Channel,
    Complainant,
    ComplaintDetails,
    Correctable,
    Satisfaction,
    Status,
)
from domain.shared import Labelled


def _labels(codes: type[Labelled]) -> str:
    return "; ".join(f"{code.value} {code.label}" for code in codes)


class ComplainantIn(Body):
    name: str = Field(min_length=1, max_length=60, description="投诉人姓名")
    phone: str | None = Field(None, max_length=20, description="联系电话")
    enterprise: str | None = Field(None, max_length=200, description="所在企业")


class ComplaintCreate(Body):
    # Either the complainant or anonymous: true, never both, never neither.
    model_config = ConfigDict(json_schema_extra={"oneOf": [
        {"required": ["complainant"], "properties": {
            "complainant": {"type": "object"}, "anonymous": {"const": False}}},
        {"required": ["anonymous"], "properties": {
            "anonymous": {"const": True}, "complainant": {"type": "null"}}}]})

    channel: Channel = Field(description=f"渠道: {_labels(Channel)}")
    category: Category = Field(description=f"类别: {_labels(Category)}")
    content: str = Field(min_length=1, max_length=4000, description="投诉内容")
    respondent_unit: str = Field(description="被投诉单位: a unit code")
    received_on: date | None = Field(None, description="Date received (登记日期); default "
                                     "today, may be in the past")
    complainant: ComplainantIn | None = None
    anonymous: bool = Field(False, description="匿名: no complainant details")

    @model_validator(mode="after")
    def _complainant_or_anonymous(self) -> ComplaintCreate:
        if self.anonymous and self.complainant is not None:
            raise ValueError("give either complainant details or anonymous: true, not both / "
                             "投诉人信息与匿名只能二选一")
        if not self.anonymous and self.complainant is None:
            raise ValueError("complainant {name, phone, enterprise} is required unless "
                             "anonymous is true / 非匿名投诉须填写投诉人信息")
        return self

    def arguments(self) -> dict[str, Any]:
        person = self.complainant
        return {"details": ComplaintDetails(
            channel=self.channel.value, category=self.category.value, content=self.content,
            respondent_unit=self.respondent_unit,
            complainant=Complainant(person.name, person.phone, person.enterprise)
            if person else None), "received_on": self.received_on}


class PublicComplaintCreate(Body):
    category: Category = Field(description=f"类别: {_labels(Category)}")
    content: str = Field(min_length=1, max_length=4000)
    respondent_unit: str = Field(description="被投诉单位: a unit code (see /api/v1/units)")
    complainant: ComplainantIn | None = None


class DeclineBody(StepBody):
    reason: str = Field(min_length=1, max_length=4000)


class NoteBody(StepBody):
    """A step with an optional remark by the staff taking it: `note`, as on every case type
    (`comment` is still read, for clients written before the names were made one)."""

    note: str | None = Field(None, max_length=4000,
                             validation_alias=AliasChoices("note", "comment"),
                             description="备注: an optional remark recorded with the step")


class AssignBody(StepBody):
    unit: str = Field(description="承办单位: a unit code")
    note: str | None = Field(None, max_length=4000)


class ReplyBody(StepBody):
    text: str = Field(min_length=1, max_length=8000)


class CallbackBody(StepBody):
    satisfaction: Satisfaction = Field(description=_labels(Satisfaction))
    comment: str | None = Field(None, max_length=4000)


class ExtensionBody(StepBody):
    reason: str = Field(min_length=1, max_length=4000)
    until: date = Field(description="Requested new reply due date")


class UrgeBody(StepBody):
    text: str = Field(min_length=1, max_length=4000)


class EmptyStep(StepBody):
    pass


ComplaintCorrection = correction_body("ComplaintCorrection", Correctable, {
    Correctable.received_on: DATE_VALUE,
    Correctable.channel: ValueOf(Channel, f"a channel code ({_labels(Channel)})", "渠道代码"),
    Correctable.category: ValueOf(Category, f"a category code ({_labels(Category)})",
                                  "类别代码"),
    Correctable.respondent_unit: ValueOf(str, "a unit code (see /api/v1/units)", "单位代码"),
}, __name__)


ComplaintPublic = public_schema("ComplaintPublic", ComplaintState, base=labels(status=Status),
                                acceptance_deadline=DeadlinePublic,
                                reply_deadline=DeadlinePublic | None,
                                callback_deadline=DeadlinePublic | None,
                                instructions=list[InstructionPublic],
                                complainant=Annotated[dict[str, Any] | None, Field(
                                    description="Shown to bureau and supervision staff only")])


PublicReceipt = public_schema(
    "PublicReceipt", PublicStatus,
    receipt=Annotated[str, Field(description="回执码: keep it to follow the complaint")],
    due=Annotated[date | None, Field(description="Due date of the step now running")])
