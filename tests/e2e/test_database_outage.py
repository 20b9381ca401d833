"""While the database cannot be reached the API answers 503 with Retry-After (never 500),
/readyz says so, and everything recovers by itself once it is back. The outage is made on a
database of the test's own (ALLOW_CONNECTIONS false and its backends terminated): the shared
server is never stopped."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from api.bootstrap import build
from application.context import SYSTEM
from application.persistence import Database
from domain.project import ProjectDetails
from tests.conftest import auth, postgres_settings
from tests.e2e.helpers import assert_problem

pytestmark = pytest.mark.postgres


@pytest.fixture
def own_database(postgres_available: str) -> Iterator[tuple[str, Any]]:
    import psycopg

    admin_info = Database.parse(postgres_available).conninfo()
    name = f"outage_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(admin_info, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = postgres_available.rsplit("/", 1)[0] + f"/{name}"

    def reachable(yes: bool) -> None:
        admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS {str(yes).lower()}')
        if not yes:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))

    try:
        yield url, reachable
    finally:
        reachable(False)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def test_an_unreachable_database_is_a_503_and_the_api_recovers_by_itself(
        own_database: tuple[str, Any]) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    url, reachable = own_database
    container = build(postgres_settings(url, database_timeout=1, wait_timeout=1))
    token = container.accounts.add(SYSTEM, "投促局", "bureau").token
    body = {"name": "某项目", "investor": "某公司", "industry": "汽车", "total_investment": "10",
            "county": "liudong", "responsible_unit": "liudong"}
    try:
        with TestClient(create_app(container)) as client:
            assert client.get("/readyz").status_code == 200
            assert client.post("/api/v1/projects", json=body,
                               headers=auth(token)).status_code == 201

            reachable(False)
            read = client.get("/api/v1/ledgers/projects", headers=auth(token))
            write = client.post("/api/v1/projects", json=body, headers=auth(token))
            ready = client.get("/readyz")
            healthy = client.get("/healthz")

            reachable(True)
            deadline = time.monotonic() + 20
            while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
                time.sleep(0.2)
            again = client.post("/api/v1/projects", json=body, headers=auth(token))

        for answer in (read, write):
            assert_problem(answer, 503)
            assert answer.headers["Retry-After"] == "5"
        assert (ready.status_code, ready.json()["status"]) == (503, "unavailable")
        assert healthy.status_code == 200  # liveness: the process itself is fine
        assert again.status_code == 201, again.text
    finally:
        container.close()


def test_readyz_shows_each_projection_and_a_stopped_one(postgres_url: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from projections.project_ledger import ProjectLedger

    container = build(postgres_settings(postgres_url))
    try:
        bureau = container.accounts.authenticate(
            container.accounts.add(SYSTEM, "投促局", "bureau").token)
        monkeypatch.setattr(ProjectLedger, "apply_batch",
                            lambda self, tx, events: (_ for _ in ()).throw(ValueError("bad")))
        container.projects.register(bureau, ProjectDetails(
            name="某项目", investor="某公司", industry="汽车", total_investment=Decimal("1"),
            county="liudong", responsible_unit="liudong"), date(2025, 1, 2))
        container.follower.catch_up()
        with TestClient(create_app(container)) as client:
            ready = client.get("/readyz")
        body = ready.json()
        assert (ready.status_code, body["status"]) == (503, "degraded")
        stopped = {p["name"]: p["stopped"] for p in body["projections"]}
        assert stopped[ProjectLedger.name]["error"] == "ValueError: bad"
        assert all(v is None for k, v in stopped.items() if k != ProjectLedger.name)
    finally:
        container.close()


def test_the_api_starts_without_its_database_and_serves_once_it_answers(
        own_database: tuple[str, Any]) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    url, reachable = own_database
    reachable(False)
    settings = postgres_settings(url, database_timeout=1)
    with TestClient(create_app(settings=settings)) as client:
        waiting = client.get("/api/v1/units", headers=auth("il_" + "x" * 40))
        not_ready = client.get("/readyz")
        alive = client.get("/healthz")

        reachable(True)
        deadline = time.monotonic() + 30
        while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        ready = client.get("/readyz")

    assert_problem(waiting, 503)
    assert "Retry-After" in waiting.headers
    assert_problem(not_ready, 503)
    assert alive.status_code == 200
    assert ready.status_code == 200, ready.text
