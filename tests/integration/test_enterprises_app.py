"""EnterpriseService: registration by credit code, leader links, visits, revisions, stale
versions and snapshots (a lost registration race on each backend)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM, Caller
from application.enterprises import DuplicateEnterprise
from application.errors import ConcurrentUpdate, Forbidden, NotFound, StaleVersion
from domain.errors import InvalidValue
from tests.conftest import on_every_backend, sqlite_settings
from tests.integration.enterprises import CODE, OTHER_CODE, VISITED, D, assigned, head, register


def test_register_returns_state_and_position_and_the_id_derives_from_the_code(
        container: Container, callers: dict[str, Caller]) -> None:
    result = container.enterprises.register(callers["bureau"], "某公司", f" {CODE.lower()} ",
                                            "汽车", "liudong", None, D)
    assert result.state.credit_code == CODE
    assert result.state.version == 1
    assert result.position == head(container)
    # Contact people are personal data: a leader reads the enterprise without them.
    assert container.enterprises.get_by_code(callers["leader"], CODE) == replace(
        result.state, contacts=None)
    assert container.enterprises.get(callers["supervisor"], result.state.id) == result.state


def test_registering_a_credit_code_twice_is_a_clear_conflict_and_appends_nothing(
        container: Container) -> None:
    register(container)
    before = head(container)
    with pytest.raises(DuplicateEnterprise, match=f"credit code {CODE} already registered"):
        register(container, CODE.lower())
    assert head(container) == before


@on_every_backend
def test_a_lost_registration_race_is_reported_as_the_same_conflict(
        container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    register(container)
    monkeypatch.setattr(container.store, "exists", lambda _id: False)  # the race: not yet seen
    with pytest.raises(DuplicateEnterprise) as caught:
        register(container)
    assert isinstance(caught.value, ConcurrentUpdate)


@pytest.mark.parametrize(("code", "reason"), [
    ("91450200MA5KXXXX40", "check character should be H"),
    ("91450200MA5KXXXX0", "must be 18 characters"),
    ("9145020OMA5KXXXX4H", "illegal character 'O'"),
    ("", "must not be empty"),
])
def test_an_invalid_credit_code_is_refused_saying_why(container: Container, code: str,
                                                      reason: str) -> None:
    with pytest.raises(InvalidValue, match=reason):
        register(container, code)
    with pytest.raises(InvalidValue, match=reason):
        container.enterprises.get_by_code(SYSTEM, code)


@pytest.mark.parametrize(("county", "message"), [("nowhere", "unknown unit"),
                                                 ("rsj", "expected county or zone")])
def test_county_must_be_a_county_or_zone_unit(sqlite_only: Any, county: str,
                                              message: str) -> None:
    c = build(sqlite_only)
    try:
        with pytest.raises(InvalidValue, match=message):
            register(c, county=county)
        eid = register(c)
        with pytest.raises(InvalidValue, match=message):
            c.enterprises.revise(SYSTEM, eid, {"county": county}, on=D)
    finally:
        c.close()


def test_unknown_code_is_not_found(container: Container) -> None:
    with pytest.raises(NotFound, match=f"credit code {OTHER_CODE} is registered"):
        container.enterprises.get_by_code(SYSTEM, OTHER_CODE)
    with pytest.raises(NotFound):
        container.enterprises.history(SYSTEM, uuid4())


def test_leader_link_revision_and_visits_are_recorded_with_their_audit(
        container: Container, callers: dict[str, Caller]) -> None:
    bureau, leader = callers["bureau"], callers["leader"]
    eid = register(container)
    linked = container.enterprises.link_leader(bureau, eid, leader.account_id, "分工", D, 1)
    visit = container.enterprises.record_visit(leader, eid, VISITED, "visit", leader.name,
                                               "调研用工", ["A-1"], 2)
    container.enterprises.revise(bureau, eid, {"county": "liujiang"}, "迁址", VISITED)
    unlinked = container.enterprises.unlink_leader(bureau, eid, "调整分工", VISITED)

    assert (linked.state.leader, linked.state.leader_account) == (leader.name,
                                                                   leader.account_id)
    assert visit.extra == {"number": 1}
    assert visit.state.visits[0]["request_numbers"] == ["A-1"]
    assert unlinked.state.leader is None
    assert unlinked.state.county == "liujiang"
    entries = container.enterprises.history(bureau, eid)
    assert [e.type for e in entries] == ["Registered", "LeaderLinked", "VisitRecorded",
                                         "DetailsRevised", "LeaderUnlinked"]
    assert entries[2].actor["name"] == leader.name
    assert entries[2].label == "调研座谈"


def test_a_stale_version_appends_nothing(container: Container,
                                        callers: dict[str, Caller]) -> None:
    eid = register(container)
    before = head(container)
    with pytest.raises(StaleVersion):
        container.enterprises.link_leader(SYSTEM, eid, callers["leader"].account_id, None, D,
                                          expected_version=2)
    assert head(container) == before


def test_a_leader_is_linked_by_account_not_by_name(container: Container,
                                                   callers: dict[str, Caller]) -> None:
    """A second leader who shares the linked leader's display name gains nothing."""
    eid = register(container)
    leader = callers["leader"]
    namesake = container.accounts.authenticate(
        container.accounts.add(SYSTEM, leader.name, "leader").token)
    container.enterprises.link_leader(SYSTEM, eid, leader.account_id, None, D)

    with pytest.raises(Forbidden, match="not linked"):
        container.enterprises.record_visit(namesake, eid, VISITED, "visit", leader.name, "调研")
    for not_a_leader in (callers["bureau"].account_id, leader.name, str(uuid4())):
        with pytest.raises(InvalidValue, match="active leader account"):
            container.enterprises.link_leader(SYSTEM, eid, not_a_leader, None, D)


def test_a_visit_in_the_future_is_refused(container: Container) -> None:
    eid = register(container)
    with pytest.raises(InvalidValue, match="in the future"):
        container.enterprises.record_visit(SYSTEM, eid, date(2099, 1, 1), "visit", "覃市长",
                                           "调研")


def test_snapshotted_enterprises_and_requests_load_the_same(tmp_path: Path) -> None:
    c = build(sqlite_settings(tmp_path, snapshot_interval=2))
    try:
        eid = register(c)
        for day in (3, 4, 5):
            c.enterprises.record_visit(SYSTEM, eid, date(2025, 3, day), "visit", "覃市长", "调研")
        rid = assigned(c)
        for n in range(3):
            c.requests.note_progress(SYSTEM, rid, f"进展{n}", "liujiang", D)
        assert c.ledger.snapshots is not None
        assert list(c.ledger.snapshots.get(eid)) and list(c.ledger.snapshots.get(rid))
        assert [v["number"] for v in c.enterprises.get(SYSTEM, eid).visits] == [1, 2, 3]
        state = c.requests.get(SYSTEM, rid)
        assert state.due is not None and len(state.progress_notes) == 3
    finally:
        c.close()
