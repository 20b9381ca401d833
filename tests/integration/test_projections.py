"""The project ledger projection: batched, exactly-once, rebuildable, read through its
reader with declared filters; on both backends."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from api.bootstrap import Container, build
from api.demo import load_demo
from application.context import Caller
from application.settings import Settings
from domain.project import ProjectDetails
from projections.follower import Follower, TrackingConflict
from projections.paging import encode_cursor
from projections.project_ledger import TABLE, ProjectLedger, ProjectLedgerReader


def _rows(c: Container) -> list[dict[str, Any]]:
    with c.views.read() as tx:
        return tx.all(f"SELECT * FROM {TABLE} ORDER BY id")


def _details(name: str, amount: str = "100", county: str = "liudong",
             unit: str = "liudong") -> ProjectDetails:
    return ProjectDetails(name=name, investor="投资方", industry="汽车",
                          total_investment=Decimal(amount), county=county,
                          responsible_unit=unit)


def _history(c: Container, callers: dict[str, Caller]) -> None:
    """A mixed history touching every kind of ledger change."""
    bureau, unit, leader = callers["bureau"], callers["unit"], callers["leader"]
    ids = [c.projects.register(bureau, _details(f"项目{i}", f"{i}.5"), date(2025, 1, 2)).state.id
           for i in range(6)]
    c.projects.sign(bureau, ids[0], date(2025, 2, 1), Decimal("80"))
    c.projects.start_construction(bureau, ids[0], date(2025, 3, 1))
    c.projects.start_production(bureau, ids[0], date(2025, 9, 1))
    c.projects.sign(bureau, ids[1], date(2025, 2, 3), Decimal("12.3456"))
    c.projects.terminate(bureau, ids[2], "投资方撤回", date(2025, 4, 1))
    c.projects.report_progress(unit, ids[1], "2025-Q2", "推进中", Decimal("3.5"), date(2025, 6, 30))
    c.projects.raise_problem(unit, ids[3], "用地", date(2025, 5, 1))
    c.projects.raise_problem(unit, ids[3], "用电", date(2025, 5, 2))
    c.projects.resolve_problem(unit, ids[3], 1, "已协调", date(2025, 5, 9))
    c.projects.instruct(leader, ids[4], "加快推进", date(2025, 5, 3))
    c.projects.instruct(leader, ids[4], "月底报送", date(2025, 5, 4))
    c.projects.answer_instruction(unit, ids[4], 1, "已落实", date(2025, 5, 6))
    c.projects.answer_instruction(unit, ids[4], 1, "补充落实情况", date(2025, 5, 7))
    c.projects.designate_key(bureau, ids[5], 2025, "市重点", date(2025, 1, 5))
    c.projects.designate_key(bureau, ids[5], 2026, "市重点", date(2025, 1, 5))
    c.projects.drop_key(bureau, ids[5], 2025, "调整", date(2025, 6, 1))
    c.projects.revise(bureau, ids[5], {"name": "改名项目", "total_investment": Decimal("9.9")},
                      "更正", date(2025, 6, 2))
    c.projects.reassign(bureau, ids[5], "tcj", "移交", date(2025, 6, 3))
    c.projects.comment(bureau, ids[5], "留言", date(2025, 6, 4))


def test_incremental_ledger_reflects_every_kind_of_change(
        backend_container: Container, backend_callers: dict[str, Caller]) -> None:
    _history(backend_container, backend_callers)
    backend_container.follower.catch_up()
    rows = {r["name"]: r for r in _rows(backend_container)}
    assert rows["项目0"]["stage"] == "in_production"
    assert rows["项目0"]["production_date"] == "2025-09-01"
    assert rows["项目1"]["contract_amount"] == 123456
    assert rows["项目1"]["funds_in_place"] == 35000
    assert rows["项目2"]["stage"] == "terminated"
    assert (rows["项目3"]["problems_open"], rows["项目3"]["problems_total"]) == (1, 2)
    assert (rows["项目4"]["instructions_open"], rows["项目4"]["instructions_total"]) == (1, 2)
    revised = rows["改名项目"]
    assert revised["key_years"] == ",2026,"
    assert revised["total_investment"] == 99000
    assert revised["responsible_unit"] == "tcj"
    assert revised["version"] == 7


def test_rebuilt_ledger_equals_incrementally_built_one_row_for_row(
        backend_container: Container, backend_callers: dict[str, Caller]) -> None:
    _history(backend_container, backend_callers)
    # Follow in small batches, as a live follower would see the log arrive.
    backend_container.follower.batch_size = 4
    backend_container.follower.catch_up()
    incremental = _rows(backend_container)
    backend_container.follower.batch_size = 1000
    read = backend_container.follower.rebuild(ProjectLedger.name)
    assert read == backend_container.ledger.head()
    assert _rows(backend_container) == incremental
    head = backend_container.ledger.head()
    assert backend_container.follower.position(ProjectLedger.name) == head


def test_demo_ledger_rebuilds_identically(backend_container: Container) -> None:
    load_demo(backend_container)
    backend_container.follower.catch_up()
    before = _rows(backend_container)
    assert len(before) == 12
    backend_container.follower.rebuild(ProjectLedger.name)
    assert _rows(backend_container) == before


def test_a_batch_applied_by_a_stale_follower_is_rolled_back(
        backend_container: Container, backend_callers: dict[str, Caller]) -> None:
    projects = backend_container.projects
    pid = projects.register(backend_callers["bureau"], _details("A"), date(2025, 1, 2)).state.id
    projects.raise_problem(backend_callers["unit"], pid, "用地", date(2025, 1, 3))
    backend_container.follower.catch_up()
    stale = Follower(backend_container.ledger, backend_container.views, [ProjectLedger()])
    stale.position = lambda name: 0  # type: ignore[method-assign]  # read before the other commit
    with pytest.raises(TrackingConflict):
        stale.step(ProjectLedger.name)
    (row,) = _rows(backend_container)
    assert row["problems_open"] == 1  # the problem is counted once, not twice


def test_tracking_never_moves_backwards_and_catch_up_is_idempotent(
        backend_container: Container, backend_callers: dict[str, Caller]) -> None:
    backend_container.projects.register(backend_callers["bureau"], _details("A"),
                                        date(2025, 1, 2))
    assert backend_container.follower.catch_up() > 0
    position = backend_container.follower.position(ProjectLedger.name)
    rows = _rows(backend_container)
    assert backend_container.follower.catch_up() == 0
    assert backend_container.follower.position(ProjectLedger.name) == position
    assert _rows(backend_container) == rows


def test_in_process_follower_catches_up_after_a_save(
        backend_container: Container, backend_callers: dict[str, Caller]) -> None:
    backend_container.start()
    result = backend_container.projects.register(backend_callers["bureau"], _details("B"),
                                                 date(2025, 1, 2))
    assert backend_container.follower.wait_for(ProjectLedger.name, result.position, timeout=10)
    page = ProjectLedgerReader(backend_container.views).page({"q": "B"})
    assert [item["name"] for item in page.items] == ["B"]


def test_ledger_survives_restart_without_replaying(tmp_path: Any) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/l.db")
    first = build(settings)
    try:
        load_demo(first)
        first.follower.catch_up()
        position = first.follower.position(ProjectLedger.name)
    finally:
        first.close()
    second = build(settings)
    try:
        assert second.follower.position(ProjectLedger.name) == position
        assert second.follower.catch_up() == 0
        assert ProjectLedgerReader(second.views).page({}).count == 12
    finally:
        second.close()


@pytest.mark.postgres
def test_postgres_worker_follows_by_notify_and_holds_its_lock(postgres_url: str) -> None:
    import psycopg

    from application.persistence import Database
    from projections.worker import LOCK_KEY, LOCK_NAMESPACE, run_worker
    from tests.conftest import postgres_settings

    settings = postgres_settings(postgres_url, follow_in_process=False, poll_interval=30)
    c = build(settings)
    stop = threading.Event()
    conninfo = Database.parse(postgres_url).conninfo()
    worker = threading.Thread(target=run_worker, args=(
        c.follower, conninfo, c.ledger.recorder.channel_name, 30.0, stop))  # type: ignore[attr-defined]
    try:
        from application.context import SYSTEM

        new = c.accounts.add(SYSTEM, "投促局", "bureau")
        bureau = c.accounts.authenticate(new.token)
        worker.start()
        result = c.projects.register(bureau, _details("NOTIFY"), date(2025, 1, 2))
        # The poll interval is 30 s, so catching up within 10 s needs the NOTIFY.
        assert c.follower.wait_for(ProjectLedger.name, result.position, timeout=10)
        with psycopg.connect(conninfo, autocommit=True) as other:
            got = other.execute(f"SELECT pg_try_advisory_lock(%s, {LOCK_KEY})",
                                (LOCK_NAMESPACE, ProjectLedger.name)).fetchone()
        assert got is not None and got[0] is False
    finally:
        stop.set()
        c.follower.wake()
        worker.join(timeout=40)
        c.close()
    assert not worker.is_alive()


def test_a_projection_whose_version_changed_is_rebuilt_at_start_up(
        backend_container: Container, backend_callers: dict[str, Caller]) -> None:
    backend_container.projects.register(backend_callers["bureau"], _details("A"),
                                        date(2025, 1, 2))
    backend_container.follower.catch_up()
    before = _rows(backend_container)
    with backend_container.views.transaction() as tx:  # an old row the new version won't write
        tx.execute(f"UPDATE {TABLE} SET name = 'stale'")

    class NextLedger(ProjectLedger):
        version = ProjectLedger.version + 1

    upgraded = Follower(backend_container.ledger, backend_container.views, [NextLedger()])
    assert upgraded.position(ProjectLedger.name) == 0
    upgraded.catch_up()
    assert _rows(backend_container) == before
    same = Follower(backend_container.ledger, backend_container.views, [NextLedger()])
    assert same.position(ProjectLedger.name) == backend_container.ledger.head()


# --- reading ------------------------------------------------------------------------------


def _names(page: Any) -> set[str]:
    return {item["name"] for item in page.items}


PROJECT_CASES: list[tuple[dict[str, Any], set[str]]] = [
    ({}, {"项目0", "项目1", "项目2", "项目3", "项目4", "改名项目"}),
    ({"stage": "signed"}, {"项目1"}),
    ({"stage": ["signed", "in_production"]}, {"项目0", "项目1"}),  # any of
    ({"stage": ("terminated",), "county": "liudong"}, {"项目2"}),
    ({"unit": "tcj"}, {"改名项目"}),
    ({"unit": ["tcj", "nowhere"]}, {"改名项目"}),
    ({"key": True}, {"改名项目"}),
    ({"key": False}, {"项目0", "项目1", "项目2", "项目3", "项目4"}),
    ({"key_year": 2026}, {"改名项目"}),
    ({"key_year": 2025}, set()),  # dropped from the 2025 list
    ({"key_year": [2025, 2026]}, {"改名项目"}),
    ({"q": "改名"}, {"改名项目"}),
    ({"q": "投资方", "stage": "negotiating"}, {"项目3", "项目4", "改名项目"}),
    # A unit reads the projects it is responsible for and those of its county: all of
    # liudong's, the one moved to tcj included; tcj reads only the one it now handles.
    ({"scope_unit": "liudong"}, {"项目0", "项目1", "项目2", "项目3", "项目4", "改名项目"}),
    ({"scope_unit": "tcj"}, {"改名项目"}),
    ({"scope_unit": "liujiang"}, set()),
]


def test_ledger_filters_and_scope(backend_container: Container,
                                  backend_callers: dict[str, Caller]) -> None:
    _history(backend_container, backend_callers)
    backend_container.follower.catch_up()
    reader = ProjectLedgerReader(backend_container.views)
    for filters, expected in PROJECT_CASES:
        page = reader.page(filters)
        assert (_names(page), page.count) == (expected, len(expected)), filters


def test_ledger_rows_are_public_with_labels_and_totals_by_stage(
        backend_container: Container, backend_callers: dict[str, Caller]) -> None:
    _history(backend_container, backend_callers)
    backend_container.follower.catch_up()
    page = ProjectLedgerReader(backend_container.views).page({"county": "liudong"}, limit=2)
    assert (len(page.items), page.count) == (2, 6)
    newest = page.items[0]
    assert (newest["name"], newest["stage"], newest["stage_label"]) == (
        "改名项目", "negotiating", "在谈")
    assert newest["total_investment"] == Decimal("9.9000")
    assert newest["key_years"] == [2026]
    assert "instructions_pending" not in newest
    assert page.totals == {
        "negotiating": {"count": 3, "total_investment": Decimal("17.9000")},  # 3.5+4.5+9.9
        "signed": {"count": 1, "total_investment": Decimal("1.5000")},
        "terminated": {"count": 1, "total_investment": Decimal("2.5000")},
        "in_production": {"count": 1, "total_investment": Decimal("0.5000")}}
    assert ProjectLedgerReader(backend_container.views).projection == ProjectLedger.name


def test_an_unknown_filter_is_refused_by_name(backend_container: Container) -> None:
    reader = ProjectLedgerReader(backend_container.views)
    with pytest.raises(ValueError, match="'colour'"):
        reader.page({"colour": "red"})
    with pytest.raises(ValueError, match="not one this ledger issued"):
        reader.page({}, cursor=encode_cursor("c", 5))  # a complaint ledger's cursor
