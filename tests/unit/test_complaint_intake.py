"""Complaint intake and handling: registration (登记), acceptance (受理 / 不予受理),
assignment (交办), acknowledgement (签收), reply (答复) and return (退单)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from domain.complaint import (
    Complainant,
    Complaint,
)
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit
from tests.unit.helpers.complaint import (
    ACCEPTED_ON,
    ACKNOWLEDGED_ON,
    ASSIGNED_ON,
    LATER,
    RECEIVED_ON,
    REPLIED_ON,
    RETURNED_ON,
    deadline,
    details,
    receive,
    recorded,
)

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
        filed_by_enterprise=" 91450200mA5abcde5w ",
    )
    assert complaint.content == "收费不合理"
    assert complaint.respondent_unit == "fgw"
    assert complaint.complainant == {"name": "王五", "phone": None, "enterprise": None}
    assert complaint.filed_by_enterprise == "91450200MA5ABCDE5W"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("channel", "email", re.escape("channel must be one of website (网站), mailbox (投诉信箱), "
                                   "hotline (投诉热线)")),
    ("category", "taxes", re.escape("category must be one of approval_service (审批服务)")),
    ("content", "  ", "content must not be empty"),
    ("respondent_unit", "", "respondent_unit must not be empty"),
    ("filed_by_enterprise", "12345", "credit_code must be 18 characters"),
    ("filed_by_enterprise", "91450200MA5ABCDE5X", "credit_code check character should be W"),
    ("complainant", Complainant(name=" "), "complainant name must not be empty"),
    ("complainant", Complainant(name="李明", phone="call me"), "phone must be digits"),
])
def test_receiving_refuses_malformed_details(
    audit: Audit, field: str, value: Any, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        receive(audit, **{field: value})


def test_channel_and_category_may_be_given_by_label_and_are_recorded_as_codes(
    audit: Audit,
) -> None:
    complaint = receive(audit, channel=" 投诉热线 ", category="涉企收费")
    assert (complaint.channel, complaint.category) == ("hotline", "fees_and_fines")
    (event,) = recorded(complaint)
    assert (type(event.channel), type(event.category)) == (str, str)


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
                "allowed next: acknowledge, return, request-extension, urge, instruct / "
                "投诉当前状态为「交办」，不能进行此项操作")
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
            "cannot return: complaint is replied (答复); allowed next: callback, urge")):
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
