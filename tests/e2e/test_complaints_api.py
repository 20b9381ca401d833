"""The complaint flow through the HTTP API (营商环境投诉举报): filing, every step, headers,
history, refusals (409/412/422) and working-day deadlines counted with chinese_calendar.

The helpers at the top are also used by test_complaint_roles.py and test_public_complaints.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import httpx
import pytest

from domain.complaint import Complaint
from tests.conftest import auth
from tests.e2e.helpers import FUTURE, Api, account_name, assert_problem, position_of, without

COMPLAINTS = "/api/v1/complaints"

# Business dates: received on the Friday before the 2025 National Day holiday.
RECEIVED_ON = "2025-09-26"
ACCEPTED_ON = "2025-09-29"
ASSIGNED_ON = "2025-09-29"
ACKNOWLEDGED_ON = "2025-09-30"
EXTENSION_ON = "2025-10-20"
REPLIED_ON = "2025-10-21"
CALLBACK_ON = "2025-10-22"
CLOSED_ON = "2025-10-24"

# The default policy of the issue: working days to accept, reply, call back.
ACCEPTANCE_DAYS, REPLY_DAYS, CALLBACK_DAYS = 3, 15, 5

PERSON = {"name": "韦投诉人", "phone": "138-0772-4567", "enterprise": "柳州示例机械有限公司"}


def complaint_body(**overrides: Any) -> dict[str, Any]:
    """A valid filing body (a hotline complaint about the approval bureau, with contact
    details); overrides replace fields."""
    body: dict[str, Any] = {
        "channel": "hotline",
        "category": "approval_service",
        "content": "施工许可审批超时两个月未办结",
        "respondent_unit": "xzspj",
        "received_on": RECEIVED_ON,
        "complainant": dict(PERSON),
    }
    body.update(overrides)
    return body


# The flow's steps in order: the status each reaches, who takes it, the action and its body.
FLOW: list[tuple[str, str, str, dict[str, Any]]] = [
    ("accepted", "bureau", "accept", {"on": ACCEPTED_ON}),
    ("assigned", "bureau", "assign", {"unit": "liudong", "on": ASSIGNED_ON}),
    ("acknowledged", "unit", "acknowledge", {"on": ACKNOWLEDGED_ON}),
    ("replied", "unit", "reply", {"text": "已协调审批局加快办理", "on": REPLIED_ON}),
    ("called_back", "supervisor", "callback", {"satisfaction": "satisfied", "on": CALLBACK_ON}),
    ("closed", "supervisor", "close", {"on": CLOSED_ON}),
]


def working_days_after(start: date, count: int) -> date:
    """The day `count` working days after `start` by chinese_calendar's official schedule,
    counted here independently of the application's calendar."""
    day = start
    while count:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day):
            count -= 1
    return day


@dataclass
class ComplaintApi:
    """The complaint endpoints with the test accounts' tokens, addressed by key ("bureau")."""

    client: Any
    tokens: dict[str, str]

    def headers(self, who: str, version: int | None = None,
                request_id: str | None = None) -> dict[str, str]:
        headers = auth(self.tokens[who], version)
        if request_id is not None:
            headers["X-Request-ID"] = request_id
        return headers

    def file(self, who: str = "bureau", body: dict[str, Any] | None = None,
             **overrides: Any) -> httpx.Response:
        return self.client.post(COMPLAINTS, json=body if body is not None
                                else complaint_body(**overrides), headers=self.headers(who))

    def create(self, who: str = "bureau", **overrides: Any) -> dict[str, Any]:
        """File a complaint and return its state (asserts 201)."""
        response = self.file(who, **overrides)
        assert response.status_code == 201, response.text
        return response.json() | {"_position": position_of(response)}

    def post(self, who: str, complaint_id: str, action: str,
             body: dict[str, Any] | None = None, version: int | None = None
             ) -> httpx.Response:
        return self.client.post(f"{COMPLAINTS}/{complaint_id}/{action}", json=body or {},
                                headers=self.headers(who, version))

    def do(self, who: str, complaint_id: str, action: str, body: dict[str, Any] | None = None,
           version: int | None = None) -> dict[str, Any]:
        """Run a step that must succeed; returns the new state (asserts 200)."""
        response = self.post(who, complaint_id, action, body, version)
        assert response.status_code == 200, (action, response.text)
        return response.json() | {"_position": position_of(response)}

    def get(self, who: str, complaint_id: str, **params: Any) -> httpx.Response:
        return self.client.get(f"{COMPLAINTS}/{complaint_id}", params=params,
                               headers=self.headers(who))

    def state(self, complaint_id: str, who: str = "bureau") -> dict[str, Any]:
        response = self.get(who, complaint_id)
        assert response.status_code == 200, response.text
        return response.json()

    def get_history(self, who: str, complaint_id: str) -> httpx.Response:
        return self.client.get(f"{COMPLAINTS}/{complaint_id}/history",
                               headers=self.headers(who))

    def history(self, complaint_id: str, who: str = "bureau") -> list[dict[str, Any]]:
        response = self.get_history(who, complaint_id)
        assert response.status_code == 200, response.text
        return response.json()

    def event_types(self, complaint_id: str) -> list[str]:
        return [e["type"] for e in self.history(complaint_id)]

    def advance(self, complaint_id: str, status: str) -> dict[str, Any]:
        """Take a received complaint along FLOW until it reaches `status`."""
        for reached, who, action, body in FLOW:
            state = self.do(who, complaint_id, action, body)
            if reached == status:
                return state
        raise AssertionError(f"{status} is not on the flow")

    def given(self, status: str) -> dict[str, Any]:
        """A new complaint in `status`: a FLOW status, "received", "declined" or
        "extension_pending" (assigned, with an extension request waiting)."""
        state = self.create()
        if status == "received":
            return state
        if status == "declined":
            return self.do("bureau", state["id"], "decline", {"reason": "不属于受理范围",
                                                              "on": ACCEPTED_ON})
        if status == "extension_pending":
            self.advance(state["id"], "assigned")
            return self.do("unit", state["id"], "request-extension",
                           {"reason": "需现场核查", "until": "2025-11-14", "on": EXTENSION_ON})
        return self.advance(state["id"], status)


