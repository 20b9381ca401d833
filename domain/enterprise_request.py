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
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain import instructions
from domain.credit_code import require_credit_code
from domain.enterprise import Enterprise
from domain.errors import InvalidValue, RuleViolation
from domain.instructions import InstructedRecounted
from domain.shared import (
    Audit,
    Checker,
    Correction,
    Deadline,
    Labelled,
    check_correction,
    check_deadline,
    check_recomputed_deadline,
    correction_labels,
    distinct_texts,
    intake_corrected,
    optional_text,
    require_day,
    require_not_before,
    require_text,
    step_refused,
    zh,
)

MAX_CO_UNITS = 20


class Status(Labelled):
    """Where a request stands in its flow."""

    raised = "raised", "待交办"
    assigned = "assigned", "已交办"
    in_progress = "in_progress", "办理中"
    answered = "answered", "已答复"  # outcome recorded, awaiting the enterprise's feedback
    confirmed = "confirmed", "企业满意"
    reopened = "reopened", "重办"  # the enterprise was unsatisfied; assign again
    closed = "closed", "办结"




class Source(Labelled):
    """Where the enterprise raised its request."""

    visit = "visit", "调研"
    forum = "forum", "座谈会"
    online = "online", "线上"
    hotline = "hotline", "热线"




class Category(Labelled):
    """What the enterprise needs solved."""

    labour = "labour", "用工"
    power = "power", "用电"
    epidemic = "epidemic", "防疫"
    resumption = "resumption", "复工复产"
    housing = "housing", "住房"
    schooling = "schooling", "子女入学"
    transport = "transport", "交通"
    finance = "finance", "融资"
    land = "land", "用地"
    approval = "approval", "审批"
    other = "other", "其他"




class Outcome(Labelled):
    """办理结果: what the lead unit achieved."""

    resolved = "resolved", "已解决"
    partly_resolved = "partly_resolved", "部分解决"
    not_resolvable = "not_resolvable", "无法解决"


EXPLANATION_REQUIRED = frozenset({Outcome.partly_resolved, Outcome.not_resolvable})


class Feedback(Labelled):
    """The enterprise's verdict on an outcome."""

    satisfied = "satisfied", "满意"
    unsatisfied = "unsatisfied", "不满意"



class Correctable(Labelled):
    """The intake facts of a request a correction (更正) may put right."""

    raised_on = "raised_on", "提出日期"
    category = "category", "诉求类别"
    project_id = "project_id", "关联项目"


def _optional_id(value: object, field: str) -> UUID | None:
    if value is not None and not isinstance(value, UUID):
        msg = f"{field} must be a UUID or empty, got {value!r} / {zh(field)}须为UUID或留空"
        raise InvalidValue(msg)
    return value


CORRECTABLE: dict[str, Checker] = {
    Correctable.raised_on: require_day,
    Correctable.category: lambda value, field: Category.require(value, field).value,
    Correctable.project_id: _optional_id,
}
"""Each correctable fact with its check: the rules of raising a request."""


# The commands each status accepts; the guard of every command and the "allowed next" of
# every refusal.
ALLOWED: dict[str, tuple[str, ...]] = {
    Status.raised: ("assign",),
    Status.assigned: ("note_progress", "record_outcome", "recompute_due"),
    Status.in_progress: ("note_progress", "record_outcome", "recompute_due"),
    Status.answered: ("record_feedback", "close", "recompute_due"),
    Status.confirmed: ("close", "recompute_due"),
    Status.reopened: ("assign",),
    Status.closed: (),
}
# The API path of each command a client takes (recompute_due is the calendar's, not theirs).
STEP_PATHS = {"assign": "assign", "note_progress": "progress", "record_outcome": "outcome",
              "record_feedback": "feedback", "close": "close"}


def check_co_units(co_units: Sequence[str] | None, lead_unit: str) -> list[str]:
    """Co-units (配合单位): distinct unit codes in given order, the lead unit not among them."""

    def not_the_lead(code: str) -> None:
        if code == lead_unit:
            msg = f"{code} is the lead unit (牵头单位); it cannot also be a co-unit (配合单位)"
            raise InvalidValue(msg)

    return distinct_texts(co_units, "co_units", item="co-unit", kind="unit codes",
                          most=MAX_CO_UNITS, limit=40, refuse=not_the_lead)


@dataclass(frozen=True)
class RequestFacts:
    """What raising a request records: its Raised event stores these fields and its state
    shows them (declared once for both)."""

    enterprise_id: UUID
    credit_code: str
    project_id: UUID | None
    source: str
    visit_number: int | None
    category: str
    description: str


