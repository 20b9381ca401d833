"""Use cases of industrial parks (园区): registration, leading industries, yearly output, the
industry list, and placing projects in the park their free-text park names."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from application.cases import CaseService, Result
from application.context import SYSTEM, Caller
from application.errors import ConcurrentUpdate, NotFound
from application.industries import Industry
from application.queries import LedgerQuery, codes, integer, text, words
from application.store import Store
from domain.errors import InvalidValue
from domain.park import EVENT_LABELS, Level, Park, ParkParticulars, same_park
from domain.project import Project, Stage
from domain.shared import Audit

AREA_KINDS = ("county", "zone")
MANAGING_KINDS = ("park_committee", "zone", "county")


class DuplicatePark(ConcurrentUpdate):
    """A park of this name is already registered (HTTP 409)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"a park named {name} is already registered / 同名园区已登记")


@dataclass(frozen=True)
class ParkState(ParkParticulars):
    """Current state of one park, as clients read it: its particulars, then its record."""

    id: UUID
    version: int
    registered_on: date
    outputs: list[dict[str, Any]]
    allowed_steps: list[str]
    created_at: datetime
    modified_at: datetime


ParkResult = Result[ParkState]

LEDGER = LedgerQuery("parks", "park.read", {
    "year": integer("The year whose output is judged (default: last year)", 2000, 2100),
    "level": codes(Level, "园区级别 level"),
    "county": words("所在县区/开发区: unit codes"),
    "unit": words("管委会: the managing units' codes"),
    "industry": words("A leading industry (主导产业), by code"),
    "q": text("Text in the park's name"),
}, dated=True)


def park_named(store: Store, name: str | None) -> Park | None:
    """The registered park whose name the free text `name` gives, if any."""
    if not name or not name.strip():
        return None
    try:
        return store.load(Park, Park.create_id(name))
    except NotFound:
        return None


def _place(project: Project, park: Park, on: date, audit: Audit) -> bool:
    """Place `project` in `park` unless it is in a park already or terminated."""
    if project.park_id is not None or project.stage == Stage.terminated:
        return False
    project.link_park(park.id, park.name, project.park or "", park.joint_review_required, on,
                      audit)
    return True


def place_in_named_park(store: Store, project: Project, on: date, audit: Audit) -> None:
    """Place a project not yet in a park in the registered park its free text names."""
    if project.park_id is None and (park := park_named(store, project.park)) is not None:
        _place(project, park, on, audit)


def _naming(store: Store, name: str) -> Iterator[UUID]:
    """Projects whose free-text park now names `name`: read from the log itself (their
    registrations and revisions), so a project saved a moment ago is not missed."""
    topics = [get_topic(Project.Registered), get_topic(Project.DetailsRevised)]
    texts: dict[UUID, str | None] = {}
    position = 0
    while batch := list(store.ledger.recorder.select_notifications(
            start=position + 1, limit=1000, topics=topics)):
        for notification in batch:
            event = store.ledger.mapper.to_domain_event(notification)
            if isinstance(event, Project.Registered):
                texts[event.originator_id] = event.park
            elif isinstance(event, Project.DetailsRevised) and "park" in event.changes:
                texts[event.originator_id] = event.changes["park"]
        position = batch[-1].id
    return (pid for pid, text in texts.items() if same_park(text, name))


class ParkService(CaseService[Park, ParkState]):
    """Every use case of the park context."""

    created_event = Park.Registered
    kind = "park"
    event_labels = EVENT_LABELS

    @property
    def industries(self) -> list[Industry]:
        """The industry reference list (产业目录)."""
        return self.context.industries.all()

    # --- commands -----------------------------------------------------------------------

    def register(self, caller: Caller, name: str, level: str, county: str,
                 managing_unit: str, area_mu: Decimal,
                 leading_industries: Sequence[str] | None = None,
                 joint_review_required: bool | None = None, on: date | None = None
                 ) -> ParkResult:
        """园区登记. Projects whose free-text park names it are placed in it, each by an
        event of the system, with the text that matched."""
        self.authorize(caller, "manage")
        park = Park.register(
            name, level, self.units.require(county, "county", AREA_KINDS),
            self.units.require(managing_unit, "managing_unit", MANAGING_KINDS), area_mu,
            self._industries(leading_industries or []), joint_review_required, self.day(on),
            caller.audit())
        if self.store.exists(park.id):
            raise DuplicatePark(park.name)
        system = replace(SYSTEM, correlation_id=caller.correlation_id).audit()
        projects = [self.store.load(Project, pid) for pid in _naming(self.store, park.name)]
        placed = [p for p in projects if _place(p, park, park.registered_on, system)]
        try:
            return self.saved(caller, park, also=placed)
        except ConcurrentUpdate:
            if self.store.exists(park.id):
                raise DuplicatePark(park.name) from None
            raise

    def change_leading_industries(self, caller: Caller, park_id: UUID,
                                  industries: Sequence[str], reason: str,
                                  on: date | None = None, expected_version: int | None = None
                                  ) -> ParkResult:
        park = self.load_for(caller, "manage", park_id, expected_version)
        park.change_leading_industries(self._industries(industries), reason, self.day(on),
                                       caller.audit())
        return self.saved(caller, park)

    def report_output(self, caller: Caller, park_id: UUID, year: int,
                      by_industry: Sequence[Mapping[str, Any]], on: date | None = None,
                      expected_version: int | None = None) -> ParkResult:
        park = self.load_for(caller, "manage", park_id, expected_version)
        day = self.day(on)
        if year > day.year:
            msg = (f"year {year} has not begun (the report is dated {day}); output is "
                   f"reported for past or current years / 不能填报未来年度的产值")
            raise InvalidValue(msg)
        rows = [{**row, "industry": self.context.industries.require(
            row.get("industry"), "by_industry.industry")} for row in by_industry]
        park.report_output(year, rows, day, caller.audit())
        return self.saved(caller, park)

    def _industries(self, given: Sequence[str]) -> list[str]:
        """Industry codes of codes or Chinese names (422 for one not in the list)."""
        return [self.context.industries.require(x, "leading_industries") for x in given]
