"""园区 endpoints: a park's state from the aggregate, its steps, the compliance ledger and the
industry list."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ContainerDep, CurrentCaller
from api.routers.common import CaseRoutes, Create, LedgerRoute, Step
from api.schemas.parks import (
    IndustryPublic,
    LeadingIndustriesBody,
    OutputBody,
    ParkCreate,
    ParkLedgerPublic,
    ParkPublic,
)

router = APIRouter(prefix="/api/v1/parks", tags=["parks 园区"])

CREATE = Create("register", ParkCreate, "Register a park (园区登记)",
                description="The park office (or an admin). Projects whose free-text park "
                "names the park are placed in it (关联园区, an event of the system on each "
                "project, with the text that matched); in a park that requires joint review "
                "they stay flagged 入园未登记 in the supervision view until registered.")

STEPS = (
    Step("/leading-industries", "change_leading_industries", LeadingIndustriesBody,
         "Change the leading industries (调整主导产业)",
         description="The park office, with the reason. At most 3 (柳政规〔2020〕1号): a "
         "fourth is a 409."),
    Step("/output", "report_output", OutputBody, "Report a year's output by industry (产值)",
         description="万元 per industry; a later report of the same year replaces it in the "
         "state and the ledger (the history keeps both)."),
)
LEDGER_PAGE = LedgerRoute(
    ParkLedgerPublic, "园区台账: the compliance view of 柳政规〔2020〕1号",
    "Per park, for `year` (default: last year): its leading industries, total and leading "
    "output (万元), the leading share (%), `meets_rule` (share at least 60% and at most 3 "
    "leading industries; null while no output is reported) and, when short, the points "
    "below 60% and the leading output missing at the reported total; and the projects "
    "placed in the park by stage, with investment and how many are registered (入园登记). "
    "A managing unit (管委会) sees its own parks.")
ROUTES = CaseRoutes(router, "park_id", ParkPublic, CREATE, STEPS, LEDGER_PAGE)

reference = APIRouter(tags=["units 单位"])


@reference.get("/api/v1/industries", response_model=list[IndustryPublic],
               summary="Industry reference list (产业目录)")
def industries(_caller: CurrentCaller, c: ContainerDep) -> list[IndustryPublic]:
    return [IndustryPublic(code=i.code, name=i.name) for i in c.parks.industries]
