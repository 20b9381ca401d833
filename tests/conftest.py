"""Fixtures shared by every test layer: settings per backend, containers, clients, tokens."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.bootstrap import Container, build
from application.context import SYSTEM
from application.settings import Settings

POSTGRES_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"

# One account per role, plus two unit accounts, as tests refer to them.
ROLE_ACCOUNTS = {
    "admin": ("管理员", "admin", None),
    "leader": ("覃市长", "leader", None),
    "supervisor": ("督查室", "supervisor", None),
    "bureau": ("投促局 王颖颖", "bureau", None),
    "unit": ("柳东新区", "unit", "liudong"),
    "other_unit": ("柳江区", "unit", "liujiang"),
    "park_office": ("园区办", "park_office", None),
    "agent": ("代办员", "agent", None),
    "enterprise": ("某企业", "enterprise", "91450200MA5KXXXX05"),
}


def _postgres_unavailable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(_conninfo(POSTGRES_URL), connect_timeout=3):
            return None
    except Exception as exc:
        return f"PostgreSQL at {POSTGRES_URL} is not reachable ({exc.__class__.__name__})"


def _conninfo(url: str) -> str:
    from projections.store import _postgres_conninfo

    return _postgres_conninfo(url)[0]


@pytest.fixture(scope="session")
def postgres_available() -> str:
    reason = _postgres_unavailable()
    if reason:
        if REQUIRE_POSTGRES:
            pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(f"{reason}; set LEDGER_TEST_POSTGRES_URL or start PostgreSQL to run it")
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_available: str) -> Iterator[str]:
    """A fresh schema in the test database, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_conninfo(postgres_available), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in postgres_available else "?"
    try:
        yield f"{postgres_available}{sep}schema={schema}"
    finally:
        with psycopg.connect(_conninfo(postgres_available), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def sqlite_settings(tmp_path: Path, **overrides: object) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path}/ledger.db", **overrides)  # type: ignore[arg-type]


def postgres_settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {"postgres_pool_size": 2, "follow_in_process": True}
    values.update(overrides)
    return Settings(database_url=url, **values)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for each backend: tests using it run on SQLite and on PostgreSQL."""
    if request.param == "postgres":
        return postgres_settings(request.getfixturevalue("postgres_url"))
    return sqlite_settings(tmp_path)


@pytest.fixture
def sqlite_only(tmp_path: Path) -> Settings:
    return sqlite_settings(tmp_path)


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    c = build(settings)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def tokens(container: Container) -> dict[str, str]:
    """Bearer token per key of ROLE_ACCOUNTS."""
    return {key: container.accounts.add(SYSTEM, name, role, unit if role == "unit" else None,
                                        unit if role == "enterprise" else None).token
            for key, (name, role, unit) in ROLE_ACCOUNTS.items()}


@pytest.fixture
def callers(container: Container, tokens: dict[str, str]) -> dict[str, object]:
    """Authenticated Caller per key of ROLE_ACCOUNTS, for application-level tests."""
    return {key: container.accounts.authenticate(token, f"test-{key}")
            for key, token in tokens.items()}


@pytest.fixture
def client(container: Container) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(container)) as test_client:
        yield test_client


def auth(token: str, version: int | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    return headers
