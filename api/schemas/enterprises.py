"""Schemas of enterprises (企业), enterprise requests (企业诉求) and their ledgers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import (
    CREDIT_CODE_DESCRIPTION,
    CREDIT_CODE_PATTERN,
    DATE_VALUE,
    Body,
    DeadlinePublic,
    StepBody,
    ValueOf,
    correction_body,
    labels,
    public_schema,
    recorded_schema,
    revision_of,
)
from api.schemas.instructions import InstructionPublic
from application.enterprises import EnterpriseState
from application.requests import NewRequest, RequestState
from domain.enterprise import Enterprise, LeaderLevel, VisitKind
from domain.enterprise_request import Category, Correctable, Feedback, Outcome, Source, Status

Day = date  # a field named `date` cannot also use `date` as its type with a Field default
CREDIT_CODE = Field(description=CREDIT_CODE_DESCRIPTION,
                    json_schema_extra={"pattern": CREDIT_CODE_PATTERN})


class ContactBody(Body):
    name: str = Field(max_length=60)
    phone: str = Field(max_length=20, description="13800138000 or 0772-2821234")
    role: str | None = Field(None, max_length=60)


# --- enterprise bodies -------------------------------------------------------------------


class EnterpriseCreate(StepBody):
    name: str = Field(max_length=200, description="企业名称")
    credit_code: str = CREDIT_CODE
    industry: str = Field(max_length=60, description="行业")
    county: str = Field(description="所在县区/开发区: a unit code of kind county or zone")
    contacts: list[ContactBody] = Field(default_factory=list, max_length=20,
                                        description="联系人 (personal data)")

    def arguments(self) -> dict[str, Any]:
        return {**super().arguments(), "contacts": [x.model_dump() for x in self.contacts]}


EnterpriseRevise = revision_of(EnterpriseCreate, exclude=("credit_code",))  # its identity


class LinkLeaderBody(StepBody):
    leader: str = Field(max_length=60, description="挂钩联系领导: the account id of an "
                        "active leader account; that leader may then record visits to this "
                        "enterprise (the state shows the account's name as `leader` and the "
                        "id as `leader_account`)")
    reason: str | None = Field(None, max_length=4000)


class UnlinkLeaderBody(StepBody):
    reason: str = Field(max_length=4000)


class VisitBody(Body):
    date: Day = Field(description="Date of the visit; may be in the past, never the future")
    kind: VisitKind = Field(description="visit 调研 or forum 座谈")
    hosted_by: str = Field(max_length=60, description="The leader or unit who held it")
    notes: str = Field(max_length=4000)
    request_numbers: list[str] | None = Field(
        None, max_length=50, description="The office's own references (e.g. paper form "
        "numbers) of the requests raised; requests link to the visit by visit_number")


# --- enterprise views --------------------------------------------------------------------


class ContactPublic(BaseModel):
    name: str
    phone: str
    role: str | None


class LeaderLinkPublic(BaseModel):
    leader: str
    leader_account: str | None = Field(description="The leader's account (none on links "
                                       "recorded before links named accounts)")
    leader_level: str | None = Field(description="city 市级 or county 县区级, from the unit "
                                     "of the leader's account (none on links recorded before)")
    linked_on: date
    reason: str | None
    unlinked_on: date | None
    unlink_reason: str | None


# A visit as the enterprise keeps it: what its VisitRecorded event recorded.
VisitPublic = recorded_schema("VisitPublic", Enterprise.VisitRecorded)


EnterprisePublic = public_schema("EnterprisePublic", EnterpriseState,
                                 base=labels(leader_level=LeaderLevel | None),
                                 contacts=list[ContactPublic] | None,
                                 leader_links=list[LeaderLinkPublic],
                                 visits=list[VisitPublic])  # type: ignore[valid-type]


class VisitRecordedPublic(EnterprisePublic):  # type: ignore[valid-type,misc]
    visit_number: int = Field(description="Number of the visit just recorded; requests "
                              "raised at it name it as visit_number")


# --- request bodies ----------------------------------------------------------------------


class RequestCreate(Body):
    # The enterprise by credit code or by id (both: they must agree).
    model_config = ConfigDict(json_schema_extra={"anyOf": [
        {"required": ["credit_code"], "properties": {"credit_code": {"type": "string"}}},
        {"required": ["enterprise_id"], "properties": {"enterprise_id": {"type": "string"}}}]})

    credit_code: str | None = Field(None, description="The enterprise, by credit code ...",
                                    json_schema_extra={"pattern": CREDIT_CODE_PATTERN})
    enterprise_id: UUID | None = Field(None, description="... or by id (one is enough)")
    project_id: UUID | None = Field(None, description="The investment project concerned")
    source: Source | None = Field(None, description="visit 调研, forum 座谈会, online 线上, "
                                  "hotline 热线; enterprise accounts: online (the default)")
    visit_number: int | None = Field(None, ge=1, description="The enterprise's visit it was "
                                     "raised at (source visit)")
    category: Category
    description: str = Field(max_length=4000)
    raised_on: date | None = Field(None, description="Business date raised (default: the "
                                   "visit's date, else today)")

    def arguments(self) -> dict[str, Any]:
        return {"new": NewRequest(**self.model_dump())}


class AssignBody(StepBody):
    lead_unit: str = Field(description="牵头单位: a unit code")
    co_units: list[str] = Field(default_factory=list, max_length=20, description="配合单位")


class ProgressBody(StepBody):
    text: str = Field(max_length=4000)
    unit: str | None = Field(None, description="For bureau staff: the assigned unit the note "
                             "is for (default: the lead unit); a unit notes for itself")


class OutcomeBody(StepBody):
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"outcome": {"not": {"const": "resolved"}}}},
        "then": {"required": ["explanation"],
                 "properties": {"explanation": {"type": "string", "pattern": r"\S"}}}})

    outcome: Outcome
    explanation: str | None = Field(None, max_length=4000, description="Required unless "
                                    "resolved")


class FeedbackBody(StepBody):
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"feedback": {"const": "unsatisfied"}}, "required": ["feedback"]},
        "then": {"required": ["comment"],
                 "properties": {"comment": {"type": "string", "pattern": r"\S"}}}})

    feedback: Feedback
    comment: str | None = Field(None, max_length=4000, description="Required if unsatisfied")


class CloseBody(StepBody):
    reason: str | None = Field(None, max_length=4000, description="Required when closing "
                               "without the enterprise's feedback")


RequestCorrection = correction_body("RequestCorrection", Correctable, {
    Correctable.raised_on: DATE_VALUE,
    Correctable.category: ValueOf(Category, "a category code (" + "; ".join(
        f"{c.value} {c.label}" for c in Category) + ")", "诉求类别代码"),
    Correctable.project_id: ValueOf(UUID | None, "a project id (UUID), or null for none",
                                    "项目ID或null"),
}, __name__)


# --- request views -----------------------------------------------------------------------


RequestPublic = public_schema(
    "RequestPublic", RequestState,
    base=labels(source=Source, category=Category, status=Status, outcome=Outcome | None),
    due=DeadlinePublic | None, instructions=list[InstructionPublic],
    overdue=Annotated[bool, Field(description="超期: being handled and past its due date")])


# --- ledgers and stats -------------------------------------------------------------------


class RequestRowPublic(BaseModel):
    id: UUID
    enterprise_id: UUID
    credit_code: str
    enterprise_name: str | None
    project_id: UUID | None
    source: str
    visit_number: int | None
    category: str
    category_label: str
    description: str
    raised_on: date
    status: str
    status_label: str
    lead_unit: str | None
    co_units: list[str]
    assigned_on: date | None
    due: date | None
    due_provisional: bool
    overdue: bool
    progress_count: int
    latest_progress: str | None
    latest_progress_on: date | None
    outcome: str | None
    resolved_on: date | None
    feedback: str | None
    feedback_on: date | None
    closed_on: date | None
    reopened: int = Field(description="Times the enterprise was unsatisfied (重办)")
    version: int


class RequestLedgerPublic(BaseModel):
    items: list[RequestRowPublic]
    count: int
    next_cursor: str | None
    position: int = Field(description="Global log position the ledger includes")


class EnterpriseRowPublic(labels(leader_level=LeaderLevel | None)):  # type: ignore[misc]
    id: UUID
    name: str
    credit_code: str
    industry: str
    county: str
    registered_on: date
    leader: str | None
    leader_since: date | None
    visits: int
    last_visit_on: date | None
    requests_total: int
    requests_open: int = Field(description="Requests not yet closed (未办结)")
    key_years: list[int] = Field(description="Years on the key-enterprise list (重点企业)")
    version: int


class EnterpriseLedgerPublic(BaseModel):
    items: list[EnterpriseRowPublic]
    count: int
    next_cursor: str | None
    position: int
