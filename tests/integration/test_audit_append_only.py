"""Append-only storage: the database itself refuses UPDATE, DELETE and TRUNCATE of the events
and of their chain, from any client; snapshots and read models stay writable. On PostgreSQL
the service may also run as a role granted only SELECT and INSERT (`audit grant`)."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from eventsourcing.domain import Aggregate, event
from typer.testing import CliRunner

from api.bootstrap import Container, build
from api.cli import app
from application.audit_verify import ChainVerifier
from application.persistence import Database
from application.settings import Settings
from tests.conftest import on_every_backend, postgres_settings
from tests.integration.audit_store import RawStore


@pytest.fixture
def raw(container: Container, tokens: dict[str, str]) -> RawStore:
    return RawStore(container)


def _refused(raw: RawStore, sql: str) -> str:
    with pytest.raises((psycopg.Error, sqlite3.Error)) as refused:
        raw.execute(sql)
    return str(refused.value)


@on_every_backend
@pytest.mark.parametrize("table", ["events", "chain_table"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET topic = 'x'", "DELETE FROM {t}",
                                       "DELETE FROM {t} WHERE topic IS NOT NULL",
                                       "TRUNCATE {t}"])
def test_events_and_their_chain_refuse_change_through_plain_sql(raw: RawStore, table: str,
                                                                statement: str) -> None:
    if statement.startswith("TRUNCATE") and not raw.postgres:
        pytest.skip("SQLite has no TRUNCATE (a DELETE without WHERE runs the triggers)")
    name = getattr(raw, table)
    head = raw.container.ledger.head()
    message = _refused(raw, statement.format(t=name))

    assert "append-only" in message and name in message
    assert raw.container.ledger.head() == head
    assert ChainVerifier(raw.container.ledger.recorder).verify().intact


@on_every_backend
def test_snapshots_and_read_models_stay_writable(raw: RawStore) -> None:
    snapshots = raw.chain.names[0].replace("events", "snapshots")
    raw.execute(f"DELETE FROM {snapshots}")

    done = raw.container.follower.rebuild("project_ledger")

    assert done == raw.container.ledger.head()
    with raw.container.views.transaction() as tx:
        tx.execute("UPDATE projection_tracking SET position = position")


# --- a role that may only read and append (PostgreSQL) -------------------------------------


class Note(Aggregate):
    """A stand-in item: concurrent writers need events, not a domain."""

    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text


@pytest.fixture
def app_role(postgres_url: str) -> Iterator[str]:
    """A login role of its own, dropped afterwards (after its schema is gone)."""
    role = f"ledger_app_{uuid.uuid4().hex[:8]}"
    conninfo = Database.parse(postgres_url).conninfo()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        yield role
    finally:
        schema = Database.parse(postgres_url).schema
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')


@pytest.mark.postgres
def test_a_role_granted_only_reading_and_appending_writes_a_chain_and_nothing_else(
        postgres_url: str, app_role: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", postgres_url)
    granted = CliRunner().invoke(app, ["audit", "grant", app_role])
    assert granted.exit_code == 0, granted.output
    url = postgres_url.replace("postgres@", f"{app_role}@", 1)
    container = build(postgres_settings(url, append_only_role=True))
    try:
        _write_concurrently(container, writers=4, each=5)
        raw = RawStore(container)
        report = ChainVerifier(container.ledger.recorder).verify()
        refusals = [_refused(raw, sql.format(t=table)) for table in raw.chain.names[:2]
                    for sql in ("DELETE FROM {t}", "TRUNCATE {t}", "UPDATE {t} SET topic = 'x'",
                                "ALTER TABLE {t} DISABLE TRIGGER append_only")]
    finally:
        container.close()

    assert report.intact and report.entries == 20
    assert all("permission denied" in r or "must be owner" in r for r in refusals), refusals


def _write_concurrently(container: Container, writers: int, each: int) -> None:
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for i in range(each):
                container.ledger.save(Note(f"note {i}"))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


@pytest.mark.postgres
def test_sixteen_concurrent_writers_never_fork_the_chain(postgres_url: str) -> None:
    writers = [build(postgres_settings(postgres_url, postgres_pool_size=1))
               for _ in range(16)]
    start = threading.Barrier(len(writers))
    errors: list[BaseException] = []

    def write(c: Container) -> None:
        try:
            start.wait()
            for i in range(6):
                c.ledger.save(*(Note(f"batch {i}.{j}") for j in range(1 + i % 3)))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(c,)) for c in writers]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        report = ChainVerifier(writers[0].ledger.recorder).verify()
        head = writers[0].ledger.head()
    finally:
        for c in writers:
            c.close()

    assert not errors
    assert report.intact, report.finding
    assert report.entries == 16 * (1 + 2 + 3 + 1 + 2 + 3)
    assert report.head is not None and report.head.entry.position == head


def test_settings_name_the_append_only_role_for_postgres() -> None:
    env = Database.parse("postgresql://app@db/ledger").eventsourcing_env(
        Settings(database_url="postgresql://app@db/ledger", append_only_role=True))

    assert env["CREATE_TABLE"] == "n"
    assert env["APPLICATION_RECORDER_TOPIC"].endswith(":AppendOnlyPostgresRecorder")
