"""企业 as a case type."""

from __future__ import annotations

from api.routers import enterprises
from api.routers.common import with_routes
from application.cases import CaseType
from application.enterprises import LEDGER, EnterpriseService
from projections.enterprise_ledger import EnterpriseLedger, EnterpriseLedgerReader

CASE = with_routes(CaseType.of(
    EnterpriseService, "企业", attribute="enterprises",
    projections=(EnterpriseLedger,), ledgers=(LEDGER,),
    readers={"enterprises": EnterpriseLedgerReader},
), enterprises.ROUTES)
