"""企业诉求: a problem an enterprise asks government to solve, from raising to closing.

Flow: raised → assigned (lead unit 牵头 + co-units 配合, working-day deadline) → progress
notes → outcome by the lead unit (resolved / partly resolved / not resolvable) → the
enterprise's feedback: satisfied → confirmed, unsatisfied → reopened (assign again) → closed.
A request may also be closed straight after an outcome when the enterprise gives no feedback;
that close needs a reason (e.g. 企业逾期未反馈). Every handling step carries a business date
(`on`) not before the previous step's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.calendar import Deadline
from domain.credit_code import require_credit_code
from domain.enterprise import Enterprise
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit, optional_text, require_not_before, require_text

MAX_CO_UNITS = 20


class Status(StrEnum):
    raised = "raised"  # 待交办
    assigned = "assigned"  # 已交办
    in_progress = "in_progress"  # 办理中
    answered = "answered"  # 已答复: outcome recorded, awaiting the enterprise's feedback
    confirmed = "confirmed"  # 企业满意
    reopened = "reopened"  # 重办: the enterprise was unsatisfied; assign again
    closed = "closed"  # 办结


STATUS_LABELS = {
    "raised": "待交办",
    "assigned": "已交办",
    "in_progress": "办理中",
    "answered": "已答复",
    "confirmed": "企业满意",
    "reopened": "重办",
    "closed": "办结",
}
SOURCE_LABELS = {"visit": "调研", "forum": "座谈会", "online": "线上", "hotline": "热线"}
CATEGORY_LABELS = {
    "labour": "用工",
    "power": "用电",
    "epidemic": "防疫",
    "resumption": "复工复产",
    "housing": "住房",
    "schooling": "子女入学",
    "transport": "交通",
    "finance": "融资",
    "land": "用地",
    "approval": "审批",
    "other": "其他",
}
OUTCOME_LABELS = {"resolved": "已解决", "partly_resolved": "部分解决",
                  "not_resolvable": "无法解决"}
EXPLANATION_REQUIRED = frozenset({"partly_resolved", "not_resolvable"})
FEEDBACK_LABELS = {"satisfied": "满意", "unsatisfied": "不满意"}

# The commands each status accepts; the guard of every command and the "allowed next" of
# every refusal.
ALLOWED: dict[str, tuple[str, ...]] = {
    "raised": ("assign",),
    "assigned": ("note_progress", "record_outcome", "recompute_due"),
    "in_progress": ("note_progress", "record_outcome", "recompute_due"),
    "answered": ("record_feedback", "close", "recompute_due"),
    "confirmed": ("close", "recompute_due"),
    "reopened": ("assign",),
    "closed": (),
}


def require_choice(value: str, labels: dict[str, str], field: str) -> str:
    if value not in labels:
        choices = ", ".join(f"{code} ({label})" for code, label in labels.items())
        msg = f"{field} must be one of {choices}; got {value!r}"
        raise InvalidValue(msg)
    return str(value)


def check_co_units(co_units: Sequence[str] | None, lead_unit: str) -> list[str]:
    """Co-units (配合单位): distinct unit codes in given order, the lead unit not among them."""
    if co_units is None:
        return []
    if isinstance(co_units, (str, bytes)):
        msg = "co_units must be a list of unit codes"
        raise InvalidValue(msg)
    if len(co_units) > MAX_CO_UNITS:
        msg = f"at most {MAX_CO_UNITS} co-units are allowed, got {len(co_units)}"
        raise InvalidValue(msg)
    checked: list[str] = []
    for unit in co_units:
        code = require_text(unit if isinstance(unit, str) else None, "co-unit", limit=40)
        if code == lead_unit:
            msg = f"{code} is the lead unit (牵头单位); it cannot also be a co-unit (配合单位)"
            raise InvalidValue(msg)
        if code in checked:
            msg = f"co-unit {code} is listed twice"
            raise InvalidValue(msg)
        checked.append(code)
    return checked


def check_deadline(due: Deadline, on: date) -> Deadline:
    if not isinstance(due, Deadline):
        msg = f"due must be a working-day Deadline, got {due!r}"
        raise InvalidValue(msg)
    if due.working_days < 1 or due.due <= due.start:
        msg = (f"deadline must end after its start and count at least one working day, got "
               f"{due.working_days} working days from {due.start} to {due.due}")
        raise InvalidValue(msg)
    if due.due < on:
        msg = f"due date {due.due} is before the assignment date {on}"
        raise InvalidValue(msg)
    return due


class EnterpriseRequest(Aggregate):
    """企业诉求: one request of one enterprise and every step of its handling."""

    @event("Raised")
    def __init__(self, enterprise_id: UUID, credit_code: str, project_id: UUID | None,
                 source: str, visit_number: int | None, category: str, description: str,
                 on: date, audit: Audit) -> None:
        self.enterprise_id = enterprise_id
        self.credit_code = credit_code
        self.project_id = project_id
        self.source = source
        self.visit_number = visit_number
        self.category = category
        self.description = description
        self.raised_on = on
        self.status = Status.raised.value
        self.lead_unit: str | None = None
        self.co_units: list[str] = []
        self.due: Deadline | None = None
        self.assignments: list[dict[str, Any]] = []
        self.progress_notes: list[dict[str, Any]] = []
        self.outcomes: list[dict[str, Any]] = []
        self.outcome: str | None = None
        self.explanation: str | None = None
        self.resolved_on: date | None = None
        self.feedback: str | None = None
        self.feedback_on: date | None = None
        self.closed_on: date | None = None
        self.close_reason: str | None = None
        self.last_step_on = on

    @classmethod
    def raise_request(cls, enterprise_id: UUID, credit_code: str, project_id: UUID | None,
                      source: str, visit_number: int | None, category: str, description: str,
                      on: date, audit: Audit) -> EnterpriseRequest:
        """Record a request raised by an enterprise (提出诉求) on business date `on`."""
        code = require_credit_code(credit_code)
        if not isinstance(enterprise_id, UUID) or enterprise_id != Enterprise.create_id(code):
            msg = f"enterprise_id {enterprise_id!r} is not the enterprise of credit code {code}"
            raise InvalidValue(msg)
        if project_id is not None and not isinstance(project_id, UUID):
            msg = f"project_id must be a UUID or empty, got {project_id!r}"
            raise InvalidValue(msg)
        source = require_choice(source, SOURCE_LABELS, "source")
        if visit_number is not None:
            if source != "visit":
                msg = f"visit_number is only for requests raised at a visit (调研), not {source}"
                raise InvalidValue(msg)
            if isinstance(visit_number, bool) or not isinstance(visit_number, int) \
                    or visit_number < 1:
                msg = f"visit_number must be a positive whole number, got {visit_number!r}"
                raise InvalidValue(msg)
        return cls(
            enterprise_id=enterprise_id, credit_code=code, project_id=project_id,
            source=source, visit_number=visit_number,
            category=require_choice(category, CATEGORY_LABELS, "category"),
            description=require_text(description, "description"), on=on, audit=audit,
        )

    # --- guards and derived state -------------------------------------------------------

    @property
    def current_status(self) -> Status:
        return Status(self.status)

    @property
    def assigned_units(self) -> list[str]:
        """Lead unit first, then co-units; empty before assignment and after reopening."""
        return [self.lead_unit, *self.co_units] if self.lead_unit else []

    @property
    def is_open(self) -> bool:
        return self.status != Status.closed.value

    @property
    def current_due(self) -> Deadline | None:
        """The deadline of the current assignment; None before it and after reopening."""
        return self.due

    def _require_step(self, step: str) -> None:
        allowed = ALLOWED[self.status]
        if step not in allowed:
            msg = (f"cannot {step.replace('_', ' ')}: request is {self.status} "
                   f"({STATUS_LABELS[self.status]}); "
                   f"allowed next: {', '.join(allowed) or 'nothing, it is closed'}")
            raise RuleViolation(msg)

    def _require_after_last_step(self, on: date, what: str) -> None:
        require_not_before(on, self.last_step_on, what, "previous step's date")

    # --- handling -----------------------------------------------------------------------

    def assign(self, lead_unit: str, co_units: Sequence[str] | None, due: Deadline, on: date,
               audit: Audit) -> None:
        """Assign (交办) to a lead unit (牵头) and co-units (配合) with a working-day deadline."""
        self._require_step("assign")
        lead = require_text(lead_unit, "lead_unit", limit=40)
        co = check_co_units(co_units, lead)
        check_deadline(due, on)
        self._require_after_last_step(on, "assignment date")
        self._assigned(number=len(self.assignments) + 1, lead_unit=lead, co_units=co, due=due,
                       on=on, audit=audit)

    @event("Assigned")
    def _assigned(self, number: int, lead_unit: str, co_units: list[str], due: Deadline,
                  on: date, audit: Audit) -> None:
        self.status = Status.assigned.value
        self.lead_unit = lead_unit
        self.co_units = list(co_units)
        self.due = due
        self.assignments.append({"number": number, "lead_unit": lead_unit,
                                 "co_units": list(co_units), "due": due, "assigned_on": on})
        self.last_step_on = on

    def note_progress(self, text: str, by_unit: str, on: date, audit: Audit) -> int:
        """Note progress (办理进展) on behalf of an assigned unit; returns the note's number."""
        self._require_step("note_progress")
        unit = require_text(by_unit, "by_unit", limit=40)
        if unit not in self.assigned_units:
            msg = (f"unit {unit} is not assigned to this request; "
                   f"assigned units: {', '.join(self.assigned_units)}")
            raise RuleViolation(msg)
        self._require_after_last_step(on, "progress date")
        number = len(self.progress_notes) + 1
        self._progress_noted(number=number, text=require_text(text, "text"), by_unit=unit,
                             on=on, audit=audit)
        return number

    @event("ProgressNoted")
    def _progress_noted(self, number: int, text: str, by_unit: str, on: date,
                        audit: Audit) -> None:
        self.status = Status.in_progress.value
        self.progress_notes.append({"number": number, "text": text, "by_unit": by_unit,
                                    "on": on, "assignment": len(self.assignments)})
        self.last_step_on = on

    def record_outcome(self, outcome: str, explanation: str | None, by_unit: str, on: date,
                       audit: Audit) -> None:
        """Record the lead unit's outcome (办理结果); partial or no solution must be explained."""
        self._require_step("record_outcome")
        outcome = require_choice(outcome, OUTCOME_LABELS, "outcome")
        text = optional_text(explanation, "explanation")
        if outcome in EXPLANATION_REQUIRED and text is None:
            msg = (f"explanation is required when the outcome is {outcome} "
                   f"({OUTCOME_LABELS[outcome]}) / 须说明原因")
            raise InvalidValue(msg)
        unit = require_text(by_unit, "by_unit", limit=40)
        if unit != self.lead_unit:
            msg = (f"the outcome is recorded by the lead unit (牵头单位) {self.lead_unit}, "
                   f"not by {unit}")
            raise RuleViolation(msg)
        self._require_after_last_step(on, "outcome date")
        self._outcome_recorded(outcome=outcome, explanation=text, by_unit=unit, on=on,
                               audit=audit)

    @event("OutcomeRecorded")
    def _outcome_recorded(self, outcome: str, explanation: str | None, by_unit: str, on: date,
                          audit: Audit) -> None:
        self.status = Status.answered.value
        self.outcome = outcome
        self.explanation = explanation
        self.resolved_on = on
        self.feedback = None
        self.feedback_on = None
        self.outcomes.append({"assignment": len(self.assignments), "outcome": outcome,
                              "explanation": explanation, "by_unit": by_unit,
                              "resolved_on": on, "feedback": None, "feedback_on": None,
                              "feedback_comment": None})
        self.last_step_on = on

    def record_feedback(self, feedback: str, comment: str | None, on: date,
                        audit: Audit) -> None:
        """The enterprise's verdict on the outcome; unsatisfied reopens the request (重办)."""
        self._require_step("record_feedback")
        feedback = require_choice(feedback, FEEDBACK_LABELS, "feedback")
        text = optional_text(comment, "comment")
        if feedback == "unsatisfied" and text is None:
            msg = "an unsatisfied feedback must say what remains unsolved / 不满意须说明原因"
            raise InvalidValue(msg)
        self._require_after_last_step(on, "feedback date")
        self._feedback_recorded(feedback=feedback, comment=text, on=on, audit=audit)

    @event("FeedbackRecorded")
    def _feedback_recorded(self, feedback: str, comment: str | None, on: date,
                           audit: Audit) -> None:
        self.outcomes[-1].update(feedback=feedback, feedback_on=on, feedback_comment=comment)
        self.feedback = feedback
        self.feedback_on = on
        if feedback == "satisfied":
            self.status = Status.confirmed.value
        else:
            self.status = Status.reopened.value
            self.lead_unit = None
            self.co_units = []
            self.due = None
            self.outcome = None
            self.explanation = None
            self.resolved_on = None
        self.last_step_on = on

    def close(self, reason: str | None, on: date, audit: Audit) -> None:
        """Close (办结) after satisfied feedback, or after an outcome the enterprise left
        without feedback — then a reason is required."""
        self._require_step("close")
        text = optional_text(reason, "reason")
        if self.current_status is Status.answered and text is None:
            msg = ("closing without the enterprise's feedback needs a reason "
                   "/ 企业未反馈办结须说明原因")
            raise RuleViolation(msg)
        self._require_after_last_step(on, "closing date")
        self._closed(reason=text, on=on, audit=audit)

    @event("Closed")
    def _closed(self, reason: str | None, on: date, audit: Audit) -> None:
        self.status = Status.closed.value
        self.closed_on = on
        self.close_reason = reason
        self.last_step_on = on

    def recompute_due(self, deadline: Deadline, on: date, audit: Audit) -> None:
        """Replace a provisional deadline once its year's official calendar is configured.

        Not a handling step: it leaves `last_step_on` alone so late entries (补录) still fit.
        """
        self._require_step("recompute_due")
        current = self.due
        if current is None or not current.provisional:
            msg = (f"the current deadline {current.due if current else None} is not "
                   "provisional; only provisional deadlines are recomputed")
            raise RuleViolation(msg)
        check_deadline(deadline, current.start)
        if (deadline.start, deadline.working_days) != (current.start, current.working_days):
            msg = (f"a recomputed deadline must count the same {current.working_days} working "
                   f"days from {current.start}, got {deadline.working_days} from "
                   f"{deadline.start}")
            raise InvalidValue(msg)
        if deadline == current:
            msg = "the recomputed deadline is the same as the current one; nothing to record"
            raise RuleViolation(msg)
        require_not_before(on, self.assignments[-1]["assigned_on"], "recomputation date",
                           "assignment date")
        self._due_recomputed(deadline=deadline, previous_due=current, on=on, audit=audit)

    @event("DueRecomputed")
    def _due_recomputed(self, deadline: Deadline, previous_due: Deadline, on: date,
                        audit: Audit) -> None:
        self.due = deadline
        self.assignments[-1]["due"] = deadline


EVENT_LABELS = {
    "Raised": "提出诉求",
    "Assigned": "交办",
    "ProgressNoted": "办理进展",
    "OutcomeRecorded": "办理结果",
    "FeedbackRecorded": "企业反馈",
    "Closed": "办结",
    "DueRecomputed": "重算办理期限",
}
