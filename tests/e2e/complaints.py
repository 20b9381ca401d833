"""Helpers of the complaint tests: dates of a complaint received before the 2025 National Day
holiday, a filing body, the flow's steps, and the complaint endpoints by account key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import chinese_calendar
import httpx

from tests.conftest import auth
from tests.e2e.helpers import Api, position_of

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


def assert_unchanged(complaints: ComplaintApi, api: Api, complaint: dict[str, Any]) -> None:
    """Nothing was appended since `complaint` (a state with its `_position`) was returned."""
    version = complaint["version"]
    assert complaints.state(complaint["id"])["version"] == version
    assert len(complaints.history(complaint["id"])) == version
    api.assert_log_head(complaint["_position"])
