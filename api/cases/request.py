"""企业诉求 as a case type."""

from __future__ import annotations

from api.routers import requests
from api.routers.common import with_routes
from application.cases import CaseType
from application.requests import LEDGER, RequestService
from domain.enterprise_request import EVENT_LABELS, EnterpriseRequest
from projections.request_ledger import RequestLedger, RequestLedgerReader

CASE = with_routes(CaseType(
    kind="request", label="企业诉求", aggregates=(EnterpriseRequest,),
    event_labels=EVENT_LABELS, service=RequestService, attribute="requests",
    recomputes_deadlines=True, projections=(RequestLedger,), ledgers=(LEDGER,),
    readers={"requests": RequestLedgerReader},
), requests.ROUTES)
