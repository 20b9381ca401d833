"""The project ledger projection: batched, exactly-once, rebuildable, on both backends."""

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
from projections.project_ledger import TABLE, LedgerFilter, ProjectLedger, query_ledger


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
    c.projects.designate_key(bureau, ids[5], 2025, date(2025, 1, 5))
    c.projects.designate_key(bureau, ids[5], 2026, date(2025, 1, 5))
    c.projects.drop_key(bureau, ids[5], 2025, "调整", date(2025, 6, 1))
    c.projects.revise(bureau, ids[5], {"name": "改名项目", "total_investment": Decimal("9.9")},
                      "更正", date(2025, 6, 2))
    c.projects.reassign(bureau, ids[5], "tcj", "移交", date(2025, 6, 3))
    c.projects.comment(bureau, ids[5], "留言", date(2025, 6, 4))


def test_incremental_ledger_reflects_every_kind_of_change(container: Container,
                                                         callers: dict[str, Caller]) -> None:
    _history(container, callers)
    container.follower.catch_up()
    rows = {r["name"]: r for r in _rows(container)}
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
        container: Container, callers: dict[str, Caller]) -> None:
    _history(container, callers)
    # Follow in small batches, as a live follower would see the log arrive.
    container.follower.batch_size = 4
    container.follower.catch_up()
    incremental = _rows(container)
    container.follower.batch_size = 1000
    read = container.follower.rebuild(ProjectLedger.name)
    assert read == container.ledger.head()
    assert _rows(container) == incremental
    assert container.follower.position(ProjectLedger.name) == container.ledger.head()


def test_demo_ledger_rebuilds_identically(container: Container) -> None:
    load_demo(container)
    container.follower.catch_up()
    before = _rows(container)
    assert len(before) == 12
    container.follower.rebuild(ProjectLedger.name)
    assert _rows(container) == before


def test_a_batch_applied_by_a_stale_follower_is_rolled_back(container: Container,
                                                            callers: dict[str, Caller]) -> None:
    pid = container.projects.register(callers["bureau"], _details("A"), date(2025, 1, 2)).state.id
    container.projects.raise_problem(callers["unit"], pid, "用地", date(2025, 1, 3))
    container.follower.catch_up()
    stale = Follower(container.ledger, container.views, [ProjectLedger()])
    stale.position = lambda name: 0  # type: ignore[method-assign]  # read before the other commit
    with pytest.raises(TrackingConflict):
        stale.step(ProjectLedger.name)
    (row,) = _rows(container)
    assert row["problems_open"] == 1  # the problem is counted once, not twice


def test_tracking_never_moves_backwards_and_catch_up_is_idempotent(
        container: Container, callers: dict[str, Caller]) -> None:
    container.projects.register(callers["bureau"], _details("A"), date(2025, 1, 2))
    assert container.follower.catch_up() > 0
    position = container.follower.position(ProjectLedger.name)
    rows = _rows(container)
    assert container.follower.catch_up() == 0
    assert container.follower.position(ProjectLedger.name) == position
    assert _rows(container) == rows


def test_in_process_follower_catches_up_after_a_save(container: Container,
                                                     callers: dict[str, Caller]) -> None:
    container.start()
    result = container.projects.register(callers["bureau"], _details("B"), date(2025, 1, 2))
    assert container.follower.wait_for(ProjectLedger.name, result.position, timeout=10)
    page = query_ledger(container.views, LedgerFilter(q="B"))
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
        assert query_ledger(second.views, LedgerFilter()).count == 12
    finally:
        second.close()


@pytest.mark.postgres
def test_postgres_worker_follows_by_notify_and_holds_its_lock(postgres_url: str) -> None:
    import psycopg

    from projections.store import _postgres_conninfo
    from projections.worker import LOCK_NAMESPACE, run_worker
    from tests.conftest import postgres_settings

    settings = postgres_settings(postgres_url, follow_in_process=False, poll_interval=30)
    c = build(settings)
    stop = threading.Event()
    conninfo, _ = _postgres_conninfo(postgres_url)
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
            got = other.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                                (LOCK_NAMESPACE, ProjectLedger.name)).fetchone()
        assert got is not None and got[0] is False
    finally:
        stop.set()
        c.follower.wake()
        worker.join(timeout=40)
        c.close()
    assert not worker.is_alive()


def test_a_projection_whose_version_changed_is_rebuilt_at_start_up(
        container: Container, callers: dict[str, Caller]) -> None:
    container.projects.register(callers["bureau"], _details("A"), date(2025, 1, 2))
    container.follower.catch_up()
    before = _rows(container)
    with container.views.transaction() as tx:  # an old row the new version would not write
        tx.execute(f"UPDATE {TABLE} SET name = 'stale'")

    class NextLedger(ProjectLedger):
        version = ProjectLedger.version + 1

    upgraded = Follower(container.ledger, container.views, [NextLedger()])
    assert upgraded.position(ProjectLedger.name) == 0
    upgraded.catch_up()
    assert _rows(container) == before
    same = Follower(container.ledger, container.views, [NextLedger()])
    assert same.position(ProjectLedger.name) == container.ledger.head()
