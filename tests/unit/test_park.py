"""园区: at most three leading industries (柳政规〔2020〕1号), joint review by level, yearly
output replaced by a later report of the same year, one park per name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.park import Park, same_park
from domain.shared import Audit

ON = date(2025, 3, 1)
LATER = date(2025, 6, 1)


def park(audit: Audit, **overrides: Any) -> Park:
    fields: dict[str, Any] = {
        "name": "柳东新区汽车产业园", "level": "city", "county": "liudong",
        "managing_unit": "ldgwh", "area_mu": Decimal("52000"),
        "leading_industries": ["auto", "new_energy"], "joint_review_required": None,
        "on": ON, "audit": audit}
    fields.update(overrides)
    return Park.register(**fields)


def test_a_park_is_registered_with_its_leading_industries(audit: Audit) -> None:
    registered = park(audit)
    assert (registered.level, registered.leading_industries, registered.area_mu) == (
        "city", ["auto", "new_energy"], Decimal("52000.0000"))
    assert registered.joint_review_required is True


@pytest.mark.parametrize("step", ["register", "change"])
def test_a_fourth_leading_industry_breaks_the_rule(audit: Audit, step: str) -> None:
    four = ["auto", "new_energy", "electronics", "machinery"]
    with pytest.raises(RuleViolation, match=r"at most 3 leading industries.*柳政规〔2020〕1号"):
        if step == "register":
            park(audit, leading_industries=four)
        else:
            existing = park(audit)
            existing.change_leading_industries(four, "扩大产业", LATER, audit)
            pytest.fail("a fourth leading industry was accepted")


def test_three_leading_industries_are_allowed_and_changed_with_a_reason(audit: Audit) -> None:
    existing = park(audit)
    existing.change_leading_industries(["auto", "new_energy", "electronics"], "新增电子信息",
                                       LATER, audit)
    changed = existing.collect_events()[-1]
    assert isinstance(changed, Park.LeadingIndustriesChanged)
    assert (changed.previous, changed.industries, changed.reason) == (
        ["auto", "new_energy"], ["auto", "new_energy", "electronics"], "新增电子信息")


@pytest.mark.parametrize(("industries", "reason", "error", "message"), [
    (["auto", "new_energy"], "无变化", RuleViolation, "nothing to change"),
    (["auto", "auto"], "重复", InvalidValue, "listed twice"),
    (["auto"], " ", InvalidValue, "reason must not be empty"),
])
def test_a_change_of_leading_industries_is_refused_when_it_says_nothing(
        audit: Audit, industries: list[str], reason: str, error: type[Exception],
        message: str) -> None:
    existing = park(audit)
    with pytest.raises(error, match=message):
        existing.change_leading_industries(industries, reason, LATER, audit)
    assert existing.version == 1


@pytest.mark.parametrize(("level", "given", "required"), [
    ("city", None, True), ("district", None, True), ("county", None, False),
    ("county", True, True), ("county", False, False), ("市属", True, True),
])
def test_joint_review_is_required_of_city_and_district_parks_and_optional_for_county_ones(
        audit: Audit, level: str, given: bool | None, required: bool) -> None:
    assert park(audit, level=level, joint_review_required=given).joint_review_required \
        is required


@pytest.mark.parametrize("level", ["city", "district"])
def test_a_city_or_district_park_cannot_go_without_joint_review(audit: Audit,
                                                                level: str) -> None:
    with pytest.raises(RuleViolation, match=r"requires the joint review.*only county"):
        park(audit, level=level, joint_review_required=False)


def test_a_later_report_of_the_same_year_replaces_the_output(audit: Audit) -> None:
    existing = park(audit)
    existing.report_output(2024, [{"industry": "auto", "output": "100"}], LATER, audit)
    existing.report_output(2023, [{"industry": "auto", "output": "80"}], LATER, audit)
    existing.report_output(2024, [{"industry": "auto", "output": "120"},
                                  {"industry": "food", "output": "30.5"}], LATER, audit)
    assert [(o["year"], o["total"]) for o in existing.outputs] == [
        (2023, Decimal("80.0000")), (2024, Decimal("150.5000"))]
    reports = [e for e in existing.collect_events() if isinstance(e, Park.OutputReported)]
    assert [(e.year, e.replaces) for e in reports] == [(2024, False), (2023, False),
                                                       (2024, True)]


@pytest.mark.parametrize(("year", "rows", "message"), [
    (1999, [{"industry": "auto", "output": "1"}], "year must be between"),
    (2024, [], "at least one industry"),
    (2024, [{"industry": "auto", "output": "1"}, {"industry": "auto", "output": "2"}],
     "listed twice"),
    (2024, [{"industry": "auto", "output": "-1"}], "must not be negative"),
    (2024, [{"industry": "auto"}], "decimal number"),
])
def test_an_output_report_is_checked(audit: Audit, year: int, rows: list[dict[str, Any]],
                                     message: str) -> None:
    existing = park(audit)
    with pytest.raises(InvalidValue, match=message):
        existing.report_output(year, rows, LATER, audit)
    assert existing.version == 1


def test_one_name_is_one_park_whatever_its_blanks_and_widths() -> None:
    assert Park.create_id("柳东 汽车产业园") == Park.create_id("柳东汽车产业园")
    assert Park.create_id("阳和工业园Ａ") == Park.create_id("阳和工业园A")
    assert Park.create_id("阳和工业园") != Park.create_id("柳东汽车产业园")
    assert same_park(" 柳东汽车产业园 ", "柳东汽车产业园")
    assert not same_park(None, "柳东汽车产业园")
