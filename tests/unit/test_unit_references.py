"""A unit named inside a read model's text is stored as a reference and shown by name."""

from __future__ import annotations

from application.units import Unit, Units
from domain.shared import unit_reference

UNITS = Units([Unit("fgw", "柳州市发展和改革委员会", "department")])


def test_a_reference_reads_as_the_units_name() -> None:
    title = f"投诉举报 · 审批服务 · 被投诉单位 {unit_reference('fgw')}"

    assert UNITS.render(title) == "投诉举报 · 审批服务 · 被投诉单位 柳州市发展和改革委员会"


def test_a_code_no_longer_listed_shows_as_its_code_and_other_braces_stay() -> None:
    assert UNITS.render(f"被投诉单位 {unit_reference('gone')}") == "被投诉单位 gone"
    assert UNITS.render("会议 {议题} {unit: x}") == "会议 {议题} {unit: x}"
