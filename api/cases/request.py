"""企业诉求 as a case type."""

from __future__ import annotations

from api.routers import requests
from api.routers.common import with_routes
from application.cases import CaseType
from application.requests import LEDGER, RequestService
from projections.request_ledger import RequestLedger, RequestLedgerReader

CASE = with_routes(CaseType.of(
    RequestService, "企业诉求", attribute="requests", recomputes_deadlines=True,
    projections=(RequestLedger,), ledgers=(LEDGER,),
    readers={"requests": RequestLedgerReader},
), requests.ROUTES)
