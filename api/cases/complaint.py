"""营商环境投诉举报 as a case type."""

from __future__ import annotations

from api.routers import complaints, public
from api.routers.common import with_routes
from application.cases import CaseType
from application.complaints import LEDGER, ComplaintService
from projections.complaint_ledger import ComplaintLedger
from projections.complaint_reader import ComplaintLedgerReader

CASE = with_routes(CaseType.of(
    ComplaintService, "营商环境投诉举报", attribute="complaints", recomputes_deadlines=True,
    projections=(ComplaintLedger,), ledgers=(LEDGER,),
    readers={"complaints": ComplaintLedgerReader},
), complaints.ROUTES, public.router)
