"""Every case's state says which steps it takes now, named as its API paths."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from domain.enterprise_request import EnterpriseRequest
from domain.project import Project
from domain.shared import Audit


def test_a_project_offers_the_next_stage_and_its_handling_steps(
        project_at: Callable[[str], Project]) -> None:
    assert project_at("negotiating").allowed_steps()[:3] == ["revise", "sign", "terminate"]
    assert "start-construction" in project_at("signed").allowed_steps()
    assert "start-production" in project_at("under_construction").allowed_steps()
    produced = project_at("in_production").allowed_steps()
    assert "terminate" not in produced and "start-production" not in produced
    assert "report-progress" in produced


def test_a_terminated_project_takes_only_comments_and_the_revocation(
        project: Project, audit: Audit) -> None:
    project.terminate("投资方撤资", date(2026, 2, 1), audit)

    assert project.allowed_steps() == ["comment", "revoke-termination"]


def test_numbered_and_key_steps_appear_when_there_is_something_to_act_on(
        project: Project, audit: Audit) -> None:
    before = project.allowed_steps()
    project.raise_problem("用地指标", date(2026, 1, 10), audit, None)
    project.designate_key(2026, "市重点", date(2026, 1, 10), audit)

    assert not {"problems/resolve", "drop-key"} & set(before)
    assert {"problems/resolve", "drop-key"} <= set(project.allowed_steps())


def test_a_request_offers_the_steps_of_its_status(
        request_at: Callable[[str], EnterpriseRequest]) -> None:
    # A leader may instruct (批示) on any open request.
    assert request_at("raised").allowed_steps() == ["assign", "instruct"]
    assert request_at("assigned").allowed_steps() == ["progress", "outcome", "instruct"]
    assert request_at("answered").allowed_steps() == ["feedback", "close", "instruct"]
    assert request_at("closed").allowed_steps() == []
