"""入园联合论证 endpoints: a review's state from the aggregate, one POST per step, its ledger."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.common import CaseRoutes, Create, LedgerRoute, Step
from api.schemas.parks import (
    DecideBody,
    OpinionBody,
    RegisterBody,
    ReviewCreate,
    ReviewLedgerPublic,
    ReviewPublic,
)

router = APIRouter(prefix="/api/v1/park-entry-reviews", tags=["parks 园区"])

CREATE = Create("open", ReviewCreate, "Open a park-entry review (入园联合论证)",
                description="The park office. The reviewing units are the configured "
                "LEDGER_REVIEW_UNITS and the park's managing unit. A project whose industry "
                "is not among the park's leading industries is flagged "
                "(`industry_outside_leading`), not refused.")

STEPS = (
    Step("/opinions", "give_opinion", OpinionBody, "Give the unit's opinion (出具论证意见)",
         description="A reviewing unit, for itself, once (a second is a 409); a unit outside "
         "the review is refused (403)."),
    Step("/decide", "decide", DecideBody, "Decide (论证结论)",
         description="The park office, once every reviewing unit has given its opinion (409 "
         "naming the units still missing); a review a unit rejected cannot be approved."),
    Step("/register", "register", RegisterBody, "Register the project in the park (入园登记)",
         body_optional=True,
         description="The park office, after approval: the project's park is set (an event "
         "on the project, in the same transaction)."),
)
LEDGER_PAGE = LedgerRoute(
    ReviewLedgerPublic, "入园联合论证台账: park-entry reviews, newest first",
    "A reviewing unit sees the reviews it takes part in; `awaiting=CODE` lists those still "
    "waiting for that unit's opinion.")
ROUTES = CaseRoutes(router, "review_id", ReviewPublic, CREATE, STEPS, LEDGER_PAGE)
