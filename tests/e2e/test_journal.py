"""The audit journal: every recorded step across all items, in recorded order."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import auth

JOURNAL = "/api/v1/audit/journal"


def _file_complaint(client: TestClient, tokens: dict[str, str]) -> str:
    response = client.post("/api/v1/complaints", headers=auth(tokens["bureau"]), json={
        "channel": "hotline", "category": "conduct", "content": "态度生硬",
        "respondent_unit": "scjgj", "received_on": "2025-03-03",
        "complainant": {"name": "周女士", "phone": "13912345678"}})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _all_entries(client: TestClient, token: str, limit: int) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    after = 0
    while True:
        page = client.get(JOURNAL, params={"after": after, "limit": limit},
                          headers=auth(token)).json()
        entries += page["entries"]
        if page["next_after"] is None:
            return entries
        after = page["next_after"]


def test_journal_lists_every_step_in_recorded_order_with_its_actor(
        client: TestClient, tokens: dict[str, str]) -> None:
    complaint_id = _file_complaint(client, tokens)
    accepted = client.post(f"/api/v1/complaints/{complaint_id}/accept",
                           headers=auth(tokens["bureau"]), json={"on": "2025-03-04"})
    assert accepted.status_code == 200

    entries = _all_entries(client, tokens["supervisor"], limit=3)

    positions = [e["position"] for e in entries]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    steps = [(e["item_kind"], e["type"]) for e in entries if e["item_id"] == complaint_id]
    assert steps == [("complaint", "Received"), ("complaint", "Accepted")]
    received = next(e for e in entries if e["item_id"] == complaint_id)
    assert received["label"] == "登记"
    assert received["actor"]["name"] == "投促局 王颖颖"
    assert received["data"]["complainant"]["name"] == "周女士"  # supervisor may see it
    accounts = [e for e in entries if e["item_kind"] == "account"]
    assert len(accounts) == len(tokens)


def test_journal_never_shows_token_hashes(client: TestClient, tokens: dict[str, str]) -> None:
    text = client.get(JOURNAL, params={"limit": 1000}, headers=auth(tokens["admin"])).text
    assert "token_hash" not in text
    assert "开设账号" in text


def test_journal_hides_complainant_details_from_admin(client: TestClient,
                                                       tokens: dict[str, str]) -> None:
    complaint_id = _file_complaint(client, tokens)
    entries = _all_entries(client, tokens["admin"], limit=100)
    received = next(e for e in entries if e["item_id"] == complaint_id)
    assert received["data"]["complainant"] is None
    assert "周女士" not in client.get(JOURNAL, params={"limit": 1000},
                                      headers=auth(tokens["admin"])).text


def test_only_supervision_and_admin_read_the_journal(client: TestClient,
                                                      tokens: dict[str, str]) -> None:
    for role in ("bureau", "leader", "unit", "enterprise"):
        response = client.get(JOURNAL, headers=auth(tokens[role]))
        assert response.status_code == 403, role
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get(JOURNAL).status_code == 401
