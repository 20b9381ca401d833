"""Use cases of enterprises (企业): registration, details, linked leader and visits."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application import enterprise_authz as authz
from application.context import Caller, Clock
from application.errors import ConcurrentUpdate, NotFound
from application.history import HistoryEntry, history_entries
from application.projects import AREA_KINDS
from application.store import Store, check_version
from application.units import Units
from domain.credit_code import require_credit_code
from domain.enterprise import EVENT_LABELS, Enterprise
from domain.shared import Audit


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
    contacts: list[dict[str, Any]]
    registered_on: date
    leader: str | None
    leader_since: date | None
    leader_links: list[dict[str, Any]]
    visits: list[dict[str, Any]]
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, e: Enterprise) -> EnterpriseState:
        return cls(
            id=e.id, version=e.version, name=e.name, credit_code=e.credit_code,
            industry=e.industry, county=e.county, contacts=[dict(c) for c in e.contacts],
            registered_on=e.registered_on, leader=e.leader, leader_since=e.leader_since,
            leader_links=[dict(x) for x in e.leader_links],
            visits=[dict(v, request_numbers=list(v["request_numbers"])) for v in e.visits],
            created_at=e.created_on, modified_at=e.modified_on,
        )


@dataclass(frozen=True)
class EnterpriseResult:
    """A command's outcome: the new state and the global log position of its event."""

    state: EnterpriseState
    position: int
    extra: dict[str, Any] = field(default_factory=dict)


class EnterpriseService:
    """Every use case of the enterprise context."""

    def __init__(self, store: Store, units: Units, clock: Clock) -> None:
        self.store = store
        self.units = units
        self.clock = clock

    # --- reads -------------------------------------------------------------------------

    def load(self, enterprise_id: UUID) -> Enterprise:
        return self.store.load(Enterprise, enterprise_id)

    def load_by_code(self, credit_code: str) -> Enterprise:
        code = require_credit_code(credit_code)
        try:
            return self.load(Enterprise.create_id(code))
        except NotFound:
            msg = f"no enterprise with credit code {code} is registered / 企业未登记"
            raise NotFound(msg) from None

    def get(self, caller: Caller, enterprise_id: UUID) -> EnterpriseState:
        enterprise = self.load(enterprise_id)
        authz.require_read_enterprise(caller, enterprise)
        return EnterpriseState.of(enterprise)

    def get_by_code(self, caller: Caller, credit_code: str) -> EnterpriseState:
        enterprise = self.load_by_code(credit_code)
        authz.require_read_enterprise(caller, enterprise)
        return EnterpriseState.of(enterprise)

    def history(self, caller: Caller, enterprise_id: UUID) -> list[HistoryEntry]:
        authz.require_read_enterprise(caller, self.load(enterprise_id))
        return history_entries(self.store.events(enterprise_id), EVENT_LABELS)

    # --- commands ----------------------------------------------------------------------

    def register(self, caller: Caller, name: str, credit_code: str, industry: str,
                 county: str, contacts: Sequence[Mapping[str, Any]] | None = None,
                 on: date | None = None) -> EnterpriseResult:
        authz.require_manage_enterprise(caller)
        county = self.units.require(county, "county", AREA_KINDS)
        enterprise = Enterprise.register(name, credit_code, industry, county, contacts,
                                         self.clock.business_date(on), caller.audit())
        # The id derives from the code, so a second registration collides on save; the
        # check first only gives the common case its clear message without a failed write.
        if self.store.exists(enterprise.id):
            raise DuplicateEnterprise(enterprise.credit_code)
        try:
            position = self.store.save(enterprise)
        except ConcurrentUpdate:
            raise DuplicateEnterprise(enterprise.credit_code) from None
        return EnterpriseResult(EnterpriseState.of(enterprise), position)

    def _act(self, caller: Caller, enterprise_id: UUID, expected_version: int | None,
             allowed: Callable[[Enterprise], None], step: Callable[[Enterprise, Audit], Any]
             ) -> EnterpriseResult:
        enterprise = self.load(enterprise_id)
        allowed(enterprise)  # before the version check: a stranger learns nothing of the item
        check_version(enterprise, expected_version)
        outcome = step(enterprise, caller.audit())
        position = self.store.save(enterprise)
        extra = {"number": outcome} if isinstance(outcome, int) else {}
        return EnterpriseResult(EnterpriseState.of(enterprise), position, extra)

    def _manage(self, caller: Caller) -> Callable[[Enterprise], None]:
        def check(enterprise: Enterprise) -> None:
            authz.require_read_enterprise(caller, enterprise)
            authz.require_manage_enterprise(caller)
        return check

    def revise(self, caller: Caller, enterprise_id: UUID, changes: dict[str, Any],
               reason: str | None = None, on: date | None = None,
               expected_version: int | None = None) -> EnterpriseResult:
        day = self.clock.business_date(on)
        if changes.get("county") is not None:
            changes = {**changes,
                       "county": self.units.require(changes["county"], "county", AREA_KINDS)}
        return self._act(caller, enterprise_id, expected_version, self._manage(caller),
                         lambda e, a: e.revise(changes, reason, day, a))

    def link_leader(self, caller: Caller, enterprise_id: UUID, leader: str,
                    reason: str | None = None, on: date | None = None,
                    expected_version: int | None = None) -> EnterpriseResult:
        day = self.clock.business_date(on)
        return self._act(caller, enterprise_id, expected_version, self._manage(caller),
                         lambda e, a: e.link_leader(leader, reason, day, a))

    def unlink_leader(self, caller: Caller, enterprise_id: UUID, reason: str,
                      on: date | None = None, expected_version: int | None = None
                      ) -> EnterpriseResult:
        day = self.clock.business_date(on)
        return self._act(caller, enterprise_id, expected_version, self._manage(caller),
                         lambda e, a: e.unlink_leader(reason, day, a))

    def record_visit(self, caller: Caller, enterprise_id: UUID, date: date, kind: str,
                     hosted_by: str, notes: str, request_numbers: Sequence[str] | None = None,
                     expected_version: int | None = None) -> EnterpriseResult:
        """Record a visit (调研) or forum (座谈); `extra["number"]` is the visit's number."""
        day = self.clock.business_date(date, "date")

        def check(enterprise: Enterprise) -> None:
            authz.require_read_enterprise(caller, enterprise)
            authz.require_record_visit(caller, enterprise)

        return self._act(caller, enterprise_id, expected_version, check,
                         lambda e, a: e.record_visit(day, kind, hosted_by, notes,
                                                     request_numbers, a))
