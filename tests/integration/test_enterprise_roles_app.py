"""Who may do what with enterprises and their requests (one SQLite container for the module)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM, Caller
from application.errors import Forbidden, NotFound
from domain.enterprise_request import EnterpriseRequest
from tests.conftest import add_role_accounts, sqlite_settings
from tests.integration.enterprises import CODE, D, assigned, code_of, raise_, register


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    c = build(sqlite_settings(Path(tmp_path_factory.mktemp("enterprise-roles"))))
    try:
        register(c)  # county liudong: the `unit` account's zone
        yield c
    finally:
        c.close()


@pytest.fixture(scope="module")
def who(app: Container) -> dict[str, Caller]:
    return {key: app.accounts.authenticate(token, f"roles-{key}")
            for key, token in add_role_accounts(app).items()}


def permitted(who: dict[str, Caller], act: Callable[[Caller], object]) -> set[str]:
    """The keys of the callers `act` does not refuse with Forbidden."""
    keys = set()
    for key, caller in who.items():
        try:
            act(caller)
        except Forbidden:
            continue
        keys.add(key)
    return keys



def test_who_reads_an_enterprise(app: Container, who: dict[str, Caller]) -> None:
    eid = app.enterprises.load_by_code(CODE).id
    readers = permitted(who, lambda caller: app.enterprises.get(caller, eid))
    assert readers == {"admin", "leader", "supervisor", "bureau", "unit", "enterprise"}
    assert permitted(who, lambda caller: app.enterprises.history(caller, eid)) \
        == readers


def test_who_manages_enterprises_and_records_visits(app: Container,
                                                    who: dict[str, Caller]) -> None:
    numbers = iter(range(100, 200))

    def fresh() -> UUID:
        return register(app, code_of(next(numbers)))

    leader = who["leader"].account_id
    managers = permitted(
        who, lambda caller: app.enterprises.link_leader(caller, fresh(), leader, None, D))
    assert managers == {"admin", "bureau"}
    linked = fresh()
    app.enterprises.link_leader(SYSTEM, linked, leader, None, D)
    visitors = permitted(
        who, lambda caller: app.enterprises.record_visit(caller, linked, D, "visit", "x", "调研"))
    assert visitors == {"admin", "bureau", "leader"}
    with pytest.raises(Forbidden, match="not linked"):
        app.enterprises.record_visit(who["leader"], fresh(), D, "visit", "覃市长", "调研")


def test_who_raises_requests(app: Container, who: dict[str, Caller]) -> None:
    raisers = permitted(who, lambda caller: raise_(
        app, caller, source="online" if caller.role == "enterprise" else "hotline"))
    assert raisers == {"admin", "bureau", "enterprise"}
    with pytest.raises(Forbidden, match="enterprises raise requests online"):
        raise_(app, who["enterprise"], source="hotline")


def test_an_enterprise_raises_only_its_own_requests(app: Container,
                                                    who: dict[str, Caller]) -> None:
    """Another enterprise's code reads like one never registered: nothing to probe."""
    other, never = code_of(999), code_of(998)
    register(app, other)
    with pytest.raises(NotFound) as registered:
        raise_(app, who["enterprise"], credit_code=other, source="online")
    with pytest.raises(NotFound) as unknown:
        raise_(app, who["enterprise"], credit_code=never, source="online")
    assert str(registered.value).replace(other, "X") == str(unknown.value).replace(never, "X")


def test_who_reads_and_handles_an_assigned_request(app: Container,
                                                   who: dict[str, Caller]) -> None:
    """`unit` (liudong) leads, `other_unit` (liujiang) co-handles."""
    rid = assigned(app)
    readers = permitted(who, lambda caller: app.requests.get(caller, rid))
    assert readers == {"admin", "leader", "supervisor", "bureau", "unit", "other_unit",
                       "enterprise"}
    assigners = permitted(
        who, lambda caller: app.requests.assign(caller, raise_(app), "rsj", [], D))
    assert assigners == {"admin", "bureau"}
    noters = permitted(who, lambda caller: app.requests.note_progress(caller, rid, "进展", on=D))
    assert noters == {"admin", "bureau", "unit", "other_unit"}
    with pytest.raises(Forbidden, match="note progress for unit liudong"):
        app.requests.note_progress(who["other_unit"], rid, "代记", "liudong", D)
    answerers = permitted(who, lambda caller: app.requests.record_outcome(
        caller, assigned(app), "resolved", None, D))
    assert answerers == {"admin", "bureau", "unit"}


def test_who_gives_feedback_and_closes(app: Container, who: dict[str, Caller]) -> None:
    def answered() -> UUID:
        rid = assigned(app)
        app.requests.record_outcome(SYSTEM, rid, "resolved", None, D)
        return rid

    feedback = permitted(who, lambda caller: app.requests.record_feedback(
        caller, answered(), "satisfied", None, D))
    assert feedback == {"admin", "bureau", "enterprise"}
    closers = permitted(
        who, lambda caller: app.requests.close(caller, answered(), "企业逾期未反馈", D))
    assert closers == {"admin", "bureau", "supervisor"}


def test_a_unit_never_assigned_and_other_enterprises_cannot_read_a_request(
        app: Container, who: dict[str, Caller]) -> None:
    rid = assigned(app, lead="rsj", co=())
    with pytest.raises(Forbidden):
        app.requests.get(who["unit"], rid)
    other = code_of(888)
    register(app, other)
    theirs = raise_(app, credit_code=other)
    with pytest.raises(Forbidden):
        app.requests.history(who["enterprise"], theirs)
    assert isinstance(app.store.load(EnterpriseRequest, theirs), EnterpriseRequest)
