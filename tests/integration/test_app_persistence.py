"""Persistence: restarts, snapshots and encryption at rest (on each backend), database URLs
and settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.cryptography import AESCipher
from pydantic import ValidationError

from api.bootstrap import Container, build
from application.context import SYSTEM, Caller
from application.persistence import Database
from application.projects import ProjectState
from application.settings import Settings
from domain.project import ProjectDetails
from domain.shared import Role
from tests.conftest import on_every_backend, sqlite_settings

LEADER = Caller(account_id="leader-1", name="覃市长", role=Role.leader, correlation_id="c-leader")
UNIT = Caller(account_id="unit-1", name="柳东新区", role=Role.unit, unit="liudong",
              correlation_id="c-unit")
MARKER = "PlaintextMarkerProject"


def details(name: str = "新能源电池项目") -> ProjectDetails:
    return ProjectDetails(name=name, investor="某集团", industry="新能源",
                          total_investment=Decimal("12000"), county="liujiang",
                          responsible_unit="liudong", planned_sign=date(2025, 3, 1))


def with_(settings: Settings, **changes: Any) -> Settings:
    return settings.model_copy(update=changes)


def stored_states(c: Container) -> list[bytes]:
    notifications = c.ledger.recorder.select_notifications(start=1, limit=1000)
    assert 0 < len(notifications) < 1000
    return [bytes(n.state) for n in notifications]


# --- restart ---------------------------------------------------------------------------------


def test_data_survive_a_restart_on_sqlite(sqlite_only: Settings) -> None:
    first = build(sqlite_only)
    try:
        new = first.accounts.add(SYSTEM, "投促局", "bureau")
        bureau = first.accounts.authenticate(new.token, "before")
        pid = first.projects.register(bureau, details(), date(2025, 1, 2)).state.id
        first.projects.sign(bureau, pid, date(2025, 2, 1), Decimal("100.25"))
        before_state = first.projects.get(bureau, pid)
        before_history = first.projects.history(bureau, pid)
        head = first.ledger.head()
    finally:
        first.close()

    second = build(sqlite_only)
    try:
        again = second.accounts.authenticate(new.token, "before")
        assert again == bureau
        assert second.ledger.head() == head
        assert second.projects.get(again, pid) == before_state
        assert second.projects.history(again, pid) == before_history
        assert before_state.contract_amount == Decimal("100.2500")
        assert before_state.planned_sign == date(2025, 3, 1)
        result = second.projects.start_construction(again, pid, date(2025, 3, 1))
        assert (result.state.version, result.position) == (3, head + 1)
    finally:
        second.close()


# --- snapshots -------------------------------------------------------------------------------


def twenty_three_events(c: Container) -> UUID:
    """A project with 23 events touching every kind of state (dates, decimals, lists)."""
    p = c.projects
    pid = p.register(SYSTEM, details(), date(2025, 1, 2)).state.id  # 1
    p.sign(SYSTEM, pid, date(2025, 1, 10), Decimal("9000.1234"))  # 2
    p.designate_key(SYSTEM, pid, 2025, "市重点", date(2025, 1, 11))  # 3
    p.designate_key(SYSTEM, pid, 2026, "市重点", date(2025, 1, 11))  # 4
    p.raise_problem(UNIT, pid, "用地指标", date(2025, 1, 12))  # 5 (snapshot)
    p.start_construction(SYSTEM, pid, date(2025, 2, 1))  # 6
    p.report_progress(UNIT, pid, "2025-02", "桩基施工", Decimal("300.5"), date(2025, 2, 28))  # 7
    p.instruct(LEADER, pid, "加快推进", date(2025, 3, 1))  # 8
    p.answer_instruction(UNIT, pid, 1, "已落实", date(2025, 3, 2))  # 9
    p.resolve_problem(UNIT, pid, 1, "已协调", date(2025, 3, 3))  # 10 (snapshot)
    p.revise(SYSTEM, pid, {"name": "新能源电池二期", "total_investment": Decimal("15000"),
                           "planned_production": date(2026, 1, 1), "park": None},
             "扩建", date(2025, 3, 4))  # 11
    p.raise_problem(UNIT, pid, "用电", date(2025, 3, 5))  # 12
    p.drop_key(SYSTEM, pid, 2025, "调整", date(2025, 3, 6))  # 13
    for i in range(14, 20):  # 14..19
        p.comment(UNIT, pid, f"留言{i}", date(2025, 3, 7))
    p.report_progress(UNIT, pid, "2025-Q1", "主体完工", Decimal("800"), date(2025, 3, 31))  # 20
    p.instruct(LEADER, pid, "月底报送", date(2025, 4, 1))  # 21
    p.reassign(SYSTEM, pid, "liujiang", "移交", date(2025, 4, 2))  # 22
    p.start_production(SYSTEM, pid, date(2025, 4, 3))  # 23
    return pid


@on_every_backend
def test_snapshots_are_taken_and_read_back_the_same_state(settings: Settings) -> None:
    with_snapshots = build(with_(settings, snapshot_interval=5))
    try:
        pid = twenty_three_events(with_snapshots)
        snapshotted = with_snapshots.projects.get(SYSTEM, pid)
        assert with_snapshots.ledger.snapshots is not None
        taken = list(with_snapshots.ledger.snapshots.get(pid))
        assert [s.originator_version for s in taken] == [5, 10, 15, 20]
        at_12 = with_snapshots.projects.get(SYSTEM, pid, as_of_version=12)
        at_20 = with_snapshots.projects.get(SYSTEM, pid, as_of_version=20)
    finally:
        with_snapshots.close()

    replayed = build(with_(settings, snapshot_interval=0))
    try:
        assert replayed.ledger.snapshots is None
        assert replayed.projects.get(SYSTEM, pid) == snapshotted
        assert replayed.projects.get(SYSTEM, pid, as_of_version=12) == at_12
        assert replayed.projects.get(SYSTEM, pid, as_of_version=20) == at_20
    finally:
        replayed.close()

    assert snapshotted.version == 23
    assert snapshotted.stage == "in_production"
    assert snapshotted.name == "新能源电池二期"
    assert snapshotted.total_investment == Decimal("15000.0000")
    assert snapshotted.funds_in_place == Decimal("800.0000")
    assert snapshotted.key_years == [2026]
    assert snapshotted.comment_count == 6
    assert snapshotted.responsible_unit == "liujiang"
    assert snapshotted.problems[0]["raised_on"] == date(2025, 1, 12)
    assert snapshotted.problems[0]["resolved_on"] == date(2025, 3, 3)
    assert [i["answered_on"] for i in snapshotted.instructions] == [date(2025, 3, 2), None]


@on_every_backend
def test_state_read_from_a_snapshot_after_a_restart_matches(settings: Settings) -> None:
    c = build(with_(settings, snapshot_interval=5))
    try:
        pid = twenty_three_events(c)
        expected = c.projects.get(SYSTEM, pid)
    finally:
        c.close()
    again = build(with_(settings, snapshot_interval=5))
    try:
        state = again.projects.get(SYSTEM, pid)
        assert state == expected
        assert isinstance(state, ProjectState)
        assert len(again.projects.history(SYSTEM, pid)) == 23
        nxt = again.projects.comment(SYSTEM, pid, "续写", date(2025, 4, 4))
        assert nxt.state.version == 24
    finally:
        again.close()


def test_no_snapshots_are_kept_when_the_interval_is_zero(sqlite_only: Settings) -> None:
    c = build(with_(sqlite_only, snapshot_interval=0))
    try:
        assert c.ledger.snapshots is None
        assert twenty_three_events(c)
    finally:
        c.close()


# --- encryption at rest ----------------------------------------------------------------------


@on_every_backend
def test_plaintext_is_visible_at_rest_without_a_cipher(settings: Settings) -> None:
    """Control for the encryption test: the marker is findable when nothing is encrypted."""
    c = build(settings)
    try:
        c.projects.register(SYSTEM, details(MARKER), date(2025, 1, 2))
        assert any(MARKER.encode() in s for s in stored_states(c))
    finally:
        c.close()


@on_every_backend
def test_a_cipher_key_encrypts_event_state_at_rest(settings: Settings) -> None:
    key = AESCipher.create_key(32)
    encrypted = with_(settings, cipher_key=key, snapshot_interval=2)
    c = build(encrypted)
    try:
        pid = c.projects.register(SYSTEM, details(MARKER), date(2025, 1, 2)).state.id
        c.projects.comment(SYSTEM, pid, MARKER + " comment", date(2025, 1, 3))
        states = stored_states(c)
        assert len(states) == 2
        assert not any(MARKER.encode() in s for s in states)
        assert not any("新能源".encode() in s for s in states)
        assert c.ledger.snapshots is not None
        snapshots = c.ledger.snapshots.recorder.select_events(pid)
        assert snapshots
        assert not any(MARKER.encode() in bytes(s.state) for s in snapshots)
        assert c.projects.get(SYSTEM, pid).name == MARKER
        assert c.projects.history(SYSTEM, pid)[1].data["text"] == MARKER + " comment"
    finally:
        c.close()

    again = build(encrypted)
    try:
        assert again.projects.get(SYSTEM, pid).name == MARKER
    finally:
        again.close()


# --- database URLs ---------------------------------------------------------------------------


def test_sqlite_url_with_three_slashes_is_a_relative_path() -> None:
    assert Database.parse("sqlite:///var/ledger.db") == Database(kind="sqlite",
                                                                path="var/ledger.db")


def test_sqlite_url_with_four_slashes_is_an_absolute_path() -> None:
    assert Database.parse("sqlite:////srv/data/ledger.db") == Database(
        kind="sqlite", path="/srv/data/ledger.db")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///"])
def test_sqlite_url_without_a_path_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="file path"):
        Database.parse(url)


def test_postgres_url_fields_are_parsed() -> None:
    db = Database.parse("postgresql://u:p@h:5433/db?schema=s")
    assert db == Database(kind="postgres", host="h", port=5433, user="u", password="p",
                          dbname="db", schema="s")


def test_postgres_url_defaults_and_escapes() -> None:
    assert Database.parse("postgres://h") == Database(
        kind="postgres", host="h", port=5432, user="postgres", password="", dbname="postgres",
        schema="")
    db = Database.parse("postgresql://app%20user:p%40ss%2Fw@db.local/ledger")
    assert (db.user, db.password, db.host, db.dbname) == ("app user", "p@ss/w", "db.local",
                                                         "ledger")


@pytest.mark.parametrize("url", ["mysql://u:p@h/db", "http://h/db", "postgresql+psycopg://h/db"])
def test_database_url_of_another_kind_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="unsupported database URL scheme"):
        Database.parse(url)


def test_memory_url_is_the_in_process_store() -> None:
    assert Database.parse("memory://") == Database(kind="memory")


def test_views_default_next_to_the_event_store() -> None:
    assert Database.parse("sqlite:///var/l.db").views_url() == "sqlite:///var/l.db.views"
    assert Database.parse("sqlite:////srv/l.db").views_url() == "sqlite:////srv/l.db.views"
    assert Database.parse("postgresql://u:p@h:5433/db?schema=s").views_url() == (
        "postgresql://u:p@h:5433/db?schema=s")


@pytest.mark.parametrize("url", [
    "postgresql://u:p%2Fss@h:5433/db?schema=s",  # '/' in the password
    "postgresql://u:p%23ss@h/db",  # '#'
    "postgresql://u:p%2541@h/db",  # a literal '%41'
    "postgresql://us%3Aer:pw@h/db",  # ':' in the user name
    "postgresql://u:pw@[::1]:5433/db",  # IPv6 host
])
def test_views_url_keeps_the_credentials_and_host_of_the_event_store(url: str) -> None:
    db = Database.parse(url)
    assert Database.parse(db.views_url()) == db


def test_eventsourcing_environment_per_backend(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "l.db"
    env = Database.parse(f"sqlite:///{path}").eventsourcing_env(Settings(cipher_key=None))
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert env["SQLITE_DBNAME"] == str(path)
    assert path.parent.is_dir()
    assert "CIPHER_KEY" not in env

    key = AESCipher.create_key(16)
    env = Database.parse("postgresql://u:p@h:5433/db?schema=s").eventsourcing_env(
        Settings(cipher_key=key, postgres_pool_size=3))
    assert {k: env[k] for k in ("PERSISTENCE_MODULE", "POSTGRES_HOST", "POSTGRES_PORT",
                                "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DBNAME",
                                "POSTGRES_SCHEMA", "POSTGRES_POOL_SIZE", "CIPHER_KEY")} == {
        "PERSISTENCE_MODULE": "eventsourcing.postgres", "POSTGRES_HOST": "h",
        "POSTGRES_PORT": "5433", "POSTGRES_USER": "u", "POSTGRES_PASSWORD": "p",
        "POSTGRES_DBNAME": "db", "POSTGRES_SCHEMA": "s", "POSTGRES_POOL_SIZE": "3",
        "CIPHER_KEY": key}
    assert env["CIPHER_TOPIC"] == "eventsourcing.cryptography:AESCipher"


# --- settings --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["mysql://u:p@h/db", "ledger.db", "file:///tmp/l.db", ""])
def test_settings_refuse_an_unknown_database_url_scheme(url: str) -> None:
    with pytest.raises(ValidationError, match="LEDGER_DATABASE_URL"):
        Settings(database_url=url)


def test_settings_refuse_an_unknown_scheme_from_the_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", "mysql://u:p@h/db")
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.parametrize("url", ["sqlite:///x.db", "postgresql://h/db", "postgres://h/db",
                                 "memory://"])
def test_settings_accept_the_known_schemes(url: str) -> None:
    assert Settings(database_url=url).database_url == url


def test_settings_read_the_environment_and_derive_the_backend(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", "postgresql://h/db")
    monkeypatch.setenv("LEDGER_SNAPSHOT_INTERVAL", "7")
    s = Settings()
    assert (s.database_url, s.snapshot_interval, s.is_postgres, s.follows_in_process) == (
        "postgresql://h/db", 7, True, False)
    local = sqlite_settings(tmp_path)
    assert (local.is_postgres, local.follows_in_process) == (False, True)


# --- stray environment variables -------------------------------------------------------------


def test_a_stray_snapshot_variable_does_not_break_saves_when_snapshots_are_off(
        monkeypatch: pytest.MonkeyPatch, sqlite_only: Settings) -> None:
    monkeypatch.setenv("IS_SNAPSHOTTING_ENABLED", "y")
    c = build(with_(sqlite_only, snapshot_interval=0))
    try:
        new = c.accounts.add(SYSTEM, "管理员", "admin")
        assert c.accounts.authenticate(new.token).role == "admin"
        assert c.ledger.snapshots is None
    finally:
        c.close()


def test_stray_cipher_variables_do_not_encrypt_a_store_configured_without_a_key(
        monkeypatch: pytest.MonkeyPatch, sqlite_only: Settings) -> None:
    monkeypatch.setenv("CIPHER_TOPIC", "eventsourcing.cryptography:AESCipher")
    monkeypatch.setenv("CIPHER_KEY", AESCipher.create_key(16))
    assert sqlite_only.cipher_key is None
    c = build(sqlite_only)
    try:
        c.projects.register(SYSTEM, details(MARKER), date(2025, 1, 2))
        assert any(MARKER.encode() in s for s in stored_states(c))
    finally:
        c.close()
