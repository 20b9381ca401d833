"""Complaint aggregate (营商环境投诉举报): every step, every refusal, audit and replay."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from domain.calendar import Deadline
from domain.complaint import (
    ALLOWED,
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    EVENT_LABELS,
    SATISFACTION_LABELS,
    STATUS_LABELS,
    Complainant,
    Complaint,
    ComplaintDetails,
    Status,
)
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit

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


@pytest.fixture
def complaint(audit: Audit) -> Complaint:
    return receive(audit)


@pytest.fixture
def complaint_at(audit: Audit) -> Callable[[str], Complaint]:
    return lambda status: advance(receive(audit), status, audit)


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


# --- labels and the step table ----------------------------------------------------------


def test_labels_cover_every_code() -> None:
    assert set(STATUS_LABELS) == {s.value for s in Status} == set(ALLOWED)
    assert CHANNEL_LABELS == {
        "website": "网站", "mailbox": "投诉信箱", "hotline": "投诉热线",
        "county_zone": "县区/开发区", "municipal_department": "市级涉企部门", "walk_in": "来访",
    }
    assert set(CATEGORY_LABELS) == {"approval_service", "policy_delivery", "fees_and_fines",
                                    "inspections", "fair_competition", "conduct", "other"}
    assert SATISFACTION_LABELS == {"satisfied": "满意", "basically_satisfied": "基本满意",
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
        pattern = rf"^cannot .*complaint is {status} \({STATUS_LABELS[status]}\); allowed: "
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
    expected = "cannot reply: complaint is received (登记); allowed: accept, decline, urge"
    with pytest.raises(RuleViolation, match=f"^{re.escape(expected)}$"):
        complaint.reply("已答复", deadline(LATER, 5), on=LATER, audit=audit)
    assert event_names(complaint) == ["Received"]


@pytest.mark.parametrize("status", ["closed", "declined"])
def test_a_finished_complaint_allows_nothing(
    complaint_at: Callable[[str], Complaint], audit: Audit, status: str
) -> None:
    complaint = complaint_at(status)
    assert complaint.allowed_steps() == []
    with pytest.raises(RuleViolation, match=r"allowed: none$"):
        complaint.urge("请加快办理", on=LATER, audit=audit)


# --- registration (登记) -----------------------------------------------------------------


def test_receiving_registers_a_complaint_with_its_acceptance_deadline(
    complaint: Complaint, audit: Audit
) -> None:
    assert complaint.status == "received"
    assert complaint.channel == "hotline"
    assert complaint.category == "approval_service"
    assert complaint.respondent_unit == "zjj"
    assert complaint.complainant == {"name": "李明", "phone": "0772-1234567",
                                     "enterprise": "柳州某某公司"}
    assert complaint.anonymous is False
    assert complaint.receipt == "TS20260302-0001"
    assert complaint.received_on == RECEIVED_ON
    assert complaint.acceptance_deadline == deadline(RECEIVED_ON, 3)
    assert complaint.open_deadlines() == [("acceptance", deadline(RECEIVED_ON, 3))]
    assert complaint.assignments == []
    assert complaint.urge_count == 0
    (event,) = recorded(complaint)
    assert type(event).__name__ == "Received"
    assert (event.on, event.receipt, event.audit) == (RECEIVED_ON, "TS20260302-0001", audit)
    assert event.acceptance_deadline == deadline(RECEIVED_ON, 3)


def test_a_complaint_without_complainant_is_anonymous(audit: Audit) -> None:
    complaint = receive(audit, complainant=None)
    assert complaint.anonymous is True
    assert complaint.complainant is None


def test_receiving_strips_text_and_normalises_the_credit_code(audit: Audit) -> None:
    complaint = receive(
        audit, content="  收费不合理 ", respondent_unit=" fgw ",
        complainant=Complainant(name=" 王五 ", phone=" ", enterprise=""),
        filed_by_enterprise=" 91450200mA5abcde1g ",
    )
    assert complaint.content == "收费不合理"
    assert complaint.respondent_unit == "fgw"
    assert complaint.complainant == {"name": "王五", "phone": None, "enterprise": None}
    assert complaint.filed_by_enterprise == "91450200MA5ABCDE1G"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("channel", "email", re.escape("channel must be one of website (网站), mailbox (投诉信箱), "
                                   "hotline (投诉热线)")),
    ("category", "taxes", re.escape("category must be one of approval_service (审批服务)")),
    ("content", "  ", "content must not be empty"),
    ("respondent_unit", "", "respondent_unit must not be empty"),
    ("filed_by_enterprise", "12345", "credit_code must be 18 characters"),
    ("filed_by_enterprise", "91450200MA5ABCDE1X", "credit_code check character should be G"),
    ("complainant", Complainant(name=" "), "complainant name must not be empty"),
    ("complainant", Complainant(name="李明", phone="call me"), "phone must be digits"),
])
def test_receiving_refuses_malformed_details(
    audit: Audit, field: str, value: Any, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        receive(audit, **{field: value})


def test_receiving_requires_a_receipt_code(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="receipt must not be empty"):
        Complaint.receive(details(), receipt=" ", acceptance_deadline=deadline(RECEIVED_ON, 3),
                          on=RECEIVED_ON, audit=audit)


def test_the_acceptance_deadline_must_count_from_the_date_received(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="acceptance deadline must count at least one"):
        Complaint.receive(details(), receipt="R1", acceptance_deadline=deadline(LATER, 3),
                          on=RECEIVED_ON, audit=audit)


# --- acceptance (受理 / 不予受理) -----------------------------------------------------------


def test_accepting_stops_the_acceptance_deadline(complaint: Complaint, audit: Audit) -> None:
    complaint.accept(" 符合受理条件 ", on=ACCEPTED_ON, audit=audit)
    assert complaint.status == "accepted"
    assert complaint.accepted_on == ACCEPTED_ON
    assert complaint.open_deadlines() == []
    assert recorded(complaint)[-1].comment == "符合受理条件"


def test_declining_records_the_reason_and_ends_the_case(complaint: Complaint,
                                                        audit: Audit) -> None:
    complaint.decline(" 不属于营商环境投诉范围 ", on=ACCEPTED_ON, audit=audit)
    assert complaint.status == "declined"
    assert complaint.declined_on == ACCEPTED_ON
    assert complaint.decline_reason == "不属于营商环境投诉范围"
    assert complaint.open_deadlines() == []


def test_declining_requires_a_reason(complaint: Complaint, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="reason must not be empty"):
        complaint.decline(" ", on=ACCEPTED_ON, audit=audit)
    assert complaint.status == "received"


def test_a_declined_complaint_cannot_be_closed(complaint_at: Callable[[str], Complaint],
                                               audit: Audit) -> None:
    complaint = complaint_at("declined")
    with pytest.raises(RuleViolation, match=re.escape("complaint is declined (不予受理)")):
        complaint.close(None, on=LATER, audit=audit)


# --- assignment and handling (交办 / 签收 / 答复) ------------------------------------------


def test_assigning_starts_the_reply_deadline_and_records_the_assignment(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("assigned")
    assert complaint.assigned_unit == "zjj"
    assert complaint.reply_deadline == deadline(ASSIGNED_ON, 15)
    assert complaint.open_deadlines() == [("reply", deadline(ASSIGNED_ON, 15))]
    assert complaint.assignments == [{
        "number": 1, "unit": "zjj", "assigned_on": ASSIGNED_ON,
        "reply_due": date(2026, 3, 19), "extended_due": None, "acknowledged_on": None,
        "replied_on": None, "returned": False, "returned_on": None, "return_reason": None,
        "satisfaction": None,
    }]


def test_assigning_requires_a_unit(complaint_at: Callable[[str], Complaint],
                                   audit: Audit) -> None:
    complaint = complaint_at("accepted")
    with pytest.raises(InvalidValue, match="unit must not be empty"):
        complaint.assign(" ", deadline(ASSIGNED_ON, 15), None, on=ASSIGNED_ON, audit=audit)


def test_the_reply_deadline_must_count_from_the_assignment_date(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("accepted")
    with pytest.raises(InvalidValue, match="reply deadline must count at least one working"):
        complaint.assign("zjj", deadline(ACCEPTED_ON, 15), None, on=ASSIGNED_ON, audit=audit)
    assert complaint.status == "accepted"


def test_acknowledging_records_the_date_on_the_assignment(
    complaint_at: Callable[[str], Complaint],
) -> None:
    complaint = complaint_at("acknowledged")
    assert complaint.assignments[0]["acknowledged_on"] == ACKNOWLEDGED_ON
    assert complaint.open_deadlines() == [("reply", deadline(ASSIGNED_ON, 15))]


def test_a_unit_must_acknowledge_before_replying(complaint_at: Callable[[str], Complaint],
                                                 audit: Audit) -> None:
    complaint = complaint_at("assigned")
    expected = ("cannot reply: complaint is assigned (交办); "
                "allowed: acknowledge, return, request-extension, urge")
    with pytest.raises(RuleViolation, match=f"^{re.escape(expected)}$"):
        complaint.reply("已答复", deadline(REPLIED_ON, 5), on=REPLIED_ON, audit=audit)


def test_replying_starts_the_callback_deadline(complaint_at: Callable[[str], Complaint]) -> None:
    complaint = complaint_at("replied")
    assert complaint.reply_text == "已督促办结审批"
    assert complaint.replied_on == REPLIED_ON
    assert complaint.assignments[0]["replied_on"] == REPLIED_ON
    assert complaint.callback_deadline == deadline(REPLIED_ON, 5)
    assert complaint.open_deadlines() == [("callback", deadline(REPLIED_ON, 5))]


def test_replying_requires_text_and_a_callback_deadline_from_the_reply_date(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("acknowledged")
    with pytest.raises(InvalidValue, match="text must not be empty"):
        complaint.reply(" ", deadline(REPLIED_ON, 5), on=REPLIED_ON, audit=audit)
    with pytest.raises(InvalidValue, match="callback deadline must count"):
        complaint.reply("已答复", deadline(LATER, 5), on=REPLIED_ON, audit=audit)
    assert complaint.status == "acknowledged"


# --- return (退单) -----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["assigned", "acknowledged"])
def test_a_unit_may_return_a_case_it_has_not_replied_to(
    complaint_at: Callable[[str], Complaint], audit: Audit, status: str
) -> None:
    complaint = complaint_at(status)
    recorded(complaint)
    complaint.return_case(" 不属于本单位职责 ", on=RETURNED_ON, audit=audit)
    assert complaint.status == "returned"
    assert complaint.assigned_unit is None
    assert complaint.reply_deadline is None
    assert complaint.open_deadlines() == []
    record = complaint.assignments[0]
    assert (record["returned"], record["returned_on"], record["return_reason"]) == (
        True, RETURNED_ON, "不属于本单位职责")
    (event,) = recorded(complaint)
    assert (event.unit, event.reason) == ("zjj", "不属于本单位职责")


def test_returning_requires_a_reason(complaint_at: Callable[[str], Complaint],
                                     audit: Audit) -> None:
    complaint = complaint_at("assigned")
    with pytest.raises(InvalidValue, match="reason must not be empty"):
        complaint.return_case("", on=RETURNED_ON, audit=audit)


def test_a_replied_case_cannot_be_returned(complaint_at: Callable[[str], Complaint],
                                           audit: Audit) -> None:
    complaint = complaint_at("replied")
    with pytest.raises(RuleViolation, match=re.escape(
            "cannot return: complaint is replied (答复); allowed: callback, urge")):
        complaint.return_case("非本单位职责", on=LATER, audit=audit)


def test_a_returned_case_is_reassigned_with_a_new_reply_deadline(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("returned")
    complaint.assign("fgw", deadline(LATER, 15), "请牵头办理", on=LATER, audit=audit)
    assert complaint.status == "assigned"
    assert complaint.assigned_unit == "fgw"
    assert complaint.open_deadlines() == [("reply", deadline(LATER, 15))]
    assert [(a["number"], a["unit"], a["returned"]) for a in complaint.assignments] == [
        (1, "zjj", True), (2, "fgw", False)]


# --- callback (回访) and closure (办结) ----------------------------------------------------


@pytest.mark.parametrize("satisfaction", ["satisfied", "basically_satisfied"])
def test_a_satisfied_callback_makes_the_complaint_closable(
    complaint_at: Callable[[str], Complaint], audit: Audit, satisfaction: str
) -> None:
    complaint = complaint_at("replied")
    complaint.record_callback(satisfaction, None, on=CALLED_BACK_ON, audit=audit)
    assert complaint.status == "called_back"
    assert complaint.satisfaction == satisfaction
    assert complaint.callback_on == CALLED_BACK_ON
    assert complaint.assignments[0]["satisfaction"] == satisfaction
    assert complaint.open_deadlines() == []
    assert complaint.allowed_steps() == ["close", "urge"]


def test_an_unsatisfied_callback_reopens_the_complaint(
    complaint_at: Callable[[str], Complaint],
) -> None:
    complaint = complaint_at("reopened")
    assert complaint.satisfaction == "unsatisfied"
    assert complaint.assigned_unit is None
    assert complaint.open_deadlines() == []
    assert complaint.allowed_steps() == ["assign", "urge"]


def test_a_reopened_complaint_must_be_assigned_again(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("reopened")
    with pytest.raises(RuleViolation, match=re.escape("complaint is reopened (重办)")):
        complaint.reply("再次答复", deadline(LATER, 5), on=LATER, audit=audit)
    complaint.assign("zjj", deadline(LATER, 15), "重办", on=LATER, audit=audit)
    assert complaint.status == "assigned"
    assert complaint.open_deadlines() == [("reply", deadline(LATER, 15))]
    assert complaint.reply_text is None
    assert complaint.satisfaction is None
    assert [a["satisfaction"] for a in complaint.assignments] == ["unsatisfied", None]


def test_an_unsatisfied_callback_requires_a_comment(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("replied")
    with pytest.raises(InvalidValue, match="comment must say why the complainant is unsat"):
        complaint.record_callback("unsatisfied", " ", on=CALLED_BACK_ON, audit=audit)
    assert complaint.status == "replied"


def test_a_callback_with_an_unknown_satisfaction_is_invalid(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("replied")
    with pytest.raises(InvalidValue, match=re.escape(
            "satisfaction must be one of satisfied (满意), basically_satisfied (基本满意)")):
        complaint.record_callback("happy", None, on=CALLED_BACK_ON, audit=audit)


def test_closing_after_a_satisfied_callback(complaint_at: Callable[[str], Complaint],
                                            audit: Audit) -> None:
    complaint = complaint_at("called_back")
    complaint.close(" 办结 ", on=CLOSED_ON, audit=audit)
    assert complaint.status == "closed"
    assert complaint.closed_on == CLOSED_ON
    assert complaint.open_deadlines() == []


def test_a_replied_complaint_cannot_be_closed_before_the_callback(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("replied")
    with pytest.raises(RuleViolation, match=re.escape("cannot close: complaint is replied")):
        complaint.close(None, on=LATER, audit=audit)


# --- extension (延期) --------------------------------------------------------------------


def test_requesting_an_extension_leaves_it_pending(complaint_at: Callable[[str], Complaint],
                                                   audit: Audit) -> None:
    complaint = complaint_at("acknowledged")
    complaint.request_extension(" 需现场核查 ", until=date(2026, 4, 30), on=ACKNOWLEDGED_ON,
                                audit=audit)
    assert complaint.status == "acknowledged"
    assert complaint.pending_extension == {
        "number": 1, "assignment": 1, "requested_on": ACKNOWLEDGED_ON, "reason": "需现场核查",
        "until": date(2026, 4, 30), "outcome": None, "decided_on": None,
        "decision_comment": None,
    }
    assert complaint.open_deadlines() == [("reply", deadline(ASSIGNED_ON, 15))]


def test_approving_an_extension_moves_the_reply_due_date(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("acknowledged")
    complaint.request_extension("需现场核查", until=date(2026, 4, 30), on=ACKNOWLEDGED_ON,
                                audit=audit)
    complaint.approve_extension("同意", on=RETURNED_ON, audit=audit)
    assert complaint.pending_extension is None
    assert complaint.extensions[0]["outcome"] == "approved"
    assert complaint.extended_due == date(2026, 4, 30)
    assert complaint.assignments[0]["extended_due"] == date(2026, 4, 30)
    assert complaint.reply_deadline == deadline(ASSIGNED_ON, 15)  # the original is kept
    (kind, running), = complaint.open_deadlines()
    assert kind == "reply"
    assert running.due == date(2026, 4, 30)
    assert running.working_days == 15


def test_refusing_an_extension_keeps_the_due_date(complaint_at: Callable[[str], Complaint],
                                                  audit: Audit) -> None:
    complaint = complaint_at("assigned")
    complaint.request_extension("需现场核查", until=date(2026, 4, 30), on=ASSIGNED_ON,
                                audit=audit)
    with pytest.raises(InvalidValue, match="reason must not be empty"):
        complaint.refuse_extension(" ", on=RETURNED_ON, audit=audit)
    complaint.refuse_extension("理由不充分", on=RETURNED_ON, audit=audit)
    assert complaint.extensions[0]["outcome"] == "refused"
    assert complaint.extensions[0]["decision_comment"] == "理由不充分"
    assert complaint.extended_due is None
    assert complaint.open_deadlines() == [("reply", deadline(ASSIGNED_ON, 15))]
    assert "request-extension" in complaint.allowed_steps()


def test_only_one_extension_request_may_be_pending(complaint_at: Callable[[str], Complaint],
                                                   audit: Audit) -> None:
    complaint = complaint_at("assigned")
    complaint.request_extension("需现场核查", until=date(2026, 4, 30), on=ASSIGNED_ON,
                                audit=audit)
    with pytest.raises(RuleViolation, match=re.escape(
            "cannot request an extension: an extension request is already pending; "
            "complaint is assigned (交办)")):
        complaint.request_extension("再次申请", until=date(2026, 5, 30), on=ASSIGNED_ON,
                                    audit=audit)
    assert len(complaint.extensions) == 1


def test_deciding_an_extension_needs_a_pending_request(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("assigned")
    with pytest.raises(RuleViolation, match=r"^cannot approve the extension: no extension "):
        complaint.approve_extension(None, on=LATER, audit=audit)
    with pytest.raises(RuleViolation, match=r"^cannot refuse the extension: no extension "):
        complaint.refuse_extension("x", on=LATER, audit=audit)


def test_an_extension_must_go_beyond_the_current_due_date(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("assigned")
    with pytest.raises(RuleViolation, match="extension until 2026-03-19 must be after the "
                                            "current reply due date 2026-03-19"):
        complaint.request_extension("x", until=date(2026, 3, 19), on=ASSIGNED_ON, audit=audit)
    complaint.request_extension("x", until=date(2026, 4, 30), on=ASSIGNED_ON, audit=audit)
    complaint.approve_extension(None, on=ASSIGNED_ON, audit=audit)
    with pytest.raises(RuleViolation, match="current reply due date 2026-04-30"):
        complaint.request_extension("x", until=date(2026, 4, 20), on=ASSIGNED_ON, audit=audit)


def test_an_extension_must_end_after_the_request_date(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("assigned")
    with pytest.raises(RuleViolation, match="must be after the request date 2026-05-01"):
        complaint.request_extension("逾期后申请", until=date(2026, 4, 30),
                                    on=date(2026, 5, 1), audit=audit)


@pytest.mark.parametrize("ending", ["reply", "return"])
def test_replying_or_returning_lapses_a_pending_extension(
    complaint_at: Callable[[str], Complaint], audit: Audit, ending: str
) -> None:
    complaint = complaint_at("acknowledged")
    complaint.request_extension("需现场核查", until=date(2026, 4, 30), on=ACKNOWLEDGED_ON,
                                audit=audit)
    STEPS[ending](complaint, audit)
    assert complaint.pending_extension is None
    assert complaint.extensions[0]["outcome"] == "lapsed"
    assert complaint.extensions[0]["decided_on"] == LATER


def test_a_new_assignment_drops_the_previous_extension(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("assigned")
    complaint.request_extension("x", until=date(2026, 4, 30), on=ASSIGNED_ON, audit=audit)
    complaint.approve_extension(None, on=ASSIGNED_ON, audit=audit)
    complaint.return_case("非本单位职责", on=RETURNED_ON, audit=audit)
    complaint.assign("fgw", deadline(LATER, 15), None, on=LATER, audit=audit)
    assert complaint.extended_due is None
    assert complaint.open_deadlines() == [("reply", deadline(LATER, 15))]
    assert complaint.assignments[0]["extended_due"] == date(2026, 4, 30)


# --- urging (催办) -----------------------------------------------------------------------


@pytest.mark.parametrize("status", [s for s in PATHS if s not in ("closed", "declined")])
def test_any_unfinished_complaint_can_be_urged(
    complaint_at: Callable[[str], Complaint], audit: Audit, status: str
) -> None:
    complaint = complaint_at(status)
    complaint.urge("请加快办理", on=LATER, audit=audit)
    complaint.urge("再次催办", on=LATER, audit=audit)
    assert complaint.urge_count == 2
    assert complaint.last_urged_on == LATER
    assert complaint.status == status


def test_an_urge_may_be_dated_before_the_last_step_but_not_before_receipt(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("replied")
    complaint.urge("补录催办记录", on=ACCEPTED_ON, audit=audit)
    assert complaint.last_urged_on == ACCEPTED_ON
    with pytest.raises(RuleViolation, match="urge date 2026-03-01 is before date received"):
        complaint.urge("x", on=date(2026, 3, 1), audit=audit)
    assert complaint.urge_count == 1


def test_urging_requires_text(complaint: Complaint, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="text must not be empty"):
        complaint.urge(" ", on=LATER, audit=audit)


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


# --- provisional deadlines --------------------------------------------------------------


def test_a_provisional_acceptance_deadline_is_recomputed(audit: Audit) -> None:
    complaint = receive(audit, provisional=True)
    recorded(complaint)
    official = deadline(RECEIVED_ON, 3, shift=2)
    complaint.recompute_deadline("acceptance", official, on=ACCEPTED_ON, audit=audit)
    assert complaint.acceptance_deadline == official
    assert complaint.open_deadlines() == [("acceptance", official)]
    (event,) = recorded(complaint)
    assert type(event).__name__ == "DeadlineRecomputed"
    assert (event.kind, event.deadline, event.previous_due) == (
        "acceptance", official, date(2026, 3, 5))


def test_a_provisional_reply_deadline_is_recomputed_in_the_assignment_too(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("accepted")
    complaint.assign("zjj", deadline(ASSIGNED_ON, 15, provisional=True), None,
                     on=ASSIGNED_ON, audit=audit)
    official = deadline(ASSIGNED_ON, 15, shift=3)
    complaint.recompute_deadline("reply", official, on=LATER, audit=audit)
    assert complaint.reply_deadline == official
    assert complaint.assignments[0]["reply_due"] == official.due
    assert complaint.open_deadlines() == [("reply", official)]


def test_a_provisional_callback_deadline_is_recomputed(
    complaint_at: Callable[[str], Complaint], audit: Audit
) -> None:
    complaint = complaint_at("acknowledged")
    complaint.reply("已答复", deadline(REPLIED_ON, 5, provisional=True), on=REPLIED_ON,
                    audit=audit)
    official = deadline(REPLIED_ON, 5, shift=1)
    complaint.recompute_deadline("callback", official, on=REPLIED_ON, audit=audit)
    assert complaint.open_deadlines() == [("callback", official)]


def test_an_official_deadline_is_not_recomputed(complaint: Complaint, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="already official"):
        complaint.recompute_deadline("acceptance", deadline(RECEIVED_ON, 3, shift=1),
                                     on=LATER, audit=audit)


def test_a_closed_complaint_refuses_recomputation(complaint_at: Callable[[str], Complaint],
                                                  audit: Audit) -> None:
    complaint = receive(audit, provisional=True)
    advance(complaint, "closed", audit)
    with pytest.raises(RuleViolation, match=re.escape(
            "cannot recompute the acceptance deadline: complaint is closed (办结)")):
        complaint.recompute_deadline("acceptance", deadline(RECEIVED_ON, 3, shift=1),
                                     on=LATER, audit=audit)


def test_recomputing_a_deadline_the_complaint_lacks_is_refused(
    complaint: Complaint, audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="complaint has no reply deadline"):
        complaint.recompute_deadline("reply", deadline(RECEIVED_ON, 15), on=LATER, audit=audit)


@pytest.mark.parametrize(("replacement", "error", "message"), [
    (deadline(ACCEPTED_ON, 3), InvalidValue,
     "keeps its start 2026-03-02 and its 3 working days; got 3 working days from 2026-03-03"),
    (deadline(RECEIVED_ON, 4), InvalidValue, "keeps its start 2026-03-02 and its 3 working "
                                             "days; got 4"),
    (deadline(RECEIVED_ON, 3, provisional=True), RuleViolation, "same as the current one"),
])
def test_a_recomputation_must_be_the_same_count_with_a_new_result(
    audit: Audit, replacement: Deadline, error: type[Exception], message: str
) -> None:
    complaint = receive(audit, provisional=True)
    with pytest.raises(error, match=message):
        complaint.recompute_deadline("acceptance", replacement, on=LATER, audit=audit)


def test_recomputing_an_unknown_kind_is_invalid(complaint: Complaint, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match=re.escape(
            "kind must be one of acceptance (受理期限), reply (答复期限), callback (回访期限); "
            "got 'closure'")):
        complaint.recompute_deadline("closure", deadline(RECEIVED_ON, 3), on=LATER, audit=audit)


@pytest.mark.parametrize(("status", "kinds"), [
    ("received", ["acceptance"]), ("accepted", []), ("declined", []), ("assigned", ["reply"]),
    ("acknowledged", ["reply"]), ("returned", []), ("replied", ["callback"]),
    ("called_back", []), ("reopened", []), ("closed", []),
])
def test_only_the_current_steps_deadline_is_running(
    complaint_at: Callable[[str], Complaint], status: str, kinds: list[str]
) -> None:
    assert [kind for kind, _ in complaint_at(status).open_deadlines()] == kinds


# --- audit trail and replay -------------------------------------------------------------


def run_lifecycle(make_audit: Callable[..., Audit]) -> tuple[Complaint, list[Audit]]:
    """Run every kind of command, each under its own audit; return the audits in order."""
    audits: list[Audit] = []

    def next_audit() -> Audit:
        audits.append(make_audit(f"req-{len(audits) + 1}", actor_id=f"a{len(audits) + 1}"))
        return audits[-1]

    c = Complaint.receive(details(), receipt="R-1",
                          acceptance_deadline=deadline(RECEIVED_ON, 3, provisional=True),
                          on=RECEIVED_ON, audit=next_audit())
    c.recompute_deadline("acceptance", deadline(RECEIVED_ON, 3, shift=1), on=RECEIVED_ON,
                         audit=next_audit())
    c.accept("受理", on=ACCEPTED_ON, audit=next_audit())
    c.assign("zjj", deadline(ASSIGNED_ON, 15), None, on=ASSIGNED_ON, audit=next_audit())
    c.return_case("非本单位职责", on=ASSIGNED_ON, audit=next_audit())
    c.assign("fgw", deadline(ACKNOWLEDGED_ON, 15), "请办理", on=ACKNOWLEDGED_ON,
             audit=next_audit())
    c.acknowledge(on=ACKNOWLEDGED_ON, audit=next_audit())
    c.urge("请加快办理", on=RETURNED_ON, audit=next_audit())
    c.request_extension("需核查", until=date(2026, 4, 30), on=RETURNED_ON, audit=next_audit())
    c.refuse_extension("理由不充分", on=RETURNED_ON, audit=next_audit())
    c.request_extension("补充材料", until=date(2026, 4, 30), on=RETURNED_ON,
                        audit=next_audit())
    c.approve_extension("同意", on=RETURNED_ON, audit=next_audit())
    c.reply("已答复", deadline(REPLIED_ON, 5), on=REPLIED_ON, audit=next_audit())
    c.record_callback("unsatisfied", "未解决", on=REPLIED_ON, audit=next_audit())
    c.assign("fgw", deadline(CALLED_BACK_ON, 15), "重办", on=CALLED_BACK_ON, audit=next_audit())
    c.acknowledge(on=CALLED_BACK_ON, audit=next_audit())
    c.reply("重办答复", deadline(CLOSED_ON, 5), on=CLOSED_ON, audit=next_audit())
    c.record_callback("basically_satisfied", None, on=CLOSED_ON, audit=next_audit())
    c.close("办结", on=LATER, audit=next_audit())
    return c, audits


def test_every_event_carries_its_audit_and_business_date(
    make_audit: Callable[..., Audit],
) -> None:
    complaint, audits = run_lifecycle(make_audit)
    events = recorded(complaint)
    assert len(events) == len(audits) == 19
    assert [e.audit for e in events] == audits
    assert all(isinstance(e.on, date) for e in events)
    assert events[0].on == RECEIVED_ON


def test_every_recorded_event_has_a_label(make_audit: Callable[..., Audit]) -> None:
    complaint, _ = run_lifecycle(make_audit)
    assert {type(e).__name__ for e in recorded(complaint)} | {"Declined"} == set(
        EVENT_LABELS)


def test_a_declined_complaint_records_a_declined_event(complaint: Complaint,
                                                       audit: Audit) -> None:
    complaint.decline("重复投诉", on=ACCEPTED_ON, audit=audit)
    assert event_names(complaint) == ["Received", "Declined"]


def test_replaying_the_events_reproduces_the_same_state(
    make_audit: Callable[..., Audit],
) -> None:
    complaint, _ = run_lifecycle(make_audit)
    events = recorded(complaint)
    copy: Any = None
    for e in events:
        copy = e.mutate(copy)
    assert isinstance(copy, Complaint)
    assert copy is not complaint
    assert vars(copy) == vars(complaint)
    # The replayed state is the interesting one, not two blank complaints.
    assert copy.status == "closed"
    assert copy.urge_count == 1
    assert [(a["unit"], a["returned"], a["satisfaction"]) for a in copy.assignments] == [
        ("zjj", True, None), ("fgw", False, "unsatisfied"), ("fgw", False,
                                                             "basically_satisfied")]
    assert [x["outcome"] for x in copy.extensions] == ["refused", "approved"]
    assert copy.assignments[1]["extended_due"] == date(2026, 4, 30)
    assert copy.acceptance_deadline == deadline(RECEIVED_ON, 3, shift=1)
