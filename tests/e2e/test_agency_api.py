"""The agency API (代办服务) as clients use it: a case's whole story, what an agent reads, the
agency ledger and statistics, the supervision view, and each error mapping."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.e2e.enterprises import CODE, Firms, code_of
from tests.e2e.helpers import FUTURE, Api, assert_problem, position_of

CASES = "/api/v1/agency-cases"
LEDGER = "/api/v1/ledgers/agency-cases"
STATS = "/api/v1/stats/agency"
ON = "2025-03-03"


def agent_id(firms: Firms, key: str = "agent") -> str:
    return str(firms.container.accounts.authenticate(firms.api.tokens[key]).account_id)


def open_case(firms: Firms, who: str = "bureau", **fields: Any) -> httpx.Response:
    body = {"credit_code": CODE, "opened_on": ON} | fields
    if who == "bureau":
        body.setdefault("agent", agent_id(firms))
    return firms.post(who, CASES, {k: v for k, v in body.items() if v is not None})


def step(firms: Firms, who: str, case: str, path: str, body: dict[str, Any],
         version: int | None = None) -> httpx.Response:
    return firms.post(who, f"{CASES}/{case}/{path}", body, version)


@pytest.fixture
def case(firms: Firms, firm: dict[str, Any]) -> dict[str, Any]:
    """A case of the `enterprise` account's enterprise, opened by the bureau for `agent`."""
    return firms.ok(open_case(firms), 201)


def test_a_case_from_opening_to_closing(firms: Firms, api: Api, firm: dict[str, Any]) -> None:
    project = api.create()
    response = open_case(firms, project_id=project["id"])
    opened = firms.ok(response, 201)
    cid = opened["id"]
    assert response.headers["Location"] == f"{CASES}/{cid}"
    assert (opened["status_label"], opened["agent_name"], opened["enterprise_id"]) == (
        "代办中", "代办员", firm["id"])

    for item, status, on in (("project_filing", "submitted", "2025-03-04"),
                             ("project_filing", "approved", "2025-03-12"),
                             ("energy_review", "not_needed", "2025-03-05")):
        firms.ok(step(firms, "agent", cid, "items", {"item": item, "status": status, "on": on}))
    firms.ok(step(firms, "agent", cid, "milestones", {"milestone": "filing", "on": "2025-03-12"}))
    state = firms.ok(step(firms, "agent", cid, "close", {"summary": "立项备案已批复",
                                                         "on": "2025-03-13"}))

    assert (state["status"], state["status_label"], state["version"]) == ("closed", "已办结", 6)
    assert [(i["item"], i["name"], i["status_label"]) for i in state["items"]] == [
        ("project_filing", "立项备案", "已批复"), ("energy_review", "能评", "无需办理")]
    assert state["milestones"] == [{"milestone": "filing", "milestone_label": "立项",
                                    "on": "2025-03-12"}]
    assert state["allowed_steps"] == []
    history = firms.read("supervisor", f"{CASES}/{cid}/history")
    assert [(h["label"], h["actor"]["name"]) for h in history] == [
        ("受理代办", "投促局 王颖颖"), ("审批事项进展", "代办员"), ("审批事项进展", "代办员"),
        ("审批事项进展", "代办员"), ("项目节点", "代办员"), ("代办办结", "代办员")]
    assert firms.read("enterprise", f"{CASES}/{cid}")["summary"] == "立项备案已批复"


def test_an_agent_reads_the_project_and_enterprise_of_its_case(
        firms: Firms, api: Api, firm: dict[str, Any]) -> None:
    project = api.create()
    assert_problem(api.get("agent", project["id"]), 403)
    assert_problem(firms.get("agent", f"/api/v1/enterprises/{firm['id']}"), 403)

    opened = firms.ok(open_case(firms, "agent", project_id=project["id"]), 201)

    assert api.get("agent", project["id"]).status_code == 200
    assert firms.read("agent", f"/api/v1/enterprises/by-code/{CODE}")["id"] == firm["id"]
    ledger = api.ledger("agent", min_position=opened["_position"])
    assert [row["id"] for row in ledger["items"]] == [project["id"]]


