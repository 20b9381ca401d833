"""代办服务 endpoints: current state from the aggregate, one POST per step, the agency ledger
(代办台账) and the agency statistics (代办统计)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.deps import ContainerDep, CurrentCaller
from api.routers.common import CaseRoutes, Create, LedgerRoute, Step, documented
from api.schemas.agency_cases import (
    AgencyCaseCreate,
    AgencyCasePublic,
    AgencyCloseBody,
    AgencyLedgerPublic,
    AgencyReassignBody,
    AgencyStatsPublic,
    CorrectItemBody,
    ItemBody,
    MilestoneBody,
)
from application.moments import AS_OF
from application.queries import MIN_POSITION, PERIOD

router = APIRouter(prefix="/api/v1/agency-cases", tags=["agency 代办服务"])

CREATE = Create("open_case", AgencyCaseCreate, "Open an agency case (受理代办)",
                description="Bureau staff open a case for an agent (`agent` required); an agent "
                "opens its own. Exactly one of `credit_code` and `enterprise_id` names a "
                "registered enterprise; `project_id`, if given, a live project (422 otherwise).")

STEPS = (
    Step("/items", "record_item", ItemBody, "Record a permit item's status (审批事项进展)",
         description="The case's agent, or bureau staff. pending → submitted → approved or "
         "rejected (→ submitted again); any unfinished item may be not_needed, and one not "
         "needed pending again. An approval is final: correct it with /correct-item. An "
         "item's deadline runs from the first time it is open."),
    Step("/correct-item", "correct_item", CorrectItemBody,
         "Correct an item's status or date (更正)",
         description="The case's agent, or bureau staff, with the reason; `on` is the day the "
         "item really reached `status`. The only way to change an approval."),
    Step("/milestones", "reach_milestone", MilestoneBody,
         "Record a milestone (立项 / 开工 / 投产)",
         description="The case's agent, or bureau staff; each once, in order."),
    Step("/reassign", "reassign", AgencyReassignBody, "Hand the case to another agent",
         description="Bureau staff; what each agent may read follows the case."),
    Step("/close", "close", AgencyCloseBody, "Close the case (代办办结)",
         description="The case's agent, or bureau staff, with a summary; not before any "
         "recorded step."),
)
LEDGER_PAGE = LedgerRoute(
    AgencyLedgerPublic, "代办台账: agency cases, newest first",
    "An agent sees its own cases; an enterprise its own. `from`/`to`: cases active in the "
    "period (opened by its end, not closed before its start), as the statistics count them; "
    "`pending_over=N`: cases with a permit item still open more than N working days after it "
    "was first open; `overdue` marks an open case with an open item past its deadline.")
ROUTES = CaseRoutes(router, "case_id", AgencyCasePublic, CREATE, STEPS, LEDGER_PAGE)
stats = APIRouter(prefix="/api/v1", tags=["stats 统计"])


@stats.get("/stats/agency", response_model=AgencyStatsPublic, summary="代办统计",
           openapi_extra=documented({**PERIOD, "min_position": MIN_POSITION, "as_of": AS_OF}),
           description="Enterprises served by agency in the period (为N家企业开展代办服务: "
           "distinct enterprises of the cases active in it — opened by its end, not closed "
           "before its start), cases active, opened and closed, permit items approved and "
           "the median working days from an item's first submission (else first record) to "
           "its approval; by item and by agent. Bureau, supervision, leaders and admins.")
def agency_stats(request: Request, caller: CurrentCaller, c: ContainerDep
                 ) -> AgencyStatsPublic:
    with c.reading(request.query_params.multi_items()) as (side, given):
        return AgencyStatsPublic.model_validate(c.agency_cases.stats(caller, given, side.reads))
