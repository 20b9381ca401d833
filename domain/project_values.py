"""The values of a project (招商项目): its stages, its ledger fields and how they are checked,
and the Chinese names of its events."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from domain.shared import (
    MAX_NAME,
    Checker,
    Labelled,
    correction_labels,
    optional_day,
    optional_text,
    require_amount,
    require_day,
    require_text,
)


class Stage(Labelled):
    """Stages of a project; they only move forward."""

    negotiating = "negotiating", "在谈"
    signed = "signed", "签约"
    under_construction = "under_construction", "开工"
    in_production = "in_production", "投产"
    terminated = "terminated", "终止"




class StageDate(Labelled):
    """The business date of each stage, in stage order; the termination date closes the
    last stage reached."""

    registered_on = "registered_on", "登记日期"
    sign_date = "sign_date", "签约日期"
    construction_date = "construction_date", "开工日期"
    production_date = "production_date", "投产日期"
    terminated_on = "terminated_on", "终止日期"


class Correctable(Labelled):
    """The facts of a project's stages a correction (更正) may put right."""

    sign_date = "sign_date", "签约日期"
    contract_amount = "contract_amount", "合同金额"
    construction_date = "construction_date", "开工日期"
    production_date = "production_date", "投产日期"


CORRECTABLE: Mapping[str, Checker] = {
    Correctable.sign_date: require_day,
    Correctable.contract_amount: require_amount,
    Correctable.construction_date: require_day,
    Correctable.production_date: require_day,
}
"""Each correctable fact with its check: the rules of the step that first recorded it."""


class ItemKind(Labelled):
    """The handling items of a project that run a working-day deadline."""

    problem = "problem", "存在问题"
    instruction = "instruction", "领导批示"


OPEN_STAGES = frozenset({Stage.negotiating, Stage.signed, Stage.under_construction})
NEXT_STEP = {
    Stage.negotiating: "sign or terminate",
    Stage.signed: "start-construction or terminate",
    Stage.under_construction: "start-production or terminate",
    Stage.in_production: "no further stage",
    Stage.terminated: "nothing but comments, corrections or revoke-termination",
}
PERIOD_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12]|-W(0[1-9]|[1-4]\d|5[0-3]))?$")

REVISABLE: Mapping[str, Checker] = {
    "name": partial(require_text, limit=MAX_NAME),
    "investor": partial(require_text, limit=MAX_NAME),
    "industry": partial(require_text, limit=60),
    "total_investment": require_amount,
    "origin": partial(optional_text, limit=MAX_NAME),
    "county": partial(require_text, limit=40),
    "park": partial(optional_text, limit=MAX_NAME),
    "liaison_leader": partial(optional_text, limit=60),
    "planned_sign": optional_day,
    "planned_start": optional_day,
    "planned_production": optional_day,
}
"""The ledger fields `revise` may change, each with its check. Registration checks the same
fields by the same rules; the responsible unit changes only by reassignment."""


@dataclass(frozen=True, kw_only=True)
class ProjectFields:
    """The descriptive ledger fields of a project: its Registered event records them and
    ProjectDetails carries them in (declared once for both; named, never positional)."""

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


@dataclass(frozen=True, kw_only=True)
class ProjectDetails(ProjectFields):
    """The descriptive ledger fields of a project, checked."""

    def checked(self) -> ProjectDetails:
        return ProjectDetails(
            **{field: check(getattr(self, field), field) for field, check in REVISABLE.items()},
            responsible_unit=require_text(self.responsible_unit, "responsible_unit", limit=40),
        )

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
    "TerminationRevoked": "撤销终止",
    **correction_labels(Correctable),
    "ParkLinked": "关联园区",
    "ParkRegistered": "入园登记",
}
