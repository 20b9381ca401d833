"""Corrections (更正) of a complaint's intake facts over HTTP: the state, the acceptance
deadline, the ledger, the supervision view, the statistics and the history follow; a refused
correction writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.conftest import on_every_backend
from tests.e2e.complaints import (
    ACCEPTANCE_DAYS,
    ACCEPTED_ON,
    RECEIVED_ON,
    ComplaintApi,
    assert_unchanged,
    working_days_after,
)
from tests.e2e.helpers import FUTURE, Api, assert_problem

LEDGER = "/api/v1/ledgers/complaints"
SUPERVISION = "/api/v1/supervision/overdue"
STATS = "/api/v1/stats/complaints"
CORRECTED_RECEIPT = "2025-09-24"


def get(api: Api, path: str, **params: Any) -> dict[str, Any]:
    response = api.client.get(path, params=params, headers=api.headers("supervisor"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@on_every_backend
def test_a_corrected_date_received_moves_the_acceptance_deadline_everywhere(
    complaints: ComplaintApi, api: Api,
) -> None:
    cid = complaints.create()["id"]

    state = complaints.do("bureau", cid, "correct", {
        "field": "received_on", "value": CORRECTED_RECEIPT, "reason": "纸质登记表日期为24日"})

    due = working_days_after(date.fromisoformat(CORRECTED_RECEIPT), ACCEPTANCE_DAYS)
    assert state["received_on"] == CORRECTED_RECEIPT
    assert (state["acceptance_deadline"]["start"], state["acceptance_deadline"]["due"]) == (
        CORRECTED_RECEIPT, due.isoformat())
    (row,) = get(api, LEDGER, min_position=state["_position"])["items"]
    assert (row["received_on"], row["deadline"]["due"]) == (CORRECTED_RECEIPT, due.isoformat())
    items = [i for g in get(api, SUPERVISION, min_position=state["_position"])["units"]
             for i in g["items"] if i["id"] == cid]
    assert [(i["kind"], i["started_on"], i["due"]) for i in items] == [
        ("complaint_acceptance", CORRECTED_RECEIPT, due.isoformat())]
    corrected, recomputed = complaints.history(cid)[-2:]
    assert (corrected["label"], corrected["data"]["previous"], corrected["data"]["value"],
            corrected["data"]["reason"]) == ("更正登记日期", RECEIVED_ON, CORRECTED_RECEIPT,
                                             "纸质登记表日期为24日")
    assert (recomputed["label"], recomputed["data"]["kind"]) == ("重算期限", "acceptance")


def test_a_closed_complaint_has_its_category_corrected_in_ledger_and_statistics(
    complaints: ComplaintApi, api: Api,
) -> None:
    cid = complaints.given("closed")["id"]

    state = complaints.do("admin", cid, "correct", {
        "field": "category", "value": "fees_and_fines", "reason": "实为涉企收费问题"})

    assert (state["category"], state["status"]) == ("fees_and_fines", "closed")
    (row,) = get(api, LEDGER, min_position=state["_position"])["items"]
    assert (row["category"], row["category_label"]) == ("fees_and_fines", "涉企收费")
    stats = get(api, STATS, min_position=state["_position"])
    closed = {c["code"]: c["closed"] for c in stats["by_category"]}
    assert (closed["fees_and_fines"], closed.get("approval_service", 0)) == (1, 0)
    assert complaints.history(cid)[-1]["label"] == "更正类别"


def test_a_corrected_respondent_unit_and_channel_reach_the_ledger(
    complaints: ComplaintApi, api: Api,
) -> None:
    cid = complaints.create()["id"]
    complaints.do("bureau", cid, "correct", {"field": "respondent_unit", "value": "fgw",
                                             "reason": "被投诉单位录错"})
    state = complaints.do("bureau", cid, "correct", {"field": "channel", "value": "mailbox",
                                                     "reason": "来自投诉信箱"})

    (row,) = get(api, LEDGER, min_position=state["_position"])["items"]
    assert (row["respondent_unit"], row["channel"]) == ("fgw", "mailbox")
    view = get(api, SUPERVISION, min_position=state["_position"])
    assert [i["title"] for g in view["units"] for i in g["items"] if i["id"] == cid] == [
        "投诉举报 · 审批服务 · 被投诉单位 柳州市发展和改革委员会"]


@pytest.mark.parametrize(("body", "status", "detail"), [
    ({"field": "received_on", "value": "2025-09-30"}, 409,
     f"would follow the acceptance date (受理日期) {ACCEPTED_ON}"),
    ({"field": "received_on", "value": FUTURE}, 422, "received_on 2099-01-01 is in the future"),
    ({"field": "received_on", "value": 20250924}, 422,
     "value of received_on must be a date (YYYY-MM-DD)"),
    ({"field": "respondent_unit", "value": "nowhere"}, 422,
     "respondent_unit: unknown unit code 'nowhere'"),
    ({"field": "category", "value": "noise"}, 422, "value of category must be a category code"),
    ({"field": "content", "value": "改写"}, 422, "field: Input should be 'received_on'"),
    ({"field": "channel", "value": "mailbox", "reason": ""}, 422, "reason"),
])
def test_a_refused_correction_appends_nothing(
    complaints: ComplaintApi, api: Api, body: dict[str, Any], status: int, detail: str,
) -> None:
    complaint = complaints.given("accepted")

    response = complaints.post("bureau", complaint["id"], "correct",
                               {"reason": "更正", **body})

    assert detail in assert_problem(response, status)["detail"]
    assert_unchanged(complaints, api, complaint)


@pytest.mark.parametrize("who", ["supervisor", "unit", "leader", "enterprise"])
def test_only_bureau_staff_correct_a_complaint(complaints: ComplaintApi, api: Api,
                                               who: str) -> None:
    complaint = complaints.given("assigned")  # to liudong, the `unit` account's unit
    response = complaints.post(who, complaint["id"], "correct",
                               {"field": "channel", "value": "mailbox", "reason": "更正"})
    assert_problem(response, 403)
    assert_unchanged(complaints, api, complaint)
