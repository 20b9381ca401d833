"""Project stages (在谈 → 签约 → 开工 → 投产, 终止): they only move forward, on dates in
order; a terminated project accepts nothing but comments."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.project import Project
from domain.shared import Audit
from tests.unit.helpers.project import (
    BUILT_ON,
    LATER,
    PRODUCED_ON,
    REGISTERED_ON,
    SIGNED_ON,
    STAGE_COMMANDS,
    TERMINATED_ON,
    event_names,
)

# --- stages move forward only -----------------------------------------------------------


def test_signing_moves_a_negotiating_project_to_signed(project: Project, audit: Audit) -> None:
    project.sign(SIGNED_ON, Decimal("30000.5"), audit=audit)
    assert project.stage == "signed"
    assert project.sign_date == SIGNED_ON
    assert project.contract_amount == Decimal("30000.5000")


def test_signing_refuses_a_negative_contract_amount(project: Project, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="contract_amount must not be negative"):
        project.sign(SIGNED_ON, Decimal("-1"), audit=audit)
    assert project.stage == "negotiating"


def test_construction_moves_a_signed_project_under_construction(
    project_at: Callable[[str], Project], audit: Audit
) -> None:
    project = project_at("signed")
    project.start_construction(BUILT_ON, audit=audit)
    assert project.stage == "under_construction"
    assert project.construction_date == BUILT_ON


def test_production_moves_a_project_under_construction_into_production(
    project_at: Callable[[str], Project], audit: Audit
) -> None:
    project = project_at("under_construction")
    project.start_production(PRODUCED_ON, audit=audit)
    assert project.stage == "in_production"
    assert project.production_date == PRODUCED_ON
    assert event_names(project) == [
        "Registered",
        "Signed",
        "ConstructionStarted",
        "ProductionStarted",
    ]


def test_construction_cannot_start_before_signing(project: Project, audit: Audit) -> None:
    expected = (
        "cannot start construction: project is negotiating (在谈), expected signed (签约); "
        "allowed next: sign or terminate"
    )
    with pytest.raises(RuleViolation, match=re.escape(expected)):
        project.start_construction(BUILT_ON, audit=audit)
    assert project.stage == "negotiating"
    assert project.construction_date is None
    assert event_names(project) == ["Registered"]


@pytest.mark.parametrize(("stage", "label"), [("negotiating", "在谈"), ("signed", "签约")])
def test_production_cannot_start_before_construction(
    project_at: Callable[[str], Project], audit: Audit, stage: str, label: str
) -> None:
    project = project_at(stage)
    with pytest.raises(
        RuleViolation,
        match=re.escape(f"cannot start production: project is {stage} ({label})"),
    ):
        project.start_production(PRODUCED_ON, audit=audit)
    assert project.stage == stage
    assert project.production_date is None


def test_a_signed_project_cannot_be_signed_again(
    project_at: Callable[[str], Project], audit: Audit
) -> None:
    project = project_at("signed")
    with pytest.raises(
        RuleViolation,
        match=re.escape("cannot sign: project is signed (签约), expected negotiating (在谈)"),
    ):
        project.sign(LATER, Decimal("1"), audit=audit)
    assert project.sign_date == SIGNED_ON
    assert project.contract_amount == Decimal("30000.0000")


@pytest.mark.parametrize("command", ["sign", "start_construction"])
def test_a_project_under_construction_cannot_go_back_a_stage(
    project_at: Callable[[str], Project], audit: Audit, command: str
) -> None:
    project = project_at("under_construction")
    with pytest.raises(RuleViolation, match=re.escape("project is under_construction (开工)")):
        STAGE_COMMANDS[command](project, audit)
    assert project.stage == "under_construction"
    assert project.construction_date == BUILT_ON


@pytest.mark.parametrize("command", sorted(STAGE_COMMANDS))
def test_a_producing_project_refuses_every_stage_command(
    project_at: Callable[[str], Project], audit: Audit, command: str
) -> None:
    project = project_at("in_production")
    with pytest.raises(
        RuleViolation,
        match=re.escape("project is in_production (投产)") + ".*no further stage",
    ):
        STAGE_COMMANDS[command](project, audit)
    assert project.stage == "in_production"


# --- stage dates follow each other ------------------------------------------------------


def test_sign_date_cannot_precede_the_registration_date(project: Project, audit: Audit) -> None:
    with pytest.raises(
        RuleViolation, match="sign date 2026-01-04 is before registration date 2026-01-05"
    ):
        project.sign(date(2026, 1, 4), Decimal("1"), audit=audit)
    assert project.stage == "negotiating"


def test_signing_on_the_registration_date_is_allowed(project: Project, audit: Audit) -> None:
    project.sign(REGISTERED_ON, Decimal("1"), audit=audit)
    assert project.sign_date == REGISTERED_ON


def test_construction_date_cannot_precede_the_sign_date(
    project_at: Callable[[str], Project], audit: Audit
) -> None:
    project = project_at("signed")
    with pytest.raises(
        RuleViolation, match="construction date 2026-01-31 is before sign date 2026-02-01"
    ):
        project.start_construction(date(2026, 1, 31), audit=audit)
    assert project.stage == "signed"


def test_production_date_cannot_precede_the_construction_date(
    project_at: Callable[[str], Project], audit: Audit
) -> None:
    project = project_at("under_construction")
    with pytest.raises(
        RuleViolation,
        match="production date 2026-02-28 is before construction date 2026-03-01",
    ):
        project.start_production(date(2026, 2, 28), audit=audit)
    assert project.stage == "under_construction"


# --- termination ------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["negotiating", "signed", "under_construction"])
def test_a_project_can_be_terminated_from_each_open_stage(
    project_at: Callable[[str], Project], audit: Audit, stage: str
) -> None:
    project = project_at(stage)
    project.terminate("  投资方撤资 ", on=TERMINATED_ON, audit=audit)
    assert project.stage == "terminated"
    assert project.terminated_on == TERMINATED_ON
    assert project.termination_reason == "投资方撤资"


def test_a_producing_project_cannot_be_terminated(
    project_at: Callable[[str], Project], audit: Audit
) -> None:
    project = project_at("in_production")
    with pytest.raises(
        RuleViolation, match=re.escape("cannot terminate: project is in_production (投产)")
    ):
        project.terminate("停产", on=LATER, audit=audit)
    assert project.stage == "in_production"
    assert project.terminated_on is None


def test_a_terminated_project_cannot_be_terminated_again(
    project_at: Callable[[str], Project], audit: Audit
) -> None:
    project = project_at("terminated")
    with pytest.raises(
        RuleViolation, match=re.escape("cannot terminate: project is terminated (终止)")
    ):
        project.terminate("again", on=LATER, audit=audit)
    assert project.terminated_on == TERMINATED_ON
    assert project.termination_reason == "投资方撤资"


def test_termination_date_cannot_precede_the_last_stage_date(
    project_at: Callable[[str], Project], audit: Audit
) -> None:
    project = project_at("under_construction")
    with pytest.raises(
        RuleViolation,
        match="termination date 2026-02-15 is before last stage date 2026-03-01",
    ):
        project.terminate("撤资", on=date(2026, 2, 15), audit=audit)
    assert project.stage == "under_construction"


def test_termination_requires_a_reason(project: Project, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="reason must not be empty"):
        project.terminate("  ", on=TERMINATED_ON, audit=audit)
    assert project.stage == "negotiating"


# --- a terminated project accepts nothing but comments ----------------------------------


@pytest.fixture
def terminated(project_at: Callable[[str], Project]) -> Project:
    project = project_at("signed")
    project.raise_problem("用地未落实", on=SIGNED_ON, audit=build_leader())
    project.instruct("加快推进", on=SIGNED_ON, audit=build_leader())
    project.designate_key(2026, "市重点", on=SIGNED_ON, audit=build_leader())
    project.terminate("投资方撤资", on=TERMINATED_ON, audit=build_leader())
    project.collect_events()
    return project


def build_leader() -> Audit:
    return Audit(
        actor_id="l1", actor_name="张领导", role="leader", unit=None, correlation_id="req-l"
    )


TERMINATED_REFUSALS: dict[str, tuple[str, Callable[[Project, Audit], Any]]] = {
    "report_progress": (
        "cannot report progress",
        lambda p, a: p.report_progress("2026-07", "进展", Decimal("1"), on=LATER, audit=a),
    ),
    "raise_problem": (
        "cannot raise a problem",
        lambda p, a: p.raise_problem("问题", on=LATER, audit=a),
    ),
    "resolve_problem": (
        "cannot resolve a problem",
        lambda p, a: p.resolve_problem(1, "已解决", on=LATER, audit=a),
    ),
    "instruct": (
        "cannot give an instruction",
        lambda p, a: p.instruct("批示", on=LATER, audit=a),
    ),
    "answer_instruction": (
        "cannot answer an instruction",
        lambda p, a: p.answer_instruction(1, "已落实", on=LATER, audit=a),
    ),
    "designate_key": (
        "cannot designate it a key project",
        lambda p, a: p.designate_key(2027, "市重点", on=LATER, audit=a),
    ),
    "revise": (
        "cannot revise details",
        lambda p, a: p.revise({"name": "新名称"}, None, on=LATER, audit=a),
    ),
    "reassign": (
        "cannot reassign the responsible unit",
        lambda p, a: p.reassign("liudong", "调整", on=LATER, audit=a),
    ),
}


@pytest.mark.parametrize("command", sorted(STAGE_COMMANDS))
def test_a_terminated_project_refuses_stage_commands(
    terminated: Project, audit: Audit, command: str
) -> None:
    with pytest.raises(
        RuleViolation,
        match=re.escape("project is terminated (终止)") + ".*allowed next: nothing but comments",
    ):
        STAGE_COMMANDS[command](terminated, audit)
    assert terminated.stage == "terminated"
    assert terminated.collect_events() == []


@pytest.mark.parametrize("command", sorted(TERMINATED_REFUSALS))
def test_a_terminated_project_refuses_handling_steps(
    terminated: Project, audit: Audit, command: str
) -> None:
    step, call = TERMINATED_REFUSALS[command]
    with pytest.raises(
        RuleViolation,
        match=f"project is terminated \\(终止\\); {step}, only comments, corrections",
    ):
        call(terminated, audit)
    assert terminated.collect_events() == []
    assert terminated.open_problems[0]["number"] == 1
    assert terminated.instructions[0]["answered_on"] is None
    assert terminated.key_years == [2026]


def test_a_terminated_project_accepts_comments(terminated: Project, audit: Audit) -> None:
    terminated.comment("  项目已终止,归档 ", on=LATER, audit=audit)
    assert terminated.comment_count == 1
    events = terminated.collect_events()
    assert [type(e).__name__ for e in events] == ["Commented"]
    assert isinstance(events[0], Project.Commented)
    assert events[0].text == "项目已终止,归档"


def test_a_terminated_project_refuses_dropping_a_key_year(
    terminated: Project, audit: Audit
) -> None:
    with pytest.raises(RuleViolation, match="project is terminated"):
        terminated.drop_key(2026, "终止", on=LATER, audit=audit)


# --- a producing project still reports --------------------------------------------------


def test_a_producing_project_accepts_progress_reports(
    project_at: Callable[[str], Project], audit: Audit
) -> None:
    project = project_at("in_production")
    project.report_progress("2026-Q3", "满负荷生产", Decimal("45000"), on=LATER, audit=audit)
    assert project.latest_progress == "满负荷生产"
    assert project.funds_in_place == Decimal("45000.0000")


def test_comments_are_counted(project: Project, audit: Audit) -> None:
    project.comment("请补充材料", on=LATER, audit=audit)
    project.comment("已补充", on=LATER, audit=audit)
    assert project.comment_count == 2
    with pytest.raises(InvalidValue, match="text must not be empty"):
        project.comment(" ", on=LATER, audit=audit)
    assert project.comment_count == 2
