"""Coordination meetings (协调推进会): the minutes, decisions (议定事项) as numbered action
items of units, marked done by their unit, reopened by the supervision office."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.meeting import ItemStatus, Meeting
from domain.shared import Audit

HELD_ON = date(2025, 9, 20)
PROJECT = uuid4()


def record(audit: Audit, **overrides: Any) -> Meeting:
    fields: dict[str, Any] = {"held_on": HELD_ON, "title": " 新能源项目协调推进会 ",
                              "chair": "覃市长", "units": ["liudong", "zrzyj"],
                              "projects": [PROJECT], "notes": "研究用地、用电问题"}
    fields.update(overrides)
    return Meeting.record(audit=audit, **fields)


@pytest.fixture
def meeting(audit: Audit) -> Meeting:
    m = record(audit)
    m.add_item("zrzyj", "10月底前完成用地报批", date(2025, 10, 31), HELD_ON, audit)
    m.add_item("liudong", "协调电力接入", date(2025, 10, 15), date(2025, 9, 22), audit)
    return m


def test_a_meeting_records_its_minutes_and_who_recorded_it(make_audit: Any) -> None:
    leader = make_audit(actor_id="l1", actor_name="覃市长", role="leader")
    m = record(leader)
    assert (m.held_on, m.title, m.chair) == (HELD_ON, "新能源项目协调推进会", "覃市长")
    assert (m.units, m.projects, m.notes) == (["liudong", "zrzyj"], [PROJECT], "研究用地、用电问题")
    assert m.recorded_by == {"id": "l1", "name": "覃市长", "role": "leader", "unit": None}
    assert (m.items, m.allowed_steps()) == ([], ["items"])


@pytest.mark.parametrize(("fields", "message"), [
    ({"units": []}, "name at least one unit"),
    ({"units": ["liudong", "liudong"]}, "unit liudong is listed twice"),
    ({"projects": [PROJECT, PROJECT]}, "is listed twice"),
    ({"projects": ["not-an-id"]}, "is not a project id"),
    ({"title": " "}, "title must not be empty"),
    ({"chair": ""}, "chair must not be empty"),
])
def test_a_meeting_with_bad_minutes_is_refused(
        audit: Audit, fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        record(audit, **fields)


def test_decisions_are_numbered_action_items_of_units(meeting: Meeting) -> None:
    assert [(i["number"], i["unit"], i["due"], i["status"]) for i in meeting.items] == [
        (1, "zrzyj", date(2025, 10, 31), "open"), (2, "liudong", date(2025, 10, 15), "open")]
    assert meeting.involved_units == {"liudong", "zrzyj"}
    assert ItemStatus.open.label == "办理中"
    assert meeting.allowed_steps() == ["items", "items/done"]


def test_an_item_may_go_to_a_unit_that_did_not_attend(meeting: Meeting, audit: Audit) -> None:
    assert meeting.add_item("gdj", "保障供电", date(2025, 10, 31), HELD_ON, audit) == 3
    assert meeting.involved_units == {"liudong", "zrzyj", "gdj"}


def test_an_item_is_due_after_the_meeting_and_recorded_no_earlier(
        meeting: Meeting, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match=re.escape(
            "due 2025-09-20 must be after the meeting on 2025-09-20")):
        meeting.add_item("liudong", "任务", HELD_ON, HELD_ON, audit)
    with pytest.raises(RuleViolation, match="date recorded 2025-09-19 is before meeting date"):
        meeting.add_item("liudong", "任务", date(2025, 10, 1), date(2025, 9, 19), audit)


def test_the_items_unit_marks_it_done(meeting: Meeting, audit: Audit) -> None:
    meeting.mark_done(2, "电力已接入", "liudong", date(2025, 10, 14), audit)
    item = meeting.item(2)
    assert (item["status"], item["done_on"], item["result"]) == (
        "done", date(2025, 10, 14), "电力已接入")
    assert [i["number"] for i in meeting.open_items()] == [1]
    assert meeting.allowed_steps() == ["items", "items/done", "items/reopen"]
    with pytest.raises(RuleViolation, match="already done"):
        meeting.mark_done(2, "再次", "liudong", date(2025, 10, 15), audit)


def test_another_unit_cannot_mark_an_item_done(meeting: Meeting, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="action item #1 is zrzyj's; liudong cannot"):
        meeting.mark_done(1, "已报批", "liudong", date(2025, 10, 14), audit)


def test_an_unknown_item_is_refused_naming_how_many_there_are(
        meeting: Meeting, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="no action item #3; it has 2"):
        meeting.mark_done(3, "x", "liudong", date(2025, 10, 14), audit)


def test_a_done_item_is_reopened_with_a_reason_and_maybe_a_new_due_date(
        meeting: Meeting, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="still open"):
        meeting.reopen_item(2, "未完成", None, date(2025, 10, 14), audit)
    meeting.mark_done(2, "电力已接入", "liudong", date(2025, 10, 14), audit)
    with pytest.raises(RuleViolation, match="reopening date 2025-10-13 is before"):
        meeting.reopen_item(2, "未完成", None, date(2025, 10, 13), audit)
    with pytest.raises(InvalidValue, match="must be after the reopening date"):
        meeting.reopen_item(2, "未完成", date(2025, 10, 16), date(2025, 10, 16), audit)
    meeting.reopen_item(2, "双回路未落实", date(2025, 10, 31), date(2025, 10, 16), audit)
    item = meeting.item(2)
    assert (item["status"], item["due"], item["reopened"], item["reopen_reason"]) == (
        "open", date(2025, 10, 31), 1, "双回路未落实")
    assert (item["done_on"], item["result"]) == (None, None)
    meeting.mark_done(2, "双回路已落实", "liudong", date(2025, 10, 20), audit)
    meeting.reopen_item(2, "仍未落实", None, date(2025, 10, 21), audit)
    assert (meeting.item(2)["due"], meeting.item(2)["reopened"]) == (date(2025, 10, 31), 2)
    reopened = [e for e in meeting.collect_events() if isinstance(e, Meeting.ItemReopened)]
    assert [(e.unit, e.task, e.due) for e in reopened] == [
        ("liudong", "协调电力接入", date(2025, 10, 31))] * 2


def test_an_item_is_overdue_while_open_past_its_due_date(meeting: Meeting, audit: Audit) -> None:
    item = meeting.item(2)
    assert not Meeting.is_overdue(item, date(2025, 10, 15))
    assert Meeting.is_overdue(item, date(2025, 10, 16))
    meeting.mark_done(2, "电力已接入", "liudong", date(2025, 10, 16), audit)
    assert not Meeting.is_overdue(meeting.item(2), date(2025, 10, 16))
