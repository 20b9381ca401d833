"""The supervision view (督查督办): overdue (超期) and nearly due (临期) items of complaints,
project problems and instructions, and enterprise requests, judged against a controlled
today on the official 2025 calendar (National Day 1–8 October; 28 September and 11 October
are 调休 working days)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container
from application import policy
from application.context import Caller
from application.errors import Forbidden
from domain.complaint import Complaint
from domain.enterprise import Enterprise
from domain.enterprise_request import EnterpriseRequest
from domain.project import Project, ProjectDetails
from projections.complaint_reader import ComplaintLedgerReader
from projections.supervision import ITEMS, SUBJECTS, ItemKind, ItemState, SupervisionItems
from projections.supervision_reader import SupervisionReader
from tests.integration.test_complaint_projections import Flow, set_today

CREDIT_CODE = "91350100M000100Y43"
Key = tuple[str, str, int | None]


@pytest.fixture
def clock(backend_container: Container, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set today: clock(2025, 10, 21)."""
    def at(year: int, month: int, day: int) -> date:
        set_today(monkeypatch, backend_container, date(year, month, day))
        return date(year, month, day)
    return at


def view(c: Container, **filters: Any) -> dict[Key, dict[str, Any]]:
    """The view as of the container's today: (kind, id, number) → item plus its unit."""
    c.follower.catch_up()
    groups = SupervisionReader(c.views, c.calendar).overdue_by_unit(
        c.clock.today(), c.settings.nearly_due_days, **filters)
    return {(i["kind"], i["id"], i["number"]): {**i, "unit": g["unit"]}
            for g in groups for i in g["items"]}


def brief(item: dict[str, Any]) -> tuple[Any, ...]:
    days = item["working_days_overdue"] if item["state"] == "overdue" \
        else item["working_days_left"]
    return item["unit"], item["state"], item["due"], days


def test_reply_deadline_over_national_day_turns_nearly_due_then_overdue(
        backend_container: Container, backend_callers: dict[str, Caller], clock: Any) -> None:
    f = Flow(backend_container, backend_callers)
    clock(2025, 9, 26)
    cid = f.steps(f.file(date(2025, 9, 24)), ("accept", 9, 25),
                  ("assign", 9, 26, {"unit": "liudong"}))
    # 15 working days from Fri 26 Sep: 28 Sep (Sunday, 调休), 29, 30, then 9 Oct after the
    # holiday, 10, 11 (Saturday, 调休), 13–17, 20–23 → due Thu 23 Oct.
    due = backend_container.store.load(Complaint, cid).reply_deadline
    assert due is not None and due.due == date(2025, 10, 23)
    key = ("complaint_reply", str(cid), None)
    clock(2025, 10, 20)
    assert key not in view(backend_container)  # three working days left
    clock(2025, 10, 21)
    assert brief(view(backend_container)[key]) == ("liudong", "nearly_due", "2025-10-23", 2)
    clock(2025, 10, 23)
    assert brief(view(backend_container)[key]) == ("liudong", "nearly_due", "2025-10-23", 0)
    clock(2025, 10, 24)
    assert brief(view(backend_container)[key]) == ("liudong", "overdue", "2025-10-23", 1)
    clock(2025, 10, 27)  # the weekend does not count
    item = view(backend_container)[key]
    assert brief(item) == ("liudong", "overdue", "2025-10-23", 2)
    assert (item["state_label"], item["kind_label"]) == ("超期", "投诉答复")
    assert item["title"] == "投诉举报 · 审批服务 · 被投诉单位 {unit:zjj}"  # named when read
    assert backend_container.units.render(item["title"]) == (
        "投诉举报 · 审批服务 · 被投诉单位 柳州市住房和城乡建设局")
    f.steps(cid, ("acknowledge", 10, 27), ("reply", 10, 27))
    callback = ("complaint_callback", str(cid), None)
    items = view(backend_container)
    assert key not in items and callback not in items  # 5 days left
    clock(2025, 10, 30)
    assert brief(view(backend_container)[callback]) == ("liudong", "nearly_due", "2025-11-03", 2)
    clock(2025, 11, 4)
    f.do(cid, "callback", date(2025, 11, 4), satisfaction="satisfied")
    assert view(backend_container) == {}


