"""招商项目 as a case type."""

from __future__ import annotations

from api.routers import projects
from application.cases import CaseType
from application.projects import LEDGER, ProjectService
from domain.project import EVENT_LABELS, Project
from projections.key_reporting import KeyReporting
from projections.project_ledger import ProjectLedger, ProjectLedgerReader

CASE = CaseType(
    kind="project", label="招商项目", aggregates=(Project,), event_labels=EVENT_LABELS,
    service=ProjectService, attribute="projects", recomputes_deadlines=True,
    routers=(projects.router, projects.ledgers), projections=(ProjectLedger, KeyReporting),
    ledgers=(LEDGER,), readers={"projects": ProjectLedgerReader},
)
