"""Schemas of the statistics (统计). Every report has one shape: the `period` it counts over,
its figures, breakdowns as lists of rows `{code, label, …figures}` (a unit's row is labelled
with the unit's name), and the log `position` it includes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class PeriodPublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date | None = Field(alias="from", description="First business date counted "
                               "(inclusive); null: from the first record")
    to: date | None = Field(description="Last business date counted (inclusive); null: up "
                            "to the last record")


class Report(BaseModel):
    period: PeriodPublic
    position: int = Field(description="Global log position the figures include")


class Row(BaseModel):
    code: str = Field(description="What the row counts: a code (unit, channel, category, "
                      "outcome, county, industry) or a month (2025-03)")
    label: str = Field(description="Its display name: the unit's name, the code's Chinese "
                       "label, the month as 2025年3月")


# --- complaints and units ---------------------------------------------------------------


class RatePublic(BaseModel):
    numerator: int
    denominator: int
    rate: float | None = Field(description="numerator / denominator, 0..1 to four places; "
                               "null when the denominator is 0")


class UnitStatsPublic(Row):
    assignments: int = Field(description="Assignments (交办) made to the unit in the period")
    response: RatePublic = Field(description="签收及时率")
    on_time_reply: RatePublic = Field(description="按期答复率")
    satisfaction: RatePublic = Field(description="满意率 (满意 + 基本满意)")


class UnitStatsListPublic(Report):
    today: date = Field(description="The date pending assignments are judged against")
    acknowledge_days: int = Field(description="签收 within this many working days")
    units: list[UnitStatsPublic] = Field(description="Units with assignments in the period, "
                                         "by code")


class ComplaintCountsPublic(BaseModel):
    received: int
    accepted: int
    declined: int
    closed: int
    closed_on_time: int


class ComplaintCountsRowPublic(ComplaintCountsPublic, Row):
    pass


class ComplaintStatsPublic(ComplaintCountsPublic, Report):
    by_channel: list[ComplaintCountsRowPublic] = Field(description="Every channel (渠道)")
    by_category: list[ComplaintCountsRowPublic] = Field(description="Every category (类别)")


# --- enterprise requests ----------------------------------------------------------------


class OutcomeCountPublic(Row):
    count: int = Field(description="Outcomes of this kind recorded in the period and "
                       "standing")


class CategoryRequestsPublic(Row):
    raised: int
    resolved: int


class UnitRequestsPublic(Row):
    lead: int = Field(description="Requests raised in the period it leads (牵头)")
    co: int = Field(description="Requests raised in the period it co-handles (配合)")
    resolved: int = Field(description="Requests it led that were solved in the period")


class RequestStatsPublic(Report):
    raised: int = Field(description="Requests raised in the period")
    resolved: int = Field(description="Problems solved in the period (resolved or partly "
                          "resolved, not rejected by the enterprise)")
    outcomes: list[OutcomeCountPublic] = Field(description="Standing outcomes recorded in "
                                               "the period, every outcome")
    solved_projects: int = Field(description="Distinct projects the solved problems belong to")
    solved_enterprises: int = Field(description="Distinct enterprises helped")
    summary: str = Field(description="The seed's figure: 帮助N家企业解决P个项目共计M个问题")
    by_category: list[CategoryRequestsPublic] = Field(description="Every category")
    by_unit: list[UnitRequestsPublic] = Field(description="Units with a request, by code")


# --- projects -----------------------------------------------------------------------------


class StageFiguresPublic(BaseModel):
    count: int = Field(description="Projects whose date of this stage is in the period")
    total_investment: Decimal = Field(description="Their planned total investment (总投资额), "
                                      "万元")
    contract_amount: Decimal = Field(description="Their contract amounts (合同金额), 万元; "
                                     "projects not signed add nothing")


class ProjectStagesPublic(BaseModel):
    registered: StageFiguresPublic = Field(description="在谈: registered in the period")
    signed: StageFiguresPublic = Field(description="签约: signed in the period")
    started: StageFiguresPublic = Field(description="开工: construction started in the period")
    produced: StageFiguresPublic = Field(description="投产: production started in the period")


class ProjectStatsRowPublic(ProjectStagesPublic, Row):
    pass


class ProjectStatsPublic(ProjectStagesPublic, Report):
    summary: str = Field(description="The figures as the bureau reports them: 新增在谈项目N个，"
                         "总投资…万元；签约…")
    by_month: list[ProjectStatsRowPublic] = Field(description="By the month of each stage "
                                                  "date (code 2025-03), in order")
    by_county: list[ProjectStatsRowPublic] = Field(description="By county or zone (县区/开发区)")
    by_unit: list[ProjectStatsRowPublic] = Field(description="By responsible unit (责任单位)")
    by_industry: list[ProjectStatsRowPublic] = Field(description="By industry (产业类别)")
