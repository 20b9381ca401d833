"""入园联合论证 as a case type."""

from __future__ import annotations

from api.routers import park_entry_reviews
from application.cases import CaseType
from application.park_entry_reviews import LEDGER, ParkEntryReviewService
from domain.park_entry_review import EVENT_LABELS, ParkEntryReview
from projections.park_entry_review_ledger import (
    ParkEntryReviewLedger,
    ParkEntryReviewLedgerReader,
)

CASE = CaseType(
    kind="park_entry_review", label="入园联合论证", aggregates=(ParkEntryReview,),
    event_labels=EVENT_LABELS, service=ParkEntryReviewService,
    attribute="park_entry_reviews",
    routers=(park_entry_reviews.router, park_entry_reviews.ledgers),
    projections=(ParkEntryReviewLedger,), ledgers=(LEDGER,),
    readers={"park-entry-reviews": ParkEntryReviewLedgerReader},
)
