"""Schemas of the project resource and the project ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from api.schemas.common import (
    DATE_VALUE,
    Body,
    StepBody,
    ValueOf,
    correction_body,
    labels,
    public_schema,
    revision_of,
)
from api.schemas.instructions import InstructionPublic
from api.schemas.key_lists import REPORT_COLUMNS
from application.projects import ProjectState
from domain.project import Correctable, ProjectDetails, Stage

Amount = Field(ge=0, max_digits=16, decimal_places=4,
               description="万元, a JSON number or decimal string, to four decimal places")


class ProjectCreate(StepBody):
    name: str = Field(min_length=1, max_length=200, description="项目名称")
    investor: str = Field(min_length=1, max_length=200, description="投资方")
    industry: str = Field(min_length=1, max_length=60, description="产业类别")
    total_investment: Decimal = Field(ge=0, max_digits=16, decimal_places=4,
                                      description="总投资额 (万元)")
    county: str = Field(description="所在县区/开发区: a unit code of kind county or zone")
    responsible_unit: str = Field(description="责任单位: a unit code")
    park: str | None = Field(None, max_length=200, description="园区")
    origin: str | None = Field(None, max_length=200, description="来源地")
    liaison_leader: str | None = Field(None, max_length=60, description="包联领导")
    planned_sign: date | None = None
    planned_start: date | None = None
    planned_production: date | None = None

    def arguments(self) -> dict[str, Any]:
        return {"details": ProjectDetails(**self.model_dump(exclude={"on"})), "on": self.on}


ProjectRevise = revision_of(ProjectCreate, exclude=("responsible_unit",))  # reassign moves it


class SignBody(Body):
    date: date
    contract_amount: Decimal = Field(ge=0, max_digits=16, decimal_places=4,
                                     description="合同金额 (万元)")


class StageDateBody(Body):
    date: date


class ReasonBody(StepBody):
    reason: str = Field(min_length=1, max_length=4000)


ProjectCorrection = correction_body("ProjectCorrection", Correctable, {
    Correctable.sign_date: DATE_VALUE,
    Correctable.contract_amount: ValueOf(Decimal, "an amount of 万元 (a JSON number or "
                                         "decimal string)", "金额 (万元)"),
    Correctable.construction_date: DATE_VALUE,
    Correctable.production_date: DATE_VALUE,
}, __name__)


class TextBody(StepBody):
    text: str = Field(min_length=1, max_length=4000)


class ProgressBody(StepBody):
    period: str = Field(description="Reporting period: 2026, 2026-07, 2026-Q3, 2026-H1, 2026-W27")
    text: str = Field(min_length=1, max_length=4000, description="进展情况")
    funds_in_place: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=4,
                                           description="到位资金 to date (万元)")


class ResolveBody(StepBody):
    resolution: str = Field(min_length=1, max_length=4000)


class ReassignBody(StepBody):
    unit: str
    reason: str = Field(min_length=1, max_length=4000)


class ProblemPublic(BaseModel):
    number: int
    text: str
    raised_on: date
    due: date | None = Field(None, description="Resolve by (working days, 工作日)")
    resolved_on: date | None
    resolution: str | None


ProjectPublic = public_schema("ProjectPublic", ProjectState, base=labels(stage=Stage),
                              problems=list[ProblemPublic],
                              instructions=list[InstructionPublic])


LedgerRowPublic = public_schema(
    "LedgerRowPublic", ProjectState, base=labels(stage=Stage),
    omit=("planned_sign", "planned_start", "planned_production", "termination_reason",
          "latest_progress_on", "problems", "instructions", "comment_count",
          "allowed_steps", "created_at", "modified_at"),
    added={"problems_open": int, "instructions_open": int, **REPORT_COLUMNS})
"""A row of the project ledger: the project's state without its item lists, planned dates
and audit times, with how many problems and instructions are open and its 信息报送 status."""


class StageTotal(BaseModel):
    count: int
    total_investment: Decimal


class ProjectLedgerPublic(BaseModel):
    items: list[LedgerRowPublic]  # type: ignore[valid-type]
    count: int
    next_cursor: str | None
    totals: dict[str, StageTotal] = Field(
        description="Per stage, over the whole filtered ledger: number of projects and "
        "total investment (万元)")
    position: int = Field(description="Global log position the ledger includes")