def test_agency_ledger_and_statistics(firms: Firms, case: dict[str, Any]) -> None:
    firms.enterprise(credit_code=code_of(1))
    second = firms.ok(open_case(firms, credit_code=code_of(1), opened_on="2025-03-05"), 201)
    for status, on in (("submitted", "2025-04-28"), ("approved", "2025-05-08")):
        last = firms.ok(step(firms, "bureau", case["id"], "items",
                             {"item": "project_filing", "status": status, "on": on}))

    ledger = firms.read("supervisor", LEDGER, min_position=last["_position"],
                        enterprise=CODE)
    (row,) = ledger["items"]
    assert (row["id"], row["enterprise_name"], row["items_approved"], row["status_label"]) == (
        case["id"], "柳州某汽车零部件有限公司", 1, "代办中")
    assert firms.read("enterprise", LEDGER)["count"] == 1  # its own
    assert firms.read("agent", LEDGER)["count"] == 2
    assert firms.read("bureau", LEDGER, pending_over="0")["count"] == 0

    stats = firms.read("leader", STATS, **{"from": "2025-04-01", "to": "2025-06-30",
                                           "min_position": str(second["_position"])})
    assert (stats["period"], stats["enterprises_served"], stats["summary"]) == (
        {"from": "2025-04-01", "to": "2025-06-30"}, 2, "为2家企业开展代办服务")
    assert (stats["items_approved"], stats["median_working_days"]) == (1, 5.0)
    assert stats["by_item"][0] == {"code": "project_filing", "label": "立项备案",
                                   "approved": 1, "median_working_days": 5.0}
    assert_problem(firms.get("agent", STATS), 403)
    assert_problem(firms.get("bureau", STATS, **{"from": "2025-07-01", "to": "2025-06-30"}),
                   422)


def test_a_stalled_item_shows_in_the_supervision_view(firms: Firms,
                                                      case: dict[str, Any]) -> None:
    last = firms.ok(step(firms, "agent", case["id"], "items",
                         {"item": "construction_permit", "status": "submitted", "on": ON}))
    view = firms.read("supervisor", "/api/v1/supervision/overdue",
                      min_position=last["_position"])
    (group,) = view["units"]
    (found,) = group["items"]
    assert (group["unit"], found["kind"], found["kind_label"], found["state"]) == (
        "tcj", "agency_item", "代办事项", "overdue")
    assert (found["id"], found["summary"]) == (case["id"], "施工许可 · 已报件")


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "detail"), [
    ({"enterprise_id": "ENTERPRISE"}, "exactly one of credit_code or enterprise_id"),
    ({"credit_code": None}, "exactly one"),
    ({"agent": None}, "agent is required"),
    ({"credit_code": code_of(9)}, "register the enterprise first"),
    ({"opened_on": FUTURE}, "in the future"),
])
def test_opening_refusals_are_422_in_both_languages(firms: Firms, firm: dict[str, Any],
                                                    fields: dict[str, Any],
                                                    detail: str) -> None:
    fields = {k: firm["id"] if v == "ENTERPRISE" else v for k, v in fields.items()}
    body = {"credit_code": CODE, "opened_on": ON, "agent": agent_id(firms)} | fields
    response = firms.post("bureau", CASES, {k: v for k, v in body.items() if v is not None})
    problem = assert_problem(response, 422)
    assert detail in problem["detail"] and " / " in problem["detail"]


def test_step_errors_map_to_their_statuses(firms: Firms, case: dict[str, Any]) -> None:
    cid = case["id"]
    refused = step(firms, "agent", cid, "items", {"item": "project_filing",
                                                  "status": "approved", "on": ON})
    assert "不能从当前状态改为已批复" in assert_problem(refused, 409)["detail"]
    assert_problem(step(firms, "agent", cid, "items", {"item": "project_filing",
                                                       "status": "pending"}, version=7), 412)
    assert_problem(step(firms, "unit", cid, "items", {"item": "project_filing",
                                                      "status": "pending"}), 403)
    assert_problem(step(firms, "agent", str(uuid.uuid4()), "items",
                        {"item": "project_filing", "status": "pending"}), 404)
    unknown = step(firms, "agent", cid, "items", {"item": "nowhere", "status": "pending"})
    assert "审批事项代码" in assert_problem(unknown, 422)["detail"]
    assert_problem(step(firms, "agent", cid, "close", {"summary": "x", "extra": 1}), 422)
    assert firms.api.client.get(f"{CASES}/{cid}").status_code == 401
    assert firms.read("admin", f"{CASES}/{cid}")["version"] == 1
    assert position_of(open_case(firms)) > case["_position"]
