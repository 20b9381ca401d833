"""ParkService and ParkEntryReviewService: parks with listed industries, projects placed in the
park their free text names, and the joint review from opening to registration (入园登记)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM, Caller
from application.errors import Forbidden, NotFound
from application.parks import DuplicatePark
from domain.errors import InvalidValue, RuleViolation
from domain.project import Project, ProjectDetails
from domain.shared import Role
from tests.conftest import sqlite_settings

ON = date(2025, 3, 3)
OPINION_ON = date(2025, 3, 10)
PARK = "柳东新区汽车产业园"


def head(c: Container) -> int:
    return c.ledger.head()


def unit_caller(unit: str) -> Caller:
    return Caller(account_id=f"acct-{unit}", name=f"{unit} 经办人", role=Role.unit, unit=unit,
                  correlation_id=f"req-{unit}")


def register_project(c: Container, *, park: str | None = None, industry: str = "汽车",
                     name: str = "新能源汽车零部件项目") -> UUID:
    details = ProjectDetails(name=name, investor="某集团", industry=industry,
                             total_investment=Decimal("12000"), county="liudong",
                             responsible_unit="liudong", park=park)
    return c.projects.register(SYSTEM, details, ON).state.id


def register_park(c: Container, caller: Caller = SYSTEM, **overrides: Any) -> UUID:
    fields: dict[str, Any] = {"name": PARK, "level": "city", "county": "liudong",
                              "managing_unit": "ldgwh", "area_mu": Decimal("52000"),
                              "leading_industries": ["汽车", "new_energy"], "on": ON}
    fields.update(overrides)
    return c.parks.register(caller, **fields).state.id


def open_review(c: Container, project: UUID, park: UUID, **overrides: Any) -> UUID:
    fields: dict[str, Any] = {"land_area_mu": Decimal("120"),
                              "investment_intensity": Decimal("350"), "on": ON}
    fields.update(overrides)
    return c.park_entry_reviews.open(SYSTEM, project, park, **fields).state.id


def approve_all(c: Container, review: UUID, but: str | None = None) -> None:
    units = c.park_entry_reviews.load(review).reviewing_unit_codes
    approve_all_of(c, review, *(u for u in units if u != but))


def approve_all_of(c: Container, review: UUID, *units: str) -> None:
    for unit in units:
        c.park_entry_reviews.give_opinion(unit_caller(unit), review, "approve", on=OPINION_ON)


# --- parks ----------------------------------------------------------------------------------


def test_a_park_takes_its_leading_industries_by_code_or_chinese_name(
        container: Container, callers: dict[str, Caller]) -> None:
    pid = register_park(container, callers["park_office"])
    state = container.parks.get(callers["park_office"], pid)
    assert (state.name, state.leading_industries, state.joint_review_required) == (
        PARK, ["auto", "new_energy"], True)


@pytest.mark.parametrize(("fields", "message"), [
    ({"leading_industries": ["汽车", "造船"]}, r"unknown industry '造船'.*auto \(汽车\)"),
    ({"managing_unit": "gxj"}, "gxj .* is a department"),
    ({"county": "nowhere"}, "unknown unit code 'nowhere'"),
    ({"level": "province"}, "level must be one of"),
    ({"on": date(2099, 1, 1)}, "in the future"),
])
def test_a_park_with_a_bad_value_is_invalid_and_appends_nothing(
        container: Container, fields: dict[str, Any], message: str) -> None:
    before = head(container)
    with pytest.raises(InvalidValue, match=message):
        register_park(container, **fields)
    assert head(container) == before


def test_a_fourth_leading_industry_is_refused_and_appends_nothing(
        container: Container) -> None:
    pid = register_park(container)
    before = head(container)
    with pytest.raises(RuleViolation, match="柳政规〔2020〕1号"):
        container.parks.change_leading_industries(
            SYSTEM, pid, ["汽车", "新能源", "电子信息", "机械"], "扩大")
    assert head(container) == before


def test_one_name_one_park(container: Container) -> None:
    register_park(container)
    with pytest.raises(DuplicatePark, match="already registered"):
        register_park(container, name=" 柳东新区 汽车产业园", level="district")


def test_only_the_park_office_and_admins_manage_parks(container: Container,
                                                      callers: dict[str, Caller]) -> None:
    for who in ("bureau", "unit", "leader"):
        with pytest.raises(Forbidden):
            register_park(container, callers[who])
    pid = register_park(container, callers["admin"])
    # The managing unit reads its park; another unit does not.
    assert container.parks.get(unit_caller("ldgwh"), pid).id == pid
    with pytest.raises(Forbidden, match="a park its unit does not manage"):
        container.parks.get(callers["unit"], pid)


def test_output_of_a_year_not_begun_is_invalid(container: Container) -> None:
    pid = register_park(container)
    next_year = container.clock.today().year + 1
    with pytest.raises(InvalidValue, match=f"year {next_year} has not begun"):
        container.parks.report_output(SYSTEM, pid, next_year,
                                      [{"industry": "汽车", "output": "1"}])
    with pytest.raises(InvalidValue, match="unknown industry"):
        container.parks.report_output(SYSTEM, pid, 2024, [{"industry": "造船", "output": "1"}])
    state = container.parks.report_output(SYSTEM, pid, 2024,
                                          [{"industry": "汽车", "output": "10"}]).state
    assert state.outputs[0]["by_industry"] == [{"industry": "auto",
                                                "output": Decimal("10.0000")}]


# --- projects placed in the park their free text names ------------------------------------


def test_registering_a_park_places_the_projects_that_name_it(
        container: Container, callers: dict[str, Caller]) -> None:
    named = register_project(container, park="柳东新区 汽车产业园")
    other = register_project(container, park="阳和工业园")
    revised = register_project(container, park="某园区")
    container.projects.revise(SYSTEM, revised, {"park": PARK}, on=ON)
    gone = register_project(container, park=PARK)
    container.projects.terminate(SYSTEM, gone, "撤资", on=ON)
    office = replace(callers["park_office"], correlation_id="req-park")
    pid = register_park(container, office)

    placed = {p: container.projects.load(p) for p in (named, other, revised, gone)}
    assert {p: x.park_id for p, x in placed.items()} == {named: pid, other: None,
                                                         revised: pid, gone: None}
    linked = container.store.events(named)[-1]
    assert isinstance(linked, Project.ParkLinked)
    assert (linked.matched_text, linked.park_name, linked.review_required) == (
        "柳东新区 汽车产业园", PARK, True)
    # By the system, in the request that registered the park.
    assert (linked.audit.actor_id, linked.audit.correlation_id) == ("system", "req-park")
    assert placed[named].park == PARK


def test_a_new_project_naming_a_registered_park_is_placed_in_it(
        container: Container) -> None:
    pid = register_park(container)
    project = container.projects.get(SYSTEM, register_project(container, park=PARK))
    assert (project.park_id, project.park_review_id) == (pid, None)
    assert container.projects.get(SYSTEM, register_project(container)).park_id is None


def test_a_project_placed_in_a_park_is_not_moved_by_a_revision(container: Container) -> None:
    register_park(container)
    project = register_project(container, park=PARK)
    before = head(container)
    with pytest.raises(RuleViolation, match="not a revision"):
        container.projects.revise(SYSTEM, project, {"park": "阳和工业园"}, on=ON)
    assert head(container) == before


def test_an_unknown_industry_on_a_new_project_lists_the_valid_values(
        container: Container) -> None:
    with pytest.raises(InvalidValue, match=r"unknown industry '制造'.*machinery \(机械\)"):
        register_project(container, industry="制造")
    project = container.projects.get(SYSTEM, register_project(container, industry="机械"))
    assert project.industry == "machinery"


# --- the joint review -------------------------------------------------------------------------


def test_a_review_is_reviewed_by_the_configured_units_and_the_managing_unit(
        container: Container) -> None:
    review = container.park_entry_reviews.get(
        SYSTEM, open_review(container, register_project(container), register_park(container)))
    assert [(u["code"], u["name"]) for u in review.reviewing_units] == [
        ("gxj", "柳州市工业和信息化局"), ("zrzyj", "柳州市自然资源和规划局"),
        ("sthjj", "柳州市生态环境局"), ("fgw", "柳州市发展和改革委员会"),
        ("ldgwh", "柳东新区管委会")]
    assert review.industry_outside_leading is False


def test_the_review_units_are_a_setting(tmp_path: Any) -> None:
    c = build(sqlite_settings(tmp_path, review_units="sthjj, ldgwh"))
    try:
        review = c.park_entry_reviews.get(
            SYSTEM, open_review(c, register_project(c), register_park(c)))
        assert [u["code"] for u in review.reviewing_units] == ["sthjj", "ldgwh"]
    finally:
        c.close()


def test_an_unknown_review_unit_setting_stops_the_start(tmp_path: Any) -> None:
    with pytest.raises(InvalidValue, match="LEDGER_REVIEW_UNITS: unknown unit code 'gxjj'"):
        build(sqlite_settings(tmp_path, review_units="gxjj"))


def test_a_project_outside_the_leading_industries_is_flagged(container: Container) -> None:
    review = container.park_entry_reviews.get(SYSTEM, open_review(
        container, register_project(container, industry="化工"), register_park(container)))
    assert review.industry_outside_leading is True
    assert review.industry == "化工" and review.industry_code == "chemicals"
    assert "不在柳东新区汽车产业园主导产业（汽车、新能源）之列" in (review.industry_note or "")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("project", uuid4(), "project_id: no project"), ("park", uuid4(), "park_id: no park"),
])
def test_a_review_of_an_unknown_project_or_park_is_invalid(
        container: Container, field: str, value: UUID, message: str) -> None:
    ids = {"project": register_project(container), "park": register_park(container)}
    ids[field] = value
    with pytest.raises(InvalidValue, match=message):
        open_review(container, ids["project"], ids["park"])


def test_only_reviewing_units_give_opinions_each_once(container: Container,
                                                       callers: dict[str, Caller]) -> None:
    review = open_review(container, register_project(container), register_park(container))
    for outsider in (callers["unit"], callers["park_office"], callers["admin"]):
        with pytest.raises(Forbidden):
            container.park_entry_reviews.give_opinion(outsider, review, "approve")
    reviews = container.park_entry_reviews
    reviews.give_opinion(unit_caller("sthjj"), review, "approve_with_conditions",
                         "落实环评", on=OPINION_ON)
    before = head(container)
    with pytest.raises(RuleViolation, match="already gave its opinion"):
        reviews.give_opinion(unit_caller("sthjj"), review, "approve", on=OPINION_ON)
    assert head(container) == before
    # A reviewing unit reads the reviews it takes part in, and only those.
    assert reviews.get(unit_caller("sthjj"), review).id == review
    with pytest.raises(Forbidden):
        reviews.get(callers["unit"], review)


def test_the_decision_waits_for_every_opinion(container: Container,
                                              callers: dict[str, Caller]) -> None:
    review = open_review(container, register_project(container), register_park(container))
    approve_all(container, review, but="fgw")
    with pytest.raises(RuleViolation, match="尚待柳州市发展和改革委员会出具意见"):
        container.park_entry_reviews.decide(callers["park_office"], review, "approved", "符合")
    approve_all_of(container, review, "fgw")
    state = container.park_entry_reviews.decide(callers["park_office"], review, "approved",
                                                "符合条件", on=OPINION_ON).state
    assert (state.status, state.allowed_steps) == ("approved", ["register"])


def test_registration_places_the_project_in_the_park_in_one_transaction(
        container: Container, callers: dict[str, Caller]) -> None:
    project, park = register_project(container), register_park(container)
    review = open_review(container, project, park)
    approve_all(container, review)
    office = callers["park_office"]
    container.park_entry_reviews.decide(office, review, "approved", "符合", on=OPINION_ON)
    before = head(container)
    result = container.park_entry_reviews.register(office, review, on=OPINION_ON)
    assert result.state.status == "registered"
    assert head(container) == before + 2 == result.position  # review, then project
    placed = container.projects.get(office, project)
    assert (placed.park, placed.park_id, placed.park_review_id) == (PARK, park, review)
    registered = container.store.events(project)[-1]
    assert isinstance(registered, Project.ParkRegistered)
    assert registered.audit.actor_id == office.account_id
    # Registered once: a second review of the project is refused.
    with pytest.raises(RuleViolation, match="already registered"):
        open_review(container, project, park)


def test_a_registration_refused_by_the_project_writes_neither(
        container: Container, callers: dict[str, Caller]) -> None:
    project, park = register_project(container), register_park(container)
    review = open_review(container, project, park)
    approve_all(container, review)
    container.park_entry_reviews.decide(SYSTEM, review, "approved", "符合", on=OPINION_ON)
    container.projects.terminate(SYSTEM, project, "撤资", on=OPINION_ON)
    before = head(container)
    with pytest.raises(RuleViolation, match="terminated"):
        container.park_entry_reviews.register(callers["park_office"], review, on=OPINION_ON)
    assert head(container) == before
    assert container.park_entry_reviews.load(review).status == "approved"


def test_an_unknown_review_is_not_found(container: Container,
                                        callers: dict[str, Caller]) -> None:
    with pytest.raises(NotFound):
        container.park_entry_reviews.decide(callers["park_office"], uuid4(), "approved", "x")


def test_the_demo_has_parks_judged_by_the_rule_and_a_review_under_way(
        container: Container) -> None:
    from api.demo import load_demo

    load_demo(container)
    container.follower.catch_up()
    page = container.reads.ledger(SYSTEM, "parks", []).page
    judged = {row["name"]: row["meets_rule"] for row in page.items}
    assert judged == {"柳东新区汽车产业园": True, "阳和工业园": False, "河西工业区": None,
                      "柳城六塘化工产业园": True}
    reviews = container.reads.ledger(SYSTEM, "park-entry-reviews", []).page
    assert [row["status"] for row in reviews.items] == ["reviewing"]
