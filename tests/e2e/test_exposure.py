"""What the service tells a caller and keeps on disk: no more than each may know."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from api.bootstrap import build
from application.context import SYSTEM
from tests.conftest import auth, sqlite_settings
from tests.e2e.helpers import assert_problem, project_body

COMPLAINT = {"channel": "hotline", "category": "approval_service", "content": "审批超时",
             "respondent_unit": "liudong", "anonymous": True}


def _assigned_by_enterprise(client: Any, tokens: dict[str, str]) -> str:
    filed = client.post("/api/v1/complaints", json={**COMPLAINT, "channel": "website"},
                        headers=auth(tokens["enterprise"]))
    assert filed.status_code == 201, filed.text
    cid = filed.json()["id"]
    for step, body in (("accept", {}), ("assign", {"unit": "liudong"})):
        answer = client.post(f"/api/v1/complaints/{cid}/{step}", json=body,
                             headers=auth(tokens["bureau"]))
        assert answer.status_code == 200, answer.text
    return cid


def test_the_assigned_unit_does_not_learn_which_enterprise_complained(
        client: Any, tokens: dict[str, str]) -> None:
    """The unit handling a complaint may be the one complained about."""
    cid = _assigned_by_enterprise(client, tokens)

    seen = {who: client.get(f"/api/v1/complaints/{cid}", headers=auth(tokens[who])).json()
            for who in ("unit", "admin", "bureau", "supervisor", "enterprise")}
    history = client.get(f"/api/v1/complaints/{cid}/history", headers=auth(tokens["unit"]))

    assert seen["unit"]["filed_by_enterprise"] is None
    assert seen["admin"]["filed_by_enterprise"] is None
    for who in ("bureau", "supervisor", "enterprise"):
        assert seen[who]["filed_by_enterprise"] == "91450200MA5KXXXX4H"
    assert "91450200MA5KXXXX4H" not in history.text


def test_a_request_links_only_to_a_project_its_raiser_may_read(
        client: Any, tokens: dict[str, str], container: Any) -> None:
    from datetime import date

    from domain.enterprise import Enterprise

    container.store.save(Enterprise.register("某企业", "91450200MA5KXXXX4H", "汽车", "liudong",
                                             [], date(2025, 1, 1), SYSTEM.audit()))
    project = client.post("/api/v1/projects", json=project_body(),
                          headers=auth(tokens["bureau"])).json()["id"]
    body = {"credit_code": "91450200MA5KXXXX4H", "category": "labour", "description": "用工",
            "project_id": project}

    hidden = client.post("/api/v1/requests", json=body, headers=auth(tokens["enterprise"]))
    unknown = client.post("/api/v1/requests",
                          json={**body, "project_id": "00000000-0000-4000-8000-000000000000"},
                          headers=auth(tokens["enterprise"]))
    staff = client.post("/api/v1/requests", json={**body, "source": "hotline"},
                        headers=auth(tokens["bureau"]))

    assert assert_problem(hidden, 422)["detail"].startswith("project_id: no project")
    assert assert_problem(unknown, 422)["detail"].startswith("project_id: no project")
    assert staff.status_code == 201, staff.text


def test_a_once_valid_token_gets_the_same_401_as_a_made_up_one(
        client: Any, tokens: dict[str, str], container: Any) -> None:
    new = container.accounts.add(SYSTEM, "临时", "bureau")
    container.accounts.reissue(SYSTEM, new.account_id)

    revoked = client.get("/api/v1/units", headers=auth(new.token))
    made_up = client.get("/api/v1/units", headers=auth("il_" + "x" * 40))

    assert assert_problem(revoked, 401)["detail"] == assert_problem(made_up, 401)["detail"]


def test_the_embedded_store_is_readable_by_the_service_user_only(tmp_path: Path) -> None:
    settings = sqlite_settings(tmp_path / "var")
    container = build(settings)
    try:
        container.accounts.add(SYSTEM, "投促局", "bureau")
    finally:
        container.close()

    folder = tmp_path / "var"
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    files = [p for p in folder.iterdir() if p.name.startswith("ledger.db")]
    assert {p.name for p in files} >= {"ledger.db", "ledger.db.views"}
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
