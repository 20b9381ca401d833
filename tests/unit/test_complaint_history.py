"""Complaint deadlines and history: provisional deadlines are recomputed, every event
carries its audit and business date, and replay rebuilds the state."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from domain.calendar import Deadline
from domain.complaint import (
    EVENT_LABELS,
    Complaint,
)
from domain.errors import InvalidValue, RuleViolation
from domain.instructions import EVENT_LABELS as INSTRUCTION_LABELS
from domain.shared import Audit
from tests.unit.helpers.complaint import (
    ACCEPTED_ON,
    ACKNOWLEDGED_ON,
    ASSIGNED_ON,
    CALLED_BACK_ON,
    CLOSED_ON,
    LATER,
    RECEIVED_ON,
    REPLIED_ON,
    RETURNED_ON,
    advance,
    deadline,
    details,
    event_names,
    receive,
    recorded,
)

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
    complaint.correct("category", "conduct", "类别录错", on=LATER, audit=make_audit())
    names = {type(e).__name__ for e in recorded(complaint)}
    # Corrections are also labelled per field they correct: "Corrected.category".
    # Instruction events (批示) are recorded in tests/unit/test_instructions.py.
    assert names | {"Declined", *INSTRUCTION_LABELS} == {
        name for name in EVENT_LABELS if "." not in name}


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
