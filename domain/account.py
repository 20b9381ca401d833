"""Accounts: who may act, in which role and unit. Event-sourced so every change is audited."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit, Role, require_text

UNIT_ROLES = frozenset({Role.unit.value})
ENTERPRISE_ROLES = frozenset({Role.enterprise.value})
_TOKEN_NAMESPACE = uuid5(NAMESPACE_URL, "https://investledger/token")


class Account(Aggregate):
    """An account: a person or office that acts through a bearer token."""

    class Registered(Aggregate.Created):
        """An account is opened with its role, unit and token."""

        name: str
        role: str
        unit: str | None
        enterprise: str | None
        token_hash: str
        audit: Audit

    @event(Registered)
    def __init__(self, name: str, role: str, unit: str | None, enterprise: str | None,
                 token_hash: str, audit: Audit) -> None:
        self.name = name
        self.role = role
        self.unit = unit
        self.enterprise = enterprise
        self.token_hash = token_hash
        self.active = True

    @classmethod
    def open(cls, name: str, role: str, unit: str | None, enterprise: str | None,
             token_hash: str, audit: Audit) -> Account:
        name = require_text(name, "name", limit=100)
        unit = (unit or "").strip() or None
        enterprise = (enterprise or "").strip() or None
        role = Role.require(role, "role").value
        if role in UNIT_ROLES and not unit:
            msg = (f"a {role} account needs a unit code (--unit) / "
                   f"{Role(role).label}账号须指定所属单位")
            raise InvalidValue(msg)
        if role in ENTERPRISE_ROLES and not enterprise:
            msg = ("an enterprise account needs the enterprise's credit code (--enterprise) / "
                   "企业账号须指定企业的统一社会信用代码")
            raise InvalidValue(msg)
        return cls(name=name, role=role, unit=unit or None, enterprise=enterprise or None,
                   token_hash=token_hash, audit=audit)

    def reissue_token(self, token_hash: str, audit: Audit) -> None:
        if not self.active:
            msg = "account is deactivated; cannot issue a token / 账号已停用，不能签发令牌"
            raise RuleViolation(msg)
        self._token_issued(token_hash=token_hash, audit=audit)

    class TokenIssued(Aggregate.Event):
        """A new token replaces the account's previous one."""

        token_hash: str
        audit: Audit

    @event(TokenIssued)
    def _token_issued(self, token_hash: str, audit: Audit) -> None:
        self.token_hash = token_hash

    def deactivate(self, reason: str, audit: Audit) -> None:
        if not self.active:
            msg = "account is already deactivated / 账号已停用"
            raise RuleViolation(msg)
        self._deactivated(reason=require_text(reason, "reason"), audit=audit)

    class Deactivated(Aggregate.Event):
        """The account may no longer act."""

        reason: str
        audit: Audit

    @event(Deactivated)
    def _deactivated(self, reason: str, audit: Audit) -> None:
        self.active = False


class TokenIndex(Aggregate):
    """Maps a token's hash to its account; its id is derived from the hash."""

    @staticmethod
    def create_id(token_hash: str) -> UUID:
        return uuid5(_TOKEN_NAMESPACE, token_hash)

    class Indexed(Aggregate.Created):
        """A token's hash is mapped to its account."""

        token_hash: str
        account_id: UUID

    @event(Indexed)
    def __init__(self, token_hash: str, account_id: UUID) -> None:
        self.account_id = account_id
