"""The supervision-order API (督办单): issue, respond, return, urge, notify and close over HTTP,
the order ledger (督办台账) and the orders on an item, each error as a problem detail in
English and Chinese, and who may do what."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.agenda import ORDERS, Agenda, order_body
from tests.e2e.helpers import FUTURE, Api, assert_problem

LEDGER = "/api/v1/ledgers/orders"


@pytest.fixture
def agenda(api: Api) -> Agenda:
    return Agenda(api)


def test_issue_answers_201_with_the_due_date_over_national_day_and_labels(
        agenda: Agenda, project: dict[str, Any]) -> None:
    response = agenda.post("supervisor", ORDERS, order_body(
        subject={"kind": "project", "id": project["id"]}))
    body = agenda.ok(response, 201)
    assert response.headers["Location"] == f"{ORDERS}/{body['id']}"
    assert response.headers["ETag"] == '"1"'
    assert (body["subject_kind"], body["subject_kind_label"], body["subject_id"]) == (
        "project", "招商项目", project["id"])
    assert (body["status"], body["status_label"]) == ("issued", "已交办")
    # Ten working days from 30 Sep: 9, 10, 11 (Saturday, 调休), 13–17, 20, 21 October.
    assert (body["issued_on"], body["due"]) == ("2025-09-30", "2025-10-21")
    assert body["deadline"]["working_days"] == 10
    assert body["allowed_steps"] == ["respond", "urge", "notify"]


def test_the_whole_life_of_an_order(agenda: Agenda) -> None:
    order = agenda.order()
    path = f"{ORDERS}/{order['id']}"
    refused = assert_problem(agenda.post("supervisor", f"{path}/close"), 409)
    assert "has not responded yet" in refused["detail"] and "销号" in refused["detail"]
    agenda.command("unit", f"{path}/respond", {"text": "已对接", "done": False, "on": "2025-10-09"})
    refused = assert_problem(agenda.post("supervisor", f"{path}/close", {"on": "2025-10-10"}),
                             409)
    assert "says the task is not done" in refused["detail"]
    agenda.command("unit", f"{path}/respond", {"text": "已落实", "done": True, "on": "2025-10-10"})
    returned = agenda.command("supervisor", f"{path}/return", {"reason": "材料不全",
                                                            "on": "2025-10-11"})
    assert (returned["status"], returned["status_label"]) == ("returned", "已退回")
    agenda.command("supervisor", f"{path}/urge", {"text": "请加快", "on": "2025-10-13"})
    urged = agenda.command("supervisor", f"{path}/urge", {"text": "再次催办", "on": "2025-10-14"})
    assert (urged["urge_count"], urged["status"]) == (2, "returned")
    agenda.command("supervisor", f"{path}/notify", {"text": "逾期通报", "on": "2025-10-22"})
    agenda.command("unit", f"{path}/respond", {"text": "材料已补齐", "done": True,
                                            "on": "2025-10-23"})
    closed = agenda.command("supervisor", f"{path}/close", {"on": "2025-10-23"})
    assert (closed["status_label"], closed["closed_on"], closed["version"]) == (
        "已销号", "2025-10-23", 9)
    assert [(n["number"], n["text"]) for n in closed["notices"]] == [(1, "逾期通报")]
    assert [r["done"] for r in closed["responses"]] == [False, True, True]
    history = agenda.read("unit", f"{path}/history")
    assert [(e["label"], e["actor"]["role"]) for e in history[:3]] == [
        ("交办督办单", "supervisor"), ("单位反馈", "unit"), ("单位反馈", "unit")]


@pytest.mark.parametrize(("fields", "status", "detail"), [
    ({"subject": {"kind": "project", "id": str(uuid.uuid4())}}, 422, "no project with id"),
    ({"subject": {"kind": "meeting_item", "id": str(uuid.uuid4())}}, 422,
     "<meeting id>:<item number>"),
    ({"subject": {"kind": "visit", "id": str(uuid.uuid4())}}, 422, "subject.kind"),
    ({"unit": "nowhere"}, 422, "unknown unit code"),
    ({"on": FUTURE}, 422, "in the future"),
    ({"due": "2025-09-01"}, 422, "must be after the issue date"),
    ({"task": ""}, 422, "task"),
    ({"owner": "x"}, 422, "owner"),
])
def test_a_bad_order_is_a_problem_naming_it_and_appends_nothing(
        agenda: Agenda, api: Api, fields: dict[str, Any], status: int, detail: str) -> None:
    head = agenda.order()["_position"]
    problem = assert_problem(agenda.post("supervisor", ORDERS, order_body(**fields)), status)
    assert detail in problem["detail"]
    api.assert_log_head(head)


def test_refusals_of_roles_and_units_are_403_and_stale_versions_412(agenda: Agenda) -> None:
    order = agenda.order()
    path = f"{ORDERS}/{order['id']}"
    for who in ("bureau", "leader", "unit", "enterprise"):
        assert_problem(agenda.post(who, ORDERS, order_body()), 403)
    denied = assert_problem(agenda.post("other_unit", f"{path}/respond",
                                        {"text": "x", "done": True}), 403)
    assert "柳江区" in denied["detail"] and "无权" in denied["detail"]
    assert_problem(agenda.post("unit", f"{path}/urge", {"text": "x"}), 403)
    assert_problem(agenda.get("other_unit", path), 403)
    assert_problem(agenda.get("supervisor", f"{ORDERS}/{uuid.uuid4()}"), 404)
    assert_problem(agenda.post("unit", f"{path}/respond", {"text": "x", "done": True},
                               version=2), 412)


def test_the_ledger_lists_the_open_orders_on_an_item_and_a_unit_sees_its_own(
        agenda: Agenda, project: dict[str, Any]) -> None:
    subject = {"kind": "project", "id": project["id"]}
    first = agenda.order(subject=subject)
    agenda.order(subject=subject, unit="liujiang", task="配合落实")
    agenda.order(task="专项督办")
    agenda.command("unit", f"{ORDERS}/{first['id']}/respond", {"text": "已办结", "done": True})
    last = agenda.command("supervisor", f"{ORDERS}/{first['id']}/close")
    on_item = agenda.read("leader", LEDGER, subject_id=project["id"],
                          status="issued,responded,returned", min_position=last["_position"])
    assert [(row["task"], row["unit"], row["subject_kind_label"], row["status_label"])
            for row in on_item["items"]] == [("配合落实", "liujiang", "招商项目", "已交办")]
    own = agenda.read("unit", LEDGER, min_position=last["_position"])
    assert {row["task"] for row in own["items"]} == {"协调解决用地指标", "专项督办"}
    assert own["items"][0]["status_label"] and own["count"] == 2
    closed = agenda.read("supervisor", LEDGER, status="closed",
                         min_position=last["_position"])
    assert [(r["status_label"], r["done"]) for r in closed["items"]] == [("已销号", True)]
    assert_problem(agenda.get("supervisor", LEDGER, issued_from="2025-10-02",
                              issued_to="2025-10-01"), 422)
    assert_problem(agenda.get("supervisor", LEDGER, subject_id="nope"), 422)
    assert_problem(agenda.get("enterprise", LEDGER), 403)


def test_open_orders_appear_in_the_supervision_view_of_their_unit(agenda: Agenda) -> None:
    order = agenda.order(due="2025-10-08")  # long past: overdue
    view = agenda.read("unit", "/api/v1/supervision/overdue",
                       min_position=order["_position"])
    (item,) = [i for u in view["units"] for i in u["items"] if i["kind"] == "order"]
    assert (item["id"], item["kind_label"], item["state"], item["due"]) == (
        order["id"], "督办单办理", "overdue", "2025-10-08")
    assert agenda.read("other_unit", "/api/v1/supervision/overdue",
                       min_position=order["_position"])["units"] == []
