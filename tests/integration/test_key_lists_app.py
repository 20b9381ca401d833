"""Key lists through the use cases: a whole list is designated all or nothing, in one
transaction; enterprises have a key list of their own; a linked leader's level follows the
leader's account; the enterprise ledger filters by both."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.bootstrap import Container
from application.context import SYSTEM, Caller
from application.errors import Forbidden
from domain.errors import InvalidValue, RuleViolation
from domain.project import ProjectDetails
from projections.enterprise_ledger import EnterpriseLedgerReader
from tests.conftest import on_every_backend
from tests.integration.enterprises import code_of, head

ON = date(2025, 2, 10)


def projects(c: Container, caller: Caller, *names: str) -> list[UUID]:
    return [c.projects.register(caller, ProjectDetails(
        name=name, investor="某公司", industry="汽车", total_investment=Decimal(100),
        county="liudong", responsible_unit="liudong"), date(2025, 1, 6)).state.id
        for name in names]


@pytest.fixture
def bureau(callers: dict[str, Caller]) -> Caller:
    return callers["bureau"]


def saves(c: Container, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Records how many aggregates each transaction of the event store saves."""
    calls: list[int] = []
    save = c.ledger.save

    def counted(*items: Any, **kwargs: Any) -> Any:
        calls.append(len([i for i in items if i is not None]))
        return save(*items, **kwargs)

    monkeypatch.setattr(c.ledger, "save", counted)
    return calls


def test_a_whole_list_is_designated_in_one_transaction(
        container: Container, bureau: Caller, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = projects(container, bureau, "甲", "乙", "丙")
    calls = saves(container, monkeypatch)

    done = container.projects.designate_list(bureau, 2025, ids, "柳政发〔2025〕3号", ON)

    assert calls == [3]
    assert (done.year, done.reason, done.on, done.ids, done.count) == (
        2025, "柳政发〔2025〕3号", ON, ids, 3)
    assert done.position == head(container)
    for pid in ids:
        state = container.projects.get(bureau, pid)
        assert (state.key_years, state.version) == ([2025], 2)
        assert container.projects.history(bureau, pid)[-1].data["reason"] == "柳政发〔2025〕3号"


def test_one_refused_project_names_it_and_nothing_is_designated(
        container: Container, bureau: Caller) -> None:
    ids = projects(container, bureau, "甲", "已终止项目", "丙")
    container.projects.terminate(bureau, ids[1], "撤资", ON)
    before = head(container)

    with pytest.raises(RuleViolation) as refused:
        container.projects.designate_list(bureau, 2025, ids, "市重点", ON)

    message = str(refused.value)
    assert str(ids[1]) in message and "已终止项目" in message and "terminated" in message
    assert "nothing was designated" in message and "整个清单未保存" in message
    assert head(container) == before
    assert all(container.projects.get(bureau, pid).key_years == [] for pid in ids)


def test_a_project_already_on_the_list_refuses_the_whole_list(
        container: Container, bureau: Caller) -> None:
    ids = projects(container, bureau, "甲", "乙")
    container.projects.designate_key(bureau, ids[1], 2025, "先行列入", ON)
    before = head(container)
    with pytest.raises(RuleViolation, match=f"{ids[1]} 「乙」.*already on the 2025"):
        container.projects.designate_list(bureau, 2025, ids, "市重点", ON)
    assert head(container) == before
    assert container.projects.get(bureau, ids[0]).key_years == []


@pytest.mark.parametrize(("make", "words"), [
    (lambda ids: [*ids, uuid4()], ["no project with id", "不存在"]),
    (lambda ids: [*ids, ids[0]], ["listed more than once", "重复"]),
    (lambda ids: [], ["at least one project"]),
], ids=["unknown", "repeated", "empty"])
def test_a_bad_list_is_invalid_input_and_designates_nothing(
        container: Container, bureau: Caller, make: Any, words: list[str]) -> None:
    ids = projects(container, bureau, "甲")
    before = head(container)
    with pytest.raises(InvalidValue) as refused:
        container.projects.designate_list(bureau, 2025, make(ids), "市重点", ON)
    assert all(word in str(refused.value) for word in words)
    assert head(container) == before


@pytest.mark.parametrize("who", ["unit", "leader", "supervisor", "agent"])
def test_only_bureau_staff_designate_lists(container: Container,
                                           callers: dict[str, Caller], who: str) -> None:
    ids = projects(container, callers["bureau"], "甲")
    with pytest.raises(Forbidden, match="key-project list"):
        container.projects.designate_list(callers[who], 2025, ids, "市重点", ON)
    with pytest.raises(Forbidden):
        container.projects.designate_key(callers[who], ids[0], 2025, "市重点", ON)


@on_every_backend
def test_the_enterprise_ledger_filters_key_enterprises_and_leader_levels(
        container: Container, callers: dict[str, Caller]) -> None:
    bureau, c = callers["bureau"], container
    county_leader = c.accounts.add(SYSTEM, "柳江区区长", "leader", "liujiang").account_id
    department_leader = c.accounts.add(SYSTEM, "发改委主任", "leader", "fgw").account_id
    firms = [c.enterprises.register(bureau, name, code_of(n), "汽车", "liudong", None,
                                    date(2025, 1, 6)).state.id
             for n, name in enumerate(("甲企业", "乙企业", "丙企业"), start=1)]
    linked = [c.enterprises.link_leader(bureau, firms[0], str(county_leader), on=ON),
              c.enterprises.link_leader(bureau, firms[1], str(department_leader), on=ON),
              c.enterprises.link_leader(bureau, firms[2], callers["leader"].account_id, on=ON)]
    assert [r.state.leader_level for r in linked] == ["county", "city", "city"]
    c.enterprises.designate_list(bureau, 2025, firms[:2], "重点税源企业", ON)
    c.enterprises.designate_key(bureau, firms[2], 2026, "新增", ON)
    c.enterprises.drop_key(bureau, firms[1], 2025, "迁出", ON)
    c.follower.catch_up()

    def names(**filters: Any) -> set[str]:
        page = EnterpriseLedgerReader(c.views).page(filters)
        return {row["name"] for row in page.items}

    assert names(key_year=2025) == {"甲企业"}
    assert names(key_year=[2025, 2026]) == {"甲企业", "丙企业"}
    assert names(key=True) == {"甲企业", "丙企业"}
    assert names(key=False) == {"乙企业"}
    assert names(leader_level="county") == {"甲企业"}
    assert names(leader_level=["city"]) == {"乙企业", "丙企业"}
    (row,) = EnterpriseLedgerReader(c.views).page({"key_year": 2026}).items
    assert (row["key_years"], row["leader_level"]) == ([2026], "city")
