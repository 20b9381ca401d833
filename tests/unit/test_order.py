"""Supervision orders (督办单): issue with a working-day or named due date, the unit's
responses, closing (销号) only after a response that says done, returning (退回), urging
(催办, counted) and notices (通报), and the recomputation of a provisional due date."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.order import Order, Status, SubjectKind, check_subject
from domain.shared import Audit, Deadline

ISSUED_ON = date(2025, 9, 30)
DUE = Deadline(start=ISSUED_ON, working_days=10, due=date(2025, 10, 21),
               calendar_version="test")
PROVISIONAL = replace(DUE, provisional=True, calendar_version="rule")
PROJECT = uuid4()
ITEM = "5f0c3c2e-8a4b-4c1e-9d2f-0a1b2c3d4e5f"  # fixed: parameters name the tests


def issue(audit: Audit, **overrides: Any) -> Order:
    fields: dict[str, Any] = {"subject_kind": "project", "subject_id": str(PROJECT),
                              "task": " 协调解决用地指标 ", "unit": "liudong", "due": DUE,
                              "on": ISSUED_ON}
    fields.update(overrides)
    return Order.issue(audit=audit, **fields)


def names(order: Order) -> list[str]:
    return [type(e).__name__ for e in order.collect_events()]


@pytest.fixture
def order(audit: Audit) -> Order:
    return issue(audit)


# --- issue ------------------------------------------------------------------------------


def test_an_order_is_issued_to_a_unit_about_an_item_with_a_working_day_due_date(
        order: Order) -> None:
    assert (order.subject_kind, order.subject_id) == ("project", str(PROJECT))
    assert (order.task, order.unit, order.issued_on) == ("协调解决用地指标", "liudong", ISSUED_ON)
    assert (order.due, order.deadline) == (date(2025, 10, 21), DUE)
    assert order.status == Status.issued == "issued"
    assert Status(order.status).label == "已交办"
    assert (order.urge_count, order.responses, order.closed_on) == (0, [], None)
    assert order.allowed_steps() == ["respond", "urge", "notify"]
    assert names(order) == ["Issued"]


def test_a_free_standing_order_has_no_subject_and_a_named_due_date(audit: Audit) -> None:
    order = issue(audit, subject_kind=None, subject_id=None, due=date(2025, 10, 10))
    assert (order.subject_kind, order.subject_id) == (None, None)
    assert (order.due, order.deadline) == (date(2025, 10, 10), None)


def test_a_meetings_action_item_is_named_by_meeting_and_number() -> None:
    meeting = uuid4()
    assert check_subject("meeting_item", f" {meeting.hex}:03 ") == (
        "meeting_item", f"{meeting}:3")
    assert check_subject(SubjectKind.complaint, str(meeting).upper()) == (
        "complaint", str(meeting))
    assert [kind.label for kind in SubjectKind] == [
        "招商项目", "营商环境投诉举报", "企业诉求", "会议议定事项"]


@pytest.mark.parametrize(("kind", "item", "message"), [
    ("meeting_item", ITEM, r"<meeting id>:<item number>"),
    ("meeting_item", f"{ITEM}:0", r"<meeting id>:<item number>"),
    ("project", f"{ITEM}:1", "must be a UUID for a project"),
    ("project", None, "must be a UUID"),
    ("visit", ITEM, "subject.kind must be one of"),
    (None, ITEM, "subject.kind must be one of"),
])
def test_a_subject_of_the_wrong_shape_is_refused(kind: Any, item: Any, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        check_subject(kind, item)


@pytest.mark.parametrize(("fields", "message"), [
    ({"task": "  "}, "task must not be empty"),
    ({"due": date(2025, 9, 30)}, re.escape("due 2025-09-30 must be after the issue date")),
    ({"due": replace(DUE, start=date(2025, 9, 29))}, "due must count at least one working day"),
    ({"due": "2025-10-21"}, "due must be a date"),
])
def test_an_order_with_a_bad_task_or_due_date_is_refused(
        audit: Audit, fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        issue(audit, **fields)


# --- responses, closing and returning -----------------------------------------------------


def test_the_unit_responds_as_often_as_it_reports(order: Order, make_audit: Any) -> None:
    unit = make_audit(role="unit", unit="liudong")
    assert order.respond("已对接自然资源局", False, date(2025, 10, 9), unit) == 1
    assert order.respond("用地指标已落实", True, date(2025, 10, 15), unit) == 2
    assert order.status == "responded"
    assert [(r["number"], r["done"], r["by_unit"]) for r in order.responses] == [
        (1, False, "liudong"), (2, True, "liudong")]
    assert order.allowed_steps() == ["respond", "close", "return", "urge", "notify"]


def test_closing_needs_a_response_that_says_done(order: Order, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="cannot close: the unit has not responded yet"):
        order.close(date(2025, 10, 9), audit)
    order.respond("正在协调", False, date(2025, 10, 9), audit)
    assert "close" not in order.allowed_steps()
    with pytest.raises(RuleViolation, match=re.escape(
            "the unit's latest response (#1, 2025-10-09) says the task is not done")):
        order.close(date(2025, 10, 10), audit)
    order.respond("已办结", True, date(2025, 10, 15), audit)
    order.close(date(2025, 10, 16), audit)
    assert (order.status, order.closed_on, order.allowed_steps()) == (
        "closed", date(2025, 10, 16), [])
    assert names(order)[-1] == "Closed"


def test_a_returned_response_must_be_answered_again_before_closing(
        order: Order, audit: Audit) -> None:
    order.respond("已办结", True, date(2025, 10, 9), audit)
    order.send_back("用地手续未全部办妥", date(2025, 10, 10), audit)
    assert order.status == "returned" and Status.returned.label == "已退回"
    assert order.returns == [{"number": 1, "reason": "用地手续未全部办妥",
                              "on": date(2025, 10, 10), "response": 1}]
    with pytest.raises(RuleViolation, match="returned and the unit has not responded since"):
        order.close(date(2025, 10, 11), audit)
    order.respond("手续已全部办妥", True, date(2025, 10, 13), audit)
    order.close(date(2025, 10, 13), audit)
    assert order.status == "closed"


def test_only_a_response_can_be_returned(order: Order, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match=re.escape(
            "cannot return: the order is issued (已交办); allowed next: respond, urge, notify")):
        order.send_back("理由", date(2025, 10, 9), audit)


def test_a_closed_order_takes_no_step(order: Order, audit: Audit) -> None:
    order.respond("已办结", True, date(2025, 10, 9), audit)
    order.close(date(2025, 10, 9), audit)
    for step in (lambda: order.respond("再次反馈", True, date(2025, 10, 10), audit),
                 lambda: order.urge("催办", date(2025, 10, 10), audit),
                 lambda: order.notify("通报", date(2025, 10, 10), audit),
                 lambda: order.close(date(2025, 10, 10), audit)):
        with pytest.raises(RuleViolation,
                           match="allowed next: nothing / 督办单当前状态为「已销号」"):
            step()


def test_steps_are_not_dated_before_the_previous_one(order: Order, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="response date 2025-09-29 is before"):
        order.respond("补录", True, date(2025, 9, 29), audit)
    order.respond("已办结", True, date(2025, 10, 9), audit)
    with pytest.raises(RuleViolation, match="closing date 2025-10-08 is before"):
        order.close(date(2025, 10, 8), audit)


def test_done_must_be_a_yes_or_no(order: Order, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="done must be true or false"):
        order.respond("已办结", "yes", date(2025, 10, 9), audit)  # type: ignore[arg-type]


# --- escalation -------------------------------------------------------------------------


def test_urges_are_counted_and_notices_recorded_without_changing_the_status(
        order: Order, audit: Audit) -> None:
    order.respond("正在协调", False, date(2025, 10, 20), audit)
    order.urge("请加快办理", date(2025, 10, 22), audit)
    order.urge("再次催办", date(2025, 10, 10), audit)  # 补录: an earlier urge entered late
    order.notify("逾期未办结，予以通报", date(2025, 10, 24), audit)
    assert order.urge_count == 2
    assert [u["number"] for u in order.urges] == [1, 2]
    assert order.notices == [{"number": 1, "text": "逾期未办结，予以通报",
                              "on": date(2025, 10, 24)}]
    assert order.status == "responded"
    with pytest.raises(RuleViolation, match="urge date 2025-09-29 is before issue date"):
        order.urge("催办", date(2025, 9, 29), audit)
    assert names(order)[-3:] == ["Urged", "Urged", "Notified"]


def test_an_order_is_overdue_while_open_past_its_due_date(order: Order, audit: Audit) -> None:
    assert not order.is_overdue(date(2025, 10, 21))
    assert order.is_overdue(date(2025, 10, 22))
    order.respond("已办结", True, date(2025, 10, 23), audit)
    assert order.is_overdue(date(2025, 10, 23))  # until the office closes it
    order.close(date(2025, 10, 23), audit)
    assert not order.is_overdue(date(2025, 10, 23))


# --- the calendar -----------------------------------------------------------------------


def test_a_provisional_due_date_is_recomputed_once(audit: Audit) -> None:
    order = issue(audit, due=PROVISIONAL)
    official = replace(DUE, due=date(2025, 10, 22), calendar_version="override")
    order.recompute_due(official, date(2025, 10, 1), audit)
    assert (order.due, order.deadline) == (date(2025, 10, 22), official)
    with pytest.raises(RuleViolation, match="not provisional"):
        order.recompute_due(replace(official, due=date(2025, 10, 23)), date(2025, 10, 1),
                            audit)
    assert names(order)[-1] == "DueRecomputed"


def test_a_named_due_date_is_never_recomputed(audit: Audit) -> None:
    order = issue(audit, due=date(2025, 10, 10))
    with pytest.raises(RuleViolation, match="named by the supervision office"):
        order.recompute_due(DUE, date(2025, 10, 1), audit)


def test_an_order_is_rebuilt_from_its_events(order: Order, audit: Audit) -> None:
    order.respond("已办结", True, date(2025, 10, 9), audit)
    order.urge("催办", date(2025, 10, 9), audit)
    events = order.collect_events()
    copy: Order | None = None
    for e in events:
        copy = e.mutate(copy)
    assert copy is not None
    assert (copy.status, copy.urge_count, copy.responses) == (
        order.status, order.urge_count, order.responses)
    assert isinstance(copy.id, UUID)
