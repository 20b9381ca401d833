"""An item whose stored events were tampered with outside the application (a middle event
deleted with the append-only triggers dropped, as a database administrator could) answers a
500 that names the item and the damage, not a bare internal error."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.bootstrap import build
from application.context import SYSTEM
from domain.project import ProjectDetails
from tests.conftest import auth, sqlite_settings
from tests.e2e.helpers import assert_problem


def test_an_item_missing_a_middle_event_is_a_500_naming_it(tmp_path: Path) -> None:
    settings = sqlite_settings(tmp_path)
    container = build(settings)
    token = container.accounts.add(SYSTEM, "投促局", "bureau").token
    bureau = container.accounts.authenticate(token)
    pid = container.projects.register(bureau, ProjectDetails(
        name="甲", investor="乙", industry="汽车", total_investment=Decimal(1),
        county="liudong", responsible_unit="liudong"), date(2025, 1, 2)).state.id
    container.projects.comment(bureau, pid, "一", date(2025, 1, 3))
    container.projects.comment(bureau, pid, "二", date(2025, 1, 4))
    container.close()
    with sqlite3.connect(tmp_path / "ledger.db") as db:
        db.execute("DROP TRIGGER stored_events_refuse_delete")
        gone = db.execute("DELETE FROM stored_events WHERE originator_id = ? AND "
                          "originator_version = 2", (pid.hex,)).rowcount
    assert gone == 1

    container = build(settings)
    try:
        with TestClient(create_app(container), raise_server_exceptions=False) as client:
            response = client.get(f"/api/v1/projects/{pid}", headers=auth(token))
    finally:
        container.close()

    detail = assert_problem(response, 500)["detail"]
    assert f"item {pid} is damaged: version 3 follows version 1" in detail
    assert "audit verify" in detail
