"""企业 as a case type."""

from __future__ import annotations

from api.routers import enterprises
from application.cases import CaseType
from application.enterprises import EnterpriseService
from domain.enterprise import EVENT_LABELS, Enterprise
from projections.enterprise_ledger import EnterpriseLedger

CASE = CaseType(
    kind="enterprise", label="企业", aggregates=(Enterprise,), event_labels=EVENT_LABELS,
    service=EnterpriseService, attribute="enterprises", routers=(enterprises.router,),
    projections=(EnterpriseLedger,),
)
