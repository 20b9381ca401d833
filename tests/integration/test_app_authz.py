"""Who may do what to a project, role by role, through ProjectService (SQLite only)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM, Caller
from application.errors import Forbidden
from domain.project import ProjectDetails
from domain.shared import Role
from tests.conftest import ROLE_ACCOUNTS, add_role_accounts, sqlite_settings

ALL = tuple(ROLE_ACCOUNTS)  # admin leader supervisor bureau unit other_unit park_office agent ...
D = date(2025, 3, 1)


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    """One SQLite container for the module; each test works on projects of its own."""
    c = build(sqlite_settings(Path(tmp_path_factory.mktemp("authz"))))
    try:
        yield c
    finally:
        c.close()


@pytest.fixture(scope="module")
def who(app: Container) -> dict[str, Caller]:
    return {key: app.accounts.authenticate(token, f"authz-{key}")
            for key, token in add_role_accounts(app).items()}


def new_project(c: Container, county: str = "liujiang", unit: str = "liudong") -> UUID:
    """By default: liudong (the `unit` account) is responsible, liujiang (`other_unit`) is the
    county, so `other_unit` can read it but is not responsible for it."""
    details = ProjectDetails(name="权限测试项目", investor="投资方", industry="机械",
                             total_investment=Decimal("100"), county=county,
                             responsible_unit=unit)
    return c.projects.register(SYSTEM, details, date(2025, 1, 2)).state.id


def version(c: Container, pid: UUID) -> int:
    return len(c.store.events(pid))


# Each action: (preparation by the system account, the action by `caller`).
Prep = Callable[[Container, UUID], Any]
Act = Callable[[Container, Caller, UUID], Any]


def _none(c: Container, pid: UUID) -> None:
    return None


def _signed(c: Container, pid: UUID) -> None:
    c.projects.sign(SYSTEM, pid, date(2025, 2, 1), Decimal("50"))


def _building(c: Container, pid: UUID) -> None:
    _signed(c, pid)
    c.projects.start_construction(SYSTEM, pid, date(2025, 2, 15))


def _key(c: Container, pid: UUID) -> None:
    c.projects.designate_key(SYSTEM, pid, 2025, "市重点", date(2025, 1, 5))


def _problem(c: Container, pid: UUID) -> None:
    c.projects.raise_problem(SYSTEM, pid, "用地指标", date(2025, 2, 1))


def _instruction(c: Container, pid: UUID) -> None:
    leader = Caller(account_id="l", name="领导", role=Role.leader, correlation_id="prep")
    c.projects.instruct(leader, pid, "尽快解决", date(2025, 2, 1))


MANAGE_ACTIONS: dict[str, tuple[Prep, Act]] = {
    "revise": (_none, lambda c, w, pid: c.projects.revise(w, pid, {"name": "新名称"}, "更正", D)),
    "sign": (_none, lambda c, w, pid: c.projects.sign(w, pid, D, Decimal("80"))),
    "start_construction": (_signed, lambda c, w, pid: c.projects.start_construction(w, pid, D)),
    "start_production": (_building, lambda c, w, pid: c.projects.start_production(w, pid, D)),
    "terminate": (_none, lambda c, w, pid: c.projects.terminate(w, pid, "投资方撤回", D)),
    "designate_key": (_none, lambda c, w, pid: c.projects.designate_key(w, pid, 2025, "市重点", D)),
    "drop_key": (_key, lambda c, w, pid: c.projects.drop_key(w, pid, 2025, "调整", D)),
    "reassign": (_none, lambda c, w, pid: c.projects.reassign(w, pid, "fgw", "移交", D)),
}
HANDLE_ACTIONS: dict[str, tuple[Prep, Act]] = {
    "report_progress": (_none, lambda c, w, pid: c.projects.report_progress(
        w, pid, "2025-Q1", "推进中", Decimal("10"), D)),
    "raise_problem": (_none, lambda c, w, pid: c.projects.raise_problem(w, pid, "缺电", D)),
    "resolve_problem": (_problem, lambda c, w, pid: c.projects.resolve_problem(
        w, pid, 1, "已协调", D)),
    "answer_instruction": (_instruction, lambda c, w, pid: c.projects.answer_instruction(
        w, pid, 1, "已落实", D)),
}
MANAGERS = ("admin", "bureau")
HANDLERS = ("admin", "bureau", "unit")
READ_ALL = ("admin", "bureau", "leader", "supervisor", "park_office")
# An agent reads only the projects its agency cases name (tests/integration/test_agency_app.py).


def _check(c: Container, caller: Caller, pid: UUID, prep: Prep, act: Act,
           allowed: bool) -> None:
    prep(c, pid)
    before_head, before_version = c.ledger.head(), version(c, pid)
    if allowed:
        result = act(c, caller, pid)
        assert result.state.version == before_version + 1
        assert c.store.events(pid)[-1].audit.actor_id == caller.account_id
    else:
        with pytest.raises(Forbidden):
            act(c, caller, pid)
        assert (c.ledger.head(), version(c, pid)) == (before_head, before_version)


# --- register and manage ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ALL)
def test_only_bureau_and_admin_may_register(app: Container, who: dict[str, Caller],
                                            key: str) -> None:
    details = ProjectDetails(name="登记", investor="投资方", industry="机械",
                             total_investment=Decimal("1"), county="liudong",
                             responsible_unit="liudong")
    head = app.ledger.head()
    if key in MANAGERS:
        state = app.projects.register(who[key], details, D).state
        assert app.store.events(state.id)[0].audit.role == who[key].role
    else:
        with pytest.raises(Forbidden):
            app.projects.register(who[key], details, D)
        assert app.ledger.head() == head


@pytest.mark.parametrize("key", ALL)
@pytest.mark.parametrize("action", list(MANAGE_ACTIONS))
def test_only_bureau_and_admin_may_change_a_project(app: Container, who: dict[str, Caller],
                                                    action: str, key: str) -> None:
    prep, act = MANAGE_ACTIONS[action]
    _check(app, who[key], new_project(app), prep, act, allowed=key in MANAGERS)


# --- handling by the responsible unit --------------------------------------------------------


@pytest.mark.parametrize("key", ALL)
@pytest.mark.parametrize("action", list(HANDLE_ACTIONS))
def test_only_bureau_admin_and_the_responsible_unit_may_handle(
        app: Container, who: dict[str, Caller], action: str, key: str) -> None:
    prep, act = HANDLE_ACTIONS[action]
    _check(app, who[key], new_project(app), prep, act, allowed=key in HANDLERS)


@pytest.mark.parametrize("action", list(HANDLE_ACTIONS))
def test_a_unit_that_is_only_the_county_may_not_handle(
        app: Container, who: dict[str, Caller], action: str) -> None:
    prep, act = HANDLE_ACTIONS[action]
    pid = new_project(app, county="liudong", unit="fgw")  # `unit` reads it through its county
    assert app.projects.get(who["unit"], pid).id == pid
    _check(app, who["unit"], pid, prep, act, allowed=False)


def test_reassignment_moves_handling_to_the_new_unit(app: Container,
                                                     who: dict[str, Caller]) -> None:
    pid = new_project(app, county="liunan", unit="liudong")
    app.projects.reassign(who["bureau"], pid, "liujiang", "移交", D)
    with pytest.raises(Forbidden):
        app.projects.raise_problem(who["unit"], pid, "问题", D)
    with pytest.raises(Forbidden):
        app.projects.get(who["unit"], pid)
    assert app.projects.raise_problem(who["other_unit"], pid, "问题", D).state.version == 3


# --- instructions and comments ---------------------------------------------------------------


@pytest.mark.parametrize("key", ALL)
def test_only_a_leader_may_instruct(app: Container, who: dict[str, Caller], key: str) -> None:
    act: Act = lambda c, w, pid: c.projects.instruct(w, pid, "加快推进", D)  # noqa: E731
    _check(app, who[key], new_project(app), _none, act, allowed=key == "leader")


def test_an_instruction_records_the_leaders_name(app: Container,
                                                 who: dict[str, Caller]) -> None:
    state = app.projects.instruct(who["leader"], new_project(app), "加快推进", D).state
    assert state.instructions[0]["leader"] == who["leader"].name


@pytest.mark.parametrize("key", ALL)
def test_anyone_who_can_read_may_comment(app: Container, who: dict[str, Caller],
                                         key: str) -> None:
    act: Act = lambda c, w, pid: c.projects.comment(w, pid, "留言", D)  # noqa: E731
    _check(app, who[key], new_project(app), _none, act,
           allowed=key not in ("enterprise", "agent"))  # no agency case names it


@pytest.mark.parametrize("key", ["unit", "other_unit"])
def test_a_unit_may_not_comment_on_a_project_it_cannot_read(
        app: Container, who: dict[str, Caller], key: str) -> None:
    act: Act = lambda c, w, pid: c.projects.comment(w, pid, "留言", D)  # noqa: E731
    _check(app, who[key], new_project(app, county="liunan", unit="fgw"), _none, act,
           allowed=False)


# --- reads -----------------------------------------------------------------------------------

# Project layouts (county, responsible_unit) → which unit accounts may read them.
LAYOUTS: dict[str, tuple[str, str, frozenset[str]]] = {
    "responsible-unit-and-county": ("liujiang", "liudong", frozenset({"unit", "other_unit"})),
    "responsible-only": ("liunan", "liudong", frozenset({"unit"})),
    "county-only": ("liudong", "fgw", frozenset({"unit"})),
    "other-responsible": ("liunan", "liujiang", frozenset({"other_unit"})),
    "neither": ("liunan", "fgw", frozenset()),
}


@pytest.mark.parametrize("key", ALL)
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_read_scope_of_each_role(app: Container, who: dict[str, Caller], layout: str,
                                 key: str) -> None:
    county, unit, unit_readers = LAYOUTS[layout]
    pid = new_project(app, county=county, unit=unit)
    allowed = key in READ_ALL or key in unit_readers
    if allowed:
        assert app.projects.get(who[key], pid).id == pid
        assert app.projects.get(who[key], pid, as_of_version=1).version == 1
        assert [e.type for e in app.projects.history(who[key], pid)] == ["Registered"]
    else:
        with pytest.raises(Forbidden):
            app.projects.get(who[key], pid)
        with pytest.raises(Forbidden):
            app.projects.get(who[key], pid, as_of_version=1)
        with pytest.raises(Forbidden):
            app.projects.history(who[key], pid)


def test_enterprise_may_not_read_any_project(app: Container, who: dict[str, Caller]) -> None:
    for county, unit, _ in LAYOUTS.values():
        with pytest.raises(Forbidden):
            app.projects.get(who["enterprise"], new_project(app, county=county, unit=unit))


def test_a_unit_role_without_a_unit_reads_nothing(app: Container) -> None:
    """Defence in depth: a Caller of role unit and no unit is refused, never read-all."""
    stray = Caller(account_id="x", name="无单位", role=Role.unit, unit=None)
    with pytest.raises(Forbidden):
        app.projects.get(stray, new_project(app))



@pytest.mark.parametrize("key", ["enterprise", "unit"])
def test_a_caller_who_may_not_read_learns_nothing_from_expected_version(
        app: Container, who: dict[str, Caller], key: str) -> None:
    pid = new_project(app, county="liunan", unit="fgw")
    with pytest.raises(Forbidden):
        app.projects.comment(who[key], pid, "留言", D, expected_version=99)
