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


def test_open311_dates_at_the_edge_of_time_are_a_400_not_a_500(client: Any,
                                                                tokens: dict[str, str]) -> None:
    for moment in ("9999-12-31T12:00:00+08:00", "0001-01-01T00:00:00+14:00"):
        response = client.get("/open311/v2/requests.json",
                              params={"api_key": tokens["bureau"], "start_date": moment})

        assert response.status_code == 400, response.text
        assert "start_date" in response.json()[0]["description"]


def test_a_journal_position_past_any_log_is_a_422(client: Any, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/audit/journal", params={"after": 2**63 - 1},
                          headers=auth(tokens["admin"]))

    assert "after" in assert_problem(response, 422)["detail"]


def test_an_if_match_of_thousands_of_digits_is_a_422(client: Any,
                                                     tokens: dict[str, str]) -> None:
    filed = client.post("/api/v1/complaints", json=COMPLAINT, headers=auth(tokens["bureau"]))
    assert filed.status_code == 201, filed.text

    response = client.post(f"/api/v1/complaints/{filed.json()['id']}/accept",
                           headers={**auth(tokens["bureau"]), "If-Match": '"' + "9" * 5000 + '"'})

    assert "If-Match" in assert_problem(response, 422)["detail"]


def test_amounts_are_bounded_so_ledger_sums_stay_exact(client: Any,
                                                       tokens: dict[str, str]) -> None:
    body = {"name": "巨额项目", "investor": "某公司", "industry": "汽车", "county": "liudong",
            "responsible_unit": "liudong", "total_investment": "999999999999.9999"}

    response = client.post("/api/v1/projects", json=body, headers=auth(tokens["bureau"]))

    assert "total_investment" in assert_problem(response, 422)["detail"]
