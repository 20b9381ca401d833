"""End to end: the complaint ledger, the supervision view and the complaint statistics over
HTTP, with role restrictions and min_position; complaints are filed and handled through the
complaint endpoints as a client would."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from api.bootstrap import Container
from tests.e2e.helpers import Api, assert_problem, position_of
from tests.integration.test_complaint_projections import set_today

COMPLAINTS = "/api/v1/complaints"
LEDGER = "/api/v1/ledgers/complaints"
SUPERVISION = "/api/v1/supervision/overdue"
UNIT_STATS = "/api/v1/stats/units"
COMPLAINT_STATS = "/api/v1/stats/complaints"
PERSON = {"name": "李明", "phone": "0772-1234567", "enterprise": "柳州某某机械公司"}


class Complaints:
    """Files complaints and takes their steps over HTTP; remembers the last log position."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.position = 0

    def _post(self, who: str, path: str, body: dict[str, Any], status: int = 200) -> Any:
        response = self.api.client.post(path, json=body, headers=self.api.headers(who))
        assert response.status_code == status, response.text
        self.position = position_of(response)
        return response.json()

    def file(self, received_on: str, who: str = "bureau", **overrides: Any) -> str:
        body = {"channel": "hotline", "category": "approval_service", "content": "审批超时",
                "respondent_unit": "zjj", "received_on": received_on, "complainant": PERSON}
        body.update(overrides)
        if body.get("anonymous"):
            del body["complainant"]
        return str(self._post(who, COMPLAINTS, body, 201)["id"])

    def step(self, who: str, complaint_id: str, action: str, on: str, **body: Any) -> None:
        self._post(who, f"{COMPLAINTS}/{complaint_id}/{action}", {"on": on, **body})

    def assigned(self, received_on: str, unit: str, assigned_on: str, **overrides: Any) -> str:
        cid = self.file(received_on, **overrides)
        self.step("bureau", cid, "accept", received_on)
        self.step("bureau", cid, "assign", assigned_on, unit=unit)
        return cid


@pytest.fixture
def complaints(api: Api, container: Container, monkeypatch: pytest.MonkeyPatch) -> Complaints:
    set_today(monkeypatch, container, date(2025, 10, 24))
    return Complaints(api)


def get(api: Api, path: str, who: str = "admin", period: dict[str, str] | None = None,
        **params: Any) -> Any:
    """GET that must succeed; `period` holds the `from`/`to` parameters."""
    response = api.client.get(path, params={**params, **(period or {})},
                              headers=api.headers(who))
    assert response.status_code == 200, response.text
    return response.json()


def test_complaint_ledger_filters_and_shows_no_personal_data(api: Api,
                                                             complaints: Complaints) -> None:
    late = complaints.assigned("2025-09-24", "liudong", "2025-09-26")  # reply due 10-23
    waiting = complaints.file("2025-10-23", anonymous=True, channel="website")  # due 10-28
    body = get(api, LEDGER, "bureau", min_position=complaints.position)
    assert body["position"] >= complaints.position
    assert (body["count"], [i["id"] for i in body["items"]]) == (2, [waiting, late])
    row = body["items"][1]
    assert (row["status"], row["status_label"], row["assigned_unit"]) == ("assigned", "交办",
                                                                          "liudong")
    assert row["deadline"] == {"kind": "reply", "kind_label": "答复期限", "due": "2025-10-23",
                               "provisional": False}
    assert row["overdue"] is True and body["items"][0]["anonymous"] is True
    for text in ("李明", "0772", "柳州某某", "complainant"):  # who complained: never
        assert text not in str(body)
    assert (row["receipt"].startswith("TS"), row["summary"]) == (True, "审批超时")
    assert [i["id"] for i in get(api, LEDGER, overdue="true")["items"]] == [late]
    assert [i["id"] for i in get(api, LEDGER, channel="website")["items"]] == [waiting]
    assert get(api, LEDGER, received_from="2025-10-01")["count"] == 1
    page = get(api, LEDGER, limit=1)
    assert [i["id"] for i in get(api, LEDGER, limit=1, cursor=page["next_cursor"])["items"]] \
        == [late]
    assert_problem(api.client.get(LEDGER, params={"channel": "fax"},
                                  headers=api.headers("admin")), 422)
    assert_problem(api.client.get(LEDGER, params={"cursor": "bad"},
                                  headers=api.headers("admin")), 422)