@pytest.fixture
def complaints(client: Any, tokens: dict[str, str]) -> ComplaintApi:
    return ComplaintApi(client, tokens)


def assert_unchanged(complaints: ComplaintApi, api: Api, complaint: dict[str, Any]) -> None:
    """Nothing was appended since `complaint` (a state with its `_position`) was returned."""
    version = complaint["version"]
    assert complaints.state(complaint["id"])["version"] == version
    assert len(complaints.history(complaint["id"])) == version
    api.assert_log_head(complaint["_position"])


# --- filing -------------------------------------------------------------------------------


def test_filing_returns_201_with_receipt_location_etag_position_and_acceptance_deadline(
    complaints: ComplaintApi,
) -> None:
    response = complaints.file()

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["version"] == 1
    assert (body["status"], body["status_label"]) == ("received", "登记")
    assert body["receipt"].startswith("TS")
    assert body["id"] == str(Complaint.create_id(body["receipt"]))
    assert response.headers["Location"] == f"{COMPLAINTS}/{body['id']}"
    assert response.headers["ETag"] == '"1"'
    assert position_of(response) > 0
    assert body["received_on"] == RECEIVED_ON
    assert (body["channel"], body["category"], body["respondent_unit"]) == (
        "hotline", "approval_service", "xzspj")
    assert body["anonymous"] is False
    assert body["complainant"] == PERSON
    assert body["acceptance_deadline"]["start"] == RECEIVED_ON
    assert body["acceptance_deadline"]["working_days"] == ACCEPTANCE_DAYS
    assert body["acceptance_deadline"]["provisional"] is False
    assert body["acceptance_deadline"]["calendar_version"].startswith("chinese-calendar")
    assert body["allowed_steps"] == ["accept", "decline", "urge"]
    got = complaints.client.get(response.headers["Location"],
                                headers=complaints.headers("supervisor"))
    assert got.status_code == 200
    assert got.headers["ETag"] == '"1"'
    assert got.json() == body


def test_filing_takes_every_channel_and_category_and_anonymous_complaints(
    complaints: ComplaintApi,
) -> None:
    channels = ["website", "mailbox", "hotline", "county_zone", "municipal_department",
                "walk_in"]
    categories = ["approval_service", "policy_delivery", "fees_and_fines", "inspections",
                  "fair_competition", "conduct", "other"]

    filed = [complaints.create(channel=channels[i % len(channels)], category=category)
             for i, category in enumerate(categories)]
    anonymous = complaints.file(body=without(complaint_body(), "complainant")
                                | {"anonymous": True})

    assert [c["category"] for c in filed] == categories
    assert {c["channel"] for c in filed} == set(channels)
    assert anonymous.status_code == 201, anonymous.text
    state = complaints.state(anonymous.json()["id"])
    assert (state["anonymous"], state["complainant"]) == (True, None)


