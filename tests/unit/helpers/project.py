"""Builders for Project tests: a registered project moved along its stages on fixed dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from domain.project import Project, ProjectDetails
from domain.shared import Audit, Deadline

REGISTERED_ON = date(2026, 1, 5)
SIGNED_ON = date(2026, 2, 1)
BUILT_ON = date(2026, 3, 1)
PRODUCED_ON = date(2026, 6, 1)
TERMINATED_ON = date(2026, 7, 1)
LATER = date(2026, 12, 1)


def details(**overrides: Any) -> ProjectDetails:
    fields: dict[str, Any] = {
        "name": "新能源汽车零部件项目",
        "investor": "广西某某科技有限公司",
        "industry": "汽车",
        "total_investment": Decimal("50000"),
        "county": "liudong",
        "responsible_unit": "tcj",
    }
    fields.update(overrides)
    return ProjectDetails(**fields)


def register(audit: Audit, **overrides: Any) -> Project:
    return Project.register(details(**overrides), on=REGISTERED_ON, audit=audit)


def advance(project: Project, stage: str, audit: Audit) -> Project:
    """Move a negotiating project forward to `stage` along the normal path."""
    if stage == "terminated":
        project.terminate("投资方撤资", on=TERMINATED_ON, audit=audit)
        return project
    path = ["signed", "under_construction", "in_production"]
    steps: dict[str, Callable[[], None]] = {
        "signed": lambda: project.sign(SIGNED_ON, Decimal("30000"), audit=audit),
        "under_construction": lambda: project.start_construction(BUILT_ON, audit=audit),
        "in_production": lambda: project.start_production(PRODUCED_ON, audit=audit),
    }
    if stage != "negotiating":
        for step in path[: path.index(stage) + 1]:
            steps[step]()
    assert project.stage == stage
    return project


STAGE_COMMANDS: dict[str, Callable[[Project, Audit], None]] = {
    "sign": lambda p, a: p.sign(LATER, Decimal("1"), audit=a),
    "start_construction": lambda p, a: p.start_construction(LATER, audit=a),
    "start_production": lambda p, a: p.start_production(LATER, audit=a),
}


def event_names(project: Project) -> list[str]:
    return [type(e).__name__ for e in project.collect_events()]


def provisional_deadline() -> Deadline:
    return Deadline(start=REGISTERED_ON, working_days=3, due=date(2026, 1, 13),
                    calendar_version="rule", provisional=True)


def official_deadline() -> Deadline:
    return Deadline(start=REGISTERED_ON, working_days=3, due=date(2026, 1, 14),
                    calendar_version="official")
