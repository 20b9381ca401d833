"""Use cases of supervision orders (督办单): issue, respond, close (销号), return, urge, notify.

The orders on an item (a project, complaint, request or meeting action item) are read from
the order ledger, `GET /api/v1/ledgers/orders?subject_id=<id>&status=…`, not from the item's
own state: an item's state is its aggregate, versioned by its ETag, and an order issued on
it changes no version of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from application import policy
from application.cases import CaseService, Result, state_of
from application.context import Caller
from application.errors import NotFound
from application.queries import LedgerQuery, Param, codes, day, flag, text, words
from domain.calendar import Deadline
from domain.complaint import Complaint
from domain.enterprise_request import EnterpriseRequest
from domain.errors import InvalidValue, RuleViolation
from domain.meeting import Meeting
from domain.order import EVENT_LABELS, Order, Status, SubjectKind, check_subject
from domain.project import Project

# What each kind of subject is, and the policy action that reads it.
SUBJECTS: dict[str, tuple[type[Aggregate], str]] = {
    SubjectKind.project: (Project, "project.read"),
    SubjectKind.complaint: (Complaint, "complaint.read"),
    SubjectKind.request: (EnterpriseRequest, "request.read"),
    SubjectKind.meeting_item: (Meeting, "meeting.read"),
}


@dataclass(frozen=True)
class Subject:
    """The item an order is about: its kind and id (`<meeting id>:<n>` for an action item)."""

    kind: str
    id: str


@dataclass(frozen=True)
class OrderState:
    """Current state of one supervision order, as clients read it."""

    id: UUID
    version: int
    subject_kind: str | None
    subject_id: str | None
    task: str
    unit: str
    issued_on: date
    due: date
    deadline: Deadline | None
    overdue: bool
    status: str
    responses: list[dict[str, Any]]
    returns: list[dict[str, Any]]
    urges: list[dict[str, Any]]
    urge_count: int
    notices: list[dict[str, Any]]
    closed_on: date | None
    allowed_steps: list[str]
    created_at: datetime
    modified_at: datetime

    @classmethod
    def of(cls, order: Order, today: date) -> OrderState:
        return state_of(cls, order, overdue=order.is_overdue(today))


OrderResult = Result[OrderState]


def subject_id(raw: str) -> str:
    """An item id as orders name it: a UUID, or `<meeting id>:<n>` for an action item."""
    meeting, colon, number = raw.strip().partition(":")
    if colon and not (number.isdigit() and int(number) >= 1):
        raise ValueError(raw)
    return f"{UUID(meeting)}:{int(number)}" if colon else str(UUID(meeting))


LEDGER = LedgerQuery("orders", "order.read", {
    "unit": words("The unit the order is issued to (unit codes)"),
    "status": codes(Status, "状态 status"),
    "subject_kind": codes(SubjectKind, "督办对象 subject_kind"),
    "subject_id": Param("The item the orders are about: its id, or <meeting id>:<n> for a "
                        "meeting's action item", subject_id,
                        {"type": "string", "description": "an item id"}),
    "issued_from": day("Issued on or after"),
    "issued_to": day("Issued on or before"),
    "overdue": flag("true: not closed (未销号) and the due date past"),
    "q": text("Words of the task"),
}, dated=True, periods=(("issued_from", "issued_to"),))


class OrderService(CaseService[Order, OrderState]):
    """Every use case of supervision orders."""

    created_event = Order.Issued
    kind = "order"
    event_labels = EVENT_LABELS

    def state(self, caller: Caller, item: Order) -> OrderState:
        return OrderState.of(item, self.clock.today())

    # --- the supervision office --------------------------------------------------------

    def issue(self, caller: Caller, subject: Subject | None, task: str, unit: str,
              due: date | None = None, on: date | None = None) -> OrderResult:
        """交办: due `due`, or the configured order_days working days from `on`."""
        self.authorize(caller, "supervise")
        day = self.day(on)
        unit = self.units.require(unit, "unit")
        kind, item_id = check_subject(subject.kind, subject.id) if subject else (None, None)
        if kind is not None and item_id is not None:
            self._require_subject(caller, kind, item_id)
        order = Order.issue(kind, item_id, task, unit,
                            self.deadline("order", day) if due is None else due, day,
                            caller.audit())
        return self.saved(caller, order)

    def _require_subject(self, caller: Caller, kind: str, item_id: str) -> None:
        """The item the order is about must exist (and be one the caller may read): 422
        naming it otherwise."""
        aggregate, read = SUBJECTS[kind]
        meeting, _, number = item_id.partition(":")
        try:
            item = self.store.load(aggregate, UUID(meeting))
            if isinstance(item, Meeting):
                item.item(int(number))
        except (NotFound, RuleViolation):
            item = None
        if item is None or not policy.allows(caller, read, item):
            label = SubjectKind(kind).label
            msg = (f"subject: no {kind.replace('_', ' ')} with id {item_id}"
                   f" / 督办对象不存在：{label} {item_id}")
            raise InvalidValue(msg)

    def close(self, caller: Caller, order_id: UUID, on: date | None = None,
              expected_version: int | None = None) -> OrderResult:
        order = self.load_for(caller, "supervise", order_id, expected_version)
        order.close(self.day(on), caller.audit())
        return self.saved(caller, order)

    def send_back(self, caller: Caller, order_id: UUID, reason: str, on: date | None = None,
                  expected_version: int | None = None) -> OrderResult:
        order = self.load_for(caller, "supervise", order_id, expected_version)
        order.send_back(reason, self.day(on), caller.audit())
        return self.saved(caller, order)

    def urge(self, caller: Caller, order_id: UUID, text: str, on: date | None = None,
             expected_version: int | None = None) -> OrderResult:
        order = self.load_for(caller, "supervise", order_id, expected_version)
        order.urge(text, self.day(on), caller.audit())
        return self.saved(caller, order)

    def notify(self, caller: Caller, order_id: UUID, text: str, on: date | None = None,
               expected_version: int | None = None) -> OrderResult:
        order = self.load_for(caller, "supervise", order_id, expected_version)
        order.notify(text, self.day(on), caller.audit())
        return self.saved(caller, order)

    # --- the unit ----------------------------------------------------------------------

    def respond(self, caller: Caller, order_id: UUID, text: str, done: bool,
                on: date | None = None, expected_version: int | None = None) -> OrderResult:
        order = self.load_for(caller, "respond", order_id, expected_version)
        number = order.respond(text, done, self.day(on), caller.audit())
        return self.saved(caller, order, number)

    # --- calendar ----------------------------------------------------------------------

    def provisional_deadlines(self, item: Order) -> list[tuple[Any, Deadline]]:
        current = item.deadline
        if current is None or not current.provisional or not item.is_open:
            return []
        return [("due", current)]

    def recompute_deadline(self, caller: Caller, item: Order, key: Any,
                           fresh: Deadline) -> None:
        item.recompute_due(fresh, max(self.clock.today(), item.issued_on), caller.audit())
