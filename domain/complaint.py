"""营商环境投诉举报: a business-environment complaint, from registration (登记) to closure (办结).

Flow: received → accepted | declined; accepted → assigned (unit, reply deadline) → acknowledged
→ replied (callback deadline) → callback: satisfied / basically satisfied → called_back → closed,
unsatisfied → reopened (重办), which is assigned again. An assigned unit may return (退单) a case
it has not replied to, leaving it returned until reassigned, and may ask for an extension (延期)
of the reply deadline, which the supervision office approves or refuses. The supervision office
may urge (催办) any complaint that is not finished.

Decisions: `declined` is final like `closed` (不予受理 ends the case; it is not "closed", so
counts of 办结 stay true); a unit must acknowledge (签收) before it replies; a callback is
required before closing, anonymous complaints included (the public follows a complaint and
answers the callback by its receipt code). Who may take each step is decided by the
application's authorization, not here. Deadlines come from the application's working-day
calendar; this module only checks they start on the step's date.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.complaint_values import (
    ALLOWED,
    CORRECTABLE,
    EVENT_LABELS,
    EXTENSION_STEPS,
    FINAL_STATUSES,
    Category,
    Channel,
    Complainant,
    ComplaintDetails,
    Correctable,
    DeadlineKind,
    Satisfaction,
    Status,
)
from domain.errors import InvalidValue, RuleViolation
from domain.instructions import InstructedRecounted
from domain.shared import (
    Audit,
    Correction,
    Deadline,
    check_correction,
    check_deadline,
    check_recomputed_deadline,
    intake_corrected,
    optional_text,
    require_not_before,
    require_text,
    step_refused,
)

# Callers import the values from here.
__all__ = ["ALLOWED", "EVENT_LABELS", "FINAL_STATUSES", "Category", "Channel", "Complainant",
           "Complaint", "ComplaintDetails", "Correctable", "DeadlineKind", "Satisfaction",
           "Status"]


_RECEIPT_NAMESPACE = uuid5(NAMESPACE_URL, "https://investledger/complaint-receipt")


class Complaint(InstructedRecounted, Aggregate):
    """营商环境投诉举报: a complaint about the business environment and each handling step.

    Version 2 of the state keeps the date of the first urge (`first_urged_on`), which a
    corrected date received may not follow; version 3 the leaders' instructions (批示)."""

    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        # One urge: its date is the last one's. More: the first is unknown, and no urge
        # predates receipt, so the date received bounds it safely.
        urges = state.get("urge_count", 0)
        state.setdefault("first_urged_on", state.get("last_urged_on") if urges == 1
                         else state.get("received_on") if urges else None)

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state.setdefault("instructions", [])

    class Received(Aggregate.Created):
        """登记: a complaint is registered, with its acceptance deadline."""

        channel: str
        category: str
        content: str
        respondent_unit: str
        complainant: dict[str, str | None] | None
        filed_by_enterprise: str | None
        receipt: str
        acceptance_deadline: Deadline
        on: date
        audit: Audit

    @event(Received)
    def __init__(self, channel: str, category: str, content: str, respondent_unit: str,
                 complainant: dict[str, str | None] | None, filed_by_enterprise: str | None,
                 receipt: str, acceptance_deadline: Deadline, on: date, audit: Audit) -> None:
        self.channel = channel
        self.category = category
        self.content = content
        self.respondent_unit = respondent_unit
        self.complainant = complainant
        self.anonymous = complainant is None
        self.filed_by_enterprise = filed_by_enterprise
        self.receipt = receipt
        self.received_on = on
        self.acceptance_deadline = acceptance_deadline
        self.status = Status.received.value
        self.last_step_on = on
        self.accepted_on: date | None = None
        self.declined_on: date | None = None
        self.decline_reason: str | None = None
        self.assigned_unit: str | None = None
        self.reply_deadline: Deadline | None = None
        self.extended_due: date | None = None
        self.assignments: list[dict[str, Any]] = []
        self.extensions: list[dict[str, Any]] = []
        self.reply_text: str | None = None
        self.replied_on: date | None = None
        self.callback_deadline: Deadline | None = None
        self.satisfaction: str | None = None
        self.callback_on: date | None = None
        self.closed_on: date | None = None
        self.urge_count = 0
        self.first_urged_on: date | None = None
        self.last_urged_on: date | None = None
        self.instructions: list[dict[str, Any]] = []

    @staticmethod
    def create_id(receipt: str) -> UUID:
        """A complaint's id derives from its receipt code, so the public can follow it."""
        return uuid5(_RECEIPT_NAMESPACE, receipt)

    @classmethod
    def receive(cls, details: ComplaintDetails, receipt: str, acceptance_deadline: Deadline,
                on: date, audit: Audit) -> Complaint:
        d = details.checked()
        return cls(**d, receipt=require_text(receipt, "receipt", limit=40),
                   acceptance_deadline=check_deadline(acceptance_deadline, on,
                                                      "acceptance deadline"),
                   on=on, audit=audit)

    # --- guards -------------------------------------------------------------------------

    @property
    def pending_extension(self) -> dict[str, Any] | None:
        last = self.extensions[-1] if self.extensions else None
        return last if last is not None and last["outcome"] is None else None

    def allowed_steps(self) -> list[str]:
        pending = self.pending_extension is not None
        return [*(s for s in ALLOWED[self.status]
                  if not (s == "request-extension" and pending)
                  and not (s in EXTENSION_STEPS[1:] and not pending)),
                *self._instruction_steps()]

    def _refused(self, step: str, why: str = "") -> RuleViolation:
        return step_refused(step, "complaint", Status(self.status), self.allowed_steps(),
                            zh_item="投诉", why=why)

    def _require_step(self, step: str, name: str, on: date) -> None:
        if step not in self.allowed_steps():
            why = "no extension request is pending" if step in EXTENSION_STEPS[1:] else ""
            if step == "request-extension" and self.pending_extension is not None:
                why = "an extension request is already pending"
            raise self._refused(name, why)
        require_not_before(on, self.last_step_on, f"{name} date", "previous step date")

    def _current(self) -> dict[str, Any]:
        return self.assignments[-1]

    @property
    def effective_reply_due(self) -> date | None:
        """The reply due date with any approved extension applied."""
        if self.reply_deadline is None:
            return None
        return max(self.reply_deadline.due, self.extended_due or self.reply_deadline.due)

    # --- acceptance ---------------------------------------------------------------------

    def accept(self, comment: str | None, on: date, audit: Audit) -> None:
        self._require_step("accept", "accept", on)
        self._accepted(comment=optional_text(comment, "comment"), on=on, audit=audit)

    class Accepted(Aggregate.Event):
        """受理: the complaint is accepted for handling."""

        comment: str | None
        on: date
        audit: Audit

    @event(Accepted)
    def _accepted(self, comment: str | None, on: date, audit: Audit) -> None:
        self.status = Status.accepted.value
        self.accepted_on = self.last_step_on = on

    def decline(self, reason: str, on: date, audit: Audit) -> None:
        self._require_step("decline", "decline", on)
        self._declined(reason=require_text(reason, "reason"), on=on, audit=audit)

    class Declined(Aggregate.Event):
        """不予受理: the complaint is declined, which ends the case."""

        reason: str
        on: date
        audit: Audit

    @event(Declined)
    def _declined(self, reason: str, on: date, audit: Audit) -> None:
        self.status = Status.declined.value
        self.declined_on = self.last_step_on = on
        self.decline_reason = reason

    # --- assignment and the unit's handling ---------------------------------------------

    def assign(self, unit: str, reply_deadline: Deadline, note: str | None, on: date,
               audit: Audit) -> None:
        self._require_step("assign", "assign", on)
        self._assigned(unit=require_text(unit, "unit", limit=40),
                       reply_deadline=check_deadline(reply_deadline, on, "reply deadline"),
                       note=optional_text(note, "note"), on=on, audit=audit)

    class Assigned(Aggregate.Event):
        """交办: the complaint is assigned to a unit, with a reply deadline."""

        unit: str
        reply_deadline: Deadline
        note: str | None
        on: date
        audit: Audit

    @event(Assigned)
    def _assigned(self, unit: str, reply_deadline: Deadline, note: str | None, on: date,
                  audit: Audit) -> None:
        self.status = Status.assigned.value
        self.last_step_on = on
        self.assigned_unit = unit
        self.reply_deadline = reply_deadline
        self.extended_due = None
        self.reply_text = self.replied_on = self.callback_deadline = None
        self.satisfaction = self.callback_on = None
        self.assignments.append({
            "number": len(self.assignments) + 1, "unit": unit, "assigned_on": on,
            "reply_due": reply_deadline.due, "extended_due": None, "acknowledged_on": None,
            "replied_on": None, "returned": False, "returned_on": None, "return_reason": None,
            "satisfaction": None,
        })

    def acknowledge(self, on: date, audit: Audit) -> None:
        self._require_step("acknowledge", "acknowledge", on)
        self._acknowledged(on=on, audit=audit)

    class Acknowledged(Aggregate.Event):
        """签收: the assigned unit acknowledges the case."""

        on: date
        audit: Audit

    @event(Acknowledged)
    def _acknowledged(self, on: date, audit: Audit) -> None:
        self.status = Status.acknowledged.value
        self.last_step_on = self._current()["acknowledged_on"] = on

    def return_case(self, reason: str, on: date, audit: Audit) -> None:
        """退单: the assigned unit hands back a case outside its remit, for reassignment."""
        self._require_step("return", "return", on)
        self._returned(unit=str(self.assigned_unit), reason=require_text(reason, "reason"),
                       on=on, audit=audit)

    class Returned(Aggregate.Event):
        """退单: the assigned unit hands the case back as outside its remit."""

        unit: str
        reason: str
        on: date
        audit: Audit

    @event(Returned)
    def _returned(self, unit: str, reason: str, on: date, audit: Audit) -> None:
        self._lapse_pending_extension(on)
        self.status = Status.returned.value
        self.last_step_on = on
        self._current().update(returned=True, returned_on=on, return_reason=reason)
        self.assigned_unit = None
        self.reply_deadline = None
        self.extended_due = None

    def reply(self, text: str, callback_deadline: Deadline, on: date, audit: Audit) -> None:
        """答复: the assigned unit's answer; starts the callback deadline."""
        self._require_step("reply", "reply", on)
        self._replied(text=require_text(text, "text"),
                      callback_deadline=check_deadline(callback_deadline, on,
                                                       "callback deadline"),
                      on=on, audit=audit)

    class Replied(Aggregate.Event):
        """答复: the unit's answer, which starts the callback deadline."""

        text: str
        callback_deadline: Deadline
        on: date
        audit: Audit

    @event(Replied)
    def _replied(self, text: str, callback_deadline: Deadline, on: date, audit: Audit) -> None:
        self._lapse_pending_extension(on)
        self.status = Status.replied.value
        self.last_step_on = self.replied_on = self._current()["replied_on"] = on
        self.reply_text = text
        self.callback_deadline = callback_deadline

    # --- callback and closure -----------------------------------------------------------

    def record_callback(self, satisfaction: str, comment: str | None, on: date,
                        audit: Audit) -> None:
        """回访: the complainant's satisfaction; unsatisfied reopens the case (重办)."""
        self._require_step("callback", "record a callback", on)
        satisfaction = Satisfaction.require(satisfaction, "satisfaction").value
        comment = optional_text(comment, "comment")
        if satisfaction == Satisfaction.unsatisfied and comment is None:
            msg = "comment must say why the complainant is unsatisfied / 不满意须说明原因"
            raise InvalidValue(msg)
        self._callback_recorded(satisfaction=satisfaction, comment=comment, on=on, audit=audit)

    class CallbackRecorded(Aggregate.Event):
        """回访: the complainant's satisfaction with the reply."""

        satisfaction: str
        comment: str | None
        on: date
        audit: Audit

    @event(CallbackRecorded)
    def _callback_recorded(self, satisfaction: str, comment: str | None, on: date,
                           audit: Audit) -> None:
        reopen = satisfaction == Satisfaction.unsatisfied
        self.status = (Status.reopened if reopen else Status.called_back).value
        self.last_step_on = self.callback_on = on
        self.satisfaction = self._current()["satisfaction"] = satisfaction
        if reopen:
            self.assigned_unit = None
            self.reply_deadline = None
            self.extended_due = None

    def close(self, comment: str | None, on: date, audit: Audit) -> None:
        self._require_step("close", "close", on)
        self._closed(comment=optional_text(comment, "comment"), on=on, audit=audit)

    class Closed(Aggregate.Event):
        """办结: the case is closed after a satisfied callback."""

        comment: str | None
        on: date
        audit: Audit

    @event(Closed)
    def _closed(self, comment: str | None, on: date, audit: Audit) -> None:
        self.status = Status.closed.value
        self.last_step_on = self.closed_on = on

    # --- extension (延期) ----------------------------------------------------------------

    def request_extension(self, reason: str, until: date, on: date, audit: Audit) -> None:
        self._require_step("request-extension", "request an extension", on)
        due = self.effective_reply_due
        if due is not None and until <= due:
            msg = (f"extension until {until.isoformat()} must be after the current reply due "
                   f"date {due.isoformat()} / 延期日期须晚于当前答复期限")
            raise RuleViolation(msg)
        if until <= on:
            msg = (f"extension until {until.isoformat()} must be after the request date "
                   f"{on.isoformat()} / 延期至的日期须晚于申请日期")
            raise RuleViolation(msg)
        self._extension_requested(number=len(self.extensions) + 1,
                                  reason=require_text(reason, "reason"), until=until, on=on,
                                  audit=audit)

    class ExtensionRequested(Aggregate.Event):
        """申请延期: the unit asks to reply later, until a date."""

        number: int
        reason: str
        until: date
        on: date
        audit: Audit

    @event(ExtensionRequested)
    def _extension_requested(self, number: int, reason: str, until: date, on: date,
                             audit: Audit) -> None:
        self.last_step_on = on
        self.extensions.append({
            "number": number, "assignment": len(self.assignments), "requested_on": on,
            "reason": reason, "until": until, "outcome": None, "decided_on": None,
            "decision_comment": None,
        })

    def approve_extension(self, comment: str | None, on: date, audit: Audit) -> None:
        self._require_step("approve-extension", "approve the extension", on)
        self._extension_approved(number=len(self.extensions),
                                 comment=optional_text(comment, "comment"), on=on, audit=audit)

    class ExtensionApproved(Aggregate.Event):
        """同意延期: the pending extension request is approved."""

        number: int
        comment: str | None
        on: date
        audit: Audit

    @event(ExtensionApproved)
    def _extension_approved(self, number: int, comment: str | None, on: date,
                            audit: Audit) -> None:
        request = self.extensions[number - 1]
        request.update(outcome="approved", decided_on=on, decision_comment=comment)
        self.last_step_on = on
        self.extended_due = self._current()["extended_due"] = request["until"]

    def refuse_extension(self, reason: str, on: date, audit: Audit) -> None:
        self._require_step("refuse-extension", "refuse the extension", on)
        self._extension_refused(number=len(self.extensions),
                                reason=require_text(reason, "reason"), on=on, audit=audit)

    class ExtensionRefused(Aggregate.Event):
        """不同意延期: the pending extension request is refused."""

        number: int
        reason: str
        on: date
        audit: Audit

    @event(ExtensionRefused)
    def _extension_refused(self, number: int, reason: str, on: date, audit: Audit) -> None:
        self.extensions[number - 1].update(outcome="refused", decided_on=on,
                                           decision_comment=reason)
        self.last_step_on = on

    def _lapse_pending_extension(self, on: date) -> None:
        # A reply or return ends the assignment, and any undecided request with it.
        pending = self.pending_extension
        if pending is not None:
            pending.update(outcome="lapsed", decided_on=on)

    # --- supervision --------------------------------------------------------------------

    def urge(self, text: str, on: date, audit: Audit) -> None:
        """催办: the supervision office chases a complaint that is not finished."""
        if "urge" not in self.allowed_steps():
            raise self._refused("urge")
        # Urges are side notes, not steps of the flow: they only must not predate the case.
        require_not_before(on, self.received_on, "urge date", "date received")
        self._urged(text=require_text(text, "text"), on=on, audit=audit)

    class Urged(Aggregate.Event):
        """催办: the supervision office chases the case."""

        text: str
        on: date
        audit: Audit

    @event(Urged)
    def _urged(self, text: str, on: date, audit: Audit) -> None:
        self.urge_count += 1
        self.first_urged_on = on if self.first_urged_on is None else min(on, self.first_urged_on)
        self.last_urged_on = on if self.last_urged_on is None else max(on, self.last_urged_on)

    # --- leaders' instructions (批示): domain.instructions ----------------------------------

    noun = "complaint"

    def _instruction_steps(self) -> list[str]:
        # A leader instructs on an unfinished complaint; an instruction given is answered
        # even once the complaint is finished, so its supervision item can go.
        given = [] if self.status in FINAL_STATUSES else ["instruct"]
        return [*given, *self.instruction_steps()]

    def _check_instruction(self, step: str, on: date | None) -> None:
        if on is None:
            return
        if self.status in FINAL_STATUSES:
            raise self._refused(step)
        # Like urges, instructions are side notes, not steps of the flow.
        require_not_before(on, self.received_on, "instruction date", "date received")

    # --- corrections (更正) --------------------------------------------------------------

    def correct(self, field: str, value: Any, reason: str, on: date, audit: Audit,
                acceptance_deadline: Deadline | None = None) -> None:
        """更正: put right an intake fact recorded wrongly (date received, channel, category,
        respondent unit), in any status, by the rules of registration. A corrected date
        received may not follow the first step after it (acceptance, decline, an urge), and
        comes with the acceptance deadline counted again from it, which is recorded as a
        DeadlineRecomputed of the acceptance deadline."""
        reason = require_text(reason, "reason")
        which, checked, previous = check_correction(self, Correctable, CORRECTABLE, field, value)
        receipt = which is Correctable.received_on
        deadline = self._check_receipt_date(checked, acceptance_deadline) if receipt else None
        require_not_before(on, checked if receipt else self.received_on, "correction date",
                           "date received")
        self._corrected(field=which.value, value=checked, previous=previous, reason=reason,
                        on=on, audit=audit)
        if deadline is not None:
            self._deadline_recomputed(kind=DeadlineKind.acceptance.value, deadline=deadline,
                                      previous_due=self.acceptance_deadline.due,
                                      on=on, audit=audit)

    class Corrected(Correction):
        """更正: an intake fact put right, with the value it replaces."""

    _corrected = event(Corrected)(intake_corrected)
    # Until a step follows receipt, the next one counts from the date received.
    intake_date, intake_status = Correctable.received_on, Status.received

    def _check_receipt_date(self, day: date, deadline: Deadline | None) -> Deadline:
        """The acceptance deadline of a corrected date received `day`, which must not follow
        the first step taken after receipt."""
        later = [(d, what) for d, what in ((self.accepted_on, "acceptance date (受理日期)"),
                                           (self.declined_on, "decline date (不予受理日期)"),
                                           (self.first_urged_on, "first urge (催办)"))
                 if d is not None]
        if later:
            first, what = min(later)
            if day > first:
                msg = (f"received_on (登记日期) cannot be corrected to {day.isoformat()}: it "
                       f"would follow the {what} {first.isoformat()} / 更正后的登记日期不能晚于"
                       "其后的办理步骤")
                raise RuleViolation(msg)
        if deadline is None:
            msg = ("a corrected date received needs its acceptance deadline counted from it / "
                   "更正收件日期须同时给出据此计算的受理期限")
            raise InvalidValue(msg)
        return check_deadline(deadline, day, "acceptance deadline")

    def recompute_deadline(self, kind: str, deadline: Deadline, on: date, audit: Audit) -> None:
        """Replace a provisional deadline once its year's official calendar is known."""
        which = DeadlineKind.require(kind, "kind")
        if self.status == Status.closed:
            raise self._refused(f"recompute the {which} deadline")
        current: Deadline | None = getattr(self, f"{which}_deadline")
        if current is None:
            msg = (f"complaint has no {which} deadline ({which.label}) to recompute / "
                   f"该投诉没有需要重算的{which.label}期限")
            raise RuleViolation(msg)
        check_recomputed_deadline(deadline, current, f"{which} deadline")
        require_not_before(on, self.received_on, "recomputation date", "date received")
        self._deadline_recomputed(kind=which.value, deadline=deadline, previous_due=current.due,
                                  on=on, audit=audit)

    class DeadlineRecomputed(Aggregate.Event):
        """重算期限: a deadline counted again: a provisional one on the official calendar, or
        the acceptance deadline from a corrected date received."""

        kind: str
        deadline: Deadline
        previous_due: date
        on: date
        audit: Audit

    @event(DeadlineRecomputed)
    def _deadline_recomputed(self, kind: str, deadline: Deadline, previous_due: date, on: date,
                             audit: Audit) -> None:
        setattr(self, f"{kind}_deadline", deadline)
        if kind == DeadlineKind.reply:
            self._current()["reply_due"] = deadline.due

    # --- reading ------------------------------------------------------------------------

    def open_deadlines(self) -> list[tuple[str, Deadline]]:
        """The deadlines now running, as (kind, Deadline); an approved extension moves the
        reply deadline's `due` (its working_days stay those originally given)."""
        if self.status == Status.received.value:
            return [("acceptance", self.acceptance_deadline)]
        due = self.effective_reply_due
        running = self.status in (Status.assigned.value, Status.acknowledged.value)
        if running and self.reply_deadline is not None and due is not None:
            return [("reply", replace(self.reply_deadline, due=due))]
        if self.status == Status.replied.value and self.callback_deadline is not None:
            return [("callback", self.callback_deadline)]
        return []


