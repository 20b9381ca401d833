"""EnterpriseRequest aggregate (企业诉求): one test per rule, transition and refusal."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any
from uuid import uuid4

import pytest

from domain.calendar import Deadline
from domain.enterprise import Enterprise
from domain.enterprise_request import (
    ALLOWED,
    CATEGORY_LABELS,
    EVENT_LABELS,
    OUTCOME_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    EnterpriseRequest,
    Status,
)
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit

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


@pytest.fixture
def request_at(audit: Audit) -> Callable[[str], EnterpriseRequest]:
    return lambda status: advance(raise_request(audit), status, audit)


def event_names(request: EnterpriseRequest) -> list[str]:
    return [type(e).__name__ for e in request.collect_events()]


# --- raising ----------------------------------------------------------------------------


def test_a_raised_request_awaits_assignment(audit: Audit) -> None:
    request = raise_request(audit)
    assert request.status == "raised"
    assert request.current_status is Status.raised
    assert request.enterprise_id == ENTERPRISE_ID
    assert request.credit_code == CODE
    assert request.project_id is None
    assert (request.source, request.visit_number, request.category) == ("visit", 1, "labour")
    assert request.description == "春节后用工缺口约200人"
    assert request.raised_on == RAISED_ON
    assert request.assigned_units == []
    assert request.current_due is None
    assert request.is_open
    assert request.assignments == request.progress_notes == request.outcomes == []
    assert event_names(request) == ["Raised"]


def test_raising_normalizes_the_credit_code_and_keeps_the_project(audit: Audit) -> None:
    project_id = uuid4()
    request = raise_request(audit, credit_code=f" {CODE.lower()} ", project_id=project_id)
    assert request.credit_code == CODE
    assert request.project_id == project_id


def test_raising_refuses_an_enterprise_id_of_another_credit_code(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match=f"is not the enterprise of credit code {CODE}"):
        raise_request(audit, enterprise_id=uuid4())


def test_raising_refuses_an_enterprise_id_that_is_not_a_uuid(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="is not the enterprise"):
        raise_request(audit, enterprise_id=str(ENTERPRISE_ID))


def test_raising_refuses_an_invalid_credit_code(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="check character should be 3"):
        raise_request(audit, credit_code=CODE[:17] + "4")


def test_raising_refuses_a_project_id_that_is_not_a_uuid(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="project_id must be a UUID"):
        raise_request(audit, project_id="p-1")


@pytest.mark.parametrize("source", sorted(SOURCE_LABELS))
def test_every_documented_source_is_accepted(audit: Audit, source: str) -> None:
    assert raise_request(audit, source=source, visit_number=None).source == source


@pytest.mark.parametrize("category", sorted(CATEGORY_LABELS))
def test_every_documented_category_is_accepted(audit: Audit, category: str) -> None:
    assert raise_request(audit, category=category).category == category


@pytest.mark.parametrize(("field", "value"), [("source", "email"), ("category", "tax")])
def test_unknown_source_or_category_is_invalid_and_lists_the_choices(
    audit: Audit, field: str, value: str
) -> None:
    with pytest.raises(InvalidValue, match=f"{field} must be one of .*; got '{value}'"):
        raise_request(audit, **{field: value})


def test_a_visit_number_is_only_for_requests_raised_at_a_visit(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match=r"visit_number is only for .* not hotline"):
        raise_request(audit, source="hotline", visit_number=1)


@pytest.mark.parametrize("number", [0, -1, True, "1"])
def test_a_visit_number_must_be_a_positive_whole_number(audit: Audit, number: Any) -> None:
    with pytest.raises(InvalidValue, match="visit_number must be a positive whole number"):
        raise_request(audit, visit_number=number)


def test_a_visit_request_may_omit_the_visit_number(audit: Audit) -> None:
    assert raise_request(audit, visit_number=None).visit_number is None


def test_raising_requires_a_description(audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="description must not be empty"):
        raise_request(audit, description="  ")


# --- assignment -------------------------------------------------------------------------


def test_assigning_records_lead_co_units_and_deadline(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("raised")
    request.assign(" rsj ", [" gxj", "liudong"], DUE, on=ASSIGNED_ON, audit=audit)
    assert request.status == "assigned"
    assert (request.lead_unit, request.co_units) == ("rsj", ["gxj", "liudong"])
    assert request.assigned_units == ["rsj", "gxj", "liudong"]
    assert request.current_due == DUE
    assert request.assignments == [{"number": 1, "lead_unit": "rsj",
                                    "co_units": ["gxj", "liudong"], "due": DUE,
                                    "assigned_on": ASSIGNED_ON}]
    (assigned,) = list[Any](request.collect_events())
    assert type(assigned).__name__ == "Assigned"
    assert assigned.due == DUE


def test_assigning_without_co_units_is_allowed(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("raised")
    request.assign("rsj", None, DUE, on=ASSIGNED_ON, audit=audit)
    assert request.assigned_units == ["rsj"]


@pytest.mark.parametrize(("lead", "co_units", "message"), [
    ("rsj", ["gxj", "gxj"], "co-unit gxj is listed twice"),
    ("rsj", ["gxj", " rsj "], "rsj is the lead unit .* cannot also be a co-unit"),
    ("rsj", "gxj", "co_units must be a list"),
    ("rsj", ["gxj", ""], "co-unit must not be empty"),
    (" ", ["gxj"], "lead_unit must not be empty"),
])
def test_malformed_units_are_refused(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit,
    lead: str, co_units: Any, message: str,
) -> None:
    request = request_at("raised")
    with pytest.raises(InvalidValue, match=message):
        request.assign(lead, co_units, DUE, on=ASSIGNED_ON, audit=audit)
    assert request.status == "raised"
    assert request.collect_events() == []


@pytest.mark.parametrize(("due", "message"), [
    ("2025-03-17", "due must be a working-day Deadline"),
    (replace(DUE, working_days=0), "at least one working day"),
    (replace(DUE, due=DUE.start), "and end after its start; got 10 working days from "
                                  "2025-03-03 to 2025-03-03"),
    (replace(DUE, start=date(2025, 2, 1), due=date(2025, 3, 2)),
     "must count at least one working day from 2025-03-03 .* from 2025-02-01 to 2025-03-02"),
])
def test_malformed_deadlines_are_refused(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, due: Any, message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        request_at("raised").assign("rsj", None, due, on=ASSIGNED_ON, audit=audit)


def test_assignment_cannot_be_dated_before_the_request_was_raised(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="assignment date 2025-02-27 is before previous step"):
        request_at("raised").assign("rsj", None, DUE, on=date(2025, 2, 27), audit=audit)


@pytest.mark.parametrize("status", ["assigned", "in_progress", "answered", "confirmed"])
def test_an_assigned_request_cannot_be_assigned_again(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, status: str
) -> None:
    request = request_at(status)
    allowed = ", ".join(ALLOWED[status])
    with pytest.raises(
        RuleViolation,
        match=re.escape(f"cannot assign: request is {status} ({STATUS_LABELS[status]}); "
                        f"allowed next: {allowed}"),
    ):
        request.assign("fgw", None, DUE, on=CLOSED_ON, audit=audit)
    assert request.collect_events() == []


# --- progress notes ---------------------------------------------------------------------


def test_the_first_progress_note_puts_the_request_in_progress(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("assigned")
    first = request.note_progress(" 已对接 ", "rsj", on=NOTED_ON, audit=audit)
    second = request.note_progress("召开招聘会", "liudong", on=NOTED_ON, audit=audit)
    assert (first, second) == (1, 2)
    assert request.status == "in_progress"
    assert request.progress_notes == [
        {"number": 1, "text": "已对接", "by_unit": "rsj", "on": NOTED_ON, "assignment": 1},
        {"number": 2, "text": "召开招聘会", "by_unit": "liudong", "on": NOTED_ON,
         "assignment": 1},
    ]
    assert event_names(request) == ["ProgressNoted", "ProgressNoted"]


def test_a_unit_not_assigned_cannot_note_progress(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("assigned")
    with pytest.raises(
        RuleViolation, match=r"unit fgw is not assigned .*assigned units: rsj, gxj, liudong"
    ):
        request.note_progress("进展", "fgw", on=NOTED_ON, audit=audit)
    assert request.status == "assigned"


def test_progress_before_assignment_is_refused_naming_the_status(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(
        RuleViolation,
        match=re.escape("cannot note progress: request is raised (待交办); allowed next: assign"),
    ):
        request_at("raised").note_progress("进展", "rsj", on=NOTED_ON, audit=audit)


def test_progress_cannot_be_dated_before_the_assignment(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="progress date 2025-03-02 is before previous step"):
        request_at("assigned").note_progress("进展", "rsj", on=date(2025, 3, 2), audit=audit)


def test_progress_requires_text(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(InvalidValue, match="text must not be empty"):
        request_at("assigned").note_progress(" ", "rsj", on=NOTED_ON, audit=audit)


# --- outcome ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["assigned", "in_progress"])
def test_the_lead_unit_records_an_outcome_and_the_request_is_answered(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, status: str
) -> None:
    request = request_at(status)
    request.record_outcome("resolved", None, "rsj", on=ANSWERED_ON, audit=audit)
    assert request.status == "answered"
    assert (request.outcome, request.explanation, request.resolved_on) == (
        "resolved", None, ANSWERED_ON)
    assert request.outcomes == [{"assignment": 1, "outcome": "resolved", "explanation": None,
                                 "by_unit": "rsj", "resolved_on": ANSWERED_ON,
                                 "feedback": None, "feedback_on": None,
                                 "feedback_comment": None}]
    assert request.current_due == DUE
    assert event_names(request) == ["OutcomeRecorded"]


@pytest.mark.parametrize("outcome", ["partly_resolved", "not_resolvable"])
def test_a_partial_or_impossible_solution_must_be_explained(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, outcome: str
) -> None:
    request = request_at("in_progress")
    with pytest.raises(
        InvalidValue,
        match=re.escape(f"explanation is required when the outcome is {outcome} "
                        f"({OUTCOME_LABELS[outcome]})"),
    ):
        request.record_outcome(outcome, "  ", "rsj", on=ANSWERED_ON, audit=audit)
    request.record_outcome(outcome, " 用地指标不足 ", "rsj", on=ANSWERED_ON, audit=audit)
    assert (request.outcome, request.explanation) == (outcome, "用地指标不足")


def test_a_resolved_outcome_may_carry_an_explanation(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("in_progress")
    request.record_outcome("resolved", "已招到180人", "rsj", on=ANSWERED_ON, audit=audit)
    assert request.explanation == "已招到180人"


def test_an_unknown_outcome_is_invalid(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(InvalidValue, match="outcome must be one of resolved"):
        request_at("in_progress").record_outcome("done", None, "rsj", on=ANSWERED_ON,
                                                 audit=audit)


def test_a_co_unit_cannot_record_the_outcome(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("in_progress")
    with pytest.raises(RuleViolation, match=r"recorded by the lead unit .* rsj, not by gxj"):
        request.record_outcome("resolved", None, "gxj", on=ANSWERED_ON, audit=audit)
    assert request.status == "in_progress"


def test_an_outcome_cannot_be_dated_before_the_last_progress_note(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="outcome date 2025-03-06 is before previous step"):
        request_at("in_progress").record_outcome("resolved", None, "rsj",
                                                 on=date(2025, 3, 6), audit=audit)


@pytest.mark.parametrize("status", ["raised", "answered", "confirmed", "reopened"])
def test_an_outcome_is_refused_unless_the_request_is_being_handled(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, status: str
) -> None:
    with pytest.raises(RuleViolation, match=f"cannot record outcome: request is {status}"):
        request_at(status).record_outcome("resolved", None, "rsj", on=CLOSED_ON, audit=audit)


# --- feedback and reopening -------------------------------------------------------------


def test_satisfied_feedback_confirms_the_request(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("answered")
    request.record_feedback("satisfied", " 感谢 ", on=FEEDBACK_ON, audit=audit)
    assert request.status == "confirmed"
    assert (request.feedback, request.feedback_on) == ("satisfied", FEEDBACK_ON)
    assert request.outcome == "resolved"
    assert request.outcomes[-1]["feedback"] == "satisfied"
    assert request.outcomes[-1]["feedback_comment"] == "感谢"
    assert request.assigned_units == ["rsj", "gxj", "liudong"]


def test_unsatisfied_feedback_reopens_and_clears_the_current_assignment(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("answered")
    request.record_feedback("unsatisfied", "仍缺工50人", on=FEEDBACK_ON, audit=audit)
    assert request.status == "reopened"
    assert request.is_open
    assert request.assigned_units == []
    assert request.current_due is None
    assert (request.outcome, request.resolved_on) == (None, None)
    assert request.feedback == "unsatisfied"
    # History stays for statistics.
    assert request.assignments[0]["lead_unit"] == "rsj"
    assert request.outcomes[0]["outcome"] == "resolved"
    assert request.outcomes[0]["feedback"] == "unsatisfied"
    assert request.outcomes[0]["feedback_comment"] == "仍缺工50人"


def test_unsatisfied_feedback_must_say_what_remains(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("answered")
    with pytest.raises(InvalidValue, match="unsatisfied feedback must say what remains"):
        request.record_feedback("unsatisfied", None, on=FEEDBACK_ON, audit=audit)
    assert request.status == "answered"


def test_unknown_feedback_is_invalid(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(InvalidValue, match="feedback must be one of satisfied"):
        request_at("answered").record_feedback("basically", None, on=FEEDBACK_ON, audit=audit)


@pytest.mark.parametrize("status", ["raised", "assigned", "in_progress", "confirmed", "reopened"])
def test_feedback_is_refused_unless_an_outcome_awaits_it(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, status: str
) -> None:
    with pytest.raises(RuleViolation, match=f"cannot record feedback: request is {status}"):
        request_at(status).record_feedback("satisfied", None, on=CLOSED_ON, audit=audit)


def test_feedback_cannot_be_dated_before_the_outcome(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="feedback date 2025-03-13 is before previous step"):
        request_at("answered").record_feedback("satisfied", None, on=date(2025, 3, 13),
                                               audit=audit)


@pytest.mark.parametrize("step", ["note_progress", "record_outcome", "close"])
def test_a_reopened_request_must_be_assigned_again_first(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, step: str
) -> None:
    request = request_at("reopened")
    calls: dict[str, Callable[[], Any]] = {
        "note_progress": lambda: request.note_progress("进展", "rsj", on=CLOSED_ON, audit=audit),
        "record_outcome": lambda: request.record_outcome("resolved", None, "rsj",
                                                         on=CLOSED_ON, audit=audit),
        "close": lambda: request.close("结束", on=CLOSED_ON, audit=audit),
    }
    with pytest.raises(
        RuleViolation, match=re.escape("request is reopened (重办); allowed next: assign")
    ):
        calls[step]()


def test_a_reopened_request_runs_a_second_round_and_keeps_both_in_history(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("reopened")
    request.assign("fgw", ["rsj"], SECOND_DUE, on=date(2025, 3, 21), audit=audit)
    assert request.status == "assigned"
    assert request.assigned_units == ["fgw", "rsj"]
    assert request.current_due == SECOND_DUE
    request.note_progress("协调用工", "rsj", on=date(2025, 3, 25), audit=audit)
    request.record_outcome("partly_resolved", "缺口缩小到10人", "fgw", on=date(2025, 4, 1),
                           audit=audit)
    assert request.feedback is None  # awaiting this round's feedback
    assert [a["number"] for a in request.assignments] == [1, 2]
    assert [(o["assignment"], o["outcome"], o["resolved_on"]) for o in request.outcomes] == [
        (1, "resolved", ANSWERED_ON), (2, "partly_resolved", date(2025, 4, 1))]
    assert request.progress_notes[-1]["assignment"] == 2


def test_reassignment_after_reopening_cannot_predate_the_feedback(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="assignment date 2025-03-19 is before previous"):
        request_at("reopened").assign("fgw", None, SECOND_DUE, on=date(2025, 3, 19),
                                      audit=audit)


# --- closing ----------------------------------------------------------------------------


def test_a_confirmed_request_closes_without_a_reason(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("confirmed")
    request.close(None, on=CLOSED_ON, audit=audit)
    assert request.status == "closed"
    assert not request.is_open
    assert (request.closed_on, request.close_reason) == (CLOSED_ON, None)
    assert event_names(request) == ["Closed"]


def test_closing_without_the_enterprises_feedback_needs_a_reason(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    request = request_at("answered")
    with pytest.raises(RuleViolation, match="closing without the enterprise's feedback"):
        request.close("  ", on=CLOSED_ON, audit=audit)
    assert request.collect_events() == []
    request.close("企业逾期未反馈", on=CLOSED_ON, audit=audit)
    assert request.status == "closed"
    assert request.close_reason == "企业逾期未反馈"
    assert request.feedback is None


@pytest.mark.parametrize("status", ["raised", "assigned", "in_progress", "reopened"])
def test_closing_is_refused_before_an_outcome(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, status: str
) -> None:
    with pytest.raises(RuleViolation, match=f"cannot close: request is {status}"):
        request_at(status).close("结束", on=CLOSED_ON, audit=audit)


def test_closing_cannot_be_dated_before_the_feedback(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="closing date 2025-03-19 is before previous step"):
        request_at("confirmed").close(None, on=date(2025, 3, 19), audit=audit)


CLOSED_REFUSALS: dict[str, Callable[[EnterpriseRequest, Audit], Any]] = {
    "assign": lambda r, a: r.assign("fgw", None, SECOND_DUE, on=date(2025, 3, 21), audit=a),
    "note_progress": lambda r, a: r.note_progress("x", "rsj", on=CLOSED_ON, audit=a),
    "record_outcome": lambda r, a: r.record_outcome("resolved", None, "rsj", on=CLOSED_ON,
                                                    audit=a),
    "record_feedback": lambda r, a: r.record_feedback("satisfied", None, on=CLOSED_ON,
                                                      audit=a),
    "close": lambda r, a: r.close("再次", on=CLOSED_ON, audit=a),
    "recompute_due": lambda r, a: r.recompute_due(DUE, on=CLOSED_ON, audit=a),
}


@pytest.mark.parametrize("command", sorted(CLOSED_REFUSALS))
def test_a_closed_request_refuses_every_command(
    request_at: Callable[[str], EnterpriseRequest], audit: Audit, command: str
) -> None:
    request = request_at("closed")
    with pytest.raises(
        RuleViolation,
        match=re.escape("request is closed (办结); allowed next: nothing, it is closed"),
    ):
        CLOSED_REFUSALS[command](request, audit)
    assert request.collect_events() == []


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
    assert set(STATUS_LABELS) == set(ALLOWED) == {s.value for s in Status}
    for steps in ALLOWED.values():
        for step in steps:
            assert callable(getattr(EnterpriseRequest, step)), step


def test_the_labels_match_the_glossary() -> None:
    assert SOURCE_LABELS == {"visit": "调研", "forum": "座谈会", "online": "线上",
                             "hotline": "热线"}
    assert list(CATEGORY_LABELS.values()) == ["用工", "用电", "防疫", "复工复产", "住房",
                                              "子女入学", "交通", "融资", "用地", "审批", "其他"]
    assert OUTCOME_LABELS == {"resolved": "已解决", "partly_resolved": "部分解决",
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
    assert {type(e).__name__ for e in request.collect_events()} == set(EVENT_LABELS)


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
