"""What every item resource answers the same way: ETag, log position, history entries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict

from fastapi import Response

from api.schemas.common import HistoryEntryPublic
from application.history import HistoryEntry


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


def set_command_headers(response: Response, version: int, position: int) -> None:
    """A command's answer: the item's new version and the log position of its last event
    (what a ledger read passes as `min_position` to see the write)."""
    set_etag(response, version)
    response.headers["X-Ledger-Position"] = str(position)


def history_public(entries: Iterable[HistoryEntry]) -> list[HistoryEntryPublic]:
    return [HistoryEntryPublic.model_validate(asdict(e)) for e in entries]
