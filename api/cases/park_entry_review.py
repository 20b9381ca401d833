"""入园联合论证 as a case type."""

from __future__ import annotations

from api.routers import park_entry_reviews
from api.routers.common import with_routes
from application.cases import CaseType
from application.park_entry_reviews import LEDGER, ParkEntryReviewService
from domain.park_entry_review import EVENT_LABELS, ParkEntryReview
from projections.park_entry_review_ledger import (
    ParkEntryReviewLedger,
    ParkEntryReviewLedgerReader,
)

CASE = with_routes(CaseType(
    kind="park_entry_review", label="入园联合论证", aggregates=(ParkEntryReview,),
    event_labels=EVENT_LABELS, service=ParkEntryReviewService,
    attribute="park_entry_reviews",
    projections=(ParkEntryReviewLedger,), ledgers=(LEDGER,),
    readers={"park-entry-reviews": ParkEntryReviewLedgerReader},
), park_entry_reviews.ROUTES)