# --- the whole flow -----------------------------------------------------------------------


def test_a_complaint_goes_from_filing_to_closing(complaints: ComplaintApi) -> None:
    filed = complaints.create()
    cid = filed["id"]
    positions = [filed["_position"]]
    states = []

    for version, (reached, who, action, body) in enumerate(FLOW, start=2):
        response = complaints.post(who, cid, action, body, version=version - 1)

        assert response.status_code == 200, (action, response.text)
        assert response.json()["status"] == reached
        assert response.json()["version"] == version
        assert response.headers["ETag"] == f'"{version}"'
        positions.append(position_of(response))
        states.append(response.json())

    assert positions == sorted(set(positions))
    accepted, assigned, acknowledged, replied, called_back, closed = states
    assert accepted["accepted_on"] == ACCEPTED_ON
    assert assigned["assigned_unit"] == "liudong"
    assert assigned["allowed_steps"] == ["acknowledge", "return", "request-extension", "urge"]
    assert acknowledged["assignments"][0]["acknowledged_on"] == ACKNOWLEDGED_ON
    assert acknowledged["allowed_steps"] == ["reply", "return", "request-extension", "urge"]
    assert (replied["reply_text"], replied["replied_on"]) == ("已协调审批局加快办理", REPLIED_ON)
    assert replied["allowed_steps"] == ["callback", "urge"]
    assert (called_back["satisfaction"], called_back["callback_on"]) == ("satisfied",
                                                                         CALLBACK_ON)
    assert called_back["allowed_steps"] == ["close", "urge"]
    assert (closed["status_label"], closed["closed_on"]) == ("办结", CLOSED_ON)
    assert closed["allowed_steps"] == []
    assert closed["open_deadlines"] == []
    assert complaints.event_types(cid) == ["Received", "Accepted", "Assigned", "Acknowledged",
                                           "Replied", "CallbackRecorded", "Closed"]


def test_each_step_sets_the_deadline_it_starts_and_stops_the_one_before(
    complaints: ComplaintApi,
) -> None:
    cid = complaints.create()["id"]

    received = complaints.state(cid)
    accepted = complaints.advance(cid, "accepted")
    assigned = complaints.do("bureau", cid, "assign", {"unit": "liudong", "on": ASSIGNED_ON})
    complaints.do("unit", cid, "acknowledge", {"on": ACKNOWLEDGED_ON})
    replied = complaints.do("unit", cid, "reply", {"text": "已办理", "on": REPLIED_ON})

    assert [d["kind"] for d in received["open_deadlines"]] == ["acceptance"]
    assert accepted["open_deadlines"] == []
    reply_due = working_days_after(date.fromisoformat(ASSIGNED_ON), REPLY_DAYS).isoformat()
    assert assigned["reply_deadline"]["due"] == reply_due
    assert [(d["kind"], d["due"]) for d in assigned["open_deadlines"]] == [("reply", reply_due)]
    assert assigned["assignments"][0]["reply_due"] == reply_due
    callback_due = working_days_after(date.fromisoformat(REPLIED_ON), CALLBACK_DAYS)
    assert replied["callback_deadline"]["start"] == REPLIED_ON
    assert replied["callback_deadline"]["due"] == callback_due.isoformat()
    assert [d["kind"] for d in replied["open_deadlines"]] == ["callback"]


def test_declining_records_the_reason_and_ends_the_case(complaints: ComplaintApi) -> None:
    cid = complaints.create()["id"]

    declined = complaints.do("bureau", cid, "decline", {"reason": "属于司法诉讼事项",
                                                        "on": ACCEPTED_ON}, version=1)

    assert (declined["status"], declined["status_label"]) == ("declined", "不予受理")
    assert declined["decline_reason"] == "属于司法诉讼事项"
    assert declined["declined_on"] == ACCEPTED_ON
    assert declined["allowed_steps"] == []
    assert declined["open_deadlines"] == []
    assert complaints.history(cid)[-1]["data"]["reason"] == "属于司法诉讼事项"


