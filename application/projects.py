"""Use cases of investment projects (招商项目): load → command → save, returning plain values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from application import authz
from application.calendar import DeadlinePolicy
from application.context import Caller, Clock
from application.history import HistoryEntry, history_entries
from application.store import Store, check_version
from application.units import Units
from domain.calendar import WorkingCalendar
from domain.project import EVENT_LABELS, Project, ProjectDetails
from domain.shared import Audit

AREA_KINDS = ("county", "zone")


@dataclass(frozen=True)
class ProjectState:
    """Current state of one project, as clients read it."""

    id: UUID
    version: int
    stage: str
    name: str
    investor: str
    industry: str
    total_investment: Decimal
    county: str
    responsible_unit: str
    park: str | None
    origin: str | None
    liaison_leader: str | None
    planned_sign: date | None
    planned_start: date | None
    planned_production: date | None
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
    problems: list[dict[str, Any]]
    instructions: list[dict[str, Any]]
    comment_count: int
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, p: Project) -> ProjectState:
        return cls(
            id=p.id, version=p.version, stage=p.stage, name=p.name, investor=p.investor,
            industry=p.industry, total_investment=p.total_investment, county=p.county,
            responsible_unit=p.responsible_unit, park=p.park, origin=p.origin,
            liaison_leader=p.liaison_leader, planned_sign=p.planned_sign,
            planned_start=p.planned_start, planned_production=p.planned_production,
            registered_on=p.registered_on, sign_date=p.sign_date,
            contract_amount=p.contract_amount, construction_date=p.construction_date,
            production_date=p.production_date, terminated_on=p.terminated_on,
            termination_reason=p.termination_reason, funds_in_place=p.funds_in_place,
            latest_progress=p.latest_progress, latest_progress_period=p.latest_progress_period,
            latest_progress_on=p.latest_progress_on, key_years=list(p.key_years),
            problems=[dict(x) for x in p.problems],
            instructions=[dict(x) for x in p.instructions], comment_count=p.comment_count,
            created_at=p.created_on, modified_at=p.modified_on,
        )


@dataclass(frozen=True)
class ProjectResult:
    """A command's outcome: the new state and the global log position of its last event."""

    state: ProjectState
    position: int
    extra: dict[str, Any] = field(default_factory=dict)


