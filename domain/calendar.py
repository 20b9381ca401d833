"""Working-day calendars (工作日): the contract a calendar fulfils, and the schedule in force.

The Deadline a calendar produces lives in domain.shared, beside the checks every aggregate
applies to it. The calendar itself (statutory holidays, 调休 make-up days, override files) is
data the application loads; the domain only sees this protocol and the Deadline it produces.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.shared import Audit, Deadline

# Deadline lives in domain.shared (every aggregate checks deadlines); it is re-exported here
# because it is what a WorkingCalendar produces.
__all__ = ["CalendarSchedule", "Deadline", "WorkingCalendar"]


class WorkingCalendar(Protocol):
    """What the domain and use cases need of a working-day calendar."""

    @property
    def version(self) -> str:
        """Identifies the data used (package version, override file digest)."""
        ...

    def is_workday(self, day: date) -> bool: ...

    def is_official(self, year: int) -> bool:
        """Whether `year` has an official schedule (else days are computed by rule)."""
        ...

    def add_working_days(self, start: date, working_days: int) -> Deadline:
        """The deadline `working_days` working days after `start` (start itself excluded)."""
        ...

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        ...


class CalendarSchedule(Aggregate):
    """The working-day calendar in force: each configuration change is recorded, so an
    auditor can tell which holiday data every deadline was computed with."""

    @staticmethod
    def create_id() -> UUID:
        return uuid5(NAMESPACE_URL, "https://investledger/calendar-schedule")

    class Started(Aggregate.Created):
        """The record of calendar configurations is started."""

    @event(Started)
    def __init__(self) -> None:
        self.calendar_version: str | None = None
        self.official_years: list[int] = []

    def configure(self, version: str, official_years: list[int], recomputed: int,
                  audit: Audit) -> None:
        if version == self.calendar_version:
            return
        self._configured(version=version, official_years=sorted(official_years),
                         recomputed=recomputed, audit=audit)

    class Configured(Aggregate.Event):
        """A calendar version comes into force, with the deadlines it recomputed."""

        version: str
        official_years: list[int]
        recomputed: int
        audit: Audit

    @event(Configured)
    def _configured(self, version: str, official_years: list[int], recomputed: int,
                    audit: Audit) -> None:
        self.calendar_version = version
        self.official_years = list(official_years)
