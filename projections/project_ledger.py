"""项目台账: the project ledger, one row per project, with per-stage totals."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import singledispatchmethod
from typing import Any

from domain.project import Project, Stage
from projections.base import LedgerBatch, TableLedger, members, members_text, unhandled
from projections.filters import AnyOf, AtLeast, AtMost, Equals, Filter, Flag, Member, Text
from projections.paging import LedgerSpec, Row, where
from projections.store import Tx
from projections.tables import Table

TABLE = Table("project_ledger", """
    id TEXT PRIMARY KEY, seq BIGINT NOT NULL, name TEXT NOT NULL, investor TEXT NOT NULL,
    industry TEXT NOT NULL, total_investment BIGINT NOT NULL, county TEXT NOT NULL, park TEXT,
    responsible_unit TEXT NOT NULL, origin TEXT, liaison_leader TEXT, stage TEXT NOT NULL,
    registered_on TEXT NOT NULL, planned_sign TEXT, planned_start TEXT,
    planned_production TEXT, sign_date TEXT, contract_amount BIGINT, construction_date TEXT,
    production_date TEXT, terminated_on TEXT, termination_reason TEXT,
    funds_in_place BIGINT NOT NULL, latest_progress TEXT, latest_progress_period TEXT,
    latest_progress_on TEXT, problems_open INTEGER NOT NULL, problems_total INTEGER NOT NULL,
    instructions_open INTEGER NOT NULL, instructions_total INTEGER NOT NULL,
    instructions_pending TEXT NOT NULL, key_years TEXT NOT NULL, park_id TEXT,
    park_review_id TEXT, version INTEGER NOT NULL, updated_at TEXT NOT NULL""",
    unique={"seq": "seq"},
    index={"unit": "responsible_unit, seq", "county": "county, seq", "stage": "stage, seq"})
# Amounts are stored as integers of 1/10000 万元 (yuan), so sums are exact on both engines.
SCALE = Decimal("10000")
DATE_FIELDS = ("planned_sign", "planned_start", "planned_production")


def to_units(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * SCALE)


def from_units(units: int | None) -> Decimal | None:
    return None if units is None else (Decimal(units) / SCALE).quantize(Decimal("0.0001"))


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


class ProjectLedger(TableLedger):
    """Builds the project ledger from project events."""

    version = 2  # 2: the park a project is placed in (park_id, park_review_id)
    table = TABLE

    _apply = singledispatchmethod(unhandled)

    @_apply.register
    def _(self, e: Project.Registered, b: LedgerBatch) -> None:
        b.rows.created(
            e, b.position, name=e.name, investor=e.investor, industry=e.industry,
            total_investment=to_units(e.total_investment), county=e.county, park=e.park,
            responsible_unit=e.responsible_unit, origin=e.origin,
            liaison_leader=e.liaison_leader, stage="negotiating",
            registered_on=e.on.isoformat(), planned_sign=_iso(e.planned_sign),
            planned_start=_iso(e.planned_start), planned_production=_iso(e.planned_production),
            funds_in_place=0, problems_open=0, problems_total=0, instructions_open=0,
            instructions_total=0, instructions_pending="", key_years="")

    @_apply.register
    def _(self, e: Project.DetailsRevised, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            for field, value in e.changes.items():
                if field == "total_investment":
                    row[field] = to_units(Decimal(value))
                elif field in DATE_FIELDS:
                    row[field] = _iso(value)
                else:
                    row[field] = value

    @_apply.register
    def _(self, e: Project.Signed, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(stage="signed", sign_date=e.date.isoformat(),
                       contract_amount=to_units(e.contract_amount))

    @_apply.register
    def _(self, e: Project.ConstructionStarted, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(stage="under_construction", construction_date=e.date.isoformat())

    @_apply.register
    def _(self, e: Project.ProductionStarted, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(stage="in_production", production_date=e.date.isoformat())

    @_apply.register
    def _(self, e: Project.Terminated, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(stage="terminated", terminated_on=e.on.isoformat(),
                       termination_reason=e.reason)

    @_apply.register
    def _(self, e: Project.Corrected, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row[e.field] = (to_units(Decimal(e.value)) if e.field == "contract_amount"
                            else _iso(e.value))

    @_apply.register
    def _(self, e: Project.TerminationRevoked, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(stage=e.stage, terminated_on=None, termination_reason=None)

    @_apply.register
    def _(self, e: Project.UnitReassigned, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row["responsible_unit"] = e.unit

    @_apply.register
    def _(self, e: Project.ProgressReported, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(latest_progress=e.text, latest_progress_period=e.period,
                       latest_progress_on=e.on.isoformat())
            if e.funds_in_place is not None:
                row["funds_in_place"] = to_units(e.funds_in_place)

    @_apply.register
    def _(self, e: Project.ProblemRaised, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row["problems_open"] += 1
            row["problems_total"] += 1

    @_apply.register
    def _(self, e: Project.ProblemResolved, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row["problems_open"] -= 1

    @_apply.register
    def _(self, e: Project.InstructionGiven, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            pending = _years(row["instructions_pending"]) | {e.number}
            row["instructions_pending"] = _years_text(pending)
            row["instructions_open"] = len(pending)
            row["instructions_total"] += 1

    @_apply.register
    def _(self, e: Project.InstructionAnswered, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            # A later answer to the same instruction adds to it; only the first closes it.
            pending = _years(row["instructions_pending"]) - {e.number}
            row["instructions_pending"] = _years_text(pending)
            row["instructions_open"] = len(pending)

    @_apply.register
    def _(self, e: Project.KeyProjectDesignated, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row["key_years"] = _years_text({*_years(row["key_years"]), e.year})

    @_apply.register
    def _(self, e: Project.KeyProjectDropped, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row["key_years"] = _years_text(_years(row["key_years"]) - {e.year})

    @_apply.register
    def _(self, e: Project.ParkLinked, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(park=e.park_name, park_id=str(e.park_id))

    @_apply.register
    def _(self, e: Project.ParkRegistered, b: LedgerBatch) -> None:
        if row := b.rows.changed(e):
            row.update(park=e.park_name, park_id=str(e.park_id),
                       park_review_id=str(e.review_id))

    @_apply.register
    def _(self, e: Project.Commented | Project.DeadlineRecomputed, b: LedgerBatch) -> None:
        b.rows.changed(e)  # no column of the ledger changes, but the row's version moves


_years = members  # ",2025,2026," set columns: key years, pending instruction numbers
_years_text = members_text


# --- queries ------------------------------------------------------------------------------


PARK_TEXT = "park IS NOT NULL AND park <> ''"
FILTERS: dict[str, Filter] = {
    "id": Equals("id"),  # not a query parameter: what the application's own filters select
    "stage": Equals("stage"),
    "county": Equals("county"),
    "park": Equals("park"),
    "industry": Equals("industry"),
    "unit": Equals("responsible_unit"),
    "key": Flag("key_years <> ''", "key_years = ''"),  # a key project in any year
    "key_year": Member("key_years"),
    "park_unlinked": Flag(f"({PARK_TEXT}) AND park_id IS NULL",
                          f"NOT (({PARK_TEXT}) AND park_id IS NULL)"),
    "q": Text("name", "investor"),
    # Each stage's business date within a period (both ends included): 在谈/签约/开工/投产/终止.
    **{f"{prefix}_{end}": (AtLeast if end == "from" else AtMost)(column)
       for prefix, column in (("registered", "registered_on"), ("signed", "sign_date"),
                              ("started", "construction_date"),
                              ("produced", "production_date"), ("terminated", "terminated_on"))
       for end in ("from", "to")},
    # A unit account reads the projects it is responsible for and those in its county/zone.
    "scope_unit": AnyOf(Equals("responsible_unit"), Equals("county")),
    "scope_items": Equals("id"),  # an agent reads the projects its agency cases name
}


def _totals(tx: Tx, clauses: Sequence[str], params: Sequence[Any]) -> dict[str, Any]:
    """Per stage over the filtered rows: `{stage: {"count", "total_investment"}}`."""
    rows = tx.all(f"SELECT stage, COUNT(*) AS n, COALESCE(SUM(total_investment), 0) AS inv "
                  f"FROM {TABLE}{where(clauses)} GROUP BY stage", list(params))
    return {r["stage"]: {"count": int(r["n"]), "total_investment": from_units(int(r["inv"]))}
            for r in rows}


def _public(row: Row, today: str | None) -> Row:
    out = dict(row)
    for column in ("total_investment", "contract_amount", "funds_in_place"):
        out[column] = from_units(row[column])
    out["key_years"] = sorted(_years(row["key_years"]))
    out["stage_label"] = Stage(row["stage"]).label
    del out["instructions_pending"]
    return out


# The project ledger: pages of projects, newest first, with per-stage totals.
ProjectLedgerReader = LedgerSpec(ProjectLedger.name, TABLE.name, FILTERS, cursor_prefix="p",
                                 public=_public, totals=_totals).reader
