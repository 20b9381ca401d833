"""Use cases of park-entry reviews (入园联合论证): open, opinions, decision, registration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from application.cases import CaseService, Result
from application.context import Caller
from application.errors import NotFound
from application.queries import LedgerQuery, Param, codes, flag, words
from domain.errors import InvalidValue
from domain.park import Park
from domain.park_entry_review import EVENT_LABELS, ParkEntryReview, ReviewFacts, Status
from domain.project import Project


@dataclass(frozen=True)
class ReviewState(ReviewFacts):
    """Current state of one park-entry review, as clients read it: what opening it recorded
    (ReviewFacts), then where it stands."""

    id: UUID
    version: int
    awaiting: list[dict[str, str]]
    opened_on: date
    status: str
    opinions: list[dict[str, Any]]
    decision: str | None
    decision_reason: str | None
    decided_on: date | None
    registered_on: date | None
    allowed_steps: list[str]
    created_at: datetime
    modified_at: datetime


ReviewResult = Result[ReviewState]


def _uuid(raw: str) -> str:
    return str(UUID(raw))


ID = {"type": "string", "format": "uuid", "description": "an id"}
LEDGER = LedgerQuery("park-entry-reviews", "park_entry_review.read", {
    "status": codes(Status, "状态 status"),
    "park": Param("The park (its id)", _uuid, ID),
    "project": Param("The project (its id)", _uuid, ID),
    "unit": words("A reviewing unit (unit codes)"),
    "awaiting": words("Reviews still waiting for these units' opinions (unit codes)"),
    "industry_outside_leading": flag("true: the project's industry is not a leading one of "
                                     "the park"),
})


class ParkEntryReviewService(CaseService[ParkEntryReview, ReviewState]):
    """Every use case of the park-entry review context."""

    created_event = ParkEntryReview.Opened
    kind = "park_entry_review"
    event_labels = EVENT_LABELS

    def open(self, caller: Caller, project_id: UUID, park_id: UUID,
             land_area_mu: Decimal, investment_intensity: Decimal | None = None,
             output_per_mu: Decimal | None = None, on: date | None = None) -> ReviewResult:
        """发起入园联合论证: the configured reviewing units and the park's managing unit
        review; a project outside the park's leading industries is flagged, not refused."""
        self.authorize(caller, "open")
        project = self._referenced(Project, project_id, "project_id")
        park = self._referenced(Park, park_id, "park_id")
        project.check_park_entry()
        industries = self.context.industries
        found = industries.find(project.industry)
        codes = dict.fromkeys([*self.context.review_units, park.managing_unit])
        review = ParkEntryReview.open(
            project_id=project.id, project_name=project.name,
            industry=found.name if found else project.industry,
            industry_code=found.code if found else None, park_id=park.id,
            park_name=park.name,
            leading={code: industries.name(code) for code in park.leading_industries},
            land_area_mu=land_area_mu, investment_intensity=investment_intensity,
            output_per_mu=output_per_mu,
            reviewing_units=[{"code": code, "name": self._unit_name(code)} for code in codes],
            on=self.day(on), audit=caller.audit())
        return self.saved(caller, review)

    def give_opinion(self, caller: Caller, review_id: UUID, opinion: str,
                     text: str | None = None, on: date | None = None,
                     expected_version: int | None = None) -> ReviewResult:
        """A reviewing unit's own opinion (出具论证意见), once."""
        review = self.load_for(caller, "opinion", review_id, expected_version)
        review.give_opinion(caller.unit or "", opinion, text, self.day(on), caller.audit())
        return self.saved(caller, review)

    def decide(self, caller: Caller, review_id: UUID, decision: str, reason: str,
               on: date | None = None, expected_version: int | None = None) -> ReviewResult:
        review = self.load_for(caller, "decide", review_id, expected_version)
        review.decide(decision, reason, self.day(on), caller.audit())
        return self.saved(caller, review)

    def register(self, caller: Caller, review_id: UUID, on: date | None = None,
                 expected_version: int | None = None) -> ReviewResult:
        """入园登记: the review and the project's park change in one transaction."""
        review = self.load_for(caller, "decide", review_id, expected_version)
        project = self.store.load(Project, review.project_id)
        day = self.day(on)
        review.register(day, caller.audit())
        project.register_in_park(review.park_id, review.park_name, review.id, day,
                                 caller.audit())
        return self.saved(caller, review, also=[project])

    def _referenced(self, cls: type[Any], item_id: UUID, field: str) -> Any:
        """An item a body names: one that does not exist is bad input (422)."""
        try:
            return self.store.load(cls, item_id)
        except NotFound:
            msg = (f"{field}: no {cls.__name__.lower()} with id {item_id} / "
                   f"{field}所指的{'项目' if cls is Project else '园区'}不存在")
            raise InvalidValue(msg) from None

    def _unit_name(self, code: str) -> str:
        unit = self.units.get(code)
        return unit.name if unit else code