def test_history_names_the_actor_of_each_token_and_the_request_id(
    complaints: ComplaintApi,
) -> None:
    response = complaints.client.post(COMPLAINTS, json=complaint_body(),
                                      headers=complaints.headers("bureau",
                                                                 request_id="file-1"))
    cid = response.json()["id"]
    complaints.do("bureau", cid, "accept", {"on": ACCEPTED_ON})
    complaints.do("bureau", cid, "assign", {"unit": "liudong", "on": ASSIGNED_ON})
    acknowledged = complaints.client.post(
        f"{COMPLAINTS}/{cid}/acknowledge", json={"on": ACKNOWLEDGED_ON},
        headers=complaints.headers("unit", request_id="ack-7"))
    assert acknowledged.status_code == 200, acknowledged.text

    history = complaints.history(cid)

    assert [e["version"] for e in history] == [1, 2, 3, 4]
    assert [e["label"] for e in history] == ["登记", "受理", "交办", "签收"]
    received, _, assigned, acknowledged = history
    assert received["correlation_id"] == "file-1"
    assert received["actor"]["name"] == account_name("bureau")
    assert received["actor"]["role"] == "bureau"
    assert received["data"]["on"] == RECEIVED_ON
    assert assigned["data"]["unit"] == "liudong"
    assert assigned["data"]["reply_deadline"]["working_days"] == REPLY_DAYS
    assert acknowledged["correlation_id"] == "ack-7"
    assert acknowledged["actor"]["name"] == account_name("unit")
    assert (acknowledged["actor"]["role"], acknowledged["actor"]["unit"]) == ("unit", "liudong")
    assert acknowledged["actor"]["id"] != received["actor"]["id"]
    assert acknowledged["data"]["on"] == ACKNOWLEDGED_ON


def test_as_of_version_shows_the_complaint_as_it_was(complaints: ComplaintApi) -> None:
    cid = complaints.create()["id"]
    complaints.advance(cid, "assigned")

    first = complaints.get("bureau", cid, as_of_version=1)
    second = complaints.get("bureau", cid, as_of_version=2)

    assert first.status_code == 200
    assert (first.json()["version"], first.json()["status"]) == (1, "received")
    assert first.json()["complainant"] == PERSON
    assert (second.json()["status"], second.json()["assigned_unit"]) == ("accepted", None)
    for bad in (4, 0, -1, "x"):
        assert_problem(complaints.get("bureau", cid, as_of_version=bad), 422)
    assert "between 1 and 3" in complaints.get("bureau", cid, as_of_version=4).json()["detail"]


def test_steps_without_required_fields_need_no_body(complaints: ComplaintApi) -> None:
    cid = complaints.given("assigned")["id"]
    url = f"{COMPLAINTS}/{cid}"
    until = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=90)).isoformat()

    acknowledged = complaints.client.post(f"{url}/acknowledge", headers=complaints.headers("unit"))
    complaints.do("unit", cid, "request-extension", {"reason": "需延期", "until": until})
    approved = complaints.client.post(f"{url}/approve-extension",
                                      headers=complaints.headers("supervisor"))
    complaints.do("unit", cid, "reply", {"text": "已办理"})
    complaints.do("supervisor", cid, "callback", {"satisfaction": "satisfied"})
    closed = complaints.client.post(f"{url}/close", headers=complaints.headers("supervisor"))

    assert acknowledged.status_code == 200, acknowledged.text
    assert approved.status_code == 200, approved.text
    assert approved.json()["extended_due"] == until
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"


def test_accept_needs_no_body(complaints: ComplaintApi) -> None:
    cid = complaints.create()["id"]

    response = complaints.client.post(f"{COMPLAINTS}/{cid}/accept",
                                      headers=complaints.headers("bureau", 1))

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"


# --- return, reopen, extension, urge --------------------------------------------------------


def test_a_returned_case_waits_for_reassignment_to_another_unit(
    complaints: ComplaintApi,
) -> None:
    cid = complaints.given("acknowledged")["id"]

    returned = complaints.do("unit", cid, "return", {"reason": "不属于本单位职责",
                                                     "on": "2025-10-09"}, version=4)
    reassigned = complaints.do("bureau", cid, "assign", {"unit": "liujiang",
                                                         "on": "2025-10-10"}, version=5)
    acknowledged = complaints.do("other_unit", cid, "acknowledge", {"on": "2025-10-10"})

    assert (returned["status"], returned["status_label"]) == ("returned", "退单")
    assert returned["assigned_unit"] is None
    assert returned["allowed_steps"] == ["assign", "urge"]
    assert returned["open_deadlines"] == []
    first = returned["assignments"][0]
    assert (first["unit"], first["returned"], first["returned_on"], first["return_reason"]) == (
        "liudong", True, "2025-10-09", "不属于本单位职责")
    assert reassigned["assigned_unit"] == "liujiang"
    assert [a["unit"] for a in reassigned["assignments"]] == ["liudong", "liujiang"]
    assert reassigned["assignments"][1]["number"] == 2
    assert reassigned["reply_deadline"]["start"] == "2025-10-10"
    assert reassigned["reply_deadline"]["due"] == working_days_after(
        date(2025, 10, 10), REPLY_DAYS).isoformat()
    assert acknowledged["status"] == "acknowledged"
    assert complaints.event_types(cid)[-3:] == ["Returned", "Assigned", "Acknowledged"]


