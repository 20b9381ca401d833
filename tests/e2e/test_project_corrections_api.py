"""Corrections (更正) and the revocation of a termination (撤销终止) over HTTP: the state,
the ledger, the supervision view and the history follow; a refused one writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import auth, on_every_backend
from tests.e2e.helpers import (
    FUTURE,
    SIGNED_ON,
    Api,
    account_name,
    assert_problem,
)

SUPERVISION = "/api/v1/supervision/overdue"
JOURNAL = "/api/v1/audit/journal"


def correct(api: Api, pid: str, field: str, value: Any, reason: str = "合同文本核对有误",
            who: str = "bureau", **extra: Any) -> Any:
    return api.post(who, pid, "correct", {"field": field, "value": value, "reason": reason,
                                          **extra})


@on_every_backend
def test_a_corrected_sign_date_reaches_the_ledger_and_the_history(
    api: Api, project: dict[str, Any],
) -> None:
    pid = project["id"]
    api.advance(pid, "signed")

    response = correct(api, pid, "sign_date", "2025-02-20", on="2025-06-01")

    assert response.status_code == 200, response.text
    state = response.json()
    assert (state["sign_date"], state["stage"], state["version"]) == ("2025-02-20", "signed", 3)
    position = int(response.headers["X-Ledger-Position"])
    (row,) = api.ledger(min_position=position, signed_to="2025-02-28")["items"]
    assert (row["id"], row["sign_date"], row["version"]) == (pid, "2025-02-20", 3)
    entry = api.history(pid)[-1]
    assert (entry["type"], entry["label"]) == ("Corrected", "更正签约日期")
    assert entry["data"] == {"field": "sign_date", "value": "2025-02-20",
                             "previous": SIGNED_ON, "reason": "合同文本核对有误",
                             "on": "2025-06-01"}
    assert entry["actor"]["name"] == account_name("bureau")
    # The wrong date stays in the history, on the step that recorded it.
    assert api.history(pid)[1]["data"]["date"] == SIGNED_ON


def test_a_corrected_contract_amount_reaches_the_ledger(
    api: Api, project: dict[str, Any],
) -> None:
    pid = project["id"]
    api.advance(pid, "under_construction")

    state = api.do("admin", pid, "correct", {"field": "contract_amount", "value": 8500.25,
                                             "reason": "补充协议金额"})

    assert state["contract_amount"] == "8500.2500"
    (row,) = api.ledger(min_position=state["_position"])["items"]
    assert row["contract_amount"] == "8500.2500"
    assert api.history(pid)[-1]["label"] == "更正合同金额"


@pytest.mark.parametrize(("field", "value", "status", "detail"), [
    ("construction_date", "2025-02-01", 409,
     "cannot be corrected to 2025-02-01: it would precede the sign_date (签约日期)"),
    ("sign_date", "2025-05-01", 409,
     "it would follow the construction_date (开工日期) 2025-04-15"),
    ("production_date", "2025-09-01", 409, "cannot correct production_date (投产日期)"),
    ("contract_amount", "-5", 422, "contract_amount must not be negative"),
    ("sign_date", FUTURE, 422, "sign_date 2099-01-01 is in the future"),
    ("sign_date", "明天", 422, "value of sign_date must be a date (YYYY-MM-DD), got '明天' "
     "/ 签约日期须为日期"),
    ("contract_amount", "八千", 422, "value of contract_amount must be an amount of 万元"),
    ("name", "新名称", 422, "field: Input should be 'sign_date'"),
])
def test_a_refused_correction_answers_a_problem_and_appends_nothing(
    api: Api, project: dict[str, Any], field: str, value: Any, status: int, detail: str,
) -> None:
    pid = project["id"]
    last = api.advance(pid, "under_construction")

    problem = assert_problem(correct(api, pid, field, value), status)

    assert detail in problem["detail"]
    api.assert_log_head(last["_position"])
    assert api.state(pid)["version"] == last["version"]


def test_a_correction_without_a_reason_is_refused(api: Api, project: dict[str, Any]) -> None:
    pid = project["id"]
    last = api.advance(pid, "signed")
    for body in ({"field": "sign_date", "value": "2025-02-20"},
                 {"field": "sign_date", "value": "2025-02-20", "reason": "  "}):
        assert_problem(api.post("bureau", pid, "correct", body), 422)
    api.assert_log_head(last["_position"])


@pytest.mark.parametrize("who", ["unit", "leader", "supervisor", "park_office"])
def test_only_bureau_staff_correct_or_revoke(api: Api, project: dict[str, Any],
                                             who: str) -> None:
    pid = project["id"]
    api.advance(pid, "signed")
    last = api.do("bureau", pid, "terminate", {"reason": "投资方撤资"})

    assert_problem(correct(api, pid, "sign_date", "2025-02-20", who=who), 403)
    assert_problem(api.post(who, pid, "revoke-termination", {"reason": "误操作"}), 403)
    api.assert_log_head(last["_position"])


@on_every_backend
def test_revoking_a_termination_restores_the_stage_ledger_and_open_items(
    api: Api, project: dict[str, Any],
) -> None:
    pid = project["id"]
    api.advance(pid, "under_construction")
    api.do("unit", pid, "raise-problem", {"text": "电力接入慢", "on": "2025-05-06"})
    api.do("unit", pid, "raise-problem", {"text": "已解决的问题", "on": "2025-05-06"})
    api.do("unit", pid, "problems/2/resolve", {"resolution": "已解决", "on": "2025-05-07"})
    api.do("leader", pid, "instruct", {"text": "务必年内投产", "on": "2025-05-08"})
    terminated = api.do("bureau", pid, "terminate", {"reason": "投资方撤资",
                                                     "on": "2025-06-01"})
    assert open_items(api, pid, terminated["_position"]) == []

    revoked = api.do("bureau", pid, "revoke-termination", {"reason": "终止系误录",
                                                           "on": "2025-06-03"})

    assert (revoked["stage"], revoked["terminated_on"], revoked["termination_reason"]) == (
        "under_construction", None, None)
    assert "start-production" in revoked["allowed_steps"]
    (row,) = api.ledger(min_position=revoked["_position"])["items"]
    assert (row["stage"], row["terminated_on"], row["problems_open"]) == (
        "under_construction", None, 1)
    assert api.ledger(stage="terminated")["count"] == 0
    assert open_items(api, pid, revoked["_position"]) == [
        ("project_instruction", 1, "务必年内投产"), ("project_problem", 1, "电力接入慢")]
    entry = api.history(pid)[-1]
    assert (entry["label"], entry["data"]["reason"], entry["data"]["terminated_on"]) == (
        "撤销终止", "终止系误录", "2025-06-01")
    # The project takes its steps again.
    api.do("bureau", pid, "start-production", {"date": "2025-09-01"})


def open_items(api: Api, pid: str, position: int) -> list[tuple[str, int, str]]:
    body = api.client.get(SUPERVISION, params={"min_position": position},
                          headers=api.headers("supervisor")).json()
    return sorted((i["kind"], i["number"], i["summary"]) for g in body["units"]
                  for i in g["items"] if i["id"] == pid)


def test_revoking_a_project_that_is_not_terminated_is_a_conflict(
    api: Api, project: dict[str, Any],
) -> None:
    pid = project["id"]
    problem = assert_problem(api.post("bureau", pid, "revoke-termination",
                                      {"reason": "误操作"}), 409)
    assert "cannot revoke the termination: project is negotiating (在谈)" in problem["detail"]
    api.assert_log_head(project["_position"])


def test_a_terminated_project_may_have_its_dates_corrected(
    api: Api, project: dict[str, Any],
) -> None:
    pid = project["id"]
    api.advance(pid, "under_construction")
    api.do("bureau", pid, "terminate", {"reason": "投资方撤资", "on": "2025-06-01"})

    state = api.do("bureau", pid, "correct", {"field": "construction_date",
                                              "value": "2025-04-10", "reason": "开工日期录错"})
    assert (state["construction_date"], state["stage"]) == ("2025-04-10", "terminated")
    # Its last stage date still may not follow its termination.
    problem = assert_problem(correct(api, pid, "construction_date", "2025-06-02"), 409)
    assert "follow the terminated_on (终止日期) 2025-06-01" in problem["detail"]


def test_the_journal_names_the_correction_by_its_field(
    api: Api, project: dict[str, Any], tokens: dict[str, str],
) -> None:
    pid = project["id"]
    api.advance(pid, "signed")
    correct(api, pid, "contract_amount", "9000")

    page = api.client.get(JOURNAL, params={"limit": 1000}, headers=auth(tokens["supervisor"]))
    (entry,) = [e for e in page.json()["entries"]
                if e["item_id"] == pid and e["type"] == "Corrected"]
    assert (entry["label"], entry["data"]["previous"], entry["data"]["value"]) == (
        "更正合同金额", "8000.0000", "9000.0000")
