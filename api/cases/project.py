"""招商项目 as a case type."""

from __future__ import annotations

from api.routers import ledgers, projects
from application.cases import CaseType
from application.projects import ProjectService
from domain.project import EVENT_LABELS, Project
from projections.project_ledger import ProjectLedger

CASE = CaseType(
    kind="project", label="招商项目", aggregates=(Project,), event_labels=EVENT_LABELS,
    service=ProjectService, attribute="projects", recomputes_deadlines=True,
    routers=(projects.router, ledgers.router), projections=(ProjectLedger,),
)
