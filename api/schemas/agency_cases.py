"""Schemas of agency cases (代办服务), their ledger and statistics."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Body, DeadlinePublic, StepBody, labels, public_schema
from api.schemas.stats import PeriodPublic
from application.agency import AgencyCaseState
from domain.agency_case import ItemStatus, Milestone, Status

ITEM = Field(max_length=60, description="The permit item's code (审批事项), from the "
             "catalogue: project_filing 立项备案, land_pre_review 用地预审, "
             "land_planning_permit 建设用地规划许可, works_planning_permit 建设工程规划许可, "
             "construction_permit 施工许可, eia_approval 环评审批, energy_review 能评, "
             "fire_design_review 消防设计审查, completion_acceptance 竣工验收 "
             "(LEDGER_AGENCY_ITEMS_FILE may replace it)")
AGENT = Field(max_length=60, description="The account id of an active agent (代办员) account, "
              "as `investledger accounts add --role agent` prints it")

# --- bodies --------------------------------------------------------------------------------


class AgencyCaseCreate(Body):
    credit_code: str | None = Field(None, description="The enterprise, by credit code ...")
    enterprise_id: UUID | None = Field(None, description="... or by id (exactly one of them)")
    project_id: UUID | None = Field(None, description="The investment project served")
    agent: str | None = Field(None, max_length=60, description="代办员: the account id of an "
                              "active agent account; required when bureau staff open the "
                              "case, the caller itself (by default) when an agent does")
    opened_on: date | None = Field(None, description="Business date opened (default: today)")


class ItemBody(StepBody):
    item: str = ITEM
    status: ItemStatus = Field(description="pending 待办 → submitted 已报件 → approved 已批复 | "
                               "rejected 未通过 (→ submitted again); not_needed 无需办理")
    note: str | None = Field(None, max_length=4000)


class CorrectItemBody(StepBody):
    item: str = ITEM
    status: ItemStatus = Field(description="The status the item really has")
    reason: str = Field(max_length=4000, description="Why the record was wrong (更正原因)")


class MilestoneBody(StepBody):
    milestone: Milestone = Field(description="filing 立项 → construction 开工 → production 投产")


class AgencyReassignBody(StepBody):
    agent: str = AGENT
    reason: str = Field(max_length=4000)


class AgencyCloseBody(StepBody):
    summary: str = Field(max_length=4000, description="What the agency achieved (代办小结)")


# --- views ---------------------------------------------------------------------------------


class ItemStepPublic(labels(status=ItemStatus)):  # type: ignore[misc]
    on: date
    note: str | None
    correction: str | None = Field(description="The reason, when the step corrected a record")


class AgencyItemPublic(labels(status=ItemStatus)):  # type: ignore[misc]
    item: str
    name: str = Field(description="The item's name in the catalogue")
    recorded_on: date = Field(description="First recorded")
    submitted_on: date | None = Field(description="First submitted (已报件)")
    approved_on: date | None = Field(description="Approved (已批复), while it stands")
    since: date = Field(description="Date of the current status")
    due: DeadlinePublic | None = Field(description="LEDGER_AGENCY_ITEM_DAYS working days after "
                                       "it was first open; past it while open: overdue")
    overdue: bool
    note: str | None
    steps: list[ItemStepPublic]


class MilestonePublic(labels(milestone=Milestone)):  # type: ignore[misc]
    on: date


AgencyCasePublic = public_schema("AgencyCasePublic", AgencyCaseState,
                                 base=labels(status=Status), items=list[AgencyItemPublic],
                                 milestones=list[MilestonePublic])


class AgencyRowPublic(BaseModel):
    id: UUID
    enterprise_id: UUID
    credit_code: str
    enterprise_name: str | None
    project_id: UUID | None
    project_name: str | None
    agent: str
    agent_name: str
    agent_unit: str | None
    status: str
    status_label: str
    opened_on: date
    closed_on: date | None
    summary: str | None
    items_total: int
    items_open: int = Field(description="待办, 已报件 or 未通过")
    items_approved: int
    oldest_open_start: date | None = Field(description="When the oldest open item was first "
                                           "open")
    next_due: date | None = Field(description="The earliest deadline among open items")
    overdue: bool = Field(description="Open, with an open item past its deadline")
    filing_on: date | None = Field(description="立项")
    construction_on: date | None = Field(description="开工")
    production_on: date | None = Field(description="投产")
    version: int


class AgencyLedgerPublic(BaseModel):
    items: list[AgencyRowPublic]
    count: int
    next_cursor: str | None
    position: int = Field(description="Global log position the ledger includes")


class AgencyItemStats(BaseModel):
    code: str
    label: str
    approved: int
    median_working_days: float | None


class AgencyAgentStats(BaseModel):
    code: str = Field(description="The agent's account id")
    label: str = Field(description="The agent's name")
    enterprises_served: int
    cases_active: int
    cases_opened: int
    cases_closed: int
    items_approved: int


class AgencyStatsPublic(BaseModel):
    period: PeriodPublic
    enterprises_served: int = Field(description="Distinct enterprises of the cases active in "
                                    "the period (opened by its end, not closed before its start)")
    cases_active: int
    cases_opened: int
    cases_closed: int
    items_approved: int = Field(description="Standing approvals (已批复) dated in the period")
    median_working_days: float | None = Field(
        description="Median working days from an item's first submission (else first record) "
        "to its approval, over the items approved in the period")
    by_item: list[AgencyItemStats]
    by_agent: list[AgencyAgentStats]
    summary: str = Field(description="为N家企业开展代办服务")
    position: int
