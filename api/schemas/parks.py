"""Schemas of parks (园区), their compliance ledger, the industry list and park-entry reviews
(入园联合论证)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import Body, StepBody, labels, public_schema
from application.park_entry_reviews import ReviewState
from application.parks import ParkState
from domain.park import Level
from domain.park_entry_review import Decision, Opinion, Status

Amount = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=4)]
INDUSTRY = "an industry's code or Chinese name from GET /api/v1/industries (汽车 or auto)"


class IndustryPublic(BaseModel):
    code: str
    name: str


# --- parks ----------------------------------------------------------------------------------


class ParkCreate(StepBody):
    name: str = Field(min_length=1, max_length=200, description="园区名称; one park per name")
    level: Level = Field(description="园区级别: city 市属, district 城区属, county 县域")
    county: str = Field(description="所在县区/开发区: a unit code of kind county or zone")
    managing_unit: str = Field(description="管委会: a unit code of kind park_committee, zone "
                               "or county")
    area_mu: Amount = Field(description="面积 (亩)")
    leading_industries: list[str] = Field(
        default_factory=list, max_length=50,
        description=f"主导产业, each {INDUSTRY}; at most 3 (柳政规〔2020〕1号): a fourth is a 409")
    joint_review_required: bool | None = Field(
        None, description="入园联合论证: default true for city and district parks (which "
        "cannot opt out), false for county parks (可参照执行: they may opt in)")


class LeadingIndustriesBody(StepBody):
    industries: list[str] = Field(max_length=50, description=f"The new list, each {INDUSTRY}; "
                                  "at most 3")
    reason: str = Field(min_length=1, max_length=4000)


class OutputRowBody(Body):
    industry: str = Field(max_length=60, description=INDUSTRY)
    output: Amount = Field(description="产值 (万元)")


class OutputBody(StepBody):
    year: int = Field(ge=2000, le=2100, description="The year reported; a later report of "
                      "the same year replaces it")
    by_industry: list[OutputRowBody] = Field(min_length=1, max_length=100)

    def arguments(self) -> dict[str, Any]:
        return {**super().arguments(),
                "by_industry": [row.model_dump() for row in self.by_industry]}


class OutputRowPublic(BaseModel):
    industry: str
    output: Decimal


class OutputPublic(BaseModel):
    year: int
    by_industry: list[OutputRowPublic]
    total: Decimal
    reported_on: date


ParkPublic = public_schema("ParkPublic", ParkState, base=labels(level=Level),
                           outputs=list[OutputPublic])


class ShortfallPublic(BaseModel):
    points: Decimal = Field(description="Percentage points below 60%")
    leading_output: Decimal = Field(description="Leading output missing at the reported "
                                    "total: 60% of the total less the leading output (万元)")


class StageProjectsPublic(BaseModel):
    label: str
    count: int
    registered: int = Field(description="Of them, registered after review (入园登记)")
    total_investment: Decimal


ParkRowPublic = public_schema(
    "ParkRowPublic", ParkState, base=labels(level=Level),
    omit=("outputs", "allowed_steps", "created_at", "modified_at"),
    added={"year": int, "total_output": Decimal | None, "leading_output": Decimal | None,
           "leading_share": Decimal | None, "meets_rule": bool | None,
           "shortfall": ShortfallPublic | None, "output_reported_on": date | None,
           "by_industry": dict[str, Decimal], "projects": dict[str, StageProjectsPublic],
           "projects_unregistered": int})
"""A row of the park ledger: the park, and the year judged by 柳政规〔2020〕1号 (leading share
in %, null while no output is reported), with its projects by stage."""


class ParkLedgerPublic(BaseModel):
    items: list[ParkRowPublic]  # type: ignore[valid-type]
    count: int
    next_cursor: str | None
    position: int = Field(description="Global log position the ledger includes")


# --- park-entry reviews ------------------------------------------------------------------


class ReviewCreate(StepBody):
    project_id: UUID
    park_id: UUID
    land_area_mu: Amount = Field(description="用地面积 (亩), more than 0")
    investment_intensity: Amount | None = Field(None, description="投资强度 (万元/亩)")
    output_per_mu: Amount | None = Field(None, description="亩均产值 (万元/亩)")


class OpinionBody(StepBody):
    opinion: Opinion
    text: str | None = Field(None, max_length=4000, description="The conditions or grounds; "
                             "required unless the opinion is approve")


class DecideBody(StepBody):
    decision: Decision
    reason: str = Field(min_length=1, max_length=4000)


class RegisterBody(StepBody):
    """入园登记: only its business date."""


class ReviewingUnitPublic(BaseModel):
    code: str
    name: str


class OpinionPublic(BaseModel):
    unit: str
    unit_name: str
    opinion: str
    text: str | None
    on: date
    by: str


ReviewPublic = public_schema(
    "ParkEntryReviewPublic", ReviewState, base=labels(status=Status, decision=Decision | None),
    reviewing_units=list[ReviewingUnitPublic], awaiting=list[ReviewingUnitPublic],
    opinions=list[OpinionPublic])


class ReviewRowPublic(BaseModel):
    id: UUID
    project_id: UUID
    project_name: str
    industry: str
    park_id: UUID
    park_name: str
    status: str
    status_label: str
    land_area_mu: Decimal
    reviewing_units: list[str]
    awaiting: list[str] = Field(description="Reviewing units whose opinion is missing")
    opinions: int
    rejections: int
    industry_outside_leading: bool
    opened_on: date
    decision: str | None
    decided_on: date | None
    registered_on: date | None
    version: int


class ReviewLedgerPublic(BaseModel):
    items: list[ReviewRowPublic]
    count: int
    next_cursor: str | None
    position: int = Field(description="Global log position the ledger includes")