class EnterpriseRequest(InstructedRecounted, Aggregate):
    """企业诉求: one request of one enterprise and every step of its handling.

    Version 2 of the state holds the leaders' instructions (批示)."""

    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state.setdefault("instructions", [])

    class Raised(Aggregate.Created, RequestFacts):
        """提出诉求: an enterprise raises a request."""

        on: date
        audit: Audit

    @event(Raised)
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
        self.instructions: list[dict[str, Any]] = []

    @classmethod
    def raise_request(cls, enterprise_id: UUID, credit_code: str, project_id: UUID | None,
                      source: str, visit_number: int | None, category: str, description: str,
                      on: date, audit: Audit) -> EnterpriseRequest:
        """Record a request raised by an enterprise (提出诉求) on business date `on`."""
        code = require_credit_code(credit_code)
        if not isinstance(enterprise_id, UUID) or enterprise_id != Enterprise.create_id(code):
            msg = (f"enterprise_id {enterprise_id!r} is not the enterprise of credit code {code} / "
                   "企业标识与统一社会信用代码不符")
            raise InvalidValue(msg)
        if project_id is not None and not isinstance(project_id, UUID):
            msg = f"project_id must be a UUID or empty, got {project_id!r} / 项目标识须为UUID或留空"
            raise InvalidValue(msg)
        source = Source.require(source, "source").value
        if visit_number is not None:
            if source != Source.visit:
                msg = f"visit_number is only for requests raised at a visit (调研), not {source}"
                raise InvalidValue(msg)
            if isinstance(visit_number, bool) or not isinstance(visit_number, int) \
                    or visit_number < 1:
                msg = (f"visit_number must be a positive whole number, got {visit_number!r} / "
                       "走访序号须为正整数")
                raise InvalidValue(msg)
        return cls(
            enterprise_id=enterprise_id, credit_code=code, project_id=project_id,
            source=source, visit_number=visit_number,
            category=Category.require(category, "category").value,
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

    def allowed_steps(self) -> list[str]:
        """The steps the request takes now, named as its API paths."""
        steps = [STEP_PATHS[step] for step in ALLOWED[self.status] if step in STEP_PATHS]
        # A leader instructs on an open request; an instruction given is answered even once
        # the request is closed, so its supervision item can go.
        return [*steps, *(["instruct"] if self.is_open else []), *self.instruction_steps()]

    def _require_step(self, step: str) -> None:
        allowed = ALLOWED[self.status]
        if step not in allowed:
            raise step_refused(step.replace("_", " "), "request", Status(self.status), allowed,
                               zh_item="诉求")

    def _require_after_last_step(self, on: date, what: str) -> None:
        require_not_before(on, self.last_step_on, what, "previous step's date")

    # --- leaders' instructions (批示): domain.instructions ----------------------------------

    noun = "request"

    def _check_instruction(self, step: str, on: date | None) -> None:
        if on is None:
            return
        if not self.is_open:
            msg = f"cannot {step}: request is closed ({Status.closed.label}) / 诉求已办结，不能批示"
            raise RuleViolation(msg)
        require_not_before(on, self.raised_on, "instruction date", "raised_on")

    # --- handling -----------------------------------------------------------------------

    def assign(self, lead_unit: str, co_units: Sequence[str] | None, due: Deadline, on: date,
               audit: Audit) -> None:
        """Assign (交办) to a lead unit (牵头) and co-units (配合) with a working-day deadline."""
        self._require_step("assign")
        lead = require_text(lead_unit, "lead_unit", limit=40)
        co = check_co_units(co_units, lead)
        self._require_after_last_step(on, "assignment date")
        check_deadline(due, on, "due")
        self._assigned(number=len(self.assignments) + 1, lead_unit=lead, co_units=co, due=due,
                       on=on, audit=audit)

    class Assigned(Aggregate.Event):
        """交办: a lead unit and co-units take the request, with a working-day deadline."""

        number: int
        lead_unit: str
        co_units: list[str]
        due: Deadline
        on: date
        audit: Audit

    @event(Assigned)
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
                   f"assigned units: {', '.join(self.assigned_units)} / 该单位未承办此诉求")
            raise RuleViolation(msg)
        self._require_after_last_step(on, "progress date")
        number = len(self.progress_notes) + 1
        self._progress_noted(number=number, text=require_text(text, "text"), by_unit=unit,
                             on=on, audit=audit)
        return number

    class ProgressNoted(Aggregate.Event):
        """办理进展: an assigned unit notes progress."""

        number: int
        text: str
        by_unit: str
        on: date
        audit: Audit

    @event(ProgressNoted)
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
        result = Outcome.require(outcome, "outcome")
        text = optional_text(explanation, "explanation")
        if result in EXPLANATION_REQUIRED and text is None:
            msg = (f"explanation is required when the outcome is {result} ({result.label})"
                   " / 须说明原因")
            raise InvalidValue(msg)
        unit = require_text(by_unit, "by_unit", limit=40)
        if unit != self.lead_unit:
            msg = (f"the outcome is recorded by the lead unit (牵头单位) {self.lead_unit}, "
                   f"not by {unit}")
            raise RuleViolation(msg)
        self._require_after_last_step(on, "outcome date")
        self._outcome_recorded(outcome=result.value, explanation=text, by_unit=unit, on=on,
                               audit=audit)

    class OutcomeRecorded(Aggregate.Event):
        """办理结果: the lead unit records what it achieved."""

        outcome: str
        explanation: str | None
        by_unit: str
        on: date
        audit: Audit

    @event(OutcomeRecorded)
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
        feedback = Feedback.require(feedback, "feedback").value
        text = optional_text(comment, "comment")
        if feedback == Feedback.unsatisfied and text is None:
            msg = "an unsatisfied feedback must say what remains unsolved / 不满意须说明原因"
            raise InvalidValue(msg)
        self._require_after_last_step(on, "feedback date")
        self._feedback_recorded(feedback=feedback, comment=text, on=on, audit=audit)

    class FeedbackRecorded(Aggregate.Event):
        """企业反馈: the enterprise's verdict on the outcome."""

        feedback: str
        comment: str | None
        on: date
        audit: Audit

    @event(FeedbackRecorded)
    def _feedback_recorded(self, feedback: str, comment: str | None, on: date,
                           audit: Audit) -> None:
        self.outcomes[-1].update(feedback=feedback, feedback_on=on, feedback_comment=comment)
        self.feedback = feedback
        self.feedback_on = on
        if feedback == Feedback.satisfied:
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

    class Closed(Aggregate.Event):
        """办结: the request is closed."""

        reason: str | None
        on: date
        audit: Audit

    @event(Closed)
    def _closed(self, reason: str | None, on: date, audit: Audit) -> None:
        self.status = Status.closed.value
        self.closed_on = on
        self.close_reason = reason
        self.last_step_on = on

    def correct(self, field: str, value: Any, reason: str, on: date, audit: Audit) -> None:
        """更正: put right an intake fact recorded wrongly (the date raised, the category, the
        project concerned), in any status. A corrected date raised may not follow the first
        assignment; deadlines count from assignments, so none changes."""
        reason = require_text(reason, "reason")
        which, checked, previous = check_correction(self, Correctable, CORRECTABLE, field, value)
        raised = checked if which is Correctable.raised_on else self.raised_on
        if which is Correctable.raised_on and self.assignments:
            first = self.assignments[0]["assigned_on"]
            if checked > first:
                msg = (f"raised_on (提出日期) cannot be corrected to {checked.isoformat()}: it "
                       f"would follow the first assignment (交办) on {first.isoformat()}"
                       " / 更正后的提出日期不能晚于交办日期")
                raise RuleViolation(msg)
        require_not_before(on, raised, "correction date", "date raised")
        self._corrected(field=which.value, value=checked, previous=previous, reason=reason,
                        on=on, audit=audit)

    class Corrected(Correction):
        """更正: an intake fact put right, with the value it replaces."""

    _corrected = event(Corrected)(intake_corrected)
    # Until the request is assigned, the assignment counts from the date raised.
    intake_date, intake_status = Correctable.raised_on, Status.raised

    def recompute_due(self, deadline: Deadline, on: date, audit: Audit) -> None:
        """Replace a provisional deadline once its year's official calendar is configured.

        Not a handling step: it leaves `last_step_on` alone so late entries (补录) still fit.
        """
        self._require_step("recompute_due")
        current = self.due
        if current is None:
            # Unreachable while ALLOWED keeps recompute_due to assigned states; kept for safety.
            msg = "the request has no deadline to recompute / 该诉求没有需要重算的期限"
            raise RuleViolation(msg)
        check_recomputed_deadline(deadline, current, "deadline")
        require_not_before(on, self.assignments[-1]["assigned_on"], "recomputation date",
                           "assignment date")
        self._due_recomputed(deadline=deadline, previous_due=current, on=on, audit=audit)

    class DueRecomputed(Aggregate.Event):
        """重算办理期限: a provisional deadline counted again on the official calendar."""

        deadline: Deadline
        previous_due: Deadline
        on: date
        audit: Audit

    @event(DueRecomputed)
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
    **instructions.EVENT_LABELS,
    **correction_labels(Correctable),
}
