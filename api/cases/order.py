"""督办单 as a case type; its open orders join the supervision view."""

from __future__ import annotations

import projections.order_supervision  # noqa: F401  (registers its items on the view)
from api.routers import orders
from api.routers.common import with_routes
from application.cases import CaseType
from application.orders import LEDGER, OrderService
from projections.order_ledger import OrderLedger, OrderLedgerReader

CASE = with_routes(CaseType.of(
    OrderService, "督办单", attribute="orders", recomputes_deadlines=True,
    projections=(OrderLedger,), ledgers=(LEDGER,),
    readers={"orders": OrderLedgerReader},
), orders.ROUTES)
