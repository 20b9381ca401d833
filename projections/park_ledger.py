"""园区台账: each park's leading industries, its yearly output and the projects placed in it,
read as the compliance view of 柳政规〔2020〕1号 (at most three leading industries, whose
output is at least 60% of the park's).

Three tables: one row per park; one per park and year of reported output (a later report of
the same year replaces the row; the park's history keeps both); one per project, with the
park it is placed in (if any), its stage and investment, so a park's projects are counted by
stage without reading another projection's tables.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import singledispatchmethod
from typing import Any

from domain.park import LEADING_SHARE_PERCENT, MAX_LEADING, Level, Park
from domain.project import Project, Stage
from domain.shared import AMOUNT_QUANTUM
from projections.base import Batch, LedgerRows, Projection, RowCache, unhandled
from projections.filters import Equals, Filter, Given, Member, Text, param
from projections.paging import LedgerSpec, Row, shown
from projections.project_ledger import SCALE, from_units, to_units
from projections.request_ledger import unit_set, unit_text
from projections.store import Tx
from projections.tables import Table

TABLE = Table("park_ledger", """
    id TEXT PRIMARY KEY, seq BIGINT NOT NULL, name TEXT NOT NULL, level TEXT NOT NULL,
    county TEXT NOT NULL, managing_unit TEXT NOT NULL, area_mu BIGINT NOT NULL,
    leading_industries TEXT NOT NULL, joint_review_required INTEGER NOT NULL,
    registered_on TEXT NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL""",
    unique={"seq": "seq"})
OUTPUTS = Table("park_outputs", """
    id TEXT PRIMARY KEY, park_id TEXT NOT NULL, year INTEGER NOT NULL,
    by_industry TEXT NOT NULL, total BIGINT NOT NULL, reported_on TEXT NOT NULL""",
    index={"park": "park_id, year"})
PROJECTS = Table("park_projects", """
    id TEXT PRIMARY KEY, park_id TEXT, stage TEXT NOT NULL, total_investment BIGINT NOT NULL,
    registered INTEGER NOT NULL""", index={"park": "park_id"})
PERCENT = Decimal("0.01")


@dataclass
class _Batch(Batch):
    """The parks' rows, their outputs, and the projects with the park each is placed in."""

    parks: LedgerRows
    outputs: RowCache
    projects: RowCache


