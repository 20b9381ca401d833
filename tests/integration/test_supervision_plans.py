"""Projects' planned dates in the supervision view (督查督办), on both backends: a signed
project's planned start (计划开工) and a project under construction's planned production date
(计划投产) turn nearly due (临期) then overdue (超期) against a controlled today on the official
2025 calendar, follow revisions and the responsible unit, and go on the stage step or on
termination."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container
from application.context import Caller
from domain.project import ProjectDetails
from projections.supervision import ITEMS, PLANS, SUBJECTS, SupervisionItems
from tests.integration.test_complaint_projections import set_today
from tests.integration.test_supervision import brief, view


@pytest.fixture
def clock(backend_container: Container, monkeypatch: pytest.MonkeyPatch) -> Any:
    def at(month: int, day: int) -> None:
        set_today(monkeypatch, backend_container, date(2025, month, day))
    return at


def _project(c: Container, bureau: Caller, name: str, **planned: Any) -> UUID:
    details = ProjectDetails(name=name, investor="投资方", industry="汽车",
                             total_investment=Decimal("100"), county="liudong",
                             responsible_unit="liudong", **planned)
    return c.projects.register(bureau, details, date(2025, 9, 1)).state.id


def test_planned_start_then_planned_production_turn_nearly_due_then_overdue(
        backend_container: Container, backend_callers: dict[str, Caller], clock: Any) -> None:
    c, bureau = backend_container, backend_callers["bureau"]
    clock(9, 10)
    pid = _project(c, bureau, "新能源电池项目", planned_start=date(2025, 10, 23),
                   planned_production=date(2025, 11, 28))
    start, production = (("project_planned_start", str(pid), None),
                         ("project_planned_production", str(pid), None))
    assert view(c) == {}  # negotiating: no planned date runs yet
    c.projects.sign(bureau, pid, date(2025, 9, 10), Decimal("90"))
    clock(10, 20)
    assert view(c) == {}  # three working days before the planned start
    clock(10, 21)
    item = view(c)[start]
    assert brief(item) == ("liudong", "nearly_due", "2025-10-23", 2)
    assert (item["kind_label"], item["state_label"], item["title"], item["summary"],
            item["started_on"], item["provisional"]) == (
        "计划开工", "临期", "新能源电池项目", "计划开工 2025-10-23", "2025-09-10", False)
    clock(10, 24)
    assert brief(view(c)[start]) == ("liudong", "overdue", "2025-10-23", 1)
    # A later planned start takes it out of the view until that date nears.
    c.projects.revise(bureau, pid, {"planned_start": date(2025, 11, 14)}, "调整计划",
                      date(2025, 10, 24))
    assert view(c) == {}
    clock(11, 17)
    assert brief(view(c)[start]) == ("liudong", "overdue", "2025-11-14", 1)
    # Starting construction ends the planned start; the planned production date runs.
    c.projects.start_construction(bureau, pid, date(2025, 11, 17))
    assert view(c) == {}  # nine working days before 28 November
    clock(11, 26)
    item = view(c)[production]
    assert brief(item) == ("liudong", "nearly_due", "2025-11-28", 2)
    assert (item["kind_label"], item["started_on"]) == ("计划投产", "2025-11-17")
    clock(12, 1)
    assert brief(view(c)[production]) == ("liudong", "overdue", "2025-11-28", 1)
    c.projects.start_production(bureau, pid, date(2025, 12, 1))
    assert view(c) == {}


def test_a_planned_date_item_follows_revisions_the_unit_and_ends_with_termination(
        backend_container: Container, backend_callers: dict[str, Caller], clock: Any) -> None:
    c, bureau = backend_container, backend_callers["bureau"]
    clock(10, 24)
    unplanned = _project(c, bureau, "未定计划项目")
    negotiating = _project(c, bureau, "在谈项目", planned_start=date(2025, 9, 15))
    c.projects.sign(bureau, unplanned, date(2025, 9, 10), Decimal("90"))
    assert view(c) == {}  # signed without a planned start; negotiating past its plan
    c.projects.revise(bureau, unplanned, {"planned_start": date(2025, 10, 10)}, "补录计划",
                      date(2025, 10, 24))
    key = ("project_planned_start", str(unplanned), None)
    assert brief(view(c)[key]) == ("liudong", "overdue", "2025-10-10", 11)
    c.projects.reassign(bureau, unplanned, "liujiang", "移交柳江区", date(2025, 10, 24))
    assert brief(view(c)[key])[0] == "liujiang"
    c.projects.revise(bureau, unplanned, {"planned_start": None}, "计划待定", date(2025, 10, 24))
    assert view(c) == {}
    c.projects.revise(bureau, unplanned, {"planned_start": date(2025, 10, 20)}, None,
                      date(2025, 10, 24))
    assert key in view(c)
    c.projects.terminate(bureau, unplanned, "投资方撤回", date(2025, 10, 24))
    assert view(c) == {}
    # A termination recorded by mistake is revoked: the planned start runs again, and a
    # corrected sign date is when it started.
    c.projects.revoke_termination(bureau, unplanned, "误操作", date(2025, 10, 24))
    assert view(c)[key]["started_on"] == "2025-10-24"
    c.projects.correct(bureau, unplanned, "sign_date", date(2025, 9, 12), "签约日期录错",
                       date(2025, 10, 24))
    assert view(c)[key]["started_on"] == "2025-09-12"
    c.projects.terminate(bureau, unplanned, "投资方撤回", date(2025, 10, 24))
    assert view(c) == {}
    c.projects.sign(bureau, negotiating, date(2025, 10, 24), Decimal("1"))
    assert brief(view(c)[("project_planned_start", str(negotiating), None)]) == (
        "liudong", "overdue", "2025-09-15", 25)


def _rows(c: Container) -> list[dict[str, Any]]:
    with c.views.read() as tx:
        return [row for table in (SUBJECTS, ITEMS, PLANS)
                for row in tx.all(f"SELECT * FROM {table} ORDER BY id")]


def test_rebuilt_planned_date_items_equal_incrementally_built_ones(
        backend_container: Container, backend_callers: dict[str, Caller], clock: Any) -> None:
    c, bureau = backend_container, backend_callers["bureau"]
    clock(10, 24)
    ids = [_project(c, bureau, f"项目{n}", planned_start=date(2025, 10, 1),
                    planned_production=date(2025, 12, 1)) for n in range(4)]
    for pid in ids[1:]:
        c.projects.sign(bureau, pid, date(2025, 9, 10), Decimal("1"))
    for pid in ids[2:]:
        c.projects.start_construction(bureau, pid, date(2025, 9, 20))
    c.projects.revise(bureau, ids[3], {"planned_production": date(2025, 10, 15)}, None,
                      date(2025, 10, 24))
    c.follower.batch_size = 2
    c.follower.catch_up()
    incremental = _rows(c)
    # 项目1 signed: its planned start; 项目2 and 项目3 under construction: planned production.
    assert sorted(row["kind"] for row in incremental if "summary" in row) == [
        "project_planned_production", "project_planned_production", "project_planned_start"]
    c.follower.batch_size = 1000
    c.follower.rebuild(SupervisionItems.name)
    assert _rows(c) == incremental
