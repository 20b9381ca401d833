"""Enterprise request handling: progress notes, outcome (办理结果), the enterprise's
feedback and reopening (重办), closing (办结)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from domain.enterprise_request import EnterpriseRequest, Outcome
from domain.errors import InvalidValue, RuleViolation
from domain.shared import Audit
from tests.unit.helpers.enterprise_request import (
    ANSWERED_ON,
    CLOSED_ON,
    DUE,
    FEEDBACK_ON,
    NOTED_ON,
    SECOND_DUE,
    event_names,
)

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
                        f"({Outcome.labels()[outcome]})"),
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
        match=re.escape("request is closed (办结); allowed next: nothing / 诉求当前状态为「办结」"),
    ):
        CLOSED_REFUSALS[command](request, audit)
    assert request.collect_events() == []
