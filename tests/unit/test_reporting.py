"""信息报送 rules (domain/reporting.py) on the official calendar: periods and their due dates
across National Day 2025 (1–8 October off, 28 September and 11 October worked) and the year
boundary, which period a report answers, what a key project owes, and where each stands."""

from __future__ import annotations

from datetime import date

import pytest

from application.calendar import ChineseWorkingCalendar
from domain.reporting import (
    Cadence,
    KeyProject,
    Listing,
    Period,
    Report,
    ReportStatus,
    Schedule,
)

CALENDAR = ChineseWorkingCalendar()
MONTHLY = Schedule(Cadence.month, 5, CALENDAR)
QUARTERLY = Schedule(Cadence.quarter, 5, CALENDAR)
M, Q = Cadence.month, Cadence.quarter


def project(*listings: Listing, reports: tuple[Report, ...] = (),
            registered_on: date = date(2023, 6, 1), terminated_on: date | None = None
            ) -> KeyProject:
    return KeyProject(id="p", name="重点项目", unit="liudong", registered_on=registered_on,
                      terminated_on=terminated_on, listings=listings, reports=reports)


@pytest.mark.parametrize(("schedule", "period", "due"), [
    (MONTHLY, Period(2025, 8, M), date(2025, 9, 5)),  # 1–5 September, Monday to Friday
    # National Day: 9, 10, 11 (Saturday, 调休 worked), 13, 14 October.
    (MONTHLY, Period(2025, 9, M), date(2025, 10, 14)),
    (MONTHLY, Period(2025, 10, M), date(2025, 11, 7)),
    # New Year 2026: 1–3 January off, Sunday 4 January worked: 4, 5, 6, 7, 8.
    (MONTHLY, Period(2025, 12, M), date(2026, 1, 8)),
    (QUARTERLY, Period(2025, 3, Q), date(2025, 10, 14)),
    (QUARTERLY, Period(2025, 4, Q), date(2026, 1, 8)),
], ids=["august", "september-over-national-day", "october", "december-over-new-year",
        "q3-over-national-day", "q4-over-new-year"])
def test_a_period_is_due_on_the_fifth_working_day_of_the_next(
        schedule: Schedule, period: Period, due: date) -> None:
    assert schedule.due(period).due == due
    assert not schedule.due(period).provisional


def test_the_due_working_day_is_a_setting() -> None:
    assert Schedule(Cadence.month, 1, CALENDAR).due(Period(2025, 9, M)).due == date(2025, 10, 9)


def test_periods_have_codes_bounds_and_neighbours_across_the_year() -> None:
    december, q4 = Period(2025, 12, M), Period(2025, 4, Q)
    assert (december.code, december.start, december.end) == (
        "2025-12", date(2025, 12, 1), date(2025, 12, 31))
    assert (december.next.code, december.next.previous) == ("2026-01", december)
    assert (q4.code, q4.start, q4.end, q4.next.code) == (
        "2025-Q4", date(2025, 10, 1), date(2025, 12, 31), "2026-Q1")
    assert Period.containing(date(2025, 8, 31), Q).code == "2025-Q3"
    assert [Period.parse(c, M) for c in ("2025-09", "2025-Q3", "2025", "2025-W27")] == [
        Period(2025, 9, M), None, None, None]
    assert Period.parse("2025-Q3", Q) == Period(2025, 3, Q)


def test_the_period_being_reported_on_is_the_last_one_that_ended() -> None:
    assert MONTHLY.current(date(2025, 10, 3)).code == "2025-09"
    assert MONTHLY.current(date(2026, 1, 5)).code == "2025-12"
    assert QUARTERLY.current(date(2025, 11, 20)).code == "2025-Q3"


