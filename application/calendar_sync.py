"""Keeps recorded deadlines in step with the calendar in force.

When the calendar's data changes (an override file for a year the package lacks, or a newer
chinese-calendar), open provisional deadlines are recomputed as new events and the change
of calendar is itself recorded (CalendarSchedule.Configured)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.utils import get_topic

from application.calendar import ChineseWorkingCalendar
from application.context import Caller
from application.errors import NotFound
from application.store import Store
from domain.calendar import CalendarSchedule
from domain.complaint import Complaint
from domain.project import Project

Recompute = Callable[[Caller, list[UUID]], int]


@dataclass(frozen=True)
class SyncResult:
    previous_version: str | None
    version: str
    recomputed: int


def originators(store: Store, created_event: type) -> Iterator[UUID]:
    """Ids of every aggregate whose created event is `created_event`, in log order."""
    topic = get_topic(created_event)
    position = 0
    while True:
        batch = list(store.ledger.recorder.select_notifications(
            start=position + 1, limit=1000, topics=[topic]))
        if not batch:
            return
        for notification in batch:
            yield UUID(str(notification.originator_id))
        position = batch[-1].id


def sync_calendar(store: Store, calendar: ChineseWorkingCalendar, caller: Caller,
                  recomputers: list[tuple[type, Recompute]], years: range) -> SyncResult:
    """Recompute provisional deadlines if the calendar changed since it was last recorded."""
    try:
        schedule = store.load(CalendarSchedule, CalendarSchedule.create_id())
    except NotFound:
        schedule = CalendarSchedule()
    previous = schedule.calendar_version
    if previous == calendar.version:
        return SyncResult(previous, calendar.version, 0)
    recomputed = 0
    for created, recompute in recomputers:
        recomputed += recompute(caller, list(originators(store, created)))
    official = [y for y in years if calendar.is_official(y)]
    schedule.configure(calendar.version, official, recomputed, caller.audit())
    store.save(schedule)
    return SyncResult(previous, calendar.version, recomputed)


def project_recomputer(recompute: Recompute) -> tuple[type, Recompute]:
    return (Project.Registered, recompute)  # type: ignore[attr-defined]


def complaint_recomputer(recompute: Recompute) -> tuple[type, Recompute]:
    return (Complaint.Received, recompute)  # type: ignore[attr-defined]