def test_acceptance_across_the_holiday_is_nearly_due_for_the_bureau(
        backend_container: Container, backend_callers: dict[str, Caller], clock: Any) -> None:
    f = Flow(backend_container, backend_callers)
    clock(2025, 9, 29)
    waiting, declined = f.file(date(2025, 9, 29)), f.file(date(2025, 9, 29))
    f.do(declined, "decline", date(2025, 9, 29))
    key = ("complaint_acceptance", str(waiting), None)
    assert key not in view(backend_container)  # due Fri 10 Oct: 3 working days left
    clock(2025, 9, 30)
    # Ten calendar days, but only 9 and 10 October are working days before it is due.
    assert brief(view(backend_container)[key]) == ("tcj", "nearly_due", "2025-10-10", 2)
    assert ("complaint_acceptance", str(declined), None) not in view(backend_container)
    clock(2025, 10, 13)  # Saturday 11 Oct is a 调休 working day: two days overdue by Monday
    assert brief(view(backend_container)[key]) == ("tcj", "overdue", "2025-10-10", 2)
    f.do(waiting, "accept", date(2025, 10, 13))
    assert view(backend_container) == {}  # accepted, it waits on no deadline until assigned


def test_an_approved_extension_moves_the_due_date_and_a_refused_one_does_not(
        backend_container: Container, backend_callers: dict[str, Caller], clock: Any) -> None:
    f = Flow(backend_container, backend_callers)
    clock(2025, 10, 21)
    ids = [f.steps(f.file(date(2025, 9, 24)), ("accept", 9, 25),
                   ("assign", 9, 26, {"unit": "liujiang"}),
                   ("request_extension", 10, 20, {"until": date(2025, 11, 14)}))
           for _ in range(2)]
    f.do(ids[0], "approve_extension", date(2025, 10, 21))
    f.do(ids[1], "refuse_extension", date(2025, 10, 21))
    clock(2025, 10, 24)
    items = view(backend_container)
    assert ("complaint_reply", str(ids[0]), None) not in items
    assert brief(items[("complaint_reply", str(ids[1]), None)]) == (
        "liujiang", "overdue", "2025-10-23", 1)
    clock(2025, 11, 12)
    assert brief(view(backend_container)[("complaint_reply", str(ids[0]), None)]) == (
        "liujiang", "nearly_due", "2025-11-14", 2)
    f.do(ids[0], "return_case", date(2025, 11, 12))
    assert ("complaint_reply", str(ids[0]), None) not in view(backend_container)


def _project(c: Container, backend_callers: dict[str, Caller], name: str, on: date) -> UUID:
    details = ProjectDetails(name=name, investor="投资方", industry="汽车",
                             total_investment=Decimal("100"), county="liudong",
                             responsible_unit="liudong")
    return c.projects.register(backend_callers["bureau"], details, on).state.id


def test_project_problems_and_instructions_follow_the_responsible_unit(
        backend_container: Container, backend_callers: dict[str, Caller], clock: Any) -> None:
    p, unit, leader = backend_container.projects, backend_callers["unit"], backend_callers["leader"]
    clock(2025, 9, 30)
    pid = _project(backend_container, backend_callers, "新能源电池项目", date(2025, 9, 1))
    p.raise_problem(unit, pid, "用地指标未落实", date(2025, 9, 1))  # due Sun 28 Sep (调休)
    p.raise_problem(unit, pid, "用电", date(2025, 9, 2))
    p.resolve_problem(unit, pid, 2, "已协调", date(2025, 9, 10))
    p.instruct(leader, pid, "请加快推进", date(2025, 9, 22))  # due Sat 11 Oct (调休)
    project = backend_container.store.load(Project, pid)  # a problem without a due date: left out
    project.raise_problem("旧问题", date(2025, 9, 3), backend_callers["unit"].audit(), due=None)
    backend_container.store.save(project)
    problem, instruction = ("project_problem", str(pid), 1), ("project_instruction", str(pid), 1)
    items = view(backend_container)
    assert list(items) == [problem]
    assert brief(items[problem]) == ("liudong", "overdue", "2025-09-28", 2)
    assert (items[problem]["title"], items[problem]["summary"]) == (
        "新能源电池项目", "用地指标未落实")
    clock(2025, 10, 9)  # 3 working days left on 30 Sep (eleven calendar days); now 2
    items = view(backend_container)
    assert brief(items[instruction]) == ("liudong", "nearly_due", "2025-10-11", 2)
    assert brief(items[problem]) == ("liudong", "overdue", "2025-09-28", 3)
    p.reassign(backend_callers["bureau"], pid, "liujiang", "移交柳江区", date(2025, 10, 9))
    assert {item["unit"] for item in view(backend_container).values()} == {"liujiang"}
    p.answer_instruction(backend_callers["other_unit"], pid, 1, "已落实", date(2025, 10, 9))
    assert list(view(backend_container)) == [problem]
    p.terminate(backend_callers["bureau"], pid, "投资方撤回", date(2025, 10, 9))
    assert view(backend_container) == {}


