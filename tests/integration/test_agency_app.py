"""AgencyService (代办服务): opening with its references and its agent, who handles a case,
what an agent reads (its cases, and the projects and enterprises they name, at once), the
permit-item catalogue and the items' working-day deadlines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM, Caller
from application.errors import Forbidden
from domain.errors import InvalidValue, RuleViolation
from tests.conftest import add_role_accounts, sqlite_settings
from tests.integration.agency import OPENED, Agency
from tests.integration.enterprises import CODE, code_of, head


@pytest.fixture
def agency(container: Container, callers: dict[str, Caller]) -> Agency:
    return Agency(container, callers)


# --- opening -------------------------------------------------------------------------------


def test_bureau_opens_a_case_for_an_agent_and_an_agent_opens_its_own(
        agency: Agency, callers: dict[str, Caller]) -> None:
    agency.enterprise()
    other = agency.agent(unit="liudong")
    pid = agency.project()

    by_bureau = agency.open(agent=other, project_id=pid)
    by_agent = agency.c.agency_cases.open_case(callers["agent"], credit_code=CODE).state

    assert (by_bureau.agent, by_bureau.agent_name, by_bureau.agent_unit) == (
        other.account_id, "李代办", "liudong")
    assert (by_bureau.project_id, by_bureau.opened_on, by_bureau.status) == (pid, OPENED, "open")
    assert (by_agent.agent, by_agent.opened_on) == (callers["agent"].account_id,
                                                     agency.c.clock.today())
    assert by_bureau.allowed_steps == ["items", "milestones", "reassign", "close"]


@pytest.mark.parametrize(("fields", "message"), [
    ({}, "agent is required"),
    ({"agent": "nobody"}, "not the account id of an active agent account"),
    ({"agent": "LEADER"}, "须为在用的代办员账号"),
    ({"agent": "AGENT", "credit_code": None}, "exactly one of credit_code or enterprise_id"),
    ({"agent": "AGENT", "enterprise_id": "ID"}, "exactly one"),
    ({"agent": "AGENT", "credit_code": code_of(9)}, "register the enterprise first"),
    ({"agent": "AGENT", "project_id": uuid4()}, "no project"),
    ({"agent": "AGENT", "project_id": "TERMINATED"}, "terminated"),
    ({"agent": "AGENT", "opened_on": date(2099, 1, 1)}, "in the future"),
])
def test_a_case_with_a_bad_reference_is_invalid_and_appends_nothing(
        agency: Agency, callers: dict[str, Caller], fields: dict[str, Any],
        message: str) -> None:
    agency.enterprise()
    terminated = agency.project()
    agency.c.projects.terminate(SYSTEM, terminated, "投资方撤资", OPENED)
    stand_ins = {"AGENT": callers["agent"].account_id, "LEADER": callers["leader"].account_id,
                 "ID": agency.c.enterprises.load_by_code(CODE).id, "TERMINATED": terminated}
    values = {"credit_code": CODE, **{k: stand_ins.get(v, v) if isinstance(v, str) else v
                                      for k, v in fields.items()}}
    before = head(agency.c)

    with pytest.raises(InvalidValue, match=message):
        agency.c.agency_cases.open_case(callers["bureau"], **values)
    assert head(agency.c) == before


@pytest.mark.parametrize("key", ["leader", "supervisor", "unit", "park_office", "enterprise"])
def test_only_bureau_and_agents_open_cases(agency: Agency, callers: dict[str, Caller],
                                           key: str) -> None:
    agency.enterprise()
    with pytest.raises(Forbidden):
        agency.c.agency_cases.open_case(callers[key], credit_code=CODE,
                                        agent=callers["agent"].account_id)


def test_an_agent_opens_cases_for_itself_only(agency: Agency, callers: dict[str, Caller]) -> None:
    agency.enterprise()
    other = agency.agent()
    with pytest.raises(Forbidden, match="another agent"):
        agency.c.agency_cases.open_case(callers["agent"], credit_code=CODE,
                                        agent=other.account_id)


# --- who handles and reads a case ------------------------------------------------------------


def test_only_the_cases_agent_and_bureau_staff_handle_it(agency: Agency,
                                                        callers: dict[str, Caller]) -> None:
    agency.enterprise()
    case = agency.open().id
    other = agency.agent()
    service = agency.c.agency_cases

    assert service.record_item(callers["agent"], case, "project_filing", "pending",
                               on=OPENED).state.version == 2
    assert service.reach_milestone(callers["bureau"], case, "filing", OPENED).state.version == 3
    for refused in (other, callers["supervisor"], callers["enterprise"], callers["unit"]):
        with pytest.raises(Forbidden):
            service.record_item(refused, case, "project_filing", "submitted", on=OPENED)
    with pytest.raises(Forbidden):
        service.reassign(callers["agent"], case, other.account_id, "调整")
    with pytest.raises(InvalidValue, match="unknown permit item"):
        service.record_item(callers["agent"], case, "parking_permit", "pending")


def test_readers_of_a_case(agency: Agency, callers: dict[str, Caller]) -> None:
    agency.enterprise()
    agency.enterprise(1)
    own = agency.open().id
    others = agency.open(code_of(1)).id
    service = agency.c.agency_cases

    for key in ("admin", "bureau", "supervisor", "leader", "agent", "enterprise"):
        assert service.get(callers[key], own).id == own
    for key in ("unit", "park_office"):
        with pytest.raises(Forbidden):
            service.get(callers[key], own)
    with pytest.raises(Forbidden):  # the enterprise account reads its own enterprise's only
        service.history(callers["enterprise"], others)
    with pytest.raises(Forbidden):
        service.get(agency.agent(), own)


def test_an_agent_reads_the_project_and_enterprise_of_its_cases_at_once(
        agency: Agency, callers: dict[str, Caller]) -> None:
    agent = callers["agent"]
    eid = agency.c.enterprises.load_by_code(agency.enterprise()).id
    pid = agency.project()
    c = agency.c
    with pytest.raises(Forbidden):
        c.projects.get(agent, pid)
    with pytest.raises(Forbidden):
        c.enterprises.get(agent, eid)

    case = agency.open(project_id=pid).id

    assert c.projects.get(agent, pid).id == pid  # the index is saved with the case
    assert c.enterprises.get_by_code(agent, CODE).id == eid
    assert c.projects.comment(agent, pid, "已对接自然资源局", OPENED).state.comment_count == 1
    with pytest.raises(Forbidden):
        c.projects.get(agent, agency.project("另一项目"))

    successor = agency.agent("接任代办员")
    c.agency_cases.reassign(callers["bureau"], case, successor.account_id, "工作调整", OPENED)
    with pytest.raises(Forbidden):
        c.projects.get(agent, pid)
    with pytest.raises(Forbidden):
        c.agency_cases.get(agent, case)
    assert c.projects.get(successor, pid).id == pid
    assert c.agency_cases.get(successor, case).agent_name == "接任代办员"


def test_a_closed_case_refuses_steps_but_its_agent_still_reads(
        agency: Agency, callers: dict[str, Caller]) -> None:
    agency.enterprise()
    case = agency.open().id
    agency.close(case, date(2025, 3, 10))
    with pytest.raises(RuleViolation, match="已办结"):
        agency.item(case, "project_filing", "pending", date(2025, 3, 11), who="agent")
    assert agency.c.agency_cases.get(callers["agent"], case).summary == "代办完成"


# --- items: names and deadlines ---------------------------------------------------------------


def test_items_show_in_catalogue_order_with_names_and_working_day_deadlines(
        agency: Agency) -> None:
    agency.enterprise()
    case = agency.open().id
    agency.item(case, "construction_permit", "pending", date(2025, 9, 26))
    state = agency.item(case, "project_filing", "submitted", date(2025, 3, 4))

    filing, permit = state.items
    assert (filing["item"], filing["name"], permit["name"]) == (
        "project_filing", "立项备案", "施工许可")
    # 20 working days from Friday 26 September 2025 count the 调休 Sunday 28 September and
    # Saturday 11 October and skip National Day (1–8 October).
    assert permit["due"].due == date(2025, 10, 30)
    assert permit["due"].working_days == 20
    assert filing["overdue"] and permit["overdue"]  # both long past, still open


def test_the_catalogue_and_the_item_days_are_settings(tmp_path: Path) -> None:
    catalogue = tmp_path / "items.json"
    catalogue.write_text(json.dumps([{"code": "water", "name": "供水报装"},
                                     {"code": "power", "name": "用电报装"}]), "utf-8")
    c = build(sqlite_settings(tmp_path, agency_items_file=catalogue, agency_item_days=3))
    try:
        callers = {k: c.accounts.authenticate(t) for k, t in add_role_accounts(c).items()}
        agency = Agency(c, callers)
        agency.enterprise()
        case = agency.open().id
        state = agency.item(case, "power", "pending", date(2025, 3, 3))
        assert (state.items[0]["name"], state.items[0]["due"].due) == ("用电报装",
                                                                      date(2025, 3, 6))
        with pytest.raises(InvalidValue, match="water"):
            agency.item(case, "project_filing", "pending", date(2025, 3, 3))
    finally:
        c.close()


def test_a_catalogue_with_a_repeated_or_missing_code_is_refused(tmp_path: Path) -> None:
    from application.agency_items import AgencyItems

    path = tmp_path / "items.json"
    path.write_text(json.dumps([{"code": "a", "name": "甲"}, {"code": "a", "name": "乙"},
                                {"name": "无代码"}]), "utf-8")
    with pytest.raises(ValueError, match="repeated: a"):
        AgencyItems.load(path)


def test_configuring_2027_recomputes_open_item_deadlines(tmp_path: Path) -> None:
    from application.settings import Settings
    from tests.integration.test_calendar_sync import In2027, _override

    url = f"sqlite:///{tmp_path}/a.db"
    first = build(Settings(database_url=url, agency_item_days=3), clock=In2027())
    try:
        callers = {k: first.accounts.authenticate(t) for k, t in add_role_accounts(first).items()}
        agency = Agency(first, callers)
        agency.enterprise()
        case = agency.open(on=date(2027, 3, 1)).id
        agency.item(case, "project_filing", "submitted", date(2027, 3, 1))
        agency.items(case, "eia_approval", ("submitted", date(2027, 3, 1)),
                     ("approved", date(2027, 3, 1)))
        state = first.agency_cases.get(SYSTEM, case)
        assert [(i["due"].due, i["due"].provisional) for i in state.items] == [
            (date(2027, 3, 4), True), (date(2027, 3, 4), True)]
        first.sync_calendar()
    finally:
        first.close()

    configured = build(Settings(database_url=url, agency_item_days=3,
                                calendar_overrides_file=_override(tmp_path)), clock=In2027())
    try:
        assert configured.sync_calendar().recomputed == 1  # the approved item is left alone
        filing = configured.agency_cases.get(SYSTEM, case).items[0]
        assert (filing["due"].due, filing["due"].provisional) == (date(2027, 3, 5), False)
        configured.follower.catch_up()
        with configured.views.read() as tx:
            row = tx.one("SELECT due, provisional FROM supervision_items WHERE id = ?",
                         (f"agency_item:{case}:project_filing",))
            ledger = tx.one("SELECT next_due FROM agency_ledger WHERE id = ?", (str(case),))
        assert row == {"due": "2027-03-05", "provisional": 0}
        assert ledger == {"next_due": "2027-03-05"}
    finally:
        configured.close()
