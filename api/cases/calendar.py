"""The working-day calendar in force: an aggregate the journal shows."""

from __future__ import annotations

from application.cases import CaseType
from domain.calendar import CalendarSchedule

CASE = CaseType(
    kind="calendar", label="工作日历", aggregates=(CalendarSchedule,),
    event_labels={"Started": "启用工作日历", "Configured": "更新工作日历"},
)
