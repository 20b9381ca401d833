"""Counting working days over long spans: whole years come from per-year totals, and the
count equals a day-by-day walk."""

from __future__ import annotations

import random
from datetime import date, timedelta

from application.calendar import ChineseWorkingCalendar


def _walk(calendar: ChineseWorkingCalendar, start: date, end: date) -> int:
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += calendar.is_workday(day)
    return count


def test_counts_over_year_boundaries_equal_a_day_by_day_walk() -> None:
    calendar = ChineseWorkingCalendar()
    pick = random.Random(20251001)
    for _ in range(200):
        start = date(1995, 1, 1) + timedelta(days=pick.randrange(365 * 33))
        end = start + timedelta(days=pick.randrange(365 * 4))
        assert calendar.working_days_between(start, end) == _walk(calendar, start, end)
        assert calendar.working_days_between(end, start) == -_walk(calendar, start, end)


def test_a_span_of_decades_counts_each_whole_year_once() -> None:
    calendar = ChineseWorkingCalendar()
    by_year = sum(_walk(calendar, date(y - 1, 12, 31), date(y, 12, 31))
                  for y in range(1991, 2026))

    assert calendar.working_days_between(date(1990, 12, 31), date(2025, 12, 31)) == by_year
    assert calendar._year_totals.keys() >= set(range(1991, 2025))
