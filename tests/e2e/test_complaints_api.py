"""The complaint flow through the HTTP API (营商环境投诉举报): filing, every step, headers,
history and versions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.complaint import Complaint
from tests.e2e.complaints import (
    ACCEPTANCE_DAYS,
    ACCEPTED_ON,
    ACKNOWLEDGED_ON,
    ASSIGNED_ON,
    CALLBACK_DAYS,
    CALLBACK_ON,
    CLOSED_ON,
    COMPLAINTS,
    FLOW,
    PERSON,
    RECEIVED_ON,
    REPLIED_ON,
    REPLY_DAYS,
    ComplaintApi,
    complaint_body,
    working_days_after,
)
from tests.e2e.helpers import account_name, assert_problem, position_of, without

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
    assert body["allowed_steps"] == ["accept", "decline", "urge", "instruct"]
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
    assert assigned["allowed_steps"] == ["acknowledge", "return", "request-extension", "urge",
                                         "instruct"]
    assert acknowledged["assignments"][0]["acknowledged_on"] == ACKNOWLEDGED_ON
    assert acknowledged["allowed_steps"] == ["reply", "return", "request-extension", "urge",
                                             "instruct"]
    assert (replied["reply_text"], replied["replied_on"]) == ("已协调审批局加快办理", REPLIED_ON)
    assert replied["allowed_steps"] == ["callback", "urge", "instruct"]
    assert (called_back["satisfaction"], called_back["callback_on"]) == ("satisfied",
                                                                         CALLBACK_ON)
    assert called_back["allowed_steps"] == ["close", "urge", "instruct"]
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
    assert (received["actor"]["role"], received["actor"]["role_label"]) == ("bureau", "投促局")
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


def test_a_steps_remark_is_a_note_and_the_older_name_is_still_read(
        complaints: ComplaintApi) -> None:
    first, second = complaints.create()["id"], complaints.create()["id"]

    complaints.do("bureau", first, "accept", {"note": "材料齐全"})
    complaints.do("bureau", second, "accept", {"comment": "旧客户端"})

    assert complaints.history(first)[-1]["data"]["comment"] == "材料齐全"
    assert complaints.history(second)[-1]["data"]["comment"] == "旧客户端"
    document = complaints.client.get("/openapi.json").json()["components"]["schemas"]
    assert "note" in document["NoteBody"]["properties"]
    assert "comment" not in document["NoteBody"]["properties"]


def test_accept_needs_no_body(complaints: ComplaintApi) -> None:
    cid = complaints.create()["id"]

    response = complaints.client.post(f"{COMPLAINTS}/{cid}/accept",
                                      headers=complaints.headers("bureau", 1))

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "accepted"
