"""Chinese working-day calendar (工作日) for deadlines: official schedules, rule, overrides.

Where each year's days come from, first match wins:

1. the override file, if it has the year (official);
2. the `chinese_calendar` package, which holds the State Council schedules with their 调休
   make-up working days (2004–2026 in 1.11.0) (official);
3. otherwise by rule: Monday–Friday minus the statutory holidays of `holidays.China`
   (lunar festivals included, no make-up days). Such a year is *provisional*, and so is any
   deadline whose count touches it; those are recomputed once the year is configured.

Override file format (JSON; keys starting with "_" are comments and ignored)::

    {
      "2027": {
        "holidays": ["2027-01-01", "2027-02-05", "2027-02-06"],
        "workdays": ["2027-02-07"]
      }
    }

Each key is a year. "holidays" lists days off (休息日; a listed weekend day is harmless, so a
notice's whole span may be copied); "workdays" lists 调休 make-up working days, which must fall
on a Saturday or Sunday. Every date must lie in its year and in at most one list; either list
may be omitted. For an overridden year a day is a working day when it is listed in "workdays",
or is a Monday–Friday not listed in "holidays"; the package's own data for that year is not
used, so an override also corrects it. See application/data/calendar-overrides.example.json.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import chinese_calendar
import holidays
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from domain.calendar import Deadline, WorkingCalendar

_ONE_DAY = timedelta(days=1)
_OVERRIDE_KEYS = frozenset({"holidays", "workdays"})


class _Year(NamedTuple):
    """The exceptions to "Monday–Friday is a working day" in one year."""

    weekdays_off: frozenset[date]
    weekends_worked: frozenset[date]
    official: bool


def _chinese_calendar_version() -> str:
    try:
        return package_version("chinese-calendar")
    except PackageNotFoundError:  # pragma: no cover - vendored copies without metadata
        return str(getattr(chinese_calendar, "__version__", "unknown"))


class ChineseWorkingCalendar:
    """The working-day calendar of mainland China, as WorkingCalendar (domain.calendar)."""

    def __init__(self, overrides_path: Path | None = None) -> None:
        self._overrides: dict[int, _Year] = {}
        version = f"chinese-calendar {_chinese_calendar_version()}"
        if overrides_path is not None:
            raw = Path(overrides_path).read_bytes()
            self._overrides = parse_overrides(raw, source=str(overrides_path))
            version += f"+overrides:{hashlib.sha256(raw).hexdigest()[:8]}"
        self._version = version
        # Filled lazily, one year at a time; a race only computes the same value twice.
        self._years: dict[int, _Year] = dict(self._overrides)
        self._year_totals: dict[int, int] = {}

    @property
    def version(self) -> str:
        return self._version

    def is_official(self, year: int) -> bool:
        return self._year(year).official

    def is_workday(self, day: date) -> bool:
        year = self._year(day.year)
        if day.weekday() < 5:
            return day not in year.weekdays_off
        return day in year.weekends_worked

    def add_working_days(self, start: date, working_days: int) -> Deadline:
        if working_days < 1:
            msg = (f"a deadline needs at least 1 working day, got {working_days} / "
                   "期限至少为1个工作日")
            raise ValueError(msg)
        day, left = start, working_days
        while left:
            day += _ONE_DAY
            if self.is_workday(day):
                left -= 1
        first = start + _ONE_DAY
        provisional = any(not self.is_official(y) for y in range(first.year, day.year + 1))
        return Deadline(start=start, working_days=working_days, due=day,
                        calendar_version=self._version, provisional=provisional)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to `end` included (negative when `end` is earlier).
        Whole years in between count from a per-year total, so a span of decades costs a
        few years' work, not a walk over every day."""
        if end < start:
            return -self.working_days_between(end, start)
        if start.year == end.year:
            return self._count(start, end)
        last_of_first = date(start.year, 12, 31)
        whole = sum(self._workdays_in(y) for y in range(start.year + 1, end.year))
        return (self._count(start, last_of_first) + whole
                + self._count(date(end.year - 1, 12, 31), end))

    def _count(self, start: date, end: date) -> int:
        """Working days in (start, end], both in one year or `start` the eve of it."""
        count, day = 0, start
        while day < end:
            day += _ONE_DAY
            count += self.is_workday(day)
        return count

    def _workdays_in(self, year: int) -> int:
        found = self._year_totals.get(year)
        if found is None:
            found = self._year_totals[year] = self._count(date(year - 1, 12, 31),
                                                          date(year, 12, 31))
        return found

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = _official_year(year) or _year_by_rule(year)
        return found


def _days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def _official_year(year: int) -> _Year | None:
    """The year from chinese_calendar, or None when the package has no data for it."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    days = _days_of(year)
    return _Year(
        weekdays_off=frozenset(d for d in days
                               if d.weekday() < 5 and not chinese_calendar.is_workday(d)),
        weekends_worked=frozenset(d for d in days
                                  if d.weekday() >= 5 and chinese_calendar.is_workday(d)),
        official=True,
    )


def _year_by_rule(year: int) -> _Year:
    """Weekends plus statutory holidays by rule; no 调休 make-up days are known."""
    statutory = holidays.China(years=year)
    return _Year(weekdays_off=frozenset(d for d in statutory if d.weekday() < 5),
                 weekends_worked=frozenset(), official=False)


def parse_overrides(raw: bytes | str, source: str = "overrides") -> dict[int, _Year]:
    """Check an override file's content (format in the module docstring); ValueError if bad."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        msg = f"{source}: not valid JSON: {exc} / 不是有效的JSON"
        raise ValueError(msg) from None
    if not isinstance(data, dict):
        msg = (f"{source}: expected an object keyed by year, got {type(data).__name__} / "
               "日历文件须为按年份分组的对象")
        raise ValueError(msg)
    years: dict[int, _Year] = {}
    for key, entry in data.items():
        if key.startswith("_"):
            continue
        if not (len(key) == 4 and key.isdigit()):
            msg = f"{source}: keys must be years like \"2027\", got {key!r} / 键须为年份"
            raise ValueError(msg)
        years[int(key)] = _parse_year(int(key), entry, f"{source}: {key}")
    return years


