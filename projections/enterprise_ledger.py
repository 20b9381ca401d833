"""企业台账: one row per enterprise, with its linked leader, visits and open requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import singledispatchmethod
from typing import Any

from domain.enterprise import Enterprise
from domain.enterprise_request import EnterpriseRequest
from projections.base import (
    Batch,
    LedgerRows,
    Projection,
    RowCache,
    members,
    members_text,
    unhandled,
)
from projections.filters import Equals, Filter, Flag, Member, Text
from projections.paging import LedgerSpec, Row, shown
from projections.store import Tx
from projections.tables import Table

TABLE = Table("enterprise_ledger", """
    id TEXT PRIMARY KEY, seq BIGINT NOT NULL, name TEXT NOT NULL, credit_code TEXT NOT NULL,
    industry TEXT NOT NULL, county TEXT NOT NULL, registered_on TEXT NOT NULL, leader TEXT,
    leader_level TEXT, leader_since TEXT, visits INTEGER NOT NULL, last_visit_on TEXT,
    requests_total INTEGER NOT NULL, requests_open INTEGER NOT NULL, key_years TEXT NOT NULL,
    version INTEGER NOT NULL, updated_at TEXT NOT NULL""",
    unique={"seq": "seq", "code": "credit_code"}, index={"county": "county, seq"})
# which enterprise each request belongs to
REQUESTS = Table("enterprise_ledger_requests", """
    id TEXT PRIMARY KEY, enterprise_id TEXT NOT NULL""")
REVISED_COLUMNS = ("name", "industry", "county")


@dataclass
class _Batch(Batch):
    """The enterprises' rows, and which enterprise each request is of."""

    rows: LedgerRows
    owners: RowCache  # request id → enterprise id

    def owner_of(self, e: Any) -> str | None:
        """The enterprise whose row an event changes: a request's enterprise, else the
        event's own aggregate."""
        if isinstance(e, EnterpriseRequest.Raised):
            return str(e.enterprise_id)
        if isinstance(e, EnterpriseRequest.Event):
            found = self.owners.get(str(e.originator_id))
            return found["enterprise_id"] if found else None
        return str(e.originator_id)

    def counted(self, e: Any) -> dict[str, Any] | None:
        """The row of the enterprise a request event counts for (its version stays)."""
        key = self.owner_of(e)
        return self.rows.touch(key) if key else None


class EnterpriseLedger(Projection):
    """Builds the enterprise ledger from enterprise events; requests raised and closed
    move its request counts (open: raised and not yet closed, 未办结)."""

    version = 2  # 2: the leader's level and the key years (重点企业)
    tables = (TABLE, REQUESTS)

    def start(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> _Batch:
        batch = _Batch(LedgerRows(tx, TABLE), RowCache(tx, REQUESTS))
        batch.owners.preload(str(e.originator_id) for _, e in events
                             if isinstance(e, EnterpriseRequest.Closed))
        batch.rows.preload(k for _, e in events if (k := batch.owner_of(e)) is not None)
        return batch

    _apply = singledispatchmethod(unhandled)

    @_apply.register
    def _(self, e: Enterprise.Registered, b: _Batch) -> None:
        b.rows.created(e, b.position, name=e.name, credit_code=e.credit_code,
                       industry=e.industry, county=e.county, registered_on=e.on.isoformat(),
                       visits=0, requests_total=0, requests_open=0, key_years="")

    @_apply.register
    def _(self, e: Enterprise.DetailsRevised, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update({k: v for k, v in e.changes.items() if k in REVISED_COLUMNS})

    @_apply.register
    def _(self, e: Enterprise.LeaderLinked, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(leader=e.leader, leader_level=e.leader_level,
                       leader_since=e.on.isoformat())

    @_apply.register
    def _(self, e: Enterprise.LeaderUnlinked, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row.update(leader=None, leader_level=None, leader_since=None)

    @_apply.register
    def _(self, e: Enterprise.VisitRecorded, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row["visits"] += 1
            last, this = row["last_visit_on"], e.date.isoformat()
            row["last_visit_on"] = max(last, this) if last else this

    @_apply.register
    def _(self, e: Enterprise.KeyEnterpriseDesignated, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row["key_years"] = members_text({*members(row["key_years"]), e.year})

    @_apply.register
    def _(self, e: Enterprise.KeyEnterpriseDropped, b: _Batch) -> None:
        if row := b.rows.changed(e):
            row["key_years"] = members_text(members(row["key_years"]) - {e.year})

    @_apply.register
    def _(self, e: EnterpriseRequest.Raised, b: _Batch) -> None:
        b.owners.put({"id": str(e.originator_id), "enterprise_id": str(e.enterprise_id)})
        if row := b.counted(e):
            row["requests_total"] += 1
            row["requests_open"] += 1

    @_apply.register
    def _(self, e: EnterpriseRequest.Closed, b: _Batch) -> None:
        if row := b.counted(e):
            row["requests_open"] -= 1


# --- queries ------------------------------------------------------------------------------


FILTERS: dict[str, Filter] = {
    "county": Equals("county"),
    "industry": Equals("industry"),
    "leader": Equals("leader"),
    "leader_level": Equals("leader_level"),
    "key": Flag("key_years <> ''", "key_years = ''"),  # a key enterprise in any year
    "key_year": Member("key_years"),
    "q": Text("name", "credit_code"),  # text in the name or the credit code
    "scope_unit": Equals("county"),  # a unit reads the enterprises of its county or zone
    "scope_enterprise": Equals("credit_code"),  # an enterprise reads itself
    "scope_items": Equals("id"),  # an agent reads the enterprises its agency cases name
}


def _public(row: Row, today: str | None) -> Row:
    return {**shown(row), "key_years": sorted(members(row["key_years"]))}


# The enterprise ledger: pages of enterprises, newest registration first.
EnterpriseLedgerReader = LedgerSpec(EnterpriseLedger.name, TABLE.name, FILTERS, cursor_prefix="e",
                                    public=_public).reader
