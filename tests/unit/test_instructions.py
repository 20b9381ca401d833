"""批示: every case type that takes leaders' instructions numbers them, checks their answer
deadline and keeps every answer (domain.instructions)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from eventsourcing.utils import get_topic

from domain.calendar import Deadline
from domain.complaint import EVENT_LABELS as COMPLAINT_LABELS
from domain.enterprise_request import EVENT_LABELS as REQUEST_LABELS
from domain.errors import InvalidValue, RuleViolation
from domain.instructions import EVENT_LABELS, Instructed
from domain.project import Project
from domain.shared import Audit
from tests.unit.helpers.complaint import advance as advance_complaint
from tests.unit.helpers.complaint import receive
from tests.unit.helpers.enterprise_request import advance as advance_request
from tests.unit.helpers.enterprise_request import raise_request
from tests.unit.helpers.project import register

DAY = date(2026, 4, 1)
MAKERS: dict[str, Callable[[Audit], Any]] = {
    "project": register, "complaint": receive, "request": raise_request}


def counted(start: date, days: int = 10) -> Deadline:
    return Deadline(start=start, working_days=days, due=start + timedelta(days=14),
                    calendar_version="test")


def named(start: date, due: date) -> Deadline:
    return Deadline(start=start, working_days=0, due=due, calendar_version="test", named=True)


@pytest.fixture(params=list(MAKERS))
def item(request: pytest.FixtureRequest, audit: Audit) -> Instructed:
    made: Instructed = MAKERS[request.param](audit)
    return made


def test_instructions_are_numbered_in_the_order_given(item: Instructed, audit: Audit) -> None:
    assert item.instruct("加快推进", DAY, audit, counted(DAY)) == 1
    assert item.instruct("月底报送", DAY, audit) == 2

    assert [i["number"] for i in item.instructions] == [1, 2]
    assert item.instructions[0]["due"] == DAY + timedelta(days=14)
    assert item.instructions[1]["due"] is None
    assert "instructions/answer" in item.allowed_steps()  # type: ignore[attr-defined]


def test_a_named_due_date_may_fall_on_the_day_but_not_before_it(item: Instructed,
                                                                audit: Audit) -> None:
    item.instruct("当日落实", DAY, audit, named(DAY, DAY))
    with pytest.raises(InvalidValue, match="不能早于"):
        item.instruct("倒签期限", DAY, audit, named(DAY, DAY - timedelta(days=1)))

    assert len(item.instructions) == 1
    assert item.instructions[0]["deadline"].named


def test_an_instruction_answered_twice_keeps_both_answers(item: Instructed, audit: Audit,
                                                          make_audit: Callable[..., Audit]
                                                          ) -> None:
    item.instruct("加快推进", DAY, audit, counted(DAY))
    item.answer_instruction(1, "已召开协调会", DAY + timedelta(days=2), make_audit(unit="liudong"))
    item.answer_instruction(1, "已落实", DAY + timedelta(days=5), make_audit(unit="liudong"))

    instruction = item.instructions[0]
    assert [a["text"] for a in instruction["answers"]] == ["已召开协调会", "已落实"]
    assert (instruction["answered_on"], instruction["answer"]) == (DAY + timedelta(days=2),
                                                                    "已召开协调会")
    assert item.unanswered_instructions() == []


def test_an_answer_needs_its_instruction_and_does_not_predate_it(item: Instructed,
                                                                 audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="no instruction"):
        item.answer_instruction(1, "已落实", DAY, audit)
    item.instruct("加快推进", DAY, audit)
    with pytest.raises(RuleViolation):
        item.answer_instruction(1, "已落实", DAY - timedelta(days=1), audit)

    assert item.instructions[0]["answers"] == []


def test_an_instruction_does_not_predate_the_item(item: Instructed, audit: Audit) -> None:
    with pytest.raises(RuleViolation):
        item.instruct("加快推进", date(2020, 1, 1), audit)
    assert item.instructions == []


def test_a_finished_complaint_or_closed_request_takes_no_new_instruction_but_answers(
        audit: Audit) -> None:
    complaint = receive(audit)
    complaint.instruct("请督促", date(2026, 3, 3), audit)
    advance_complaint(complaint, "closed", audit)
    request = advance_request(raise_request(audit), "closed", audit)

    for finished in (complaint, request):
        assert "instruct" not in finished.allowed_steps()
        with pytest.raises(RuleViolation):
            finished.instruct("再批示", DAY, audit)
    complaint.answer_instruction(1, "已办结", DAY, audit)
    assert complaint.instructions[0]["answered_on"] == DAY


def test_the_events_are_each_aggregates_own_and_labelled(audit: Audit) -> None:
    for labels in (COMPLAINT_LABELS, REQUEST_LABELS):
        assert EVENT_LABELS.items() <= labels.items()
    complaint = receive(audit)
    complaint.instruct("请督促", date(2026, 3, 3), audit)
    given = list(complaint.collect_events())[-1]
    assert type(given).__qualname__ == "Complaint.InstructionGiven"
    assert Project.InstructionGiven.__qualname__ == "Project.InstructionGiven"


def test_each_case_type_records_instructions_by_event_classes_of_its_own(
        item: Instructed, audit: Audit) -> None:
    item.instruct("加快推进", DAY, audit, counted(DAY))
    item.answer_instruction(1, "已落实", DAY + timedelta(days=1), audit)

    aggregate: Any = type(item)
    recorded = [type(e) for e in list(aggregate.collect_events(item))[-2:]]
    assert recorded == [aggregate.InstructionGiven, aggregate.InstructionAnswered]
    assert [get_topic(c) for c in recorded] == [
        f"{get_topic(aggregate)}.InstructionGiven", f"{get_topic(aggregate)}.InstructionAnswered"]
