"""Events and snapshots written by earlier versions of the code still load."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from api.bootstrap import Container
from application.context import Caller
from domain.project import Project, ProjectDetails
from domain.shared import Audit
from projections.project_ledger import ProjectLedgerReader
from tests.conftest import on_every_backend

# Stored bytes and how they are read back depend on the recorder: both backends.
pytestmark = on_every_backend


def _store_v1(c: Container, event_cls: type, originator_id: Any, version: int,
              state: dict[str, Any]) -> None:
    """Write an event as version 1 of its class stored it: no `class_version`, no `due`."""
    payload = {"timestamp": datetime(2025, 3, 1, tzinfo=UTC), **state}
    c.ledger.recorder.insert_events([StoredEvent(
        originator_id=originator_id, originator_version=version, topic=get_topic(event_cls),
        state=c.ledger.mapper.transcoder.encode(payload))])


def test_v1_problem_and_instruction_events_load_without_a_due_date(
        container: Container, callers: dict[str, Caller]) -> None:
    bureau = callers["bureau"]
    pid = container.projects.register(bureau, ProjectDetails(
        name="旧项目", investor="某公司", industry="汽车", total_investment=Decimal(1),
        county="liudong", responsible_unit="liudong"), date(2025, 1, 2)).state.id
    audit = Audit(actor_id="old", actor_name="旧版本", role="unit", unit="liudong",
                  correlation_id="v1")
    _store_v1(container, Project.ProblemRaised, pid, 2,
              {"number": 1, "text": "用地", "on": date(2025, 2, 1), "audit": audit})
    _store_v1(container, Project.InstructionGiven, pid, 3,
              {"number": 1, "text": "加快", "on": date(2025, 2, 2), "audit": audit})

    state = container.projects.get(bureau, pid)
    assert state.version == 3
    assert state.problems[0]["due"] is None and state.problems[0]["text"] == "用地"
    assert state.instructions[0]["due"] is None
    history = container.projects.history(bureau, pid)
    assert history[1].data["due"] is None
    # New code keeps working on top of the old events.
    container.projects.resolve_problem(callers["unit"], pid, 1, "已解决", date(2025, 2, 3))
    container.follower.catch_up()
    (row,) = ProjectLedgerReader(container.views).page({}).items
    assert (row["problems_total"], row["problems_open"], row["instructions_open"]) == (1, 0, 1)


def test_a_v1_snapshot_state_is_upcast_with_empty_due_dates() -> None:
    state: dict[str, Any] = {
        "problems": [{"number": 1, "text": "x", "raised_on": date(2025, 1, 1),
                      "resolved_on": None, "resolution": None}],
        "instructions": [{"number": 1, "text": "y", "given_on": date(2025, 1, 1),
                          "leader": "覃", "answered_on": None, "answer": None}],
    }
    Project.upcast_v1_v2(state)
    assert state["problems"][0]["due"] is None
    assert state["instructions"][0]["due"] is None


def test_a_v3_snapshot_keeps_its_one_answer_as_the_list_of_answers() -> None:
    answered = {"number": 1, "text": "y", "given_on": date(2025, 1, 1), "leader": "覃",
                "due": None, "deadline": None, "answered_on": date(2025, 1, 3),
                "answer": "已落实"}
    open_one = {**answered, "number": 2, "answered_on": None, "answer": None}
    state: dict[str, Any] = {"problems": [], "instructions": [answered, open_one]}

    Project.upcast_v3_v4(state)

    assert state["instructions"][0]["answers"] == [
        {"text": "已落实", "on": date(2025, 1, 3), "by": None, "unit": None}]
    assert state["instructions"][1]["answers"] == []


def test_instructions_answered_twice_by_the_previous_version_keep_both_answers(
        container: Container, callers: dict[str, Caller]) -> None:
    """InstructionAnswered is stored as it always was; only the state folds it anew."""
    bureau, unit = callers["bureau"], callers["unit"]
    pid = container.projects.register(bureau, ProjectDetails(
        name="旧项目", investor="某公司", industry="汽车", total_investment=Decimal(1),
        county="liudong", responsible_unit="liudong"), date(2025, 1, 2)).state.id
    container.projects.instruct(callers["leader"], pid, "加快", date(2025, 2, 2))
    audit = Audit(actor_id="old", actor_name="旧版本", role="unit", unit="liudong",
                  correlation_id="v1")
    for version, (text, on) in enumerate((("已部署", date(2025, 2, 3)),
                                          ("已完成", date(2025, 2, 10))), start=3):
        _store_v1(container, Project.InstructionAnswered, pid, version,
                  {"number": 1, "text": text, "on": on, "audit": audit})

    (instruction,) = container.projects.get(unit, pid).instructions
    assert [(a["text"], a["on"]) for a in instruction["answers"]] == [
        ("已部署", date(2025, 2, 3)), ("已完成", date(2025, 2, 10))]
    assert (instruction["answer"], instruction["answered_on"]) == ("已部署", date(2025, 2, 3))


def _linked_before(c: Container, leader: str, **stored: Any) -> Any:
    """An enterprise whose leader link was stored by an earlier version (`stored`: what
    that version wrote beside version 1's fields)."""
    from application.context import SYSTEM
    from domain.enterprise import Enterprise

    eid = c.enterprises.register(SYSTEM, "旧企业", "91450200MA5KXXXX4H", "汽车", "liudong",
                                 None, date(2025, 1, 2)).state.id
    audit = Audit(actor_id="old", actor_name="旧版本", role="bureau", unit=None,
                  correlation_id="earlier")
    _store_v1(c, Enterprise.LeaderLinked, eid, 2,
              {"leader": leader, "previous_leader": None, "reason": None,
               "on": date(2025, 2, 1), "audit": audit, **stored})
    return eid


def test_a_v1_leader_link_names_no_account_and_grants_no_one_visits(
        container: Container, callers: dict[str, Caller]) -> None:
    """Links recorded before links named accounts keep the leader's name for display; no
    account may act on them until the bureau links the leader's account again."""
    import pytest

    from application.context import SYSTEM
    from application.errors import Forbidden

    leader = callers["leader"]
    eid = _linked_before(container, leader.name)

    state = container.enterprises.get(SYSTEM, eid)
    assert (state.version, state.leader, state.leader_account) == (2, leader.name, None)
    assert state.leader_links[0]["leader_account"] is None
    with pytest.raises(Forbidden):
        container.enterprises.record_visit(leader, eid, date(2025, 3, 1), "visit",
                                           leader.name, "调研")
    relinked = container.enterprises.link_leader(SYSTEM, eid, leader.account_id, "补记账号",
                                                 date(2025, 3, 2))
    assert relinked.state.leader_account == leader.account_id


def test_a_v1_key_project_designation_loads_with_an_unrecorded_reason(
        container: Container, callers: dict[str, Caller]) -> None:
    """Designations recorded before designations took a reason read （未记录）; the project
    stays on the list and can be dropped by today's code."""
    bureau = callers["bureau"]
    pid = container.projects.register(bureau, ProjectDetails(
        name="旧重点项目", investor="某公司", industry="汽车", total_investment=Decimal(1),
        county="liudong", responsible_unit="liudong"), date(2025, 1, 2)).state.id
    audit = Audit(actor_id="old", actor_name="旧版本", role="bureau", unit=None,
                  correlation_id="v1")
    _store_v1(container, Project.KeyProjectDesignated, pid, 2,
              {"year": 2025, "on": date(2025, 2, 1), "audit": audit})

    assert container.projects.get(bureau, pid).key_years == [2025]
    history = container.projects.history(bureau, pid)
    assert history[1].data["reason"] == "（未记录）"
    dropped = container.projects.drop_key(bureau, pid, 2025, "调整", date(2025, 3, 1))
    assert dropped.state.key_years == []


def test_a_v2_leader_link_loads_without_a_level(
        container: Container, callers: dict[str, Caller]) -> None:
    from application.context import SYSTEM

    leader = callers["leader"]
    eid = _linked_before(container, leader.name, leader_account=leader.account_id,
                         class_version=2)  # as version 2 stored it

    state = container.enterprises.get(SYSTEM, eid)
    assert (state.leader_account, state.leader_level) == (leader.account_id, None)
    assert state.leader_links[0]["leader_level"] is None
    container.enterprises.record_visit(leader, eid, date(2025, 3, 1), "visit", leader.name,
                                       "调研")  # permission still follows the account
