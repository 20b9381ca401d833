"""Keeps recorded deadlines in step with the calendar in force.

When the calendar's data changes (an override file for a year the package lacks, or a newer
chinese-calendar), open provisional deadlines are recomputed as new events and the change
of calendar is itself recorded (CalendarSchedule.Configured)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from application.calendar import ChineseWorkingCalendar
from application.context import Caller
from application.errors import NotFound
from application.store import Store
from domain.calendar import CalendarSchedule


class Recomputes(Protocol):
    """A case type's use cases that keep provisional deadlines (see cases.CaseService)."""

    def ids(self) -> Iterable[UUID]: ...

    def recompute_provisional(self, caller: Caller, item_ids: list[UUID]) -> int: ...


@dataclass(frozen=True)
class SyncResult:
    previous_version: str | None
    version: str
    recomputed: int


def sync_calendar(store: Store, calendar: ChineseWorkingCalendar, caller: Caller,
                  services: Iterable[Recomputes], years: range) -> SyncResult:
    """Recompute provisional deadlines if the calendar changed since it was last recorded."""
    try:
        schedule = store.load(CalendarSchedule, CalendarSchedule.create_id())
    except NotFound:
        schedule = CalendarSchedule()
    previous = schedule.calendar_version
    if previous == calendar.version:
        return SyncResult(previous, calendar.version, 0)
    recomputed = 0
    for service in services:
        recomputed += service.recompute_provisional(caller, list(service.ids()))
    official = [y for y in years if calendar.is_official(y)]
    schedule.configure(calendar.version, official, recomputed, caller.audit())
    store.save(schedule)
    return SyncResult(previous, calendar.version, recomputed)