def _request(c: Container, audit: Any, on: date, unit: str | None) -> EnterpriseRequest:
    request = EnterpriseRequest.raise_request(
        Enterprise.create_id(CREDIT_CODE), CREDIT_CODE, None, "online", None, "labour",
        "招工难", on, audit)
    if unit is not None:
        request.assign(unit, [], c.policy.deadline("request", on, c.calendar), on, audit)
    c.store.save(request)
    return request


def test_enterprise_requests_are_supervised_from_assignment_to_outcome(
        backend_container: Container, backend_callers: dict[str, Caller], clock: Any) -> None:
    audit = backend_callers["bureau"].audit()
    clock(2025, 10, 24)
    assigned = _request(backend_container, audit, date(2025, 10, 10), "liudong")  # due 23 Oct
    _request(backend_container, audit, date(2025, 10, 10), None)  # not assigned: no deadline
    key = ("request", str(assigned.id), 1)
    item = view(backend_container)[key]
    assert brief(item) == ("liudong", "overdue", "2025-10-23", 1)
    assert item["title"] == "企业诉求 · 用工 · 线上"
    assert len(view(backend_container)) == 1
    assigned.record_outcome("resolved", None, "liudong", date(2025, 10, 24), audit)
    backend_container.store.save(assigned)
    assert view(backend_container) == {}


def test_kinds_and_states_carry_their_labels() -> None:
    assert {kind: kind.label for kind in ItemKind} == {
        "complaint_acceptance": "投诉受理", "complaint_reply": "投诉答复",
        "complaint_callback": "投诉回访", "project_problem": "项目存在问题",
        "project_instruction": "领导批示落实", "project_planned_start": "计划开工",
        "project_planned_production": "计划投产", "request": "企业诉求办理",
        "complaint_instruction": "领导批示落实", "request_instruction": "领导批示落实"}
    assert (ItemState.overdue.label, ItemState.nearly_due.label) == ("超期", "临期")


def _three_units(c: Container, backend_callers: dict[str, Caller]) -> None:
    f = Flow(c, backend_callers)
    f.file(date(2025, 10, 20))  # tcj: acceptance due 23 Oct
    f.steps(f.file(date(2025, 9, 24)), ("accept", 9, 25), ("assign", 9, 26, {"unit": "liudong"}))
    f.steps(f.file(date(2025, 9, 24)), ("accept", 9, 25),
            ("assign", 9, 26, {"unit": "liujiang"}))


def test_a_unit_sees_only_its_own_items(backend_container: Container,
                                        backend_callers: dict[str, Caller], clock: Any) -> None:
    clock(2025, 10, 24)
    _three_units(backend_container, backend_callers)
    assert {i["unit"] for i in view(backend_container).values()} == {"tcj", "liudong", "liujiang"}
    scope = policy.scope(backend_callers["unit"], "supervision.read").unit
    assert scope == "liudong"
    assert {i["unit"] for i in view(backend_container, scope_unit=scope).values()} == {"liudong"}
    assert view(backend_container, scope_unit=scope, unit="liujiang") == {}
    assert {i["unit"] for i in view(backend_container, unit="tcj").values()} == {"tcj"}
    assert policy.scope(backend_callers["leader"], "supervision.read") == policy.Scope()
    with pytest.raises(Forbidden):
        policy.scope(backend_callers["enterprise"], "supervision.read")


