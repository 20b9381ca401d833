"""审计日志: every recorded step, across all items, in the order it was recorded; filtered,
paged, as JSON or as CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, TypeAdapter

from api.cases import CASE_TYPES
from api.deps import ContainerDep, CurrentCaller
from api.schemas.common import HistoryEntryPublic
from application.journal import JournalEntry, JournalFilter
from application.moments import MOMENT_DESCRIPTION, MOMENT_PATTERN, parse_moment

router = APIRouter(prefix="/api/v1/audit", tags=["audit 审计"])

KINDS = sorted({case.kind for case in CASE_TYPES})
EVENT_TYPE_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"
CSV_COLUMNS = ("position", "recorded_at", "item_kind", "item_id", "version", "type", "label",
               "actor_id", "actor_name", "actor_role", "actor_unit", "correlation_id", "data")
NEXT_AFTER = "X-Next-After"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula
_DATA = TypeAdapter(dict[str, Any])  # an entry's data as the JSON answer gives it


class JournalEntryPublic(HistoryEntryPublic):
    position: int
    item_kind: str
    item_id: str


class JournalPublic(BaseModel):
    entries: list[JournalEntryPublic]
    next_after: int | None


CSV_RESPONSE: dict[int | str, dict[str, Any]] = {200: {
    "description": "The page as JSON, or with `format=csv` as CSV (UTF-8 with a byte-order "
    "mark, columns " + ", ".join(CSV_COLUMNS) + "; `next_after` in the X-Next-After header)",
    "content": {"text/csv": {"schema": {"type": "string"}}},
    "headers": {NEXT_AFTER: {"description": "CSV only: `after` of the next page; absent once "
                             "the log is read to its end", "schema": {"type": "integer"}}}}}


@router.get("/journal", response_model=JournalPublic, responses=CSV_RESPONSE,
            summary="The audit journal: every event of every item in recorded order "
            "(supervisor, admin, leader)",
            description="Every step of every item, oldest first, with its log position, "
            "item, actor, correlation id and data (token hashes never; personal data only "
            "for the roles that may see it). Filters keep what they match; a page reads at "
            "most 5,000 events, so it may hold fewer entries than `limit` (even none) and "
            "still have a `next_after`: page on until `next_after` is null.")
def journal(caller: CurrentCaller, c: ContainerDep,
            after: Annotated[int, Query(ge=0, le=2**62,
                                        description="Log position to read after")] = 0,
            limit: Annotated[int, Query(ge=1, le=1000)] = 100,
            actor: Annotated[str | None, Query(
                max_length=100, description="Only steps of this account (its id)")] = None,
            unit: Annotated[str | None, Query(
                max_length=100, description="Only steps by accounts of this unit (a unit "
                "code: the actor's unit when it acted)")] = None,
            kind: Annotated[str | None, Query(
                description="Only events of this kind of item",
                json_schema_extra={"enum": KINDS})] = None,
            event_type: Annotated[str | None, Query(
                alias="type", max_length=80, pattern=EVENT_TYPE_PATTERN,
                description="Only events of this type (Received, Signed, …)")] = None,
            start: Annotated[str | None, Query(
                alias="from", max_length=40, pattern=MOMENT_PATTERN,
                description="Recorded at or after this time: " + MOMENT_DESCRIPTION)] = None,
            end: Annotated[str | None, Query(
                alias="to", max_length=40, pattern=MOMENT_PATTERN,
                description="Recorded at or before this time: " + MOMENT_DESCRIPTION)] = None,
            answer_format: Annotated[Literal["json", "csv"], Query(
                alias="format", description="json (default) or csv")] = "json",
            ) -> Any:
    zone = c.clock.zone
    only = JournalFilter(
        actor=actor, unit=unit, kind=kind, type=event_type,
        start=parse_moment(start, zone, "from") if start is not None else None,
        end=parse_moment(end, zone, "to") if end is not None else None)
    page = c.journal.read(caller, after, limit, only)
    if answer_format == "csv":
        headers = {"Content-Disposition": 'attachment; filename="journal.csv"'}
        if page.next_after is not None:
            headers[NEXT_AFTER] = str(page.next_after)
        return Response(as_csv(page.entries, zone), media_type="text/csv; charset=utf-8",
                        headers=headers)
    return JournalPublic(entries=[_public(e) for e in page.entries], next_after=page.next_after)


def _public(found: JournalEntry) -> JournalEntryPublic:
    return JournalEntryPublic.model_validate({
        **asdict(found.entry), "position": found.position, "item_kind": found.item_kind,
        "item_id": found.item_id})


def as_csv(entries: list[JournalEntry], zone: ZoneInfo) -> bytes:
    """Entries as CSV for spreadsheets: UTF-8 with a byte-order mark (Excel then reads
    Chinese right), the columns of CSV_COLUMNS in that order, times in the office's zone,
    the data as JSON; a text cell a spreadsheet would take for a formula starts with '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for found in entries:
        e = found.entry
        writer.writerow([found.position, e.recorded_at.astimezone(zone).isoformat(),
                         found.item_kind, found.item_id, e.version, e.type, _cell(e.label),
                         *(_cell(e.actor[key]) for key in ("id", "name", "role", "unit")),
                         _cell(e.correlation_id),
                         _cell(json.dumps(_DATA.dump_python(e.data, mode="json"),
                                          ensure_ascii=False))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return f"'{text}" if text.startswith(_FORMULA) else text
