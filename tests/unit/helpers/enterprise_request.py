"""Builders for EnterpriseRequest tests: a raised request moved along its flow on fixed dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from domain.enterprise import Enterprise
from domain.enterprise_request import EnterpriseRequest
from domain.shared import Audit, Deadline

CODE = "91350100M000100Y43"
ENTERPRISE_ID = Enterprise.create_id(CODE)
RAISED_ON = date(2025, 2, 28)
ASSIGNED_ON = date(2025, 3, 3)
NOTED_ON = date(2025, 3, 7)
ANSWERED_ON = date(2025, 3, 14)
FEEDBACK_ON = date(2025, 3, 20)
CLOSED_ON = date(2025, 3, 21)
DUE = Deadline(start=date(2025, 3, 3), working_days=10, due=date(2025, 3, 17),
               calendar_version="test")
PROVISIONAL = replace(DUE, provisional=True, calendar_version="rule-2025")
SECOND_DUE = Deadline(start=date(2025, 3, 21), working_days=10, due=date(2025, 4, 3),
                      calendar_version="test")


def raise_request(audit: Audit, **overrides: Any) -> EnterpriseRequest:
    fields: dict[str, Any] = {
        "enterprise_id": ENTERPRISE_ID,
        "credit_code": CODE,
        "project_id": None,
        "source": "visit",
        "visit_number": 1,
        "category": "labour",
        "description": "春节后用工缺口约200人",
        "on": RAISED_ON,
    }
    fields.update(overrides)
    return EnterpriseRequest.raise_request(audit=audit, **fields)


STEPS: dict[str, Callable[[EnterpriseRequest, Audit], Any]] = {
    "assigned": lambda r, a: r.assign("rsj", ["gxj", "liudong"], DUE, on=ASSIGNED_ON, audit=a),
    "in_progress": lambda r, a: r.note_progress("已对接招聘会", "gxj", on=NOTED_ON, audit=a),
    "answered": lambda r, a: r.record_outcome("resolved", None, "rsj", on=ANSWERED_ON, audit=a),
    "confirmed": lambda r, a: r.record_feedback("satisfied", None, on=FEEDBACK_ON, audit=a),
    "closed": lambda r, a: r.close(None, on=CLOSED_ON, audit=a),
}
PATH = list(STEPS)


def advance(request: EnterpriseRequest, status: str, audit: Audit) -> EnterpriseRequest:
    """Move a raised request along the normal path to `status` (or reopen it)."""
    if status == "reopened":
        advance(request, "answered", audit)
        request.record_feedback("unsatisfied", "仍缺工", on=FEEDBACK_ON, audit=audit)
    elif status != "raised":
        for step in PATH[: PATH.index(status) + 1]:
            STEPS[step](request, audit)
    assert request.status == status
    request.collect_events()
    return request


def event_names(request: EnterpriseRequest) -> list[str]:
    return [type(e).__name__ for e in request.collect_events()]
