"""招商项目 endpoints: current state from the aggregate, one POST per command."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.common import CaseRoutes, Create, LedgerRoute, Step
from api.routers.instructions import STEPS as INSTRUCTION_STEPS
from api.routers.key_lists import key_list_routes
from api.schemas.key_lists import ProjectListBody
from api.schemas.projects import (
    ProgressBody,
    ProjectCorrection,
    ProjectCreate,
    ProjectLedgerPublic,
    ProjectPublic,
    ProjectRevise,
    ReasonBody,
    ReassignBody,
    ResolveBody,
    SignBody,
    StageDateBody,
    TextBody,
)

router = APIRouter(prefix="/api/v1/projects", tags=["projects 招商项目"])

CREATE = Create("register", ProjectCreate, "Register a project (在谈)")

KEY_LIST = key_list_routes("project", "重点项目清单", ProjectListBody)
STEPS = (
    Step("/revise", "revise", ProjectRevise, "Revise details"),
    Step("/sign", "sign", SignBody, "Sign (签约)"),
    Step("/start-construction", "start_construction", StageDateBody,
         "Start construction (开工)"),
    Step("/start-production", "start_production", StageDateBody, "Start production (投产)"),
    Step("/terminate", "terminate", ReasonBody, "Terminate (终止)"),
    Step("/correct", "correct", ProjectCorrection,
         "Correct a stage date or the contract amount (更正)",
         description="Bureau staff. The wrong value stays in the history; the state, ledger "
         "and statistics follow the corrected one. Only a stage reached has a date to "
         "correct, and the stage order holds (409 otherwise); `value` takes the field's type "
         "and rules (422 otherwise)."),
    Step("/revoke-termination", "revoke_termination", ReasonBody,
         "Revoke a termination recorded by mistake (撤销终止)",
         description="Bureau staff. Back to the stage the project left, with its open "
         "problems and instructions; 409 unless the project is terminated."),
    Step("/reassign", "reassign", ReassignBody, "Change the responsible unit (调整责任单位)"),
    Step("/report-progress", "report_progress", ProgressBody, "Report progress (信息报送)"),
    Step("/raise-problem", "raise_problem", TextBody, "Raise a problem (存在问题)"),
    Step("/problems/{number}/resolve", "resolve_problem", ResolveBody, "Resolve a problem"),
    Step("/comment", "comment", TextBody, "Leave a comment (沟通留言)"),
    *INSTRUCTION_STEPS,
    *KEY_LIST.steps,
)
LEDGER_PAGE = LedgerRoute(
    ProjectLedgerPublic, "项目台账",
    "One row per project, newest first, with per-stage totals over the whole filtered ledger. "
    "A unit account sees the projects it is responsible for or that lie in its county/zone.")
ROUTES = CaseRoutes(router, "project_id", ProjectPublic, CREATE, STEPS, LEDGER_PAGE,
                    then=KEY_LIST.then)
