"""Working-day calendar (工作日): official schedules, rule-based years, override files."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import chinese_calendar
import holidays
import pytest

from application.calendar import ChineseWorkingCalendar, DeadlinePolicy, parse_overrides
from domain.calendar import Deadline, WorkingCalendar

EXAMPLE = Path(__file__).parents[2] / "application" / "data" / "calendar-overrides.example.json"
PACKAGE_VERSION = "chinese-calendar 1.11.0"

# A made-up 2027 Spring Festival: Feb 5–12 off, Saturday Feb 13 worked (调休).
OVERRIDE_2027 = {
    "_comment": "test schedule, not the official one",
    "2027": {
        "holidays": [f"2027-02-{d:02d}" for d in range(5, 13)],
        "workdays": ["2027-02-13"],
    },
}


@pytest.fixture
def calendar() -> ChineseWorkingCalendar:
    return ChineseWorkingCalendar()


def write(tmp_path: Path, content: Any, name: str = "overrides.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content),
                    encoding="utf-8")
    return path


def test_the_calendar_satisfies_the_domain_protocol(calendar: ChineseWorkingCalendar) -> None:
    as_protocol: WorkingCalendar = calendar
    assert as_protocol.version == PACKAGE_VERSION


# --- official years ---------------------------------------------------------------------


def test_a_deadline_across_national_day_2025_skips_the_holiday_and_counts_make_up_days(
    calendar: ChineseWorkingCalendar,
) -> None:
    # The package's own data, checked before relying on it: Sun 9-28 and Sat 10-11 are
    # 调休 working days, Oct 1–8 are off.
    assert chinese_calendar.is_workday(date(2025, 9, 28))
    assert chinese_calendar.is_workday(date(2025, 10, 11))
    assert not any(chinese_calendar.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert not chinese_calendar.is_workday(date(2025, 9, 27))

    # Friday 9-26 + 6: Sun 9-28, 9-29, 9-30, [Oct 1–8 off], 10-9, 10-10, Sat 10-11.
    deadline = calendar.add_working_days(date(2025, 9, 26), 6)
    assert deadline == Deadline(start=date(2025, 9, 26), working_days=6, due=date(2025, 10, 11),
                                calendar_version=PACKAGE_VERSION, provisional=False)
    assert calendar.add_working_days(date(2025, 9, 26), 1).due == date(2025, 9, 28)
    assert calendar.add_working_days(date(2025, 9, 30), 1).due == date(2025, 10, 9)
    assert calendar.add_working_days(date(2025, 9, 30), 15).due == date(2025, 10, 28)


def test_a_deadline_across_spring_festival_2026_skips_the_holiday(
    calendar: ChineseWorkingCalendar,
) -> None:
    assert chinese_calendar.is_workday(date(2026, 2, 14))  # Saturday, 调休
    assert not any(chinese_calendar.is_workday(date(2026, 2, d)) for d in range(15, 24))
    # Thursday 2-12 + 3: 2-13, Sat 2-14, [Feb 15–23 off], 2-24.
    deadline = calendar.add_working_days(date(2026, 2, 12), 3)
    assert deadline.due == date(2026, 2, 24)
    assert deadline.provisional is False
    assert calendar.is_workday(date(2026, 2, 14))
    assert not calendar.is_workday(date(2026, 2, 16))


def test_a_plain_week_counts_monday_to_friday(calendar: ChineseWorkingCalendar) -> None:
    # Friday 2026-03-06 + 3: Mon 3-9, Tue 3-10, Wed 3-11.
    assert calendar.add_working_days(date(2026, 3, 6), 3).due == date(2026, 3, 11)


def test_years_with_package_data_are_official(calendar: ChineseWorkingCalendar) -> None:
    assert calendar.is_official(2004)
    assert calendar.is_official(2026)
    assert not calendar.is_official(2003)
    assert not calendar.is_official(2027)


# --- a year without official data -------------------------------------------------------


def test_a_deadline_in_2027_is_provisional_and_skips_rule_based_holidays(
    calendar: ChineseWorkingCalendar,
) -> None:
    spring = [d for d, name in holidays.China(years=2027).items() if "Spring Festival" in name
              or "New Year's Eve" in name]
    assert min(spring) == date(2027, 2, 5)
    assert max(spring) == date(2027, 2, 10)
    # Wednesday 2-3 + 3: Thu 2-4, [Fri 2-5, weekend, Mon–Wed 2-8..10 off], Thu 2-11, Fri 2-12.
    deadline = calendar.add_working_days(date(2027, 2, 3), 3)
    assert deadline.due == date(2027, 2, 12)
    assert deadline.provisional is True
    assert deadline.calendar_version == PACKAGE_VERSION


def test_rule_based_years_know_no_make_up_saturdays(calendar: ChineseWorkingCalendar) -> None:
    saturdays = [date(2027, 2, 6), date(2027, 2, 13), date(2027, 10, 9)]
    assert not any(calendar.is_workday(d) for d in saturdays)
    assert calendar.is_workday(date(2027, 2, 11))
    assert not calendar.is_workday(date(2027, 10, 1))


def test_a_deadline_that_runs_into_2027_is_provisional(calendar: ChineseWorkingCalendar) -> None:
    crossing = calendar.add_working_days(date(2026, 12, 28), 5)
    assert crossing.due.year == 2027
    assert crossing.provisional is True
    within = calendar.add_working_days(date(2026, 12, 1), 3)
    assert within.provisional is False


def test_a_deadline_counted_from_new_years_eve_touches_only_the_next_year(
    calendar: ChineseWorkingCalendar,
) -> None:
    # The start day is not counted: from 2026-12-31 only 2027 days are examined.
    assert calendar.add_working_days(date(2025, 12, 31), 1).provisional is False
    assert calendar.add_working_days(date(2003, 12, 31), 1).provisional is False
    assert calendar.add_working_days(date(2026, 12, 31), 1).provisional is True


# --- override file ----------------------------------------------------------------------


def test_an_override_makes_2027_official_and_changes_the_deadline(
    calendar: ChineseWorkingCalendar, tmp_path: Path
) -> None:
    path = write(tmp_path, OVERRIDE_2027)
    overridden = ChineseWorkingCalendar(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    assert overridden.version == f"{PACKAGE_VERSION}+overrides:{digest}"
    assert overridden.version != calendar.version
    assert overridden.is_official(2027)
    assert not overridden.is_official(2028)

    provisional = calendar.add_working_days(date(2027, 2, 3), 3)
    official = overridden.add_working_days(date(2027, 2, 3), 3)
    # Thu 2-4, [Feb 5–12 off], Sat 2-13 (调休), Mon 2-15.
    assert official == Deadline(start=date(2027, 2, 3), working_days=3, due=date(2027, 2, 15),
                                calendar_version=overridden.version, provisional=False)
    assert official.due != provisional.due
    assert overridden.is_workday(date(2027, 2, 13))
    assert not overridden.is_workday(date(2027, 2, 11))


def test_an_override_year_is_defined_by_the_file_alone(tmp_path: Path) -> None:
    # Rule-based Labour Day (May 3–4 2027) is not off unless the file says so.
    overridden = ChineseWorkingCalendar(write(tmp_path, OVERRIDE_2027))
    assert overridden.is_workday(date(2027, 5, 3))
    assert not ChineseWorkingCalendar().is_workday(date(2027, 5, 3))


def test_an_override_replaces_the_package_data_of_an_official_year(tmp_path: Path) -> None:
    content = {"2026": {"holidays": ["2026-03-09"], "workdays": ["2026-03-07"]}}
    overridden = ChineseWorkingCalendar(write(tmp_path, content))
    assert overridden.is_workday(date(2026, 3, 7))
    assert not overridden.is_workday(date(2026, 3, 9))
    # National Day 2026 is no longer off: the file defines the whole year.
    assert overridden.is_workday(date(2026, 10, 2))


def test_the_version_digest_follows_the_file_content(tmp_path: Path) -> None:
    first = ChineseWorkingCalendar(write(tmp_path, OVERRIDE_2027, "a.json"))
    same = ChineseWorkingCalendar(write(tmp_path, OVERRIDE_2027, "b.json"))
    changed = dict(OVERRIDE_2027, _comment="revised")
    other = ChineseWorkingCalendar(write(tmp_path, changed, "c.json"))
    assert first.version == same.version
    assert first.version != other.version


def test_the_example_override_file_is_valid() -> None:
    example = ChineseWorkingCalendar(EXAMPLE)
    assert example.is_official(2027)
    assert example.version.startswith(f"{PACKAGE_VERSION}+overrides:")
    assert example.is_workday(date(2027, 2, 20))  # a Saturday make-up day in the example


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ([], "expected an object keyed by year"),
        ({"27": {}}, "keys must be years"),
        ({"2027": []}, "expected an object with"),
        ({"2027": {"holiday": []}}, "unknown keys holiday"),
        ({"2027": {"holidays": "2027-01-01"}}, "expected a list of ISO dates"),
        ({"2027": {"holidays": ["2027-13-01"]}}, "is not an ISO date"),
        ({"2027": {"holidays": ["2028-01-01"]}}, "2028-01-01 is not in 2027"),
        ({"2027": {"workdays": ["2027-02-08"]}}, "is not a Saturday or Sunday"),
        ({"2027": {"holidays": ["2027-02-13"], "workdays": ["2027-02-13"]}},
         "listed as holiday and workday"),
    ],
)
def test_a_malformed_override_file_is_refused(
    tmp_path: Path, content: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        ChineseWorkingCalendar(write(tmp_path, content))


def test_override_lists_may_be_omitted() -> None:
    years = parse_overrides('{"2027": {"workdays": ["2027-02-13"]}}')
    assert set(years) == {2027}
    assert years[2027].weekends_worked == frozenset({date(2027, 2, 13)})
    assert years[2027].weekdays_off == frozenset()


# --- counting ---------------------------------------------------------------------------


def test_working_days_between_counts_the_end_but_not_the_start(
    calendar: ChineseWorkingCalendar,
) -> None:
    assert calendar.working_days_between(date(2025, 9, 26), date(2025, 10, 11)) == 6
    assert calendar.working_days_between(date(2025, 10, 11), date(2025, 9, 26)) == -6
    assert calendar.working_days_between(date(2025, 10, 3), date(2025, 10, 3)) == 0
    assert calendar.working_days_between(date(2025, 10, 1), date(2025, 10, 8)) == 0
    assert calendar.working_days_between(date(2026, 3, 6), date(2026, 3, 9)) == 1


@pytest.mark.parametrize("start", [date(2025, 9, 26), date(2026, 2, 12), date(2026, 12, 20)])
@pytest.mark.parametrize("days", [1, 3, 15])
def test_counting_back_a_deadline_gives_its_working_days(
    calendar: ChineseWorkingCalendar, start: date, days: int
) -> None:
    deadline = calendar.add_working_days(start, days)
    assert calendar.working_days_between(start, deadline.due) == days
    assert calendar.is_workday(deadline.due)


@pytest.mark.parametrize("days", [0, -1])
def test_a_deadline_of_less_than_one_working_day_is_refused(
    calendar: ChineseWorkingCalendar, days: int
) -> None:
    with pytest.raises(ValueError, match=f"at least 1 working day, got {days}"):
        calendar.add_working_days(date(2026, 3, 6), days)


def test_each_year_is_looked_up_once_then_cached(
    calendar: ChineseWorkingCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[date] = []
    real = chinese_calendar.is_workday

    def counting(day: date) -> bool:
        calls.append(day)
        return bool(real(day))

    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    deadline = calendar.add_working_days(date(2024, 1, 1), 480)
    assert deadline.due.year == 2025
    first = len(calls)
    assert first <= 2 * 367  # a probe and one pass per year, not one query per count
    assert calendar.working_days_between(date(2024, 1, 1), deadline.due) == 480
    calendar.add_working_days(date(2024, 6, 1), 200)
    assert len(calls) == first


# --- policy -----------------------------------------------------------------------------


def test_the_deadline_policy_defaults_to_3_15_and_5_working_days(
    calendar: ChineseWorkingCalendar,
) -> None:
    policy = DeadlinePolicy()
    assert (policy.acceptance_days, policy.reply_days, policy.callback_days) == (3, 15, 5)
    assert policy.deadline("reply", date(2026, 3, 6), calendar).working_days == 15
    assert policy.deadline("acceptance", date(2026, 3, 6), calendar).due == date(2026, 3, 11)


def test_the_deadline_policy_is_configurable() -> None:
    policy = DeadlinePolicy(acceptance_days=1, reply_days=10, callback_days=2)
    assert [policy.days_for(k) for k in ("acceptance", "reply", "callback")] == [1, 10, 2]


@pytest.mark.parametrize("field", ["acceptance_days", "reply_days", "callback_days"])
def test_the_deadline_policy_refuses_fewer_than_one_day(field: str) -> None:
    with pytest.raises(ValueError, match=f"{field.split('_')[0]}_days must be a whole number"):
        DeadlinePolicy(**{field: 0})


def test_the_deadline_policy_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="deadline kind must be one of"):
        DeadlinePolicy().days_for("close")