class ParkLedger(Projection):
    """Builds the park ledger from park and project events."""

    tables = (TABLE, OUTPUTS, PROJECTS)

    def start(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> _Batch:
        batch = _Batch(LedgerRows(tx, TABLE), RowCache(tx, OUTPUTS), RowCache(tx, PROJECTS))
        batch.parks.preload(str(e.originator_id) for _, e in events if isinstance(e, Park.Event))
        batch.projects.preload(str(e.originator_id) for _, e in events
                               if isinstance(e, Project.Event))
        return batch

    _apply = singledispatchmethod(unhandled)

    # --- parks ----------------------------------------------------------------------------

    @_apply.register
    def _(self, e: Park.Registered, b: _Batch) -> None:
        b.parks.created(e, b.position, name=e.name, level=e.level, county=e.county,
                        managing_unit=e.managing_unit, area_mu=to_units(e.area_mu),
                        leading_industries=unit_text(e.leading_industries),
                        joint_review_required=int(e.joint_review_required),
                        registered_on=e.on.isoformat())

    @_apply.register
    def _(self, e: Park.LeadingIndustriesChanged, b: _Batch) -> None:
        if row := b.parks.changed(e):
            row["leading_industries"] = unit_text(e.industries)

    @_apply.register
    def _(self, e: Park.OutputReported, b: _Batch) -> None:
        if b.parks.changed(e):
            park = str(e.originator_id)
            by_industry = {r["industry"]: to_units(Decimal(r["output"])) for r in e.by_industry}
            b.outputs.put({"id": f"{park}:{e.year}", "park_id": park, "year": e.year,
                           "by_industry": json.dumps(by_industry, sort_keys=True),
                           "total": sum(v or 0 for v in by_industry.values()),
                           "reported_on": e.on.isoformat()})

    # --- projects, by the park they are placed in -----------------------------------------

    @_apply.register
    def _(self, e: Project.Registered, b: _Batch) -> None:
        b.projects.put({"id": str(e.originator_id), "park_id": None,
                        "stage": Stage.negotiating.value,
                        "total_investment": to_units(e.total_investment), "registered": 0})

    @_apply.register
    def _(self, e: Project.DetailsRevised, b: _Batch) -> None:
        if "total_investment" in e.changes and (row := b.projects.touch(str(e.originator_id))):
            row["total_investment"] = to_units(Decimal(e.changes["total_investment"]))

    @_apply.register
    def _(self, e: (Project.Signed | Project.ConstructionStarted | Project.ProductionStarted
                    | Project.Terminated), b: _Batch) -> None:
        if row := b.projects.touch(str(e.originator_id)):
            row["stage"] = STAGE_OF[type(e)]

    @_apply.register
    def _(self, e: Project.ParkLinked, b: _Batch) -> None:
        if row := b.projects.touch(str(e.originator_id)):
            row["park_id"] = str(e.park_id)

    @_apply.register
    def _(self, e: Project.ParkRegistered, b: _Batch) -> None:
        if row := b.projects.touch(str(e.originator_id)):
            row.update(park_id=str(e.park_id), registered=1)


STAGE_OF: dict[type, str] = {
    Project.Signed: Stage.signed.value,
    Project.ConstructionStarted: Stage.under_construction.value,
    Project.ProductionStarted: Stage.in_production.value,
    Project.Terminated: Stage.terminated.value,
}


# --- the compliance view ------------------------------------------------------------------


def compliance(leading: Sequence[str], by_industry: Mapping[str, int] | None
               ) -> dict[str, Any]:
    """A park's output of one year (in 1/10000 万元 by industry) judged by the rule: total and
    leading output (万元), the leading share (%), whether the park meets the rule (share at
    least 60% and at most three leading industries) and, when the share falls short, by how
    much: points below 60%, and the leading output missing at the reported total (60% of the
    total less the leading output). Unknown (None) while no output is reported."""
    total = sum(by_industry.values()) if by_industry else 0
    if not total:
        return {"total_output": from_units(total) if by_industry else None,
                "leading_output": None, "leading_share": None, "meets_rule": None,
                "shortfall": None}
    lead = sum(v for k, v in (by_industry or {}).items() if k in leading)
    enough = lead * 100 >= LEADING_SHARE_PERCENT * total  # exact, in integers
    share = (Decimal(lead * 100) / total).quantize(PERCENT, ROUND_HALF_UP)
    missing = Decimal(LEADING_SHARE_PERCENT * total - lead * 100) / 100 / SCALE
    return {"total_output": from_units(total), "leading_output": from_units(lead),
            "leading_share": share, "meets_rule": enough and len(leading) <= MAX_LEADING,
            "shortfall": None if enough else {
                "points": LEADING_SHARE_PERCENT - share,
                "leading_output": missing.quantize(AMOUNT_QUANTUM, ROUND_CEILING)}}


FILTERS: dict[str, Filter] = {
    "level": Equals("level"),
    "county": Equals("county"),
    "unit": Equals("managing_unit"),
    "industry": Member("leading_industries"),
    "q": Text("name"),
    "year": Given(),  # the year judged
    "today": Given(),  # last year is judged when no year is given
    "scope_unit": Equals("managing_unit"),  # a managing unit (管委会) reads its own parks
}


def _public(row: Row, today: str | None) -> Row:
    return {**shown(row), "area_mu": from_units(row["area_mu"]),
            "leading_industries": unit_set(row["leading_industries"]),
            "joint_review_required": bool(row["joint_review_required"]),
            "level_label": Level(row["level"]).label}


def _completed(tx: Tx, items: list[Row], filters: Mapping[str, Any]) -> list[Row]:
    """Each park with its output of the year judged and its projects by stage."""
    year = filters.get("year") or int(param(filters["today"])[:4]) - 1
    ids = [item["id"] for item in items]
    if not ids:
        return items
    marks = ", ".join("?" * len(ids))
    outputs = {r["park_id"]: r for r in tx.all(
        f"SELECT park_id, by_industry, reported_on FROM {OUTPUTS} "
        f"WHERE year = ? AND park_id IN ({marks})", [year, *ids])}
    stages: dict[str, dict[str, Any]] = {}
    for r in tx.all(f"SELECT park_id, stage, COUNT(*) AS n, SUM(registered) AS reg, "
                    f"COALESCE(SUM(total_investment), 0) AS inv FROM {PROJECTS} "
                    f"WHERE park_id IN ({marks}) GROUP BY park_id, stage", ids):
        stages.setdefault(r["park_id"], {})[r["stage"]] = r
    return [_judged(item, year, outputs.get(item["id"]), stages.get(item["id"], {}))
            for item in items]


def _judged(item: Row, year: int, output: Row | None, stages: Mapping[str, Row]) -> Row:
    by_industry: dict[str, int] | None = json.loads(output["by_industry"]) if output else None
    projects = {stage.value: {"label": stage.label, "count": int(stages[stage]["n"]),
                              "registered": int(stages[stage]["reg"] or 0),
                              "total_investment": from_units(int(stages[stage]["inv"]))}
                for stage in Stage if stage in stages}
    return {**item, "year": year, **compliance(item["leading_industries"], by_industry),
            "output_reported_on": output["reported_on"] if output else None,
            "by_industry": {k: from_units(v) for k, v in (by_industry or {}).items()},
            "projects": projects,
            "projects_unregistered": sum(int(r["n"]) - int(r["reg"] or 0)
                                         for r in stages.values())}


# The park ledger as the compliance view, for one year (`year`, else the year before
# `today`).
ParkLedgerReader = LedgerSpec(ParkLedger.name, TABLE.name, FILTERS, cursor_prefix="k",
                              public=_public, dated=True, completed=_completed).reader
