"""招商项目 as a case type."""

from __future__ import annotations

from api.routers import projects
from api.routers.common import with_routes
from application.cases import CaseType
from application.projects import LEDGER, ProjectService
from projections.key_reporting import KeyReporting
from projections.project_ledger import ProjectLedger, ProjectLedgerReader

CASE = with_routes(CaseType.of(
    ProjectService, "招商项目", attribute="projects", recomputes_deadlines=True,
    projections=(ProjectLedger, KeyReporting), ledgers=(LEDGER,),
    readers={"projects": ProjectLedgerReader},
), projects.ROUTES)
