"""园区 as a case type; its item in the supervision view is 入园未登记."""

from __future__ import annotations

import projections.park_supervision  # noqa: F401  (contributes 入园未登记 to the view)
from api.routers import parks
from api.routers.common import with_routes
from application.cases import CaseType
from application.parks import LEDGER, ParkService
from projections.park_ledger import ParkLedger, ParkLedgerReader

CASE = with_routes(CaseType.of(
    ParkService, "园区", attribute="parks",
    projections=(ParkLedger,), ledgers=(LEDGER,),
    readers={"parks": ParkLedgerReader},
), parks.ROUTES, parks.reference)
