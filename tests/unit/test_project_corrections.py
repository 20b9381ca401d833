"""Corrections (更正) of a project's stage facts and the revocation of a termination recorded
by mistake: each is a new event with its reason; the wrong fact stays in the history."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.project import EVENT_LABELS, Project
from domain.shared import Audit, Deadline
from tests.unit.helpers.project import (
    BUILT_ON,
    LATER,
    PRODUCED_ON,
    REGISTERED_ON,
    SIGNED_ON,
    TERMINATED_ON,
    event_names,
)

DAY = timedelta(days=1)


def corrected_event(project: Project) -> Any:
    (event,) = [e for e in project.collect_events() if type(e).__name__ == "Corrected"]
    return event


# --- each field ----------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [
    ("sign_date", SIGNED_ON + DAY),
    ("contract_amount", Decimal("31000.25")),
    ("construction_date", BUILT_ON - DAY),
    ("production_date", PRODUCED_ON + DAY),
])
def test_a_stage_fact_is_corrected_with_its_reason_and_the_value_it_replaces(
    project_at: Callable[[str], Project], audit: Audit, field: str, value: Any,
) -> None:
    project = project_at("in_production")
    previous = getattr(project, field)
    project.collect_events()

    project.correct(field, value, " 合同录入错误 ", LATER, audit)

    assert getattr(project, field) == value
    event = corrected_event(project)
    assert (event.field, event.value, event.previous, event.reason, event.on) == (
        field, value, previous, "合同录入错误", LATER)
    assert project.stage == "in_production"  # a correction moves no stage


def test_a_corrected_amount_is_kept_to_the_yuan(project_at: Callable[[str], Project],
                                                audit: Audit) -> None:
    project = project_at("signed")
    project.correct("contract_amount", Decimal("30000.5"), "补正", LATER, audit)
    assert project.contract_amount == Decimal("30000.5000")


@pytest.mark.parametrize(("value", "message"), [
    (Decimal("-1"), "contract_amount must not be negative"),
    (Decimal("1e9"), "contract_amount is implausibly large"),
    (Decimal("1.00001"), "contract_amount has more than four decimal places"),
    ("八千", "contract_amount must be a decimal number"),
])
def test_a_corrected_amount_keeps_the_amount_rules(
    project_at: Callable[[str], Project], audit: Audit, value: Any, message: str,
) -> None:
    project = project_at("signed")
    project.collect_events()
    with pytest.raises(InvalidValue, match=message):
        project.correct("contract_amount", value, "补正", LATER, audit)
    assert project.contract_amount == Decimal("30000")
    assert event_names(project) == []


def test_a_date_field_takes_only_a_date(project_at: Callable[[str], Project],
                                        audit: Audit) -> None:
    project = project_at("signed")
    with pytest.raises(InvalidValue, match="sign_date must be a date"):
        project.correct("sign_date", "2026-02-03", "补正", LATER, audit)


def test_an_unknown_field_is_refused_naming_the_correctable_ones(
    project_at: Callable[[str], Project], audit: Audit,
) -> None:
    project = project_at("signed")
    with pytest.raises(InvalidValue, match=r"field must be one of sign_date .*contract_amount"):
        project.correct("name", "新名称", "补正", LATER, audit)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_correction_needs_a_reason(project_at: Callable[[str], Project], audit: Audit,
                                     reason: Any) -> None:
    project = project_at("signed")
    project.collect_events()
    with pytest.raises(InvalidValue, match="reason must not be empty"):
        project.correct("sign_date", SIGNED_ON + DAY, reason, LATER, audit)
    assert project.sign_date == SIGNED_ON
    assert event_names(project) == []


def test_a_correction_that_changes_nothing_is_refused(project_at: Callable[[str], Project],
                                                      audit: Audit) -> None:
    project = project_at("signed")
    with pytest.raises(RuleViolation, match=re.escape(
            "contract_amount (合同金额) is already 30000.0000; nothing to correct")):
        project.correct("contract_amount", Decimal("30000"), "补正", LATER, audit)


# --- only a stage reached, and the stage order holds -----------------------------------------


@pytest.mark.parametrize(("stage", "field"), [
    ("negotiating", "sign_date"), ("negotiating", "contract_amount"),
    ("signed", "construction_date"), ("under_construction", "production_date"),
])
def test_a_fact_of_a_stage_not_reached_is_refused(
    project_at: Callable[[str], Project], audit: Audit, stage: str, field: str,
) -> None:
    project = project_at(stage)
    project.collect_events()
    with pytest.raises(RuleViolation, match=f"cannot correct {field} .*and has none yet"):
        project.correct(field, Decimal("1") if field == "contract_amount" else LATER,
                        "补正", LATER, audit)
    assert event_names(project) == []


@pytest.mark.parametrize(("field", "value", "side", "bound"), [
    ("sign_date", REGISTERED_ON - DAY, "precede", "registered_on (登记日期) 2026-01-05"),
    ("sign_date", BUILT_ON + DAY, "follow", "construction_date (开工日期) 2026-03-01"),
    ("construction_date", SIGNED_ON - DAY, "precede", "sign_date (签约日期) 2026-02-01"),
    ("construction_date", PRODUCED_ON + DAY, "follow", "production_date (投产日期) 2026-06-01"),
    ("production_date", BUILT_ON - DAY, "precede", "construction_date (开工日期) 2026-03-01"),
])
def test_a_corrected_date_keeps_the_stage_order(
    project_at: Callable[[str], Project], audit: Audit, field: str, value: date, side: str,
    bound: str,
) -> None:
    project = project_at("in_production")
    before = getattr(project, field)
    project.collect_events()

    with pytest.raises(RuleViolation, match=re.escape(
            f"cannot be corrected to {value.isoformat()}: it would {side} the {bound}")):
        project.correct(field, value, "补正", LATER, audit)

    assert getattr(project, field) == before
    assert event_names(project) == []


def test_a_date_may_equal_its_neighbours(project_at: Callable[[str], Project],
                                         audit: Audit) -> None:
    project = project_at("in_production")
    project.correct("construction_date", SIGNED_ON, "补正", LATER, audit)
    project.correct("construction_date", PRODUCED_ON, "再次补正", LATER, audit)
    assert project.construction_date == PRODUCED_ON


def test_the_last_stage_date_of_a_terminated_project_may_not_follow_its_termination(
    project_at: Callable[[str], Project], audit: Audit,
) -> None:
    project = project_at("under_construction")
    project.terminate("投资方撤资", on=TERMINATED_ON, audit=audit)
    with pytest.raises(RuleViolation, match="follow the terminated_on"):
        project.correct("construction_date", TERMINATED_ON + DAY, "补正", LATER, audit)

    project.correct("construction_date", TERMINATED_ON, "补正", LATER, audit)  # 终止 keeps
    assert (project.construction_date, project.stage) == (TERMINATED_ON, "terminated")


def test_a_correction_is_labelled_by_its_field() -> None:
    assert EVENT_LABELS["Corrected"] == "更正"
    assert EVENT_LABELS["Corrected.sign_date"] == "更正签约日期"
    assert EVENT_LABELS["Corrected.contract_amount"] == "更正合同金额"
    assert EVENT_LABELS["TerminationRevoked"] == "撤销终止"


def test_correct_is_an_allowed_step_once_there_is_a_stage_fact(
    project_at: Callable[[str], Project],
) -> None:
    assert "correct" not in project_at("negotiating").allowed_steps()
    assert "correct" in project_at("signed").allowed_steps()


# --- revoking a termination (撤销终止) --------------------------------------------------------


@pytest.mark.parametrize("stage", ["negotiating", "signed", "under_construction"])
def test_revoking_a_termination_returns_to_the_stage_it_left(
    project_at: Callable[[str], Project], audit: Audit, stage: str,
) -> None:
    project = project_at(stage)
    project.terminate("误操作", on=TERMINATED_ON, audit=audit)
    project.collect_events()

    project.revoke_termination(" 终止系误录 ", LATER, audit)

    assert project.stage == stage
    assert (project.terminated_on, project.termination_reason) == (None, None)
    (event,) = cast("list[Any]", project.collect_events())
    assert type(event).__name__ == "TerminationRevoked"
    assert (event.stage, event.reason, event.terminated_on) == (stage, "终止系误录",
                                                               TERMINATED_ON)
    assert "terminate" in project.allowed_steps()


def test_after_a_revocation_the_project_takes_every_step_again(
    project_at: Callable[[str], Project], audit: Audit,
) -> None:
    project = project_at("signed")
    project.terminate("误操作", on=TERMINATED_ON, audit=audit)
    project.revoke_termination("终止系误录", LATER, audit)

    project.start_construction(LATER, audit)
    project.report_progress("2026-12", "复工", None, LATER, audit)
    assert project.stage == "under_construction"


def test_a_revocation_carries_the_open_items_that_run_a_deadline_again(
    project: Project, audit: Audit,
) -> None:
    due = Deadline(start=SIGNED_ON, working_days=20, due=date(2026, 3, 3),
                   calendar_version="cc")
    project.raise_problem("用地未落实", SIGNED_ON, audit, due)
    project.raise_problem("已解决的问题", SIGNED_ON, audit, due)
    project.resolve_problem(2, "已解决", BUILT_ON, audit)
    project.raise_problem("旧问题 without deadline", SIGNED_ON, audit, None)
    project.instruct("加快推进", SIGNED_ON, audit, due)
    project.terminate("误操作", on=TERMINATED_ON, audit=audit)
    project.collect_events()

    project.revoke_termination("终止系误录", LATER, audit)

    (event,) = cast("list[Any]", project.collect_events())
    assert event.open_items == [
        {"kind": "problem", "number": 1, "text": "用地未落实", "on": SIGNED_ON, "deadline": due},
        {"kind": "instruction", "number": 1, "text": "加快推进", "on": SIGNED_ON,
         "deadline": due},
    ]


@pytest.mark.parametrize("stage", ["negotiating", "signed", "in_production"])
def test_revoking_is_refused_unless_the_project_is_terminated(
    project_at: Callable[[str], Project], audit: Audit, stage: str,
) -> None:
    project = project_at(stage)
    project.collect_events()
    with pytest.raises(RuleViolation, match=f"cannot revoke the termination: project is {stage}"):
        project.revoke_termination("误操作", LATER, audit)
    assert project.stage == stage
    assert event_names(project) == []


def test_revoking_needs_a_reason_and_a_date_not_before_the_termination(
    project_at: Callable[[str], Project], audit: Audit,
) -> None:
    project = project_at("terminated")
    with pytest.raises(InvalidValue, match="reason must not be empty"):
        project.revoke_termination(" ", LATER, audit)
    with pytest.raises(RuleViolation, match="revocation date 2026-06-30 is before termination"):
        project.revoke_termination("误操作", TERMINATED_ON - DAY, audit)
    assert project.stage == "terminated"


def test_a_terminated_project_offers_comments_corrections_and_revocation(
    project_at: Callable[[str], Project], audit: Audit,
) -> None:
    project = project_at("signed")
    project.terminate("误操作", on=TERMINATED_ON, audit=audit)
    assert project.allowed_steps() == ["comment", "revoke-termination", "correct"]
