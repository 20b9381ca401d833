"""RequestService (企业诉求): raising with its references, assignment and working-day due
dates, the whole handling flow, illegal steps, provisional due dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM, Caller, Clock
from application.errors import Forbidden, StaleVersion
from application.requests import NewRequest
from domain.errors import InvalidValue, RuleViolation
from domain.project import ProjectDetails
from tests.conftest import sqlite_settings
from tests.integration.enterprises import CODE, OTHER_CODE, VISITED, D, head, raise_, register

# --- raising requests -------------------------------------------------------------------


def test_a_request_names_its_enterprise_by_code_or_id(container: Container) -> None:
    eid = register(container)
    by_code = container.requests.raise_request(SYSTEM, NewRequest(
        category="power", description="双回路供电", credit_code=CODE.lower(), source="forum",
        raised_on=D))
    by_id = raise_(container, credit_code=None, enterprise_id=eid)
    assert by_code.state.enterprise_id == eid
    assert by_code.state.status == "raised"
    assert by_code.position == head(container) - 1
    assert container.requests.get(SYSTEM, by_id).credit_code == CODE


@pytest.mark.parametrize(("fields", "message"), [
    ({"credit_code": OTHER_CODE}, "register the enterprise first"),
    ({"credit_code": None, "enterprise_id": uuid4()}, "no enterprise"),
    ({"credit_code": None}, "credit_code or enterprise_id"),
    ({"enterprise_id": uuid4()}, "is not the enterprise of credit code"),
    ({"project_id": uuid4()}, "no project"),
    ({"source": None}, "source is required"),
    ({"source": "visit", "visit_number": 1}, "has no visit #1"),
    ({"category": "weather"}, "category must be one of"),
    ({"raised_on": date(2099, 1, 1)}, "in the future"),
])
def test_a_request_with_a_bad_reference_or_value_is_invalid_and_appends_nothing(
        container: Container, fields: dict[str, Any], message: str) -> None:
    register(container)
    before = head(container)
    with pytest.raises(InvalidValue, match=message):
        raise_(container, **fields)
    assert head(container) == before


def test_a_request_raised_at_a_visit_takes_the_visits_date(container: Container) -> None:
    eid = register(container)
    container.enterprises.record_visit(SYSTEM, eid, VISITED, "visit", "覃市长", "调研")
    container.enterprises.record_visit(SYSTEM, eid, VISITED, "forum", "投促局", "座谈")
    rid = raise_(container, source="visit", visit_number=1, raised_on=None)
    assert container.requests.get(SYSTEM, rid).raised_on == VISITED
    with pytest.raises(InvalidValue, match="before visit #1"):
        raise_(container, source="visit", visit_number=1, raised_on=D)
    with pytest.raises(InvalidValue, match="was a forum"):
        raise_(container, source="visit", visit_number=2, raised_on=None)


def test_a_request_may_name_a_registered_project(container: Container) -> None:
    register(container)
    details = ProjectDetails(name="项目", investor="投资方", industry="汽车",
                             total_investment=Decimal("1"), county="liudong",
                             responsible_unit="liudong")
    pid = container.projects.register(SYSTEM, details, D).state.id
    rid = raise_(container, project_id=pid)
    assert container.requests.get(SYSTEM, rid).project_id == pid
    with pytest.raises(InvalidValue, match="no project"):  # an enterprise id is no project
        raise_(container, project_id=container.enterprises.load_by_code(CODE).id)


# --- handling -----------------------------------------------------------------------------


def test_assignment_counts_request_days_working_days_with_the_calendar(
        container: Container) -> None:
    register(container)
    rid = raise_(container)
    state = container.requests.assign(SYSTEM, rid, "rsj", ["gxj", "liudong"], D).state
    assert state.due == container.calendar.add_working_days(D, container.policy.request_days)
    assert state.due is not None and state.due.due == date(2025, 3, 17)
    assert state.overdue  # due in 2025, still being handled
    assert (state.lead_unit, state.co_units) == ("rsj", ["gxj", "liudong"])


@pytest.mark.parametrize(("lead", "co", "message"), [
    ("nowhere", [], "lead_unit: unknown unit"), ("rsj", ["nowhere"], "co_units: unknown"),
    ("rsj", ["rsj"], "cannot also be a co-unit")])
def test_assignment_needs_known_distinct_units(container: Container, lead: str,
                                               co: list[str], message: str) -> None:
    register(container)
    rid = raise_(container)
    with pytest.raises(InvalidValue, match=message):
        container.requests.assign(SYSTEM, rid, lead, co, D)


def test_full_flow_with_reopening_and_closing(container: Container,
                                              callers: dict[str, Caller]) -> None:
    bureau, lead, co, firm = (callers[k] for k in ("bureau", "unit", "other_unit",
                                                   "enterprise"))
    register(container)
    rid = raise_(container, firm, source=None)
    assert container.requests.get(firm, rid).source == "online"
    container.requests.assign(bureau, rid, "liudong", ["liujiang"], D)
    noted = container.requests.note_progress(co, rid, "配合摸排", on=D)
    container.requests.note_progress(bureau, rid, "代记进展", "liujiang", D)
    container.requests.record_outcome(lead, rid, "partly_resolved", "部分岗位已招满", D)
    reopened = container.requests.record_feedback(firm, rid, "unsatisfied", "仍缺50人", D)
    assert noted.extra == {"number": 1}
    assert reopened.state.status == "reopened" and reopened.state.due is None
    # The units once assigned still read it, but no longer act on it.
    assert container.requests.get(co, rid).status == "reopened"
    with pytest.raises(Forbidden):
        container.requests.note_progress(co, rid, "继续", on=D)
    container.requests.assign(bureau, rid, "liujiang", [], date(2025, 3, 4))
    container.requests.record_outcome(bureau, rid, "resolved", None, date(2025, 3, 5))
    container.requests.record_feedback(bureau, rid, "satisfied", None, date(2025, 3, 6))
    closed = container.requests.close(callers["supervisor"], rid, None, date(2025, 3, 7)).state
    assert (closed.status, closed.outcome, closed.overdue) == ("closed", "resolved", False)
    assert [o["by_unit"] for o in closed.outcomes] == ["liudong", "liujiang"]
    assert [n["by_unit"] for n in closed.progress_notes] == ["liujiang", "liujiang"]
    assert [e.type for e in container.requests.history(firm, rid)] == [
        "Raised", "Assigned", "ProgressNoted", "ProgressNoted", "OutcomeRecorded",
        "FeedbackRecorded", "Assigned", "OutcomeRecorded", "FeedbackRecorded", "Closed"]


@pytest.mark.parametrize(("step", "message"), [
    (lambda c, r: c.requests.record_outcome(SYSTEM, r, "resolved", None, D), "cannot record"),
    (lambda c, r: c.requests.close(SYSTEM, r, "原因", D), "cannot close"),
    (lambda c, r: c.requests.record_feedback(SYSTEM, r, "satisfied", None, D), "cannot record"),
])
def test_illegal_steps_are_rule_violations_and_append_nothing(
        container: Container, step: Callable[[Container, UUID], Any], message: str) -> None:
    register(container)
    rid = raise_(container)
    before = head(container)
    with pytest.raises(RuleViolation, match=message):
        step(container, rid)
    assert head(container) == before


def test_a_stale_request_version_is_refused(container: Container) -> None:
    register(container)
    rid = raise_(container)
    with pytest.raises(StaleVersion):
        container.requests.assign(SYSTEM, rid, "rsj", [], D, expected_version=3)


def test_provisional_due_dates_are_recomputed_once_the_year_is_configured(
        tmp_path: Path) -> None:
    class LateDecember(Clock):
        def today(self) -> date:
            return date(2026, 12, 28)

    c = build(sqlite_settings(tmp_path), LateDecember())
    try:
        if c.calendar.is_official(2027):
            pytest.skip("the installed chinese-calendar already has 2027")
        register(c)
        rid = raise_(c)
        c.requests.assign(SYSTEM, rid, "rsj", [], date(2026, 12, 28))
        provisional = c.requests.get(SYSTEM, rid).due
        assert provisional is not None and provisional.provisional
        overrides = tmp_path / "overrides.json"
        overrides.write_text('{"2027": {"holidays": ["2027-01-01", "2027-01-04"]}}')
        c2 = build(sqlite_settings(tmp_path, calendar_overrides_file=overrides), LateDecember())
        try:
            assert c2.requests.recompute_provisional(SYSTEM, [rid]) == 1
            fresh = c2.requests.get(SYSTEM, rid).due
            assert fresh is not None and not fresh.provisional
            assert fresh.due > provisional.due  # 4 January is now a day off
            assert c2.requests.recompute_provisional(SYSTEM, [rid]) == 0
        finally:
            c2.close()
    finally:
        c.close()
