"""重点项目清单 and 重点企业名单 over HTTP: a whole list in one command (all or nothing, retried
safely under an Idempotency-Key), the steps on one enterprise, and the ledgers' filters."""

from __future__ import annotations

from typing import Any

from tests.e2e.enterprises import ENTERPRISES, Firms, code_of, enterprise_body
from tests.e2e.helpers import PROJECTS, Api, assert_problem, position_of

LIST = {"year": 2025, "reason": "柳政发〔2025〕3号", "on": "2025-02-10"}


def test_a_key_project_list_is_recorded_whole_and_read_back_from_the_ledger(api: Api) -> None:
    ids = [api.create(name=name)["id"] for name in ("甲项目", "乙项目")]
    response = api.client.post(f"{PROJECTS}/key-list", json={**LIST, "project_ids": ids},
                               headers=api.headers("bureau"))

    assert response.status_code == 200, response.text
    body = response.json()
    assert body == {"year": 2025, "reason": "柳政发〔2025〕3号", "on": "2025-02-10", "ids": ids,
                    "count": 2, "position": position_of(response)}
    ledger = api.ledger(key_year=2025, min_position=body["position"])
    assert {row["id"] for row in ledger["items"]} == set(ids)
    assert api.history(ids[0])[-1]["data"]["reason"] == "柳政发〔2025〕3号"


def test_a_refused_project_is_named_in_a_409_and_nothing_is_recorded(api: Api) -> None:
    first, listed = (api.create(name=name) for name in ("甲项目", "已列入项目"))
    head = api.do("bureau", listed["id"], "designate-key",
                  {"year": 2025, "reason": "先行列入"})["_position"]  # the log's last event

    response = api.client.post(f"{PROJECTS}/key-list",
                               json={**LIST, "project_ids": [first["id"], listed["id"]]},
                               headers=api.headers("bureau"))

    detail = assert_problem(response, 409)["detail"]
    assert listed["id"] in detail and "已列入项目" in detail and "already on the 2025" in detail
    api.assert_log_head(head)
    assert api.state(first["id"])["key_years"] == []


def test_a_list_retried_under_its_idempotency_key_answers_the_same_and_records_once(
        api: Api) -> None:
    ids = [api.create(name=name)["id"] for name in ("甲项目", "乙项目")]
    headers = api.headers("bureau", **{"Idempotency-Key": "list-2025-1"})
    body = {"year": 2025, "project_ids": ids, "reason": "市重点"}  # `on`: today

    first = api.client.post(f"{PROJECTS}/key-list", json=body, headers=headers)
    again = api.client.post(f"{PROJECTS}/key-list", json=body, headers=headers)

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert position_of(again) == position_of(first)
    api.assert_log_head(position_of(first))
    assert [api.state(pid)["version"] for pid in ids] == [2, 2]
    other = api.client.post(f"{PROJECTS}/key-list", json={**body, "year": 2026},
                            headers=headers)
    assert "already used" in assert_problem(other, 422)["detail"]


def test_a_list_without_a_reason_or_with_a_future_date_is_422(api: Api) -> None:
    pid = api.create()["id"]
    for body in ({"year": 2025, "project_ids": [pid]},
                 {**LIST, "project_ids": [pid], "on": "2099-01-01"},
                 {**LIST, "project_ids": []}):
        assert_problem(api.client.post(f"{PROJECTS}/key-list", json=body,
                                       headers=api.headers("bureau")), 422)
    assert api.state(pid)["version"] == 1


def test_an_enterprise_is_put_on_and_off_the_key_enterprise_list(
        api: Api, firms: Firms) -> None:
    eid = firms.post("bureau", ENTERPRISES, enterprise_body(credit_code=code_of(7))).json()["id"]
    other = firms.post("bureau", ENTERPRISES, enterprise_body(credit_code=code_of(8))).json()
    firms.post("bureau", f"{ENTERPRISES}/{other['id']}/link-leader",
               {"leader": firms.leader()})

    on = firms.post("bureau", f"{ENTERPRISES}/{eid}/designate-key",
                    {"year": 2026, "reason": "重点税源企业"})
    listed = firms.post("bureau", f"{ENTERPRISES}/key-list",
                        {**LIST, "enterprise_ids": [eid, other["id"]]})
    off = firms.post("bureau", f"{ENTERPRISES}/{other['id']}/drop-key",
                     {"year": 2025, "reason": "迁出"})

    assert on.json()["key_years"] == [2026]
    assert listed.json()["count"] == 2
    state: dict[str, Any] = off.json()
    assert (state["key_years"], state["leader_level"], state["leader_level_label"]) == (
        [], "city", "市级")
    rows = firms.get("admin", "/api/v1/ledgers/enterprises", key_year="2025",
                     min_position=str(position_of(off))).json()["items"]
    assert [(r["id"], r["key_years"]) for r in rows] == [(eid, [2025, 2026])]
    levels = firms.get("admin", "/api/v1/ledgers/enterprises", leader_level="city").json()
    assert [(r["id"], r["leader_level_label"]) for r in levels["items"]] == [
        (other["id"], "市级")]
