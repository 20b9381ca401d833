"""入园联合论证: each reviewing unit gives one opinion; the decision waits for all of them
and a rejection stands; only an approved review is registered; a project outside the park's
leading industries is flagged, not refused. And the project side: placed in a park, its park
changes only by registration."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.park_entry_review import ParkEntryReview
from domain.project import Project
from domain.shared import Audit
from tests.unit.helpers.project import REGISTERED_ON, advance, register

OPENED_ON = date(2026, 2, 1)
OPINION_ON = date(2026, 2, 10)
UNITS = [{"code": "gxj", "name": "柳州市工业和信息化局"},
         {"code": "sthjj", "name": "柳州市生态环境局"},
         {"code": "ldgwh", "name": "柳东新区管委会"}]
LEADING = {"auto": "汽车", "new_energy": "新能源"}


def review(audit: Audit, **overrides: Any) -> ParkEntryReview:
    fields: dict[str, Any] = {
        "project_id": uuid4(), "project_name": "新能源汽车零部件项目", "industry": "汽车",
        "industry_code": "auto", "park_id": uuid4(), "park_name": "柳东新区汽车产业园",
        "leading": LEADING, "land_area_mu": Decimal("120"), "investment_intensity": "350",
        "output_per_mu": None, "reviewing_units": UNITS, "on": OPENED_ON, "audit": audit}
    fields.update(overrides)
    return ParkEntryReview.open(**fields)


def all_approve(r: ParkEntryReview, audit: Audit, but: str | None = None) -> None:
    for unit in r.reviewing_unit_codes:
        if unit != but:
            r.give_opinion(unit, "approve", None, OPINION_ON, audit)


def test_a_review_opens_waiting_for_every_reviewing_unit(audit: Audit) -> None:
    opened = review(audit)
    assert opened.status == "reviewing"
    assert opened.awaiting == UNITS
    assert opened.allowed_steps() == ["opinions", "decide"]
    assert opened.industry_outside_leading is False and opened.industry_note is None


@pytest.mark.parametrize(("industry", "code"), [("化工", "chemicals"), ("精细化工", None)])
def test_a_project_outside_the_leading_industries_is_flagged_not_refused(
        audit: Audit, industry: str, code: str | None) -> None:
    opened = review(audit, industry=industry, industry_code=code)
    assert opened.industry_outside_leading is True
    assert opened.industry_note is not None
    assert f"项目产业“{industry}”不在柳东新区汽车产业园主导产业（汽车、新能源）之列" in \
        opened.industry_note
    assert opened.status == "reviewing"


def test_the_decision_waits_for_every_opinion_and_names_the_units_missing(
        audit: Audit) -> None:
    r = review(audit)
    r.give_opinion("gxj", "approve", None, OPINION_ON, audit)
    with pytest.raises(RuleViolation, match="waiting for 柳州市生态环境局, 柳东新区管委会 / "
                       "尚待柳州市生态环境局、柳东新区管委会出具意见"):
        r.decide("approved", "符合条件", OPINION_ON, audit)
    all_approve(r, audit, but="gxj")
    r.decide("approved", "符合条件", OPINION_ON, audit)
    assert (r.status, r.decision, r.awaiting) == ("approved", "approved", [])


def test_each_unit_gives_one_opinion(audit: Audit) -> None:
    r = review(audit)
    r.give_opinion("sthjj", "approve_with_conditions", "落实环评要求", OPINION_ON, audit)
    with pytest.raises(RuleViolation, match="柳州市生态环境局 already gave its opinion"):
        r.give_opinion("sthjj", "approve", None, OPINION_ON, audit)
    assert [(o["unit"], o["opinion"], o["text"]) for o in r.opinions] == [
        ("sthjj", "approve_with_conditions", "落实环评要求")]


def test_a_unit_outside_the_review_gives_no_opinion(audit: Audit) -> None:
    with pytest.raises(RuleViolation, match="not a reviewing unit"):
        review(audit).give_opinion("fgw", "approve", None, OPINION_ON, audit)


@pytest.mark.parametrize("opinion", ["approve_with_conditions", "reject"])
def test_conditions_and_rejections_say_why(audit: Audit, opinion: str) -> None:
    with pytest.raises(InvalidValue, match="must say why"):
        review(audit).give_opinion("gxj", opinion, " ", OPINION_ON, audit)


def test_a_rejection_stands_the_review_cannot_be_approved(audit: Audit) -> None:
    r = review(audit)
    r.give_opinion("sthjj", "reject", "不符合环保准入", OPINION_ON, audit)
    all_approve(r, audit, but="sthjj")
    with pytest.raises(RuleViolation, match="柳州市生态环境局 rejected the project"):
        r.decide("approved", "", OPINION_ON, audit)
    r.decide("rejected", "环保准入不符", OPINION_ON, audit)
    assert r.status == "rejected" and r.allowed_steps() == []
    with pytest.raises(RuleViolation, match="the review is rejected"):
        r.register(OPINION_ON, audit)


def test_only_an_approved_review_is_registered_once(audit: Audit) -> None:
    r = review(audit)
    with pytest.raises(RuleViolation, match="cannot register the project: the review is "
                       "reviewing"):
        r.register(OPINION_ON, audit)
    all_approve(r, audit)
    r.decide("approved", "符合条件", OPINION_ON, audit)
    with pytest.raises(RuleViolation, match="allowed next: register"):
        r.give_opinion("gxj", "approve", None, OPINION_ON, audit)
    r.register(OPINION_ON, audit)
    assert (r.status, r.registered_on) == ("registered", OPINION_ON)
    with pytest.raises(RuleViolation):
        r.register(OPINION_ON, audit)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("land_area_mu", "0", "land_area_mu must be more than 0"),
    ("investment_intensity", "-1", "must not be negative"),
    ("reviewing_units", [], "at least one reviewing unit"),
])
def test_a_review_is_opened_with_valid_figures(audit: Audit, field: str, value: Any,
                                               message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        review(audit, **{field: value})


# --- the project's park ------------------------------------------------------------------


def test_a_project_placed_in_a_park_changes_its_park_only_by_registration(
        audit: Audit) -> None:
    project = register(audit, park="柳东 汽车产业园")
    park_id, review_id = uuid4(), uuid4()
    project.link_park(park_id, "柳东汽车产业园", "柳东 汽车产业园", True, REGISTERED_ON, audit)
    assert (project.park, project.park_id, project.park_review_id) == (
        "柳东汽车产业园", park_id, None)
    with pytest.raises(RuleViolation, match=r"only a park-entry registration .* changes its "
                       r"park, not a revision"):
        project.revise({"park": "阳和工业园"}, None, REGISTERED_ON, audit)
    project.revise({"name": "改名"}, None, REGISTERED_ON, audit)  # other fields still revise
    project.register_in_park(park_id, "柳东汽车产业园", review_id, REGISTERED_ON, audit)
    assert project.park_review_id == review_id
    with pytest.raises(RuleViolation, match="already registered in the park 柳东汽车产业园"):
        project.register_in_park(uuid4(), "阳和工业园", uuid4(), REGISTERED_ON, audit)


def test_a_project_without_a_park_reference_revises_its_park_text(audit: Audit) -> None:
    project = register(audit, park="某园区")
    project.revise({"park": "阳和工业园"}, None, REGISTERED_ON, audit)
    assert project.park == "阳和工业园" and project.park_id is None


def test_a_terminated_project_enters_no_park(audit: Audit) -> None:
    project: Project = advance(register(audit), "terminated", audit)
    with pytest.raises(RuleViolation, match="terminated"):
        project.check_park_entry()
    with pytest.raises(RuleViolation, match="terminated"):
        project.link_park(uuid4(), "阳和工业园", "阳和工业园", True, REGISTERED_ON, audit)
