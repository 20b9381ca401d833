"""Hostile and extreme input gets a clear 4xx and changes nothing (issue: Step 5)."""

from __future__ import annotations

from typing import Any

from tests.conftest import auth
from tests.e2e.helpers import assert_problem

COMPLAINT = {"channel": "hotline", "category": "approval_service", "content": "施工许可审批超时",
             "respondent_unit": "xzspj", "anonymous": True}


def test_a_business_date_before_the_earliest_one_is_refused(client: Any,
                                                            tokens: dict[str, str]) -> None:
    """Ten complaints dated 0001-01-01 once made the supervision view count working days over
    740,000 days on every read; such a date is now refused and nothing is recorded."""
    head = client.get("/api/v1/audit/journal", headers=auth(tokens["admin"])).json()

    response = client.post("/api/v1/complaints", json={**COMPLAINT, "received_on": "0001-01-01"},
                           headers=auth(tokens["bureau"]))

    detail = assert_problem(response, 422)["detail"]
    assert "received_on 0001-01-01" in detail and "1990-01-01" in detail
    assert client.get("/api/v1/audit/journal", headers=auth(tokens["admin"])).json() == head
