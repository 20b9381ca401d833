"""Schemas of the supervision office's dashboard (督查督办工作台) and the items behind it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.complaint_views import SupervisionItemPublic


class FigurePublic(BaseModel):
    count: int
    href: str = Field(description="The read listing the rows behind the figure")


class CountsPublic(BaseModel):
    open: FigurePublic = Field(description="Open items (在办)")
    overdue: FigurePublic = Field(description="Past their due date (超期)")
    nearly_due: FigurePublic = Field(description="Due within nearly_due_days working days "
                                     "(临期)")


class KindCountsPublic(CountsPublic):
    kind: str
    label: str


class UnitCountsPublic(CountsPublic):
    unit: str | None
    unit_name: str | None


class StagePublic(BaseModel):
    stage: str
    label: str
    count: int
    total_investment: Decimal = Field(description="万元")
    href: str


class KeyReportsPublic(BaseModel):
    period: str = Field(description="The period being reported on: the last one ended")
    due: date
    cadence: str
    cadence_label: str
    owed: FigurePublic = Field(description="Key projects owing a report for the period")
    reported: FigurePublic = Field(description="已报送 by the due date")
    late: FigurePublic = Field(description="逾期报送: filed after the due date")
    missing: FigurePublic = Field(description="未报送: not filed yet")


class DashboardPublic(BaseModel):
    today: date
    nearly_due_days: int
    unit: list[str] | None = Field(description="The units the figures are narrowed to")
    items: CountsPublic = Field(description="Every open item of the supervision view")
    by_kind: list[KindCountsPublic]
    by_unit: list[UnitCountsPublic] = Field(description="Units with the most overdue first")
    projects_by_stage: list[StagePublic]
    key_reports: KeyReportsPublic = Field(description="信息报送 of key projects")
    awaiting_answer: list[KindCountsPublic] = Field(
        description="Leaders' instructions (批示) and supervision orders (督办单) not yet "
        "answered")
    position: int = Field(description="Global log position the figures include")


class OpenItemPublic(SupervisionItemPublic):
    state: Literal["overdue", "nearly_due", "on_track"]  # type: ignore[assignment]
    state_label: str = Field(description="超期 / 临期 / 未到期")
    unit: str | None = Field(description="The unit that must act")
    unit_name: str | None


class OpenItemsPublic(BaseModel):
    today: date
    nearly_due_days: int
    items: list[OpenItemPublic] = Field(description="Soonest due first")
    count: int
    position: int
