"""代办台账: the agency ledger, one row per agency case, and one row per permit item of each
case (what the agency statistics read, projections/agency_stats.py).

A case's row sums up its items: how many are recorded, open (待办, 已报件, 未通过) and
approved; the first-open date of its oldest open item (what `pending_over` compares) and the
earliest deadline among them (overdue when past). Enterprise and project names are read
beside each row from their own ledgers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import singledispatchmethod
from typing import Any

from domain.agency_case import OPEN_ITEM, AgencyCase, ItemStatus, Status, first_submission
from projections.base import Batch, LedgerRows, Projection, RowCache, unhandled
from projections.enterprise_ledger import TABLE as ENTERPRISES
from projections.filters import AtMost, Custom, Equals, Filter, Given
from projections.paging import LedgerSpec, Row, shown
from projections.project_ledger import TABLE as PROJECTS
from projections.store import Tx
from projections.tables import Table, part_key

TABLE = Table("agency_ledger", """
    id TEXT PRIMARY KEY, seq BIGINT NOT NULL, enterprise_id TEXT NOT NULL,
    credit_code TEXT NOT NULL, project_id TEXT, agent TEXT NOT NULL, agent_name TEXT NOT NULL,
    agent_unit TEXT, status TEXT NOT NULL, opened_on TEXT NOT NULL, closed_on TEXT,
    summary TEXT, items_total INTEGER NOT NULL, items_open INTEGER NOT NULL,
    items_approved INTEGER NOT NULL, oldest_open_start TEXT, next_due TEXT, filing_on TEXT,
    construction_on TEXT, production_on TEXT, version INTEGER NOT NULL,
    updated_at TEXT NOT NULL""",
    unique={"seq": "seq"}, index={"agent": "agent, seq", "opened": "opened_on"})
ITEMS = Table("agency_ledger_items", """
    id TEXT PRIMARY KEY, case_id TEXT NOT NULL, item TEXT NOT NULL, status TEXT NOT NULL,
    recorded_on TEXT NOT NULL, submitted_on TEXT, since TEXT NOT NULL, approved_on TEXT,
    clock_start TEXT, due TEXT""", index={"case": "case_id", "approved": "approved_on"})
OPEN = tuple(s.value for s in OPEN_ITEM)


@dataclass
class _Batch(Batch):
    """The cases' rows and their items' rows."""

    rows: LedgerRows
    items: RowCache

    def item_changed(self, e: Any, **fields: Any) -> None:
        """An item of `e`'s case changes (`due` a Deadline); the case's row sums it up."""
        row = self.rows.changed(e)
        item = self.items.touch(part_key(e, e.item))
        if row is None or item is None:
            return
        due = fields.pop("due", None)
        if due is not None:
            fields.update(due=due.due.isoformat(), clock_start=due.start.isoformat())
        item.update({k: v.isoformat() if hasattr(v, "isoformat") else v
                     for k, v in fields.items()})
        self.sum_up(row)

    def sum_up(self, row: dict[str, Any]) -> None:
        items = [i for i in self.items.rows.values() if i["case_id"] == row["id"]]
        running = [i for i in items if i["status"] in OPEN]
        row.update(items_total=len(items), items_open=len(running),
                   items_approved=sum(i["status"] == ItemStatus.approved for i in items),
                   oldest_open_start=min((i["clock_start"] for i in running
                                          if i["clock_start"]), default=None),
                   next_due=min((i["due"] for i in running if i["due"]), default=None))


class AgencyLedger(Projection):
    """Builds the agency ledger from agency-case events."""

    tables = (TABLE, ITEMS)

    def start(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> _Batch:
        batch = _Batch(LedgerRows(tx, TABLE), RowCache(tx, ITEMS))
        cases = [str(e.originator_id) for _, e in events if isinstance(e, AgencyCase.Event)]
        batch.rows.preload(cases)
        batch.items.preload(cases, by="case_id")
        return batch

    _apply = singledispatchmethod(unhandled)

    @_apply.register
    def _(self, e: AgencyCase.Opened, b: _Batch) -> None:
        b.rows.created(
            e, b.position, enterprise_id=str(e.enterprise_id), credit_code=e.credit_code,
            project_id=str(e.project_id) if e.project_id else None, agent=e.agent,
            agent_name=e.agent_name, agent_unit=e.agent_unit, status=Status.open.value,
            opened_on=e.on.isoformat(), items_total=0, items_open=0, items_approved=0)

    @_apply.register
    def _(self, e: AgencyCase.ItemRecorded, b: _Batch) -> None:
        key = part_key(e, e.item)
        found = b.items.get(key)
        if found is None:
            b.items.put({**dict.fromkeys(ITEMS.columns), "id": key,
                         "case_id": str(e.originator_id), "item": e.item,
                         "recorded_on": e.on.isoformat()})
            found = b.items.rows[key]
        first = found["submitted_on"] or (
            e.on if e.status == ItemStatus.submitted else None)
        b.item_changed(e, status=e.status, since=e.on, submitted_on=first, due=e.due,
                       approved_on=e.on if e.status == ItemStatus.approved else None)

    @_apply.register
    def _(self, e: AgencyCase.ItemCorrected, b: _Batch) -> None:
        if found := b.items.get(part_key(e, e.item)):
            first = first_submission(found, e.status, e.on.isoformat())
            b.item_changed(e, status=e.status, since=e.on, submitted_on=first, due=e.due,
                           recorded_on=min(found["recorded_on"], e.on.isoformat()),
                           approved_on=e.on if e.status == ItemStatus.approved else None)

    @_apply.register
    def _(self, e: AgencyCase.ItemDueRecomputed, b: _Batch) -> None:
        b.item_changed(e, due=e.deadline)

    @_apply.register
    def _(self, e: AgencyCase.MilestoneReached, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row[f"{e.milestone}_on"] = e.on.isoformat()

    @_apply.register
    def _(self, e: AgencyCase.AgentReassigned, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(agent=e.agent, agent_name=e.agent_name, agent_unit=e.agent_unit)

    @_apply.register
    def _(self, e: AgencyCase.Closed, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(status=Status.closed.value, closed_on=e.on.isoformat(),
                       summary=e.summary)


# --- queries ------------------------------------------------------------------------------


def _active_from(value: Any, values: Any) -> tuple[str, list[Any]]:
    """Not closed before the day: still open, or closed on or after it."""
    return "(closed_on IS NULL OR closed_on >= ?)", [value.isoformat()]


FILTERS: dict[str, Filter] = {
    "agent": Equals("agent"),
    "enterprise": Equals("credit_code"),
    "project": Equals("project_id"),
    "status": Equals("status"),
    "from": Custom(_active_from),  # active in the period: not closed before it starts
    "to": AtMost("opened_on"),  # ... and opened by its end
    "pending_over": AtMost("oldest_open_start"),  # given as the latest first-open day
    "today": Given(),  # what a row's overdue is judged against
    "scope_agent": Equals("agent"),  # an agent reads its own cases
    "scope_enterprise": Equals("credit_code"),  # an enterprise reads its own
}
# Each case with the names of its enterprise and project, from their ledgers.
NAMED = (f"(SELECT a.*, e.name AS enterprise_name, p.name AS project_name FROM {TABLE} a "
         f"LEFT JOIN {ENTERPRISES} e ON e.id = a.enterprise_id "
         f"LEFT JOIN {PROJECTS} p ON p.id = a.project_id) AS agency_rows")


def _public(row: Row, today: str | None) -> Row:
    return {**shown(row), "status_label": Status(row["status"]).label,
            "overdue": (row["status"] == Status.open and row["next_due"] is not None
                        and today is not None and row["next_due"] < today)}


# 代办台账: pages of cases, newest first; a case with an open item past its deadline is
# overdue.
AgencyLedgerReader = LedgerSpec(AgencyLedger.name, NAMED, FILTERS, cursor_prefix="a",
                                public=_public, dated=True).reader
