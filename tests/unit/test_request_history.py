"""Enterprise request deadlines, labels and history: provisional deadlines are
recomputed, every event carries its audit, and replay rebuilds the state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.enterprise_request import (
    ALLOWED,
    EVENT_LABELS,
    Category,
    EnterpriseRequest,
    Outcome,
    Source,
    Status,
)
from domain.errors import InvalidValue, RuleViolation
from domain.instructions import EVENT_LABELS as INSTRUCTION_LABELS
from domain.shared import Audit
from tests.unit.helpers.enterprise_request import (
    ANSWERED_ON,
    ASSIGNED_ON,
    CLOSED_ON,
    DUE,
    FEEDBACK_ON,
    NOTED_ON,
    PROVISIONAL,
    RAISED_ON,
    SECOND_DUE,
    raise_request,
)

# --- recomputing a provisional deadline -------------------------------------------------


@pytest.fixture
def provisional(audit: Audit) -> EnterpriseRequest:
    request = raise_request(audit)
    request.assign("rsj", None, PROVISIONAL, on=ASSIGNED_ON, audit=audit)
    request.collect_events()
    return request


def test_a_provisional_deadline_is_replaced_by_its_recomputation(
    provisional: EnterpriseRequest, audit: Audit
) -> None:
    official = replace(PROVISIONAL, due=date(2025, 3, 18), calendar_version="cc-1.11",
                       provisional=False)
    provisional.recompute_due(official, on=date(2025, 3, 10), audit=audit)
    assert provisional.current_due == official
    assert provisional.assignments[-1]["due"] == official
    (recomputed,) = list[Any](provisional.collect_events())
    assert type(recomputed).__name__ == "DueRecomputed"
    assert (recomputed.deadline, recomputed.previous_due) == (official, PROVISIONAL)
    assert provisional.status == "assigned"


def test_recomputing_is_not_a_handling_step_so_late_entries_still_fit(
    provisional: EnterpriseRequest, audit: Audit
) -> None:
    official = replace(PROVISIONAL, provisional=False, calendar_version="cc-1.11")
    provisional.recompute_due(official, on=date(2025, 3, 20), audit=audit)
    provisional.note_progress("补录进展", "rsj", on=date(2025, 3, 5), audit=audit)
    assert provisional.status == "in_progress"


def test_a_provisional_deadline_can_be_recomputed_after_the_outcome(
    provisional: EnterpriseRequest, audit: Audit
) -> None:
    provisional.record_outcome("resolved", None, "rsj", on=ANSWERED_ON, audit=audit)
    official = replace(PROVISIONAL, provisional=False, calendar_version="cc-1.11")
    provisional.recompute_due(official, on=FEEDBACK_ON, audit=audit)
    assert provisional.assignments[0]["due"] == official


def test_an_official_deadline_is_not_recomputed(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="2025-03-17 is not provisional"):
        request_at("assigned").recompute_due(replace(DUE, calendar_version="v2"),
                                             on=NOTED_ON, audit=audit)


@pytest.mark.parametrize("status", ["raised", "reopened"])
def test_recomputing_without_a_current_deadline_is_refused(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, status: str
) -> None:
    with pytest.raises(RuleViolation, match=f"cannot recompute due: request is {status}"):
        request_at(status).recompute_due(DUE, on=CLOSED_ON, audit=audit)


@pytest.mark.parametrize("changed", [{"working_days": 15, "due": date(2025, 3, 24)},
                                     {"start": date(2025, 3, 4), "due": date(2025, 3, 18)}])
def test_a_recomputation_must_count_the_same_days_from_the_same_start(
    provisional: EnterpriseRequest, audit: Audit, changed: dict[str, Any]
) -> None:
    with pytest.raises(InvalidValue, match="keeps its start 2025-03-03 and its 10 working days"):
        provisional.recompute_due(replace(PROVISIONAL, provisional=False, **changed),
                                  on=NOTED_ON, audit=audit)


def test_a_recomputation_identical_to_the_current_deadline_is_refused(
    provisional: EnterpriseRequest, audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="same as the current one"):
        provisional.recompute_due(PROVISIONAL, on=NOTED_ON, audit=audit)


def test_a_recomputation_cannot_be_dated_before_the_assignment(
    provisional: EnterpriseRequest, audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="recomputation date 2025-03-02 is before assignment"):
        provisional.recompute_due(replace(PROVISIONAL, provisional=False),
                                  on=date(2025, 3, 2), audit=audit)


# --- labels -----------------------------------------------------------------------------


def test_every_status_has_a_label_and_its_allowed_steps_are_commands() -> None:
    assert set(Status.labels()) == set(ALLOWED) == {s.value for s in Status}
    for steps in ALLOWED.values():
        for step in steps:
            assert callable(getattr(EnterpriseRequest, step)), step


def test_the_labels_match_the_glossary() -> None:
    assert Source.labels() == {"visit": "调研", "forum": "座谈会", "online": "线上",
                             "hotline": "热线"}
    assert list(Category.labels().values()) == ["用工", "用电", "防疫", "复工复产", "住房",
                                              "子女入学", "交通", "融资", "用地", "审批", "其他"]
    assert Outcome.labels() == {"resolved": "已解决", "partly_resolved": "部分解决",
                              "not_resolvable": "无法解决"}


# --- audit and replay -------------------------------------------------------------------


def run_lifecycle(make_audit: Callable[..., Audit]) -> tuple[EnterpriseRequest, list[Audit]]:
    audits: list[Audit] = []

    def next_audit() -> Audit:
        audits.append(make_audit(f"req-{len(audits) + 1}"))
        return audits[-1]

    request = raise_request(next_audit(), project_id=uuid4())
    request.assign("rsj", ["gxj"], PROVISIONAL, on=ASSIGNED_ON, audit=next_audit())
    request.recompute_due(replace(PROVISIONAL, provisional=False), on=ASSIGNED_ON,
                          audit=next_audit())
    request.note_progress("对接招聘会", "gxj", on=NOTED_ON, audit=next_audit())
    request.record_outcome("resolved", None, "rsj", on=ANSWERED_ON, audit=next_audit())
    request.record_feedback("unsatisfied", "仍缺工", on=FEEDBACK_ON, audit=next_audit())
    request.assign("fgw", None, SECOND_DUE, on=date(2025, 3, 21), audit=next_audit())
    request.record_outcome("not_resolvable", "超出政策范围", "fgw", on=date(2025, 4, 1),
                           audit=next_audit())
    request.record_feedback("satisfied", None, on=date(2025, 4, 2), audit=next_audit())
    request.close(None, on=date(2025, 4, 3), audit=next_audit())
    return request, audits


def test_every_event_carries_the_audit_passed_in(make_audit: Callable[..., Audit]) -> None:
    request, audits = run_lifecycle(make_audit)
    events: list[Any] = list(request.collect_events())
    assert len(events) == len(audits) == 10
    assert [e.audit for e in events] == audits


def test_every_recorded_event_has_a_label(make_audit: Callable[..., Audit]) -> None:
    request, _ = run_lifecycle(make_audit)
    request.correct("category", "power", "类别录错", on=date(2025, 4, 3), audit=make_audit())
    names = {type(e).__name__ for e in request.collect_events()}
    # Corrections are also labelled per field they correct: "Corrected.category".
    # Instruction events (批示) are recorded in tests/unit/test_instructions.py.
    assert names | set(INSTRUCTION_LABELS) == {name for name in EVENT_LABELS if "." not in name}


def test_every_handling_event_carries_its_business_date(
    make_audit: Callable[..., Audit]
) -> None:
    request, _ = run_lifecycle(make_audit)
    events: list[Any] = list(request.collect_events())
    assert all(isinstance(e.on, date) for e in events)
    assert events[0].on == RAISED_ON
    assert events[-1].on == date(2025, 4, 3)


STATE_FIELDS = (
    "id", "version", "enterprise_id", "credit_code", "project_id", "source", "visit_number",
    "category", "description", "raised_on", "status", "lead_unit", "co_units", "due",
    "assignments", "progress_notes", "outcomes", "outcome", "explanation", "resolved_on",
    "feedback", "feedback_on", "closed_on", "close_reason", "last_step_on",
)


def test_replaying_the_events_reproduces_the_same_state(
    make_audit: Callable[..., Audit]
) -> None:
    request, _ = run_lifecycle(make_audit)
    events: list[Any] = list(request.collect_events())
    copy: Any = None
    for e in events:
        copy = e.mutate(copy)
    assert isinstance(copy, EnterpriseRequest)
    assert copy is not request
    for field in STATE_FIELDS:
        assert getattr(copy, field) == getattr(request, field), field
    assert copy.status == "closed"
    assert copy.lead_unit == "fgw"
    assert [o["outcome"] for o in copy.outcomes] == ["resolved", "not_resolvable"]
    assert [o["feedback"] for o in copy.outcomes] == ["unsatisfied", "satisfied"]
    assert copy.assignments[0]["due"] == replace(PROVISIONAL, provisional=False)
