"""入园联合论证 as a case type."""

from __future__ import annotations

from api.routers import park_entry_reviews
from api.routers.common import with_routes
from application.cases import CaseType
from application.park_entry_reviews import LEDGER, ParkEntryReviewService
from projections.park_entry_review_ledger import (
    ParkEntryReviewLedger,
    ParkEntryReviewLedgerReader,
)

CASE = with_routes(CaseType.of(
    ParkEntryReviewService, "入园联合论证", attribute="park_entry_reviews",
    projections=(ParkEntryReviewLedger,), ledgers=(LEDGER,),
    readers={"park-entry-reviews": ParkEntryReviewLedgerReader},
), park_entry_reviews.ROUTES)
