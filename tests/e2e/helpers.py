"""Helpers for the end-to-end tests: register projects and run commands through the HTTP API.

Everything goes through the FastAPI app with bearer tokens, as a real client would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

from tests.conftest import ROLE_ACCOUNTS, auth

PROJECTS = "/api/v1/projects"
LEDGER = "/api/v1/ledgers/projects"
PROBLEM_JSON = "application/problem+json"

# Business dates, all safely in the past.
REGISTERED_ON = "2025-01-10"
SIGNED_ON = "2025-03-01"
CONSTRUCTION_ON = "2025-04-15"
PRODUCTION_ON = "2025-09-01"
STEP_ON = "2025-05-20"
FUTURE = "2099-01-01"

# Stages in order, with the command that reaches each one and its body.
STAGE_STEPS: list[tuple[str, str, dict[str, Any]]] = [
    ("signed", "sign", {"date": SIGNED_ON, "contract_amount": "8000"}),
    ("under_construction", "start-construction", {"date": CONSTRUCTION_ON}),
    ("in_production", "start-production", {"date": PRODUCTION_ON}),
]


def account_name(key: str) -> str:
    """The display name of the test account behind token `key` (tests/conftest.py)."""
    return ROLE_ACCOUNTS[key][0]


def project_body(**overrides: Any) -> dict[str, Any]:
    """A valid registration body, registered on REGISTERED_ON; overrides replace fields."""
    body: dict[str, Any] = {
        "name": "新能源汽车零部件项目",
        "investor": "广西示例科技有限公司",
        "industry": "汽车",
        "total_investment": "12000.5",
        "county": "liudong",
        "responsible_unit": "liudong",
        "on": REGISTERED_ON,
    }
    body.update(overrides)
    return body


def without(body: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k not in keys}


def position_of(response: httpx.Response) -> int:
    return int(response.headers["X-Ledger-Position"])


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"].endswith(f"/{status}")
    assert problem["title"]
    assert isinstance(problem["detail"], str)
    assert problem["detail"]
    # Every refusal reads in Chinese and in English.
    assert re.search(r"[\u4e00-\u9fff]", problem["detail"]), problem["detail"]
    assert re.search(r"[A-Za-z]{3}", problem["detail"]), problem["detail"]
    return problem


@dataclass
class Api:
    """A TestClient plus the tokens of every test account, addressed by key ("bureau")."""

    client: Any
    tokens: dict[str, str]

    def headers(self, who: str, version: int | str | None = None,
                **extra: str) -> dict[str, str]:
        headers = auth(self.tokens[who])
        if version is not None:
            headers["If-Match"] = f'"{version}"' if isinstance(version, int) else version
        headers.update(extra)
        return headers

    # --- projects ------------------------------------------------------------------------

    def register(self, who: str = "bureau", body: dict[str, Any] | None = None,
                 **overrides: Any) -> httpx.Response:
        return self.client.post(PROJECTS, json=body if body is not None
                                else project_body(**overrides), headers=self.headers(who))

    def create(self, who: str = "bureau", **overrides: Any) -> dict[str, Any]:
        """Register a project and return its state (asserts 201)."""
        response = self.register(who, **overrides)
        assert response.status_code == 201, response.text
        return response.json() | {"_position": position_of(response)}

    def post(self, who: str, project_id: str, action: str, body: dict[str, Any] | None = None,
             version: int | str | None = None, **headers: str) -> httpx.Response:
        return self.client.post(f"{PROJECTS}/{project_id}/{action}", json=body or {},
                                headers=self.headers(who, version, **headers))

    def do(self, who: str, project_id: str, action: str, body: dict[str, Any] | None = None,
           version: int | None = None) -> dict[str, Any]:
        """Run a command that must succeed; returns the new state (asserts 200)."""
        response = self.post(who, project_id, action, body, version)
        assert response.status_code == 200, response.text
        return response.json() | {"_position": position_of(response)}

    def get(self, who: str, project_id: str, **params: Any) -> httpx.Response:
        return self.client.get(f"{PROJECTS}/{project_id}", params=params,
                               headers=self.headers(who))

    def state(self, project_id: str, who: str = "admin") -> dict[str, Any]:
        response = self.get(who, project_id)
        assert response.status_code == 200, response.text
        return response.json()

    def get_history(self, who: str, project_id: str) -> httpx.Response:
        return self.client.get(f"{PROJECTS}/{project_id}/history", headers=self.headers(who))

    def history(self, project_id: str, who: str = "admin") -> list[dict[str, Any]]:
        response = self.get_history(who, project_id)
        assert response.status_code == 200, response.text
        return response.json()

    def event_types(self, project_id: str) -> list[str]:
        return [e["type"] for e in self.history(project_id)]

    def advance(self, project_id: str, stage: str, who: str = "bureau") -> dict[str, Any]:
        """Move a negotiating project forward through the stages up to `stage`."""
        state: dict[str, Any] = {}
        for reached, action, body in STAGE_STEPS:
            state = self.do(who, project_id, action, body)
            if reached == stage:
                return state
        raise AssertionError(f"unknown stage {stage}")

    # --- ledger ------------------------------------------------------------------------

    def get_ledger(self, who: str = "admin", **params: Any) -> httpx.Response:
        return self.client.get(LEDGER, params=params, headers=self.headers(who))

    def ledger(self, who: str = "admin", **params: Any) -> dict[str, Any]:
        response = self.get_ledger(who, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def assert_log_head(self, position: int) -> None:
        """The global log ends exactly at `position`: nothing was appended after it.

        The ledger accepts min_position up to the head of the log and refuses (422) beyond it.
        """
        self.ledger(min_position=position)
        refused = self.get_ledger(min_position=position + 1)
        assert_problem(refused, 422)
        assert "beyond the head" in refused.json()["detail"]
