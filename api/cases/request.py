"""企业诉求 as a case type."""

from __future__ import annotations

from api.routers import enterprise_ledgers, requests
from application.cases import CaseType
from application.requests import RequestService
from domain.enterprise_request import EVENT_LABELS, EnterpriseRequest
from projections.request_ledger import RequestLedger

CASE = CaseType(
    kind="request", label="企业诉求", aggregates=(EnterpriseRequest,),
    event_labels=EVENT_LABELS, service=RequestService, attribute="requests",
    recomputes_deadlines=True, routers=(requests.router, enterprise_ledgers.router),
    projections=(RequestLedger,),
)
