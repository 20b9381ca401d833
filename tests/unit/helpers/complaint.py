"""Builders for Complaint tests: a received complaint moved along its flow on fixed dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from domain.complaint import Complainant, Complaint, ComplaintDetails
from domain.shared import Audit, Deadline

RECEIVED_ON = date(2026, 3, 2)
ACCEPTED_ON = date(2026, 3, 3)
ASSIGNED_ON = date(2026, 3, 4)
ACKNOWLEDGED_ON = date(2026, 3, 5)
RETURNED_ON = date(2026, 3, 6)
REPLIED_ON = date(2026, 3, 16)
CALLED_BACK_ON = date(2026, 3, 18)
CLOSED_ON = date(2026, 3, 19)
LATER = date(2026, 4, 1)
VERSION = "test-calendar 1"


def deadline(start: date, days: int, provisional: bool = False, shift: int = 0) -> Deadline:
    """A deadline as the calendar would give it; calendar days stand in for working days."""
    return Deadline(start=start, working_days=days, due=start + timedelta(days=days + shift),
                    calendar_version=VERSION, provisional=provisional)


def details(**overrides: Any) -> ComplaintDetails:
    fields: dict[str, Any] = {
        "channel": "hotline",
        "category": "approval_service",
        "content": "施工许可审批超过承诺时限仍未办结",
        "respondent_unit": "zjj",
        "complainant": Complainant(name="李明", phone="0772-1234567", enterprise="柳州某某公司"),
        "filed_by_enterprise": None,
    }
    fields.update(overrides)
    return ComplaintDetails(**fields)


def receive(audit: Audit, provisional: bool = False, **overrides: Any) -> Complaint:
    return Complaint.receive(details(**overrides), receipt="TS20260302-0001",
                             acceptance_deadline=deadline(RECEIVED_ON, 3, provisional),
                             on=RECEIVED_ON, audit=audit)


PATHS: dict[str, list[str]] = {
    "received": [],
    "accepted": ["accept"],
    "declined": ["decline"],
    "assigned": ["accept", "assign"],
    "acknowledged": ["accept", "assign", "acknowledge"],
    "returned": ["accept", "assign", "return"],
    "replied": ["accept", "assign", "acknowledge", "reply"],
    "called_back": ["accept", "assign", "acknowledge", "reply", "satisfied"],
    "reopened": ["accept", "assign", "acknowledge", "reply", "unsatisfied"],
    "closed": ["accept", "assign", "acknowledge", "reply", "satisfied", "close"],
}


def advance(complaint: Complaint, status: str, audit: Audit) -> Complaint:
    """Move a received complaint to `status` along the normal path, on the fixed dates."""
    steps: dict[str, Callable[[], None]] = {
        "accept": lambda: complaint.accept(None, on=ACCEPTED_ON, audit=audit),
        "decline": lambda: complaint.decline("不属于营商环境投诉", on=ACCEPTED_ON, audit=audit),
        "assign": lambda: complaint.assign("zjj", deadline(ASSIGNED_ON, 15), None,
                                           on=ASSIGNED_ON, audit=audit),
        "acknowledge": lambda: complaint.acknowledge(on=ACKNOWLEDGED_ON, audit=audit),
        "return": lambda: complaint.return_case("不属于本单位职责", on=RETURNED_ON, audit=audit),
        "reply": lambda: complaint.reply("已督促办结审批", deadline(REPLIED_ON, 5),
                                         on=REPLIED_ON, audit=audit),
        "satisfied": lambda: complaint.record_callback("satisfied", None, on=CALLED_BACK_ON,
                                                       audit=audit),
        "unsatisfied": lambda: complaint.record_callback("unsatisfied", "问题未解决",
                                                         on=CALLED_BACK_ON, audit=audit),
        "close": lambda: complaint.close(None, on=CLOSED_ON, audit=audit),
    }
    for step in PATHS[status]:
        steps[step]()
    assert complaint.status == status
    return complaint


def recorded(complaint: Complaint) -> list[Any]:
    """The events recorded since the last call, typed loosely to read their attributes."""
    return list(complaint.collect_events())


def event_names(complaint: Complaint) -> list[str]:
    return [type(e).__name__ for e in recorded(complaint)]


# Every step with valid arguments, dated LATER (after every step of the paths above).
STEPS: dict[str, Callable[[Complaint, Audit], None]] = {
    "accept": lambda c, a: c.accept(None, on=LATER, audit=a),
    "decline": lambda c, a: c.decline("重复投诉", on=LATER, audit=a),
    "assign": lambda c, a: c.assign("fgw", deadline(LATER, 15), None, on=LATER, audit=a),
    "acknowledge": lambda c, a: c.acknowledge(on=LATER, audit=a),
    "reply": lambda c, a: c.reply("已答复", deadline(LATER, 5), on=LATER, audit=a),
    "callback": lambda c, a: c.record_callback("satisfied", None, on=LATER, audit=a),
    "close": lambda c, a: c.close(None, on=LATER, audit=a),
    "return": lambda c, a: c.return_case("非本单位职责", on=LATER, audit=a),
    "request-extension": lambda c, a: c.request_extension(
        "需现场核查", until=LATER + timedelta(days=60), on=LATER, audit=a),
    "approve-extension": lambda c, a: c.approve_extension(None, on=LATER, audit=a),
    "refuse-extension": lambda c, a: c.refuse_extension("理由不充分", on=LATER, audit=a),
    "urge": lambda c, a: c.urge("请加快办理", on=LATER, audit=a),
}
