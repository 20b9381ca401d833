"""The order ledger (督办台账), the meeting ledger (会议台账) and the items orders and meetings
contribute to the supervision view, on both backends: every filter and scope, counts that
follow done and reopened items, National Day in due dates, rebuilt equals incremental."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from api.bootstrap import Container
from application.context import Caller
from application.orders import Subject
from projections import meeting_ledger, order_ledger
from projections.meeting_ledger import MeetingLedger, MeetingLedgerReader
from projections.order_ledger import OrderLedger, OrderLedgerReader
from projections.supervision import KIND_LABELS, SupervisionItems
from tests.integration import agenda
from tests.integration.test_complaint_projections import set_today
from tests.integration.test_supervision import brief, view

TODAY = date(2025, 10, 24)


def d(month: int, day: int) -> date:
    return date(2025, month, day)


def orders(c: Container, **filters: Any) -> dict[str, dict[str, Any]]:
    """The order ledger's rows under `filters` (as of TODAY), by task."""
    c.follower.catch_up()
    page = OrderLedgerReader(c.views).page({"today": TODAY, **filters}, limit=100)
    assert page.count == len(page.items)
    return {row["task"]: row for row in page.items}


def meetings(c: Container, **filters: Any) -> dict[str, dict[str, Any]]:
    c.follower.catch_up()
    page = MeetingLedgerReader(c.views).page({"today": TODAY, **filters}, limit=100)
    return {row["title"]: row for row in page.items}


def history(c: Container, callers: dict[str, Caller]) -> dict[str, UUID]:
    """Four orders and two meetings.

    O1 liudong on project P, issued 09-30, due 10-21; responded done 10-09, closed 10-10.
    O2 liudong on meeting M1's item 1, issued 09-30 (due 10-21): responded not done, urged
       twice, notified — overdue on 10-24.
    O3 liujiang, free-standing, issued 10-20, named due 10-31; responded done, returned.
    O4 liujiang on complaint C, issued 10-22 (due 11-05).
    M1 09-20, liudong + zrzyj, project P: item 1 liudong due 10-15 (open, overdue), item 2
       zrzyj due 10-31 done 10-20, item 3 gdj due 10-20 done then reopened due 11-14.
    M2 10-22, liujiang only, no project, no item.
    """
    s, u, j, b = (callers[k] for k in ("supervisor", "unit", "other_unit", "bureau"))
    o, m = c.orders, c.meetings
    pid = agenda.project(c, b)
    m1 = agenda.meeting(c, b, projects=(pid,), title="M1",
                        items=(("liudong", d(10, 15)), ("zrzyj", d(10, 31)),
                               ("gdj", d(10, 20))))
    ids = {"P": pid, "M1": m1, "M2": agenda.meeting(c, callers["leader"], units=("liujiang",),
                                                     held_on=d(10, 22), title="M2")}
    ids["O1"] = agenda.order(c, s, task="O1", subject=Subject("project", str(pid)))
    o.respond(u, ids["O1"], "已办结", True, d(10, 9))
    o.close(s, ids["O1"], d(10, 10))
    ids["O2"] = agenda.order(c, s, task="O2", subject=Subject("meeting_item", f"{m1}:1"))
    o.respond(u, ids["O2"], "办理中", False, d(10, 9))
    o.urge(s, ids["O2"], "催办", d(10, 22))
    o.urge(s, ids["O2"], "再催办", d(10, 23))
    o.notify(s, ids["O2"], "通报", d(10, 24))
    ids["O3"] = agenda.order(c, s, "liujiang", d(10, 20), task="O3", due=d(10, 31))
    o.respond(j, ids["O3"], "已办结", True, d(10, 21))
    o.send_back(s, ids["O3"], "材料不全", d(10, 22))
    ids["C"] = agenda.complaint(c, b)
    ids["O4"] = agenda.order(c, s, "liujiang", d(10, 22), task="O4",
                             subject=Subject("complaint", str(ids["C"])))
    zrzyj = Caller(account_id="z", name="自然资源局", role=u.role, unit="zrzyj")
    gdj = Caller(account_id="g", name="供电局", role=u.role, unit="gdj")
    m.mark_done(zrzyj, m1, 2, "已报批", d(10, 20))
    m.mark_done(gdj, m1, 3, "已接电", d(10, 20))
    m.reopen_item(s, m1, 3, "双回路未落实", d(11, 14), d(10, 21))
    return ids


