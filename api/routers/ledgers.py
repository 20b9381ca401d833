"""台账: ledgers read from projections (eventually consistent; `min_position` to wait)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import ContainerDep, CurrentCaller
from api.schemas.projects import ProjectLedgerPublic
from application import authz
from application.errors import NotReady
from domain.errors import InvalidValue
from domain.project import STAGE_LABELS, Stage
from projections.project_ledger import LedgerFilter, query_ledger
from projections.project_ledger import ProjectLedger as ProjectLedgerView

router = APIRouter(prefix="/api/v1/ledgers", tags=["ledgers 台账"])

MinPosition = Annotated[int | None, Query(ge=0, description=(
    "Wait (bounded) until the ledger includes this global log position, as returned in "
    "X-Ledger-Position by a command; 503 with Retry-After if it does not in time."))]


def wait_for_position(c: ContainerDep, projection: str, min_position: int | None) -> int:
    """Block until `projection` includes min_position; its position afterwards."""
    if min_position is not None and min_position > 0:
        head = c.ledger.head()
        if min_position > head:
            msg = f"min_position {min_position} is beyond the head of the log ({head})"
            raise InvalidValue(msg)
        if not c.follower.wait_for(projection, min_position, c.settings.wait_timeout):
            msg = (f"the {projection} ledger has not reached position {min_position} yet "
                   f"(at {c.follower.position(projection)}); retry shortly")
            raise NotReady(msg)
    return c.follower.position(projection)


@router.get("/projects", response_model=ProjectLedgerPublic, summary="项目台账")
def project_ledger(
    caller: CurrentCaller, c: ContainerDep,
    stage: Stage | None = None, county: str | None = None, park: str | None = None,
    industry: str | None = None, unit: str | None = None,
    key: Annotated[bool | None, Query(description="Key project in any year")] = None,
    key_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    q: Annotated[str | None, Query(max_length=100, description="Text in name or investor")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
    min_position: MinPosition = None,
) -> ProjectLedgerPublic:
    scope = authz.project_scope(caller)
    position = wait_for_position(c, ProjectLedgerView.name, min_position)
    filters = LedgerFilter(stage=stage.value if stage else None, county=county, park=park,
                           industry=industry, unit=unit, key=key, key_year=key_year,
                           q=q or None, scope_unit=scope)
    try:
        page = query_ledger(c.views, filters, limit, cursor)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    items = [{**row, "stage_label": STAGE_LABELS[row["stage"]]} for row in page.items]
    return ProjectLedgerPublic.model_validate({
        "items": items, "count": page.count, "next_cursor": page.next_cursor,
        "totals": page.totals, "position": position})
