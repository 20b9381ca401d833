"""Helpers of the supervision-order and meeting API tests: bodies, and their endpoints by
account key (on the generic calls of `Firms`)."""

from __future__ import annotations

from typing import Any

from tests.e2e.enterprises import Firms

ORDERS = "/api/v1/orders"
MEETINGS = "/api/v1/meetings"
ISSUED_ON = "2025-09-30"
HELD_ON = "2025-09-20"


def order_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"subject": None, "task": "协调解决用地指标", "unit": "liudong",
                            "on": ISSUED_ON}
    body.update(overrides)
    return body


def meeting_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"date": HELD_ON, "title": "新能源项目协调推进会", "chair": "覃市长",
                            "units": ["liudong", "zrzyj"], "projects": [],
                            "notes": "研究用地、用电问题"}
    body.update(overrides)
    return body


class Agenda(Firms):
    """Order and meeting calls over HTTP, by account key ("supervisor")."""

    def order(self, who: str = "supervisor", **overrides: Any) -> dict[str, Any]:
        return self.ok(self.post(who, ORDERS, order_body(**overrides)), 201)

    def meeting(self, who: str = "bureau", **overrides: Any) -> dict[str, Any]:
        return self.ok(self.post(who, MEETINGS, meeting_body(**overrides)), 201)

    def command(self, who: str, path: str, body: dict[str, Any] | None = None
                ) -> dict[str, Any]:
        """A command on `path` that must succeed: the new state and its `_position`."""
        return self.ok(self.post(who, path, body))
