"""Complaint flow (营商环境投诉举报): the step table decides which step is allowed in
which status, and every step is dated no earlier than the one before."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from domain.complaint import (
    ALLOWED,
    Category,
    Channel,
    Complaint,
    Satisfaction,
    Status,
)
from domain.errors import RuleViolation
from domain.shared import Audit
from tests.unit.helpers.complaint import (
    ACCEPTED_ON,
    ACKNOWLEDGED_ON,
    ASSIGNED_ON,
    CALLED_BACK_ON,
    LATER,
    PATHS,
    RECEIVED_ON,
    REPLIED_ON,
    RETURNED_ON,
    STEPS,
    deadline,
    event_names,
)

# --- labels and the step table ----------------------------------------------------------


def test_labels_cover_every_code() -> None:
    assert set(Status.labels()) == {s.value for s in Status} == set(ALLOWED)
    assert Channel.labels() == {
        "website": "网站", "mailbox": "投诉信箱", "hotline": "投诉热线",
        "county_zone": "县区/开发区", "municipal_department": "市级涉企部门", "walk_in": "来访",
    }
    assert set(Category.labels()) == {"approval_service", "policy_delivery", "fees_and_fines",
                                    "inspections", "fair_competition", "conduct", "other"}
    assert Satisfaction.labels() == {"satisfied": "满意", "basically_satisfied": "基本满意",
                                   "unsatisfied": "不满意"}
    assert {s for steps in ALLOWED.values() for s in steps} == set(STEPS)


def test_the_step_table_follows_the_complaint_flow() -> None:
    handling = ("return", "request-extension", "approve-extension", "refuse-extension", "urge")
    assert {
        "received": ("accept", "decline", "urge"),
        "accepted": ("assign", "urge"),
        "declined": (),
        "assigned": ("acknowledge", *handling),
        "acknowledged": ("reply", *handling),
        "replied": ("callback", "urge"),
        "called_back": ("close", "urge"),
        "reopened": ("assign", "urge"),
        "returned": ("assign", "urge"),
        "closed": (),
    } == ALLOWED


@pytest.mark.parametrize("status", list(PATHS))
@pytest.mark.parametrize("step", list(STEPS))
def test_each_step_succeeds_exactly_where_the_step_table_allows_it(
    complaint_at: Callable[[str], Complaint], audit: Audit, status: str, step: str
) -> None:
    complaint = complaint_at(status)
    allowed = complaint.allowed_steps()
    version = complaint.version
    if step in allowed:
        STEPS[step](complaint, audit)
        assert complaint.version == version + 1
    else:
        pattern = rf"^cannot .*complaint is {status} \({Status.labels()[status]}\); allowed next: "
        with pytest.raises(RuleViolation, match=pattern):
            STEPS[step](complaint, audit)
        assert complaint.version == version
        assert complaint.status == status


@pytest.mark.parametrize("status", ["assigned", "acknowledged"])
@pytest.mark.parametrize("step", list(STEPS))
def test_a_pending_extension_swaps_request_for_approve_and_refuse(
    complaint_at: Callable[[str], Complaint], audit: Audit, status: str, step: str
) -> None:
    complaint = complaint_at(status)
    complaint.request_extension("需现场核查", until=date(2026, 4, 30), on=ACKNOWLEDGED_ON,
                                audit=audit)
    allowed = complaint.allowed_steps()
    assert "request-extension" not in allowed
    assert {"approve-extension", "refuse-extension"} <= set(allowed)
    if step in allowed:
        STEPS[step](complaint, audit)
    else:
        with pytest.raises(RuleViolation):
            STEPS[step](complaint, audit)


def test_an_illegal_step_names_the_status_and_the_allowed_steps(complaint: Complaint,
                                                                audit: Audit) -> None:
    expected = ("cannot reply: complaint is received (登记); "
                "allowed next: accept, decline, urge, instruct / "
                "投诉当前状态为「登记」，不能进行此项操作")
    with pytest.raises(RuleViolation, match=f"^{re.escape(expected)}$"):
        complaint.reply("已答复", deadline(LATER, 5), on=LATER, audit=audit)
    assert event_names(complaint) == ["Received"]


@pytest.mark.parametrize("status", ["closed", "declined"])
def test_a_finished_complaint_allows_nothing(
    complaint_at: Callable[[str], Complaint], audit: Audit, status: str
) -> None:
    complaint = complaint_at(status)
    assert complaint.allowed_steps() == []
    with pytest.raises(RuleViolation,
                       match=r"allowed next: nothing / 投诉当前状态为「\w+」，不能进行此项操作$"):
        complaint.urge("请加快办理", on=LATER, audit=audit)


# --- business dates ---------------------------------------------------------------------


@pytest.mark.parametrize(("status", "step", "previous"), [
    ("received", "accept", RECEIVED_ON),
    ("received", "decline", RECEIVED_ON),
    ("accepted", "assign", ACCEPTED_ON),
    ("assigned", "acknowledge", ASSIGNED_ON),
    ("assigned", "return", ASSIGNED_ON),
    ("assigned", "request-extension", ASSIGNED_ON),
    ("acknowledged", "reply", ACKNOWLEDGED_ON),
    ("replied", "callback", REPLIED_ON),
    ("called_back", "close", CALLED_BACK_ON),
    ("reopened", "assign", CALLED_BACK_ON),
    ("returned", "assign", RETURNED_ON),
])
def test_a_step_cannot_be_dated_before_the_previous_step(
    complaint_at: Callable[[str], Complaint], audit: Audit, status: str, step: str,
    previous: date,
) -> None:
    complaint = complaint_at(status)
    early = previous - timedelta(days=1)
    commands: dict[str, Callable[[], None]] = {
        "accept": lambda: complaint.accept(None, on=early, audit=audit),
        "decline": lambda: complaint.decline("x", on=early, audit=audit),
        "assign": lambda: complaint.assign("zjj", deadline(early, 15), None, on=early,
                                           audit=audit),
        "acknowledge": lambda: complaint.acknowledge(on=early, audit=audit),
        "return": lambda: complaint.return_case("x", on=early, audit=audit),
        "request-extension": lambda: complaint.request_extension(
            "x", until=LATER, on=early, audit=audit),
        "reply": lambda: complaint.reply("x", deadline(early, 5), on=early, audit=audit),
        "callback": lambda: complaint.record_callback("satisfied", None, on=early, audit=audit),
        "close": lambda: complaint.close(None, on=early, audit=audit),
    }
    with pytest.raises(RuleViolation, match=f"is before previous step date {previous}"):
        commands[step]()
    assert complaint.status == status


def test_an_extension_decision_cannot_precede_the_request(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("assigned")
    complaint.request_extension("x", until=LATER, on=RETURNED_ON, audit=audit)
    with pytest.raises(RuleViolation, match="before previous step date 2026-03-06"):
        complaint.approve_extension(None, on=ACKNOWLEDGED_ON, audit=audit)


def test_steps_may_share_a_date(complaint: Complaint, audit: Audit) -> None:
    complaint.accept(None, on=RECEIVED_ON, audit=audit)
    complaint.assign("zjj", deadline(RECEIVED_ON, 15), None, on=RECEIVED_ON, audit=audit)
    complaint.acknowledge(on=RECEIVED_ON, audit=audit)
    assert complaint.status == "acknowledged"
