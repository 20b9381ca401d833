"""诉求台账, 企业台账 and request statistics, read from projections (`min_position` to wait)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from api.deps import ContainerDep, CurrentCaller
from api.routers.ledgers import MinPosition, wait_for_position
from api.schemas.enterprises import (
    Category,
    EnterpriseLedgerPublic,
    RequestLedgerPublic,
    RequestStatsPublic,
)
from application import enterprise_authz as authz
from domain.credit_code import normalize_credit_code
from domain.enterprise_request import CATEGORY_LABELS, STATUS_LABELS
from domain.errors import InvalidValue
from projections.enterprise_ledger import EnterpriseFilter, EnterpriseLedger, query_enterprises
from projections.request_ledger import (
    RequestFilter,
    RequestLedger,
    query_requests,
    request_stats,
)

router = APIRouter(tags=["ledgers 台账"])

Status = Literal["raised", "assigned", "in_progress", "answered", "confirmed", "reopened",
                 "closed"]
Limit = Annotated[int, Query(ge=1, le=500)]


def _period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and start > end:
        msg = f"the period starts {start} after it ends {end}"
        raise InvalidValue(msg)


@router.get("/api/v1/ledgers/requests", response_model=RequestLedgerPublic,
            summary="诉求台账: enterprise requests, newest first",
            description="A unit sees the requests it is or was assigned; an enterprise its "
            "own. `unit` matches the current lead or co-unit; `overdue` means being handled "
            "(assigned or in progress) with the due date before today.")
def request_ledger(
    caller: CurrentCaller, c: ContainerDep,
    category: Category | None = None, status: Status | None = None,
    unit: str | None = None,
    enterprise: Annotated[str | None, Query(description="Credit code")] = None,
    project: UUID | None = None,
    raised_from: Annotated[date | None, Query(description="Raised on or after")] = None,
    raised_to: Annotated[date | None, Query(description="Raised on or before")] = None,
    overdue: bool | None = None,
    limit: Limit = 50, cursor: str | None = None, min_position: MinPosition = None,
) -> RequestLedgerPublic:
    scope = authz.scope(caller, "enterprise requests")
    _period(raised_from, raised_to)
    position = wait_for_position(c, RequestLedger.name, min_position)
    filters = RequestFilter(
        category=category, status=status, unit=unit,
        enterprise=normalize_credit_code(enterprise) if enterprise else None,
        project=str(project) if project else None, raised_from=raised_from,
        raised_to=raised_to, overdue=overdue, scope_unit=scope.unit,
        scope_enterprise=scope.enterprise)
    try:
        page = query_requests(c.views, filters, c.clock.today(), limit, cursor)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    items = [{**row, "category_label": CATEGORY_LABELS[row["category"]],
              "status_label": STATUS_LABELS[row["status"]]} for row in page.items]
    return RequestLedgerPublic.model_validate({
        "items": items, "count": page.count, "next_cursor": page.next_cursor,
        "position": position})


@router.get("/api/v1/ledgers/enterprises", response_model=EnterpriseLedgerPublic,
            summary="企业台账: enterprises with linked leader, visits and open requests",
            description="A unit sees the enterprises of its county or zone; an enterprise "
            "itself. `q` matches text in the name or the credit code.")
def enterprise_ledger(
    caller: CurrentCaller, c: ContainerDep,
    county: str | None = None, leader: str | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Limit = 50, cursor: str | None = None, min_position: MinPosition = None,
) -> EnterpriseLedgerPublic:
    scope = authz.scope(caller, "enterprises")
    position = wait_for_position(c, EnterpriseLedger.name, min_position)
    filters = EnterpriseFilter(county=county, leader=leader, q=q or None,
                               scope_county=scope.unit, scope_enterprise=scope.enterprise)
    try:
        page = query_enterprises(c.views, filters, limit, cursor)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    return EnterpriseLedgerPublic.model_validate({
        "items": page.items, "count": page.count, "next_cursor": page.next_cursor,
        "position": position})


@router.get("/api/v1/stats/requests", response_model=RequestStatsPublic,
            tags=["stats 统计"], summary="Enterprise requests raised and solved in a period",
            description=(
                "`from` and `to` are business dates, both inclusive and both optional (an "
                "open end counts from the first or up to the last record). **Raised**: "
                "requests whose raised date is in the period. **Resolved** (解决): requests "
                "whose standing outcome is `resolved` (已解决) or `partly_resolved` (部分解决) "
                "and was recorded in the period; an outcome the enterprise rejected "
                "(unsatisfied, 重办) no longer stands, so each request counts at most once, "
                "when its accepted outcome was recorded. `solved_projects` and "
                "`solved_enterprises` count the distinct projects and enterprises those "
                "solved problems belong to (requests without a project count in no project) "
                "— the seed's “帮助企业解决…133个项目共计177个问题”. By unit: `lead` and `co` "
                "count requests raised in the period that the unit currently leads or "
                "co-handles; `resolved` the solved requests it led. Bureau, supervision, "
                "leaders and admins."))
def stats(
    caller: CurrentCaller, c: ContainerDep,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
    min_position: MinPosition = None,
) -> RequestStatsPublic:
    authz.require_read_stats(caller)
    _period(start, end)
    position = wait_for_position(c, RequestLedger.name, min_position)
    figures = request_stats(c.views, start, end)
    by_category = {code: {"label": label, **figures["by_category"].get(
        code, {"raised": 0, "resolved": 0})} for code, label in CATEGORY_LABELS.items()}
    summary = (f"帮助{figures['solved_enterprises']}家企业解决{figures['solved_projects']}"
               f"个项目共计{figures['resolved']}个问题")
    return RequestStatsPublic.model_validate({
        **figures, "from": start, "to": end, "by_category": by_category, "summary": summary,
        "position": position})
