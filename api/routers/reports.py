"""督查督办 and 统计: the supervision view and the statistics, read from projections
(eventually consistent; `min_position` to wait for one's own writes)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from api.routers.common import read_route
from api.schemas.complaint_views import SupervisionPublic
from api.schemas.stats import (
    ComplaintStatsPublic,
    ProjectStatsPublic,
    RequestStatsPublic,
    UnitStatsListPublic,
)
from application.queries import PERIOD, Param
from application.reports import SUPERVISION, Reports

router = APIRouter(prefix="/api/v1")


def report_route(path: str, report: Callable[[Reports], Callable[..., dict[str, Any]]],
                 params: Mapping[str, Param], model: type[BaseModel], summary: str, tag: str,
                 description: str) -> None:
    """GET `path`: the report as the caller may see it, with the log position it includes."""
    read_route(router, path, lambda side: report(side.reports), params, model, summary, description,
               [tag])


report_route(
    "/supervision/overdue", lambda r: r.supervision, SUPERVISION, SupervisionPublic,
    "超期与临期事项 (督查督办)", "supervision 督查督办",
    "Every open item past its due date (超期) or due within `nearly_due_days` working days "
    "(临期), as of today: complaints' running acceptance, reply (extension applied) and "
    "callback deadlines, projects' open problems and unanswered instructions, signed "
    "projects not yet started by their planned start (计划开工) and projects under "
    "construction not yet producing by their planned production date (计划投产), and "
    "assigned enterprise requests awaiting their outcome; grouped by the unit that must act. "
    "A unit account sees its own items only.")
report_route(
    "/stats/units", lambda r: r.unit_performance, PERIOD, UnitStatsListPublic, "单位办理绩效",
    "stats 统计",
    "Per unit, over the complaint assignments (交办) made to it in the period: response rate "
    "(签收及时率: acknowledged — or returned — within `acknowledge_days` working days of the "
    "assignment; judged once answered or once that date has passed), on-time reply rate "
    "(按期答复率: replied on or before the reply due date, extension applied, over the replies "
    "plus the unreplied assignments already past it; returned assignments left out) and "
    "satisfaction rate (满意率: satisfied or basically satisfied over callbacks recorded). "
    "Pending assignments are judged against today.")
report_route(
    "/stats/complaints", lambda r: r.complaint_counts, PERIOD, ComplaintStatsPublic,
    "投诉统计", "stats 统计",
    "Complaints in the period, in total, by channel and by category: received (by date "
    "received), accepted (受理), declined (不予受理), closed (办结) — each by the business date "
    "of that step — and closed on time (按期办结): closed in the period, with the final reply "
    "made on or before its reply due date, extension applied.")
report_route(
    "/stats/requests", lambda r: r.request_stats, PERIOD, RequestStatsPublic,
    "Enterprise requests raised and solved in a period", "stats 统计",
    "`from` and `to` are business dates, both inclusive and both optional (an open end counts "
    "from the first or up to the last record). **Raised**: requests whose raised date is in "
    "the period. **Resolved** (解决): requests whose standing outcome is `resolved` (已解决) or "
    "`partly_resolved` (部分解决) and was recorded in the period; an outcome the enterprise "
    "rejected (unsatisfied, 重办) no longer stands, so each request counts at most once, when "
    "its accepted outcome was recorded. `solved_projects` and `solved_enterprises` count the "
    "distinct projects and enterprises those solved problems belong to (requests without a "
    "project count in no project) — the seed's “帮助企业解决…133个项目共计177个问题”. By unit: "
    "`lead` and `co` count requests raised in the period that the unit currently leads or "
    "co-handles; `resolved` the solved requests it led. Bureau, supervision, leaders and "
    "admins.")
report_route(
    "/stats/projects", lambda r: r.project_stats, PERIOD, ProjectStatsPublic,
    "项目统计 (在谈/签约/开工/投产)", "stats 统计",
    "Projects registered (在谈), signed (签约), started (开工) and put into production (投产) "
    "in the period, each with the number of projects, their planned total investment "
    "(总投资额) and their contract amounts (合同金额), in 万元: in total and by month, county, "
    "responsible unit and industry. A project counts in a stage when its date of that stage "
    "(registration, sign, construction or production date) is in the period, so one project "
    "may count in several stages, and a project terminated later still counts in the stages "
    "it reached; county, unit and industry are the project's current ones. Read from the "
    "project ledger. Bureau, supervision, leaders and admins.")
