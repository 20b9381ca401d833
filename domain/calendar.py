"""Working-day deadlines (工作日): the value object events carry, and the calendar contract.

The calendar itself (statutory holidays, 调休 make-up days, override files) is data the
application loads; the domain only sees this protocol and the Deadline it produces.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.shared import Audit


@dataclass(frozen=True)
class Deadline:
    """A due date counted in working days from a start date, with the calendar that made it.

    `provisional` is true when any year the count touched had no official holiday schedule
    (weekends and statutory holidays by rule only, no 调休); such deadlines are recomputed
    once the year's schedule is configured.
    """

    start: date
    working_days: int
    due: date
    calendar_version: str
    provisional: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "calendar_version": self.calendar_version,
            "provisional": self.provisional,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deadline:
        return cls(
            start=date.fromisoformat(data["start"]),
            working_days=int(data["working_days"]),
            due=date.fromisoformat(data["due"]),
            calendar_version=str(data["calendar_version"]),
            provisional=bool(data.get("provisional", False)),
        )


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

    @event("Started")
    def __init__(self) -> None:
        self.calendar_version: str | None = None
        self.official_years: list[int] = []

    def configure(self, version: str, official_years: list[int], recomputed: int,
                  audit: Audit) -> None:
        if version == self.calendar_version:
            return
        self._configured(version=version, official_years=sorted(official_years),
                         recomputed=recomputed, audit=audit)

    @event("Configured")
    def _configured(self, version: str, official_years: list[int], recomputed: int,
                    audit: Audit) -> None:
        self.calendar_version = version
        self.official_years = list(official_years)
