"""The public website channel: file without an account, follow by receipt code, no personal
data; the complaint then appears in the staff API under the id derived from its receipt."""

from __future__ import annotations

import re
from typing import Any

from api.bootstrap import Container
from domain.complaint import Complaint
from tests.e2e.complaints import PERSON, ComplaintApi
from tests.e2e.helpers import Api, assert_problem, position_of, without

PUBLIC = "/api/v1/public/complaints"
RECEIPT = re.compile(r"^TS[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$")
PUBLIC_FIELDS = {"receipt", "status", "status_label", "channel", "category", "received_on",
                 "accepted_on", "replied_on", "closed_on", "due", "unit_name", "reply",
                 "declined_on", "decline_reason"}


def public_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "fees_and_fines",
        "content": "办理排污许可被要求缴纳评审费",
        "respondent_unit": "sthjj",
        "complainant": dict(PERSON),
    }
    body.update(overrides)
    return body


def _file(client: Any, body: dict[str, Any] | None = None, request_id: str | None = None
          ) -> Any:
    headers = {} if request_id is None else {"X-Request-ID": request_id}
    return client.post(PUBLIC, json=public_body() if body is None else body, headers=headers)


def _filed(client: Any, **overrides: Any) -> dict[str, Any]:
    response = _file(client, public_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json() | {"_position": position_of(response)}


def _no_personal_data(text: str) -> bool:
    return not any(value in text for value in PERSON.values())


def test_anyone_files_on_the_website_without_an_account_and_gets_a_receipt(
    client: Any, container: Container,
) -> None:
    today = container.clock.today().isoformat()

    response = _file(client)

    assert response.status_code == 201, response.text
    body = response.json()
    assert RECEIPT.match(body["receipt"]), body["receipt"]
    assert set(body) == PUBLIC_FIELDS
    assert (body["status"], body["status_label"]) == ("received", "登记")
    assert (body["channel"], body["category"]) == ("website", "fees_and_fines")
    assert body["received_on"] in (today, container.clock.today().isoformat())
    assert body["due"] is not None
    assert response.headers["Location"] == f"{PUBLIC}/{body['receipt']}"
    assert position_of(response) > 0
    assert _no_personal_data(response.text)
    others = {_filed(client)["receipt"] for _ in range(2)}
    assert len(others | {body["receipt"]}) == 3


def test_following_a_receipt_shows_the_status_without_personal_data(client: Any) -> None:
    filed = _filed(client)

    response = client.get(f"{PUBLIC}/{filed['receipt']}")

    assert response.status_code == 200, response.text
    assert set(response.json()) == PUBLIC_FIELDS
    assert response.json() == without(filed, "_position")
    assert _no_personal_data(response.text)
    assert public_body()["content"] not in response.text


def test_a_receipt_is_found_whatever_its_case(client: Any) -> None:
    receipt = _filed(client)["receipt"]

    lower = client.get(f"{PUBLIC}/{receipt.lower()}")
    mixed = client.get(f"{PUBLIC}/{receipt[:5].lower()}{receipt[5:]}")

    assert lower.status_code == mixed.status_code == 200
    assert lower.json()["receipt"] == mixed.json()["receipt"] == receipt


def test_an_unknown_receipt_is_a_404_problem(client: Any) -> None:
    _filed(client)

    problem = assert_problem(client.get(f"{PUBLIC}/TS2222222222222"), 404)

    assert "TS2222222222222" in problem["detail"]
    assert_problem(client.get(f"{PUBLIC}/nonsense"), 404)


def test_the_public_cannot_choose_channel_date_or_enterprise(client: Any, api: Api) -> None:
    head = _filed(client)["_position"]
    extras = [("channel", "hotline"), ("channel", "website"), ("received_on", "2025-01-02"),
              ("anonymous", True), ("filed_by_enterprise", "91450200MA5KXXXX4H")]

    for field, value in extras:
        response = _file(client, public_body(**{field: value}))

        problem = assert_problem(response, 422)
        assert field in problem["detail"], (field, value)
    api.assert_log_head(head)


def test_an_invalid_public_filing_is_422_and_appends_nothing(client: Any, api: Api) -> None:
    head = _filed(client)["_position"]
    invalid = {
        "unknown-category": public_body(category="taxes"),
        "unknown-unit": public_body(respondent_unit="nowhere"),
        "missing-content": without(public_body(), "content"),
        "bad-phone": public_body(complainant={"name": "韦", "phone": "none of your business"}),
    }

    statuses = {case: _file(client, body).status_code for case, body in invalid.items()}

    assert statuses == dict.fromkeys(invalid, 422)
    api.assert_log_head(head)


def test_a_public_complaint_appears_in_the_staff_api_under_its_receipt_id(
    client: Any, complaints: ComplaintApi,
) -> None:
    response = _file(client, request_id="web-42")
    receipt = response.json()["receipt"]
    cid = str(Complaint.create_id(receipt))

    state = complaints.state(cid)
    received = complaints.history(cid)[0]

    assert (state["receipt"], state["channel"], state["status"]) == (receipt, "website",
                                                                     "received")
    assert state["complainant"] == PERSON
    assert state["filed_by_enterprise"] is None
    assert state["content"] == public_body()["content"]
    assert state["respondent_unit"] == "sthjj"
    assert (received["actor"]["role"], received["actor"]["role_label"]) == ("public", "公众")
    assert received["correlation_id"] == "web-42"
    anonymous = _filed(client, complainant=None)["receipt"]
    state = complaints.state(str(Complaint.create_id(anonymous)))
    assert (state["anonymous"], state["complainant"]) == (True, None)


def test_the_public_view_follows_the_handling_steps(
    client: Any, complaints: ComplaintApi,
) -> None:
    receipt = _filed(client)["receipt"]
    cid = str(Complaint.create_id(receipt))
    complaints.do("bureau", cid, "accept")
    assigned = complaints.do("bureau", cid, "assign", {"unit": "liudong"})

    followed = client.get(f"{PUBLIC}/{receipt}").json()
    complaints.do("unit", cid, "acknowledge")
    replied = complaints.do("unit", cid, "reply", {"text": "已退还评审费"})
    after_reply = client.get(f"{PUBLIC}/{receipt}").json()

    assert (followed["status"], followed["status_label"]) == ("assigned", "交办")
    assert followed["accepted_on"] == assigned["accepted_on"]
    assert followed["due"] == assigned["open_deadlines"][0]["due"]
    assert (after_reply["status"], after_reply["replied_on"]) == ("replied",
                                                                  replied["replied_on"])
    assert after_reply["due"] == replied["callback_deadline"]["due"]
    # The outcome, and the unit that gave it (a unit's name, never a person's).
    assert (followed["unit_name"], followed["reply"]) == ("柳东新区(高新区)", None)
    assert (after_reply["unit_name"], after_reply["reply"]) == ("柳东新区(高新区)", "已退还评审费")
    assert _no_personal_data(client.get(f"{PUBLIC}/{receipt}").text)


def test_the_public_view_of_a_declined_complaint_says_why(
    client: Any, complaints: ComplaintApi,
) -> None:
    receipt = _filed(client)["receipt"]
    cid = str(Complaint.create_id(receipt))
    declined = complaints.do("bureau", cid, "decline", {"reason": "不属于营商环境投诉范围"})

    followed = client.get(f"{PUBLIC}/{receipt}").json()

    assert (followed["status"], followed["decline_reason"]) == ("declined",
                                                                "不属于营商环境投诉范围")
    assert followed["declined_on"] == declined["declined_on"]
    assert (followed["unit_name"], followed["reply"]) == (None, None)


def test_the_public_view_of_a_closed_complaint_has_no_due_date(
    client: Any, complaints: ComplaintApi,
) -> None:
    receipt = _filed(client)["receipt"]
    cid = str(Complaint.create_id(receipt))
    for who, action, body in [("bureau", "accept", {}), ("bureau", "assign", {"unit": "liudong"}),
                              ("unit", "acknowledge", {}), ("unit", "reply", {"text": "已办"}),
                              ("supervisor", "callback", {"satisfaction": "satisfied"}),
                              ("supervisor", "close", {})]:
        complaints.do(who, cid, action, body)

    followed = client.get(f"{PUBLIC}/{receipt}").json()

    assert (followed["status"], followed["status_label"], followed["due"]) == ("closed", "办结",
                                                                              None)
    assert followed["closed_on"] == complaints.state(cid)["closed_on"]
