"""督查督办工作台: the supervision office's dashboard and the open items behind its figures,
read from projections (eventually consistent; `min_position` to wait for one's own writes)."""

from __future__ import annotations

from fastapi import APIRouter

from api.routers.common import read_route
from api.schemas.dashboard import DashboardPublic, OpenItemsPublic
from application.dashboard import DASHBOARD, ITEM_FILTERS

router = APIRouter(prefix="/api/v1/supervision", tags=["supervision 督查督办"])

read_route(
    router, "/dashboard", lambda side: side.dashboard.dashboard, DASHBOARD, DashboardPublic,
    "督查督办工作台",
    "Open, overdue and nearly due items by kind and by unit, projects by stage with their "
    "investment, key projects' 信息报送 for the period being reported on, and instructions "
    "and orders awaiting an answer; every figure with the `href` of the rows behind it. "
    "Bureau, supervision, leaders and admins; a unit account its own figures.")
read_route(
    router, "/items", lambda side: side.dashboard.items, ITEM_FILTERS, OpenItemsPublic,
    "督办事项: open items",
    "Every open item of the supervision view — complaints' running deadlines, projects' "
    "problems and instructions, enterprise requests, key projects' missing reports (信息报送) "
    "and the kinds other case types contribute — judged against today, soonest due first: "
    "the rows behind the dashboard's figures. A unit account sees its own.")
