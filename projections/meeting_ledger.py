"""会议台账: the coordination-meeting ledger, one row per meeting with how its decisions
stand; also what lists the meetings that discussed a project (`project`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import singledispatchmethod
from typing import Any

from domain.meeting import ItemStatus, Meeting
from projections.base import Batch, LedgerRows, Projection, RowCache, unhandled
from projections.filters import AtLeast, AtMost, Filter, Given, Member, Overdue, Text
from projections.paging import BOOKKEEPING, LedgerSpec, Row, shown
from projections.request_ledger import unit_set, unit_text
from projections.store import Tx
from projections.tables import Table, part_key

TABLE = Table("meeting_ledger", """
    id TEXT PRIMARY KEY, seq BIGINT NOT NULL, held_on TEXT NOT NULL, title TEXT NOT NULL,
    chair TEXT NOT NULL, units TEXT NOT NULL, all_units TEXT NOT NULL, projects TEXT NOT NULL,
    notes TEXT, item_count INTEGER NOT NULL, open_items INTEGER NOT NULL, next_due TEXT,
    version INTEGER NOT NULL, updated_at TEXT NOT NULL""",
    unique={"seq": "seq"}, index={"held": "held_on"})
# each action item, to count the open ones and their due dates
ITEMS = Table("meeting_ledger_items", """
    id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, number INTEGER NOT NULL, unit TEXT NOT NULL,
    due TEXT NOT NULL, status TEXT NOT NULL""")
OPEN = ItemStatus.open.value


@dataclass
class _Batch(Batch):
    """The meetings' rows and their action items."""

    rows: LedgerRows
    items: RowCache  # "<meeting id>:<n>" → the action item

    def item(self, e: Any) -> dict[str, Any] | None:
        """The action item `e` is about, to be changed and written back."""
        return self.items.touch(part_key(e, e.number))

    def count(self, row: dict[str, Any]) -> None:
        """The meeting's open items and the earliest due date among them."""
        items = [self.items.get(f"{row['id']}:{n}") for n in range(1, row["item_count"] + 1)]
        dues = [i["due"] for i in items if i is not None and i["status"] == OPEN]
        row.update(open_items=len(dues), next_due=min(dues, default=None))


class MeetingLedger(Projection):
    """Builds the meeting ledger from meeting events."""

    tables = (TABLE, ITEMS)

    def start(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> _Batch:
        batch = _Batch(LedgerRows(tx, TABLE), RowCache(tx, ITEMS))
        batch.rows.preload(str(e.originator_id) for _, e in events
                           if isinstance(e, Meeting.Event))
        return batch

    _apply = singledispatchmethod(unhandled)

    @_apply.register
    def _(self, e: Meeting.Recorded, b: _Batch) -> None:
        b.rows.created(e, b.position, held_on=e.held_on.isoformat(), title=e.title,
                       chair=e.chair, units=unit_text(e.units), all_units=unit_text(e.units),
                       projects=unit_text([str(p) for p in e.projects]), notes=e.notes,
                       item_count=0, open_items=0)

    @_apply.register
    def _(self, e: Meeting.ItemAdded, b: _Batch) -> None:
        if row := b.rows.changed(e):
            b.items.put({"id": part_key(e, e.number), "meeting_id": row["id"],
                         "number": e.number, "unit": e.unit, "due": e.due.isoformat(),
                         "status": OPEN})
            everyone = unit_set(row["all_units"])
            if e.unit not in everyone:
                row["all_units"] = unit_text([*everyone, e.unit])
            row["item_count"] = e.number
            b.count(row)

    @_apply.register
    def _(self, e: Meeting.ItemDone, b: _Batch) -> None:
        if (row := b.rows.changed(e)) and (item := b.item(e)):
            item["status"] = ItemStatus.done.value
            b.count(row)

    @_apply.register
    def _(self, e: Meeting.ItemReopened, b: _Batch) -> None:
        if (row := b.rows.changed(e)) and (item := b.item(e)):
            item.update(status=OPEN, due=e.due.isoformat())
            b.count(row)


# --- queries ------------------------------------------------------------------------------

FILTERS: dict[str, Filter] = {
    "unit": Member("all_units"),  # took part, or has an action item
    "project": Member("projects"),
    "held_from": AtLeast("held_on"),
    "held_to": AtMost("held_on"),
    "overdue": Overdue("(next_due < ?)", "(next_due IS NULL OR next_due >= ?)"),
    "q": Text("title", "notes"),
    "today": Given(),  # what overdue is judged against
    "scope_unit": Member("all_units"),  # a unit reads the meetings that involve it
}


def _public(row: Row, today: str | None) -> Row:
    return {**shown(row, (*BOOKKEEPING, "all_units")), "units": unit_set(row["units"]),
            "projects": unit_set(row["projects"]),
            "overdue": row["next_due"] is not None and today is not None
            and row["next_due"] < today}


# 会议台账: pages of meetings, newest first; a meeting with an open item past its due date
# is overdue.
MeetingLedgerReader = LedgerSpec(MeetingLedger.name, TABLE.name, FILTERS, cursor_prefix="m",
                                 public=_public, dated=True).reader
