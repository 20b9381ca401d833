"""Helpers of the agency-case tests (代办服务): enterprises, a project, a second agent, cases
opened by the bureau and their items recorded on given dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from api.bootstrap import Container
from application.agency import AgencyCaseState
from application.context import SYSTEM, Caller
from domain.project import ProjectDetails
from tests.integration.enterprises import CODE, code_of, register

OPENED = date(2025, 3, 3)  # a Monday


@dataclass
class Agency:
    """Agency use cases as the test accounts take them."""

    c: Container
    callers: dict[str, Caller]

    def agent(self, name: str = "李代办", unit: str | None = None) -> Caller:
        """A new agent account, authenticated."""
        opened = self.c.accounts.add(SYSTEM, name, "agent", unit)
        return self.c.accounts.authenticate(opened.token, f"test-{name}")

    def enterprise(self, n: int | None = None, county: str = "liudong") -> str:
        """Registers the `enterprise` account's enterprise (n None) or enterprise n; its code."""
        code = CODE if n is None else code_of(n)
        register(self.c, code, county)
        return code

    def project(self, name: str = "新能源汽车零部件项目") -> UUID:
        details = ProjectDetails(name=name, investor="广西示例科技有限公司", industry="汽车",
                                 total_investment=Decimal("12000"), county="liudong",
                                 responsible_unit="liudong")
        return self.c.projects.register(SYSTEM, details, OPENED).state.id

    def open(self, code: str = CODE, agent: Caller | None = None, on: date = OPENED,
             **fields: Any) -> AgencyCaseState:
        """A case opened by the bureau for `agent` (default: the `agent` account)."""
        who = (agent or self.callers["agent"]).account_id
        return self.c.agency_cases.open_case(self.callers["bureau"], credit_code=code,
                                             agent=who, opened_on=on, **fields).state

    def item(self, case: UUID, item: str, status: str, on: date,
             who: str = "bureau") -> AgencyCaseState:
        return self.c.agency_cases.record_item(self.callers[who], case, item, status,
                                               on=on).state

    def items(self, case: UUID, item: str, *steps: tuple[str, date]) -> AgencyCaseState:
        state = None
        for status, on in steps:
            state = self.item(case, item, status, on)
        assert state is not None
        return state

    def close(self, case: UUID, on: date) -> AgencyCaseState:
        return self.c.agency_cases.close(self.callers["bureau"], case, "代办完成", on).state
