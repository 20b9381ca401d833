"""信息报送: the periodic progress reports a key project (重点项目) owes, and which report
answers which period. Pure rules over facts the read side gathers; nothing here is stored.

- **Cadence.** Every key project reports once per period, monthly (按月) or quarterly (按季度),
  one cadence for the whole deployment.
- **Due date.** A period's report is due on the Nth working day (工作日) of the following
  period: September's on the 5th working day of October, which after National Day 2025 is
  14 October.
- **What is owed.** A project owes a report for each period of each year it is on the
  key-project list (重点项目清单): from the period in which it was designated (a designation
  recorded before its year began, or after it ended — 补录 of a past year's list — covers
  the whole year), up to the last period that ended before it was dropped from that year's
  list or terminated; never for a period that ended before the project was registered.
- **Which period a report answers.** A report names a period. When that is a period of the
  cadence (`2025-09` monthly, `2025-Q3` quarterly) that had begun by the report's date, the
  report answers it — however late. Otherwise (it names a year, a half, a week, a month in
  quarterly mode, or a period not yet begun) its date decides: filed on or before the due
  date of the period before the one it falls in, it answers that earlier period (the common
  practice: what is filed in the first days of October covers September); filed later, the
  period it falls in.
- **Status.** A period's report is *reported* (已报送) when a report answering it is dated on
  or before its due date, *late* (逾期报送) when the only ones are dated after it, *missing*
  (未报送) when there is none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from domain.calendar import Deadline, WorkingCalendar
from domain.shared import Labelled

MISSING_REPORT = "missing_report", "信息报送"
"""The kind (code, label) of a missing report among the supervision view's open items."""
_CODE = re.compile(r"^(\d{4})-(?:(0[1-9]|1[0-2])|Q([1-4]))$")


class Cadence(Labelled):
    """How often key projects report."""

    month = "month", "按月"
    quarter = "quarter", "按季度"

    @property
    def months(self) -> int:
        return 1 if self is Cadence.month else 3


class ReportStatus(Labelled):
    """Where one period's report of one key project stands."""

    reported = "reported", "已报送"
    late = "late", "逾期报送"
    missing = "missing", "未报送"


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: a month (`2025-09`) or a quarter (`2025-Q3`)."""

    year: int
    index: int  # 1..12 or 1..4
    cadence: Cadence = field(compare=False)

    @classmethod
    def containing(cls, day: date, cadence: Cadence) -> Period:
        return cls(day.year, (day.month - 1) // cadence.months + 1, cadence)

    @classmethod
    def parse(cls, code: str, cadence: Cadence) -> Period | None:
        """The period `code` names in this cadence; None if it names none of its periods."""
        found = _CODE.match(code.strip())
        if found is None:
            return None
        year, month, quarter = found.groups()
        if cadence is Cadence.month and month:
            return cls(int(year), int(month), cadence)
        if cadence is Cadence.quarter and quarter:
            return cls(int(year), int(quarter), cadence)
        return None

    @classmethod
    def of_year(cls, year: int, cadence: Cadence) -> list[Period]:
        return [cls(year, i, cadence) for i in range(1, 12 // cadence.months + 1)]

    @property
    def code(self) -> str:
        return (f"{self.year}-{self.index:02d}" if self.cadence is Cadence.month
                else f"{self.year}-Q{self.index}")

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * self.cadence.months + 1, 1)

    @property
    def end(self) -> date:
        return self.next.start - timedelta(days=1)

    @property
    def next(self) -> Period:
        last = 12 // self.cadence.months
        if self.index == last:
            return Period(self.year + 1, 1, self.cadence)
        return Period(self.year, self.index + 1, self.cadence)

    @property
    def previous(self) -> Period:
        if self.index == 1:
            return Period(self.year - 1, 12 // self.cadence.months, self.cadence)
        return Period(self.year, self.index - 1, self.cadence)


@dataclass(frozen=True)
class Listing:
    """A project's place on one year's key-project list."""

    year: int
    listed_on: date  # the designation's business date
    dropped_on: date | None = None

    @property
    def counts_from(self) -> date:
        """Designated during its year: from then; before or after it: the whole year."""
        return self.listed_on if self.listed_on.year == self.year else date(self.year, 1, 1)


@dataclass(frozen=True)
class Report:
    """A progress report as filed: the period it names and its business date."""

    period: str
    on: date


@dataclass(frozen=True)
class KeyProject:
    """What the reporting rules read of one project."""

    id: str
    name: str
    unit: str
    registered_on: date
    terminated_on: date | None
    listings: Sequence[Listing]
    reports: Sequence[Report]


@dataclass(frozen=True)
class Obligation:
    """One period's report of one project: due when, and where it stands."""

    period: Period
    due: Deadline
    status: ReportStatus
    filed_on: date | None  # the earliest report answering it


class Schedule:
    """The reporting rules in force: the cadence and the working day reports are due on."""

    def __init__(self, cadence: Cadence, due_workday: int, calendar: WorkingCalendar) -> None:
        self.cadence = cadence
        self.due_workday = due_workday
        self.calendar = calendar
        self._dues: dict[Period, Deadline] = {}

    def due(self, period: Period) -> Deadline:
        """The Nth working day after the period's last day: of the following period."""
        if period not in self._dues:
            self._dues[period] = self.calendar.add_working_days(period.end, self.due_workday)
        return self._dues[period]

    def current(self, today: date) -> Period:
        """The period being reported on: the last one that has ended."""
        return Period.containing(today, self.cadence).previous

    def answered(self, report: Report) -> Period:
        """The period a report answers (see the module's rules)."""
        named = Period.parse(report.period, self.cadence)
        if named is not None and named.start <= report.on:
            return named
        falls_in = Period.containing(report.on, self.cadence)
        before = falls_in.previous
        return before if report.on <= self.due(before).due else falls_in

    @staticmethod
    def owes(project: KeyProject, period: Period) -> bool:
        end = period.end
        return (end >= project.registered_on
                and (project.terminated_on is None or end < project.terminated_on)
                and any(listing.year == period.year and end >= listing.counts_from
                        and (listing.dropped_on is None or end < listing.dropped_on)
                        for listing in project.listings))

    def obligation(self, project: KeyProject, period: Period) -> Obligation | None:
        """Where the project's report for `period` stands; None if it owes none."""
        if not self.owes(project, period):
            return None
        due = self.due(period)
        filed = sorted(r.on for r in project.reports if self.answered(r) == period)
        if not filed:
            status = ReportStatus.missing
        elif filed[0] <= due.due:
            status = ReportStatus.reported
        else:
            status = ReportStatus.late
        return Obligation(period, due, status, filed[0] if filed else None)

    def obligations(self, project: KeyProject, through: Period) -> Iterator[Obligation]:
        """Every report the project owes for a period up to `through`, oldest first."""
        for year in sorted({listing.year for listing in project.listings}):
            for period in Period.of_year(year, self.cadence):
                if period > through:
                    return
                found = self.obligation(project, period)
                if found is not None:
                    yield found
