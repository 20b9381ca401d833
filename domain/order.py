"""督办单: a supervision order, from issue to closing (销号).

The supervision office (督查督办) issues an order to one unit: a task, a due date and, usually,
the item it is about (a project, a complaint, an enterprise request or a meeting's action
item; or none, for a free-standing order). The unit responds (反馈), saying whether the task
is done; the office closes the order (销号) only after a response that says it is done, or
sends the response back (退回) for more work. Urging (催办) and public notice (通报) are
recorded escalation steps that leave the status alone; urges are counted.

Flow: issued 已交办 → responded 已反馈 (again, as often as the unit reports) → closed 已销号;
responded → returned 已退回 → responded …. Every step carries a business date (`on`) not before
the previous step's; urges and notices only must not predate the order.

The due date is a working-day Deadline counted from the issue date (`deadline`), or a date
the office names itself (then `deadline` is None and nothing is ever recomputed).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidValue, RuleViolation
from domain.shared import (
    Audit,
    Deadline,
    Labelled,
    check_deadline,
    check_recomputed_deadline,
    require_day,
    require_not_before,
    require_text,
    step_refused,
)


class Status(Labelled):
    """Where an order stands."""

    issued = "issued", "已交办"
    responded = "responded", "已反馈"
    returned = "returned", "已退回"  # the office sent the response back; respond again
    closed = "closed", "已销号"


class SubjectKind(Labelled):
    """What an order may be about."""

    project = "project", "招商项目"
    complaint = "complaint", "营商环境投诉举报"
    request = "request", "企业诉求"
    meeting_item = "meeting_item", "会议议定事项"


# The commands each status accepts; the guard of every command and the "allowed next" of
# every refusal.
ALLOWED: dict[str, tuple[str, ...]] = {
    Status.issued: ("respond", "urge", "notify", "recompute_due"),
    Status.responded: ("respond", "close", "send_back", "urge", "notify", "recompute_due"),
    Status.returned: ("respond", "urge", "notify", "recompute_due"),
    Status.closed: (),
}
# The API path of each command a client takes (recompute_due is the calendar's, not theirs).
STEP_PATHS = {"respond": "respond", "close": "close", "send_back": "return", "urge": "urge",
              "notify": "notify"}
# 销号 and 退回 judge the unit's latest response: offered only when they would be accepted.
NEEDS_DONE = frozenset({"close"})


def check_subject(kind: object, subject_id: object) -> tuple[str | None, str | None]:
    """The (kind, id) an order is about, checked for shape: a UUID, or for a meeting's
    action item `<meeting id>:<item number>`; (None, None) for a free-standing order."""
    if kind is None and subject_id is None:
        return None, None
    checked = SubjectKind.require(kind, "subject.kind")
    text = str(subject_id or "").strip()
    meeting, _, number = text.partition(":") if checked is SubjectKind.meeting_item \
        else (text, "", "")
    try:
        uuid = UUID(meeting)
        if checked is SubjectKind.meeting_item and not (number.isdigit() and int(number) >= 1):
            raise ValueError(number)
    except ValueError:
        shape = ("<meeting id>:<item number>, e.g. 3f2b…:1"
                 if checked is SubjectKind.meeting_item else "a UUID")
        msg = (f"subject.id must be {shape} for a {checked.value}, got {subject_id!r}"
               f" / 督办事项编号格式有误")
        raise InvalidValue(msg) from None
    return checked.value, f"{uuid}:{int(number)}" if number else str(uuid)


class _Note(Aggregate.Event):
    """What an escalation records: its number, its text and its date (催办, 通报)."""

    number: int
    text: str
    on: date
    audit: Audit


class Order(Aggregate):
    """督办单: one supervision order and every step taken on it."""

    class Issued(Aggregate.Created):
        """交办: the supervision office issues the order to a unit."""

        subject_kind: str | None
        subject_id: str | None
        task: str
        unit: str
        due: date
        deadline: Deadline | None
        on: date
        audit: Audit

    @event(Issued)
    def __init__(self, subject_kind: str | None, subject_id: str | None, task: str, unit: str,
                 due: date, deadline: Deadline | None, on: date, audit: Audit) -> None:
        self.subject_kind = subject_kind
        self.subject_id = subject_id
        self.task = task
        self.unit = unit
        self.issued_on = on
        self.due = due
        self.deadline = deadline
        self.status = Status.issued.value
        self.responses: list[dict[str, Any]] = []
        self.returns: list[dict[str, Any]] = []
        self.urges: list[dict[str, Any]] = []
        self.urge_count = 0
        self.notices: list[dict[str, Any]] = []
        self.closed_on: date | None = None
        self.last_step_on = on

    @classmethod
    def issue(cls, subject_kind: str | None, subject_id: str | None, task: str, unit: str,
              due: Deadline | date, on: date, audit: Audit) -> Order:
        """Issue (交办) an order on business date `on`: due at a working-day Deadline counted
        from `on`, or on a date the office names, after `on`."""
        kind, subject = check_subject(subject_kind, subject_id)
        if isinstance(due, Deadline):
            deadline: Deadline | None = check_deadline(due, on, "due")
            day = due.due
        else:
            deadline, day = None, require_day(due, "due")
            if day <= on:
                msg = (f"due {day.isoformat()} must be after the issue date {on.isoformat()}"
                       f" / 办理期限须晚于交办日期")
                raise InvalidValue(msg)
        return cls(subject_kind=kind, subject_id=subject, task=require_text(task, "task"),
                   unit=require_text(unit, "unit", limit=40), due=day, deadline=deadline,
                   on=on, audit=audit)

    # --- guards and derived state -------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status != Status.closed.value

    @property
    def latest_response(self) -> dict[str, Any] | None:
        return self.responses[-1] if self.responses else None

    def is_overdue(self, today: date) -> bool:
        """超期: not yet closed and the due date has passed."""
        return self.is_open and self.due < today

    def allowed_steps(self) -> list[str]:
        """The steps the order takes now, named as its API paths."""
        done = self.latest_response is not None and self.latest_response["done"]
        return [STEP_PATHS[step] for step in ALLOWED[self.status] if step in STEP_PATHS
                and (step not in NEEDS_DONE or done)]

    def _require_step(self, step: str) -> None:
        allowed = ALLOWED[self.status]
        if step not in allowed:
            paths = [STEP_PATHS[s] for s in allowed if s in STEP_PATHS]
            raise step_refused(STEP_PATHS.get(step, step), "the order", Status(self.status),
                               paths, zh_item="督办单")

    def _require_after_last_step(self, on: date, what: str) -> None:
        require_not_before(on, self.last_step_on, what, "previous step's date")

    # --- the unit -----------------------------------------------------------------------

    def respond(self, text: str, done: bool, on: date, audit: Audit) -> int:
        """反馈: the unit reports on the task, saying whether it is done; the response's
        number."""
        self._require_step("respond")
        if not isinstance(done, bool):
            msg = f"done must be true or false, got {done!r} / done 须为 true 或 false"
            raise InvalidValue(msg)
        text = require_text(text, "text")
        self._require_after_last_step(on, "response date")
        number = len(self.responses) + 1
        self._responded(number=number, text=text, done=done, on=on, audit=audit)
        return number

    class Responded(Aggregate.Event):
        """反馈: the unit reports on the task."""

        number: int
        text: str
        done: bool
        on: date
        audit: Audit

    @event(Responded)
    def _responded(self, number: int, text: str, done: bool, on: date, audit: Audit) -> None:
        self.responses.append({"number": number, "text": text, "done": done, "on": on,
                               "by_unit": audit.unit})
        self.status = Status.responded.value
        self.last_step_on = on

    # --- the supervision office ---------------------------------------------------------

    def close(self, on: date, audit: Audit) -> None:
        """销号: only after the unit's latest response says the task is done."""
        if self.is_open:
            self._require_done()
        self._require_step("close")
        self._require_after_last_step(on, "closing date")
        self._closed(on=on, audit=audit)

    def _require_done(self) -> None:
        """Refuse closing an order whose latest response does not say the task is done,
        naming why."""
        latest = self.latest_response
        if self.status == Status.responded and latest is not None and latest["done"]:
            return
        if self.status == Status.issued:
            why, zh = "the unit has not responded yet", "责任单位尚未反馈"
        elif self.status == Status.returned:
            why = "the last response was returned and the unit has not responded since"
            zh = "反馈已退回，责任单位尚未重新反馈"
        else:
            number, day = (latest["number"], latest["on"]) if latest else (0, self.issued_on)
            why = (f"the unit's latest response (#{number}, {day.isoformat()}) says the task "
                   "is not done")
            zh = "责任单位最近一次反馈尚未办结"
        msg = (f"cannot close: {why}; an order is closed (销号) only after a response with "
               f"done=true / {zh}，反馈办结后方可销号")
        raise RuleViolation(msg)

    class Closed(Aggregate.Event):
        """销号: the supervision office closes the order."""

        on: date
        audit: Audit

    @event(Closed)
    def _closed(self, on: date, audit: Audit) -> None:
        self.status = Status.closed.value
        self.closed_on = on
        self.last_step_on = on

    def send_back(self, reason: str, on: date, audit: Audit) -> None:
        """退回: the office sends the unit's response back, saying why; the unit responds
        again."""
        self._require_step("send_back")
        reason = require_text(reason, "reason")
        self._require_after_last_step(on, "return date")
        self._returned(number=len(self.returns) + 1, reason=reason, on=on, audit=audit)

    class Returned(Aggregate.Event):
        """退回: the office sends the response back."""

        number: int
        reason: str
        on: date
        audit: Audit

    @event(Returned)
    def _returned(self, number: int, reason: str, on: date, audit: Audit) -> None:
        self.returns.append({"number": number, "reason": reason, "on": on,
                             "response": len(self.responses)})
        self.status = Status.returned.value
        self.last_step_on = on

    def urge(self, text: str, on: date, audit: Audit) -> None:
        """催办: chase the unit; counted, the status stays."""
        self._require_step("urge")
        text = require_text(text, "text")
        # Escalations are side notes, not steps of the flow: they only must not predate it.
        require_not_before(on, self.issued_on, "urge date", "issue date")
        self._urged(number=self.urge_count + 1, text=text, on=on, audit=audit)

    class Urged(_Note):
        """催办: the office chases the unit."""

    @event(Urged)
    def _urged(self, number: int, text: str, on: date, audit: Audit) -> None:
        self.urges.append({"number": number, "text": text, "on": on})
        self.urge_count += 1

    def notify(self, text: str, on: date, audit: Audit) -> None:
        """通报: a notice on the unit's handling (usually its delay); the status stays."""
        self._require_step("notify")
        text = require_text(text, "text")
        require_not_before(on, self.issued_on, "notice date", "issue date")
        self._notified(number=len(self.notices) + 1, text=text, on=on, audit=audit)

    class Notified(_Note):
        """通报: a notice on the unit's handling."""

    @event(Notified)
    def _notified(self, number: int, text: str, on: date, audit: Audit) -> None:
        self.notices.append({"number": number, "text": text, "on": on})

    # --- the calendar -------------------------------------------------------------------

    def recompute_due(self, deadline: Deadline, on: date, audit: Audit) -> None:
        """Replace a provisional deadline once its year's official calendar is configured.
        Not a handling step: it leaves `last_step_on` alone so late entries (补录) still fit."""
        self._require_step("recompute_due")
        if self.deadline is None:
            msg = ("the order's due date was named by the supervision office, not counted in "
                   "working days; nothing to recompute / 督办期限为指定日期，无需重算")
            raise RuleViolation(msg)
        check_recomputed_deadline(deadline, self.deadline, "due")
        require_not_before(on, self.issued_on, "recomputation date", "issue date")
        self._due_recomputed(deadline=deadline, previous_due=self.due, on=on, audit=audit)

    class DueRecomputed(Aggregate.Event):
        """重算办理期限: a provisional deadline counted again on the official calendar."""

        deadline: Deadline
        previous_due: date
        on: date
        audit: Audit

    @event(DueRecomputed)
    def _due_recomputed(self, deadline: Deadline, previous_due: date, on: date,
                        audit: Audit) -> None:
        self.deadline = deadline
        self.due = deadline.due


EVENT_LABELS = {
    "Issued": "交办督办单",
    "Responded": "单位反馈",
    "Returned": "退回",
    "Closed": "销号",
    "Urged": "催办",
    "Notified": "通报",
    "DueRecomputed": "重算办理期限",
}
