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
from typer.testing import CliRunner

from api.bootstrap import Container
from api.cli import app
from application.audit_verify import ChainVerifier
from application.ledger import Ledger, build_ledger
from application.persistence import Database
from application.settings import Settings
from tests.conftest import on_every_backend, postgres_settings
from tests.integration.audit_store import Note, RawStore, event_store


def _refused(raw: RawStore, sql: str) -> str:
    with pytest.raises((psycopg.Error, sqlite3.Error)) as refused:
        raw.execute(sql)
    return str(refused.value)


STATEMENTS = ("UPDATE {t} SET topic = 'x'", "DELETE FROM {t}",
              "DELETE FROM {t} WHERE topic IS NOT NULL", "TRUNCATE {t}")


@on_every_backend
def test_events_and_their_chain_refuse_change_through_plain_sql(settings: Settings) -> None:
    with event_store(settings) as raw:
        raw.fill()
        head = raw.ledger.head()
        tried = {(table, sql): _refused(raw, sql.format(t=table))
                 for table in raw.chain.names[:2] for sql in STATEMENTS
                 if raw.postgres or not sql.startswith("TRUNCATE")}  # SQLite has none
        report = ChainVerifier(raw.ledger.recorder).verify()
        after = raw.ledger.head()

    assert len(tried) == (8 if raw.postgres else 6)
    assert all("append-only" in message and table in message
               for (table, _), message in tried.items()), tried
    assert after == head == report.entries and report.intact


@on_every_backend
def test_snapshots_and_read_models_stay_writable(container: Container,
                                                 tokens: dict[str, str]) -> None:
    with event_store(container.settings) as raw:
        snapshots = raw.chain.names[0].replace("events", "snapshots")
        raw.execute(f"DELETE FROM {snapshots}")

    done = container.follower.rebuild("project_ledger")

    assert done == container.ledger.head() >= len(tokens)
    with container.views.transaction() as tx:
        assert tx.execute("UPDATE projection_tracking SET position = position") > 0


# --- a role that may only read and append (PostgreSQL) -------------------------------------


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
    with event_store(postgres_settings(url, append_only_role=True)) as raw:
        _write_concurrently(raw.ledger, writers=4, each=5)
        report = ChainVerifier(raw.ledger.recorder).verify()
        refusals = [_refused(raw, sql.format(t=table)) for table in raw.chain.names[:2]
                    for sql in ("DELETE FROM {t}", "TRUNCATE {t}", "UPDATE {t} SET topic = 'x'",
                                "ALTER TABLE {t} DISABLE TRIGGER append_only")]

    assert report.intact and report.entries == 20
    assert all("permission denied" in r or "must be owner" in r for r in refusals), refusals


def _write_concurrently(ledger: Ledger, writers: int, each: int) -> None:
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            start.wait()
            for i in range(each):
                ledger.save(Note(f"note {i}"))
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
    settings = postgres_settings(postgres_url, postgres_pool_size=1)
    writers = [build_ledger(settings, Database.parse(postgres_url)) for _ in range(16)]
    start = threading.Barrier(len(writers))
    errors: list[BaseException] = []

    def write(ledger: Ledger) -> None:
        try:
            start.wait()
            for i in range(6):
                ledger.save(*(Note(f"batch {i}.{j}") for j in range(1 + i % 3)))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(ledger,)) for ledger in writers]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        report = ChainVerifier(writers[0].recorder).verify()
        head = writers[0].head()
    finally:
        for ledger in writers:
            ledger.close()

    assert not errors
    assert report.intact, report.finding
    assert report.entries == 16 * (1 + 2 + 3 + 1 + 2 + 3)
    assert report.head is not None and report.head.entry.position == head


def test_settings_name_the_append_only_role_for_postgres() -> None:
    env = Database.parse("postgresql://app@db/ledger").eventsourcing_env(
        Settings(database_url="postgresql://app@db/ledger", append_only_role=True))

    assert env["CREATE_TABLE"] == "n"
    assert env["APPLICATION_RECORDER_TOPIC"].endswith(":AppendOnlyPostgresRecorder")
