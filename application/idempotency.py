"""Idempotent commands: a client that retries a command under the same Idempotency-Key gets
the first answer (the same item version, the same log position) instead of a second event
or a 409, and the same key sent with another request is refused.

The key travels with the caller (`Caller.idempotency`); `CaseService.saved` records it as an
`IdempotentRequest` in the same transaction as the command's events, so it exists exactly
when the command committed. Keys belong to one account: two accounts never share one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from uuid import UUID

from application.context import Caller
from application.errors import NotFound
from application.store import Store
from domain.errors import InvalidValue
from domain.idempotency import IdempotentRequest

MAX_KEY = 200


@dataclass(frozen=True)
class Idempotency:
    """The key a request came with, and a fingerprint of what it asked."""

    key: str
    fingerprint: str

    @classmethod
    def of(cls, key: str, method: str, path: str, body: bytes) -> Idempotency:
        key = key.strip()
        if not key or len(key) > MAX_KEY or not key.isprintable():
            msg = (f"Idempotency-Key must be 1 to {MAX_KEY} printable characters "
                   "(a UUID is a good choice) / 幂等键须为1至"
                   f"{MAX_KEY}个可打印字符")
            raise InvalidValue(msg)
        digest = hashlib.sha256(b"\n".join((method.encode(), path.encode(), body)))
        return cls(key, digest.hexdigest())


@dataclass(frozen=True)
class Earlier:
    """The answer a command under this key already got."""

    item_id: UUID
    item_version: int
    position: int
    number: int | None


def record(caller: Caller, item_id: UUID, item_version: int,
           number: int | None) -> IdempotentRequest | None:
    """The record to save with the command's events, when the caller sent a key."""
    if caller.idempotency is None:
        return None
    return IdempotentRequest(account_id=caller.account_id, key=caller.idempotency.key,
                             fingerprint=caller.idempotency.fingerprint, item_id=item_id,
                             item_version=item_version, number=number)


def earlier(store: Store, caller: Caller) -> Earlier | None:
    """The first answer to this caller's key, if a command under it committed; a key
    reused for another request is a 422."""
    sent = caller.idempotency
    if sent is None:
        return None
    try:
        found = store.load(IdempotentRequest, IdempotentRequest.create_id(caller.account_id,
                                                                          sent.key))
    except NotFound:
        return None
    if found.fingerprint != sent.fingerprint:
        msg = (f"Idempotency-Key {sent.key!r} was already used for another request (method, "
               "path or body differ); use a new key for a new request / 幂等键已用于其他请求")
        raise InvalidValue(msg)
    return Earlier(found.item_id, found.item_version, store.position_of(found.id, 1),
                   found.number)


class IdempotencyRecords:
    """The first answers to commands sent with an Idempotency-Key, for the routes that
    replay them (api/ reaches the store only through application services)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def earlier(self, caller: Caller) -> Earlier | None:
        return earlier(self.store, caller)
