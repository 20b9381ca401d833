"""Complaint follow-up: callback (回访) and closure (办结), extensions (延期) and
urging (催办)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from domain.complaint import (
    Complaint,
)
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit
from tests.unit.helpers.complaint import (
    ACCEPTED_ON,
    ACKNOWLEDGED_ON,
    ASSIGNED_ON,
    CALLED_BACK_ON,
    CLOSED_ON,
    LATER,
    PATHS,
    RETURNED_ON,
    STEPS,
    deadline,
)

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
    assert complaint.allowed_steps() == ["close", "urge", "instruct"]


def test_an_unsatisfied_callback_reopens_the_complaint(
    complaint_at: Callable[[str], Complaint],
) -> None:
    complaint = complaint_at("reopened")
    assert complaint.satisfaction == "unsatisfied"
    assert complaint.assigned_unit is None
    assert complaint.open_deadlines() == []
    assert complaint.allowed_steps() == ["assign", "urge", "instruct"]


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
