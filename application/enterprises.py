"""Use cases of enterprises (企业): registration, details, linked leader and visits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application.cases import Result, state_of
from application.context import Caller
from application.errors import ConcurrentUpdate, NotFound
from application.key_lists import KeyListed
from application.projects import AREA_KINDS
from application.queries import LedgerQuery, codes, flag, integer, text, words
from application.store import Store
from domain.account import Account
from domain.credit_code import require_credit_code
from domain.enterprise import EVENT_LABELS, Enterprise, LeaderLevel
from domain.key_list import KEY_ENTERPRISES
from domain.shared import Role


class DuplicateEnterprise(ConcurrentUpdate):
    """An enterprise with this credit code is already registered (HTTP 409)."""

    def __init__(self, credit_code: str) -> None:
        super().__init__(f"enterprise with credit code {credit_code} already registered "
                         f"/ 该统一社会信用代码的企业已登记")


@dataclass(frozen=True)
class EnterpriseState:
    """Current state of one enterprise, as clients read it."""

    id: UUID
    version: int
    name: str
    credit_code: str
    industry: str
    county: str
    contacts: list[dict[str, Any]] | None  # personal data: None for who may not see it
    registered_on: date
    leader: str | None
    leader_account: str | None
    leader_level: str | None
    leader_since: date | None
    leader_links: list[dict[str, Any]]
    visits: list[dict[str, Any]]
    key_years: list[int]
    allowed_steps: list[str]
    created_at: datetime
    modified_at: datetime


EnterpriseResult = Result[EnterpriseState]


def enterprise_by_code(store: Store, credit_code: str) -> Enterprise:
    """The enterprise registered under this credit code (checked: 422), or 404."""
    code = require_credit_code(credit_code)
    try:
        return store.load(Enterprise, Enterprise.create_id(code))
    except NotFound:
        raise NotFound(not_registered(code)) from None


def not_registered(code: str) -> str:
    return f"no enterprise with credit code {code} is registered / 企业未登记"


LEDGER = LedgerQuery("enterprises", "enterprise.read", {
    "county": words("所在县区: unit codes of counties or zones"),
    "industry": words("行业"),
    "leader": text("挂钩联系领导 (the linked leader's name)"),
    "leader_level": codes(LeaderLevel, "The linked leader's level (市级/县区级)"),
    "key": flag("A key enterprise (重点企业) in any year"),
    "key_year": integer("On this year's key-enterprise list (重点企业名单)", 2000, 2100),
    "q": text("Text in the name or the credit code"),
})


class EnterpriseService(KeyListed[Enterprise, EnterpriseState]):
    """Every use case of the enterprise context; the key list's (重点企业名单) are
    KeyListed's."""

    key_list = KEY_ENTERPRISES
    created_event = Enterprise.Registered
    kind = "enterprise"
    event_labels = EVENT_LABELS

    def sees_personal_data(self, caller: Caller, item: Enterprise) -> bool:
        """Personal-data staff, and the enterprise itself, whose contact people are its own:
        in the state and in the history alike."""
        return super().sees_personal_data(caller, item) or (
            caller.enterprise is not None and caller.enterprise == item.credit_code)

    def state(self, caller: Caller, item: Enterprise) -> EnterpriseState:
        """The enterprise with its contact people (联系人) for who may see personal data."""
        if self.sees_personal_data(caller, item):
            return state_of(EnterpriseState, item)
        return state_of(EnterpriseState, item, contacts=None)

    # --- reads -------------------------------------------------------------------------

    def load_by_code(self, credit_code: str) -> Enterprise:
        return enterprise_by_code(self.store, credit_code)

    def get_by_code(self, caller: Caller, credit_code: str) -> EnterpriseState:
        """An enterprise account asking for another code hears what it would hear for a
        code never registered: it cannot tell registered codes from others."""
        self.authorize(caller, "read")
        code = require_credit_code(credit_code)
        if caller.role == Role.enterprise and code != caller.enterprise:
            raise NotFound(not_registered(code))
        return self.get(caller, self.load_by_code(code).id)

    # --- commands ----------------------------------------------------------------------

    def register(self, caller: Caller, name: str, credit_code: str, industry: str,
                 county: str, contacts: Sequence[Mapping[str, Any]] | None = None,
                 on: date | None = None) -> EnterpriseResult:
        self.authorize(caller, "manage")
        county = self.units.require(county, "county", AREA_KINDS)
        enterprise = Enterprise.register(name, credit_code, industry, county, contacts,
                                         self.day(on), caller.audit())
        # The id derives from the code, so a second registration collides on save; the
        # check first only gives the common case its clear message without a failed write.
        if self.store.exists(enterprise.id):
            raise DuplicateEnterprise(enterprise.credit_code)
        try:
            return self.saved(caller, enterprise)
        except ConcurrentUpdate:
            raise DuplicateEnterprise(enterprise.credit_code) from None

    def revise(self, caller: Caller, enterprise_id: UUID, changes: dict[str, Any],
               reason: str | None = None, on: date | None = None,
               expected_version: int | None = None) -> EnterpriseResult:
        enterprise = self.load_for(caller, "manage", enterprise_id, expected_version)
        if changes.get("county") is not None:
            changes = {**changes,
                       "county": self.units.require(changes["county"], "county", AREA_KINDS)}
        enterprise.revise(changes, reason, self.day(on), caller.audit())
        return self.saved(caller, enterprise)

    def link_leader(self, caller: Caller, enterprise_id: UUID, leader: str,
                    reason: str | None = None, on: date | None = None,
                    expected_version: int | None = None) -> EnterpriseResult:
        """挂钩联系: `leader` is the account id of an active leader account; the link keeps
        the account (what permissions follow), its name (what people read) and its level."""
        enterprise = self.load_for(caller, "manage", enterprise_id, expected_version)
        account = self.active_account(leader, Role.leader, "leader")
        enterprise.link_leader(account.name, reason, self.day(on), caller.audit(),
                               leader_account=str(account.id),
                               leader_level=self._level(account))
        return self.saved(caller, enterprise)

    def _level(self, account: Account) -> LeaderLevel:
        """A leader's level follows the unit of the leader's account: a county's or zone's
        leader is 县区级; a leader of the city (no unit, or a municipal department) 市级."""
        unit = self.units.get(account.unit) if account.unit else None
        return LeaderLevel.county if unit and unit.kind in AREA_KINDS else LeaderLevel.city

    def unlink_leader(self, caller: Caller, enterprise_id: UUID, reason: str,
                      on: date | None = None, expected_version: int | None = None
                      ) -> EnterpriseResult:
        enterprise = self.load_for(caller, "manage", enterprise_id, expected_version)
        enterprise.unlink_leader(reason, self.day(on), caller.audit())
        return self.saved(caller, enterprise)

    def record_visit(self, caller: Caller, enterprise_id: UUID, date: date, kind: str,
                     hosted_by: str, notes: str, request_numbers: Sequence[str] | None = None,
                     expected_version: int | None = None) -> EnterpriseResult:
        """Record a visit (调研) or forum (座谈); `extra["number"]` is the visit's number."""
        enterprise = self.load_for(caller, "visit", enterprise_id, expected_version)
        number = enterprise.record_visit(self.day(date, "date"), kind, hosted_by, notes,
                                         request_numbers, caller.audit())
        return self.saved(caller, enterprise, number)
