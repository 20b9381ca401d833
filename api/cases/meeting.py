"""协调推进会 as a case type; its open action items join the supervision view."""

from __future__ import annotations

import projections.meeting_supervision  # noqa: F401  (registers its items on the view)
from api.routers import meetings
from api.routers.common import with_routes
from application.cases import CaseType
from application.meetings import LEDGER, MeetingService
from projections.meeting_ledger import MeetingLedger, MeetingLedgerReader

CASE = with_routes(CaseType.of(
    MeetingService, "协调推进会", attribute="meetings",
    projections=(MeetingLedger,), ledgers=(LEDGER,),
    readers={"meetings": MeetingLedgerReader},
), meetings.ROUTES)
