"""Accounts and bearer tokens. Tokens are shown once and stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from uuid import UUID

from application.context import Caller
from application.errors import NotFound, Unauthenticated
from application.store import Store
from application.units import Units
from domain.account import Account, TokenIndex
from domain.credit_code import require_credit_code

TOKEN_PREFIX = "il_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class NewAccount:
    account_id: UUID
    token: str
    position: int


class AccountService:
    """Opens accounts, issues tokens and authenticates bearer tokens."""

    def __init__(self, store: Store, units: Units) -> None:
        self.store = store
        self.units = units

    def add(self, caller: Caller, name: str, role: str, unit: str | None = None,
            enterprise: str | None = None) -> NewAccount:
        if unit:
            unit = self.units.require(unit, "unit")
        if enterprise:
            enterprise = require_credit_code(enterprise)
        token = new_token()
        digest = hash_token(token)
        account = Account.open(name, role, unit, enterprise, digest, caller.audit())
        index = TokenIndex(token_hash=digest, account_id=account.id)
        position = self.store.save(account, index)
        return NewAccount(account.id, token, position)

    def reissue(self, caller: Caller, account_id: UUID) -> NewAccount:
        account = self.store.load(Account, account_id)
        token = new_token()
        digest = hash_token(token)
        account.reissue_token(digest, caller.audit())
        position = self.store.save(account, TokenIndex(token_hash=digest, account_id=account.id))
        return NewAccount(account.id, token, position)

    def deactivate(self, caller: Caller, account_id: UUID, reason: str) -> int:
        account = self.store.load(Account, account_id)
        account.deactivate(reason, caller.audit())
        return self.store.save(account)

    def authenticate(self, token: str, correlation_id: str = "") -> Caller:
        """The caller a bearer token stands for; Unauthenticated if unknown or revoked."""
        digest = hash_token(token)
        try:
            index = self.store.load(TokenIndex, TokenIndex.create_id(digest))
            account = self.store.load(Account, index.account_id)
        except NotFound:
            raise Unauthenticated("unknown bearer token / 令牌无效") from None
        if not account.active or not hmac.compare_digest(account.token_hash, digest):
            raise Unauthenticated("token revoked or account deactivated / 令牌已失效")
        return Caller(account_id=str(account.id), name=account.name, role=account.role,
                      unit=account.unit, enterprise=account.enterprise,
                      correlation_id=correlation_id)