def test_complaint_ledger_is_scoped_by_role(api: Api, complaints: Complaints) -> None:
    mine = complaints.assigned("2025-10-20", "liudong", "2025-10-21")
    filed = complaints.file("2025-10-22", who="enterprise")
    get(api, LEDGER, min_position=complaints.position)
    assert [i["id"] for i in get(api, LEDGER, "unit")["items"]] == [mine]
    assert get(api, LEDGER, "other_unit")["count"] == 0
    assert [i["id"] for i in get(api, LEDGER, "enterprise")["items"]] == [filed]
    assert get(api, LEDGER, "leader")["count"] == 2
    assert_problem(api.client.get(LEDGER, headers=api.headers("park_office")), 403)
    assert_problem(api.client.get(LEDGER), 401)


def test_min_position_beyond_the_head_is_refused(api: Api, complaints: Complaints) -> None:
    complaints.file("2025-10-20")
    for path in (LEDGER, SUPERVISION, UNIT_STATS, COMPLAINT_STATS):
        body = get(api, path, min_position=complaints.position)
        assert body["position"] >= complaints.position
        refused = api.client.get(path, params={"min_position": complaints.position + 1},
                                 headers=api.headers("admin"))
        assert "beyond the head" in assert_problem(refused, 422)["detail"]


def test_supervision_view_groups_overdue_and_nearly_due_items_by_unit(
        api: Api, complaints: Complaints) -> None:
    late = complaints.assigned("2025-09-24", "liudong", "2025-09-26")  # due 10-23
    other = complaints.assigned("2025-09-24", "liujiang", "2025-09-26")
    waiting = complaints.file("2025-10-23")  # acceptance due Tue 10-28: 2 working days left
    body = get(api, SUPERVISION, "supervisor", min_position=complaints.position)
    assert (body["today"], body["nearly_due_days"]) == ("2025-10-24", 2)
    assert (body["overdue"], body["nearly_due"]) == (2, 1)
    units = {g["unit"]: g for g in body["units"]}
    assert list(units) == ["liudong", "liujiang", "tcj"]  # most overdue first, then by code
    assert units["liudong"]["unit_name"] == "柳东新区(高新区)"
    (item,) = units["liudong"]["items"]
    assert (item["id"], item["kind"], item["state"], item["due"],
            item["working_days_overdue"]) == (late, "complaint_reply", "overdue",
                                              "2025-10-23", 1)
    (acceptance,) = units["tcj"]["items"]
    assert (acceptance["id"], acceptance["state"], acceptance["working_days_left"]) == (
        waiting, "nearly_due", 2)
    assert "李明" not in str(body)
    own = get(api, SUPERVISION, "other_unit")
    assert [g["unit"] for g in own["units"]] == ["liujiang"]
    assert own["units"][0]["items"][0]["id"] == other
    assert get(api, SUPERVISION, "other_unit", unit="liudong")["units"] == []
    assert [g["unit"] for g in get(api, SUPERVISION, "leader", unit="tcj")["units"]] == ["tcj"]
    assert_problem(api.client.get(SUPERVISION, headers=api.headers("enterprise")), 403)


def test_unit_statistics_give_rates_with_their_counts(api: Api,
                                                     complaints: Complaints) -> None:
    # liudong: assigned 09-26 (ack due Sun 09-28, a 调休 working day), acked 09-28, replied
    # 10-23 on its due date, satisfied: 1/1 on every rate.
    done = complaints.assigned("2025-09-24", "liudong", "2025-09-26")
    complaints.step("unit", done, "acknowledge", "2025-09-28")
    complaints.step("unit", done, "reply", "2025-10-23", text="已整改")
    complaints.step("supervisor", done, "callback", "2025-10-24", satisfaction="satisfied")
    # liujiang: assigned 09-26, acked 09-29 (late), unreplied past 10-23: 0/1, 0/1, none.
    slow = complaints.assigned("2025-09-24", "liujiang", "2025-09-26")
    complaints.step("other_unit", slow, "acknowledge", "2025-09-29")
    body = get(api, UNIT_STATS, "leader", min_position=complaints.position,
               period={"from": "2025-09-01", "to": "2025-09-30"})
    assert body["period"] == {"from": "2025-09-01", "to": "2025-09-30"}
    assert body["acknowledge_days"] == 1
    units = {u["code"]: u for u in body["units"]}
    assert units["liudong"]["label"] == "柳东新区(高新区)"
    assert [units["liudong"][k] for k in ("response", "on_time_reply", "satisfaction")] == [
        {"numerator": 1, "denominator": 1, "rate": 1.0}] * 3
    assert [units["liujiang"][k] for k in ("response", "on_time_reply", "satisfaction")] == [
        {"numerator": 0, "denominator": 1, "rate": 0.0},
        {"numerator": 0, "denominator": 1, "rate": 0.0},
        {"numerator": 0, "denominator": 0, "rate": None}]
    assert get(api, UNIT_STATS, period={"from": "2025-10-01"})["units"] == []
    assert_problem(api.client.get(UNIT_STATS, params={"from": "2025-10-02", "to": "2025-10-01"},
                                  headers=api.headers("admin")), 422)
    assert_problem(api.client.get(UNIT_STATS, headers=api.headers("unit")), 403)


