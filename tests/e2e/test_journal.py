"""The audit journal: every recorded step across all items, in recorded order."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Container
from api.routers.journal import CSV_COLUMNS
from application import journal
from tests.conftest import auth
from tests.e2e.enterprises import ENTERPRISES, Firms
from tests.e2e.helpers import assert_problem, project_body

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


def test_only_supervision_admin_and_leaders_read_the_journal(client: TestClient,
                                                              tokens: dict[str, str]) -> None:
    for role in ("bureau", "unit", "enterprise", "agent", "park_office"):
        response = client.get(JOURNAL, headers=auth(tokens[role]))
        assert response.status_code == 403, role
        assert response.headers["content-type"] == "application/problem+json"
    for role in ("supervisor", "admin", "leader"):
        assert client.get(JOURNAL, headers=auth(tokens[role])).status_code == 200, role
    assert client.get(JOURNAL).status_code == 401


# --- filters, paging, CSV ------------------------------------------------------------------


def _page(client: TestClient, token: str, **params: Any) -> dict[str, Any]:
    response = client.get(JOURNAL, params=params, headers=auth(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _entries(client: TestClient, token: str, **params: Any) -> list[dict[str, Any]]:
    """Every entry the filters keep, paging with next_after to the end."""
    entries: list[dict[str, Any]] = []
    after = 0
    while True:
        page = _page(client, token, after=after, **params)
        entries += page["entries"]
        if page["next_after"] is None:
            return entries
        assert page["next_after"] > after
        after = page["next_after"]


def test_journal_filters_by_actor_unit_kind_type_and_recorded_time(
        client: TestClient, tokens: dict[str, str], container: Container) -> None:
    supervisor = tokens["supervisor"]
    unit_account = container.accounts.authenticate(tokens["unit"]).account_id
    project = client.post("/api/v1/projects", json=project_body(),
                          headers=auth(tokens["bureau"])).json()
    start = datetime.now(UTC)
    time.sleep(0.002)
    commented = client.post(f"/api/v1/projects/{project['id']}/comment",
                            json={"text": "请尽快推进"}, headers=auth(tokens["unit"]))
    assert commented.status_code == 200
    complaint_id = _file_complaint(client, tokens)

    by_actor = _entries(client, supervisor, actor=unit_account)
    assert [(e["item_id"], e["type"]) for e in by_actor] == [(project["id"], "Commented")]
    assert _entries(client, supervisor, unit="liudong") == by_actor
    kinds = {e["item_kind"] for e in _entries(client, supervisor, kind="complaint")}
    assert kinds == {"complaint"}
    received = _entries(client, supervisor, kind="complaint", type="Received")
    assert [e["item_id"] for e in received] == [complaint_id]
    since = _entries(client, supervisor, **{"from": start.isoformat()})
    assert [e["type"] for e in since] == ["Commented", "Received"]
    local = start.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None).isoformat()
    assert _entries(client, supervisor, **{"from": local}) == since  # Asia/Shanghai
    until = _entries(client, supervisor, to=start.isoformat())
    assert until and all(e["position"] < since[0]["position"] for e in until)
    assert _entries(client, supervisor, actor="no-such-account") == []


def test_a_sparse_filter_pages_through_bounded_scans_to_the_end(
        client: TestClient, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    complaint_id = _file_complaint(client, tokens)
    monkeypatch.setattr(journal, "SCAN", 4)  # every page reads at most four events
    pages = []
    after = 0
    while True:
        page = _page(client, tokens["supervisor"], after=after, kind="complaint")
        pages.append(page)
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert len(pages) > 3
    assert not pages[0]["entries"]  # nine accounts first: nothing kept, but more to read
    assert [e["item_id"] for p in pages for e in p["entries"]] == [complaint_id]


def test_the_journal_as_csv_for_spreadsheets(client: TestClient,
                                             tokens: dict[str, str]) -> None:
    complaint_id = _file_complaint(client, tokens)
    accepted = client.post(f"/api/v1/complaints/{complaint_id}/accept", json={},
                           headers={**auth(tokens["bureau"]), "X-Request-ID": "=1+2"})
    assert accepted.status_code == 200

    response = client.get(JOURNAL, params={"format": "csv", "kind": "complaint"},
                          headers=auth(tokens["supervisor"]))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == list(CSV_COLUMNS)
    received, accept = rows[1:]
    record = dict(zip(rows[0], received, strict=True))
    assert (record["item_id"], record["type"], record["label"]) == (complaint_id, "Received",
                                                                    "登记")
    assert record["actor_name"] == "投促局 王颖颖"
    assert record["recorded_at"].endswith("+08:00")
    assert json.loads(record["data"])["complainant"]["name"] == "周女士"
    assert accept[CSV_COLUMNS.index("correlation_id")] == "'=1+2"  # never run as a formula
    assert "X-Next-After" not in response.headers

    paged = client.get(JOURNAL, params={"format": "csv", "limit": 1},
                       headers=auth(tokens["supervisor"]))
    assert int(paged.headers["X-Next-After"]) == 1
    assert len(paged.content.decode("utf-8-sig").splitlines()) == 2


def test_leaders_and_admins_read_the_journal_without_personal_data(
        client: TestClient, tokens: dict[str, str], firms: Firms) -> None:
    complaint_id = _file_complaint(client, tokens)
    firm = firms.enterprise()
    firms.post("bureau", f"{ENTERPRISES}/{firm['id']}/revise",
               {"contacts": [{"name": "王主任", "phone": "13800138000"}]})

    def personal(token: str) -> tuple[Any, ...]:
        entries = _entries(client, token)
        received = next(e for e in entries if e["item_id"] == complaint_id)
        registered, revised = [e for e in entries if e["item_id"] == firm["id"]]
        return (received["data"]["complainant"], registered["data"]["contacts"],
                revised["data"]["changes"]["contacts"])

    assert personal(tokens["leader"]) == personal(tokens["admin"]) == (None, None, None)
    complainant, contacts, changed = personal(tokens["supervisor"])
    assert complainant["name"] == "周女士"
    assert contacts[0]["name"] == "李经理" and changed[0]["name"] == "王主任"
    for role in ("leader", "admin"):
        text = client.get(JOURNAL, params={"limit": 1000, "format": "csv"},
                          headers=auth(tokens[role])).text
        assert "周女士" not in text and "王主任" not in text and "0772-2821234" not in text
    # The enterprise's own history shows its contacts to it, not to a leader
    history = f"{ENTERPRISES}/{firm['id']}/history"
    assert firms.get("enterprise", history).json()[0]["data"]["contacts"]
    assert firms.get("leader", history).json()[0]["data"]["contacts"] is None


@pytest.mark.parametrize(("params", "says"), [
    ({"from": "2025-06-30T00:00:00+08:00", "to": "2025-06-01T00:00:00+08:00"}, "after to"),
    ({"kind": "invoice"}, "unknown kind"),
    ({"from": "2025-06-30"}, "from"),
    ({"to": "2025-02-30T10:00:00"}, "to"),
    ({"type": "Received; DROP"}, "type"),
    ({"format": "xlsx"}, "format"),
])
def test_bad_journal_filters_are_422(client: TestClient, tokens: dict[str, str],
                                     params: dict[str, str], says: str) -> None:
    response = client.get(JOURNAL, params=params, headers=auth(tokens["supervisor"]))
    assert says in assert_problem(response, 422)["detail"]
