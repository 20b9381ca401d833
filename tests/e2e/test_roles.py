"""Who may do what: roles and unit scope, through the HTTP API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import ROLE_ACCOUNTS
from tests.e2e.helpers import SIGNED_ON, Api, assert_problem, position_of

ROLES = tuple(ROLE_ACCOUNTS)
MANAGERS = frozenset({"admin", "bureau"})
HANDLERS = MANAGERS | {"unit"}  # the responsible unit (liudong) and the bureau
# An agent reads (and comments on) only the projects its agency cases name: none here.
READERS = frozenset({"admin", "bureau", "leader", "supervisor", "park_office", "unit"})


def _nothing(api: Api, pid: str) -> int:
    return 1


def _with_problem(api: Api, pid: str) -> int:
    return int(api.do("unit", pid, "raise-problem", {"text": "用地指标不足"})["version"])


def _with_instruction(api: Api, pid: str) -> int:
    return int(api.do("leader", pid, "instruct", {"text": "务必年内开工"})["version"])


def _with_key_year(api: Api, pid: str) -> int:
    listed = api.do("bureau", pid, "designate-key", {"year": 2025, "reason": "市重点"})
    return int(listed["version"])


def _signed(api: Api, pid: str) -> int:
    return int(api.advance(pid, "signed")["version"])


Prepare = Callable[[Api, str], int]
ACTION_RULES: list[tuple[str, dict[str, Any], Prepare, frozenset[str]]] = [
    ("sign", {"date": SIGNED_ON, "contract_amount": "100"}, _nothing, MANAGERS),
    ("start-construction", {"date": SIGNED_ON}, _signed, MANAGERS),
    ("terminate", {"reason": "撤资"}, _nothing, MANAGERS),
    ("revise", {"park": "柳东汽车城"}, _nothing, MANAGERS),
    ("reassign", {"unit": "liujiang", "reason": "属地调整"}, _nothing, MANAGERS),
    ("designate-key", {"year": 2025, "reason": "市重点"}, _nothing, MANAGERS),
    ("drop-key", {"year": 2025, "reason": "调整"}, _with_key_year, MANAGERS),
    ("report-progress", {"period": "2025-05", "text": "进展顺利"}, _nothing, HANDLERS),
    ("raise-problem", {"text": "电力接入慢"}, _nothing, HANDLERS),
    ("problems/1/resolve", {"resolution": "已解决"}, _with_problem, HANDLERS),
    ("instructions/1/answer", {"text": "已落实"}, _with_instruction, HANDLERS),
    ("instruct", {"text": "抓紧推进"}, _nothing, frozenset({"leader"})),
    ("comment", {"text": "请关注"}, _nothing, READERS),
]


@pytest.mark.parametrize(("action", "body", "prepare", "allowed"), ACTION_RULES,
                         ids=[rule[0] for rule in ACTION_RULES])
def test_only_allowed_roles_may_run_a_command(
    api: Api, action: str, body: dict[str, Any], prepare: Prepare, allowed: frozenset[str]
) -> None:
    outcomes: dict[str, int] = {}
    for who in ROLES:
        pid = api.create(name=f"{action} by {who}")["id"]
        version = prepare(api, pid)

        response = api.post(who, pid, action, body, version=version)

        outcomes[who] = response.status_code
        if response.status_code == 403:
            assert_problem(response, 403)
            assert len(api.history(pid)) == version, f"{who} appended an event"
    assert outcomes == {who: 200 if who in allowed else 403 for who in ROLES}


def test_only_admin_and_bureau_may_register_projects(api: Api) -> None:
    responses = {who: api.register(who, name=f"registered by {who}") for who in ROLES}

    assert {who: r.status_code for who, r in responses.items()} == {
        who: 201 if who in MANAGERS else 403 for who in ROLES}
    last = max(position_of(responses[who]) for who in MANAGERS)
    api.assert_log_head(last)
    names = {row["name"] for row in api.ledger(min_position=last)["items"]}
    assert names == {"registered by admin", "registered by bureau"}


def test_reading_a_project_and_its_history_follows_the_unit_scope(
    api: Api, project: dict[str, Any]
) -> None:
    reads = {who: (api.get(who, project["id"]).status_code,
                   api.get_history(who, project["id"]).status_code) for who in ROLES}

    assert reads == {who: (200, 200) if who in READERS else (403, 403) for who in ROLES}


def test_leader_cannot_register_a_project(api: Api) -> None:
    problem = assert_problem(api.register("leader"), 403)

    assert "register" in problem["detail"]


def test_unit_cannot_sign_its_own_project(api: Api, project: dict[str, Any]) -> None:
    response = api.post("unit", project["id"], "sign",
                        {"date": SIGNED_ON, "contract_amount": "1"})

    assert_problem(response, 403)
    assert api.state(project["id"])["stage"] == "negotiating"


def test_bureau_cannot_give_instructions(api: Api, project: dict[str, Any]) -> None:
    problem = assert_problem(api.post("bureau", project["id"], "instruct", {"text": "抓紧"}), 403)

    assert "批示" in problem["detail"]
    assert api.state(project["id"])["instructions"] == []


def test_unit_cannot_read_another_units_project(api: Api, project: dict[str, Any]) -> None:
    assert_problem(api.get("other_unit", project["id"]), 403)
    assert_problem(api.get_history("other_unit", project["id"]), 403)
    assert_problem(api.get("other_unit", project["id"], as_of_version=1), 403)


def test_unit_cannot_report_progress_on_other_units_project(
    api: Api, project: dict[str, Any]
) -> None:
    response = api.post("other_unit", project["id"], "report-progress",
                        {"period": "2025", "text": "冒名报送"})

    assert_problem(response, 403)
    assert api.state(project["id"])["latest_progress"] is None
    assert len(api.history(project["id"])) == 1


def test_unit_cannot_answer_instructions_of_other_units_projects(
    api: Api, project: dict[str, Any]
) -> None:
    api.do("leader", project["id"], "instruct", {"text": "务必年内开工"})

    response = api.post("other_unit", project["id"], "instructions/1/answer", {"text": "已落实"})

    assert_problem(response, 403)
    assert api.state(project["id"])["instructions"][0]["answer"] is None


def test_unit_responsible_for_a_project_elsewhere_reads_and_handles_it(api: Api) -> None:
    pid = api.create(county="liujiang", responsible_unit="liudong")["id"]

    assert api.get("unit", pid).status_code == 200
    progress = api.do("unit", pid, "report-progress", {"period": "2025", "text": "进展"})
    assert progress["version"] == 2
    # The county (liujiang) sees the project in its area but does not handle it.
    assert api.get("other_unit", pid).status_code == 200
    assert_problem(api.post("other_unit", pid, "report-progress",
                            {"period": "2025", "text": "进展"}), 403)


def test_county_unit_reads_but_cannot_handle_a_project_another_unit_is_responsible_for(
    api: Api,
) -> None:
    pid = api.create(county="liudong", responsible_unit="gxj")["id"]

    assert api.get("unit", pid).status_code == 200
    assert_problem(api.post("unit", pid, "raise-problem", {"text": "问题"}), 403)
    assert api.do("unit", pid, "comment", {"text": "属地关注"})["comment_count"] == 1


def test_reassigning_moves_handling_to_the_new_unit(api: Api) -> None:
    pid = api.create(county="yufeng", responsible_unit="liudong")["id"]
    api.do("bureau", pid, "reassign", {"unit": "liujiang", "reason": "属地调整"})

    assert_problem(api.get("unit", pid), 403)
    assert_problem(api.post("unit", pid, "report-progress", {"period": "2025", "text": "x"}), 403)
    state = api.do("other_unit", pid, "report-progress", {"period": "2025", "text": "已接手"})
    assert state["latest_progress"] == "已接手"


@pytest.mark.parametrize(("who", "action", "body"), [
    ("other_unit", "comment", {"text": "窥探"}),
    ("leader", "sign", {"date": SIGNED_ON, "contract_amount": "1"}),
    ("enterprise", "comment", {"text": "窥探"}),
])
def test_a_caller_without_permission_gets_403_even_with_a_stale_if_match(
    api: Api, project: dict[str, Any], who: str, action: str, body: dict[str, Any]
) -> None:
    # RFC 9110 13.2.1: preconditions are ignored when the request would fail anyway;
    # a 412 would also tell a stranger the project's current version.
    problem = assert_problem(api.post(who, project["id"], action, body, version=7), 403)

    assert "version" not in problem["detail"]
    assert len(api.history(project["id"])) == 1


@pytest.mark.parametrize("who", ["leader", "supervisor"])
def test_leader_and_supervisor_read_every_project(api: Api, who: str) -> None:
    created = [api.create(county=county, responsible_unit=unit)
               for county, unit in [("liudong", "liudong"), ("liujiang", "liujiang"),
                                    ("rongan", "fgw")]]
    ids = {p["id"] for p in created}

    for pid in ids:
        assert api.get(who, pid).status_code == 200
    ledger = api.ledger(who, min_position=created[-1]["_position"])
    assert {row["id"] for row in ledger["items"]} == ids


def test_enterprise_cannot_read_projects_or_the_ledger(api: Api, project: dict[str, Any]) -> None:
    assert_problem(api.get("enterprise", project["id"]), 403)
    assert_problem(api.get_ledger("enterprise"), 403)


def test_every_role_may_read_the_unit_list(api: Api) -> None:
    statuses = {who: api.client.get("/api/v1/units", headers=api.headers(who)).status_code
                for who in ROLES}

    assert statuses == dict.fromkeys(ROLES, 200)
