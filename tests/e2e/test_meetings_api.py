"""The coordination-meeting API (协调推进会): minutes, decisions (议定事项) tracked to done by
their units and reopened by the supervision office, the meeting ledger (会议台账) and the
meetings that discussed a project, and who may do what."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.agenda import MEETINGS, ORDERS, Agenda, meeting_body, order_body
from tests.e2e.helpers import FUTURE, Api, assert_problem

LEDGER = "/api/v1/ledgers/meetings"


@pytest.fixture
def agenda(api: Api) -> Agenda:
    return Agenda(api)


def test_a_leader_records_a_meeting_and_its_decisions(
        agenda: Agenda, project: dict[str, Any]) -> None:
    response = agenda.post("leader", MEETINGS, meeting_body(projects=[project["id"]]))
    meeting = agenda.ok(response, 201)
    assert response.headers["Location"] == f"{MEETINGS}/{meeting['id']}"
    assert (meeting["held_on"], meeting["chair"], meeting["projects"]) == (
        "2025-09-20", "覃市长", [project["id"]])
    assert (meeting["recorded_by"]["name"], meeting["recorded_by"]["role"]) == ("覃市长", "leader")
    path = f"{MEETINGS}/{meeting['id']}/items"
    first = agenda.command("leader", path, {"unit": "liudong", "task": "协调电力接入",
                                         "due": "2025-10-15", "on": "2025-09-20"})
    second = agenda.command("bureau", path, {"unit": "zrzyj", "task": "完成用地报批",
                                          "due": "2099-10-31", "on": "2025-09-22"})
    assert (first["item_number"], second["item_number"], second["version"]) == (1, 2, 3)
    assert [(i["number"], i["status_label"], i["overdue"]) for i in second["items"]] == [
        (1, "办理中", True), (2, "办理中", False)]
    assert second["open_items"] == 2


def test_the_unit_marks_its_item_done_and_the_supervision_office_reopens_it(
        agenda: Agenda) -> None:
    meeting = agenda.meeting(units=["liudong", "liujiang"])
    path = f"{MEETINGS}/{meeting['id']}"
    for unit in ("liudong", "liujiang"):
        agenda.command("bureau", f"{path}/items", {"unit": unit, "task": f"{unit} 任务",
                                                "due": "2025-10-31", "on": "2025-09-20"})
    denied = assert_problem(agenda.post("unit", f"{path}/items/2/done", {"text": "已完成"}),
                            403)
    assert "it is for 柳江区" in denied["detail"] and "无权" in denied["detail"]
    assert_problem(agenda.post("bureau", f"{path}/items/1/done", {"text": "已完成"}), 403)
    assert_problem(agenda.post("unit", f"{path}/items/9/done", {"text": "已完成"}), 409)
    done = agenda.command("unit", f"{path}/items/1/done", {"text": "电力已接入",
                                                         "on": "2025-10-14"})
    item = done["items"][0]
    assert (item["status"], item["status_label"], item["done_on"], item["result"]) == (
        "done", "已完成", "2025-10-14", "电力已接入")
    again = assert_problem(agenda.post("unit", f"{path}/items/1/done", {"text": "x"}), 409)
    assert "already done" in again["detail"] and "已完成" in again["detail"]
    assert_problem(agenda.post("unit", f"{path}/items/1/reopen", {"reason": "x"}), 403)
    reopened = agenda.command("supervisor", f"{path}/items/1/reopen", {
        "reason": "现场核查未完成", "due": "2025-11-14", "on": "2025-10-15"})
    item = reopened["items"][0]
    assert (item["status"], item["due"], item["reopened"], item["reopen_reason"]) == (
        "open", "2025-11-14", 1, "现场核查未完成")
    labels = [e["label"] for e in agenda.read("other_unit", f"{path}/history")]
    assert labels == ["记录协调推进会", "议定事项", "议定事项", "议定事项完成", "议定事项重新办理"]


@pytest.mark.parametrize(("fields", "detail"), [
    ({"units": ["nowhere"]}, "unknown unit code"),
    ({"units": []}, "units"),
    ({"projects": [str(uuid.uuid4())]}, "no project with id"),
    ({"date": FUTURE}, "in the future"),
    ({"chair": ""}, "chair"),
])
def test_bad_minutes_are_a_problem_naming_them_and_append_nothing(
        agenda: Agenda, api: Api, fields: dict[str, Any], detail: str) -> None:
    head = agenda.meeting()["_position"]
    problem = assert_problem(agenda.post("bureau", MEETINGS, meeting_body(**fields)), 422)
    assert detail in problem["detail"]
    api.assert_log_head(head)


def test_who_records_and_who_reads(agenda: Agenda) -> None:
    for who in ("supervisor", "unit", "park_office", "agent", "enterprise"):
        assert_problem(agenda.post(who, MEETINGS, meeting_body()), 403)
    meeting = agenda.meeting()
    path = f"{MEETINGS}/{meeting['id']}"
    assert_problem(agenda.post("unit", f"{path}/items", {"unit": "liudong", "task": "x",
                                                        "due": "2025-10-31"}), 403)
    for who in ("admin", "bureau", "supervisor", "leader", "unit"):
        assert agenda.read(who, path)["id"] == meeting["id"]
    for who in ("other_unit", "park_office", "enterprise"):
        assert_problem(agenda.get(who, path), 403)


def test_the_ledger_lists_the_meetings_of_a_project_and_of_a_unit(
        agenda: Agenda, project: dict[str, Any]) -> None:
    discussed = agenda.meeting(projects=[project["id"]], title="项目推进会")
    agenda.meeting(units=["liujiang"], title="柳江区推进会", date="2025-09-25")
    last = agenda.command("bureau", f"{MEETINGS}/{discussed['id']}/items", {
        "unit": "gdj", "task": "保障供电", "due": "2025-10-10"})
    of_project = agenda.read("leader", LEDGER, project=project["id"],
                             min_position=last["_position"])
    assert [(m["title"], m["open_items"], m["overdue"]) for m in of_project["items"]] == [
        ("项目推进会", 1, True)]
    assert [m["title"] for m in agenda.read("supervisor", LEDGER, unit="gdj")["items"]] == [
        "项目推进会"]
    assert [m["title"] for m in agenda.read("other_unit", LEDGER)["items"]] == ["柳江区推进会"]
    assert [m["title"] for m in agenda.read("bureau", LEDGER, held_from="2025-09-21")[
        "items"]] == ["柳江区推进会"]
    assert_problem(agenda.get("bureau", LEDGER, project="nope"), 422)
    assert_problem(agenda.get("enterprise", LEDGER), 403)


def test_an_order_follows_up_an_action_item_and_both_join_the_supervision_view(
        agenda: Agenda) -> None:
    meeting = agenda.meeting()
    agenda.command("bureau", f"{MEETINGS}/{meeting['id']}/items", {
        "unit": "liudong", "task": "协调电力接入", "due": "2025-10-15"})
    order = agenda.order(subject={"kind": "meeting_item", "id": f"{meeting['id']}:1"})
    assert order["subject_kind_label"] == "会议议定事项"
    assert_problem(agenda.post("supervisor", ORDERS, order_body(
        subject={"kind": "meeting_item", "id": f"{meeting['id']}:2"})), 422)
    view = agenda.read("unit", "/api/v1/supervision/overdue", min_position=order["_position"])
    kinds = {(i["kind"], i["kind_label"]) for u in view["units"] for i in u["items"]}
    assert kinds == {("meeting_item", "会议议定事项"), ("order", "督办单办理")}
