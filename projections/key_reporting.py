"""信息报送: the facts the reporting rules (domain/reporting.py) read — each project's
responsible unit and dates, its places on the key-project lists, its progress reports — kept
as they happened. Which periods are owed, when they are due and how they stand depend on the
cadence, the working-day calendar and today, so they are judged when read
(application/reporting.py), never stored: a change of setting or calendar needs no rebuild.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import singledispatchmethod
from typing import Any

from domain.project import Project
from domain.reporting import MISSING_REPORT, KeyProject, Listing, Report
from projections.base import Batch, Projection, RowCache, unhandled
from projections.filters import AnyOf, Equals, Filter, where_of
from projections.paging import where
from projections.store import Tx, ViewStore
from projections.supervision import KIND_LABELS
from projections.tables import Table, part_key

PROJECTS = Table("key_reporting_projects", """
    id TEXT PRIMARY KEY, name TEXT NOT NULL, unit TEXT NOT NULL, county TEXT NOT NULL,
    registered_on TEXT NOT NULL, terminated_on TEXT, seq BIGINT NOT NULL""")
LISTINGS = Table("key_reporting_listings", """
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, year INTEGER NOT NULL,
    listed_on TEXT NOT NULL, dropped_on TEXT""", index={"project": "project_id"})
REPORTS = Table("key_reporting_reports", """
    id TEXT PRIMARY KEY, project_id TEXT NOT NULL, period TEXT NOT NULL,
    reported_on TEXT NOT NULL""", index={"project": "project_id"})


@dataclass
class _Batch(Batch):
    """The projects, their listings and their reports."""

    projects: RowCache
    listings: RowCache
    reports: RowCache


class KeyReporting(Projection):
    """Keeps what the 信息报送 rules read of every project."""

    name = "key_reporting"
    tables = (PROJECTS, LISTINGS, REPORTS)

    def start(self, tx: Tx, events: Sequence[tuple[int, Any]]) -> _Batch:
        b = _Batch(RowCache(tx, PROJECTS), RowCache(tx, LISTINGS), RowCache(tx, REPORTS))
        b.projects.preload(str(e.originator_id) for _, e in events)
        b.listings.preload(part_key(e, e.year) for _, e in events
                           if isinstance(e, Project.KeyProjectDropped))
        return b

    _apply = singledispatchmethod(unhandled)

    @_apply.register
    def _(self, e: Project.Registered, b: _Batch) -> None:
        b.projects.put({"id": str(e.originator_id), "name": e.name, "unit": e.responsible_unit,
                        "county": e.county, "registered_on": e.on.isoformat(),
                        "terminated_on": None, "seq": b.position})

    @_apply.register
    def _(self, e: Project.DetailsRevised, b: _Batch) -> None:
        if row := b.projects.touch(str(e.originator_id)):
            row.update({k: v for k, v in e.changes.items() if k in ("name", "county")})

    @_apply.register
    def _(self, e: Project.UnitReassigned, b: _Batch) -> None:
        if row := b.projects.touch(str(e.originator_id)):
            row["unit"] = e.unit  # its reports are owed by the unit responsible now

    @_apply.register
    def _(self, e: Project.Terminated, b: _Batch) -> None:
        if row := b.projects.touch(str(e.originator_id)):
            row["terminated_on"] = e.on.isoformat()

    @_apply.register
    def _(self, e: Project.KeyProjectDesignated, b: _Batch) -> None:
        # Designated again after being dropped: the latest designation counts.
        b.listings.put({"id": part_key(e, e.year), "project_id": str(e.originator_id),
                        "year": e.year, "listed_on": e.on.isoformat(), "dropped_on": None})

    @_apply.register
    def _(self, e: Project.KeyProjectDropped, b: _Batch) -> None:
        if row := b.listings.touch(part_key(e, e.year)):
            row["dropped_on"] = e.on.isoformat()

    @_apply.register
    def _(self, e: Project.ProgressReported, b: _Batch) -> None:
        b.reports.put({"id": part_key(e, e.originator_version),
                       "project_id": str(e.originator_id), "period": e.period,
                       "reported_on": e.on.isoformat()})


# --- reads --------------------------------------------------------------------------------

# Missing reports are items of the supervision view (computed when read), under this label.
KIND_LABELS.update([MISSING_REPORT])
FILTERS: dict[str, Filter] = {
    "id": Equals("p.id"),
    "unit": Equals("p.unit"),  # the responsible unit: whose items the reports are
    "scope_unit": Equals("p.unit"),  # a unit account: its own items
    "unit_or_area": AnyOf(Equals("p.unit"), Equals("p.county")),  # as the project ledger
}


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


class KeyReportingReader:
    """The projects on some key-project list, with their listings and reports."""

    projection = KeyReporting.name

    def __init__(self, store: ViewStore) -> None:
        self.store = store

    def key_projects(self, **filters: Any) -> list[KeyProject]:
        """Every project ever designated that the filters (`id`, `unit`, `unit_or_area`,
        each one value or a list) keep, oldest first."""
        clauses, params = where_of(FILTERS, filters)
        chosen = (f"SELECT p.id FROM {PROJECTS} p{where(clauses)}"
                  f"{' AND' if clauses else ' WHERE'} p.id IN (SELECT project_id FROM {LISTINGS})")
        with self.store.read() as tx:
            projects = tx.all(f"SELECT * FROM {PROJECTS} WHERE id IN ({chosen}) ORDER BY seq",
                              params)
            listings = tx.all(f"SELECT * FROM {LISTINGS} WHERE project_id IN ({chosen}) "
                              "ORDER BY year", params)
            reports = tx.all(f"SELECT * FROM {REPORTS} WHERE project_id IN ({chosen}) "
                             "ORDER BY reported_on", params)
        listed, reported = _by_project(listings), _by_project(reports)
        return [_key_project(p, listed.get(p["id"], []), reported.get(p["id"], []))
                for p in projects]


def _by_project(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row["project_id"], []).append(row)
    return grouped


def _key_project(row: Mapping[str, Any], listings: list[dict[str, Any]],
                 reports: list[dict[str, Any]]) -> KeyProject:
    return KeyProject(
        id=row["id"], name=row["name"], unit=row["unit"],
        registered_on=date.fromisoformat(row["registered_on"]),
        terminated_on=_day(row["terminated_on"]),
        listings=[Listing(int(r["year"]), date.fromisoformat(r["listed_on"]),
                          _day(r["dropped_on"])) for r in listings],
        reports=[Report(r["period"], date.fromisoformat(r["reported_on"])) for r in reports])
