"""Use cases of enterprise requests (企业诉求): raise, assign, handle, answer, feedback, close."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application import enterprise_authz as authz
from application.calendar import DeadlinePolicy
from application.context import Caller, Clock
from application.enterprises import EnterpriseService
from application.errors import NotFound
from application.history import HistoryEntry, history_entries
from application.store import Store, check_version
from application.units import Units
from domain.calendar import Deadline, WorkingCalendar
from domain.enterprise import Enterprise
from domain.enterprise_request import ALLOWED, EVENT_LABELS, EnterpriseRequest
from domain.errors import InvalidValue
from domain.project import Project
from domain.shared import Audit

HANDLING = frozenset({"assigned", "in_progress"})  # waiting for the lead unit's outcome


def is_overdue(status: str, due: Deadline | None, today: date) -> bool:
    """超期: still being handled (no outcome yet) and the due date has passed."""
    return status in HANDLING and due is not None and due.due < today


@dataclass(frozen=True)
class RequestState:
    """Current state of one enterprise request, as clients read it."""

    id: UUID
    version: int
    enterprise_id: UUID
    credit_code: str
    project_id: UUID | None
    source: str
    visit_number: int | None
    category: str
    description: str
    raised_on: date
    status: str
    lead_unit: str | None
    co_units: list[str]
    due: Deadline | None
    overdue: bool
    assignments: list[dict[str, Any]]
    progress_notes: list[dict[str, Any]]
    outcomes: list[dict[str, Any]]
    outcome: str | None
    explanation: str | None
    resolved_on: date | None
    feedback: str | None
    feedback_on: date | None
    closed_on: date | None
    close_reason: str | None
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, r: EnterpriseRequest, today: date) -> RequestState:
        return cls(
            id=r.id, version=r.version, enterprise_id=r.enterprise_id,
            credit_code=r.credit_code, project_id=r.project_id, source=r.source,
            visit_number=r.visit_number, category=r.category, description=r.description,
            raised_on=r.raised_on, status=r.status, lead_unit=r.lead_unit,
            co_units=list(r.co_units), due=r.due, overdue=is_overdue(r.status, r.due, today),
            assignments=[dict(a, co_units=list(a["co_units"])) for a in r.assignments],
            progress_notes=[dict(n) for n in r.progress_notes],
            outcomes=[dict(o) for o in r.outcomes], outcome=r.outcome,
            explanation=r.explanation, resolved_on=r.resolved_on, feedback=r.feedback,
            feedback_on=r.feedback_on, closed_on=r.closed_on, close_reason=r.close_reason,
            created_at=r.created_on, modified_at=r.modified_on,
        )


@dataclass(frozen=True)
class RequestResult:
    """A command's outcome: the new state and the global log position of its event."""

    state: RequestState
    position: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NewRequest:
    """What a client gives to raise a request: the enterprise by credit code or by id."""

    category: str
    description: str
    credit_code: str | None = None
    enterprise_id: UUID | None = None
    project_id: UUID | None = None
    source: str | None = None
    visit_number: int | None = None
    raised_on: date | None = None


