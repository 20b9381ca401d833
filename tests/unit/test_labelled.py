"""Labelled enums: codes that carry their Chinese labels, and the one code check."""

from __future__ import annotations

import json
import re

import pytest
from pydantic import BaseModel, ValidationError

from domain import agency_case as agency
from domain import complaint_values as complaint
from domain import enterprise_request as request
from domain import order
from domain import park_entry_review as review
from domain.enterprise import LeaderLevel, VisitKind
from domain.errors import InvalidValue
from domain.meeting import ItemStatus
from domain.park import Level as ParkLevel
from domain.project_values import Correctable, ItemKind, Stage, StageDate
from domain.reporting import Cadence, ReportStatus
from domain.shared import Labelled, Role

# Every labelled enum of the domain.
DOMAIN_ENUMS: list[type[Labelled]] = [
    Role, Stage, ItemKind, StageDate, Correctable, complaint.Status, complaint.Channel,
    complaint.Category, complaint.Satisfaction, complaint.DeadlineKind, complaint.Correctable,
    request.Status,
    request.Source, request.Category, request.Outcome, request.Feedback, request.Correctable,
    VisitKind, LeaderLevel, Cadence, ReportStatus,
    order.Status, order.SubjectKind, ItemStatus,
    ParkLevel, review.Status, review.Opinion, review.Decision,
    agency.Status, agency.ItemStatus, agency.Milestone,
]


class Level(Labelled):
    """Park levels (园区级别), as an example declared the way every domain enum is."""

    city = "city", "市属"
    district = "district", "城区属"
    county = "county", "县域"


class Holder(BaseModel):
    level: Level


def test_a_member_is_its_code_and_carries_its_label() -> None:
    assert Level.city == "city"
    assert Level.city.value == "city"
    assert type(Level.city.value) is str
    assert Level.city.label == "市属"
    assert Level("district") is Level.district


def test_a_member_reads_and_serialises_as_its_plain_code() -> None:
    assert str(Level.county) == "county"
    assert f"{Level.county}" == "county"
    assert json.dumps({"level": Level.county}) == '{"level": "county"}'
    assert {"county": 1}[Level.county] == 1


def test_the_label_is_not_a_value_of_the_enum() -> None:
    with pytest.raises(ValueError, match="'县域' is not a valid Level"):
        Level("县域")


def test_a_member_declared_without_a_label_is_refused_when_its_class_is_made() -> None:
    with pytest.raises(TypeError, match=r"Bare.city must be declared as city = 'city', '<标签>'"):

        class Bare(Labelled):
            city = "city"


def test_labels_map_each_code_to_its_label_in_declaration_order() -> None:
    assert Level.labels() == {"city": "市属", "district": "城区属", "county": "县域"}
    assert list(Level.labels()) == [member.value for member in Level]


@pytest.mark.parametrize("given", ["county", " county ", Level.county, "县域", " 县域\n"])
def test_require_accepts_the_code_or_the_chinese_label(given: str) -> None:
    assert Level.require(given, "level") is Level.county


@pytest.mark.parametrize("given", ["County", "town", "", "  ", None, 3, "市"])
def test_require_refuses_anything_else_naming_the_field_the_value_and_the_choices(
    given: object,
) -> None:
    expected = (f"level must be one of city (市属), district (城区属), county (县域); "
                f"got {given!r} / level 须为所列取值之一")
    with pytest.raises(InvalidValue, match=f"^{re.escape(expected)}$"):
        Level.require(given, "level")


def test_pydantic_accepts_codes_only_and_lists_them_as_the_schema_enum() -> None:
    assert Holder(level="city").level is Level.city  # type: ignore[arg-type]
    assert Holder(level=Level.city).model_dump_json() == '{"level":"city"}'
    with pytest.raises(ValidationError):
        Holder(level="市属")  # type: ignore[arg-type]
    schema = Holder.model_json_schema()["$defs"]["Level"]
    assert (schema["type"], schema["enum"]) == ("string", ["city", "district", "county"])


def test_roles_carry_the_glossary_labels() -> None:
    assert Role.labels() == {
        "admin": "系统管理员", "leader": "领导", "supervisor": "督查督办", "bureau": "投促局",
        "unit": "责任单位", "park_office": "园区办", "agent": "代办员", "enterprise": "企业",
    }


def test_every_labelled_enum_of_the_domain_is_listed_here() -> None:
    declared = {cls for cls in Labelled.__subclasses__() if cls.__module__.startswith("domain.")}
    assert declared == set(DOMAIN_ENUMS)


@pytest.mark.parametrize("enum", DOMAIN_ENUMS,
                         ids=[f"{e.__module__}.{e.__name__}" for e in DOMAIN_ENUMS])
def test_each_domain_enum_reads_one_way_from_a_code_or_a_label(enum: type[Labelled]) -> None:
    codes = [member.value for member in enum]
    labels = [member.label for member in enum]
    assert len(set(labels)) == len(labels), "two members share a label"
    assert not set(labels) & set(codes), "a label is also a code"
    assert all(label.strip() for label in labels)
    # psycopg writes an Enum parameter by its name, so the name must be the stored code.
    assert [member.name for member in enum] == codes
