"""Helpers of the enterprise and request tests: credit codes, a registration body, and the
enterprise and request endpoints by account key (`Firms`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from domain.credit_code import complete_credit_code
from tests.conftest import ROLE_ACCOUNTS
from tests.e2e.helpers import Api, position_of

ENTERPRISES = "/api/v1/enterprises"
REQUESTS = "/api/v1/requests"
CODE = str(ROLE_ACCOUNTS["enterprise"][2])  # the `enterprise` account's own enterprise
LEADER = ROLE_ACCOUNTS["leader"][0]
ON = "2025-03-03"


def code_of(n: int) -> str:
    """A valid credit code (GB 32100, every part) numbered n."""
    return complete_credit_code(f"91450200MA5K{n:04d}")


def enterprise_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "柳州某汽车零部件有限公司", "credit_code": CODE,
                            "industry": "汽车", "county": "liudong", "on": "2025-01-06",
                            "contacts": [{"name": "李经理", "phone": "0772-2821234",
                                          "role": "总经理"}]}
    body.update(overrides)
    return body


@dataclass
class Firms:
    """Enterprise and request calls over HTTP, by account key ("bureau")."""

    api: Api
    container: Any = None  # to open leader accounts to link

    def leader(self, name: str | None = None) -> str:
        """The account id of a leader to link: the `leader` test account (LEADER), or a new
        leader account named `name`."""
        from application.context import SYSTEM

        accounts = self.container.accounts
        if name is None:
            return accounts.authenticate(self.api.tokens["leader"]).account_id
        return str(accounts.add(SYSTEM, name, "leader").account_id)

    def post(self, who: str, path: str, body: dict[str, Any] | None = None,
             version: int | str | None = None) -> httpx.Response:
        return self.api.client.post(path, json=body or {},
                                    headers=self.api.headers(who, version))

    def get(self, who: str, path: str, **params: Any) -> httpx.Response:
        return self.api.client.get(path, params=params, headers=self.api.headers(who))

    def ok(self, response: httpx.Response, status: int = 200) -> dict[str, Any]:
        assert response.status_code == status, response.text
        return response.json() | {"_position": position_of(response)}

    def register(self, who: str = "bureau", **overrides: Any) -> httpx.Response:
        return self.post(who, ENTERPRISES, enterprise_body(**overrides))

    def enterprise(self, **overrides: Any) -> dict[str, Any]:
        return self.ok(self.register(**overrides), 201)

    def act(self, who: str, eid: str, action: str, body: dict[str, Any] | None = None,
            version: int | str | None = None) -> httpx.Response:
        return self.post(who, f"{ENTERPRISES}/{eid}/{action}", body, version)

    def do(self, who: str, eid: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.ok(self.act(who, eid, action, body))

    def raise_(self, who: str = "bureau", **fields: Any) -> httpx.Response:
        body = {"credit_code": CODE, "source": "hotline", "category": "labour",
                "description": "春节后用工缺口约200人", "raised_on": ON} | fields
        return self.post(who, REQUESTS, {k: v for k, v in body.items() if v is not None})

    def request(self, who: str = "bureau", **fields: Any) -> dict[str, Any]:
        return self.ok(self.raise_(who, **fields), 201)

    def step(self, who: str, rid: str, action: str, body: dict[str, Any] | None = None,
             version: int | str | None = None) -> httpx.Response:
        return self.post(who, f"{REQUESTS}/{rid}/{action}", body, version)

    def handle(self, who: str, rid: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.ok(self.step(who, rid, action, body))

    def read(self, who: str, path: str, **params: Any) -> Any:
        response = self.get(who, path, **params)
        assert response.status_code == 200, response.text
        return response.json()