def test_complaint_statistics_count_by_channel_and_category(api: Api,
                                                          complaints: Complaints) -> None:
    closed = complaints.assigned("2025-09-24", "liudong", "2025-09-26")
    complaints.step("unit", closed, "acknowledge", "2025-09-28")
    complaints.step("unit", closed, "reply", "2025-10-23", text="已整改")  # on its due date
    complaints.step("supervisor", closed, "callback", "2025-10-24", satisfaction="satisfied")
    complaints.step("supervisor", closed, "close", "2025-10-24")
    declined = complaints.file("2025-10-09", channel="mailbox", category="conduct")
    complaints.step("bureau", declined, "decline", "2025-10-10", reason="不属于受理范围")
    complaints.file("2025-10-20", channel="mailbox", category="conduct")
    body = get(api, COMPLAINT_STATS, "supervisor", min_position=complaints.position,
               period={"from": "2025-10-01", "to": "2025-10-31"})
    # received in October: the two mailbox ones (the hotline one came on 09-24); accepted
    # none (09-24); declined 1; closed 1, on time (replied 10-23, due 10-23).
    assert [body[k] for k in ("received", "accepted", "declined", "closed",
                              "closed_on_time")] == [2, 0, 1, 1, 1]
    channels = {c["code"]: c for c in body["by_channel"]}
    assert (channels["mailbox"]["label"], channels["mailbox"]["received"]) == ("投诉信箱", 2)
    assert (channels["hotline"]["closed"], channels["hotline"]["closed_on_time"]) == (1, 1)
    categories = {c["code"]: c for c in body["by_category"]}
    assert (categories["conduct"]["received"], categories["conduct"]["declined"]) == (2, 1)
    assert get(api, COMPLAINT_STATS)["received"] == 3
    assert_problem(api.client.get(COMPLAINT_STATS, headers=api.headers("enterprise")), 403)
    description = api.client.get("/openapi.json").json()["paths"][COMPLAINT_STATS]["get"][
        "description"]
    assert "closed on time (按期办结)" in description


def test_staff_find_a_complaint_by_receipt_code_or_words_of_its_content(
        api: Api, complaints: Complaints) -> None:
    mine = complaints.assigned("2025-09-24", "liudong", "2025-09-26")
    other = complaints.assigned("2025-09-24", "liujiang", "2025-09-26", content="窗口推诿扯皮")
    receipt = get(api, f"/api/v1/complaints/{mine}", "bureau")["receipt"]

    found = api.client.get(f"/api/v1/complaints/by-receipt/{receipt.lower()}",
                           headers=api.headers("bureau"))
    by_unit = api.client.get(f"/api/v1/complaints/by-receipt/{receipt}",
                             headers=api.headers("unit"))
    stranger = api.client.get(f"/api/v1/complaints/by-receipt/{receipt}",
                              headers=api.headers("other_unit"))
    unknown = api.client.get("/api/v1/complaints/by-receipt/TS23456789ABCD",
                             headers=api.headers("other_unit"))
    by_words = get(api, LEDGER, q="推诿", min_position=complaints.position)
    by_code = get(api, LEDGER, q=receipt)

    assert (found.status_code, found.json()["id"], found.headers["ETag"]) == (
        200, mine, f'"{found.json()["version"]}"')
    assert by_unit.status_code == 200
    assert stranger.status_code == unknown.status_code == 404
    assert stranger.json()["detail"].replace(receipt, "X") == \
        unknown.json()["detail"].replace("TS23456789ABCD", "X")
    assert [i["id"] for i in by_words["items"]] == [other]
    assert [i["id"] for i in by_code["items"]] == [mine]