class RequestService:
    """Every use case of the enterprise-request context."""

    def __init__(self, store: Store, units: Units, clock: Clock, calendar: WorkingCalendar,
                 policy: DeadlinePolicy, enterprises: EnterpriseService) -> None:
        self.store = store
        self.units = units
        self.clock = clock
        self.calendar = calendar
        self.policy = policy
        self.enterprises = enterprises

    def _state(self, request: EnterpriseRequest) -> RequestState:
        return RequestState.of(request, self.clock.today())

    # --- reads -------------------------------------------------------------------------

    def get(self, caller: Caller, request_id: UUID) -> RequestState:
        request = self.store.load(EnterpriseRequest, request_id)
        authz.require_read_request(caller, request)
        return self._state(request)

    def history(self, caller: Caller, request_id: UUID) -> list[HistoryEntry]:
        authz.require_read_request(caller, self.store.load(EnterpriseRequest, request_id))
        return history_entries(self.store.events(request_id), EVENT_LABELS)

    # --- raising -----------------------------------------------------------------------

    def raise_request(self, caller: Caller, new: NewRequest) -> RequestResult:
        """提出诉求. Bureau staff record requests from visits, forums and the hotline; an
        enterprise account raises its own, online. Raised at a visit, the business date
        defaults to the visit's date."""
        authz.require_raise_any(caller)
        enterprise = self._enterprise(new)
        source = new.source or ("online" if caller.role == "enterprise" else None)
        if source is None:
            msg = ("source is required: visit (调研), forum (座谈会), online (线上) "
                   "or hotline (热线)")
            raise InvalidValue(msg)
        authz.require_raise_request(caller, enterprise.credit_code, source)
        if new.project_id is not None:
            self._require_project(new.project_id)
        on = new.raised_on
        if new.visit_number is not None:
            visit = self._visit(enterprise, new.visit_number)
            on = on or visit["date"]
            if on < visit["date"]:
                msg = (f"raised_on {on} is before visit #{new.visit_number} on {visit['date']}"
                       " / 诉求提出日期不能早于调研日期")
                raise InvalidValue(msg)
        request = EnterpriseRequest.raise_request(
            enterprise.id, enterprise.credit_code, new.project_id, source, new.visit_number,
            new.category, new.description, self.clock.business_date(on, "raised_on"),
            caller.audit())
        position = self.store.save(request)
        return RequestResult(self._state(request), position)

    def _enterprise(self, new: NewRequest) -> Enterprise:
        """The enterprise named by credit code or id; unknown or none is bad input (422)."""
        try:
            if new.credit_code is not None:
                enterprise = self.enterprises.load_by_code(new.credit_code)
            elif new.enterprise_id is not None:
                enterprise = self.enterprises.load(new.enterprise_id)
            else:
                msg = "give the enterprise's credit_code or enterprise_id"
                raise InvalidValue(msg)
        except NotFound as exc:
            raise InvalidValue(f"{exc}; register the enterprise first") from None
        if new.enterprise_id is not None and new.enterprise_id != enterprise.id:
            msg = (f"enterprise_id {new.enterprise_id} is not the enterprise of credit code "
                   f"{enterprise.credit_code}")
            raise InvalidValue(msg)
        return enterprise

    def _require_project(self, project_id: UUID) -> None:
        try:
            self.store.load(Project, project_id)
        except NotFound:
            msg = f"project_id: no project with id {project_id}"
            raise InvalidValue(msg) from None

    @staticmethod
    def _visit(enterprise: Enterprise, number: int) -> dict[str, Any]:
        visits = {v["number"]: v for v in enterprise.visits}
        if number not in visits:
            msg = (f"visit_number: enterprise {enterprise.credit_code} has no visit #{number}; "
                   f"recorded visits: {', '.join(map(str, visits)) or 'none'}")
            raise InvalidValue(msg)
        visit = visits[number]
        if visit["kind"] != "visit":
            msg = (f"visit #{number} was a forum (座谈); a request raised there has source "
                   "forum and no visit_number")
            raise InvalidValue(msg)
        return visit

    # --- handling ----------------------------------------------------------------------

    def _act(self, caller: Caller, request_id: UUID, expected_version: int | None,
             allowed: Callable[[EnterpriseRequest], Any],
             step: Callable[[EnterpriseRequest, Audit, Any], Any]) -> RequestResult:
        request = self.store.load(EnterpriseRequest, request_id)
        authz.require_read_request(caller, request)
        granted = allowed(request)  # before the version check: strangers learn nothing
        check_version(request, expected_version)
        outcome = step(request, caller.audit(), granted)
        position = self.store.save(request)
        extra = {"number": outcome} if isinstance(outcome, int) else {}
        return RequestResult(self._state(request), position, extra)

    def assign(self, caller: Caller, request_id: UUID, lead_unit: str,
               co_units: Sequence[str] | None = None, on: date | None = None,
               expected_version: int | None = None) -> RequestResult:
        """交办: the due date counts the policy's request_days working days from `on`."""
        day = self.clock.business_date(on)
        lead = self.units.require(lead_unit, "lead_unit")
        co = [self.units.require(u, "co_units") for u in co_units or []]
        due = self.policy.deadline("request", day, self.calendar)
        return self._act(caller, request_id, expected_version,
                         lambda r: authz.require_assign(caller),
                         lambda r, a, _: r.assign(lead, co, due, day, a))

    def note_progress(self, caller: Caller, request_id: UUID, text: str,
                      unit: str | None = None, on: date | None = None,
                      expected_version: int | None = None) -> RequestResult:
        day = self.clock.business_date(on)
        return self._act(caller, request_id, expected_version,
                         lambda r: authz.progress_unit(caller, r, unit),
                         lambda r, a, by: r.note_progress(text, by, day, a))

    def record_outcome(self, caller: Caller, request_id: UUID, outcome: str,
                       explanation: str | None = None, on: date | None = None,
                       expected_version: int | None = None) -> RequestResult:
        day = self.clock.business_date(on)
        return self._act(caller, request_id, expected_version,
                         lambda r: authz.outcome_unit(caller, r),
                         lambda r, a, by: r.record_outcome(outcome, explanation, by, day, a))

    def record_feedback(self, caller: Caller, request_id: UUID, feedback: str,
                        comment: str | None = None, on: date | None = None,
                        expected_version: int | None = None) -> RequestResult:
        day = self.clock.business_date(on)
        return self._act(caller, request_id, expected_version,
                         lambda r: authz.require_feedback(caller, r),
                         lambda r, a, _: r.record_feedback(feedback, comment, day, a))

    def close(self, caller: Caller, request_id: UUID, reason: str | None = None,
              on: date | None = None, expected_version: int | None = None) -> RequestResult:
        day = self.clock.business_date(on)
        return self._act(caller, request_id, expected_version,
                         lambda r: authz.require_close(caller),
                         lambda r, a, _: r.close(reason, day, a))

    # --- calendar ----------------------------------------------------------------------

    def recompute_provisional(self, caller: Caller, request_ids: list[UUID]) -> int:
        """Recompute the provisional due dates of these requests, where still running, with
        the current calendar; each change is a DueRecomputed event. Returns how many changed."""
        changed = 0
        today = self.clock.today()
        for request_id in request_ids:
            request = self.store.load(EnterpriseRequest, request_id)
            current = request.due
            if current is None or not current.provisional \
                    or "recompute_due" not in ALLOWED[request.status]:
                continue
            fresh = self.calendar.add_working_days(current.start, current.working_days)
            if fresh != current:
                on = max(today, request.assignments[-1]["assigned_on"])
                request.recompute_due(fresh, on, caller.audit())
                self.store.save(request)
                changed += 1
        return changed


def request_recomputer(recompute: Callable[[Caller, list[UUID]], int]
                       ) -> tuple[type, Callable[[Caller, list[UUID]], int]]:
    """What calendar_sync.sync_calendar needs to find and recompute every request."""
    return (EnterpriseRequest.Raised, recompute)  # type: ignore[attr-defined]
