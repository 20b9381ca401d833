"""代办服务 as a case type; its permit items join the supervision view
(projections/agency_supervision.py)."""

from __future__ import annotations

from api.routers import agency_cases
from api.routers.common import with_routes
from application.agency import LEDGER, AgencyService
from application.agency_stats import READER
from application.cases import CaseType
from domain.agency_case import AgentCases
from projections import agency_supervision  # noqa: F401  (registers its handlers)
from projections.agency_ledger import AgencyLedger, AgencyLedgerReader
from projections.agency_stats import AgencyStatsReader

CASE = with_routes(CaseType.of(
    AgencyService, "代办服务", also=(AgentCases,),
    more_labels={"Started": "代办员名下", "CaseTaken": "接手代办", "CaseHandedOver": "移交代办"},
    attribute="agency_cases", recomputes_deadlines=True,
    projections=(AgencyLedger,), ledgers=(LEDGER,),
    readers={LEDGER.name: AgencyLedgerReader, READER: AgencyStatsReader},
), agency_cases.ROUTES, agency_cases.stats)
