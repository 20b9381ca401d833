"""Complaint deadlines in working days, counted with chinese_calendar across the 2025 National
Day holiday and its make-up working days (调休)."""

from __future__ import annotations

from datetime import date

import chinese_calendar

from tests.e2e.complaints import (
    ACCEPTANCE_DAYS,
    ASSIGNED_ON,
    RECEIVED_ON,
    REPLY_DAYS,
    ComplaintApi,
    working_days_after,
)


def test_the_acceptance_deadline_counts_the_tiaoxiu_sunday_before_national_day(
    complaints: ComplaintApi,
) -> None:
    received = date.fromisoformat(RECEIVED_ON)
    assert received.weekday() == 4  # a Friday
    tiaoxiu = date(2025, 9, 28)
    assert tiaoxiu.weekday() == 6 and chinese_calendar.is_workday(tiaoxiu)
    expected = working_days_after(received, ACCEPTANCE_DAYS)
    assert expected == date(2025, 9, 30)  # by hand: Sun 28 (调休), Mon 29, Tue 30

    filed = complaints.create(received_on=RECEIVED_ON)

    deadline = filed["acceptance_deadline"]
    assert deadline["due"] == expected.isoformat()
    assert (deadline["start"], deadline["working_days"]) == (RECEIVED_ON, ACCEPTANCE_DAYS)
    assert deadline["provisional"] is False
    assert filed["open_deadlines"] == [{"kind": "acceptance", **deadline}]


def test_the_reply_deadline_spans_national_day_and_the_tiaoxiu_saturday(
    complaints: ComplaintApi,
) -> None:
    assigned_on = date.fromisoformat(ASSIGNED_ON)
    assert not any(chinese_calendar.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert date(2025, 10, 11).weekday() == 5 and chinese_calendar.is_workday(date(2025, 10, 11))
    expected = working_days_after(assigned_on, REPLY_DAYS)
    # By hand: Sep 30; Oct 9, 10, 11 (调休 Saturday); Oct 13-17; Oct 20-24; Oct 27.
    assert expected == date(2025, 10, 27)

    assigned = complaints.given("assigned")

    deadline = assigned["reply_deadline"]
    assert (deadline["start"], deadline["working_days"]) == (ASSIGNED_ON, REPLY_DAYS)
    assert deadline["due"] == expected.isoformat()
    assert deadline["provisional"] is False
    assert deadline["calendar_version"] == assigned["acceptance_deadline"]["calendar_version"]
    # The history also says whether a person named the due date (never, for a reply).
    recorded = complaints.history(assigned["id"])[2]["data"]["reply_deadline"]
    assert recorded == {**deadline, "named": False}
