"""协调推进会: a coordination meeting and its decisions (议定事项), tracked to done.

Bureau staff or a leader record a meeting: its date, title, chair (a name, as the minutes
give it), the units that took part and the projects it discussed. Its decisions are action
items, each for one unit with a task and a due date. The unit marks its own item done,
saying what was done; the supervision office may reopen an item it finds not done, saying
why (and, if it likes, with a new due date). Every step carries a business date (`on`) not
before the meeting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidValue, RuleViolation
from domain.shared import (
    MAX_NAME,
    Audit,
    Labelled,
    distinct_texts,
    optional_text,
    require_day,
    require_not_before,
    require_text,
)

MAX_UNITS = 50
MAX_PROJECTS = 50


class ItemStatus(Labelled):
    """Where an action item (议定事项) stands."""

    open = "open", "办理中"
    done = "done", "已完成"


def check_projects(projects: Sequence[UUID] | None) -> list[UUID]:
    """The projects a meeting discussed: distinct project ids, in given order."""
    if projects is None:
        return []
    if isinstance(projects, (str, bytes)) or len(projects) > MAX_PROJECTS:
        msg = (f"projects must be a list of at most {MAX_PROJECTS} project ids"
               f" / 议题项目须为不超过{MAX_PROJECTS}个项目编号的列表")
        raise InvalidValue(msg)
    checked: list[UUID] = []
    for project in projects:
        if not isinstance(project, UUID):
            msg = f"projects: {project!r} is not a project id / 项目编号格式有误"
            raise InvalidValue(msg)
        if project in checked:
            msg = f"projects: project {project} is listed twice / 项目重复"
            raise InvalidValue(msg)
        checked.append(project)
    return checked


def _after_meeting(due: object, held_on: date) -> date:
    day = require_day(due, "due")
    if day <= held_on:
        msg = (f"due {day.isoformat()} must be after the meeting on {held_on.isoformat()}"
               f" / 办理期限须晚于会议日期")
        raise InvalidValue(msg)
    return day


@dataclass(frozen=True)
class MeetingFacts:
    """The meeting and who took part: its Recorded event stores these fields and its state
    shows them (declared once for both)."""

    held_on: date
    title: str
    chair: str
    units: list[str]
    projects: list[UUID]
    notes: str | None


class Meeting(Aggregate):
    """协调推进会: one meeting, its minutes and its action items."""

    class Recorded(Aggregate.Created, MeetingFacts):
        """记录会议: the meeting and who took part."""

        audit: Audit

    @event(Recorded)
    def __init__(self, held_on: date, title: str, chair: str, units: list[str],
                 projects: list[UUID], notes: str | None, audit: Audit) -> None:
        self.held_on = held_on
        self.title = title
        self.chair = chair
        self.units = list(units)
        self.projects = list(projects)
        self.notes = notes
        self.recorded_by = {"id": audit.actor_id, "name": audit.actor_name,
                            "role": audit.role, "unit": audit.unit}
        self.items: list[dict[str, Any]] = []

    @classmethod
    def record(cls, held_on: date, title: str, chair: str, units: Sequence[str],
               projects: Sequence[UUID] | None, notes: str | None, audit: Audit) -> Meeting:
        """Record a meeting held on `held_on` with the units and projects named."""
        attending = distinct_texts(units, "units", item="unit", kind="unit codes",
                                   most=MAX_UNITS, limit=40)
        if not attending:
            msg = "units: name at least one unit that took part / 须填写至少一个参会单位"
            raise InvalidValue(msg)
        return cls(held_on=require_day(held_on, "date"),
                   title=require_text(title, "title", limit=MAX_NAME),
                   chair=require_text(chair, "chair", limit=60), units=attending,
                   projects=check_projects(projects), notes=optional_text(notes, "notes"),
                   audit=audit)

    # --- derived state ------------------------------------------------------------------

    @property
    def involved_units(self) -> set[str]:
        """The units that took part and those with an action item."""
        return {*self.units, *(item["unit"] for item in self.items)}

    def item(self, number: int) -> dict[str, Any]:
        """Action item `number` (from 1); RuleViolation naming how many there are."""
        if isinstance(number, bool) or not isinstance(number, int) \
                or not 1 <= number <= len(self.items):
            msg = (f"the meeting has no action item #{number}; it has {len(self.items)}"
                   f" / 会议无第{number}项议定事项")
            raise RuleViolation(msg)
        return self.items[number - 1]

    def open_items(self) -> list[dict[str, Any]]:
        return [item for item in self.items if item["status"] == ItemStatus.open]

    @staticmethod
    def is_overdue(item: dict[str, Any], today: date) -> bool:
        """超期: the action item is still open and its due date has passed."""
        return item["status"] == ItemStatus.open and item["due"] < today

    def allowed_steps(self) -> list[str]:
        """The steps the meeting takes now, named as its API paths."""
        statuses = {item["status"] for item in self.items}
        return ["items", *(["items/done"] if ItemStatus.open in statuses else []),
                *(["items/reopen"] if ItemStatus.done in statuses else [])]

    # --- decisions ----------------------------------------------------------------------

    def add_item(self, unit: str, task: str, due: date, on: date, audit: Audit) -> int:
        """议定事项: a decision for one unit, due after the meeting; the item's number."""
        unit = require_text(unit, "unit", limit=40)
        task = require_text(task, "task")
        day = _after_meeting(due, self.held_on)
        require_not_before(on, self.held_on, "date recorded", "meeting date")
        number = len(self.items) + 1
        self._item_added(number=number, unit=unit, task=task, due=day, on=on, audit=audit)
        return number

    class ItemAdded(Aggregate.Event):
        """议定事项: a decision for one unit, with its due date."""

        number: int
        unit: str
        task: str
        due: date
        on: date
        audit: Audit

    @event(ItemAdded)
    def _item_added(self, number: int, unit: str, task: str, due: date, on: date,
                    audit: Audit) -> None:
        self.items.append({"number": number, "unit": unit, "task": task, "due": due,
                           "added_on": on, "status": ItemStatus.open.value, "done_on": None,
                           "result": None, "reopened": 0, "reopen_reason": None,
                           "last_step_on": on})

    def mark_done(self, number: int, text: str, by_unit: str, on: date, audit: Audit) -> None:
        """完成: the item's unit says what was done."""
        item = self.item(number)
        if item["status"] != ItemStatus.open:
            msg = (f"action item #{number} is already done (已完成, {item['done_on']}); "
                   f"the supervision office may reopen it / 该议定事项已完成")
            raise RuleViolation(msg)
        if by_unit != item["unit"]:
            msg = (f"action item #{number} is {item['unit']}'s; {by_unit} cannot mark it done"
                   f" / 只能由承办单位办结本单位的议定事项")
            raise RuleViolation(msg)
        text = require_text(text, "text")
        require_not_before(on, item["last_step_on"], "completion date", "previous step's date")
        self._item_done(number=number, text=text, on=on, audit=audit)

    class ItemDone(Aggregate.Event):
        """完成: the unit reports its action item done."""

        number: int
        text: str
        on: date
        audit: Audit

    @event(ItemDone)
    def _item_done(self, number: int, text: str, on: date, audit: Audit) -> None:
        self.items[number - 1].update(status=ItemStatus.done.value, done_on=on, result=text,
                                      last_step_on=on)

    def reopen_item(self, number: int, reason: str, due: date | None, on: date,
                    audit: Audit) -> None:
        """重新办理: the supervision office finds a done item not done; due again at `due`
        (after `on`), or at its old due date."""
        item = self.item(number)
        if item["status"] != ItemStatus.done:
            msg = (f"action item #{number} is still open (办理中); only a done item can be "
                   f"reopened / 该议定事项尚未完成，无需重新办理")
            raise RuleViolation(msg)
        reason = require_text(reason, "reason")
        require_not_before(on, item["last_step_on"], "reopening date",
                           "previous step's date")
        day = item["due"] if due is None else require_day(due, "due")
        if due is not None and day <= on:
            msg = (f"due {day.isoformat()} must be after the reopening date {on.isoformat()}"
                   f" / 新的办理期限须晚于重新办理日期")
            raise InvalidValue(msg)
        self._item_reopened(number=number, reason=reason, unit=item["unit"], task=item["task"],
                            due=day, on=on, audit=audit)

    class ItemReopened(Aggregate.Event):
        """重新办理: a done item is open again. It carries the item's unit, task and due
        date, so read models that let the item go when it was done can bring it back."""

        number: int
        reason: str
        unit: str
        task: str
        due: date
        on: date
        audit: Audit

    @event(ItemReopened)
    def _item_reopened(self, number: int, reason: str, unit: str, task: str, due: date,
                       on: date, audit: Audit) -> None:
        item = self.items[number - 1]
        item.update(status=ItemStatus.open.value, done_on=None, result=None, due=due,
                    reopened=item["reopened"] + 1, reopen_reason=reason, last_step_on=on)


EVENT_LABELS = {
    "Recorded": "记录协调推进会",
    "ItemAdded": "议定事项",
    "ItemDone": "议定事项完成",
    "ItemReopened": "议定事项重新办理",
}
