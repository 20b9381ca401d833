"""Query parameters a read does not take, or a single-valued one given twice, are refused
(422 naming them) instead of being ignored or last-wins."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import auth
from tests.e2e.helpers import assert_problem

READS = [
    "/api/v1/ledgers/projects", "/api/v1/ledgers/complaints", "/api/v1/ledgers/requests",
    "/api/v1/ledgers/enterprises", "/api/v1/supervision/overdue", "/api/v1/stats/units",
    "/api/v1/stats/complaints", "/api/v1/stats/requests", "/api/v1/stats/projects",
    "/api/v1/audit/journal",
]


@pytest.mark.parametrize("path", READS)
def test_an_unknown_query_parameter_is_a_422_naming_it(client: Any, tokens: dict[str, str],
                                                        path: str) -> None:
    response = client.get(path, params={"receipt": "TS123"}, headers=auth(tokens["admin"]))

    assert "receipt" in assert_problem(response, 422)["detail"]


def test_a_single_valued_parameter_given_twice_is_a_422(client: Any,
                                                         tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/audit/journal?after=1&after=2",
                          headers=auth(tokens["admin"]))

    assert "after" in assert_problem(response, 422)["detail"]


def test_an_item_read_refuses_unknown_parameters_too(client: Any,
                                                      tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/projects/00000000-0000-0000-0000-000000000001",
                          params={"as_at": "2025-01-01"}, headers=auth(tokens["admin"]))

    assert "as_at" in assert_problem(response, 422)["detail"]


def test_a_reporting_period_in_year_0000_is_a_422_not_a_server_error(
        client: Any, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/ledgers/projects", params={"report_period": "0000-01"},
                          headers=auth(tokens["admin"]))

    assert "report_period" in assert_problem(response, 422)["detail"]


def test_the_declared_parameters_still_pass(client: Any, tokens: dict[str, str]) -> None:
    response = client.get("/api/v1/audit/journal", params={"after": 0, "limit": 5},
                          headers=auth(tokens["admin"]))

    assert response.status_code == 200, response.text
