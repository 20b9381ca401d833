"""企业 as a case type."""

from __future__ import annotations

from api.routers import enterprises
from api.routers.common import with_routes
from application.cases import CaseType
from application.enterprises import LEDGER, EnterpriseService
from domain.enterprise import EVENT_LABELS, Enterprise
from projections.enterprise_ledger import EnterpriseLedger, EnterpriseLedgerReader

CASE = with_routes(CaseType(
    kind="enterprise", label="企业", aggregates=(Enterprise,), event_labels=EVENT_LABELS,
    service=EnterpriseService, attribute="enterprises",
    projections=(EnterpriseLedger,), ledgers=(LEDGER,),
    readers={"enterprises": EnterpriseLedgerReader},
), enterprises.ROUTES)