@pytest.mark.parametrize(("report", "answers"), [
    (Report("2025-09", date(2025, 9, 20)), "2025-09"),  # named, filed within it
    (Report("2025-09", date(2025, 10, 20)), "2025-09"),  # named, filed late
    # Named by a period of no use to the cadence: the date decides, and the first days of
    # October (up to September's due date, 14 October after the holiday) answer September.
    (Report("2025", date(2025, 10, 14)), "2025-09"),
    (Report("2025-Q3", date(2025, 10, 15)), "2025-10"),
    (Report("2025-W40", date(2025, 9, 29)), "2025-09"),
    (Report("2025-11", date(2025, 10, 9)), "2025-09"),  # a period not yet begun
    (Report("2025", date(2026, 1, 8)), "2025-12"),  # across the year, up to 8 January
    (Report("2025", date(2026, 1, 9)), "2026-01"),
], ids=["named", "named-late", "first-days-answer-the-month-before", "after-the-due-date",
        "week", "not-yet-begun", "new-year-due-date", "after-new-year-due-date"])
def test_which_period_a_monthly_report_answers(report: Report, answers: str) -> None:
    assert MONTHLY.answered(report).code == answers


def test_which_period_a_quarterly_report_answers() -> None:
    assert QUARTERLY.answered(Report("2025-Q3", date(2025, 11, 2))).code == "2025-Q3"
    assert QUARTERLY.answered(Report("2025-09", date(2025, 10, 10))).code == "2025-Q3"
    assert QUARTERLY.answered(Report("2025-09", date(2025, 10, 15))).code == "2025-Q4"


def owed(schedule: Schedule, p: KeyProject, through: str) -> list[str]:
    period = Period.parse(through, schedule.cadence)
    assert period is not None
    return [o.period.code for o in schedule.obligations(p, period)]


def test_a_project_owes_from_the_period_it_was_designated_in() -> None:
    listed = project(Listing(2025, date(2025, 8, 20)))
    assert owed(MONTHLY, listed, "2025-12") == ["2025-08", "2025-09", "2025-10", "2025-11",
                                               "2025-12"]
    assert owed(QUARTERLY, listed, "2025-Q4") == ["2025-Q3", "2025-Q4"]


def test_a_designation_before_or_after_its_year_covers_the_whole_year() -> None:
    ahead = project(Listing(2025, date(2024, 12, 20)))
    late = project(Listing(2024, date(2025, 11, 3)))  # 补录 of last year's list
    assert owed(MONTHLY, ahead, "2025-03") == ["2025-01", "2025-02", "2025-03"]
    assert len(owed(MONTHLY, late, "2025-10")) == 12
    assert owed(QUARTERLY, late, "2025-Q3") == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]


def test_nothing_is_owed_before_registration_or_after_dropping_or_termination() -> None:
    registered = project(Listing(2025, date(2024, 12, 1)), registered_on=date(2025, 3, 15))
    dropped = project(Listing(2025, date(2025, 1, 2), dropped_on=date(2025, 5, 10)))
    ended = project(Listing(2025, date(2025, 1, 2)), terminated_on=date(2025, 3, 31))
    assert owed(MONTHLY, registered, "2025-05")[0] == "2025-03"
    assert owed(MONTHLY, dropped, "2025-12") == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert owed(MONTHLY, ended, "2025-12") == ["2025-01", "2025-02"]


def test_a_period_is_reported_late_or_missing() -> None:
    listed = project(Listing(2025, date(2025, 1, 2)), reports=(
        Report("2025-07", date(2025, 8, 7)),  # July, by 7 August: on time
        Report("2025", date(2025, 9, 3)),  # early September: August's, by 5 September
        Report("2025-09", date(2025, 10, 15)),  # the day after September's due date
    ))
    standing = {o.period.code: (o.status, o.filed_on)
                for o in MONTHLY.obligations(listed, Period(2025, 10, M))}
    assert standing["2025-07"] == (ReportStatus.reported, date(2025, 8, 7))
    assert standing["2025-08"] == (ReportStatus.reported, date(2025, 9, 3))
    assert standing["2025-09"] == (ReportStatus.late, date(2025, 10, 15))
    assert standing["2025-10"] == (ReportStatus.missing, None)
    assert standing["2025-06"] == (ReportStatus.missing, None)
    assert ReportStatus.late.label == "逾期报送"


def test_a_period_owed_by_no_listing_has_no_obligation() -> None:
    listed = project(Listing(2025, date(2025, 1, 2)))
    assert MONTHLY.obligation(listed, Period(2024, 12, M)) is None
    assert MONTHLY.obligation(listed, Period(2026, 1, M)) is None