def test_an_unsatisfied_callback_reopens_the_case_for_a_new_assignment(
    complaints: ComplaintApi,
) -> None:
    cid = complaints.given("replied")["id"]

    reopened = complaints.do("supervisor", cid, "callback",
                             {"satisfaction": "unsatisfied", "comment": "问题仍未解决",
                              "on": CALLBACK_ON})
    refused_close = complaints.post("supervisor", cid, "close", {"on": CALLBACK_ON})
    again = complaints.do("bureau", cid, "assign", {"unit": "liudong", "on": "2025-10-23"})

    assert (reopened["status"], reopened["status_label"]) == ("reopened", "重办")
    assert reopened["satisfaction"] == "unsatisfied"
    assert reopened["assigned_unit"] is None
    assert reopened["allowed_steps"] == ["assign", "urge"]
    assert "reopened" in assert_problem(refused_close, 409)["detail"]
    assert again["status"] == "assigned"
    assert len(again["assignments"]) == 2
    assert again["assignments"][0]["satisfaction"] == "unsatisfied"
    assert again["reply_deadline"]["due"] == working_days_after(date(2025, 10, 23),
                                                                REPLY_DAYS).isoformat()
    assert (again["reply_text"], again["satisfaction"]) == (None, None)
    assert complaints.history(cid)[5]["data"]["comment"] == "问题仍未解决"


def test_an_unsatisfied_callback_without_a_comment_is_422_and_appends_nothing(
    complaints: ComplaintApi, api: Api,
) -> None:
    replied = complaints.given("replied")

    response = complaints.post("supervisor", replied["id"], "callback",
                               {"satisfaction": "unsatisfied", "on": CALLBACK_ON})

    assert "comment" in assert_problem(response, 422)["detail"]
    assert_unchanged(complaints, api, replied)


def test_a_basically_satisfied_callback_lets_the_case_close(complaints: ComplaintApi) -> None:
    cid = complaints.given("replied")["id"]

    called = complaints.do("supervisor", cid, "callback",
                           {"satisfaction": "basically_satisfied", "on": CALLBACK_ON})
    closed = complaints.do("supervisor", cid, "close", {"comment": "归档", "on": CLOSED_ON})

    assert called["status"] == "called_back"
    assert (closed["status"], closed["satisfaction"]) == ("closed", "basically_satisfied")


def test_an_approved_extension_moves_the_effective_reply_due_date(
    complaints: ComplaintApi,
) -> None:
    pending = complaints.given("extension_pending")
    cid = pending["id"]
    original_due = working_days_after(date.fromisoformat(ASSIGNED_ON), REPLY_DAYS).isoformat()

    approved = complaints.do("supervisor", cid, "approve-extension",
                             {"comment": "同意", "on": "2025-10-21"}, version=4)

    assert pending["allowed_steps"] == ["acknowledge", "return", "approve-extension",
                                        "refuse-extension", "urge"]
    assert pending["extensions"][0]["outcome"] is None
    assert pending["open_deadlines"][0]["due"] == original_due
    assert approved["extended_due"] == "2025-11-14"
    assert [(d["kind"], d["due"]) for d in approved["open_deadlines"]] == [("reply",
                                                                            "2025-11-14")]
    assert approved["reply_deadline"]["due"] == original_due
    assert approved["assignments"][0]["extended_due"] == "2025-11-14"
    extension = approved["extensions"][0]
    assert (extension["reason"], extension["until"], extension["requested_on"]) == (
        "需现场核查", "2025-11-14", EXTENSION_ON)
    assert (extension["outcome"], extension["decided_on"]) == ("approved", "2025-10-21")
    assert "request-extension" in approved["allowed_steps"]
    assert complaints.event_types(cid)[-2:] == ["ExtensionRequested", "ExtensionApproved"]