def _parse_year(year: int, entry: Any, where: str) -> _Year:
    if not isinstance(entry, dict):
        msg = (f"{where}: expected an object with \"holidays\" and \"workdays\" / "
               "须含节假日和调休工作日")
        raise ValueError(msg)
    unknown = sorted(set(entry) - _OVERRIDE_KEYS)
    if unknown:
        msg = (f"{where}: unknown keys {', '.join(unknown)}; expected holidays, workdays / "
               "含未知字段，只能有holidays和workdays")
        raise ValueError(msg)
    off = _parse_dates(year, entry.get("holidays", []), f"{where}.holidays")
    worked = _parse_dates(year, entry.get("workdays", []), f"{where}.workdays")
    both = sorted(off & worked)
    if both:
        msg = (f"{where}: {', '.join(d.isoformat() for d in both)} listed as holiday and "
               "workday / 同一日期不能既是节假日又是工作日")
        raise ValueError(msg)
    weekdays = sorted(d for d in worked if d.weekday() < 5)
    if weekdays:
        msg = (f"{where}.workdays: {', '.join(d.isoformat() for d in weekdays)} "
               "is not a Saturday or Sunday; list only 调休 make-up days")
        raise ValueError(msg)
    return _Year(weekdays_off=frozenset(d for d in off if d.weekday() < 5),
                 weekends_worked=frozenset(worked), official=True)


def _parse_dates(year: int, values: Any, where: str) -> frozenset[date]:
    if not isinstance(values, list):
        msg = f"{where}: expected a list of ISO dates / 须为日期列表"
        raise ValueError(msg)
    days: set[date] = set()
    for value in values:
        try:
            day = date.fromisoformat(value)
        except (TypeError, ValueError):
            msg = f"{where}: {value!r} is not an ISO date (YYYY-MM-DD) / 日期格式须为YYYY-MM-DD"
            raise ValueError(msg) from None
        if day.year != year:
            msg = f"{where}: {value} is not in {year} / 日期不在{year}年内"
            raise ValueError(msg)
        days.add(day)
    return frozenset(days)


def _at_least_one_day(days: int, info: ValidationInfo) -> int:
    if days < 1:
        msg = (f"{info.field_name} must be a whole number of working days ≥ 1, got {days!r} / "
               "工作日数须为不小于1的整数")
        raise ValueError(msg)
    return days


Days = Annotated[int, AfterValidator(_at_least_one_day)]


class WorkingDays(BaseModel):
    """Working days allowed for each step that runs against a deadline: complaints' 受理
    acceptance, 签收 acknowledgement, 答复 reply and 回访 callback; an enterprise request's
    handling (诉求办理); a project problem's resolution (存在问题) and an instruction's answer
    (批示落实); an agency case's permit item (代办事项). Declared once: `Settings` reads them
    from LEDGER_<KIND>_DAYS and `DeadlinePolicy` applies them."""

    acceptance_days: Days = Field(3, le=60, description="受理: decide within N working days "
                                  "of receipt")
    acknowledge_days: Days = Field(1, le=60, description="签收: acknowledge within N working "
                                   "days of assignment")
    reply_days: Days = Field(15, le=120, description="答复: reply within N working days of "
                             "assignment")
    callback_days: Days = Field(5, le=60, description="回访: call back within N working days "
                                "of the reply")
    request_days: Days = Field(10, le=120, description="诉求: handle an enterprise request "
                               "within N working days of assignment")
    problem_days: Days = Field(20, le=250, description="存在问题: resolve a project problem "
                               "within N working days")
    instruction_days: Days = Field(10, le=120, description="批示: answer an instruction within "
                                   "N working days")
    order_days: Days = Field(10, le=250, description="督办单: a supervision order is due N "
                             "working days after it is issued, unless the office names a date")
    agency_item_days: Days = Field(20, le=250, description="代办事项: an agency case's permit "
                                   "item still open (待办, 已报件 or 未通过) N working days after "
                                   "it was first open joins the supervision view")


DEADLINE_KINDS = tuple(name.removesuffix("_days") for name in WorkingDays.model_fields)


class DeadlinePolicy(WorkingDays):
    """The deadline of each kind of step, counted in working days from its business date.
    Built in code it takes whole numbers only (no strings, no booleans)."""

    model_config = ConfigDict(frozen=True, strict=True)

    def days_for(self, kind: str) -> int:
        if kind not in DEADLINE_KINDS:
            msg = (f"deadline kind must be one of {', '.join(DEADLINE_KINDS)}, got {kind!r} / "
                   "期限类别不在所列取值之中")
            raise ValueError(msg)
        days: int = getattr(self, f"{kind}_days")
        return days

    def deadline(self, kind: str, start: date, calendar: WorkingCalendar) -> Deadline:
        """The `kind` deadline counted from `start` (the step's business date)."""
        return calendar.add_working_days(start, self.days_for(kind))


def latest_start(calendar: WorkingCalendar, end: date, working_days: int) -> date:
    """The latest day from which at least `working_days` working days have passed by `end`
    (`calendar.working_days_between(day, end) >= working_days`): something started on or
    before it has been open that long."""
    day, counted = end, 0
    while counted < working_days:
        counted += calendar.is_workday(day)
        day -= _ONE_DAY
    return day
