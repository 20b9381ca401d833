"""Key lists on the aggregates: 重点项目清单 and 重点企业名单 take a reason, a year once; a linked
leader carries a level (市级/县区级)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.enterprise import Enterprise, LeaderLevel
from domain.errors import InvalidValue, RuleViolation
from domain.project import Project
from domain.shared import Audit

ON = date(2025, 2, 10)
CODE = "91350100M000100Y43"


@pytest.fixture
def firm(audit: Audit) -> Enterprise:
    firm = Enterprise.register("柳州某汽车零部件有限公司", CODE, "汽车", "liudong", None,
                               date(2025, 1, 6), audit)
    firm.collect_events()
    return firm


def test_a_project_designation_records_its_reason(project: Project, audit: Audit) -> None:
    project.collect_events()
    project.designate_key(2025, " 市政府2025年重点项目文件 ", ON, audit)
    (event,) = project.collect_events()
    assert isinstance(event, Project.KeyProjectDesignated)
    assert (event.year, event.reason, event.on) == (2025, "市政府2025年重点项目文件", ON)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_designation_without_a_reason_is_refused(
        project: Project, firm: Enterprise, audit: Audit, reason: str) -> None:
    with pytest.raises(InvalidValue, match="reason"):
        project.designate_key(2025, reason, ON, audit)
    with pytest.raises(InvalidValue, match="reason"):
        firm.designate_key(2025, reason, ON, audit)
    assert (project.key_years, firm.key_years) == ([], [])


def test_an_enterprise_is_designated_and_dropped_by_year(firm: Enterprise,
                                                         audit: Audit) -> None:
    firm.designate_key(2026, "重点税源企业", ON, audit)
    firm.designate_key(2025, "重点税源企业", ON, audit)
    firm.drop_key(2025, "名单调整", date(2025, 6, 1), audit)
    assert firm.key_years == [2026]
    assert [type(e).__name__ for e in firm.collect_events()] == [
        "KeyEnterpriseDesignated", "KeyEnterpriseDesignated", "KeyEnterpriseDropped"]


def test_an_enterprise_key_year_is_designated_once_and_dropped_only_when_listed(
        firm: Enterprise, audit: Audit) -> None:
    firm.designate_key(2025, "重点税源企业", ON, audit)
    with pytest.raises(RuleViolation, match="already on the 2025 key-enterprise list") as taken:
        firm.designate_key(2025, "再次", ON, audit)
    assert "已列入2025年重点企业名单" in str(taken.value)
    with pytest.raises(RuleViolation, match="not on the 2024 key-enterprise list") as absent:
        firm.drop_key(2024, "调整", ON, audit)
    assert "未列入2024年重点企业名单" in str(absent.value)
    with pytest.raises(InvalidValue, match=r"between 2000 and 2100.*年度"):
        firm.designate_key(1999, "太早", ON, audit)
    assert firm.key_years == [2025]


def test_a_linked_leader_carries_a_level_until_unlinked(firm: Enterprise,
                                                        audit: Audit) -> None:
    firm.link_leader("柳江区区长", None, ON, audit, leader_account="a-1", leader_level="county")
    assert (firm.leader_level, firm.leader_links[-1]["leader_level"]) == ("county", "county")
    firm.link_leader("覃市长", "分工调整", date(2025, 3, 1), audit, leader_account="a-2",
                     leader_level=LeaderLevel.city)
    assert firm.leader_level == "city"
    assert [link["leader_level"] for link in firm.leader_links] == ["county", "city"]
    firm.unlink_leader("企业迁出", date(2025, 4, 1), audit)
    assert firm.leader_level is None


def test_a_leader_level_must_be_city_or_county(firm: Enterprise, audit: Audit) -> None:
    with pytest.raises(InvalidValue, match="leader_level must be one of city"):
        firm.link_leader("覃市长", None, ON, audit, leader_account="a-1", leader_level="省级")
    assert firm.leader is None


def test_an_enterprise_snapshot_of_version_2_is_upcast_without_level_or_key_years() -> None:
    state = {"leader": "覃市长", "leader_account": "a-1",
             "leader_links": [{"leader": "覃市长", "leader_account": "a-1"}]}
    Enterprise.upcast_v2_v3(state)
    assert (state["leader_level"], state["key_years"]) == (None, [])
    assert state["leader_links"][0]["leader_level"] is None  # type: ignore[index]