class ProjectService:
    """Every use case of the project context."""

    def __init__(self, store: Store, units: Units, clock: Clock, calendar: WorkingCalendar,
                 policy: DeadlinePolicy) -> None:
        self.store = store
        self.units = units
        self.clock = clock
        self.calendar = calendar
        self.policy = policy

    # --- reads -------------------------------------------------------------------------

    def get(self, caller: Caller, project_id: UUID, as_of_version: int | None = None
            ) -> ProjectState:
        current = self.store.load(Project, project_id)
        authz.require_read_project(caller, current)
        return ProjectState.of(self.store.as_of(current, as_of_version))

    def history(self, caller: Caller, project_id: UUID) -> list[HistoryEntry]:
        authz.require_read_project(caller, self.store.load(Project, project_id))
        return history_entries(self.store.events(project_id), EVENT_LABELS)

    # --- commands ----------------------------------------------------------------------

    def register(self, caller: Caller, details: ProjectDetails, on: date | None = None
                 ) -> ProjectResult:
        authz.require_manage_project(caller)
        details = replace(
            details,
            county=self.units.require(details.county, "county", AREA_KINDS),
            responsible_unit=self.units.require(details.responsible_unit, "responsible_unit"),
        )
        project = Project.register(details, self.clock.business_date(on), caller.audit())
        position = self.store.save(project)
        return ProjectResult(ProjectState.of(project), position)

    def _act(self, caller: Caller, project_id: UUID, expected_version: int | None,
             allowed: Callable[[Project], None], step: Callable[[Project, Audit], Any]
             ) -> ProjectResult:
        project = self.store.load(Project, project_id)
        allowed(project)  # before the version check: a stranger learns nothing of the item
        check_version(project, expected_version)
        outcome = step(project, caller.audit())
        position = self.store.save(project)
        extra = {"number": outcome} if isinstance(outcome, int) else {}
        return ProjectResult(ProjectState.of(project), position, extra)

    def _manage(self, caller: Caller) -> Callable[[Project], None]:
        def check(project: Project) -> None:
            authz.require_read_project(caller, project)
            authz.require_manage_project(caller)
        return check

    def _handle(self, caller: Caller, action: str) -> Callable[[Project], None]:
        return lambda project: authz.require_handle_project(caller, project, action)

    # Input checks that need reference data or the clock run inside the step, after the
    # permission and version checks, so a caller who may not act learns nothing more.

    def _day(self, on: date | None, field: str = "on") -> date:
        return self.clock.business_date(on, field)

    def sign(self, caller: Caller, project_id: UUID, date: date, contract_amount: Decimal,
             expected_version: int | None = None) -> ProjectResult:
        return self._act(caller, project_id, expected_version, self._manage(caller),
                         lambda p, a: p.sign(self._day(date, "date"), contract_amount, a))

    def start_construction(self, caller: Caller, project_id: UUID, date: date,
                           expected_version: int | None = None) -> ProjectResult:
        return self._act(caller, project_id, expected_version, self._manage(caller),
                         lambda p, a: p.start_construction(self._day(date, "date"), a))

    def start_production(self, caller: Caller, project_id: UUID, date: date,
                         expected_version: int | None = None) -> ProjectResult:
        return self._act(caller, project_id, expected_version, self._manage(caller),
                         lambda p, a: p.start_production(self._day(date, "date"), a))

    def terminate(self, caller: Caller, project_id: UUID, reason: str, on: date | None = None,
                  expected_version: int | None = None) -> ProjectResult:
        return self._act(caller, project_id, expected_version, self._manage(caller),
                         lambda p, a: p.terminate(reason, self._day(on), a))

    def revise(self, caller: Caller, project_id: UUID, changes: dict[str, Any],
               reason: str | None = None, on: date | None = None,
               expected_version: int | None = None) -> ProjectResult:
        def step(p: Project, a: Audit) -> None:
            checked = dict(changes)
            if "county" in checked:
                checked["county"] = self.units.require(checked["county"], "county", AREA_KINDS)
            p.revise(checked, reason, self._day(on), a)

        return self._act(caller, project_id, expected_version, self._manage(caller), step)

    def reassign(self, caller: Caller, project_id: UUID, unit: str, reason: str,
                 on: date | None = None, expected_version: int | None = None) -> ProjectResult:
        return self._act(caller, project_id, expected_version, self._manage(caller),
                         lambda p, a: p.reassign(self.units.require(unit, "unit"), reason,
                                                 self._day(on), a))

    def designate_key(self, caller: Caller, project_id: UUID, year: int, on: date | None = None,
                      expected_version: int | None = None) -> ProjectResult:
        return self._act(caller, project_id, expected_version, self._manage(caller),
                         lambda p, a: p.designate_key(year, self._day(on), a))

    def drop_key(self, caller: Caller, project_id: UUID, year: int, reason: str,
                 on: date | None = None, expected_version: int | None = None) -> ProjectResult:
        return self._act(caller, project_id, expected_version, self._manage(caller),
                         lambda p, a: p.drop_key(year, reason, self._day(on), a))

    def report_progress(self, caller: Caller, project_id: UUID, period: str, text: str,
                        funds_in_place: Decimal | None = None, on: date | None = None,
                        expected_version: int | None = None) -> ProjectResult:
        return self._act(caller, project_id, expected_version,
                         self._handle(caller, "report progress"),
                         lambda p, a: p.report_progress(period, text, funds_in_place,
                                                        self._day(on), a))

    def raise_problem(self, caller: Caller, project_id: UUID, text: str, on: date | None = None,
                      expected_version: int | None = None) -> ProjectResult:
        def step(p: Project, a: Audit) -> int:
            day = self._day(on)
            return p.raise_problem(text, day, a, self.policy.deadline("problem", day,
                                                                      self.calendar))

        return self._act(caller, project_id, expected_version,
                         self._handle(caller, "raise problems"), step)

    def resolve_problem(self, caller: Caller, project_id: UUID, number: int, resolution: str,
                        on: date | None = None, expected_version: int | None = None
                        ) -> ProjectResult:
        return self._act(caller, project_id, expected_version,
                         self._handle(caller, "resolve problems"),
                         lambda p, a: p.resolve_problem(number, resolution, self._day(on), a))

    def instruct(self, caller: Caller, project_id: UUID, text: str, on: date | None = None,
                 expected_version: int | None = None) -> ProjectResult:
        def check(project: Project) -> None:
            authz.require_read_project(caller, project)
            authz.require_instruct(caller)

        def step(p: Project, a: Audit) -> int:
            day = self._day(on)
            return p.instruct(text, day, a, self.policy.deadline("instruction", day,
                                                                 self.calendar))

        return self._act(caller, project_id, expected_version, check, step)

    def answer_instruction(self, caller: Caller, project_id: UUID, number: int, text: str,
                           on: date | None = None, expected_version: int | None = None
                           ) -> ProjectResult:
        return self._act(caller, project_id, expected_version,
                         self._handle(caller, "answer instructions"),
                         lambda p, a: p.answer_instruction(number, text, self._day(on), a))

    def comment(self, caller: Caller, project_id: UUID, text: str, on: date | None = None,
                expected_version: int | None = None) -> ProjectResult:
        return self._act(caller, project_id, expected_version,
                         lambda p: authz.require_comment_project(caller, p),
                         lambda p, a: p.comment(text, self._day(on), a))

    # --- calendar ----------------------------------------------------------------------

    def recompute_provisional(self, caller: Caller, project_ids: list[UUID]) -> int:
        """Recompute open problems' and instructions' provisional deadlines with the current
        calendar, as DeadlineRecomputed events. Returns how many changed."""
        changed = 0
        today = self.clock.today()
        for project_id in project_ids:
            project = self.store.load(Project, project_id)
            for kind, number, current in project.provisional_deadlines():
                fresh = self.calendar.add_working_days(current.start, current.working_days)
                if fresh != current:
                    project.recompute_deadline(kind, number, fresh,
                                               max(today, project.registered_on), caller.audit())
                    changed += 1
            self.store.save(project)
        return changed
