"""审计日志: every recorded step, across all items, in the order it was recorded."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.deps import ContainerDep, CurrentCaller
from api.schemas.common import HistoryEntryPublic

router = APIRouter(prefix="/api/v1/audit", tags=["audit 审计"])


class JournalEntryPublic(HistoryEntryPublic):
    position: int
    item_kind: str
    item_id: str


class JournalPublic(BaseModel):
    entries: list[JournalEntryPublic]
    next_after: int | None


@router.get("/journal", response_model=JournalPublic,
            summary="The audit journal: every event of every item in recorded order "
            "(supervisor, admin)")
def journal(caller: CurrentCaller, c: ContainerDep,
            after: Annotated[int, Query(ge=0, le=2**62,
                                        description="Log position to read after")] = 0,
            limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> JournalPublic:
    page = c.journal.read(caller, after, limit)
    return JournalPublic(
        entries=[JournalEntryPublic.model_validate({
            **asdict(e.entry), "position": e.position, "item_kind": e.item_kind,
            "item_id": e.item_id}) for e in page.entries],
        next_after=page.next_after)