def test_a_refused_extension_keeps_the_reply_due_date(complaints: ComplaintApi) -> None:
    cid = complaints.given("extension_pending")["id"]
    original_due = working_days_after(date.fromisoformat(ASSIGNED_ON), REPLY_DAYS).isoformat()

    refused = complaints.do("supervisor", cid, "refuse-extension",
                            {"reason": "理由不充分", "on": "2025-10-21"})

    assert refused["extended_due"] is None
    assert [(d["kind"], d["due"]) for d in refused["open_deadlines"]] == [("reply",
                                                                           original_due)]
    assert refused["extensions"][0]["outcome"] == "refused"
    assert refused["extensions"][0]["decision_comment"] == "理由不充分"
    assert refused["extensions"][0]["decided_on"] == "2025-10-21"
    assert refused["status"] == "assigned"
    assert "request-extension" in refused["allowed_steps"]


def test_urging_counts_without_changing_the_status(complaints: ComplaintApi) -> None:
    cid = complaints.given("assigned")["id"]

    first = complaints.do("supervisor", cid, "urge", {"text": "请尽快办理", "on": "2025-10-15"},
                          version=3)
    second = complaints.do("supervisor", cid, "urge", {"text": "再次催办", "on": "2025-10-10"},
                           version=4)

    assert (first["status"], first["urge_count"]) == ("assigned", 1)
    assert (second["status"], second["urge_count"]) == ("assigned", 2)
    assert complaints.history(cid)[-1]["data"] == {"text": "再次催办", "on": "2025-10-10"}


# --- 409: illegal steps ---------------------------------------------------------------------


EXTENSION = {"reason": "需延期", "until": "2025-12-31"}
ILLEGAL: dict[str, tuple[str, list[tuple[str, str, dict[str, Any], str]]]] = {
    # status: (allowed steps by the contract, [(who, action, body, extra words)])
    "received": ("accept, decline, urge", [
        ("bureau", "assign", {"unit": "liudong"}, ""),
        ("supervisor", "callback", {"satisfaction": "satisfied"}, ""),
        ("supervisor", "close", {}, ""),
        ("supervisor", "approve-extension", {}, "no extension request is pending"),
    ]),
    "accepted": ("assign, urge", [
        ("bureau", "accept", {}, ""),
        ("bureau", "decline", {"reason": "重复投诉"}, ""),
        ("supervisor", "close", {}, ""),
    ]),
    "assigned": ("acknowledge, return, request-extension, urge", [
        ("unit", "reply", {"text": "未签收先答复"}, ""),
        ("bureau", "assign", {"unit": "liujiang"}, ""),
        ("supervisor", "refuse-extension", {"reason": "无"}, "no extension request is pending"),
    ]),
    "extension_pending": ("acknowledge, return, approve-extension, refuse-extension, urge", [
        ("unit", "request-extension", EXTENSION, "already pending"),
    ]),
    "acknowledged": ("reply, return, request-extension, urge", [
        ("unit", "acknowledge", {}, ""),
        ("supervisor", "callback", {"satisfaction": "satisfied"}, ""),
    ]),
    "replied": ("callback, urge", [
        ("unit", "return", {"reason": "答复后退单"}, ""),
        ("unit", "request-extension", EXTENSION, ""),
        ("unit", "reply", {"text": "再答复"}, ""),
        ("supervisor", "close", {}, ""),
    ]),
    "called_back": ("close, urge", [
        ("supervisor", "callback", {"satisfaction": "satisfied"}, ""),
        ("bureau", "assign", {"unit": "liudong"}, ""),
    ]),
    "closed": ("none", [
        ("supervisor", "urge", {"text": "办结后催办"}, ""),
        ("supervisor", "close", {}, ""),
        ("unit", "reply", {"text": "补充答复"}, ""),
    ]),
    "declined": ("none", [
        ("bureau", "accept", {}, ""),
        ("bureau", "assign", {"unit": "liudong"}, ""),
        ("supervisor", "urge", {"text": "催办"}, ""),
    ]),
}


@pytest.mark.parametrize("statuses", [
    ["received", "accepted", "declined"],
    ["assigned", "extension_pending", "acknowledged"],
    ["replied", "called_back", "closed"],
], ids=["intake", "handling", "callback"])
def test_an_illegal_step_is_409_naming_the_status_and_allowed_steps_and_appends_nothing(
    complaints: ComplaintApi, api: Api, statuses: list[str]
) -> None:
    given = {status: complaints.given(status) for status in statuses}

    for status, complaint in given.items():
        allowed, steps = ILLEGAL[status]
        current = "assigned" if status == "extension_pending" else status
        for who, action, body, words in steps:
            response = complaints.post(who, complaint["id"], action, body,
                                       version=complaint["version"])

            detail = assert_problem(response, 409)["detail"]
            assert f"complaint is {current} (" in detail, (status, action, detail)
            assert detail.endswith(f"allowed: {allowed}"), (status, action, detail)
            assert words in detail, (status, action, detail)
    for complaint in given.values():
        assert complaints.state(complaint["id"])["version"] == complaint["version"]
        assert len(complaints.history(complaint["id"])) == complaint["version"]
    api.assert_log_head(max(c["_position"] for c in given.values()))


