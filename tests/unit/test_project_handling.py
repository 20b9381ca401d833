"""Project handling steps: progress reports (信息报送), problems (存在问题), leader
instructions (批示) and the key-project list (重点项目清单)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.project import Project
from domain.shared import Audit, Deadline
from tests.unit.helpers.project import (
    BUILT_ON,
    LATER,
    REGISTERED_ON,
    SIGNED_ON,
)

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


def test_a_problem_deadline_must_count_from_the_date_raised(project: Project,
                                                           audit: Audit) -> None:
    early = Deadline(start=REGISTERED_ON, working_days=3, due=date(2026, 1, 8),
                     calendar_version="cc")
    with pytest.raises(InvalidValue, match=re.escape(
            "problem deadline must count at least one working day from 2026-02-01")):
        project.raise_problem("用地未落实", on=SIGNED_ON, audit=audit, due=early)
    assert project.problems == []


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


def test_a_second_answer_is_added_and_the_first_is_kept(
    project: Project, make_audit: Callable[..., Audit]
) -> None:
    project.instruct("加快推进", on=SIGNED_ON, audit=make_audit(role="leader"))
    project.answer_instruction(1, "已召开专题会", on=BUILT_ON,
                               audit=make_audit(actor_name="柳东新区", role="unit",
                                                unit="liudong"))
    project.answer_instruction(1, "用地已报批", on=LATER, audit=make_audit())

    instruction = project.instructions[0]
    assert instruction["answers"] == [
        {"text": "已召开专题会", "on": BUILT_ON, "by": "柳东新区", "unit": "liudong"},
        {"text": "用地已报批", "on": LATER, "by": "王颖颖", "unit": None},
    ]
    # The first answer answered the instruction: its date and text stay.
    assert (instruction["answered_on"], instruction["answer"]) == (BUILT_ON, "已召开专题会")


def test_answer_date_cannot_precede_the_instruction_date(project: Project, audit: Audit) -> None:
    project.instruct("加快推进", on=BUILT_ON, audit=audit)
    with pytest.raises(
        RuleViolation, match="answer date 2026-02-01 is before instruction date 2026-03-01"
    ):
        project.answer_instruction(1, "已落实", on=SIGNED_ON, audit=audit)
    assert project.instructions[0]["answered_on"] is None


def test_an_instruction_deadline_must_count_from_the_instruction_date(
    project: Project, audit: Audit
) -> None:
    no_days = Deadline(start=SIGNED_ON, working_days=0, due=SIGNED_ON, calendar_version="cc")
    with pytest.raises(InvalidValue, match="instruction deadline must count at least one"):
        project.instruct("加快推进", on=SIGNED_ON, audit=audit, due=no_days)
    assert project.instructions == []


# --- key-project list (重点项目清单) -------------------------------------------------------


def test_designated_key_years_are_kept_sorted(project: Project, audit: Audit) -> None:
    project.designate_key(2027, "市重点", on=LATER, audit=audit)
    project.designate_key(2026, "市重点", on=LATER, audit=audit)
    assert project.key_years == [2026, 2027]


def test_the_same_key_year_cannot_be_designated_twice(project: Project, audit: Audit) -> None:
    project.designate_key(2026, "市重点", on=LATER, audit=audit)
    with pytest.raises(RuleViolation, match="already on the 2026 key-project list"):
        project.designate_key(2026, "市重点", on=LATER, audit=audit)
    assert project.key_years == [2026]


def test_dropping_a_designated_key_year_removes_only_that_year(
    project: Project, audit: Audit
) -> None:
    project.designate_key(2026, "市重点", on=LATER, audit=audit)
    project.designate_key(2027, "市重点", on=LATER, audit=audit)
    project.drop_key(2026, "已投产", on=LATER, audit=audit)
    assert project.key_years == [2027]


def test_dropping_a_key_year_not_designated_is_refused(project: Project, audit: Audit) -> None:
    project.designate_key(2026, "市重点", on=LATER, audit=audit)
    with pytest.raises(RuleViolation, match="project is not on the 2027 key-project list"):
        project.drop_key(2027, "x", on=LATER, audit=audit)
    assert project.key_years == [2026]


@pytest.mark.parametrize("year", [1999, 2101, 0, 26])
def test_key_year_outside_2000_to_2100_is_invalid(
    project: Project, audit: Audit, year: int
) -> None:
    with pytest.raises(InvalidValue, match=f"year must be between 2000 and 2100, got {year}"):
        project.designate_key(year, "市重点", on=LATER, audit=audit)
    with pytest.raises(InvalidValue, match="year must be between 2000 and 2100"):
        project.drop_key(year, "x", on=LATER, audit=audit)
    assert project.key_years == []


def test_key_years_2000_and_2100_are_accepted(project: Project, audit: Audit) -> None:
    project.designate_key(2100, "市重点", on=LATER, audit=audit)
    project.designate_key(2000, "市重点", on=LATER, audit=audit)
    assert project.key_years == [2000, 2100]
