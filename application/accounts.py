"""Accounts and bearer tokens. Tokens are shown once and stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, replace
from functools import partial
from uuid import UUID

from eventsourcing.utils import get_topic

from application import policy
from application.agency_index import agent_items
from application.cases import originators
from application.context import Caller
from application.errors import NotFound, Unauthenticated
from application.ledger import Ledger
from application.store import Store
from application.units import Units
from domain.account import Account, TokenIndex
from domain.credit_code import require_credit_code
from domain.shared import Role

TOKEN_PREFIX = "il_"
INVALID_TOKEN = "invalid bearer token / 令牌无效"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class AccountSummary:
    """An account as an administrator lists it (never its token)."""

    account_id: UUID
    name: str
    role: str
    unit: str | None
    enterprise: str | None
    active: bool


@dataclass(frozen=True)
class NewAccount:
    account_id: UUID
    token: str
    position: int


class TokenCache:
    """Bearer tokens this process has verified, so a request does not load two aggregates
    to authenticate.

    A reissued or deactivated token must stop working at once in every process. Every
    process shares the event log, so before answering from its cache a process reads the
    account events recorded since it last looked (an indexed range of the log up to its
    head, usually empty) and forgets the accounts they touch. An entry loaded while another
    thread moved past the position it was loaded at is not kept, so no change is missed."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._topics = [get_topic(cls) for cls in (Account.TokenIssued, Account.Deactivated)]
        self._callers: dict[str, Caller] = {}
        self._seen = ledger.head()
        self._lock = threading.Lock()

    def refresh(self) -> int:
        """Forget the accounts changed since the last look; the position looked up to."""
        head = self.ledger.head()
        with self._lock:
            if head <= self._seen:
                return self._seen
            changed = {str(n.originator_id) for n in self.ledger.recorder.select_notifications(
                start=self._seen + 1, limit=head - self._seen, stop=head, topics=self._topics)}
            if changed:
                self._callers = {k: c for k, c in self._callers.items()
                                 if c.account_id not in changed}
            self._seen = max(self._seen, head)
            return self._seen

    def get(self, digest: str) -> Caller | None:
        return self._callers.get(digest)

    def put(self, digest: str, caller: Caller, loaded_at: int) -> None:
        with self._lock:
            if self._seen <= loaded_at:
                self._callers[digest] = caller


class AccountService:
    """Opens accounts, issues tokens and authenticates bearer tokens."""

    def __init__(self, store: Store, units: Units) -> None:
        self.store = store
        self.units = units
        self.tokens = TokenCache(store.ledger)

    def add(self, caller: Caller, name: str, role: str, unit: str | None = None,
            enterprise: str | None = None) -> NewAccount:
        policy.require(caller, "account.manage")
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

    def list(self, caller: Caller) -> list[AccountSummary]:
        """Every account, in the order they were opened."""
        policy.require(caller, "account.manage")
        found = []
        for account_id in originators(self.store, Account.Registered):
            a = self.store.load(Account, account_id)
            found.append(AccountSummary(a.id, a.name, a.role, a.unit, a.enterprise, a.active))
        return found

    def reissue(self, caller: Caller, account_id: UUID) -> NewAccount:
        policy.require(caller, "account.manage")
        account = self.store.load(Account, account_id)
        token = new_token()
        digest = hash_token(token)
        account.reissue_token(digest, caller.audit())
        position = self.store.save(account, TokenIndex(token_hash=digest, account_id=account.id))
        return NewAccount(account.id, token, position)

    def deactivate(self, caller: Caller, account_id: UUID, reason: str) -> int:
        policy.require(caller, "account.manage")
        account = self.store.load(Account, account_id)
        account.deactivate(reason, caller.audit())
        return self.store.save(account)

    def authenticate(self, token: str, correlation_id: str = "") -> Caller:
        """The caller a bearer token stands for; Unauthenticated if unknown or revoked."""
        digest = hash_token(token)
        loaded_at = self.tokens.refresh()
        caller = self.tokens.get(digest)
        if caller is None:
            caller = self._load(digest)
            if caller.role == Role.agent:
                caller = replace(caller, agency_items=partial(agent_items, self.store,
                                                              caller.account_id))
            self.tokens.put(digest, caller, loaded_at)
        return replace(caller, correlation_id=correlation_id)

    def _load(self, digest: str) -> Caller:
        try:
            index = self.store.load(TokenIndex, TokenIndex.create_id(digest))
            account = self.store.load(Account, index.account_id)
        except NotFound:
            raise Unauthenticated(INVALID_TOKEN) from None
        if not account.active or not hmac.compare_digest(account.token_hash, digest):
            # The same words as an unknown token: a caller learns nothing of whether a
            # token was ever valid.
            raise Unauthenticated(INVALID_TOKEN)
        return Caller(account_id=str(account.id), name=account.name, role=Role(account.role),
                      unit=account.unit, enterprise=account.enterprise,
                      unit_name=self.units.name(account.unit))
