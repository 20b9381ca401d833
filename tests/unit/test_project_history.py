"""Project events as history: each carries its audit and has a label, replaying them
rebuilds the state, and provisional deadlines are recomputed as new events."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from domain.calendar import Deadline
from domain.errors import InvalidValue, RuleViolation
from domain.project import EVENT_LABELS, Correctable, Project
from domain.shared import Audit
from tests.unit.helpers.project import (
    BUILT_ON,
    PRODUCED_ON,
    REGISTERED_ON,
    SIGNED_ON,
    TERMINATED_ON,
    details,
    official_deadline,
    provisional_deadline,
)

# --- audit trail and replay -------------------------------------------------------------

PARK_ID, REVIEW_ID = uuid4(), uuid4()



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
    project.designate_key(2026, "市重点", on=SIGNED_ON, audit=next_audit())
    project.designate_key(2027, "市重点", on=SIGNED_ON, audit=next_audit())
    project.drop_key(2026, "调整", on=SIGNED_ON, audit=next_audit())
    project.start_construction(BUILT_ON, audit=next_audit())
    project.report_progress(
        "2026-Q1", "主体施工", Decimal("1500.25"), on=BUILT_ON, audit=next_audit()
    )
    project.reassign("liudong", "属地管理", on=BUILT_ON, audit=next_audit())
    project.link_park(PARK_ID, "柳东汽车城", "柳东 汽车城", True, on=BUILT_ON, audit=next_audit())
    project.register_in_park(PARK_ID, "柳东汽车城", REVIEW_ID, on=BUILT_ON, audit=next_audit())
    project.comment("请按月报送", on=BUILT_ON, audit=next_audit())
    if final == "in_production":
        project.start_production(PRODUCED_ON, audit=next_audit())
    else:
        project.terminate("投资方撤资", on=TERMINATED_ON, audit=next_audit())
    if final == "revoked":
        project.revoke_termination("终止系误录", on=TERMINATED_ON, audit=next_audit())
        project.correct("sign_date", SIGNED_ON.replace(day=2), "签约日期录错",
                        on=TERMINATED_ON, audit=next_audit())
    return project, audits


def test_every_event_carries_the_audit_passed_in(make_audit: Callable[..., Audit]) -> None:
    project, audits = run_lifecycle(make_audit, "in_production")
    events: list[Any] = list(project.collect_events())
    assert len(events) == len(audits) == 19
    assert [e.audit for e in events] == audits
    assert all(isinstance(e.audit, Audit) for e in events)


def test_every_recorded_event_has_a_label(make_audit: Callable[..., Audit]) -> None:
    names: set[str] = set()
    for final in ("in_production", "terminated", "revoked"):
        project, _ = run_lifecycle(make_audit, final)
        names |= {type(e).__name__ for e in project.collect_events()}
    # Corrections are also labelled per field they correct: "Corrected.sign_date".
    assert names == {name for name in EVENT_LABELS if "." not in name}
    assert {name.partition(".")[2] for name in EVENT_LABELS if "." in name} == set(Correctable)


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
    "park_id",
    "park_review_id",
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
    assert (copy.park, copy.park_id, copy.park_review_id) == ("柳东汽车城", PARK_ID, REVIEW_ID)


def test_recomputing_a_provisional_problem_deadline_moves_its_due_date(audit: Audit) -> None:
    project = Project.register(details(), on=REGISTERED_ON, audit=audit)
    project.raise_problem("用地", on=REGISTERED_ON, audit=audit, due=provisional_deadline())
    project.recompute_deadline("problem", 1, official_deadline(), on=REGISTERED_ON, audit=audit)
    assert project.problems[0]["due"] == date(2026, 1, 14)
    assert project.provisional_deadlines() == []
    recomputed = project.collect_events()[-1]
    assert isinstance(recomputed, Project.DeadlineRecomputed)
    assert recomputed.previous_due == date(2026, 1, 13)


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


def test_recomputing_a_deadline_of_an_unknown_kind_is_invalid(audit: Audit) -> None:
    project = Project.register(details(), on=REGISTERED_ON, audit=audit)
    project.raise_problem("用地", on=REGISTERED_ON, audit=audit, due=provisional_deadline())
    with pytest.raises(InvalidValue, match=re.escape(
            "kind must be one of problem (存在问题), instruction (领导批示); got 'meeting'")):
        project.recompute_deadline("meeting", 1, official_deadline(), on=REGISTERED_ON,
                                   audit=audit)


def test_a_deadline_kind_may_be_given_by_its_label(audit: Audit) -> None:
    project = Project.register(details(), on=REGISTERED_ON, audit=audit)
    project.raise_problem("用地", on=REGISTERED_ON, audit=audit, due=provisional_deadline())
    project.recompute_deadline("存在问题", 1, official_deadline(), on=REGISTERED_ON, audit=audit)
    recomputed = project.collect_events()[-1]
    assert isinstance(recomputed, Project.DeadlineRecomputed)
    assert type(recomputed.kind) is str
    assert recomputed.kind == "problem"