@pytest.fixture
def world(backend_container: Container, backend_callers: dict[str, Caller],
          monkeypatch: pytest.MonkeyPatch) -> dict[str, UUID]:
    set_today(monkeypatch, backend_container, TODAY)
    return history(backend_container, backend_callers)


def test_an_order_row_shows_its_subject_due_date_and_handling(
        backend_container: Container, world: dict[str, UUID]) -> None:
    rows = orders(backend_container)
    assert list(rows) == ["O4", "O3", "O2", "O1"]  # newest first
    o2 = rows["O2"]
    assert (o2["subject_kind"], o2["subject_id"]) == ("meeting_item", f"{world['M1']}:1")
    assert (o2["issued_on"], o2["due"], o2["due_provisional"], o2["overdue"]) == (
        "2025-09-30", "2025-10-21", False, True)
    assert (o2["status"], o2["response_count"], o2["done"]) == ("responded", 1, False)
    assert (o2["urge_count"], o2["last_urged_on"], o2["notice_count"]) == (2, "2025-10-23", 1)
    o1, o3 = rows["O1"], rows["O3"]
    assert (o1["status"], o1["closed_on"], o1["overdue"], o1["done"]) == (
        "closed", "2025-10-10", False, True)
    assert (o3["status"], o3["return_count"], o3["done"], o3["due"]) == (
        "returned", 1, False, "2025-10-31")
    assert rows["O4"]["due"] == "2025-11-05"  # 10 working days from Wed 22 Oct
    assert o1["version"] == 3 and o2["version"] == 5


def test_the_order_ledger_filters(backend_container: Container,
                                  world: dict[str, UUID]) -> None:
    c = backend_container
    assert set(orders(c, unit="liujiang")) == {"O3", "O4"}
    assert set(orders(c, unit=("liudong", "liujiang"))) == {"O1", "O2", "O3", "O4"}
    assert set(orders(c, status=("issued", "responded", "returned"))) == {"O2", "O3", "O4"}
    assert set(orders(c, subject_kind="project")) == {"O1"}
    assert set(orders(c, subject_id=f"{world['M1']}:1")) == {"O2"}
    assert set(orders(c, subject_id=str(world["C"]), status="issued")) == {"O4"}
    assert set(orders(c, overdue=True)) == {"O2"}
    assert set(orders(c, overdue=False)) == {"O1", "O3", "O4"}
    assert set(orders(c, issued_from=d(10, 1), issued_to=d(10, 21))) == {"O3"}
    assert set(orders(c, q="o4")) == {"O4"}
    assert set(orders(c, scope_unit="liudong")) == {"O1", "O2"}
    assert orders(c, scope_unit="liudong", unit="liujiang") == {}


def test_a_meeting_row_counts_its_open_items_and_their_earliest_due_date(
        backend_container: Container, world: dict[str, UUID]) -> None:
    rows = meetings(backend_container)
    assert list(rows) == ["M2", "M1"]
    m1 = rows["M1"]
    assert (m1["held_on"], m1["chair"], m1["units"], m1["projects"]) == (
        "2025-09-20", "覃市长", ["liudong", "zrzyj"], [str(world["P"])])
    # Item 1 open (due 10-15), item 2 done, item 3 reopened (due 11-14).
    assert (m1["item_count"], m1["open_items"], m1["next_due"], m1["overdue"]) == (
        3, 2, "2025-10-15", True)
    assert (rows["M2"]["item_count"], rows["M2"]["next_due"], rows["M2"]["overdue"]) == (
        0, None, False)
    assert m1["version"] == 7


def test_the_meeting_ledger_filters(backend_container: Container, world: dict[str, UUID],
                                    backend_callers: dict[str, Caller]) -> None:
    c = backend_container
    assert set(meetings(c, unit="gdj")) == {"M1"}  # an item's unit, not attending
    assert set(meetings(c, unit=("liujiang", "zrzyj"))) == {"M1", "M2"}
    assert set(meetings(c, project=str(world["P"]))) == {"M1"}
    assert set(meetings(c, held_from=d(10, 1))) == {"M2"}
    assert set(meetings(c, held_to=d(9, 30))) == {"M1"}
    assert set(meetings(c, overdue=True)) == {"M1"}
    assert set(meetings(c, overdue=False)) == {"M2"}
    assert set(meetings(c, q="m2")) == {"M2"}
    assert set(meetings(c, scope_unit="liujiang")) == {"M2"}
    c.meetings.mark_done(backend_callers["unit"], world["M1"], 1, "已完成", TODAY)
    row = meetings(c)["M1"]
    assert (row["open_items"], row["next_due"], row["overdue"]) == (1, "2025-11-14", False)


