"""Leaders' instructions (批示) on complaints and enterprise requests over HTTP, as on
projects: a leader instructs with a due date, the handling unit answers, and until then the
instruction is an item of that unit in the supervision view."""

from __future__ import annotations

from typing import Any

from tests.e2e.complaints import ASSIGNED_ON, ComplaintApi
from tests.e2e.enterprises import ON, Firms
from tests.e2e.helpers import Api, assert_problem

SUPERVISION = "/api/v1/supervision/overdue"
GIVEN_ON, DUE = "2025-10-09", "2025-10-17"  # past today: the item is overdue


def items(api: Api, position: int, kind: str) -> list[tuple[str, str, str]]:
    response = api.client.get(SUPERVISION, params={"min_position": position},
                              headers=api.headers("supervisor"))
    assert response.status_code == 200, response.text
    return [(group["unit"], i["id"], i["state"]) for group in response.json()["units"]
            for i in group["items"] if i["kind"] == kind]


def test_a_leader_instructs_on_a_complaint_and_the_assigned_unit_answers(
        complaints: ComplaintApi, api: Api) -> None:
    cid = complaints.create()["id"]
    complaints.advance(cid, "accepted")
    complaints.do("bureau", cid, "assign", {"unit": "liudong", "on": ASSIGNED_ON})
    body = {"text": "请责任单位限期办结并报告", "due": DUE, "on": GIVEN_ON}
    assert_problem(complaints.post("unit", cid, "instruct", body), 403)  # leaders instruct

    given = complaints.do("leader", cid, "instruct", body)
    (instruction,) = given["instructions"]
    assert (instruction["number"], instruction["due"]) == (1, DUE)
    assert items(api, given["_position"], "complaint_instruction") == [
        ("liudong", cid, "overdue")]

    answer = "instructions/1/answer"
    assert_problem(complaints.post("other_unit", cid, answer, {"text": "x"}), 403)
    answered = complaints.do("unit", cid, answer, {"text": "已约谈企业，问题已解决",
                                                   "on": "2025-10-15"})
    assert [a["text"] for a in answered["instructions"][0]["answers"]] == ["已约谈企业，问题已解决"]
    assert items(api, answered["_position"], "complaint_instruction") == []
    labels = [e["label"] for e in complaints.history(cid)]
    assert labels[-2:] == ["批示", "批示落实反馈"]


def test_a_leader_instructs_on_a_request_and_the_lead_unit_answers(
        firms: Firms, firm: dict[str, Any], api: Api) -> None:
    rid = firms.request()["id"]
    firms.handle("bureau", rid, "assign", {"lead_unit": "liudong", "on": ON})
    body = {"text": "协调用工问题，两周内反馈", "due": DUE, "on": GIVEN_ON}
    assert_problem(firms.step("bureau", rid, "instruct", body), 403)

    given = firms.handle("leader", rid, "instruct", body)
    assert items(api, given["_position"], "request_instruction") == [
        ("liudong", rid, "overdue")]
    assert_problem(firms.step("other_unit", rid, "instructions/1/answer", {"text": "x"}), 403)
    answered = firms.handle("unit", rid, "instructions/1/answer", {"text": "已组织招聘会"})
    assert items(api, answered["_position"], "request_instruction") == []
