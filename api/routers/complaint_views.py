"""Read side of complaints: the complaint ledger (投诉台账), the supervision view of overdue
and nearly due work (督查督办) and the complaint statistics. All read projections
(eventually consistent; `min_position` to wait for one's own writes)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import ContainerDep, CurrentCaller
from api.routers.ledgers import MinPosition, wait_for_position
from api.schemas.complaint_views import (
    ComplaintLedgerPublic,
    ComplaintStatsPublic,
    SupervisionPublic,
    UnitStatsListPublic,
)
from api.schemas.complaints import Category, Channel
from application import authz
from domain.complaint import Status
from domain.errors import InvalidValue
from projections.complaint_ledger import ComplaintFilter, ComplaintLedger, query_complaints
from projections.complaint_stats import Period, complaint_counts, unit_performance
from projections.supervision import SupervisionItems, query_supervision

router = APIRouter(prefix="/api/v1")

From = Annotated[date | None, Query(alias="from", description="First business date of the "
                                    "period (inclusive); default: no lower bound")]
To = Annotated[date | None, Query(alias="to", description="Last business date of the period "
                                  "(inclusive); default: no upper bound")]


def _unit_name(c: ContainerDep, code: str) -> str | None:
    unit = c.units.get(code)
    return unit.name if unit else None


def _period(start: date | None, end: date | None) -> Period:
    period = Period(start, end)
    try:
        period.bounds()
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    return period


@router.get("/ledgers/complaints", response_model=ComplaintLedgerPublic, summary="投诉台账",
            tags=["ledgers 台账"])
def complaint_ledger(
    caller: CurrentCaller, c: ContainerDep,
    status: Status | None = None,
    unit: Annotated[str | None, Query(description="The unit now assigned (承办单位)")] = None,
    respondent_unit: Annotated[str | None, Query(description="被投诉单位")] = None,
    channel: Channel | None = None,  # type: ignore[valid-type]
    category: Category | None = None,  # type: ignore[valid-type]
    received_from: Annotated[date | None, Query(description="Received on or after")] = None,
    received_to: Annotated[date | None, Query(description="Received on or before")] = None,
    overdue: Annotated[bool | None, Query(description=(
        "true: open complaints whose running deadline's due date is before today (超期); "
        "false: all others"))] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: str | None = None,
    min_position: MinPosition = None,
) -> ComplaintLedgerPublic:
    """One row per complaint, newest first, without personal data. A unit account sees the
    complaints now assigned to it, an enterprise account those it filed."""
    scope = authz.complaint_scope(caller)
    position = wait_for_position(c, ComplaintLedger.name, min_position)
    filters = ComplaintFilter(
        status=status.value if status else None, unit=unit, respondent_unit=respondent_unit,
        channel=channel.value if channel else None,
        category=category.value if category else None, received_from=received_from,
        received_to=received_to, overdue=overdue, today=c.clock.today(),
        scope_unit=scope.unit, scope_enterprise=scope.enterprise)
    try:
        page = query_complaints(c.views, filters, limit, cursor)
    except ValueError as exc:
        raise InvalidValue(str(exc)) from None
    return ComplaintLedgerPublic.model_validate({
        "items": page.items, "count": page.count, "next_cursor": page.next_cursor,
        "position": position})


@router.get("/supervision/overdue", response_model=SupervisionPublic,
            summary="超期与临期事项 (督查督办)", tags=["supervision 督查督办"])
def supervision_overdue(
    caller: CurrentCaller, c: ContainerDep,
    unit: Annotated[str | None, Query(description="Only this unit's items")] = None,
    min_position: MinPosition = None,
) -> SupervisionPublic:
    """Every open item past its due date (超期) or due within `nearly_due_days` working days
    (临期), as of today: complaints' running acceptance, reply (extension applied) and
    callback deadlines, projects' open problems and unanswered instructions, and assigned
    enterprise requests awaiting their outcome; grouped by the unit that must act. A unit
    account sees its own items only."""
    scope = authz.supervision_scope(caller)
    position = wait_for_position(c, SupervisionItems.name, min_position)
    today = c.clock.today()
    days = c.settings.nearly_due_days
    groups = query_supervision(c.views, c.calendar, today, days, unit=unit, scope_unit=scope)
    for group in groups:
        group["unit_name"] = _unit_name(c, group["unit"])
    return SupervisionPublic.model_validate({
        "today": today, "nearly_due_days": days, "units": groups, "position": position,
        "overdue": sum(g["overdue"] for g in groups),
        "nearly_due": sum(g["nearly_due"] for g in groups)})


@router.get("/stats/units", response_model=UnitStatsListPublic, summary="单位办理绩效",
            tags=["stats 统计"])
def unit_stats(caller: CurrentCaller, c: ContainerDep, start: From = None, end: To = None,
               min_position: MinPosition = None) -> UnitStatsListPublic:
    """Per unit, over the complaint assignments (交办) made to it in the period: response
    rate (签收及时率: acknowledged — or returned — within `acknowledge_days` working days of
    the assignment; judged once answered or once that date has passed), on-time reply rate
    (按期答复率: replied on or before the reply due date, extension applied, over the replies
    plus the unreplied assignments already past it; returned assignments left out) and
    satisfaction rate (满意率: satisfied or basically satisfied over callbacks recorded).
    Pending assignments are judged against today."""
    authz.require_read_stats(caller)
    position = wait_for_position(c, ComplaintLedger.name, min_position)
    today = c.clock.today()
    rows: list[dict[str, Any]] = unit_performance(
        c.views, _period(start, end), c.calendar, c.policy.acknowledge_days, today)
    for row in rows:
        row["unit_name"] = _unit_name(c, row["unit"])
    return UnitStatsListPublic.model_validate({
        "period": {"from": start, "to": end}, "today": today,
        "acknowledge_days": c.policy.acknowledge_days, "units": rows, "position": position})


@router.get("/stats/complaints", response_model=ComplaintStatsPublic, summary="投诉统计",
            tags=["stats 统计"])
def complaint_stats(caller: CurrentCaller, c: ContainerDep, start: From = None,
                    end: To = None, min_position: MinPosition = None) -> ComplaintStatsPublic:
    """Complaints in the period, in total, by channel and by category: received (by date
    received), accepted (受理), declined (不予受理), closed (办结) — each by the business date
    of that step — and closed on time (按期办结): closed in the period, with the final reply
    made on or before its reply due date, extension applied."""
    authz.require_read_stats(caller)
    position = wait_for_position(c, ComplaintLedger.name, min_position)
    counts = complaint_counts(c.views, _period(start, end))
    return ComplaintStatsPublic.model_validate({
        **counts, "period": {"from": start, "to": end}, "position": position})