def test_open_orders_and_action_items_are_items_of_their_units_in_the_supervision_view(
        backend_container: Container, world: dict[str, UUID],
        monkeypatch: pytest.MonkeyPatch) -> None:
    c, m1 = backend_container, str(world["M1"])
    items = view(c)
    # Overdue or nearly due on 24 Oct: O2 and M1's item 1 (O1 is closed; O3, O4 and the
    # reopened item 3 are due in more than two working days; item 2 is done).
    assert {key for key in items if key[0] in ("order", "meeting_item")} == {
        ("order", str(world["O2"]), None), ("meeting_item", m1, 1)}
    # O2 was due Tue 21 Oct: three working days ago.
    o2 = items[("order", str(world["O2"]), None)]
    assert brief(o2) == ("liudong", "overdue", "2025-10-21", 3)
    assert (o2["kind_label"], o2["title"], o2["summary"]) == (
        "督办单办理", "督办单 · 会议议定事项", "O2")
    item = items[("meeting_item", m1, 1)]
    assert brief(item) == ("liudong", "overdue", "2025-10-15", 7)
    assert (item["kind_label"], item["title"]) == ("会议议定事项", "协调推进会 · M1")
    assert KIND_LABELS["order"] == "督办单办理"
    set_today(monkeypatch, c, d(10, 29))  # O3, returned, is due Fri 31 Oct
    liujiang = view(c, scope_unit="liujiang")
    assert list(liujiang) == [("order", str(world["O3"]), None)]
    assert brief(liujiang[("order", str(world["O3"]), None)]) == (
        "liujiang", "nearly_due", "2025-10-31", 2)


def test_an_order_due_across_national_day_turns_nearly_due_then_overdue(
        backend_container: Container, backend_callers: dict[str, Caller],
        monkeypatch: pytest.MonkeyPatch) -> None:
    c, supervisor = backend_container, backend_callers["supervisor"]
    set_today(monkeypatch, c, d(9, 30))
    oid = agenda.order(c, supervisor)  # due Tue 21 Oct
    key = ("order", str(oid), None)
    assert key not in view(c)
    set_today(monkeypatch, c, d(10, 17))  # Fri: 20 and 21 Oct left
    assert brief(view(c)[key]) == ("liudong", "nearly_due", "2025-10-21", 2)
    set_today(monkeypatch, c, d(10, 22))
    assert brief(view(c)[key]) == ("liudong", "overdue", "2025-10-21", 1)
    c.orders.respond(backend_callers["unit"], oid, "已办结", True, d(10, 22))
    assert key in view(c)  # open until the office closes it
    c.orders.close(supervisor, oid, d(10, 22))
    assert key not in view(c)


def test_a_done_action_item_leaves_the_view_and_a_reopened_one_returns(
        backend_container: Container, backend_callers: dict[str, Caller],
        monkeypatch: pytest.MonkeyPatch) -> None:
    c = backend_container
    set_today(monkeypatch, c, d(10, 24))
    mid = agenda.meeting(c, backend_callers["bureau"], items=(("liudong", d(10, 23)),))
    key = ("meeting_item", str(mid), 1)
    assert brief(view(c)[key]) == ("liudong", "overdue", "2025-10-23", 1)
    c.meetings.mark_done(backend_callers["unit"], mid, 1, "已完成", d(10, 24))
    assert key not in view(c)
    c.meetings.reopen_item(backend_callers["supervisor"], mid, 1, "未完成", d(10, 28), d(10, 24))
    item = view(c)[key]
    assert brief(item) == ("liudong", "nearly_due", "2025-10-28", 2)
    assert item["started_on"] == "2025-10-24"


def _tables(c: Container) -> list[dict[str, Any]]:
    with c.views.read() as tx:
        return [row for table in (order_ledger.TABLE, meeting_ledger.TABLE,
                                  meeting_ledger.ITEMS)
                for row in tx.all(f"SELECT * FROM {table} ORDER BY id")]


def test_rebuilt_ledgers_and_view_equal_incrementally_built_ones(
        backend_container: Container, world: dict[str, UUID]) -> None:
    c = backend_container
    c.follower.batch_size = 3
    c.follower.catch_up()
    incremental, items = _tables(c), view(c)
    c.follower.batch_size = 1000
    for name in (OrderLedger.name, MeetingLedger.name, SupervisionItems.name):
        c.follower.rebuild(name)
    assert _tables(c) == incremental
    assert view(c) == items
