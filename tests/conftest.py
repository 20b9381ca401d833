"""Fixtures shared by every test layer: settings, containers, clients, tokens.

Most tests run on one backend, a SQLite file under tmp_path: `settings`, `container`,
`tokens`, `callers`, `client`. What depends on the backend (the store, the follower, the
ledger SQL, concurrency, the CLI against PostgreSQL) runs on SQLite and on PostgreSQL: such a
test asks for `backend_settings` or `backend_container`, or carries `on_every_backend`, and
the one-backend fixtures follow it: `settings`, `container`, `tokens`, `callers` and `client`
then all belong to that backend's store. `pytest -m postgres` runs the PostgreSQL side.

Two pieces live for the whole session, for speed, and hold no test's data: the FastAPI app
(`_app`; each `client` points it at its test's container) and template SQLite stores that
`container` copies into the test's tmp_path (`_sqlite_templates`).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from api.bootstrap import Container, build
from application.context import SYSTEM
from application.persistence import Database
from application.settings import Settings

POSTGRES_URL = os.environ.get("LEDGER_TEST_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"

# One account per role, plus two unit accounts, as tests refer to them.
ROLE_ACCOUNTS = {
    "admin": ("管理员", "admin", None),
    "leader": ("覃市长", "leader", None),
    "supervisor": ("督查室", "supervisor", "dcs"),
    "bureau": ("投促局 王颖颖", "bureau", "tcj"),
    "unit": ("柳东新区", "unit", "liudong"),
    "other_unit": ("柳江区", "unit", "liujiang"),
    "park_office": ("园区办", "park_office", "yqb"),
    "agent": ("代办员", "agent", "tcj"),
    "enterprise": ("某企业", "enterprise", "91450200MA5KXXXX4H"),
}


def _postgres_unavailable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(_conninfo(POSTGRES_URL), connect_timeout=3):
            return None
    except Exception as exc:
        return f"PostgreSQL at {POSTGRES_URL} is not reachable ({exc.__class__.__name__})"


def _conninfo(url: str) -> str:
    from application.persistence import Database

    return Database.parse(url).conninfo()


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


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

# For a module (`pytestmark = on_every_backend`) or a test (`@on_every_backend`) whose
# fixtures are `container`, `client`, `api`...: it then runs once per backend, unchanged.
on_every_backend = pytest.mark.usefixtures("backend_settings")


@pytest.fixture(params=BACKENDS)
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for each backend: a test using it runs on SQLite and on PostgreSQL.

    PostgreSQL gets a fresh schema per test, dropped afterwards. In such a test `settings`,
    `container`, `tokens`, `callers` and `client` follow it.
    """
    if request.param == "postgres":
        return postgres_settings(request.getfixturevalue("postgres_url"))
    return sqlite_settings(tmp_path)


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The settings of this test: a SQLite file under tmp_path, or, in a test that runs on
    `backend_settings` (asked for, through `backend_container` or `on_every_backend`), those."""
    if "backend_settings" in request.fixturenames:
        backend: Settings = request.getfixturevalue("backend_settings")
        return backend
    return sqlite_settings(tmp_path)


@pytest.fixture
def sqlite_only(tmp_path: Path) -> Settings:
    """SQLite settings even in a test that also runs on `backend_settings`."""
    return sqlite_settings(tmp_path)


@dataclass(frozen=True)
class _Templates:
    """SQLite stores as `container`, and `container` with `tokens`, leave them."""

    bare: Path
    with_accounts: Path
    tokens: dict[str, str]
    settings: dict[str, object]  # the settings they were made with, but for the path


_SEEDED_TOKENS = pytest.StashKey[dict[str, str]]()


@pytest.fixture(scope="session")
def _sqlite_templates(tmp_path_factory: pytest.TempPathFactory) -> _Templates:
    """Template stores made once per session and copied into each test's tmp_path.

    Creating the tables and saving the nine accounts of `tokens` took 15-20 ms of every
    test that uses them (measured); a copy takes about one. Each test still gets a store of
    its own, with the same events in the same order as if it had made them.
    """
    bare = tmp_path_factory.mktemp("template-bare")
    build(sqlite_settings(bare)).close()
    with_accounts = tmp_path_factory.mktemp("template-accounts")
    c = build(sqlite_settings(with_accounts))
    try:
        tokens = add_role_accounts(c)
    finally:
        c.close()
    return _Templates(bare, with_accounts, tokens, _but_the_path(sqlite_settings(bare)))


def _but_the_path(settings: Settings) -> dict[str, object]:
    return settings.model_dump(exclude={"database_url"})


def _copy_template(request: pytest.FixtureRequest, settings: Settings) -> None:
    """Start this test's store from a template when it is a new SQLite store made with the
    templates' settings; with the accounts when the test uses `tokens`."""
    if not settings.database_url.startswith("sqlite://"):
        return
    ledger = Path(Database.parse(settings.database_url).path)
    templates: _Templates = request.getfixturevalue("_sqlite_templates")
    if ledger.exists() or _but_the_path(settings) != templates.settings:
        return
    with_accounts = "tokens" in request.fixturenames
    source = templates.with_accounts if with_accounts else templates.bare
    for part in source.iterdir():  # ledger.db and ledger.db.views
        shutil.copyfile(part, f"{ledger}{part.name.removeprefix('ledger.db')}")
    if with_accounts:
        request.node.stash[_SEEDED_TOKENS] = templates.tokens