def test_a_step_dated_before_the_previous_step_is_409_and_appends_nothing(
    complaints: ComplaintApi, api: Api,
) -> None:
    assigned = complaints.given("assigned")

    response = complaints.post("unit", assigned["id"], "acknowledge", {"on": "2025-09-28"})

    detail = assert_problem(response, 409)["detail"]
    assert "2025-09-28" in detail
    assert ASSIGNED_ON in detail
    assert_unchanged(complaints, api, assigned)


def test_an_extension_not_beyond_the_reply_due_date_is_409_and_appends_nothing(
    complaints: ComplaintApi, api: Api,
) -> None:
    assigned = complaints.given("assigned")
    due = working_days_after(date.fromisoformat(ASSIGNED_ON), REPLY_DAYS).isoformat()
    assert assigned["reply_deadline"]["due"] == due == "2025-10-27"

    for until in (due, "2025-10-20"):
        response = complaints.post("unit", assigned["id"], "request-extension",
                                   {"reason": "需延期", "until": until, "on": EXTENSION_ON})

        detail = assert_problem(response, 409)["detail"]
        assert f"extension until {until} must be after the current reply due date {due}" in (
            detail)
    assert_unchanged(complaints, api, assigned)


# --- 412 ------------------------------------------------------------------------------------


EVERY_STEP: list[tuple[str, str, dict[str, Any]]] = [
    ("bureau", "accept", {}),
    ("bureau", "decline", {"reason": "重复"}),
    ("bureau", "assign", {"unit": "liudong"}),
    ("unit", "acknowledge", {}),
    ("unit", "return", {"reason": "非本单位职责"}),
    ("unit", "reply", {"text": "已办"}),
    ("unit", "request-extension", {"reason": "需延期", "until": "2025-12-31"}),
    ("supervisor", "approve-extension", {}),
    ("supervisor", "refuse-extension", {"reason": "不同意"}),
    ("supervisor", "urge", {"text": "请加快"}),
    ("supervisor", "callback", {"satisfaction": "satisfied"}),
    ("supervisor", "close", {}),
]


def test_a_stale_if_match_is_412_on_every_step_and_appends_nothing(
    complaints: ComplaintApi, api: Api,
) -> None:
    assigned = complaints.given("assigned")

    for stale in (2, 4):
        for who, action, body in EVERY_STEP:
            response = complaints.post(who, assigned["id"], action, body, version=stale)

            assert "version 3" in assert_problem(response, 412)["detail"], (stale, action)
    assert_unchanged(complaints, api, assigned)
    assert complaints.do("unit", assigned["id"], "acknowledge", version=3)["version"] == 4


# --- 404 and 422 ----------------------------------------------------------------------------


def test_an_unknown_complaint_is_404_for_reads_and_steps(
    complaints: ComplaintApi, api: Api,
) -> None:
    filed = complaints.create()
    unknown = str(uuid.uuid4())
    account_id = complaints.history(filed["id"])[0]["actor"]["id"]

    for cid in (unknown, account_id):
        assert_problem(complaints.get("bureau", cid), 404)
        assert_problem(complaints.get_history("bureau", cid), 404)
        assert_problem(complaints.post("bureau", cid, "accept", {"on": ACCEPTED_ON}), 404)
    api.assert_log_head(filed["_position"])


INVALID_FILINGS: dict[str, tuple[dict[str, Any], str]] = {
    "unknown-channel": (complaint_body(channel="fax"), "channel"),
    "unknown-category": (complaint_body(category="taxes"), "category"),
    "complainant-and-anonymous": (complaint_body(anonymous=True), "not both"),
    "neither-complainant-nor-anonymous": (without(complaint_body(), "complainant"),
                                          "complainant"),
    "anonymous-false-without-complainant": (
        without(complaint_body(), "complainant") | {"anonymous": False}, "complainant"),
    "unknown-respondent-unit": (complaint_body(respondent_unit="nowhere"), "nowhere"),
    "future-received-on": (complaint_body(received_on=FUTURE), "future"),
    "impossible-received-on": (complaint_body(received_on="2025-02-30"), "received_on"),
    "missing-content": (without(complaint_body(), "content"), "content"),
    "blank-content": (complaint_body(content="   "), "content"),
    "blank-complainant-name": (complaint_body(complainant={"name": "  "}), "name"),
    "phone-not-digits": (complaint_body(complainant={"name": "韦", "phone": "call me"}),
                         "phone"),
    "claims-an-enterprise": (complaint_body(filed_by_enterprise="91450200MA5KXXXX05"),
                             "filed_by_enterprise"),
}


