"""企业 endpoints: registration, details, linked leader (挂钩联系) and visits (调研/座谈)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel

from api.deps import ContainerDep, CurrentCaller
from api.routers.common import CaseRoutes, Create, LedgerRoute, Step, public_of, set_etag
from api.routers.key_lists import key_list_routes
from api.schemas.common import CREDIT_CODE_DESCRIPTION, CREDIT_CODE_PATTERN
from api.schemas.enterprises import (
    EnterpriseCreate,
    EnterpriseLedgerPublic,
    EnterprisePublic,
    EnterpriseRevise,
    LinkLeaderBody,
    UnlinkLeaderBody,
    VisitBody,
    VisitRecordedPublic,
)
from api.schemas.key_lists import EnterpriseListBody

router = APIRouter(prefix="/api/v1/enterprises", tags=["enterprises 企业"])
public = public_of(EnterprisePublic)

CREATE = Create("register", EnterpriseCreate, "Register an enterprise (企业登记)",
                description="One enterprise per credit code: registering a code again is "
                "409; a code failing the GB 32100 check is 422 with the reason.")


@router.get("/by-code/{credit_code}", response_model=EnterprisePublic,
            summary="Current state, found by credit code")
def get_by_code(credit_code: Annotated[str, Path(
                    description=CREDIT_CODE_DESCRIPTION,
                    json_schema_extra={"pattern": CREDIT_CODE_PATTERN})],
                caller: CurrentCaller, c: ContainerDep, response: Response) -> BaseModel:
    state = c.enterprises.get_by_code(caller, credit_code)
    set_etag(response, state.version)
    return public(state)


KEY_LIST = key_list_routes("enterprise", "重点企业名单", EnterpriseListBody)
STEPS = (
    Step("/revise", "revise", EnterpriseRevise, "Revise name, industry, county or contacts"),
    Step("/link-leader", "link_leader", LinkLeaderBody,
         "Link a leader (挂钩联系领导); replaces the current one"),
    Step("/unlink-leader", "unlink_leader", UnlinkLeaderBody,
         "End the leader link (解除挂钩联系)"),
    Step("/visits", "record_visit", VisitBody, "Record a visit (调研) or forum (座谈)",
         description="Bureau staff, or the leader linked to the enterprise. Returns the "
         "enterprise with the new visit's number.",
         response_model=VisitRecordedPublic, numbered="visit_number"),
    *KEY_LIST.steps,
)
LEDGER_PAGE = LedgerRoute(
    EnterpriseLedgerPublic,
    "企业台账: enterprises with linked leader, visits and open requests",
    "A unit sees the enterprises of its county or zone; an enterprise itself. `q` matches "
    "text in the name or the credit code.")
ROUTES = CaseRoutes(router, "enterprise_id", EnterprisePublic, CREATE, STEPS, LEDGER_PAGE,
                    then=KEY_LIST.then)
