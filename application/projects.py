"""Use cases of investment projects (招商项目): load → command → save, returning plain values."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from application import reporting
from application.cases import Result
from application.context import Caller
from application.key_lists import KeyListed
from application.parks import place_in_named_park
from application.queries import LedgerQuery, codes, day, flag, integer, text, words
from domain.calendar import Deadline
from domain.key_list import KEY_PROJECTS
from domain.project import EVENT_LABELS, Project, ProjectDetails, Stage

AREA_KINDS = ("county", "zone")


@dataclass(frozen=True, kw_only=True)
class ProjectState(ProjectDetails):
    """Current state of one project, as clients read it: its ledger fields (ProjectDetails)
    and how far its handling has come."""

    id: UUID
    version: int
    stage: str
    registered_on: date
    sign_date: date | None
    contract_amount: Decimal | None
    construction_date: date | None
    production_date: date | None
    terminated_on: date | None
    termination_reason: str | None
    funds_in_place: Decimal
    latest_progress: str | None
    latest_progress_period: str | None
    latest_progress_on: date | None
    key_years: list[int]
    park_id: UUID | None  # the park it is placed in (园区), once linked or registered
    park_review_id: UUID | None  # the park-entry review it was registered under (入园登记)
    problems: list[dict[str, Any]]
    instructions: list[dict[str, Any]]
    comment_count: int
    allowed_steps: list[str]
    created_at: datetime
    modified_at: datetime


ProjectResult = Result[ProjectState]


LEDGER = LedgerQuery("projects", "project.read", {
    "stage": codes(Stage, "项目阶段 stage"),
    "county": words("所在县区/开发区: unit codes of counties or zones"),
    "park": words("园区"),
    "industry": words("产业类别"),
    "unit": words("责任单位: unit codes"),
    "key": flag("A key project (重点项目) in any year"),
    "key_year": integer("On this year's key-project list (重点项目清单)", 2000, 2100),
    "park_unlinked": flag("true: a free-text park that names no registered park (for the "
                          "park office to register); false: no park, or placed in one"),
    "q": text("Text in the name or the investor"),
    **reporting.LEDGER_PARAMS,
    **{f"{prefix}_{end}": day(f"{what} on or {'after' if end == 'from' else 'before'}")
       for prefix, what in (("registered", "Registered (在谈)"), ("signed", "Signed (签约)"),
                            ("started", "Construction started (开工)"),
                            ("produced", "Production started (投产)"),
                            ("terminated", "Terminated (终止)"))
       for end in ("from", "to")},
}, periods=tuple((f"{p}_from", f"{p}_to")
                 for p in ("registered", "signed", "started", "produced", "terminated")))


class ProjectService(KeyListed[Project, ProjectState]):
    """Every use case of the project context; the key list's (重点项目清单) are KeyListed's."""

    key_list = KEY_PROJECTS
    created_event = Project.Registered
    kind = "project"
    event_labels = EVENT_LABELS
    answer_action = "handle"  # the responsible unit answers instructions (落实情况)

    # --- commands ----------------------------------------------------------------------

    def register(self, caller: Caller, details: ProjectDetails, on: date | None = None
                 ) -> ProjectResult:
        self.authorize(caller, "manage")
        details = replace(
            details,
            county=self.units.require(details.county, "county", AREA_KINDS),
            responsible_unit=self.units.require(details.responsible_unit, "responsible_unit"),
            industry=self.context.industries.require(details.industry, "industry"),
        )
        day = self.day(on)
        project = Project.register(details, day, caller.audit())
        place_in_named_park(self.store, project, day, caller.audit())
        return self.saved(caller, project)

    def sign(self, caller: Caller, project_id: UUID, date: date, contract_amount: Decimal,
             expected_version: int | None = None) -> ProjectResult:
        project = self.load_for(caller, "manage", project_id, expected_version)
        project.sign(self.day(date, "date"), contract_amount, caller.audit())
        return self.saved(caller, project)

    def start_construction(self, caller: Caller, project_id: UUID, date: date,
                           expected_version: int | None = None) -> ProjectResult:
        project = self.load_for(caller, "manage", project_id, expected_version)
        project.start_construction(self.day(date, "date"), caller.audit())
        return self.saved(caller, project)

    def start_production(self, caller: Caller, project_id: UUID, date: date,
                         expected_version: int | None = None) -> ProjectResult:
        project = self.load_for(caller, "manage", project_id, expected_version)
        project.start_production(self.day(date, "date"), caller.audit())
        return self.saved(caller, project)

    def terminate(self, caller: Caller, project_id: UUID, reason: str, on: date | None = None,
                  expected_version: int | None = None) -> ProjectResult:
        project = self.load_for(caller, "manage", project_id, expected_version)
        project.terminate(reason, self.day(on), caller.audit())
        return self.saved(caller, project)

    def correct(self, caller: Caller, project_id: UUID, field: str, value: Any, reason: str,
                on: date | None = None, expected_version: int | None = None) -> ProjectResult:
        """更正: a stage date or the contract amount recorded wrongly, put right. A corrected
        date, like the step's own, is never in the future."""
        project = self.load_for(caller, "correct", project_id, expected_version)
        if isinstance(value, date):
            value = self.day(value, str(field))
        project.correct(field, value, reason, self.day(on), caller.audit())
        return self.saved(caller, project)

    def revoke_termination(self, caller: Caller, project_id: UUID, reason: str,
                           on: date | None = None, expected_version: int | None = None
                           ) -> ProjectResult:
        """撤销终止: undo a termination recorded by mistake."""
        project = self.load_for(caller, "revoke_termination", project_id, expected_version)
        project.revoke_termination(reason, self.day(on), caller.audit())
        return self.saved(caller, project)

    def revise(self, caller: Caller, project_id: UUID, changes: dict[str, Any],
               reason: str | None = None, on: date | None = None,
               expected_version: int | None = None) -> ProjectResult:
        project = self.load_for(caller, "manage", project_id, expected_version)
        checked = dict(changes)
        if "county" in checked:
            checked["county"] = self.units.require(checked["county"], "county", AREA_KINDS)
        if checked.get("industry") is not None:  # a label is mapped to the list this way
            checked["industry"] = self.context.industries.require(checked["industry"],
                                                                  "industry")
        day = self.day(on)
        project.revise(checked, reason, day, caller.audit())
        place_in_named_park(self.store, project, day, caller.audit())
        return self.saved(caller, project)

    def reassign(self, caller: Caller, project_id: UUID, unit: str, reason: str,
                 on: date | None = None, expected_version: int | None = None) -> ProjectResult:
        project = self.load_for(caller, "manage", project_id, expected_version)
        unit = self.units.require(unit, "unit")
        project.reassign(unit, reason, self.day(on), caller.audit())
        return self.saved(caller, project)

    def report_progress(self, caller: Caller, project_id: UUID, period: str, text: str,
                        funds_in_place: Decimal | None = None, on: date | None = None,
                        expected_version: int | None = None) -> ProjectResult:
        project = self.load_for(caller, "handle", project_id, expected_version)
        project.report_progress(period, text, funds_in_place, self.day(on), caller.audit())
        return self.saved(caller, project)

    def raise_problem(self, caller: Caller, project_id: UUID, text: str, on: date | None = None,
                      expected_version: int | None = None) -> ProjectResult:
        project = self.load_for(caller, "handle", project_id, expected_version)
        day = self.day(on)
        number = project.raise_problem(text, day, caller.audit(),
                                       self.deadline("problem", day))
        return self.saved(caller, project, number)

    def resolve_problem(self, caller: Caller, project_id: UUID, number: int, resolution: str,
                        on: date | None = None, expected_version: int | None = None
                        ) -> ProjectResult:
        project = self.load_for(caller, "handle", project_id, expected_version)
        project.resolve_problem(number, resolution, self.day(on), caller.audit())
        return self.saved(caller, project)

    def comment(self, caller: Caller, project_id: UUID, text: str, on: date | None = None,
                expected_version: int | None = None) -> ProjectResult:
        project = self.load_for(caller, "comment", project_id, expected_version)
        project.comment(text, self.day(on), caller.audit())
        return self.saved(caller, project)

    # --- calendar ----------------------------------------------------------------------

    def provisional_deadlines(self, item: Project) -> list[tuple[Any, Deadline]]:
        return [((kind, number), current)
                for kind, number, current in item.provisional_deadlines()]

    def recompute_deadline(self, caller: Caller, item: Project, key: Any,
                           fresh: Deadline) -> None:
        kind, number = key
        item.recompute_deadline(kind, number, fresh, max(self.clock.today(), item.registered_on),
                                caller.audit())
