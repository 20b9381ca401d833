"""Project registration and details (招商项目): registering, revising the ledger
fields, reassigning the responsible unit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from domain.errors import InvalidValue, RuleViolation
from domain.project import Project, Stage
from domain.shared import Audit
from tests.unit.helpers.project import (
    LATER,
    REGISTERED_ON,
    event_names,
    register,
)

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
    assert isinstance(event, Project.UnitReassigned)
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
    assert isinstance(event, Project.DetailsRevised)
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
