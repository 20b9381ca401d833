"""MeetingService (协调推进会): who records meetings and decisions, the references they
name, each unit marking only its own action items, the supervision office reopening."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from api.bootstrap import Container
from application.context import SYSTEM, Caller
from application.errors import Forbidden
from domain.errors import InvalidValue, RuleViolation
from tests.integration import agenda
from tests.integration.agenda import HELD_ON

DUE = date(2025, 10, 31)


@pytest.mark.parametrize("who", ["leader", "bureau", "admin"])
def test_leaders_and_bureau_staff_record_meetings_and_the_recorder_is_kept(
        container: Container, callers: dict[str, Caller], who: str) -> None:
    pid = agenda.project(container, callers["bureau"])
    mid = agenda.meeting(container, callers[who], projects=(pid,), items=(("liudong", DUE),))
    state = container.meetings.get(callers["unit"], mid)
    assert (state.held_on, state.chair, state.units, state.projects) == (
        HELD_ON, "覃市长", ["liudong", "zrzyj"], [pid])
    assert state.recorded_by["id"] == callers[who].account_id
    assert state.recorded_by["role"] == who
    assert [(i["number"], i["unit"], i["status"]) for i in state.items] == [
        (1, "liudong", "open")]
    assert state.open_items == 1


@pytest.mark.parametrize("who", ["supervisor", "unit", "park_office", "agent", "enterprise"])
def test_other_roles_may_not_record_meetings(container: Container, callers: dict[str, Caller],
                                             who: str) -> None:
    with pytest.raises(Forbidden):
        agenda.meeting(container, callers[who])


@pytest.mark.parametrize(("fields", "message"), [
    ({"units": ["nowhere"]}, "units: unknown unit code 'nowhere'"),
    ({"projects": [uuid4()]}, "projects: no project with id"),
    ({"date": date(2099, 1, 1)}, "date 2099-01-01 is in the future"),
    ({"units": []}, "at least one unit"),
])
def test_a_meeting_with_bad_references_is_refused_and_appends_nothing(
        container: Container, callers: dict[str, Caller], fields: dict[str, Any],
        message: str) -> None:
    values: dict[str, Any] = {"date": HELD_ON, "title": "推进会", "chair": "覃市长",
                              "units": ["liudong"], "projects": []}
    head = container.ledger.head()
    with pytest.raises(InvalidValue, match=message):
        container.meetings.record(callers["bureau"], **{**values, **fields})
    assert container.ledger.head() == head


def test_decisions_name_known_units_and_due_dates_after_the_meeting(
        container: Container, callers: dict[str, Caller]) -> None:
    mid = agenda.meeting(container, callers["bureau"])
    with pytest.raises(InvalidValue, match="unit: unknown unit code"):
        container.meetings.add_item(callers["bureau"], mid, "nowhere", "任务", DUE, HELD_ON)
    with pytest.raises(InvalidValue, match="must be after the meeting"):
        container.meetings.add_item(callers["bureau"], mid, "gdj", "任务", HELD_ON, HELD_ON)
    added = container.meetings.add_item(callers["leader"], mid, "gdj", "保障供电", DUE, HELD_ON)
    assert added.extra == {"number": 1}
    with pytest.raises(Forbidden):
        container.meetings.add_item(callers["unit"], mid, "liudong", "任务", DUE, HELD_ON)


def test_each_unit_marks_only_its_own_items(container: Container,
                                            callers: dict[str, Caller]) -> None:
    m = container.meetings
    mid = agenda.meeting(container, callers["bureau"], units=("liudong", "liujiang"),
                         items=(("liudong", DUE), ("liujiang", DUE)))
    with pytest.raises(Forbidden, match="mark done action item #2: it is for 柳江区"):
        m.mark_done(callers["unit"], mid, 2, "已完成", date(2025, 10, 9))
    for who in ("bureau", "supervisor", "leader", "admin"):
        with pytest.raises(Forbidden):
            m.mark_done(callers[who], mid, 1, "已完成", date(2025, 10, 9))
    with pytest.raises(RuleViolation, match="no action item #3"):
        m.mark_done(callers["unit"], mid, 3, "已完成", date(2025, 10, 9))
    done = m.mark_done(callers["unit"], mid, 1, "已完成", date(2025, 10, 9)).state
    assert [i["status"] for i in done.items] == ["done", "open"]
    assert done.allowed_steps == ["items", "items/done", "items/reopen"]


def test_a_unit_outside_the_meeting_neither_reads_nor_acts(
        container: Container, callers: dict[str, Caller]) -> None:
    mid = agenda.meeting(container, callers["bureau"], items=(("liudong", DUE),))
    with pytest.raises(Forbidden, match="read a meeting its unit took no part in"):
        container.meetings.get(callers["other_unit"], mid)
    with pytest.raises(Forbidden):
        container.meetings.mark_done(callers["other_unit"], mid, 1, "x", date(2025, 10, 9))
    with pytest.raises(Forbidden):
        container.meetings.get(callers["enterprise"], mid)
    # An item makes its unit part of the meeting, attending or not.
    container.meetings.add_item(callers["bureau"], mid, "liujiang", "配合", DUE, HELD_ON)
    assert container.meetings.get(callers["other_unit"], mid).open_items == 2


def test_the_supervision_office_reopens_a_done_item(container: Container,
                                                    callers: dict[str, Caller]) -> None:
    m = container.meetings
    mid = agenda.meeting(container, callers["bureau"], items=(("liudong", DUE),))
    m.mark_done(callers["unit"], mid, 1, "已完成", date(2025, 10, 9))
    for who in ("unit", "bureau", "leader"):
        with pytest.raises(Forbidden):
            m.reopen_item(callers[who], mid, 1, "未完成", None, date(2025, 10, 10))
    state = m.reopen_item(callers["supervisor"], mid, 1, "现场核查未完成", date(2025, 11, 14),
                          date(2025, 10, 10)).state
    item = state.items[0]
    assert (item["status"], item["due"], item["reopened"]) == ("open", date(2025, 11, 14), 1)
    assert [e.label for e in m.history(SYSTEM, mid)] == [
        "记录协调推进会", "议定事项", "议定事项完成", "议定事项重新办理"]
