"""Schemas of the complaint ledger and the supervision view (statistics: api/schemas/stats).

None of them carries personal data: no complainant name, phone or enterprise.
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field


class DeadlinePublic(BaseModel):
    kind: Literal["acceptance", "reply", "callback"]
    kind_label: str = Field(description="受理期限 / 答复期限 / 回访期限")
    due: date = Field(description="Due date; for a reply, with any approved extension")
    provisional: bool = Field(description="Counted on a year without an official holiday "
                              "schedule; recomputed once the year is configured")


class PendingExtensionPublic(BaseModel):
    until: date = Field(description="The new reply due date asked for (延期至)")
    requested_on: date


class ComplaintRowPublic(BaseModel):
    id: UUID
    receipt: str = Field(description="回执码")
    summary: str = Field(description="The first words of the content (摘要)")
    status: str
    status_label: str
    channel: str
    channel_label: str
    category: str
    category_label: str
    respondent_unit: str = Field(description="被投诉单位")
    assigned_unit: str | None = Field(description="承办单位 now assigned")
    anonymous: bool = Field(description="匿名投诉")
    received_on: date
    accepted_on: date | None
    declined_on: date | None
    assigned_on: date | None
    acknowledged_on: date | None
    replied_on: date | None
    closed_on: date | None
    satisfaction: str | None
    satisfaction_label: str | None
    deadline: DeadlinePublic | None = Field(description="The deadline now running; none when "
                                            "the complaint waits on no deadline or is final")
    overdue: bool = Field(description="超期: the running deadline's due date is before today")
    urge_count: int = Field(description="催办 count")
    pending_extension: PendingExtensionPublic | None = Field(
        description="An extension request (延期) awaiting the supervision office's decision")
    version: int


class ComplaintLedgerPublic(BaseModel):
    items: list[ComplaintRowPublic]
    count: int = Field(description="Complaints matching the filters, over all pages")
    next_cursor: str | None
    position: int = Field(description="Global log position the ledger includes")


class SupervisionItemPublic(BaseModel):
    kind: str = Field(description="What the item waits for: complaint_acceptance, "
                      "complaint_reply, complaint_callback, project_problem, "
                      "project_instruction, project_planned_start, project_planned_production, "
                      "request, missing_report (信息报送), or a kind another case type "
                      "contributes (order 督办单, meeting_item 会议议定事项, "
                      "agency_item 代办事项, …)")
    kind_label: str
    id: UUID = Field(description="The complaint, project, enterprise request, supervision "
                     "order or meeting")
    number: int | None = Field(description="Problem or instruction number within the "
                               "project; assignment number of a request")
    title: str
    summary: str
    started_on: date = Field(description="Business date the deadline counts from (a planned "
                             "date's item: the day the project signed or started)")
    due: date = Field(description="Due date; a planned date's item: the planned start "
                      "(计划开工) or production (计划投产) date")
    provisional: bool
    state: Literal["overdue", "nearly_due"]
    state_label: str = Field(description="超期 / 临期")
    working_days_overdue: int | None = Field(
        description="Working days from the due date to today (overdue items only); 0 when "
        "only non-working days have passed since")
    working_days_left: int | None = Field(
        description="Working days from today to the due date (nearly due items only)")


class SupervisionFlagPublic(BaseModel):
    kind: str = Field(description="park_unregistered (入园未登记), …")
    kind_label: str
    id: UUID = Field(description="The item flagged (a project)")
    title: str
    summary: str
    since: date = Field(description="Business date the flag was raised")


class SupervisionUnitPublic(BaseModel):
    unit: str
    unit_name: str | None
    overdue: int
    nearly_due: int
    items: list[SupervisionItemPublic]
    flags: list[SupervisionFlagPublic] = Field(
        description="Undated flags of the unit (no due date: never overdue), such as a "
        "project placed in a park without its park-entry registration (入园未登记)")


class SupervisionPublic(BaseModel):
    today: date = Field(description="The date overdue and nearly due are judged against")
    nearly_due_days: int = Field(description="临期: due within this many working days")
    overdue: int
    nearly_due: int
    flags: int = Field(description="Undated flags, in all units")
    units: list[SupervisionUnitPublic] = Field(description="Units with the most overdue "
                                               "items first")
    position: int = Field(description="Global log position the view includes")