def test_a_recomputed_provisional_deadline_replaces_the_due_date(
        backend_container: Container, backend_callers: dict[str, Caller], clock: Any) -> None:
    f = Flow(backend_container, backend_callers)
    clock(2027, 3, 1)
    cid = f.steps(f.file(date(2027, 3, 1)), ("accept", 3, 1),
                  ("assign", 3, 1, {"unit": "liudong"}), year=2027)
    complaint = backend_container.store.load(Complaint, cid)
    provisional = complaint.reply_deadline
    assert provisional is not None and provisional.provisional  # 2027 has no official data
    clock(2027, 3, 18)
    key = ("complaint_reply", str(cid), None)
    assert view(backend_container)[key]["provisional"] is True
    official = replace(provisional, due=provisional.due + timedelta(days=7), provisional=False,
                       calendar_version="override")
    complaint.recompute_deadline("reply", official, date(2027, 3, 18),
                                 backend_callers["admin"].audit())
    backend_container.store.save(complaint)
    assert key not in view(backend_container)  # now due a week later
    clock(2027, 3, 31)
    item = view(backend_container)[key]
    assert (item["due"], item["provisional"]) == (official.due.isoformat(), False)
    (row,) = ComplaintLedgerReader(backend_container.views).page(
        {"today": date(2027, 3, 31)}).items
    assert row["deadline"]["due"] == official.due.isoformat()
    assert row["deadline"]["provisional"] is False


def _rows(c: Container) -> list[dict[str, Any]]:
    with c.views.read() as tx:
        return (tx.all(f"SELECT * FROM {SUBJECTS} ORDER BY id")
                + tx.all(f"SELECT * FROM {ITEMS} ORDER BY id"))


def test_rebuilt_supervision_view_equals_incrementally_built_one(
        backend_container: Container, backend_callers: dict[str, Caller], clock: Any) -> None:
    clock(2025, 10, 24)
    f = Flow(backend_container, backend_callers)
    _three_units(backend_container, backend_callers)
    f.steps(f.file(date(2025, 9, 24)), ("accept", 9, 25), ("assign", 9, 26, {"unit": "liudong"}),
            ("request_extension", 10, 20, {"until": date(2025, 11, 14)}),
            ("approve_extension", 10, 21), ("acknowledge", 10, 22), ("reply", 10, 23))
    f.steps(f.file(date(2025, 9, 24)), ("decline", 9, 25))
    p, unit = backend_container.projects, backend_callers["unit"]
    kept, ended = (_project(backend_container, backend_callers, name, date(2025, 9, 1))
                   for name in "AB")
    for pid in (kept, ended):
        p.raise_problem(unit, pid, "用地", date(2025, 9, 1))
        p.raise_problem(unit, pid, "用电", date(2025, 9, 2))
        p.instruct(backend_callers["leader"], pid, "推进", date(2025, 9, 3))
    p.resolve_problem(unit, kept, 1, "已解决", date(2025, 9, 10))
    p.reassign(backend_callers["bureau"], kept, "liujiang", "移交", date(2025, 9, 11))
    p.revise(backend_callers["bureau"], kept, {"name": "A2"}, "更名", date(2025, 9, 12))
    p.terminate(backend_callers["bureau"], ended, "撤回", date(2025, 9, 12))
    _request(backend_container, backend_callers["bureau"].audit(), date(2025, 10, 10), "liudong")
    backend_container.follower.batch_size = 3
    backend_container.follower.catch_up()
    incremental = _rows(backend_container)
    kinds = sorted(row["kind"] for row in incremental if "summary" in row)
    assert kinds == ["complaint_acceptance", "complaint_callback", "complaint_reply",
                     "complaint_reply", "project_instruction", "project_problem", "request"]
    backend_container.follower.batch_size = 1000
    backend_container.follower.rebuild(SupervisionItems.name)
    assert _rows(backend_container) == incremental
