"""The project API (项目): registration, reads, every command and what it records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests.e2e.helpers import (
    CONSTRUCTION_ON,
    PRODUCTION_ON,
    PROJECTS,
    REGISTERED_ON,
    SIGNED_ON,
    STEP_ON,
    Api,
    account_name,
    position_of,
    project_body,
)


def test_healthz_answers_ok_without_a_token(client: Any) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_units_lists_zones_and_departments(api: Api) -> None:
    response = api.client.get("/api/v1/units", headers=api.headers("unit"))

    assert response.status_code == 200
    units = {u["code"]: u for u in response.json()}
    assert units["liudong"]["kind"] == "zone"
    assert units["tcj"]["kind"] == "department"
    assert units["liujiang"]["kind"] == "county"
    assert all(set(u) == {"code", "name", "kind"} and u["name"] for u in units.values())


def test_register_returns_201_with_location_etag_and_ledger_position(api: Api) -> None:
    response = api.register()

    assert response.status_code == 201
    body = response.json()
    assert uuid.UUID(body["id"])
    assert body["version"] == 1
    assert body["stage"] == "negotiating"
    assert body["stage_label"] == "在谈"
    assert body["registered_on"] == REGISTERED_ON
    assert body["total_investment"] == "12000.5000"
    assert body["funds_in_place"] == "0.0000"
    assert response.headers["Location"] == f"{PROJECTS}/{body['id']}"
    assert response.headers["ETag"] == '"1"'
    assert position_of(response) > 0


def test_register_keeps_the_optional_fields(api: Api) -> None:
    created = api.create(park="柳东汽车城", origin="广东深圳", liaison_leader="张副市长",
                         planned_start="2025-06-01", planned_production="2026-12-31")

    state = api.state(created["id"])
    assert state["park"] == "柳东汽车城"
    assert state["origin"] == "广东深圳"
    assert state["liaison_leader"] == "张副市长"
    assert state["planned_start"] == "2025-06-01"
    assert state["planned_production"] == "2026-12-31"


def test_location_header_leads_to_the_registered_project(api: Api) -> None:
    response = api.register(name="柳州螺蛳粉产业园")

    got = api.client.get(response.headers["Location"], headers=api.headers("leader"))
    assert got.status_code == 200
    assert got.json()["id"] == response.json()["id"]
    assert got.json()["name"] == "柳州螺蛳粉产业园"


def test_get_returns_the_current_state_with_its_version_as_etag(
    api: Api, project: dict[str, Any]
) -> None:
    api.do("bureau", project["id"], "sign", {"date": SIGNED_ON, "contract_amount": "9000"})

    response = api.get("supervisor", project["id"])

    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    assert response.json()["version"] == 2
    assert response.json()["stage"] == "signed"


def test_project_goes_from_negotiation_to_production(api: Api, project: dict[str, Any]) -> None:
    pid = project["id"]

    signed = api.do("bureau", pid, "sign", {"date": SIGNED_ON, "contract_amount": "8000.25"}, 1)
    building = api.do("bureau", pid, "start-construction", {"date": CONSTRUCTION_ON}, 2)
    producing = api.do("admin", pid, "start-production", {"date": PRODUCTION_ON}, 3)

    assert (signed["stage"], signed["version"], signed["sign_date"]) == ("signed", 2, SIGNED_ON)
    assert signed["contract_amount"] == "8000.2500"
    assert (building["stage"], building["construction_date"]) == ("under_construction",
                                                                  CONSTRUCTION_ON)
    assert (producing["stage"], producing["stage_label"]) == ("in_production", "投产")
    assert producing["production_date"] == PRODUCTION_ON
    assert producing["version"] == 4
    assert api.event_types(pid) == ["Registered", "Signed", "ConstructionStarted",
                                    "ProductionStarted"]


def test_every_command_returns_etag_version_and_an_increasing_ledger_position(
    api: Api, project: dict[str, Any]
) -> None:
    pid = project["id"]
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("bureau", "revise", {"name": "新能源汽车零部件项目(二期)", "reason": "扩建",
                              "on": STEP_ON}),
        ("unit", "report-progress", {"period": "2025-05", "text": "土地报批中",
                                     "funds_in_place": "1500", "on": STEP_ON}),
        ("unit", "raise-problem", {"text": "用地指标不足", "on": STEP_ON}),
        ("unit", "problems/1/resolve", {"resolution": "已协调指标", "on": STEP_ON}),
        ("supervisor", "comment", {"text": "请加快进度", "on": STEP_ON}),
        ("leader", "instruct", {"text": "务必年内开工", "on": STEP_ON}),
        ("unit", "instructions/1/answer", {"text": "已落实", "on": STEP_ON}),
        ("bureau", "designate-key", {"year": 2025, "reason": "市重点", "on": STEP_ON}),
        ("bureau", "drop-key", {"year": 2025, "reason": "调整清单", "on": STEP_ON}),
        ("bureau", "sign", {"date": SIGNED_ON, "contract_amount": "8000"}),
        ("bureau", "start-construction", {"date": CONSTRUCTION_ON}),
        ("admin", "reassign", {"unit": "liujiang", "reason": "属地调整", "on": STEP_ON}),
        ("bureau", "terminate", {"reason": "投资方撤资", "on": STEP_ON}),
    ]
    positions = [project["_position"]]
    for expected_version, (who, action, body) in enumerate(steps, start=2):
        response = api.post(who, pid, action, body, version=expected_version - 1)

        assert response.status_code == 200, (action, response.text)
        assert response.json()["version"] == expected_version
        assert response.headers["ETag"] == f'"{expected_version}"'
        positions.append(position_of(response))

    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    assert len(api.history(pid)) == len(steps) + 1


def test_terminate_records_the_reason_and_business_date(api: Api, project: dict[str, Any]) -> None:
    state = api.do("bureau", project["id"], "terminate",
                   {"reason": "投资方撤资", "on": "2025-02-01"})

    assert state["stage"] == "terminated"
    assert state["terminated_on"] == "2025-02-01"
    assert state["termination_reason"] == "投资方撤资"


def test_revise_changes_only_the_given_fields_and_records_the_reason(
    api: Api, project: dict[str, Any]
) -> None:
    state = api.do("bureau", project["id"], "revise",
                   {"total_investment": "15000", "park": "柳东汽车城", "reason": "增资",
                    "on": STEP_ON})

    assert state["total_investment"] == "15000.0000"
    assert state["park"] == "柳东汽车城"
    assert state["name"] == project["name"]
    revised = api.history(project["id"])[-1]
    assert revised["type"] == "DetailsRevised"
    assert revised["data"]["reason"] == "增资"
    assert revised["data"]["on"] == STEP_ON
    assert set(revised["data"]["changes"]) == {"total_investment", "park"}


def test_reassign_changes_the_responsible_unit(api: Api, project: dict[str, Any]) -> None:
    state = api.do("admin", project["id"], "reassign", {"unit": "liujiang", "reason": "属地调整"})

    assert state["responsible_unit"] == "liujiang"
    event = api.history(project["id"])[-1]
    assert event["type"] == "UnitReassigned"
    assert event["data"]["previous_unit"] == "liudong"
    assert event["data"]["unit"] == "liujiang"


def test_report_progress_updates_latest_progress_and_funds_in_place(
    api: Api, project: dict[str, Any]
) -> None:
    api.do("unit", project["id"], "report-progress",
           {"period": "2025-Q1", "text": "完成备案", "funds_in_place": "100.5", "on": "2025-03-31"})
    state = api.do("unit", project["id"], "report-progress",
                   {"period": "2025-Q2", "text": "完成环评", "on": "2025-06-30"})

    assert state["latest_progress"] == "完成环评"
    assert state["latest_progress_period"] == "2025-Q2"
    assert state["latest_progress_on"] == "2025-06-30"
    assert state["funds_in_place"] == "100.5000"


def test_problems_are_numbered_and_resolved_by_number(api: Api, project: dict[str, Any]) -> None:
    pid = project["id"]
    api.do("unit", pid, "raise-problem", {"text": "用地指标不足", "on": "2025-02-01"})
    api.do("unit", pid, "raise-problem", {"text": "电力接入慢", "on": "2025-02-02"})

    state = api.do("unit", pid, "problems/2/resolve", {"resolution": "供电局已接入",
                                                       "on": "2025-02-10"})

    first, second = state["problems"]
    assert (first["number"], first["resolved_on"]) == (1, None)
    assert (second["number"], second["text"]) == (2, "电力接入慢")
    assert second["resolved_on"] == "2025-02-10"
    assert second["resolution"] == "供电局已接入"


def test_leader_instruction_is_answered_by_the_responsible_unit(
    api: Api, project: dict[str, Any]
) -> None:
    pid = project["id"]
    given = api.do("leader", pid, "instruct", {"text": "务必年内开工", "on": "2025-02-01"})
    answered = api.do("unit", pid, "instructions/1/answer", {"text": "已召开协调会",
                                                             "on": "2025-02-05"})

    assert given["instructions"][0]["leader"] == account_name("leader")
    assert given["instructions"][0]["given_on"] == "2025-02-01"
    instruction = answered["instructions"][0]
    assert (instruction["number"], instruction["answer"]) == (1, "已召开协调会")
    assert instruction["answered_on"] == "2025-02-05"


def test_a_second_answer_to_an_instruction_keeps_both(
    api: Api, project: dict[str, Any]
) -> None:
    pid = project["id"]
    api.do("leader", pid, "instruct", {"text": "务必年内开工", "on": "2025-02-01"})
    api.do("unit", pid, "instructions/1/answer", {"text": "已召开协调会", "on": "2025-02-05"})
    state = api.do("bureau", pid, "instructions/1/answer", {"text": "用地已报批",
                                                            "on": "2025-03-05"})

    (instruction,) = state["instructions"]
    assert [(a["text"], a["on"], a["by"]) for a in instruction["answers"]] == [
        ("已召开协调会", "2025-02-05", account_name("unit")),
        ("用地已报批", "2025-03-05", account_name("bureau"))]
    assert (instruction["answer"], instruction["answered_on"]) == ("已召开协调会", "2025-02-05")
    ledger = api.ledger(min_position=state["_position"])
    assert ledger["items"][0]["instructions_open"] == 0


def test_key_years_are_designated_and_dropped(api: Api, project: dict[str, Any]) -> None:
    pid = project["id"]
    api.do("bureau", pid, "designate-key", {"year": 2025, "reason": "市重点"})
    both = api.do("bureau", pid, "designate-key", {"year": 2026, "reason": "市重点"})
    dropped = api.do("bureau", pid, "drop-key", {"year": 2025, "reason": "已完成"})

    assert both["key_years"] == [2025, 2026]
    assert dropped["key_years"] == [2026]


def test_comments_are_counted_and_kept_in_history(api: Api, project: dict[str, Any]) -> None:
    api.do("leader", project["id"], "comment", {"text": "请抓紧"})
    state = api.do("unit", project["id"], "comment", {"text": "收到", "on": "2025-02-01"})

    assert state["comment_count"] == 2
    last = api.history(project["id"])[-1]
    assert (last["type"], last["label"]) == ("Commented", "沟通留言")
    assert last["data"] == {"text": "收到", "on": "2025-02-01"}


def _today_in_liuzhou() -> str:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def test_step_without_on_is_recorded_on_todays_date(api: Api, project: dict[str, Any]) -> None:
    before = _today_in_liuzhou()
    state = api.do("unit", project["id"], "raise-problem", {"text": "手续慢"})
    after = _today_in_liuzhou()

    raised_on = state["problems"][0]["raised_on"]
    assert raised_on in {before, after}
    assert api.history(project["id"])[-1]["data"]["on"] == raised_on


def test_amounts_keep_four_decimal_places_exactly(api: Api) -> None:
    created = api.create(total_investment="987654321.3456")

    assert created["total_investment"] == "987654321.3456"
    assert api.state(created["id"])["total_investment"] == "987654321.3456"


def test_registration_accepts_a_json_number_amount(api: Api) -> None:
    response = api.register(body=project_body(total_investment=2500.75))

    assert response.status_code == 201
    assert response.json()["total_investment"] == "2500.7500"
