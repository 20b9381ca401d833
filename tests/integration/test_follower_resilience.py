"""A projection that cannot apply an event stops before it without stopping the others, and
resumes after a fix; the PostgreSQL worker survives losing its connection."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM
from domain.project import ProjectDetails
from projections.complaint_ledger import ComplaintLedger
from projections.project_ledger import ProjectLedger, ProjectLedgerReader


def _details(name: str) -> ProjectDetails:
    return ProjectDetails(name=name, investor="某公司", industry="汽车",
                          total_investment=Decimal("100"), county="liudong",
                          responsible_unit="liudong")


def _register(c: Container, *names: str) -> list[int]:
    bureau = c.accounts.authenticate(c.accounts.add(SYSTEM, "投促局", "bureau").token)
    return [c.projects.register(bureau, _details(n), date(2025, 1, 2)).position for n in names]


def test_a_projection_that_cannot_apply_an_event_stops_before_it_and_the_others_go_on(
        backend_container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    c = backend_container
    _, bad, _ = _register(c, "甲", "乙", "丙")
    original = ProjectLedger.apply_batch

    def failing(self: ProjectLedger, tx: Any, events: Any) -> None:
        if any(position == bad for position, _ in events):
            raise ValueError("cannot apply this one")
        original(self, tx, events)

    monkeypatch.setattr(ProjectLedger, "apply_batch", failing)
    c.follower.catch_up()

    failure = c.follower.failures()[ProjectLedger.name]
    assert (failure.position, failure.error) == (bad, "ValueError: cannot apply this one")
    assert failure.event.endswith("Project.Registered")
    assert c.follower.position(ProjectLedger.name) < bad
    assert [r["name"] for r in ProjectLedgerReader(c.views).page({}).items] == ["甲"]
    assert c.follower.position(ComplaintLedger.name) == c.ledger.head()

    monkeypatch.setattr(ProjectLedger, "apply_batch", original)  # the fix is deployed
    c.follower.catch_up()

    assert c.follower.failures() == {}
    assert c.follower.position(ProjectLedger.name) == c.ledger.head()
    names = [r["name"] for r in ProjectLedgerReader(c.views).page({}).items]
    assert names == ["丙", "乙", "甲"]  # every event applied once: none lost, none repeated


def test_a_stopped_projection_is_shown_by_projections_status(
        backend_container: Container, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from api import cli

    c = backend_container
    (bad,) = _register(c, "甲")

    def failing(self: ProjectLedger, tx: Any, events: Any) -> None:
        raise ValueError("no such column")

    monkeypatch.setattr(ProjectLedger, "apply_batch", failing)
    c.follower.catch_up()
    monkeypatch.setattr(cli, "_container", lambda: build(c.settings))

    shown = CliRunner().invoke(cli.app, ["projections", "status"], env={"COLUMNS": "200"})

    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.output.splitlines() if "stopped before event" in x
                and x.startswith(ProjectLedger.name))
    assert f"before event {bad} " in line and line.endswith("ValueError: no such column")


@pytest.mark.postgres
def test_the_worker_reconnects_after_its_connection_is_terminated(postgres_url: str) -> None:
    import psycopg

    from application.persistence import Database
    from projections.worker import LOCK_KEY, LOCK_NAMESPACE, run_worker
    from tests.conftest import postgres_settings

    c = build(postgres_settings(postgres_url, follow_in_process=False, poll_interval=0.2))
    conninfo = Database.parse(postgres_url).conninfo()
    # Only this test's locks: other tests run beside it in other schemas of the same server.
    own_locks = ("locktype = 'advisory' AND database = (SELECT oid FROM pg_database "
                 "WHERE datname = current_database()) AND classid = %s AND objid IN "
                 f"(SELECT ({LOCK_KEY.replace('%s', 'n')})::oid FROM unnest(%s::text[]) n)")
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, kwargs={
        "follower": c.follower, "conninfo": conninfo, "poll_interval": 0.2, "stop": stop,
        "channel": c.ledger.recorder.channel_name, "max_backoff": 0.5})  # type: ignore[attr-defined]
    try:
        worker.start()
        (first,) = _register(c, "甲")
        assert c.follower.wait_for(ProjectLedger.name, first, timeout=10)
        with psycopg.connect(conninfo, autocommit=True) as admin:
            pids = [r[0] for r in admin.execute(
                f"SELECT DISTINCT pid FROM pg_locks WHERE {own_locks}",
                (LOCK_NAMESPACE, list(c.follower.projections)))]
            assert pids
            for pid in pids:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

        (second,) = _register(c, "乙")

        assert c.follower.wait_for(ProjectLedger.name, second, timeout=15)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the locks are taken again
            with psycopg.connect(conninfo, autocommit=True) as other:
                held = other.execute(
                    f"SELECT count(*) FROM pg_locks WHERE {own_locks} AND granted",
                    (LOCK_NAMESPACE, list(c.follower.projections))).fetchone()
            if held and held[0] == len(c.follower.projections):
                break
            time.sleep(0.1)
        else:
            pytest.fail("the worker did not take its advisory locks again")
        assert worker.is_alive()
    finally:
        stop.set()
        c.follower.wake()
        worker.join(timeout=20)
        c.close()
    assert not worker.is_alive()


def test_text_stored_before_control_characters_were_refused_cannot_stop_a_projection(
        backend_container: Container) -> None:
    """A NUL in an event stored before the boundary refused it once stopped every
    PostgreSQL projection for good; the read models now take it as U+FFFD."""
    c = backend_container
    bureau = c.accounts.authenticate(c.accounts.add(SYSTEM, "投促局", "bureau").token)
    project = c.projects.register(bureau, _details("甲"), date(2025, 1, 2)).state
    raw = c.store.load(type(c.projects).aggregate, project.id)
    # The event method itself, as an older version let it through without the text check.
    raw._revised(changes={"name": "旧\x00数据"}, reason=None, on=date(2025, 1, 3),
                 audit=bureau.audit())
    c.store.save(raw)

    c.follower.catch_up()

    assert c.follower.failures() == {}
    (row,) = ProjectLedgerReader(c.views).page({}).items
    kept = "旧\ufffd数据" if c.views.dialect == "postgres" else "旧\x00数据"  # PG text: no NUL
    assert row["name"] == kept
