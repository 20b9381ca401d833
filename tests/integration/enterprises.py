"""Helpers of the enterprise and request application tests: credit codes, a registered
enterprise, a raised or assigned request, the head of the log."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from api.bootstrap import Container
from application.context import SYSTEM, Caller
from application.requests import NewRequest
from domain.credit_code import complete_credit_code
from tests.conftest import ROLE_ACCOUNTS

CODE = str(ROLE_ACCOUNTS["enterprise"][2])  # the `enterprise` test account's own enterprise


def code_of(n: int) -> str:
    """A valid credit code (GB 32100, every part) numbered n."""
    return complete_credit_code(f"91450200MA5K{n:04d}")


OTHER_CODE = code_of(0)
D = date(2025, 3, 3)  # a Monday
VISITED = date(2025, 3, 5)


def register(c: Container, code: str = CODE, county: str = "liudong") -> UUID:
    return c.enterprises.register(SYSTEM, "柳州某汽车零部件有限公司", code, "汽车", county,
                                  [{"name": "李经理", "phone": "13800138000"}], D).state.id


def raise_(c: Container, caller: Caller = SYSTEM, **fields: Any) -> UUID:
    values: dict[str, Any] = {"credit_code": CODE, "source": "hotline", "category": "labour",
                              "description": "用工缺口约200人", "raised_on": D}
    values.update(fields)
    return c.requests.raise_request(caller, NewRequest(**values)).state.id


def assigned(c: Container, lead: str = "liudong", co: tuple[str, ...] = ("liujiang",)) -> UUID:
    rid = raise_(c)
    c.requests.assign(SYSTEM, rid, lead, list(co), D)
    return rid


def head(c: Container) -> int:
    return c.ledger.head()
