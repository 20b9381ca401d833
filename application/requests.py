"""Use cases of enterprise requests (企业诉求): raise, assign, handle, answer, feedback, close."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application import policy
from application.cases import CaseService, Result, state_of
from application.context import Caller
from application.enterprises import enterprise_by_code, not_registered
from application.errors import NotFound
from application.queries import LedgerQuery, Param, codes, day, flag, text, words
from domain.calendar import Deadline
from domain.credit_code import normalize_credit_code, require_credit_code
from domain.enterprise import Enterprise
from domain.enterprise_request import (
    ALLOWED,
    EVENT_LABELS,
    Category,
    Correctable,
    EnterpriseRequest,
    RequestFacts,
    Source,
    Status,
)
from domain.errors import InvalidValue
from domain.project import Project
from domain.shared import Role

HANDLING = frozenset({"assigned", "in_progress"})  # waiting for the lead unit's outcome


def is_overdue(status: str, due: Deadline | None, today: date) -> bool:
    """超期: still being handled (no outcome yet) and the due date has passed."""
    return status in HANDLING and due is not None and due.due < today


@dataclass(frozen=True)
class RequestState(RequestFacts):
    """Current state of one enterprise request, as clients read it: what was raised, then
    where its handling stands."""

    id: UUID
    version: int
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
    instructions: list[dict[str, Any]]  # 批示 and their answers (domain.instructions)
    allowed_steps: list[str]
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, r: EnterpriseRequest, today: date) -> RequestState:
        return state_of(cls, r, overdue=is_overdue(r.status, r.due, today))


RequestResult = Result[RequestState]


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


LEDGER = LedgerQuery("requests", "request.read", {
    "category": codes(Category, "诉求类别 category"),
    "status": codes(Status, "状态 status"),
    "source": codes(Source, "来源 source"),
    "unit": words("The unit now assigned, as lead or co-unit (unit codes)"),
    "enterprise": Param("The enterprise, by credit code (one or a comma list)",
                        normalize_credit_code, many=True),
    "project": Param("The investment project concerned (its id)", lambda raw: str(UUID(raw)),
                     {"type": "string", "format": "uuid", "description": "a project id"}),
    "raised_from": day("Raised on or after"),
    "raised_to": day("Raised on or before"),
    "overdue": flag("true: being handled (assigned or in progress) with the due date past"),
    "q": text("Words of the request's description"),
}, dated=True, periods=(("raised_from", "raised_to"),))


class RequestService(CaseService[EnterpriseRequest, RequestState]):
    """Every use case of the enterprise-request context."""

    created_event = EnterpriseRequest.Raised
    kind = "request"
    event_labels = EVENT_LABELS

    def state(self, caller: Caller, item: EnterpriseRequest) -> RequestState:
        return RequestState.of(item, self.clock.today())

    # --- raising -----------------------------------------------------------------------

    def raise_request(self, caller: Caller, new: NewRequest) -> RequestResult:
        """提出诉求. Bureau staff record requests from visits, forums and the hotline; an
        enterprise account raises its own, online. Raised at a visit, the business date
        defaults to the visit's date."""
        self.authorize(caller, "raise")  # before looking the enterprise up
        if caller.role == Role.enterprise:
            self._refuse_another_enterprise(caller, new)
        enterprise = self._enterprise(new)
        self.authorize(caller, "raise", enterprise)
        source = new.source or ("online" if caller.role == Role.enterprise else None)
        if source is None:
            msg = ("source is required: visit (调研), forum (座谈会), online (线上) "
                   "or hotline (热线)")
            raise InvalidValue(msg)
        if caller.role == Role.enterprise and source != "online":
            raise policy.deny(caller, f"record a {source} request; enterprises raise "
                              "requests online")
        if new.project_id is not None:
            self._require_project(caller, new.project_id)
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
            new.category, new.description, self.day(on, "raised_on"), caller.audit())
        return self.saved(caller, request)

    @staticmethod
    def _refuse_another_enterprise(caller: Caller, new: NewRequest) -> None:
        """An enterprise account naming another enterprise hears 404, as for a code never
        registered, before anything is looked up: it cannot probe which codes exist."""
        own = caller.enterprise or ""
        if new.credit_code is not None and require_credit_code(new.credit_code) != own:
            raise NotFound(not_registered(require_credit_code(new.credit_code)))
        if new.enterprise_id is not None and new.enterprise_id != Enterprise.create_id(own):
            raise NotFound(f"no enterprise with id {new.enterprise_id} / 企业未登记")

    def _enterprise(self, new: NewRequest) -> Enterprise:
        """The enterprise named by credit code or id; unknown or none is bad input (422)."""
        try:
            if new.credit_code is not None:
                enterprise = enterprise_by_code(self.store, new.credit_code)
            elif new.enterprise_id is not None:
                enterprise = self.store.load(Enterprise, new.enterprise_id)
            else:
                msg = ("give the enterprise's credit_code or enterprise_id / "
                       "请给出企业的统一社会信用代码或企业标识")
                raise InvalidValue(msg)
        except NotFound as exc:
            raise InvalidValue(f"{exc}; register the enterprise first / 请先登记该企业") from None
        if new.enterprise_id is not None and new.enterprise_id != enterprise.id:
            msg = (f"enterprise_id {new.enterprise_id} is not the enterprise of credit code "
                   f"{enterprise.credit_code} / 企业标识与统一社会信用代码不符")
            raise InvalidValue(msg)
        return enterprise

    def _require_project(self, caller: Caller, project_id: UUID) -> None:
        """A request links only to a project its raiser may read; one it may not is refused
        in the words used for one that does not exist."""
        try:
            project = self.store.load(Project, project_id)
        except NotFound:
            project = None
        if project is None or not policy.allows(caller, "project.read", project):
            msg = f"project_id: no project with id {project_id} / 没有该项目"
            raise InvalidValue(msg) from None

    @staticmethod
    def _visit(enterprise: Enterprise, number: int) -> dict[str, Any]:
        visits = {v["number"]: v for v in enterprise.visits}
        if number not in visits:
            msg = (f"visit_number: enterprise {enterprise.credit_code} has no visit #{number}; "
                   f"recorded visits: {', '.join(map(str, visits)) or 'none'} / "
                   f"该企业没有第{number}次走访记录")
            raise InvalidValue(msg)
        visit = visits[number]
        if visit["kind"] != "visit":
            msg = (f"visit #{number} was a forum (座谈); a request raised there has source "
                   "forum and no visit_number")
            raise InvalidValue(msg)
        return visit

    # --- handling ----------------------------------------------------------------------

    def assign(self, caller: Caller, request_id: UUID, lead_unit: str,
               co_units: Sequence[str] | None = None, on: date | None = None,
               expected_version: int | None = None) -> RequestResult:
        """交办: the due date counts the policy's request_days working days from `on`."""
        request = self.load_for(caller, "assign", request_id, expected_version)
        day = self.day(on)
        lead = self.units.require(lead_unit, "lead_unit")
        co = [self.units.require(u, "co_units") for u in co_units or []]
        request.assign(lead, co, self.deadline("request", day), day, caller.audit())
        return self.saved(caller, request)

    def note_progress(self, caller: Caller, request_id: UUID, text: str,
                      unit: str | None = None, on: date | None = None,
                      expected_version: int | None = None) -> RequestResult:
        """办理进展, for the caller's own unit; bureau staff note it for the unit given
        (default: the lead unit)."""
        request = self.load_for(caller, "progress", request_id, expected_version)
        if caller.role == Role.unit and unit and unit != caller.unit:
            raise policy.deny(caller, f"note progress for unit {unit}")
        by_unit = caller.unit if caller.role == Role.unit else unit or request.lead_unit
        number = request.note_progress(text, by_unit or "", self.day(on), caller.audit())
        return self.saved(caller, request, number)

    def record_outcome(self, caller: Caller, request_id: UUID, outcome: str,
                       explanation: str | None = None, on: date | None = None,
                       expected_version: int | None = None) -> RequestResult:
        """办理结果, recorded by the lead unit (or bureau staff for it)."""
        request = self.load_for(caller, "outcome", request_id, expected_version)
        request.record_outcome(outcome, explanation, request.lead_unit or "", self.day(on),
                               caller.audit())
        return self.saved(caller, request)

    def record_feedback(self, caller: Caller, request_id: UUID, feedback: str,
                        comment: str | None = None, on: date | None = None,
                        expected_version: int | None = None) -> RequestResult:
        request = self.load_for(caller, "feedback", request_id, expected_version)
        request.record_feedback(feedback, comment, self.day(on), caller.audit())
        return self.saved(caller, request)

    def close(self, caller: Caller, request_id: UUID, reason: str | None = None,
              on: date | None = None, expected_version: int | None = None) -> RequestResult:
        request = self.load_for(caller, "close", request_id, expected_version)
        request.close(reason, self.day(on), caller.audit())
        return self.saved(caller, request)

    def correct(self, caller: Caller, request_id: UUID, field: str, value: Any, reason: str,
                on: date | None = None, expected_version: int | None = None) -> RequestResult:
        """更正: an intake fact recorded wrongly, put right, in any status, by the rules of
        raising: a date raised not in the future nor before the visit it was raised at; a
        project the caller may read (or none)."""
        request = self.load_for(caller, "correct", request_id, expected_version)
        if field == Correctable.raised_on and isinstance(value, date):
            value = self.day(value, str(field))
            if request.visit_number is not None:
                self._not_before_visit(request, value)
        elif field == Correctable.project_id and isinstance(value, UUID):
            self._require_project(caller, value)
        request.correct(field, value, reason, self.day(on), caller.audit())
        return self.saved(caller, request)

    def _not_before_visit(self, request: EnterpriseRequest, raised_on: date) -> None:
        enterprise = self.store.load(Enterprise, request.enterprise_id)
        visit = self._visit(enterprise, int(request.visit_number or 0))
        if raised_on < visit["date"]:
            msg = (f"raised_on {raised_on} is before visit #{request.visit_number} on "
                   f"{visit['date']} / 诉求提出日期不能早于调研日期")
            raise InvalidValue(msg)

    # --- calendar ----------------------------------------------------------------------

    def provisional_deadlines(self, item: EnterpriseRequest) -> list[tuple[Any, Deadline]]:
        current = item.due
        instructions = self.instruction_deadlines(item)
        if current is None or not current.provisional \
                or "recompute_due" not in ALLOWED[item.status]:
            return instructions
        return [("due", current), *instructions]

    def recompute_deadline(self, caller: Caller, item: EnterpriseRequest, key: Any,
                           fresh: Deadline) -> None:
        if self.recompute_instruction(caller, item, key, fresh):
            return
        on = max(self.clock.today(), item.assignments[-1]["assigned_on"])
        item.recompute_due(fresh, on, caller.audit())
