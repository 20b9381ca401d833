"""OrderService (督办单): issue on an existing item with a working-day due date (National Day
and 调休 counted), LEDGER_ORDER_DAYS, the roles of each step, refusals that append nothing,
and provisional due dates recomputed when the calendar changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM, Caller
from application.errors import Forbidden
from application.orders import Subject
from domain.errors import InvalidValue, RuleViolation
from tests.conftest import add_role_accounts, sqlite_settings
from tests.integration import agenda
from tests.integration.agenda import ISSUED_ON
from tests.integration.test_complaint_projections import set_today


def test_the_due_date_counts_ten_working_days_over_national_day(
        container: Container, callers: dict[str, Caller]) -> None:
    # From Tue 30 Sep: 1–8 October are holidays; 9, 10, 11 (Saturday, 调休), 13–17, 20, 21.
    state = container.orders.get(callers["supervisor"],
                                 agenda.order(container, callers["supervisor"]))
    assert state.due == date(2025, 10, 21)
    assert state.deadline is not None
    assert (state.deadline.start, state.deadline.working_days) == (ISSUED_ON, 10)
    assert not state.deadline.provisional
    # From Fri 26 Sep: Sunday 28 Sep is a 调休 working day, so it counts.
    earlier = agenda.order(container, callers["supervisor"], on=date(2025, 9, 26))
    assert container.orders.get(SYSTEM, earlier).due == date(2025, 10, 16)


def test_ledger_order_days_sets_the_working_days(tmp_path: Path) -> None:
    c = build(sqlite_settings(tmp_path, order_days=3))
    try:
        supervisor = c.accounts.authenticate(add_role_accounts(c)["supervisor"], "t")
        # 9 and 10 October, then Saturday 11 October (调休).
        state = c.orders.get(SYSTEM, agenda.order(c, supervisor))
        assert (state.due, state.deadline.working_days if state.deadline else None) == (
            date(2025, 10, 11), 3)
    finally:
        c.close()


def test_the_office_may_name_the_due_date(container: Container,
                                          callers: dict[str, Caller]) -> None:
    oid = agenda.order(container, callers["supervisor"], due=date(2025, 10, 8))
    state = container.orders.get(SYSTEM, oid)
    assert (state.due, state.deadline) == (date(2025, 10, 8), None)


def test_an_order_is_issued_on_any_kind_of_item_that_exists(
        container: Container, callers: dict[str, Caller]) -> None:
    bureau, supervisor = callers["bureau"], callers["supervisor"]
    mid = agenda.meeting(container, bureau, items=(("liudong", date(2025, 10, 31)),))
    subjects = [Subject("project", str(agenda.project(container, bureau))),
                Subject("complaint", str(agenda.complaint(container, bureau))),
                Subject("request", str(agenda.request(container))),
                Subject("meeting_item", f"{mid}:1")]
    for subject in subjects:
        state = container.orders.get(SYSTEM, agenda.order(container, supervisor,
                                                          subject=subject))
        assert (state.subject_kind, state.subject_id) == (subject.kind, subject.id)
    free = container.orders.get(SYSTEM, agenda.order(container, supervisor))
    assert (free.subject_kind, free.subject_id) == (None, None)


@pytest.mark.parametrize(("subject", "message"), [
    (lambda ids: Subject("project", str(uuid4())), "subject: no project with id"),
    (lambda ids: Subject("complaint", ids["project"]), "subject: no complaint with id"),
    (lambda ids: Subject("request", ids["project"]), "subject: no request with id"),
    (lambda ids: Subject("meeting_item", f"{ids['meeting']}:2"), "no meeting item with id"),
    (lambda ids: Subject("meeting_item", f"{ids['project']}:1"), "no meeting item with id"),
    (lambda ids: Subject("meeting_item", ids["meeting"]), "<meeting id>:<item number>"),
    (lambda ids: Subject("visit", ids["project"]), "subject.kind must be one of"),
])
def test_an_order_on_an_item_that_does_not_exist_is_refused_and_appends_nothing(
        container: Container, callers: dict[str, Caller], subject: Any, message: str) -> None:
    bureau = callers["bureau"]
    ids = {"project": str(agenda.project(container, bureau)),
           "meeting": str(agenda.meeting(container, bureau,
                                         items=(("liudong", date(2025, 10, 31)),)))}
    head = container.ledger.head()
    with pytest.raises(InvalidValue, match=message) as refused:
        agenda.order(container, callers["supervisor"], subject=subject(ids))
    assert "/" in str(refused.value)  # English / 中文
    assert container.ledger.head() == head


@pytest.mark.parametrize(("fields", "message"), [
    ({"unit": "nowhere"}, "unknown unit code 'nowhere'"),
    ({"on": date(2099, 1, 1)}, "in the future"),
    ({"due": ISSUED_ON}, "must be after the issue date"),
    ({"task": " "}, "task must not be empty"),
])
def test_an_order_with_bad_input_is_refused(container: Container, callers: dict[str, Caller],
                                            fields: dict[str, Any], message: str) -> None:
    head = container.ledger.head()
    with pytest.raises(InvalidValue, match=message):
        agenda.order(container, callers["supervisor"], **fields)
    assert container.ledger.head() == head


def test_the_whole_flow_issue_respond_return_urge_notify_close(
        container: Container, callers: dict[str, Caller]) -> None:
    o, supervisor, unit = container.orders, callers["supervisor"], callers["unit"]
    oid = agenda.order(container, supervisor)
    first = o.respond(unit, oid, "已对接", True, date(2025, 10, 9))
    assert (first.extra, first.state.responses[0]["by_unit"]) == ({"number": 1}, "liudong")
    o.send_back(supervisor, oid, "手续未办妥", date(2025, 10, 10))
    o.urge(supervisor, oid, "请加快", date(2025, 10, 11))
    o.notify(supervisor, oid, "通报", date(2025, 10, 13))
    o.respond(unit, oid, "已办妥", True, date(2025, 10, 14), expected_version=5)
    closed = o.close(supervisor, oid, date(2025, 10, 15))
    assert (closed.state.status, closed.state.urge_count, closed.state.version) == (
        "closed", 1, 7)
    history = o.history(unit, oid)
    assert [(e.label, e.actor["role"]) for e in history] == [
        ("交办督办单", "supervisor"), ("单位反馈", "unit"), ("退回", "supervisor"),
        ("催办", "supervisor"), ("通报", "supervisor"), ("单位反馈", "unit"),
        ("销号", "supervisor")]


def test_closing_before_a_done_response_is_a_rule_violation(
        container: Container, callers: dict[str, Caller]) -> None:
    oid = agenda.order(container, callers["supervisor"])
    container.orders.respond(callers["unit"], oid, "办理中", False, date(2025, 10, 9))
    with pytest.raises(RuleViolation, match="says the task is not done"):
        container.orders.close(callers["supervisor"], oid, date(2025, 10, 10))


@pytest.mark.parametrize("who", ["bureau", "leader", "unit", "park_office", "agent",
                                 "enterprise"])
def test_only_the_supervision_office_issues_orders(
        container: Container, callers: dict[str, Caller], who: str) -> None:
    with pytest.raises(Forbidden):
        agenda.order(container, callers[who])
    agenda.order(container, callers["admin"])


def test_only_the_unit_it_is_issued_to_responds_and_it_cannot_supervise(
        container: Container, callers: dict[str, Caller]) -> None:
    o = container.orders
    oid = agenda.order(container, callers["supervisor"])
    for who in ("other_unit", "supervisor", "bureau", "admin"):
        with pytest.raises(Forbidden):
            o.respond(callers[who], oid, "已办结", True, date(2025, 10, 9))
    o.respond(callers["unit"], oid, "已办结", True, date(2025, 10, 9))
    for step in (lambda who: o.urge(callers[who], oid, "催办", date(2025, 10, 9)),
                 lambda who: o.close(callers[who], oid, date(2025, 10, 9))):
        with pytest.raises(Forbidden):
            step("unit")
    with pytest.raises(Forbidden, match="read a supervision order issued to another unit"):
        o.get(callers["other_unit"], oid)
    assert o.get(callers["leader"], oid).status == "responded"


def test_provisional_due_dates_are_recomputed_when_the_calendar_changes(
        container: Container, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if container.calendar.is_official(2027):
        pytest.skip("the installed chinese-calendar already has 2027")
    set_today(monkeypatch, container, date(2026, 12, 28))
    oid = agenda.order(container, SYSTEM, on=date(2026, 12, 28))  # due in 2027: provisional
    named = agenda.order(container, SYSTEM, on=date(2026, 12, 28), due=date(2027, 1, 8))
    provisional = container.orders.get(SYSTEM, oid).deadline
    assert provisional is not None and provisional.provisional
    overrides = tmp_path / "calendar-2027.json"
    overrides.write_text('{"2027": {"holidays": ["2027-01-01", "2027-01-04"]}}')
    configured = build(container.settings.model_copy(
        update={"calendar_overrides_file": overrides}))
    try:
        set_today(monkeypatch, configured, date(2026, 12, 29))
        assert configured.sync_calendar().recomputed == 1  # with every other case type's
        fresh = configured.orders.get(SYSTEM, oid)
        assert fresh.deadline is not None and not fresh.deadline.provisional
        assert fresh.due > provisional.due  # 4 January is now a day off
        assert configured.orders.history(SYSTEM, oid)[-1].label == "重算办理期限"
        assert configured.orders.get(SYSTEM, named).due == date(2027, 1, 8)  # as named
    finally:
        configured.close()
