"""Project aggregate (招商项目): one test per domain rule."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.calendar import Deadline
from domain.errors import InvalidValue, RuleViolation
from domain.project import EVENT_LABELS, Project, ProjectDetails, Stage
from domain.shared import Audit

REGISTERED_ON = date(2026, 1, 5)
SIGNED_ON = date(2026, 2, 1)
BUILT_ON = date(2026, 3, 1)
PRODUCED_ON = date(2026, 6, 1)
TERMINATED_ON = date(2026, 7, 1)
LATER = date(2026, 12, 1)


def details(**overrides: Any) -> ProjectDetails:
    fields: dict[str, Any] = {
        "name": "新能源汽车零部件项目",
        "investor": "广西某某科技有限公司",
        "industry": "汽车",
        "total_investment": Decimal("50000"),
        "county": "liudong",
        "responsible_unit": "tcj",
    }
    fields.update(overrides)
    return ProjectDetails(**fields)


def register(audit: Audit, **overrides: Any) -> Project:
    return Project.register(details(**overrides), on=REGISTERED_ON, audit=audit)


def advance(project: Project, stage: str, audit: Audit) -> Project:
    """Move a negotiating project forward to `stage` along the normal path."""
    if stage == "terminated":
        project.terminate("投资方撤资", on=TERMINATED_ON, audit=audit)
        return project
    path = ["signed", "under_construction", "in_production"]
    steps: dict[str, Callable[[], None]] = {
        "signed": lambda: project.sign(SIGNED_ON, Decimal("30000"), audit=audit),
        "under_construction": lambda: project.start_construction(BUILT_ON, audit=audit),
        "in_production": lambda: project.start_production(PRODUCED_ON, audit=audit),
    }
    if stage != "negotiating":
        for step in path[: path.index(stage) + 1]:
            steps[step]()
    assert project.stage == stage
    return project


@pytest.fixture
def project(audit: Audit) -> Project:
    return register(audit)


@pytest.fixture
def project_at(audit: Audit) -> Callable[[str], Project]:
    return lambda stage: advance(register(audit), stage, audit)


STAGE_COMMANDS: dict[str, Callable[[Project, Audit], None]] = {
    "sign": lambda p, a: p.sign(LATER, Decimal("1"), audit=a),
    "start_construction": lambda p, a: p.start_construction(LATER, audit=a),
    "start_production": lambda p, a: p.start_production(LATER, audit=a),
}


def event_names(project: Project) -> list[str]:
    return [type(e).__name__ for e in project.collect_events()]


# --- registration -----------------------------------------------------------------------


def test_registration_starts_the_project_negotiating(project: Project) -> None:
    assert project.stage == Stage.negotiating.value
    assert project.current_stage is Stage.negotiating
    assert project.registered_on == REGISTERED_ON
    assert project.sign_date is None
    assert project.construction_date is None
    assert project.production_date is None
    assert project.funds_in_place == 0
    assert project.problems == []
    assert project.instructions == []
    assert project.key_years == []
    assert event_names(project) == ["Registered"]


def test_registration_strips_text_and_quantizes_total_investment(audit: Audit) -> None:
    project = register(
        audit,
        name="  项目A ",
        total_investment="12.5",
        park="  ",
        origin=" 深圳 ",
        planned_sign=date(2026, 3, 1),
    )
    assert project.name == "项目A"
    assert project.total_investment == Decimal("12.5000")
    assert str(project.total_investment) == "12.5000"
    assert project.park is None
    assert project.origin == "深圳"
    assert project.planned_sign == date(2026, 3, 1)


@pytest.mark.parametrize("name", ["", "   "])
def test_registration_refuses_an_empty_name(audit: Audit, name: str) -> None:
    with pytest.raises(InvalidValue, match="name must not be empty"):
        register(audit, name=name)


@pytest.mark.parametrize("field", ["investor", "industry", "county", "responsible_unit"])
def test_registration_refuses_empty_required_fields(audit: Audit, field: str) -> None:
    with pytest.raises(InvalidValue, match=f"^{field} must not be empty"):
        register(audit, **{field: " "})


def test_registration_refuses_a_name_over_200_characters(audit: Audit) -> None:
    assert register(audit, name="x" * 200).name == "x" * 200
    with pytest.raises(InvalidValue, match="name is 201 characters long"):
        register(audit, name="x" * 201)


@pytest.mark.parametrize("amount", [Decimal("-1"), Decimal("-0.0001")])
def test_registration_refuses_negative_total_investment(audit: Audit, amount: Decimal) -> None:
    with pytest.raises(InvalidValue, match="total_investment must not be negative"):
        register(audit, total_investment=amount)


def test_registration_refuses_total_investment_with_more_than_four_decimals(
    audit: Audit,
) -> None:
    with pytest.raises(InvalidValue, match="total_investment has more than four decimal places"):
        register(audit, total_investment=Decimal("1.00001"))


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
    project.designate_key(2026, on=SIGNED_ON, audit=build_leader())
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
        lambda p, a: p.designate_key(2027, on=LATER, audit=a),
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
        match=f"project is terminated \\(终止\\); {step}, only comments are allowed",
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


# --- progress reports -------------------------------------------------------------------


@pytest.mark.parametrize(
    "period",
    [
        "2026",
        "2026-07",
        "2026-01",
        "2026-12",
        "2026-Q3",
        "2026-H1",
        "2026-H2",
        "2026-W27",
        "2026-W01",
        "2026-W53",
        " 2026-07 ",
    ],
)
def test_progress_accepts_the_documented_period_formats(
    project: Project, audit: Audit, period: str
) -> None:
    project.report_progress(period, "土地已摘牌", None, on=LATER, audit=audit)
    assert project.latest_progress_period == period.strip()
    assert project.latest_progress == "土地已摘牌"
    assert project.latest_progress_on == LATER


@pytest.mark.parametrize(
    "period",
    [
        "2026-13",
        "26-01",
        "2026-Q5",
        "2026-00",
        "2026-7",
        "2026-Q0",
        "2026-H3",
        "2026-W00",
        "2026-W54",
        "2026/07",
        "2026-07-01",
        "二〇二六",
    ],
)
def test_progress_refuses_malformed_periods(project: Project, audit: Audit, period: str) -> None:
    with pytest.raises(InvalidValue, match="period must look like 2026, 2026-07"):
        project.report_progress(period, "进展", None, on=LATER, audit=audit)
    assert project.latest_progress_period is None


def test_progress_refuses_negative_funds_in_place(project: Project, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="funds_in_place must not be negative"):
        project.report_progress("2026-07", "进展", Decimal("-0.5"), on=LATER, audit=audit)
    assert project.funds_in_place == 0
    assert project.latest_progress is None


def test_progress_updates_funds_in_place(project: Project, audit: Audit) -> None:
    project.report_progress("2026-07", "进展", Decimal("1200.5"), on=LATER, audit=audit)
    assert project.funds_in_place == Decimal("1200.5000")
    project.report_progress("2026-08", "进展", Decimal("0"), on=LATER, audit=audit)
    assert project.funds_in_place == Decimal("0")


def test_progress_without_funds_keeps_the_previous_funds_in_place(
    project: Project, audit: Audit
) -> None:
    project.report_progress("2026-07", "进展", Decimal("800"), on=LATER, audit=audit)
    project.report_progress("2026-08", "新进展", None, on=LATER, audit=audit)
    assert project.funds_in_place == Decimal("800")
    assert project.latest_progress == "新进展"
    assert project.latest_progress_period == "2026-08"


def test_progress_requires_text(project: Project, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="text must not be empty"):
        project.report_progress("2026-07", "   ", None, on=LATER, audit=audit)


# --- problems ---------------------------------------------------------------------------


def test_problems_are_numbered_from_one_in_order(project: Project, audit: Audit) -> None:
    numbers = [project.raise_problem(f"问题{i}", on=SIGNED_ON, audit=audit) for i in range(3)]
    assert numbers == [1, 2, 3]
    assert [p["number"] for p in project.problems] == [1, 2, 3]
    assert [p["text"] for p in project.problems] == ["问题0", "问题1", "问题2"]
    assert all(p["raised_on"] == SIGNED_ON for p in project.problems)
    assert len(project.open_problems) == 3


def test_resolving_a_problem_records_date_and_resolution(project: Project, audit: Audit) -> None:
    project.raise_problem("用地未落实", on=SIGNED_ON, audit=audit)
    project.raise_problem("环评未批复", on=SIGNED_ON, audit=audit)
    project.resolve_problem(2, "  已批复 ", on=SIGNED_ON, audit=audit)
    assert project.problems[1]["resolved_on"] == SIGNED_ON
    assert project.problems[1]["resolution"] == "已批复"
    assert project.problems[0]["resolved_on"] is None
    assert [p["number"] for p in project.open_problems] == [1]


def test_numbering_continues_after_a_problem_is_resolved(project: Project, audit: Audit) -> None:
    project.raise_problem("a", on=SIGNED_ON, audit=audit)
    project.resolve_problem(1, "done", on=SIGNED_ON, audit=audit)
    assert project.raise_problem("b", on=SIGNED_ON, audit=audit) == 2


def test_a_problem_cannot_be_resolved_twice(project: Project, audit: Audit) -> None:
    project.raise_problem("用地未落实", on=SIGNED_ON, audit=audit)
    project.resolve_problem(1, "已落实", on=BUILT_ON, audit=audit)
    with pytest.raises(RuleViolation, match="problem #1 was already resolved on 2026-03-01"):
        project.resolve_problem(1, "再次", on=LATER, audit=audit)
    assert project.problems[0]["resolved_on"] == BUILT_ON
    assert project.problems[0]["resolution"] == "已落实"


@pytest.mark.parametrize("number", [0, 2, -1])
def test_resolving_an_unknown_problem_is_refused(
    project: Project, audit: Audit, number: int
) -> None:
    project.raise_problem("用地未落实", on=SIGNED_ON, audit=audit)
    with pytest.raises(RuleViolation, match=f"project has no problem #{number}; it has 1"):
        project.resolve_problem(number, "x", on=LATER, audit=audit)
    assert project.problems[0]["resolved_on"] is None


def test_resolution_date_cannot_precede_the_date_raised(project: Project, audit: Audit) -> None:
    project.raise_problem("用地未落实", on=BUILT_ON, audit=audit)
    with pytest.raises(
        RuleViolation, match="resolution date 2026-02-28 is before date raised 2026-03-01"
    ):
        project.resolve_problem(1, "已落实", on=date(2026, 2, 28), audit=audit)
    assert project.problems[0]["resolved_on"] is None


# --- instructions (批示) -----------------------------------------------------------------


def test_instructions_are_numbered_and_record_the_leader(
    project: Project, make_audit: Callable[..., Audit]
) -> None:
    leader = make_audit(actor_name="张书记", role="leader")
    assert project.instruct("加快推进", on=SIGNED_ON, audit=leader) == 1
    assert project.instruct("协调用地", on=BUILT_ON, audit=leader) == 2
    first = project.instructions[0]
    assert first["number"] == 1
    assert first["text"] == "加快推进"
    assert first["given_on"] == SIGNED_ON
    assert first["leader"] == "张书记"
    assert first["answered_on"] is None


@pytest.mark.parametrize("number", [0, 1, 2])
def test_answering_a_nonexistent_instruction_is_refused(
    project: Project, audit: Audit, number: int
) -> None:
    if number == 2:
        project.instruct("加快推进", on=SIGNED_ON, audit=audit)
    with pytest.raises(RuleViolation, match=r"project has no instruction \(批示\) #"):
        project.answer_instruction(number, "已落实", on=LATER, audit=audit)


def test_answering_an_instruction_records_answered_on(project: Project, audit: Audit) -> None:
    project.instruct("加快推进", on=SIGNED_ON, audit=audit)
    project.answer_instruction(1, " 已召开专题会 ", on=BUILT_ON, audit=audit)
    assert project.instructions[0]["answered_on"] == BUILT_ON
    assert project.instructions[0]["answer"] == "已召开专题会"


def test_answer_date_cannot_precede_the_instruction_date(project: Project, audit: Audit) -> None:
    project.instruct("加快推进", on=BUILT_ON, audit=audit)
    with pytest.raises(
        RuleViolation, match="answer date 2026-02-01 is before instruction date 2026-03-01"
    ):
        project.answer_instruction(1, "已落实", on=SIGNED_ON, audit=audit)
    assert project.instructions[0]["answered_on"] is None


# --- key-project list (重点项目清单) -------------------------------------------------------


def test_designated_key_years_are_kept_sorted(project: Project, audit: Audit) -> None:
    project.designate_key(2027, on=LATER, audit=audit)
    project.designate_key(2026, on=LATER, audit=audit)
    assert project.key_years == [2026, 2027]


def test_the_same_key_year_cannot_be_designated_twice(project: Project, audit: Audit) -> None:
    project.designate_key(2026, on=LATER, audit=audit)
    with pytest.raises(RuleViolation, match="already on the 2026 key-project list"):
        project.designate_key(2026, on=LATER, audit=audit)
    assert project.key_years == [2026]


def test_dropping_a_designated_key_year_removes_only_that_year(
    project: Project, audit: Audit
) -> None:
    project.designate_key(2026, on=LATER, audit=audit)
    project.designate_key(2027, on=LATER, audit=audit)
    project.drop_key(2026, "已投产", on=LATER, audit=audit)
    assert project.key_years == [2027]


def test_dropping_a_key_year_not_designated_is_refused(project: Project, audit: Audit) -> None:
    project.designate_key(2026, on=LATER, audit=audit)
    with pytest.raises(RuleViolation, match="project is not on the 2027 key-project list"):
        project.drop_key(2027, "x", on=LATER, audit=audit)
    assert project.key_years == [2026]


@pytest.mark.parametrize("year", [1999, 2101, 0, 26])
def test_key_year_outside_2000_to_2100_is_invalid(
    project: Project, audit: Audit, year: int
) -> None:
    with pytest.raises(InvalidValue, match=f"year must be between 2000 and 2100, got {year}"):
        project.designate_key(year, on=LATER, audit=audit)
    with pytest.raises(InvalidValue, match="year must be between 2000 and 2100"):
        project.drop_key(year, "x", on=LATER, audit=audit)
    assert project.key_years == []


def test_key_years_2000_and_2100_are_accepted(project: Project, audit: Audit) -> None:
    project.designate_key(2100, on=LATER, audit=audit)
    project.designate_key(2000, on=LATER, audit=audit)
    assert project.key_years == [2000, 2100]


# --- responsible unit -------------------------------------------------------------------


def test_reassigning_to_the_same_unit_is_refused(project: Project, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="tcj is already the responsible unit"):
        project.reassign(" tcj ", "调整", on=LATER, audit=audit)
    assert event_names(project) == ["Registered"]


def test_reassigning_records_the_previous_unit(project: Project, audit: Audit) -> None:
    project.collect_events()
    project.reassign("liudong", "属地管理", on=LATER, audit=audit)
    assert project.responsible_unit == "liudong"
    (event,) = project.collect_events()
    assert type(event).__name__ == "UnitReassigned"
    assert (event.unit, event.previous_unit, event.reason) == ("liudong", "tcj", "属地管理")


# --- revision ---------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["stage", "responsible_unit", "sign_date", "bogus"])
def test_revising_an_unknown_field_is_invalid(project: Project, audit: Audit, field: str) -> None:
    with pytest.raises(InvalidValue, match=f"cannot revise {field}; revisable fields are name"):
        project.revise({field: "x", "name": "新名称"}, None, on=LATER, audit=audit)
    assert project.name == "新能源汽车零部件项目"


def test_an_empty_revision_is_invalid(project: Project, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="a revision must change at least one field"):
        project.revise({}, None, on=LATER, audit=audit)


def test_a_revision_that_changes_nothing_is_refused(project: Project, audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="the revision changes nothing"):
        project.revise(
            {"name": " 新能源汽车零部件项目 ", "total_investment": "50000.0000", "park": ""},
            None,
            on=LATER,
            audit=audit,
        )
    assert event_names(project) == ["Registered"]


def test_a_revision_applies_and_records_only_the_changed_fields(
    project: Project, audit: Audit
) -> None:
    project.collect_events()
    project.revise(
        {
            "name": "新能源汽车零部件项目",
            "total_investment": "60000.5",
            "park": "柳东新区",
            "planned_start": date(2026, 5, 1),
        },
        " 投资方追加投资 ",
        on=LATER,
        audit=audit,
    )
    assert project.name == "新能源汽车零部件项目"
    assert project.total_investment == Decimal("60000.5000")
    assert project.park == "柳东新区"
    assert project.planned_start == date(2026, 5, 1)
    (event,) = project.collect_events()
    assert type(event).__name__ == "DetailsRevised"
    assert event.changes == {
        "total_investment": Decimal("60000.5000"),
        "park": "柳东新区",
        "planned_start": date(2026, 5, 1),
    }
    assert event.reason == "投资方追加投资"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"total_investment": "-1"}, "total_investment must not be negative"),
        ({"name": "  "}, "name must not be empty"),
        ({"planned_sign": "2026-03-01"}, "planned_sign must be a date"),
    ],
)
def test_a_revision_checks_its_values(
    project: Project, audit: Audit, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        project.revise(changes, None, on=LATER, audit=audit)
    assert event_names(project) == ["Registered"]


def test_a_revision_enforces_the_same_county_limit_as_registration(
    project: Project, audit: Audit
) -> None:
    with pytest.raises(InvalidValue):
        register(audit, county="x" * 41)
    with pytest.raises(InvalidValue):
        project.revise({"county": "x" * 41}, None, on=LATER, audit=audit)


# --- audit trail and replay -------------------------------------------------------------


def provisional_deadline() -> Deadline:
    return Deadline(start=REGISTERED_ON, working_days=3, due=date(2026, 1, 13),
                    calendar_version="rule", provisional=True)


def official_deadline() -> Deadline:
    return Deadline(start=REGISTERED_ON, working_days=3, due=date(2026, 1, 14),
                    calendar_version="official")


def run_lifecycle(make_audit: Callable[..., Audit], final: str) -> tuple[Project, list[Audit]]:
    """Run every kind of command once, each under its own audit; return the audits in order."""
    audits: list[Audit] = []

    def next_audit() -> Audit:
        audits.append(make_audit(f"req-{len(audits) + 1}", actor_id=f"a{len(audits) + 1}"))
        return audits[-1]

    project = Project.register(details(), on=REGISTERED_ON, audit=next_audit())
    project.revise(
        {"total_investment": Decimal("60000")}, "追加", on=REGISTERED_ON, audit=next_audit()
    )
    project.raise_problem("用地未落实", on=REGISTERED_ON, audit=next_audit(),
                          due=provisional_deadline())
    project.raise_problem("环评未批复", on=REGISTERED_ON, audit=next_audit())
    project.recompute_deadline("problem", 1, official_deadline(), on=REGISTERED_ON,
                               audit=next_audit())
    project.sign(SIGNED_ON, Decimal("30000"), audit=next_audit())
    project.resolve_problem(2, "已批复", on=SIGNED_ON, audit=next_audit())
    project.instruct("加快推进", on=SIGNED_ON, audit=next_audit())
    project.answer_instruction(1, "已落实", on=BUILT_ON, audit=next_audit())
    project.designate_key(2026, on=SIGNED_ON, audit=next_audit())
    project.designate_key(2027, on=SIGNED_ON, audit=next_audit())
    project.drop_key(2026, "调整", on=SIGNED_ON, audit=next_audit())
    project.start_construction(BUILT_ON, audit=next_audit())
    project.report_progress(
        "2026-Q1", "主体施工", Decimal("1500.25"), on=BUILT_ON, audit=next_audit()
    )
    project.reassign("liudong", "属地管理", on=BUILT_ON, audit=next_audit())
    project.comment("请按月报送", on=BUILT_ON, audit=next_audit())
    if final == "in_production":
        project.start_production(PRODUCED_ON, audit=next_audit())
    else:
        project.terminate("投资方撤资", on=TERMINATED_ON, audit=next_audit())
    return project, audits


def test_every_event_carries_the_audit_passed_in(make_audit: Callable[..., Audit]) -> None:
    project, audits = run_lifecycle(make_audit, "in_production")
    events = project.collect_events()
    assert len(events) == len(audits) == 17
    assert [e.audit for e in events] == audits
    assert all(isinstance(e.audit, Audit) for e in events)


def test_every_recorded_event_has_a_label(make_audit: Callable[..., Audit]) -> None:
    names: set[str] = set()
    for final in ("in_production", "terminated"):
        project, _ = run_lifecycle(make_audit, final)
        names |= {type(e).__name__ for e in project.collect_events()}
    assert names == set(EVENT_LABELS)


STATE_FIELDS = (
    "id",
    "version",
    "name",
    "investor",
    "industry",
    "total_investment",
    "county",
    "responsible_unit",
    "park",
    "origin",
    "liaison_leader",
    "planned_sign",
    "planned_start",
    "planned_production",
    "registered_on",
    "stage",
    "sign_date",
    "contract_amount",
    "construction_date",
    "production_date",
    "terminated_on",
    "termination_reason",
    "funds_in_place",
    "latest_progress",
    "latest_progress_period",
    "latest_progress_on",
    "problems",
    "instructions",
    "comment_count",
    "key_years",
)


@pytest.mark.parametrize("final", ["in_production", "terminated"])
def test_replaying_the_events_reproduces_the_same_state(
    make_audit: Callable[..., Audit], final: str
) -> None:
    project, _ = run_lifecycle(make_audit, final)
    events = project.collect_events()
    copy: Any = None
    for e in events:
        copy = e.mutate(copy)
    assert isinstance(copy, Project)
    assert copy is not project
    for field in STATE_FIELDS:
        assert getattr(copy, field) == getattr(project, field), field
    # Spot-check that the state replayed is the interesting one, not two blank projects.
    assert copy.stage == final
    assert copy.key_years == [2027]
    assert copy.funds_in_place == Decimal("1500.2500")
    assert [p["resolved_on"] for p in copy.problems] == [None, SIGNED_ON]
    assert copy.instructions[0]["answered_on"] == BUILT_ON
    assert copy.responsible_unit == "liudong"
    assert copy.total_investment == Decimal("60000.0000")


def test_recomputing_a_provisional_problem_deadline_moves_its_due_date(audit: Audit) -> None:
    project = Project.register(details(), on=REGISTERED_ON, audit=audit)
    project.raise_problem("用地", on=REGISTERED_ON, audit=audit, due=provisional_deadline())
    project.recompute_deadline("problem", 1, official_deadline(), on=REGISTERED_ON, audit=audit)
    assert project.problems[0]["due"] == date(2026, 1, 14)
    assert project.provisional_deadlines() == []
    assert project.collect_events()[-1].previous_due == date(2026, 1, 13)


@pytest.mark.parametrize(("setup", "message"), [
    ("official", "is not provisional: it is already official"),
    ("resolved", "already done"),
    ("none", "no provisional deadline"),
])
def test_recomputing_refuses_official_done_or_missing_deadlines(audit: Audit, setup: str,
                                                                 message: str) -> None:
    project = Project.register(details(), on=REGISTERED_ON, audit=audit)
    due = {"official": official_deadline(), "resolved": provisional_deadline(),
           "none": None}[setup]
    project.raise_problem("用地", on=REGISTERED_ON, audit=audit, due=due)
    if setup == "resolved":
        project.resolve_problem(1, "已解决", on=REGISTERED_ON, audit=audit)
    version = project.version
    with pytest.raises(RuleViolation, match=message):
        project.recompute_deadline("problem", 1, official_deadline(), on=REGISTERED_ON,
                                   audit=audit)
    assert project.version == version


def test_a_recomputed_deadline_keeps_its_start_and_working_days(audit: Audit) -> None:
    project = Project.register(details(), on=REGISTERED_ON, audit=audit)
    project.instruct("加快", on=REGISTERED_ON, audit=audit, due=provisional_deadline())
    other = Deadline(start=REGISTERED_ON, working_days=4, due=date(2026, 1, 15),
                     calendar_version="official")
    with pytest.raises(InvalidValue, match="keeps its start"):
        project.recompute_deadline("instruction", 1, other, on=REGISTERED_ON, audit=audit)
    assert [k for k, _, _ in project.provisional_deadlines()] == ["instruction"]
