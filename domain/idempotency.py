"""A command answered under an Idempotency-Key: recorded in the same transaction as the
command's own events, so a retry finds exactly what the first attempt did, or nothing."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

_NAMESPACE = uuid5(NAMESPACE_URL, "https://investledger/idempotency-key")


class IdempotentRequest(Aggregate):
    """What one account asked under one key (a fingerprint of method, path and body) and
    which item version answered it."""

    class Recorded(Aggregate.Created):
        account_id: str
        key: str
        fingerprint: str
        item_id: UUID
        item_version: int
        number: int | None

    @staticmethod
    def create_id(account_id: str, key: str) -> UUID:
        return uuid5(_NAMESPACE, f"{account_id}\n{key}")

    @event(Recorded)
    def __init__(self, account_id: str, key: str, fingerprint: str, item_id: UUID,
                 item_version: int, number: int | None) -> None:
        self.account_id = account_id
        self.key = key
        self.fingerprint = fingerprint
        self.item_id = item_id
        self.item_version = item_version
        self.number = number