def test_an_invalid_filing_is_422_naming_the_problem_and_appends_nothing(
    complaints: ComplaintApi, api: Api,
) -> None:
    filed = complaints.create()
    outcomes = {}
    for case, (body, words) in INVALID_FILINGS.items():
        response = complaints.file(body=body)
        outcomes[case] = (response.status_code, words in response.json()["detail"])
        if response.status_code == 422:
            assert_problem(response, 422)

    assert outcomes == dict.fromkeys(INVALID_FILINGS, (422, True))
    api.assert_log_head(filed["_position"])


INVALID_STEPS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "assign-unknown-unit": ("bureau", "assign", {"unit": "nowhere"}),
    "reply-empty-text": ("unit", "reply", {"text": ""}),
    "reply-future-on": ("unit", "reply", {"text": "已办", "on": FUTURE}),
    "reply-extra-field": ("unit", "reply", {"text": "已办", "actor": "someone"}),
    "callback-unknown-satisfaction": ("supervisor", "callback", {"satisfaction": "delighted"}),
    "extension-without-until": ("unit", "request-extension", {"reason": "需延期"}),
    "extension-until-not-a-date": ("unit", "request-extension",
                                   {"reason": "需延期", "until": "next month"}),
    "extension-without-reason": ("unit", "request-extension", {"until": "2025-12-31"}),
    "decline-without-reason": ("bureau", "decline", {}),
    "urge-without-text": ("supervisor", "urge", {}),
}


def test_an_invalid_step_is_422_and_appends_nothing(complaints: ComplaintApi, api: Api) -> None:
    acknowledged = complaints.given("acknowledged")
    statuses = {}
    for case, (who, action, body) in INVALID_STEPS.items():
        response = complaints.post(who, acknowledged["id"], action, body,
                                   version=acknowledged["version"])
        statuses[case] = response.status_code
        if response.status_code == 422:
            assert_problem(response, 422)

    assert statuses == dict.fromkeys(INVALID_STEPS, 422)
    assert_unchanged(complaints, api, acknowledged)


# --- working-day deadlines (chinese_calendar) ------------------------------------------------


def test_the_acceptance_deadline_counts_the_tiaoxiu_sunday_before_national_day(
    complaints: ComplaintApi,
) -> None:
    received = date.fromisoformat(RECEIVED_ON)
    assert received.weekday() == 4  # a Friday
    tiaoxiu = date(2025, 9, 28)
    assert tiaoxiu.weekday() == 6 and chinese_calendar.is_workday(tiaoxiu)
    expected = working_days_after(received, ACCEPTANCE_DAYS)
    assert expected == date(2025, 9, 30)  # by hand: Sun 28 (调休), Mon 29, Tue 30

    filed = complaints.create(received_on=RECEIVED_ON)

    deadline = filed["acceptance_deadline"]
    assert deadline["due"] == expected.isoformat()
    assert (deadline["start"], deadline["working_days"]) == (RECEIVED_ON, ACCEPTANCE_DAYS)
    assert deadline["provisional"] is False
    assert filed["open_deadlines"] == [{"kind": "acceptance", **deadline}]


def test_the_reply_deadline_spans_national_day_and_the_tiaoxiu_saturday(
    complaints: ComplaintApi,
) -> None:
    assigned_on = date.fromisoformat(ASSIGNED_ON)
    assert not any(chinese_calendar.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert date(2025, 10, 11).weekday() == 5 and chinese_calendar.is_workday(date(2025, 10, 11))
    expected = working_days_after(assigned_on, REPLY_DAYS)
    # By hand: Sep 30; Oct 9, 10, 11 (调休 Saturday); Oct 13-17; Oct 20-24; Oct 27.
    assert expected == date(2025, 10, 27)

    assigned = complaints.given("assigned")

    deadline = assigned["reply_deadline"]
    assert (deadline["start"], deadline["working_days"]) == (ASSIGNED_ON, REPLY_DAYS)
    assert deadline["due"] == expected.isoformat()
    assert deadline["provisional"] is False
    assert deadline["calendar_version"] == assigned["acceptance_deadline"]["calendar_version"]
    assert complaints.history(assigned["id"])[2]["data"]["reply_deadline"] == deadline
