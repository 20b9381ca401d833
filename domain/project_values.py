"""The values of a project (招商项目): its stages, its ledger fields and how they are checked,
and the Chinese names of its events."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from domain.errors import InvalidValue
from domain.shared import MAX_NAME, optional_text, require_amount, require_text


class Stage(StrEnum):
    """Stages of a project; they only move forward."""

    negotiating = "negotiating"  # 在谈
    signed = "signed"  # 签约
    under_construction = "under_construction"  # 开工
    in_production = "in_production"  # 投产
    terminated = "terminated"  # 终止


STAGE_LABELS = {
    "negotiating": "在谈",
    "signed": "签约",
    "under_construction": "开工",
    "in_production": "投产",
    "terminated": "终止",
}
OPEN_STAGES = frozenset({Stage.negotiating, Stage.signed, Stage.under_construction})
NEXT_STEP = {
    Stage.negotiating: "sign or terminate",
    Stage.signed: "start-construction or terminate",
    Stage.under_construction: "start-production or terminate",
    Stage.in_production: "no further stage",
    Stage.terminated: "nothing but comments",
}
PERIOD_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12]|-W(0[1-9]|[1-4]\d|5[0-3]))?$")

# Fields `revise` may change, with their checker.
REVISABLE = ("name", "investor", "industry", "total_investment", "origin", "county", "park",
             "liaison_leader", "planned_sign", "planned_start", "planned_production")


@dataclass(frozen=True)
class ProjectDetails:
    """The descriptive ledger fields of a project, checked."""

    name: str
    investor: str
    industry: str
    total_investment: Decimal
    county: str
    responsible_unit: str
    park: str | None = None
    origin: str | None = None
    liaison_leader: str | None = None
    planned_sign: date | None = None
    planned_start: date | None = None
    planned_production: date | None = None

    def checked(self) -> ProjectDetails:
        return ProjectDetails(
            name=require_text(self.name, "name", limit=MAX_NAME),
            investor=require_text(self.investor, "investor", limit=MAX_NAME),
            industry=require_text(self.industry, "industry", limit=60),
            total_investment=require_amount(self.total_investment, "total_investment"),
            county=require_text(self.county, "county", limit=40),
            responsible_unit=require_text(self.responsible_unit, "responsible_unit", limit=40),
            park=optional_text(self.park, "park", limit=MAX_NAME),
            origin=optional_text(self.origin, "origin", limit=MAX_NAME),
            liaison_leader=optional_text(self.liaison_leader, "liaison_leader", limit=60),
            planned_sign=self.planned_sign,
            planned_start=self.planned_start,
            planned_production=self.planned_production,
        )


def check_revision(changes: dict[str, Any]) -> dict[str, Any]:
    """Check the fields of a revision; unknown fields and empty revisions are refused."""
    unknown = sorted(set(changes) - set(REVISABLE))
    if unknown:
        msg = f"cannot revise {', '.join(unknown)}; revisable fields are {', '.join(REVISABLE)}"
        raise InvalidValue(msg)
    if not changes:
        msg = "a revision must change at least one field"
        raise InvalidValue(msg)
    checked: dict[str, Any] = {}
    for field, value in changes.items():
        if field in ("name", "investor"):
            checked[field] = require_text(value, field, limit=MAX_NAME)
        elif field == "industry":
            checked[field] = require_text(value, field, limit=60)
        elif field == "county":
            checked[field] = require_text(value, field, limit=40)
        elif field == "liaison_leader":
            checked[field] = optional_text(value, field, limit=60)
        elif field == "total_investment":
            checked[field] = require_amount(value, field)
        elif field in ("origin", "park"):
            checked[field] = optional_text(value, field, limit=MAX_NAME)
        else:
            if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
                msg = f"{field} must be a date, got {value!r}"
                raise InvalidValue(msg)
            checked[field] = value
    return checked

EVENT_LABELS = {
    "Registered": "登记在谈",
    "DetailsRevised": "修改项目信息",
    "Signed": "签约",
    "ConstructionStarted": "开工",
    "ProductionStarted": "投产",
    "Terminated": "终止",
    "UnitReassigned": "调整责任单位",
    "ProgressReported": "信息报送",
    "ProblemRaised": "提出存在问题",
    "ProblemResolved": "问题解决",
    "Commented": "沟通留言",
    "InstructionGiven": "领导批示",
    "InstructionAnswered": "落实情况",
    "KeyProjectDesignated": "列入重点项目清单",
    "KeyProjectDropped": "移出重点项目清单",
    "DeadlineRecomputed": "重算期限",
}
