"""ProjectService use cases: results, history, versions, refusals, and (on each backend)
positions and races."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.bootstrap import Container
from application.context import Caller
from application.errors import ConcurrentUpdate, Forbidden, NotFound, StaleVersion
from application.projects import ProjectResult, ProjectState
from domain.errors import InvalidValue, RuleViolation
from domain.project import Project, ProjectDetails
from tests.conftest import on_every_backend

REGISTERED_ON = date(2025, 1, 2)


def details(**overrides: Any) -> ProjectDetails:
    fields: dict[str, Any] = {
        "name": "新能源电池项目", "investor": "某集团", "industry": "新能源",
        "total_investment": Decimal("12000"), "county": "liujiang",
        "responsible_unit": "liudong",
    }
    fields.update(overrides)
    return ProjectDetails(**fields)


def register(c: Container, caller: Caller, **overrides: Any) -> ProjectResult:
    return c.projects.register(caller, details(**overrides), REGISTERED_ON)


def snapshot(c: Container, project_id: UUID) -> tuple[int, int]:
    """(global log head, number of the project's events): unchanged when nothing is appended."""
    return c.ledger.head(), len(c.store.events(project_id))


# --- results ---------------------------------------------------------------------------------


@on_every_backend
def test_stage_commands_return_state_and_strictly_increasing_positions(
        container: Container, callers: dict[str, Caller]) -> None:
    bureau = callers["bureau"]
    registered = register(container, bureau)
    pid = registered.state.id
    signed = container.projects.sign(bureau, pid, date(2025, 2, 1), Decimal("9000.5"))
    built = container.projects.start_construction(bureau, pid, date(2025, 3, 1))
    producing = container.projects.start_production(bureau, pid, date(2025, 9, 1))

    results = [registered, signed, built, producing]
    assert all(isinstance(r.state, ProjectState) for r in results)
    assert [r.state.stage for r in results] == [
        "negotiating", "signed", "under_construction", "in_production"]
    assert [r.state.version for r in results] == [1, 2, 3, 4]
    positions = [r.position for r in results]
    assert positions[0] > 0
    assert all(a < b for a, b in pairwise(positions))
    assert positions[-1] == container.ledger.head()

    final = producing.state
    assert final.id == pid
    assert final.registered_on == REGISTERED_ON
    assert final.sign_date == date(2025, 2, 1)
    assert final.contract_amount == Decimal("9000.5000")
    assert final.construction_date == date(2025, 3, 1)
    assert final.production_date == date(2025, 9, 1)
    assert container.projects.get(bureau, pid) == final


def test_register_stores_checked_details_and_today_when_no_date_is_given(
        container: Container, callers: dict[str, Caller]) -> None:
    result = container.projects.register(
        callers["bureau"], details(name="  带空格的名称  ", total_investment=Decimal("5")))
    assert result.state.name == "带空格的名称"
    assert result.state.total_investment == Decimal("5.0000")
    assert result.state.registered_on == container.clock.today()
    assert result.state.county == "liujiang"
    assert result.state.responsible_unit == "liudong"


def test_numbered_steps_return_their_number_in_extra(
        container: Container, callers: dict[str, Caller]) -> None:
    pid = register(container, callers["bureau"]).state.id
    first = container.projects.raise_problem(callers["unit"], pid, "用地", date(2025, 2, 1))
    second = container.projects.raise_problem(callers["unit"], pid, "用电", date(2025, 2, 1))
    given = container.projects.instruct(callers["leader"], pid, "加快", date(2025, 2, 2))
    assert (first.extra, second.extra, given.extra) == ({"number": 1}, {"number": 2},
                                                        {"number": 1})


# --- history ---------------------------------------------------------------------------------


def test_history_lists_each_step_in_order_with_the_callers_audit(
        container: Container, callers: dict[str, Caller]) -> None:
    bureau, admin, unit = callers["bureau"], callers["admin"], callers["unit"]
    pid = register(container, bureau).state.id
    container.projects.sign(admin, pid, date(2025, 2, 1), Decimal("100"))
    container.projects.start_construction(bureau, pid, date(2025, 3, 1))
    container.projects.report_progress(unit, pid, "2025-03", "主体施工", on=date(2025, 3, 15))
    container.projects.start_production(bureau, pid, date(2025, 9, 1))

    entries = container.projects.history(bureau, pid)

    assert [e.type for e in entries] == ["Registered", "Signed", "ConstructionStarted",
                                         "ProgressReported", "ProductionStarted"]
    assert [e.version for e in entries] == [1, 2, 3, 4, 5]
    assert [e.label for e in entries] == ["登记在谈", "签约", "开工", "信息报送", "投产"]
    actors = [bureau, admin, bureau, unit, bureau]
    for entry, actor in zip(entries, actors, strict=True):
        assert entry.actor == {"id": actor.account_id, "name": actor.name, "role": actor.role,
                               "role_label": actor.role and actor.role.label, "unit": actor.unit}
        assert entry.correlation_id == actor.correlation_id
        assert entry.recorded_at.tzinfo is not None
        assert entry.recorded_at.utcoffset() is not None
        assert "audit" not in entry.data
    assert entries[3].actor["unit"] == "liudong"
    assert entries[3].correlation_id == "test-unit"
    assert entries[0].data["on"] == REGISTERED_ON
    assert entries[0].data["name"] == "新能源电池项目"
    assert entries[1].data == {"date": date(2025, 2, 1), "contract_amount": Decimal("100.0000")}
    assert entries[3].data["on"] == date(2025, 3, 15)
    assert entries[3].data["period"] == "2025-03"
    recorded = [e.recorded_at for e in entries]
    assert recorded == sorted(recorded)


# --- versions --------------------------------------------------------------------------------


def test_as_of_version_returns_the_state_at_that_version(
        container: Container, callers: dict[str, Caller]) -> None:
    bureau = callers["bureau"]
    pid = register(container, bureau).state.id
    container.projects.sign(bureau, pid, date(2025, 2, 1), Decimal("100"))
    container.projects.revise(bureau, pid, {"name": "改名后"}, "更正", date(2025, 2, 2))

    first = container.projects.get(bureau, pid, as_of_version=1)
    second = container.projects.get(bureau, pid, as_of_version=2)
    current = container.projects.get(bureau, pid)

    assert (first.version, first.stage, first.name, first.sign_date) == (
        1, "negotiating", "新能源电池项目", None)
    assert (second.version, second.stage, second.name) == (2, "signed", "新能源电池项目")
    assert (current.version, current.name) == (3, "改名后")
    assert container.projects.get(bureau, pid, as_of_version=3) == current


@pytest.mark.parametrize("offset", [-4, 1, 100], ids=["zero", "after-current", "far-future"])
def test_as_of_version_outside_one_to_current_is_invalid(
        container: Container, callers: dict[str, Caller], offset: int) -> None:
    bureau = callers["bureau"]
    pid = register(container, bureau).state.id
    container.projects.sign(bureau, pid, date(2025, 2, 1), Decimal("100"))
    container.projects.comment(bureau, pid, "留言", date(2025, 2, 2))
    with pytest.raises(InvalidValue, match="as_of_version"):
        container.projects.get(bureau, pid, as_of_version=3 + offset)


def test_stale_expected_version_raises_and_appends_nothing(
        container: Container, callers: dict[str, Caller]) -> None:
    bureau = callers["bureau"]
    pid = register(container, bureau).state.id
    container.projects.comment(bureau, pid, "第一条", date(2025, 1, 3))  # now at version 2
    before = snapshot(container, pid)

    with pytest.raises(StaleVersion):
        container.projects.sign(bureau, pid, date(2025, 2, 1), Decimal("1"), expected_version=1)
    with pytest.raises(StaleVersion):
        container.projects.comment(bureau, pid, "过时", date(2025, 2, 1), expected_version=3)

    assert snapshot(container, pid) == before
    assert container.projects.get(bureau, pid).version == 2
    assert container.projects.get(bureau, pid).stage == "negotiating"

    ok = container.projects.sign(bureau, pid, date(2025, 2, 1), Decimal("1"), expected_version=2)
    assert ok.state.version == 3


# --- refusals append nothing ----------------------------------------------------------------

Refusal = Callable[[Container, dict[str, Caller], UUID], Any]

REFUSALS: dict[str, tuple[type[Exception], Refusal]] = {
    "rule-production-before-construction": (RuleViolation, lambda c, who, pid: (
        c.projects.start_production(who["bureau"], pid, date(2025, 3, 1)))),
    "rule-sign-before-registration": (RuleViolation, lambda c, who, pid: (
        c.projects.sign(who["bureau"], pid, date(2024, 12, 31), Decimal("1")))),
    "rule-resolve-missing-problem": (RuleViolation, lambda c, who, pid: (
        c.projects.resolve_problem(who["unit"], pid, 7, "已解决", date(2025, 3, 1)))),
    "rule-revise-changes-nothing": (RuleViolation, lambda c, who, pid: (
        c.projects.revise(who["bureau"], pid, {"name": "新能源电池项目"}, None,
                          date(2025, 3, 1)))),
    "invalid-negative-amount": (InvalidValue, lambda c, who, pid: (
        c.projects.sign(who["bureau"], pid, date(2025, 2, 1), Decimal("-1")))),
    "invalid-period": (InvalidValue, lambda c, who, pid: (
        c.projects.report_progress(who["unit"], pid, "2025-13", "进展", on=date(2025, 3, 1)))),
    "invalid-empty-comment": (InvalidValue, lambda c, who, pid: (
        c.projects.comment(who["bureau"], pid, "   ", date(2025, 3, 1)))),
    "invalid-unknown-revision-field": (InvalidValue, lambda c, who, pid: (
        c.projects.revise(who["bureau"], pid, {"stage": "signed"}, None, date(2025, 3, 1)))),
    "forbidden-unit-signs": (Forbidden, lambda c, who, pid: (
        c.projects.sign(who["unit"], pid, date(2025, 2, 1), Decimal("1")))),
    "forbidden-other-unit-reports": (Forbidden, lambda c, who, pid: (
        c.projects.report_progress(who["other_unit"], pid, "2025-03", "进展",
                                   on=date(2025, 3, 1)))),
    "forbidden-bureau-instructs": (Forbidden, lambda c, who, pid: (
        c.projects.instruct(who["bureau"], pid, "批示", date(2025, 3, 1)))),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_command_appends_nothing(
        container: Container, callers: dict[str, Caller], case: str) -> None:
    error, attempt = REFUSALS[case]
    pid = register(container, callers["bureau"]).state.id
    before = snapshot(container, pid)
    with pytest.raises(error):
        attempt(container, callers, pid)
    assert snapshot(container, pid) == before
    assert container.projects.get(callers["bureau"], pid).version == 1


def test_refused_registration_appends_nothing(
        container: Container, callers: dict[str, Caller]) -> None:
    head = container.ledger.head()
    with pytest.raises(Forbidden):
        register(container, callers["unit"])
    with pytest.raises(InvalidValue):
        register(container, callers["bureau"], name="")
    with pytest.raises(InvalidValue):
        register(container, callers["bureau"], total_investment=Decimal("1.00001"))
    assert container.ledger.head() == head


# --- not found -------------------------------------------------------------------------------


@pytest.mark.parametrize("use", ["get", "history", "comment", "sign"])
def test_unknown_project_id_raises_not_found(
        container: Container, callers: dict[str, Caller], use: str) -> None:
    bureau, missing = callers["bureau"], uuid4()
    head = container.ledger.head()
    calls: dict[str, Callable[[], Any]] = {
        "get": lambda: container.projects.get(bureau, missing),
        "history": lambda: container.projects.history(bureau, missing),
        "comment": lambda: container.projects.comment(bureau, missing, "x", date(2025, 1, 3)),
        "sign": lambda: container.projects.sign(bureau, missing, date(2025, 1, 3), Decimal(1)),
    }
    with pytest.raises(NotFound):
        calls[use]()
    assert container.ledger.head() == head


@pytest.mark.parametrize("use", ["get", "history", "comment"])
def test_an_account_id_is_not_a_project(
        container: Container, callers: dict[str, Caller], use: str) -> None:
    bureau = callers["bureau"]
    account_id = UUID(callers["agent"].account_id)
    head = container.ledger.head()
    calls: dict[str, Callable[[], Any]] = {
        "get": lambda: container.projects.get(bureau, account_id),
        "history": lambda: container.projects.history(bureau, account_id),
        "comment": lambda: container.projects.comment(bureau, account_id, "x", date(2025, 1, 3)),
    }
    with pytest.raises(NotFound):
        calls[use]()
    assert container.ledger.head() == head


# --- reference data and business dates -------------------------------------------------------


@pytest.mark.parametrize(("overrides", "field"), [
    ({"county": "nowhere"}, "county"),
    ({"responsible_unit": "nowhere"}, "responsible_unit"),
    ({"county": "tcj"}, "county"),  # a department is not an area
    ({"county": "yqb"}, "county"),  # nor is the park office
], ids=["unknown-county", "unknown-responsible-unit", "department-county", "park-office-county"])
def test_registration_with_a_bad_unit_code_is_invalid(
        container: Container, callers: dict[str, Caller], overrides: dict[str, str],
        field: str) -> None:
    head = container.ledger.head()
    with pytest.raises(InvalidValue, match=field):
        register(container, callers["bureau"], **overrides)
    assert container.ledger.head() == head


def test_registration_accepts_a_zone_as_county_and_a_department_as_responsible_unit(
        container: Container, callers: dict[str, Caller]) -> None:
    state = register(container, callers["bureau"], county="liudong",
                     responsible_unit="tcj").state
    assert (state.county, state.responsible_unit) == ("liudong", "tcj")


@pytest.mark.parametrize("use", ["revise-county-department", "revise-county-unknown",
                                 "reassign-unknown"])
def test_changes_naming_a_bad_unit_code_are_invalid(
        container: Container, callers: dict[str, Caller], use: str) -> None:
    bureau = callers["bureau"]
    pid = register(container, bureau).state.id
    before = snapshot(container, pid)
    calls: dict[str, Callable[[], Any]] = {
        "revise-county-department": lambda: container.projects.revise(
            bureau, pid, {"county": "fgw"}, None, date(2025, 2, 1)),
        "revise-county-unknown": lambda: container.projects.revise(
            bureau, pid, {"county": "atlantis"}, None, date(2025, 2, 1)),
        "reassign-unknown": lambda: container.projects.reassign(
            bureau, pid, "atlantis", "移交", date(2025, 2, 1)),
    }
    with pytest.raises(InvalidValue):
        calls[use]()
    assert snapshot(container, pid) == before


@pytest.mark.parametrize("use", ["register", "sign", "comment", "report_progress", "terminate"])
def test_a_future_business_date_is_invalid(
        container: Container, callers: dict[str, Caller], use: str) -> None:
    bureau = callers["bureau"]
    pid = register(container, bureau).state.id
    before = snapshot(container, pid)
    tomorrow = container.clock.today() + timedelta(days=1)
    calls: dict[str, Callable[[], Any]] = {
        "register": lambda: container.projects.register(bureau, details(), tomorrow),
        "sign": lambda: container.projects.sign(bureau, pid, tomorrow, Decimal("1")),
        "comment": lambda: container.projects.comment(bureau, pid, "留言", tomorrow),
        "report_progress": lambda: container.projects.report_progress(
            callers["unit"], pid, "2025-03", "进展", on=tomorrow),
        "terminate": lambda: container.projects.terminate(bureau, pid, "撤回", tomorrow),
    }
    with pytest.raises(InvalidValue, match="future"):
        calls[use]()
    assert snapshot(container, pid) == before


def test_today_is_an_accepted_business_date(
        container: Container, callers: dict[str, Caller]) -> None:
    today = container.clock.today()
    state = container.projects.register(callers["bureau"], details(), today).state
    assert state.registered_on == today


# --- concurrent writers ----------------------------------------------------------------------


@on_every_backend
def test_second_save_from_the_same_version_is_a_concurrent_update(
        container: Container, callers: dict[str, Caller]) -> None:
    bureau, unit = callers["bureau"], callers["unit"]
    pid = register(container, bureau).state.id
    first = container.store.load(Project, pid)
    second = container.store.load(Project, pid)
    first.comment("先到的留言", date(2025, 1, 3), bureau.audit())
    second.comment("后到的留言", date(2025, 1, 3), unit.audit())
    head = container.ledger.head()

    position = container.store.save(first)
    with pytest.raises(ConcurrentUpdate):
        container.store.save(second)

    assert position == head + 1
    assert container.ledger.head() == head + 1
    events = container.store.events(pid)
    assert [type(e).__name__ for e in events] == ["Registered", "Commented"]
    assert events[-1].text == "先到的留言"
    assert container.projects.get(bureau, pid).version == 2
    # The loser reloads and succeeds.
    again = container.projects.comment(unit, pid, "后到的留言", date(2025, 1, 3))
    assert again.state.version == 3
    assert again.state.comment_count == 2