@pytest.fixture
def container(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Container]:
    """The composition root on `settings`, closed after the test."""
    _copy_template(request, settings)
    c = build(settings)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def backend_container(backend_settings: Settings, container: Container) -> Container:
    """`container` on each backend: the test runs on SQLite and on PostgreSQL."""
    return container


def add_role_accounts(c: Container) -> dict[str, str]:
    """Add one account per key of ROLE_ACCOUNTS to `c`; their bearer tokens by key."""
    return {key: c.accounts.add(SYSTEM, name, role, None if role == "enterprise" else unit,
                                unit if role == "enterprise" else None).token
            for key, (name, role, unit) in ROLE_ACCOUNTS.items()}


@pytest.fixture
def tokens(request: pytest.FixtureRequest, container: Container) -> dict[str, str]:
    """Bearer token per key of ROLE_ACCOUNTS (the accounts' events come first in the log)."""
    seeded = request.node.stash.get(_SEEDED_TOKENS, None)
    if seeded is not None:  # `container` started from the template that has them
        return dict(seeded)
    return add_role_accounts(container)


@pytest.fixture
def callers(container: Container, tokens: dict[str, str]) -> dict[str, object]:
    """Authenticated Caller per key of ROLE_ACCOUNTS, for application-level tests."""
    return {key: container.accounts.authenticate(token, f"test-{key}")
            for key, token in tokens.items()}


class _RunningTestsContainer:
    """Stands in for the container of the running test inside the session's one app."""

    def __init__(self) -> None:
        self.current: Container | None = None

    def __getattr__(self, name: str) -> Any:
        if self.current is None:
            msg = f"no test is running: no container to read {name!r} from"
            raise AttributeError(msg)
        return getattr(self.current, name)


@pytest.fixture(scope="session")
def _app() -> tuple[FastAPI, _RunningTestsContainer]:
    """One app for the session, reaching each test's container through a stand-in.

    FastAPI builds a router's routes on the first request an app gets for it (30-80 ms per
    router), so an app per test paid that again in every HTTP test. The app keeps no state
    of its own beyond `app.state.container`, and its lifespan still runs in every test.
    """
    from api.app import create_app

    stand_in = _RunningTestsContainer()
    return create_app(stand_in, Settings()), stand_in  # type: ignore[arg-type]


@pytest.fixture
def client(container: Container,
           _app: tuple[FastAPI, _RunningTestsContainer]) -> Iterator[object]:
    """A TestClient of the app on `container` (its lifespan runs: the follower starts)."""
    from fastapi.testclient import TestClient

    from api.ratelimit import PublicLimits

    app, stand_in = _app
    stand_in.current = container
    # The app's one state of its own: each test starts with fresh public rate limits.
    app.state.public_limits = PublicLimits(container.settings.public_filing_rate,
                                           container.settings.public_lookup_rate)
    try:
        with TestClient(app) as test_client:
            yield test_client
    finally:
        stand_in.current = None


def auth(token: str, version: int | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if version is not None:
        headers["If-Match"] = f'"{version}"'
    return headers
