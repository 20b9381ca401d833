"""入园联合论证台账: one row per park-entry review, with the units whose opinion it awaits."""

from __future__ import annotations

from functools import singledispatchmethod

from domain.park_entry_review import Decision, ParkEntryReview, Status
from projections.base import LedgerBatch, TableLedger, unhandled
from projections.filters import Equals, Filter, Flag, Member
from projections.paging import LedgerSpec, Row, shown
from projections.project_ledger import from_units, to_units
from projections.request_ledger import unit_set, unit_text
from projections.tables import Table

TABLE = Table("park_entry_review_ledger", """
    id TEXT PRIMARY KEY, seq BIGINT NOT NULL, project_id TEXT NOT NULL,
    project_name TEXT NOT NULL, industry TEXT NOT NULL, park_id TEXT NOT NULL,
    park_name TEXT NOT NULL, status TEXT NOT NULL, land_area_mu BIGINT NOT NULL,
    reviewing_units TEXT NOT NULL, awaiting TEXT NOT NULL, opinions INTEGER NOT NULL,
    rejections INTEGER NOT NULL, industry_outside_leading INTEGER NOT NULL,
    opened_on TEXT NOT NULL, decision TEXT, decided_on TEXT, registered_on TEXT,
    version INTEGER NOT NULL, updated_at TEXT NOT NULL""",
    unique={"seq": "seq"}, index={"park": "park_id, seq"})


class ParkEntryReviewLedger(TableLedger):
    """Builds the park-entry review ledger."""

    table = TABLE

    _apply = singledispatchmethod(unhandled)

    @_apply.register
    def _(self, e: ParkEntryReview.Opened, b: LedgerBatch) -> None:
        units = unit_text([u["code"] for u in e.reviewing_units])
        b.rows.created(e, b.position, project_id=str(e.project_id), project_name=e.project_name,
                       industry=e.industry, park_id=str(e.park_id), park_name=e.park_name,
                       status=Status.reviewing.value, land_area_mu=to_units(e.land_area_mu),
                       reviewing_units=units, awaiting=units, opinions=0, rejections=0,
                       industry_outside_leading=int(e.industry_outside_leading),
                       opened_on=e.on.isoformat())

    @_apply.register
    def _(self, e: ParkEntryReview.OpinionGiven, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row["awaiting"] = unit_text([u for u in unit_set(row["awaiting"]) if u != e.unit])
            row["opinions"] += 1
            row["rejections"] += int(e.opinion == "reject")

    @_apply.register
    def _(self, e: ParkEntryReview.Decided, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(decision=e.decision, decided_on=e.on.isoformat(),
                       status=(Status.approved if e.decision == Decision.approved
                               else Status.rejected).value)

    @_apply.register
    def _(self, e: ParkEntryReview.EntryRegistered, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(status=Status.registered.value, registered_on=e.on.isoformat())


FILTERS: dict[str, Filter] = {
    "status": Equals("status"),
    "park": Equals("park_id"),
    "project": Equals("project_id"),
    "unit": Member("reviewing_units"),
    "awaiting": Member("awaiting"),
    "industry_outside_leading": Flag("industry_outside_leading = 1",
                                     "industry_outside_leading = 0"),
    "scope_unit": Member("reviewing_units"),  # a reviewing unit reads the reviews it is in
}


def _public(row: Row, today: str | None) -> Row:
    return {**shown(row), "land_area_mu": from_units(row["land_area_mu"]),
            "reviewing_units": unit_set(row["reviewing_units"]),
            "awaiting": unit_set(row["awaiting"]),
            "industry_outside_leading": bool(row["industry_outside_leading"]),
            "status_label": Status(row["status"]).label}


# The park-entry review ledger, newest first.
ParkEntryReviewLedgerReader = LedgerSpec(ParkEntryReviewLedger.name, TABLE.name, FILTERS,
                                         cursor_prefix="v", public=_public).reader
