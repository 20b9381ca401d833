"""营商环境投诉举报 as a case type."""

from __future__ import annotations

from api.routers import complaints, public
from application.cases import CaseType
from application.complaints import LEDGER, ComplaintService
from domain.complaint import EVENT_LABELS, Complaint
from projections.complaint_ledger import ComplaintLedger
from projections.complaint_reader import ComplaintLedgerReader

CASE = CaseType(
    kind="complaint", label="营商环境投诉举报", aggregates=(Complaint,),
    event_labels=EVENT_LABELS, service=ComplaintService, attribute="complaints",
    recomputes_deadlines=True,
    routers=(complaints.router, complaints.ledgers, public.router),
    projections=(ComplaintLedger,), ledgers=(LEDGER,),
    readers={"complaints": ComplaintLedgerReader},
)
