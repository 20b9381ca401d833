"""Commands are idempotent by key: a retry under the same Idempotency-Key returns the first
answer (same event, same position) instead of acting twice or answering 409."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import auth
from tests.e2e.helpers import assert_problem, project_body

PROJECTS = "/api/v1/projects"


def _journal(client: Any, tokens: dict[str, str]) -> list[Any]:
    return client.get("/api/v1/audit/journal", params={"limit": 1000},
                      headers=auth(tokens["admin"])).json()["entries"]


def _headers(tokens: dict[str, str], key: str, who: str = "bureau") -> dict[str, str]:
    return {**auth(tokens[who]), "Idempotency-Key": key}


def test_a_retried_registration_returns_the_first_answer(client: Any,
                                                         tokens: dict[str, str]) -> None:
    first = client.post(PROJECTS, json=project_body(), headers=_headers(tokens, "k-1"))
    events = len(_journal(client, tokens))
    again = client.post(PROJECTS, json=project_body(), headers=_headers(tokens, "k-1"))

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    for header in ("ETag", "X-Ledger-Position", "Location"):
        assert again.headers[header] == first.headers[header]
    assert len(_journal(client, tokens)) == events


def test_a_retried_step_is_not_a_409_and_records_nothing_more(client: Any,
                                                              tokens: dict[str, str]) -> None:
    pid = client.post(PROJECTS, json=project_body(), headers=auth(tokens["bureau"])).json()["id"]
    body = {"date": "2025-03-01", "contract_amount": "8000"}
    first = client.post(f"{PROJECTS}/{pid}/sign", json=body,
                        headers={**_headers(tokens, "sign-1"), "If-Match": '"1"'})
    events = len(_journal(client, tokens))
    again = client.post(f"{PROJECTS}/{pid}/sign", json=body,
                        headers={**_headers(tokens, "sign-1"), "If-Match": '"1"'})
    without_key = client.post(f"{PROJECTS}/{pid}/sign", json=body,
                              headers=auth(tokens["bureau"]))

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again.headers["X-Ledger-Position"] == first.headers["X-Ledger-Position"]
    assert len(_journal(client, tokens)) == events
    assert_problem(without_key, 409)  # a new request, not a retry: the rule answers


def test_the_same_key_with_another_body_is_a_422_and_changes_nothing(
        client: Any, tokens: dict[str, str]) -> None:
    client.post(PROJECTS, json=project_body(), headers=_headers(tokens, "k-2"))
    events = len(_journal(client, tokens))

    other = client.post(PROJECTS, json=project_body(name="另一个项目"),
                        headers=_headers(tokens, "k-2"))

    assert "Idempotency-Key" in assert_problem(other, 422)["detail"]
    assert len(_journal(client, tokens)) == events


def test_keys_belong_to_one_account(client: Any, tokens: dict[str, str]) -> None:
    mine = client.post(PROJECTS, json=project_body(), headers=_headers(tokens, "shared"))
    theirs = client.post(PROJECTS, json=project_body(), headers=_headers(tokens, "shared",
                                                                          "admin"))

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_retry_that_raced_the_first_attempt_answers_like_it(
        client: Any, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The retry looked before the first attempt committed, so it runs the step again and
    meets the state the first one left: it answers the first answer, not a 409."""
    from application import idempotency

    pid = client.post(PROJECTS, json=project_body(), headers=auth(tokens["bureau"])).json()["id"]
    body = {"date": "2025-03-01", "contract_amount": "8000"}
    first = client.post(f"{PROJECTS}/{pid}/sign", json=body, headers=_headers(tokens, "race"))
    real = idempotency.earlier
    looks: list[int] = []

    def not_yet_on_the_first_look(store: Any, caller: Any) -> Any:
        looks.append(1)
        return None if len(looks) == 1 else real(store, caller)

    monkeypatch.setattr(idempotency, "earlier", not_yet_on_the_first_look)
    again = client.post(f"{PROJECTS}/{pid}/sign", json=body, headers=_headers(tokens, "race"))

    assert again.status_code == 200, again.text
    assert again.headers["X-Ledger-Position"] == first.headers["X-Ledger-Position"]
    assert len(looks) == 2
