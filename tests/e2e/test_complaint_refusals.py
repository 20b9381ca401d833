"""Complaint refusals through HTTP: illegal steps (409), stale If-Match (412), unknown
complaints (404) and invalid input (422), each appending nothing."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from tests.e2e.complaints import (
    ACCEPTED_ON,
    ASSIGNED_ON,
    EXTENSION_ON,
    REPLY_DAYS,
    ComplaintApi,
    assert_unchanged,
    complaint_body,
    working_days_after,
)
from tests.e2e.helpers import FUTURE, Api, assert_problem, without

# --- 409: illegal steps ---------------------------------------------------------------------


EXTENSION = {"reason": "需延期", "until": "2025-12-31"}
ILLEGAL: dict[str, tuple[str, list[tuple[str, str, dict[str, Any], str]]]] = {
    # status: (allowed steps by the contract, [(who, action, body, extra words)])
    "received": ("accept, decline, urge, instruct", [
        ("bureau", "assign", {"unit": "liudong"}, ""),
        ("supervisor", "callback", {"satisfaction": "satisfied"}, ""),
        ("supervisor", "close", {}, ""),
        ("supervisor", "approve-extension", {}, "no extension request is pending"),
    ]),
    "accepted": ("assign, urge, instruct", [
        ("bureau", "accept", {}, ""),
        ("bureau", "decline", {"reason": "重复投诉"}, ""),
        ("supervisor", "close", {}, ""),
    ]),
    "assigned": ("acknowledge, return, request-extension, urge, instruct", [
        ("unit", "reply", {"text": "未签收先答复"}, ""),
        ("bureau", "assign", {"unit": "liujiang"}, ""),
        ("supervisor", "refuse-extension", {"reason": "无"}, "no extension request is pending"),
    ]),
    "extension_pending": ("acknowledge, return, approve-extension, refuse-extension, urge, "
                          "instruct", [
        ("unit", "request-extension", EXTENSION, "already pending"),
    ]),
    "acknowledged": ("reply, return, request-extension, urge, instruct", [
        ("unit", "acknowledge", {}, ""),
        ("supervisor", "callback", {"satisfaction": "satisfied"}, ""),
    ]),
    "replied": ("callback, urge, instruct", [
        ("unit", "return", {"reason": "答复后退单"}, ""),
        ("unit", "request-extension", EXTENSION, ""),
        ("unit", "reply", {"text": "再答复"}, ""),
        ("supervisor", "close", {}, ""),
    ]),
    "called_back": ("close, urge, instruct", [
        ("supervisor", "callback", {"satisfaction": "satisfied"}, ""),
        ("bureau", "assign", {"unit": "liudong"}, ""),
    ]),
    "closed": ("nothing", [
        ("supervisor", "urge", {"text": "办结后催办"}, ""),
        ("supervisor", "close", {}, ""),
        ("unit", "reply", {"text": "补充答复"}, ""),
    ]),
    "declined": ("nothing", [
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
            assert f"allowed next: {allowed} / 投诉当前状态为「" in detail, (status, action, detail)
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
    "claims-an-enterprise": (complaint_body(filed_by_enterprise="91450200MA5KXXXX4H"),
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
