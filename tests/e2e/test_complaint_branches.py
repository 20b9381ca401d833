"""Complaints off the straight path: a unit returns the case, an unsatisfied callback reopens
it, extensions are approved or refused, a supervisor urges."""

from __future__ import annotations

from datetime import date

from tests.e2e.complaints import (
    ASSIGNED_ON,
    CALLBACK_ON,
    CLOSED_ON,
    EXTENSION_ON,
    REPLY_DAYS,
    ComplaintApi,
    assert_unchanged,
    working_days_after,
)
from tests.e2e.helpers import Api, assert_problem


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
    assert returned["allowed_steps"] == ["assign", "urge", "instruct"]
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
    assert reopened["allowed_steps"] == ["assign", "urge", "instruct"]
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
    closed = complaints.do("supervisor", cid, "close", {"note": "归档", "on": CLOSED_ON})

    assert called["status"] == "called_back"
    assert (closed["status"], closed["satisfaction"]) == ("closed", "basically_satisfied")


def test_an_approved_extension_moves_the_effective_reply_due_date(
    complaints: ComplaintApi,
) -> None:
    pending = complaints.given("extension_pending")
    cid = pending["id"]
    original_due = working_days_after(date.fromisoformat(ASSIGNED_ON), REPLY_DAYS).isoformat()

    approved = complaints.do("supervisor", cid, "approve-extension",
                             {"note": "同意", "on": "2025-10-21"}, version=4)

    assert pending["allowed_steps"] == ["acknowledge", "return", "approve-extension",
                                        "refuse-extension", "urge", "instruct"]
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
