"""EnterpriseService and RequestService: results, references, rules and roles (one SQLite
container for the role tables; a lost registration race on each backend)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM, Caller, Clock
from application.enterprises import DuplicateEnterprise
from application.errors import ConcurrentUpdate, Forbidden, NotFound, StaleVersion
from application.requests import NewRequest
from domain.credit_code import check_character
from domain.enterprise_request import EnterpriseRequest
from domain.errors import InvalidValue, RuleViolation
from domain.project import ProjectDetails
from tests.conftest import ROLE_ACCOUNTS, on_every_backend, sqlite_settings

CODE = str(ROLE_ACCOUNTS["enterprise"][2])  # the `enterprise` test account's own enterprise


def code_of(n: int) -> str:
    """A valid credit code (GB 32100 check character) numbered n."""
    prefix = f"91450200MA5K{n:05d}"
    return prefix + check_character(prefix)


OTHER_CODE = code_of(0)
D = date(2025, 3, 3)  # a Monday
VISITED = date(2025, 3, 5)


def register(c: Container, code: str = CODE, county: str = "liudong") -> UUID:
    return c.enterprises.register(SYSTEM, "柳州某汽车零部件有限公司", code, "汽车", county,
                                  [{"name": "李经理", "phone": "13800138000"}], D).state.id


def raise_(c: Container, caller: Caller = SYSTEM, **fields: Any) -> UUID:
    values: dict[str, Any] = {"credit_code": CODE, "source": "hotline", "category": "labour",
                              "description": "用工缺口约200人", "raised_on": D}
    values.update(fields)
    return c.requests.raise_request(caller, NewRequest(**values)).state.id


def assigned(c: Container, lead: str = "liudong", co: tuple[str, ...] = ("liujiang",)) -> UUID:
    rid = raise_(c)
    c.requests.assign(SYSTEM, rid, lead, list(co), D)
    return rid


def head(c: Container) -> int:
    return c.ledger.head()


# --- enterprises ----------------------------------------------------------------------


def test_register_returns_state_and_position_and_the_id_derives_from_the_code(
        container: Container, callers: dict[str, Caller]) -> None:
    result = container.enterprises.register(callers["bureau"], "某公司", f" {CODE.lower()} ",
                                            "汽车", "liudong", None, D)
    assert result.state.credit_code == CODE
    assert result.state.version == 1
    assert result.position == head(container)
    assert container.enterprises.get_by_code(callers["leader"], CODE) == result.state
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
    ("91450200MA5KXXXX00", "check character should be 5"),
    ("91450200MA5KXXXX0", "must be 18 characters"),
    ("9145020OMA5KXXXX05", "illegal character 'O'"),
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
    linked = container.enterprises.link_leader(bureau, eid, leader.name, "分工", D, 1)
    visit = container.enterprises.record_visit(leader, eid, VISITED, "visit", leader.name,
                                               "调研用工", ["A-1"], 2)
    container.enterprises.revise(bureau, eid, {"county": "liujiang"}, "迁址", VISITED)
    unlinked = container.enterprises.unlink_leader(bureau, eid, "调整分工", VISITED)

    assert linked.state.leader == leader.name
    assert visit.extra == {"number": 1}
    assert visit.state.visits[0]["request_numbers"] == ["A-1"]
    assert unlinked.state.leader is None
    assert unlinked.state.county == "liujiang"
    entries = container.enterprises.history(bureau, eid)
    assert [e.type for e in entries] == ["Registered", "LeaderLinked", "VisitRecorded",
                                         "DetailsRevised", "LeaderUnlinked"]
    assert entries[2].actor["name"] == leader.name
    assert entries[2].label == "调研座谈"


def test_a_stale_version_appends_nothing(container: Container) -> None:
    eid = register(container)
    before = head(container)
    with pytest.raises(StaleVersion):
        container.enterprises.link_leader(SYSTEM, eid, "覃市长", None, D, expected_version=2)
    assert head(container) == before


def test_a_visit_in_the_future_is_refused(container: Container) -> None:
    eid = register(container)
    with pytest.raises(InvalidValue, match="in the future"):
        container.enterprises.record_visit(SYSTEM, eid, date(2099, 1, 1), "visit", "覃市长",
                                           "调研")


# --- raising requests -------------------------------------------------------------------


def test_a_request_names_its_enterprise_by_code_or_id(container: Container) -> None:
    eid = register(container)
    by_code = container.requests.raise_request(SYSTEM, NewRequest(
        category="power", description="双回路供电", credit_code=CODE.lower(), source="forum",
        raised_on=D))
    by_id = raise_(container, credit_code=None, enterprise_id=eid)
    assert by_code.state.enterprise_id == eid
    assert by_code.state.status == "raised"
    assert by_code.position == head(container) - 1
    assert container.requests.get(SYSTEM, by_id).credit_code == CODE


@pytest.mark.parametrize(("fields", "message"), [
    ({"credit_code": OTHER_CODE}, "register the enterprise first"),
    ({"credit_code": None, "enterprise_id": uuid4()}, "no enterprise"),
    ({"credit_code": None}, "credit_code or enterprise_id"),
    ({"enterprise_id": uuid4()}, "is not the enterprise of credit code"),
    ({"project_id": uuid4()}, "no project"),
    ({"source": None}, "source is required"),
    ({"source": "visit", "visit_number": 1}, "has no visit #1"),
    ({"category": "weather"}, "category must be one of"),
    ({"raised_on": date(2099, 1, 1)}, "in the future"),
])
def test_a_request_with_a_bad_reference_or_value_is_invalid_and_appends_nothing(
        container: Container, fields: dict[str, Any], message: str) -> None:
    register(container)
    before = head(container)
    with pytest.raises(InvalidValue, match=message):
        raise_(container, **fields)
    assert head(container) == before


def test_a_request_raised_at_a_visit_takes_the_visits_date(container: Container) -> None:
    eid = register(container)
    container.enterprises.record_visit(SYSTEM, eid, VISITED, "visit", "覃市长", "调研")
    container.enterprises.record_visit(SYSTEM, eid, VISITED, "forum", "投促局", "座谈")
    rid = raise_(container, source="visit", visit_number=1, raised_on=None)
    assert container.requests.get(SYSTEM, rid).raised_on == VISITED
    with pytest.raises(InvalidValue, match="before visit #1"):
        raise_(container, source="visit", visit_number=1, raised_on=D)
    with pytest.raises(InvalidValue, match="was a forum"):
        raise_(container, source="visit", visit_number=2, raised_on=None)


def test_a_request_may_name_a_registered_project(container: Container) -> None:
    register(container)
    details = ProjectDetails(name="项目", investor="投资方", industry="汽车",
                             total_investment=Decimal("1"), county="liudong",
                             responsible_unit="liudong")
    pid = container.projects.register(SYSTEM, details, D).state.id
    rid = raise_(container, project_id=pid)
    assert container.requests.get(SYSTEM, rid).project_id == pid
    with pytest.raises(InvalidValue, match="no project"):  # an enterprise id is no project
        raise_(container, project_id=container.enterprises.load_by_code(CODE).id)


# --- handling -----------------------------------------------------------------------------


def test_assignment_counts_request_days_working_days_with_the_calendar(
        container: Container) -> None:
    register(container)
    rid = raise_(container)
    state = container.requests.assign(SYSTEM, rid, "rsj", ["gxj", "liudong"], D).state
    assert state.due == container.calendar.add_working_days(D, container.policy.request_days)
    assert state.due is not None and state.due.due == date(2025, 3, 17)
    assert state.overdue  # due in 2025, still being handled
    assert (state.lead_unit, state.co_units) == ("rsj", ["gxj", "liudong"])


@pytest.mark.parametrize(("lead", "co", "message"), [
    ("nowhere", [], "lead_unit: unknown unit"), ("rsj", ["nowhere"], "co_units: unknown"),
    ("rsj", ["rsj"], "cannot also be a co-unit")])
def test_assignment_needs_known_distinct_units(container: Container, lead: str,
                                               co: list[str], message: str) -> None:
    register(container)
    rid = raise_(container)
    with pytest.raises(InvalidValue, match=message):
        container.requests.assign(SYSTEM, rid, lead, co, D)


def test_full_flow_with_reopening_and_closing(container: Container,
                                              callers: dict[str, Caller]) -> None:
    bureau, lead, co, firm = (callers[k] for k in ("bureau", "unit", "other_unit",
                                                   "enterprise"))
    register(container)
    rid = raise_(container, firm, source=None)
    assert container.requests.get(firm, rid).source == "online"
    container.requests.assign(bureau, rid, "liudong", ["liujiang"], D)
    noted = container.requests.note_progress(co, rid, "配合摸排", on=D)
    container.requests.note_progress(bureau, rid, "代记进展", "liujiang", D)
    container.requests.record_outcome(lead, rid, "partly_resolved", "部分岗位已招满", D)
    reopened = container.requests.record_feedback(firm, rid, "unsatisfied", "仍缺50人", D)
    assert noted.extra == {"number": 1}
    assert reopened.state.status == "reopened" and reopened.state.due is None
    # The units once assigned still read it, but no longer act on it.
    assert container.requests.get(co, rid).status == "reopened"
    with pytest.raises(Forbidden):
        container.requests.note_progress(co, rid, "继续", on=D)
    container.requests.assign(bureau, rid, "liujiang", [], date(2025, 3, 4))
    container.requests.record_outcome(bureau, rid, "resolved", None, date(2025, 3, 5))
    container.requests.record_feedback(bureau, rid, "satisfied", None, date(2025, 3, 6))
    closed = container.requests.close(callers["supervisor"], rid, None, date(2025, 3, 7)).state
    assert (closed.status, closed.outcome, closed.overdue) == ("closed", "resolved", False)
    assert [o["by_unit"] for o in closed.outcomes] == ["liudong", "liujiang"]
    assert [n["by_unit"] for n in closed.progress_notes] == ["liujiang", "liujiang"]
    assert [e.type for e in container.requests.history(firm, rid)] == [
        "Raised", "Assigned", "ProgressNoted", "ProgressNoted", "OutcomeRecorded",
        "FeedbackRecorded", "Assigned", "OutcomeRecorded", "FeedbackRecorded", "Closed"]


@pytest.mark.parametrize(("step", "message"), [
    (lambda c, r: c.requests.record_outcome(SYSTEM, r, "resolved", None, D), "cannot record"),
    (lambda c, r: c.requests.close(SYSTEM, r, "原因", D), "cannot close"),
    (lambda c, r: c.requests.record_feedback(SYSTEM, r, "satisfied", None, D), "cannot record"),
])
def test_illegal_steps_are_rule_violations_and_append_nothing(
        container: Container, step: Callable[[Container, UUID], Any], message: str) -> None:
    register(container)
    rid = raise_(container)
    before = head(container)
    with pytest.raises(RuleViolation, match=message):
        step(container, rid)
    assert head(container) == before


def test_a_stale_request_version_is_refused(container: Container) -> None:
    register(container)
    rid = raise_(container)
    with pytest.raises(StaleVersion):
        container.requests.assign(SYSTEM, rid, "rsj", [], D, expected_version=3)


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


def test_provisional_due_dates_are_recomputed_once_the_year_is_configured(
        tmp_path: Path) -> None:
    class LateDecember(Clock):
        def today(self) -> date:
            return date(2026, 12, 28)

    c = build(sqlite_settings(tmp_path), LateDecember())
    try:
        if c.calendar.is_official(2027):
            pytest.skip("the installed chinese-calendar already has 2027")
        register(c)
        rid = raise_(c)
        c.requests.assign(SYSTEM, rid, "rsj", [], date(2026, 12, 28))
        provisional = c.requests.get(SYSTEM, rid).due
        assert provisional is not None and provisional.provisional
        overrides = tmp_path / "overrides.json"
        overrides.write_text('{"2027": {"holidays": ["2027-01-01", "2027-01-04"]}}')
        c2 = build(sqlite_settings(tmp_path, calendar_overrides_file=overrides), LateDecember())
        try:
            assert c2.requests.recompute_provisional(SYSTEM, [rid]) == 1
            fresh = c2.requests.get(SYSTEM, rid).due
            assert fresh is not None and not fresh.provisional
            assert fresh.due > provisional.due  # 4 January is now a day off
            assert c2.requests.recompute_provisional(SYSTEM, [rid]) == 0
        finally:
            c2.close()
    finally:
        c.close()


# --- roles (one SQLite container) ----------------------------------------------------------


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
    out = {}
    for key, (name, role, unit) in ROLE_ACCOUNTS.items():
        new = app.accounts.add(SYSTEM, name, role, unit if role == "unit" else None,
                               unit if role == "enterprise" else None)
        out[key] = app.accounts.authenticate(new.token, f"roles-{key}")
    return out


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

    managers = permitted(
        who, lambda caller: app.enterprises.link_leader(caller, fresh(), "覃市长", None, D))
    assert managers == {"admin", "bureau"}
    linked = fresh()
    app.enterprises.link_leader(SYSTEM, linked, who["leader"].name, None, D)
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
    other = code_of(999)
    register(app, other)
    with pytest.raises(Forbidden):
        raise_(app, who["enterprise"], credit_code=other, source="online")


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
