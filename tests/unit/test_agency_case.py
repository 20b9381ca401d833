"""AgencyCase (代办服务): opening, how permit items move and when their clock starts,
corrections, milestones in order, hand-over, closing, and the agent's index of cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, cast
from uuid import uuid4

import pytest

from domain.agency_case import AgencyCase, AgentCases
from domain.enterprise import Enterprise
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit, Deadline

CODE = "91350100M000100Y43"
OPENED = date(2025, 3, 3)


def due_from(start: date) -> Deadline:
    """A stand-in for the 20-working-day deadline the application counts."""
    return Deadline(start=start, working_days=20, due=date(2099, 1, 1), calendar_version="t")


@pytest.fixture
def case(audit: Audit) -> AgencyCase:
    opened = AgencyCase.open(Enterprise.create_id(CODE), CODE, None, "agent-1", "黄代办", "tcj",
                             OPENED, audit)
    opened.collect_events()
    return opened


def record(case: AgencyCase, audit: Audit, status: str, day: int,
           item: str = "project_filing") -> None:
    on = date(2025, 3, day)
    case.record_item(item, item.replace("_", " "), status, None, due_from(on), on, audit)


def events(case: AgencyCase) -> list[str]:
    return [type(e).__name__ for e in case.collect_events()]


def test_a_case_names_the_enterprise_of_its_credit_code(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="not the enterprise of credit code"):
        AgencyCase.open(uuid4(), CODE, None, "agent-1", "黄代办", None, OPENED, audit)


def test_an_item_goes_pending_submitted_approved_and_its_clock_starts_once(
        case: AgencyCase, audit: Audit) -> None:
    record(case, audit, "pending", 4)
    record(case, audit, "submitted", 10)
    record(case, audit, "approved", 20)

    item = case.items["project_filing"]
    assert (item["status"], item["recorded_on"], item["submitted_on"], item["approved_on"]) == (
        "approved", date(2025, 3, 4), date(2025, 3, 10), date(2025, 3, 20))
    assert item["due"] == due_from(date(2025, 3, 4))  # counted from its first open day
    dues = [e.due for e in cast("list[Any]", case.collect_events())]
    assert dues == [due_from(date(2025, 3, 4)), None, None]


@pytest.mark.parametrize(("path", "refused"), [
    ((), "approved"),  # not recorded yet: pending, submitted or not needed
    ((), "rejected"),
    (("pending",), "approved"),
    (("pending",), "pending"),
    (("pending", "submitted", "approved"), "rejected"),
    (("pending", "submitted", "approved"), "not_needed"),
    (("not_needed",), "submitted"),
])
def test_an_item_moves_only_as_the_flow_allows(case: AgencyCase, audit: Audit,
                                               path: tuple[str, ...], refused: str) -> None:
    for day, status in enumerate(path, start=4):
        record(case, audit, status, day)
    case.collect_events()

    with pytest.raises(RuleViolation, match="allowed next") as found:
        record(case, audit, refused, 20)
    assert events(case) == []
    if path and path[-1] == "approved":
        assert "correct-item" in str(found.value)


def test_a_rejected_item_is_submitted_again_and_an_item_may_be_not_needed(
        case: AgencyCase, audit: Audit) -> None:
    for day, status in enumerate(("submitted", "rejected", "submitted", "approved"), start=4):
        record(case, audit, status, day)
    record(case, audit, "not_needed", 5, item="energy_review")
    record(case, audit, "pending", 6, item="energy_review")

    assert case.items["project_filing"]["submitted_on"] == date(2025, 3, 4)
    energy = case.items["energy_review"]
    assert (energy["status"], energy["due"]) == ("pending", due_from(date(2025, 3, 6)))


def test_an_item_resuming_keeps_the_clock_it_started(case: AgencyCase, audit: Audit) -> None:
    record(case, audit, "pending", 4)
    record(case, audit, "not_needed", 5)
    case.collect_events()
    record(case, audit, "pending", 12)

    (resumed,) = case.collect_events()
    assert resumed.due == due_from(date(2025, 3, 4))  # type: ignore[attr-defined]


def test_item_dates_follow_the_items_own_steps_and_the_opening(
        case: AgencyCase, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="受理代办日期"):
        record(case, audit, "pending", 2)
    record(case, audit, "submitted", 10)
    record(case, audit, "pending", 5, item="eia_approval")  # another item, earlier: fine
    with pytest.raises(RuleViolation, match="该事项上一步日期"):
        record(case, audit, "approved", 9)


def test_a_correction_changes_an_approval_with_its_reason(case: AgencyCase,
                                                         audit: Audit) -> None:
    record(case, audit, "submitted", 4)
    record(case, audit, "approved", 10)
    case.collect_events()

    case.correct_item("project_filing", "submitted", "批复尚未下达，误录", due_from(OPENED),
                      date(2025, 3, 4), audit)

    item = case.items["project_filing"]
    assert (item["status"], item["approved_on"], item["submitted_on"]) == (
        "submitted", None, date(2025, 3, 4))
    (corrected,) = case.collect_events()
    assert (corrected.previous, corrected.reason) == (  # type: ignore[attr-defined]
        "approved", "批复尚未下达，误录")
    assert corrected.due == due_from(date(2025, 3, 4))  # type: ignore[attr-defined]
    assert item["steps"][-1]["correction"] == "批复尚未下达，误录"


def test_correcting_the_first_submission_moves_its_date(case: AgencyCase, audit: Audit) -> None:
    record(case, audit, "submitted", 10)
    case.correct_item("project_filing", "submitted", "报件日期录错", due_from(OPENED),
                      date(2025, 3, 6), audit)
    item = case.items["project_filing"]
    assert (item["submitted_on"], item["recorded_on"]) == (date(2025, 3, 6), date(2025, 3, 6))
    case.correct_item("project_filing", "pending", "尚未报件", due_from(OPENED),
                      date(2025, 3, 6), audit)
    assert case.items["project_filing"]["submitted_on"] is None


@pytest.mark.parametrize(("item", "status", "on", "error", "message"), [
    ("eia_approval", "pending", date(2025, 3, 5), RuleViolation, "record it first"),
    ("project_filing", "submitted", date(2025, 3, 4), RuleViolation, "changes nothing"),
    ("project_filing", "pending", date(2025, 3, 2), RuleViolation, "受理代办日期"),
])
def test_a_correction_must_change_something_recorded(
        case: AgencyCase, audit: Audit, item: str, status: str, on: date,
        error: type[Exception], message: str) -> None:
    record(case, audit, "submitted", 4)
    with pytest.raises(error, match=message):
        case.correct_item(item, status, "更正", due_from(on), on, audit)
    with pytest.raises(InvalidValue, match="reason"):
        case.correct_item("project_filing", "pending", " ", due_from(OPENED), OPENED, audit)


def test_milestones_are_reached_once_and_in_order(case: AgencyCase, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="请先记录立项"):
        case.reach_milestone("construction", date(2025, 4, 1), audit)
    case.reach_milestone("filing", date(2025, 3, 20), audit)
    with pytest.raises(RuleViolation, match="already reached"):
        case.reach_milestone("立项", date(2025, 3, 21), audit)
    with pytest.raises(RuleViolation, match="立项日期"):
        case.reach_milestone("construction", date(2025, 3, 19), audit)
    case.reach_milestone("construction", date(2025, 5, 1), audit)
    case.reach_milestone("production", date(2025, 12, 1), audit)

    assert "milestones" not in case.allowed_steps()
    assert case.milestones == {"filing": date(2025, 3, 20), "construction": date(2025, 5, 1),
                               "production": date(2025, 12, 1)}


def test_a_case_is_handed_to_another_agent(case: AgencyCase, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="already the agent"):
        case.reassign("agent-1", "黄代办", "tcj", "调整", date(2025, 3, 5), audit)
    case.reassign("agent-2", "李代办", None, "工作调整", date(2025, 3, 5), audit)

    assert (case.agent, case.agent_name, case.agent_unit, case.agent_since) == (
        "agent-2", "李代办", None, date(2025, 3, 5))


def test_a_closed_case_takes_no_more_steps(case: AgencyCase, audit: Audit) -> None:
    record(case, audit, "pending", 10)
    with pytest.raises(RuleViolation, match="最近一步的日期"):
        case.close("代办完成", date(2025, 3, 9), audit)
    with pytest.raises(InvalidValue, match="summary"):
        case.close("", date(2025, 3, 12), audit)
    case.close("立项备案已办结", date(2025, 3, 12), audit)
    case.collect_events()

    assert (case.status, case.allowed_steps()) == ("closed", [])
    with pytest.raises(RuleViolation, match="已办结"):
        record(case, audit, "submitted", 13)
    with pytest.raises(RuleViolation, match="已办结"):
        case.reach_milestone("filing", date(2025, 3, 13), audit)
    assert events(case) == []


def test_a_provisional_item_deadline_is_recomputed(case: AgencyCase, audit: Audit) -> None:
    provisional = replace(due_from(date(2025, 3, 4)), provisional=True)
    case.record_item("project_filing", "立项备案", "pending", None, provisional,
                     date(2025, 3, 4), audit)
    record(case, audit, "not_needed", 4, item="eia_approval")
    official = due_from(date(2025, 3, 4))
    with pytest.raises(RuleViolation, match="no running deadline"):
        case.recompute_item_due("eia_approval", official, date(2025, 3, 5), audit)
    case.recompute_item_due("project_filing", replace(official, due=date(2099, 1, 2)),
                            date(2025, 3, 5), audit)

    assert case.items["project_filing"]["due"].provisional is False


def test_the_agents_index_names_its_cases_enterprises_and_projects(
        case: AgencyCase, audit: Audit) -> None:
    index = AgentCases(agent="agent-1")
    index.take(case, audit)
    assert index.id == AgentCases.create_id("agent-1")
    assert index.named() == {str(Enterprise.create_id(CODE))}

    index.hand_over(case, audit)
    index.hand_over(case, audit)  # already handed over: nothing more
    assert index.named() == frozenset()
    assert [type(e).__name__ for e in index.collect_events()] == [
        "Started", "CaseTaken", "CaseHandedOver"]
